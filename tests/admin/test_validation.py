"""Every admin operation checks its parameters before any request, and names the bad field."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any

import pytest

from cognito_user_pool import (
    ADMIN_OPERATIONS,
    AdminConfig,
    AsyncUserPoolAdmin,
    Challenge,
    InvalidParameterError,
    UserPoolAdmin,
)

pytestmark = pytest.mark.anyio

SECRET_LOOKING = "Sup3r-Secret-Value!"
CLIENT_SECRET = "clientsecret0123456789abcdefgh"  # ClientSecretType's shape
CHALLENGE = Challenge("NEW_PASSWORD_REQUIRED", "s" * 20, "alice")

# A valid value for each parameter name the admin operations use; a new name fails the test
# below until it gets one here.
VALID: dict[str, Any] = {
    "username": "alice",
    "password": "Passw0rd!",
    "permanent": True,
    "attributes": {"email": "alice@example.com"},
    "attribute_names": ["name"],
    "group_name": "staff",
    "challenge": CHALLENGE,
    "responses": {"NEW_PASSWORD": "N3w-Passw0rd!"},
}

# Each case: operation, keyword arguments, the field the error must name (optional
# parameters and the checks beyond type and emptiness).
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("admin_create_user", {"username": "a b"}, "username"),
    ("admin_create_user", {"username": "a", "attributes": {"bad name!": "x"}}, "attributes name"),
    ("admin_create_user", {"username": "a", "temporary_password": " x"}, "temporary_password"),
    ("admin_create_user", {"username": "a", "message_action": "SEND"}, "message_action"),
    (
        "admin_create_user",
        {"username": "a", "desired_delivery_mediums": "EMAIL"},
        "desired_delivery_mediums",
    ),
    (
        "admin_create_user",
        {"username": "a", "desired_delivery_mediums": ["FAX"]},
        "desired_delivery_mediums",
    ),
    ("admin_create_user", {"username": "a", "force_alias_creation": 1}, "force_alias_creation"),
    ("list_users", {"filter": "email = ann"}, "filter"),
    ("list_users", {"filter": 'custom:team = "x"'}, "filter"),
    ("list_users", {"filter": 'email = "' + "x" * 300 + '"'}, "filter"),
    ("list_users", {"attributes_to_get": "email"}, "attributes_to_get"),
    ("list_users", {"limit": 61}, "limit"),
    ("list_users", {"limit": 0}, "limit"),
    (
        "admin_set_user_password",
        {"username": "a", "password": "p", "permanent": "yes"},
        "permanent",
    ),
    ("admin_update_user_attributes", {"username": "a", "attributes": {}}, "attributes"),
    ("admin_delete_user_attributes", {"username": "a", "attribute_names": []}, "attribute_names"),
    ("create_group", {"group_name": "a", "precedence": -1}, "precedence"),
    ("create_group", {"group_name": "a", "precedence": True}, "precedence"),
    ("create_group", {"group_name": "a", "role_arn": "admins"}, "role_arn"),
    ("create_group", {"group_name": "a", "description": "x" * 2049}, "description"),
    ("create_group", {"group_name": "a b"}, "group_name"),
    ("list_groups", {"limit": 100}, "limit"),
    ("admin_list_devices", {"username": "a", "limit": -1}, "limit"),
    ("admin_list_user_auth_events", {"username": "a", "limit": 1.5}, "limit"),
    ("admin_list_groups_for_user", {"username": "", "limit": 5}, "username"),
    ("list_users_in_group", {"group_name": "", "limit": 5}, "group_name"),
    (
        "admin_respond_to_auth_challenge",
        {"challenge": CHALLENGE, "responses": {"NEW_PASSWORD": 5}},
        "responses",
    ),
    (
        "admin_respond_to_auth_challenge",
        {"challenge": Challenge("X", "short", "alice"), "responses": {"A": "b"}},
        "challenge",
    ),
]


def _admin() -> AsyncUserPoolAdmin:
    # Port 9 (discard): were a request sent, it could not succeed; none is.
    return AsyncUserPoolAdmin(
        "us-east-1_abc",
        client_id="client1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="AKID",
        aws_secret_access_key=SECRET_LOOKING,
    )


async def _run(admin: AsyncUserPoolAdmin, name: str, kwargs: dict[str, Any]) -> object:
    """Call one operation; a listing is iterated to its first item, where its checks run."""
    result = getattr(admin, name)(**kwargs)
    if isinstance(result, AsyncIterator):
        return await result.__anext__()
    return await result


def _required(name: str) -> list[str]:
    params = list(inspect.signature(getattr(AsyncUserPoolAdmin, name)).parameters.values())[1:]
    return [p.name for p in params if p.default is inspect.Parameter.empty]


REQUIRED = [(op.name, p) for op in ADMIN_OPERATIONS for p in _required(op.name)]


@pytest.mark.parametrize(("name", "param"), REQUIRED, ids=[f"{n}-{p}" for n, p in REQUIRED])
@pytest.mark.parametrize("bad", [5, ["x"], ""], ids=["int", "list", "empty"])
async def test_every_required_parameter_is_checked(name: str, param: str, bad: object) -> None:
    """For every required parameter of every admin operation (read from the signatures), a
    wrong value with all others valid fails before any request, naming that parameter."""
    assert param in VALID, f"give {param} a valid value in VALID"
    kwargs = {p: VALID[p] for p in _required(name)}
    # A list of names is what attribute_names takes: a list holding a bad one is bad.
    kwargs[param] = ["bad name!"] if (param, bad) == ("attribute_names", ["x"]) else bad
    admin = _admin()
    with pytest.raises(InvalidParameterError) as info:
        await _run(admin, name, kwargs)
    assert info.value.field is not None
    assert info.value.field.split(" ")[0] == param
    assert admin._client is None  # opened on the first request: none was sent
    await admin.aclose()


@pytest.mark.parametrize(("name", "kwargs", "field"), CASES)
async def test_bad_input_fails_before_any_request(
    name: str, kwargs: dict[str, Any], field: str
) -> None:
    """Bad optional values and values beyond the published limits are refused first too."""
    admin = _admin()
    with pytest.raises(InvalidParameterError) as info:
        await _run(admin, name, kwargs)
    assert info.value.field == field
    assert SECRET_LOOKING not in str(info.value)
    assert admin._client is None
    await admin.aclose()


def test_every_operation_has_a_case_or_required_parameters() -> None:
    """No admin operation escapes this suite: each has a case above or required parameters
    the derived test checks."""
    covered = {name for name, _, _ in CASES} | {name for name, _ in REQUIRED}
    assert covered == {op.name for op in ADMIN_OPERATIONS}


def test_operations_are_keyword_only_and_named_after_aws() -> None:
    """Each is AWS's operation name in snake_case, keyword-only, with a blocking twin that
    has the same parameters (listings: a plain iterator)."""
    from botocore import xform_name
    from botocore.session import get_session

    model = get_session().get_service_model("cognito-idp")
    aws = {xform_name(name) for name in model.operation_names}
    for op in ADMIN_OPERATIONS:
        assert op.name in aws, op.name
        method = getattr(AsyncUserPoolAdmin, op.name)
        params = list(inspect.signature(method).parameters.values())[1:]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params), op.name
        twin = getattr(UserPoolAdmin, op.name)
        assert list(inspect.signature(twin).parameters) == list(
            inspect.signature(method).parameters
        ), op.name
        assert twin.__qualname__ == f"UserPoolAdmin.{op.name}"


async def test_sign_in_needs_an_app_client() -> None:
    """admin_initiate_auth without client_id says what to give, before any request."""
    admin = AsyncUserPoolAdmin("us-east-1_abc", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(InvalidParameterError) as info:
        await admin.admin_initiate_auth(username="alice", password="Passw0rd!")
    assert info.value.field == "client_id"
    assert admin._client is None
    await admin.aclose()


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"aws_access_key_id": "AKID"}, "aws_access_key_id"),
        ({"aws_secret_access_key": "s"}, "aws_access_key_id"),
        ({"aws_session_token": "t"}, "aws_session_token"),
        ({"client_secret": "s"}, "client_secret"),
        ({"client_id": "bad id"}, "client_id"),
        ({"aws_access_key_id": "", "aws_secret_access_key": "s"}, "aws_access_key_id"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"read_timeout": float("nan")}, "read_timeout"),
        ({"endpoint_url": "ftp://x"}, "endpoint_url"),
        ({"region": "Europe"}, "region"),
    ],
)
def test_options_are_checked(options: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        AdminConfig("us-east-1_abc", **options)
    assert info.value.field == field


def test_secrets_stay_out_of_repr() -> None:
    """Neither the client secret nor the credentials show in a repr."""
    admin = AsyncUserPoolAdmin(
        "us-east-1_abc",
        client_id="client1",
        client_secret=CLIENT_SECRET,
        aws_access_key_id="AKIDVISIBLE",
        aws_secret_access_key=SECRET_LOOKING,
        aws_session_token=SECRET_LOOKING,
    )
    for text in (repr(admin), repr(admin.config), repr(UserPoolAdmin.from_config(admin.config))):
        assert SECRET_LOOKING not in text
        assert CLIENT_SECRET not in text
        assert "AKIDVISIBLE" not in text
    assert "credentials=***" in repr(admin)


def test_from_env_reads_the_pool_and_leaves_credentials_to_botocore() -> None:
    config = AdminConfig.from_env(
        {"COGNITO_USER_POOL_ID": "eu-west-1_abc", "COGNITO_CLIENT_ID": "c1"}
    )
    assert (config.user_pool_id, config.client_id, config.region) == (
        "eu-west-1_abc",
        "c1",
        "eu-west-1",
    )
    assert config.credentials() == {}
    with pytest.raises(InvalidParameterError):
        AdminConfig.from_env({})
