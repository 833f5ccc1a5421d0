"""Tests that close the mutation survivors docs/mutation.md listed as open: the JSON type a
malformed answer names, and a challenge resumed from its bare session string."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from cognito_user_pool import AsyncUserPool, MalformedResponseError
from cognito_user_pool._answer_check import check_answer

pytestmark = pytest.mark.anyio


def _operation_model() -> Any:
    """What check_answer reads of botocore's OperationModel: the name, the JSON version,
    and the output's required members (none here)."""
    service = SimpleNamespace(metadata={"jsonVersion": "1.1"})
    return SimpleNamespace(name="GetUser", service_model=service, output_shape=None)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (None, "null"),
        (True, "boolean"),
        (False, "boolean"),
        (3, "number"),
        (2.5, "number"),
        ("text", "string"),
        ([1, 2], "array"),
    ],
)
def test_an_answer_that_is_not_an_object_is_named_by_its_json_type(
    body: object, named: str
) -> None:
    response = {
        "status_code": 200,
        "headers": {"content-type": "application/x-amz-json-1.1"},
        "body": json.dumps(body).encode(),
    }
    with pytest.raises(MalformedResponseError) as info:
        check_answer(_operation_model(), response)
    assert info.value.message == (
        f"GetUser: the HTTP 200 answer is a JSON {named}, not the object Cognito sends"
    )


async def test_a_bare_session_string_resumes_the_challenge_login_remembered() -> None:
    """An answer given only the session string finds the challenge's name and the internal
    username this pool remembered when login returned it, and sends those."""
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    session = "s" * 40
    pool._remember_session(session, "SOFTWARE_TOKEN_MFA", "internal-uuid")
    sent: list[dict[str, Any]] = []

    async def fake_call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append(params)
        return {"ChallengeName": "SMS_MFA", "Session": "t" * 40, "ChallengeParameters": {}}

    pool._call = fake_call  # type: ignore[method-assign]
    await pool.login_mfa(username="alias@example.com", login_session=session, mfa_code="123456")
    assert sent[0]["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert sent[0]["ChallengeResponses"]["USERNAME"] == "internal-uuid"
    assert sent[0]["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"] == "123456"
    # A session this pool never saw: the username given, and the default challenge.
    sent.clear()
    await pool.login_mfa(username="alice", login_session="u" * 40, mfa_code="123456")
    assert sent[0]["ChallengeName"] == "SMS_MFA"
    assert sent[0]["ChallengeResponses"]["USERNAME"] == "alice"
    await pool.aclose()


@pytest.mark.parametrize(("status", "checked"), [(299, True), (300, False), (404, False)])
def test_only_a_2xx_answer_is_held_to_cognitos_shape(status: int, checked: bool) -> None:
    """botocore turns the others into errors (or, for 3xx, follows no redirect) itself."""
    response = {"status_code": status, "headers": {"content-type": "text/html"}, "body": b"<p>"}
    if checked:
        with pytest.raises(MalformedResponseError):
            check_answer(_operation_model(), response)
    else:
        check_answer(_operation_model(), response)


def test_a_revocations_listener_without_signed_out_is_refused_with_its_wording() -> None:
    from cognito_user_pool import InvalidParameterError, PoolConfig

    with pytest.raises(InvalidParameterError) as info:
        PoolConfig("us-east-1_abc", "client1", revocations=object())  # type: ignore[arg-type]
    assert (info.value.field, info.value.message) == (
        "revocations",
        "revocations must have an async signed_out(*tokens, everywhere=False), such as a "
        "Revocations",
    )


@pytest.mark.parametrize(
    ("json_version", "content_type", "accepted"),
    [
        ("1.0", "application/x-amz-json-1.0", True),
        ("1.0", "application/x-amz-json-1.1", False),
        ("1.1", "application/json; charset=utf-8", True),
    ],
)
def test_the_content_type_is_the_services_json_version_or_plain_json(
    json_version: str, content_type: str, accepted: bool
) -> None:
    service = SimpleNamespace(metadata={"jsonVersion": json_version})
    model = SimpleNamespace(name="GetUser", service_model=service, output_shape=None)
    response = {"status_code": 200, "headers": {"content-type": content_type}, "body": b"{}"}
    if accepted:
        check_answer(model, response)
    else:
        with pytest.raises(MalformedResponseError):
            check_answer(model, response)


def test_what_a_malformed_answer_lacks_is_named() -> None:
    service = SimpleNamespace(metadata={"jsonVersion": "1.1"})
    output = SimpleNamespace(required_members=["Username", "UserAttributes"])
    model = SimpleNamespace(name="GetUser", service_model=service, output_shape=output)
    json_answer = {"content-type": "application/x-amz-json-1.1"}
    with pytest.raises(MalformedResponseError) as info:
        check_answer(model, {"status_code": 200, "headers": json_answer, "body": b"{}"})
    assert info.value.message == (
        "GetUser: the HTTP 200 answer lacks Username, UserAttributes, which Cognito always sends"
    )
    with pytest.raises(MalformedResponseError) as info:
        check_answer(model, {"status_code": 200, "headers": {}, "body": b"{}"})
    assert "(content type missing, not JSON)" in info.value.message
