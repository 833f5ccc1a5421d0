"""The error tree and the one boundary that translates botocore and aiohttp failures."""

from __future__ import annotations

import re

import botocore.exceptions as bce
import pytest

import cognito_user_pool as cup
from cognito_user_pool import _errors
from cognito_user_pool._errors import error_for_code, map_client_errors

pytestmark = pytest.mark.anyio


def test_every_public_error_is_a_cognito_error() -> None:
    """except CognitoError catches everything the library raises."""
    errors = [getattr(cup, n) for n in cup.__all__ if n.endswith("Error")]
    assert len(errors) > 15
    assert all(issubclass(e, cup.CognitoError) for e in errors)


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("NotAuthorizedException", cup.NotAuthorizedError),
        ("UserNotFoundException", cup.UserNotFoundError),
        ("CodeMismatchException", cup.CodeMismatchError),
        ("ExpiredCodeException", cup.ExpiredCodeError),
        ("UsernameExistsException", cup.UsernameExistsError),
        ("InvalidParameterException", cup.InvalidParameterError),
    ],
)
def test_known_codes_get_their_class(code: str, cls: type[cup.CognitoError]) -> None:
    """Each AWS code maps to its class and keeps the code, also as .name."""
    error = error_for_code(code, "msg")
    assert type(error) is cls
    assert error.code == code
    assert error.name == code
    assert str(error) == f"{code}: msg"


def test_unknown_code_is_kept_on_the_base_class() -> None:
    """An AWS code the library does not know keeps its code on a plain CognitoError."""
    error = error_for_code("BrandNewException", "hello")
    assert type(error) is cup.CognitoError
    assert error.code == "BrandNewException"


async def test_client_error_is_translated_and_chained() -> None:
    """A botocore ClientError becomes the matching CognitoError, chained to the original."""
    original = bce.ClientError(
        {"Error": {"Code": "NotAuthorizedException", "Message": "Incorrect username or password."}},
        "InitiateAuth",
    )
    with pytest.raises(cup.NotAuthorizedError) as info:
        async with map_client_errors("InitiateAuth"):
            raise original
    assert info.value.message == "Incorrect username or password."
    assert info.value.__cause__ is original


@pytest.mark.parametrize(
    "failure",
    [
        bce.EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
        bce.ReadTimeoutError(endpoint_url="http://127.0.0.1:9"),
        ConnectionResetError("reset"),
        TimeoutError(),
    ],
)
async def test_network_failures_become_network_error(failure: Exception) -> None:
    """Transport failures surface as NetworkError with the library's own code."""
    with pytest.raises(cup.NetworkError) as info:
        async with map_client_errors("GetUser"):
            raise failure
    assert info.value.code == "CognitoUserPool.NetworkError"
    assert "GetUser" in info.value.message


async def test_unreachable_endpoint_gives_network_error() -> None:
    """A pool pointed at a closed port fails with NetworkError, not an aiohttp exception."""
    async with cup.AsyncUserPool(
        "us-east-1_abc", "c1", endpoint_url="http://127.0.0.1:9", max_attempts=1
    ) as pool:
        with pytest.raises(cup.NetworkError):
            await pool.signup(username="alice", password="Passw0rd!")


def test_progress_is_carried_on_composite_failures() -> None:
    """with_progress keeps the class and code and says what was and was not done."""
    from cognito_user_pool._flows._base import with_progress

    error = with_progress(cup.LimitExceededError("slow down"), ("step one",), ("step two",))
    assert isinstance(error, cup.LimitExceededError)
    assert error.code == "LimitExceededException"
    assert error.done == ("step one",)
    assert error.not_done == ("step two",)
    assert "done: step one" in error.message and "not done: step two" in error.message


def test_progress_of_an_unknown_outcome_does_not_claim_nothing_changed() -> None:
    """When the failed step's outcome is unknown, the message says so for that step, lists
    only the later steps as not done, and never says "nothing was changed"."""
    from cognito_user_pool._flows._base import with_progress

    lost = cup.OutcomeUnknownError("UpdateUserAttributes may have reached Cognito")
    error = with_progress(lost, (), ("UpdateUserAttributes(name)", "DeleteUserAttributes(x)"))
    assert isinstance(error, cup.OutcomeUnknownError)
    assert error.code == "CognitoUserPool.OutcomeUnknown"
    assert "outcome unknown: UpdateUserAttributes(name)" in error.message
    assert "nothing was changed" not in error.message
    assert error.not_done == ("DeleteUserAttributes(x)",)


async def test_http_status_without_aws_error_is_short() -> None:
    """An HTML 5xx page from a proxy or emulator becomes a short InternalError."""
    original = bce.ClientError(
        {"Error": {"Code": "500", "Message": "<html>" + "x" * 5000 + "</html>"}}, "GetUser"
    )
    with pytest.raises(cup.InternalError) as info:
        async with map_client_errors("GetUser"):
            raise original
    assert info.value.code == "InternalErrorException"
    assert "<html>" not in info.value.message
    assert info.value.message == "GetUser: HTTP 500 without an AWS error"


async def test_botocore_parameter_report_is_not_chained() -> None:
    """botocore quotes bad values in its report; the library's error neither says nor chains it."""
    original = bce.ParamValidationError(
        report="Invalid type for parameter Password, value: hunter2"
    )
    with pytest.raises(cup.InvalidParameterError) as info:
        async with map_client_errors("SignUp"):
            raise original
    assert "hunter2" not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def _drawn_tree() -> list[tuple[int, str, str]]:
    """(depth, class name, note) for each line of the tree in _errors' docstring."""
    doc = _errors.__doc__ or ""
    block = doc.split("Tree::\n\n", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in block.splitlines():
        match = re.match(r"^    ((?:[│ ]   )*(?:[├└]── )?)(\w+)\s*(.*)$", line)
        assert match, line
        prefix, name, note = match.groups()
        rows.append((len(prefix) // 4, name, note))
    return rows


def test_the_drawn_tree_is_the_class_tree() -> None:
    """The tree drawn in _errors' docstring has every error class, each under its parent and
    beside its code; classes without a code of their own say "(same code)"."""
    rows = _drawn_tree()
    parents: list[str] = []
    for depth, name, note in rows:
        parents[depth:] = [name]
        cls = getattr(_errors, name)
        assert issubclass(cls, cup.CognitoError), name
        if depth:
            assert cls.__bases__ == (getattr(_errors, parents[depth - 1]),), name
            if "code" in cls.__dict__:
                assert note.split()[0].rstrip(":") == cls.code, name
            else:
                assert note.startswith("(same code)"), name
    defined = {
        name
        for name, value in vars(_errors).items()
        if isinstance(value, type) and issubclass(value, cup.CognitoError)
    }
    assert defined == {name for _, name, _ in rows}


def test_every_error_is_defined_in_errors_and_exported() -> None:
    """_errors is the one home of the error classes; all but the CLI's own are public."""
    public = {n for n in cup.__all__ if n.endswith("Error")}
    in_errors = {n for n in _errors.__all__ if n.endswith("Error")}
    assert public == in_errors - {"UnsupportedChallengeError", "TooManyChallengesError"}
    for name in public:
        assert getattr(cup, name) is getattr(_errors, name)


def test_codes_are_unique_and_local_codes_are_prefixed() -> None:
    """One class per code; the library's own codes cannot clash with AWS's."""
    own = [
        cls
        for cls in vars(_errors).values()
        if isinstance(cls, type) and issubclass(cls, cup.CognitoError) and "code" in cls.__dict__
    ]
    codes = [cls.code for cls in own if cls is not cup.CognitoError]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert code.endswith("Exception") or code.startswith("CognitoUserPool."), code
    for cls in own:
        if cls is not cup.CognitoError:
            assert type(error_for_code(cls.code, "m")) is cls


async def test_http_4xx_without_aws_error_is_an_http_status_error() -> None:
    """A 4xx page without an AWS error becomes HTTPStatusError, with its historic code."""
    original = bce.ClientError({"Error": {"Code": "403", "Message": "<html>no</html>"}}, "GetUser")
    with pytest.raises(cup.HTTPStatusError) as info:
        async with map_client_errors("GetUser"):
            raise original
    assert info.value.code == "CognitoUserPool.HTTPError"
    assert info.value.message == "GetUser: HTTP 403 without an AWS error"
    assert info.value.__cause__ is original


async def test_other_botocore_failures_keep_their_code() -> None:
    """A botocore failure that is neither network nor parameters is a BotoCoreFailureError."""
    original = bce.NoRegionError()
    with pytest.raises(cup.BotoCoreFailureError) as info:
        async with map_client_errors("SignUp"):
            raise original
    assert info.value.code == "CognitoUserPool.BotoCoreError"
    assert info.value.__cause__ is original
