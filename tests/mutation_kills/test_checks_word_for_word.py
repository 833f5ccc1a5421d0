"""Checks of parameters and answers, word for word, where mutation found no test reading
them: page sizes, precedence, ListUsers filters, attribute lists, phone numbers, sessions,
durations, the admin and pool configurations, auth of the wrong kind, the admin client's page
loop, MFA settings, and the pool's small memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cognito_user_pool import (
    AdminConfig,
    AsyncUserPoolAdmin,
    InvalidParameterError,
    PoolConfig,
    UnexpectedResponseError,
)
from cognito_user_pool import _validate as v
from cognito_user_pool._admin.users import check_filter
from cognito_user_pool._flows._base import LruMemory

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("check", "field", "message"),
    [
        (lambda: v.page_size("x"), "page_size", "page_size must be an integer >= 1 and <= 60"),
        (lambda: v.page_size(0, "limit"), "limit", "limit must be an integer >= 1 and <= 60"),
        (lambda: v.page_size(61), "page_size", "page_size must be at most 60"),
        (
            lambda: v.page_size(21, "limit", "ListWebAuthnCredentials"),
            "limit",
            "limit must be at most 20",
        ),
        (lambda: v.precedence(-1), "precedence", "precedence must be an integer >= 0"),
        (lambda: v.user_filter(5), "filter", None),
        (
            lambda: check_filter('email = x"'),
            "filter",
            'filter must read name = "value" or name ^= "prefix" (a quotation mark in the '
            'value escaped as \\")',
        ),
        (
            lambda: check_filter('address = "x"'),
            "filter",
            "filter: Cognito can filter users on cognito:user_status, email, family_name, "
            "given_name, name, phone_number, preferred_username, status, sub, username only",
        ),
        (lambda: check_filter(5), "filter", None),
        (lambda: check_filter(5, "where"), "where", None),
        (
            lambda: v.password("ab\ud800"),
            "password",
            "password must be Unicode text (it holds a lone surrogate)",
        ),
        *(
            (check, "endpoint_url", "endpoint_url must be an http:// or https:// URL")
            for check in (
                lambda: PoolConfig(
                    user_pool_id="us-east-1_a", client_id="c1", endpoint_url="ftp://h"
                ),
                lambda: AdminConfig(user_pool_id="us-east-1_a", endpoint_url=5),  # type: ignore[arg-type]
            )
        ),
        (
            lambda: PoolConfig(
                user_pool_id="us-east-1_a",
                client_id="c1",
                refresh_token_rotation="yes",  # type: ignore[arg-type]
            ),
            "refresh_token_rotation",
            "refresh_token_rotation must be True, False or None (detect it)",
        ),
        (
            lambda: PoolConfig(user_pool_id="no-region", client_id="c1"),
            "user_pool_id",
            "user_pool_id must look like '<region>_<id>', for example 'us-east-1_AbC123'",
        ),
    ],
)
def test_each_refusal_names_its_field_and_range(
    check: Callable[[], object], field: str, message: str | None
) -> None:
    with pytest.raises(InvalidParameterError) as info:
        check()
    assert info.value.field == field
    if message is not None:
        assert info.value.message == message


def test_page_sizes_at_the_edges_pass() -> None:
    assert v.page_size(1) == 1
    assert v.page_size(60) == 60
    assert v.page_size(20, "limit", "ListWebAuthnCredentials") == 20


async def _listed(answers: list[dict[str, Any]]) -> tuple[list[Any], list[dict[str, Any]]]:
    admin = AsyncUserPoolAdmin("us-east-1_abc", endpoint_url="http://127.0.0.1:9")
    sent: list[dict[str, Any]] = []

    async def fake_call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append(params)
        assert len(sent) <= 5, "the listing did not stop"
        return answers[min(len(sent), len(answers)) - 1]

    admin._call = fake_call  # type: ignore[method-assign]
    found: list[Any] = []
    try:
        async for user in admin.list_users():
            found.append(user)
    finally:
        await admin.aclose()
    return found, sent


async def test_an_admin_listing_refuses_a_page_that_is_not_a_list() -> None:
    with pytest.raises(UnexpectedResponseError) as info:
        await _listed([{"Users": {"Username": "alice"}}])
    assert info.value.message == "ListUsers: Users is not a list"


async def test_an_admin_listing_stops_at_a_repeated_page_token() -> None:
    page = {"Users": [{"Username": "alice"}], "PaginationToken": "same"}
    with pytest.raises(UnexpectedResponseError) as info:
        await _listed([page])
    assert info.value.message == "ListUsers: Cognito repeated a page token"


async def test_an_admin_listing_follows_each_new_page_token() -> None:
    users, sent = await _listed(
        [
            {"Users": [{"Username": "alice"}], "PaginationToken": "p2"},
            {"Users": [{"Username": "bob"}]},
        ]
    )
    assert [user.username for user in users] == ["alice", "bob"]
    assert "PaginationToken" not in sent[0]
    assert sent[1]["PaginationToken"] == "p2"


def test_the_memory_pops_one_key() -> None:
    memory: LruMemory[str, str] = LruMemory(4)
    memory.put("a", "alice")
    memory.put("b", "bob")
    assert memory.pop("a") == "alice"
    assert memory.get("a") is None
    assert memory.get("b") == "bob"
    assert memory.pop("missing") is None


@pytest.mark.parametrize(
    ("response", "enabled"),
    [
        (
            {"MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]},
            ("SMS_MFA",),
        ),
        ({"MFAOptions": [{"DeliveryMedium": "SMS"}, {"DeliveryMedium": "SMS"}]}, ("SMS_MFA",)),
        (
            {
                "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
                "MFAOptions": [{"DeliveryMedium": "SMS"}],
            },
            ("SOFTWARE_TOKEN_MFA",),
        ),
        ({"MFAOptions": [{"DeliveryMedium": "EMAIL"}]}, None),
        ({}, None),
    ],
)
def test_mfa_settings_read_the_legacy_options_only_as_a_fallback(
    response: dict[str, Any], enabled: tuple[str, ...] | None
) -> None:
    from cognito_user_pool._flows.mfa import mfa_settings

    settings = mfa_settings(response)
    assert (settings.enabled if settings else None) == enabled
    if settings is not None:
        assert settings.preferred is None


async def test_admin_create_user_answered_without_the_user_is_unexpected() -> None:
    admin = AsyncUserPoolAdmin("us-east-1_abc", endpoint_url="http://127.0.0.1:9")

    async def fake_call(operation: str, /, **params: Any) -> dict[str, Any]:
        return {"User": "alice"}

    admin._call = fake_call  # type: ignore[method-assign]
    with pytest.raises(UnexpectedResponseError) as info:
        await admin.admin_create_user(username="alice")
    assert info.value.message == "Cognito answered AdminCreateUser without the user"
    await admin.aclose()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("+1234567890123456", "phone_number must be at most 16 characters"),
        ("12345", "phone_number must be in E.164 form, for example +14155550100"),
    ],
)
def test_a_phone_number_is_e164_of_at_most_16_characters(value: str, message: str) -> None:
    assert v.phone_number("+123456789012345") == "+123456789012345"
    with pytest.raises(InvalidParameterError) as info:
        v.phone_number(value)
    assert (info.value.field, info.value.message) == ("phone_number", message)


def test_admin_config_checks_the_app_clients_secret() -> None:
    cases = [
        (
            {"client_id": "c1", "client_secret": "bad"},
            "client_secret must be the app client's secret as Cognito made it: 24 to 64 "
            "letters, digits, '_' or '+' (or None)",
        ),
        (
            {"client_secret": "secret0123456789abcdefghij"},
            "client_secret is the secret of an app client: give client_id too",
        ),
    ]
    for options, message in cases:
        with pytest.raises(InvalidParameterError) as info:
            AdminConfig("eu-west-1_abc", **options)  # type: ignore[arg-type]
        assert (info.value.field, info.value.message) == ("client_secret", message)


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        (
            {"aws_access_key_id": "AKID"},
            "aws_access_key_id",
            "give aws_access_key_id and aws_secret_access_key together, or neither (then "
            "botocore's usual chain finds the credentials)",
        ),
        (
            {"aws_secret_access_key": "key"},
            "aws_access_key_id",
            "give aws_access_key_id and aws_secret_access_key together, or neither (then "
            "botocore's usual chain finds the credentials)",
        ),
        (
            {"aws_session_token": "token"},
            "aws_session_token",
            "aws_session_token goes with aws_access_key_id and aws_secret_access_key",
        ),
        (
            {"aws_access_key_id": "", "aws_secret_access_key": "key"},
            "aws_access_key_id",
            "aws_access_key_id must be a non-empty string of Unicode text, or None",
        ),
        (
            {"aws_access_key_id": "AKID", "aws_secret_access_key": "k\ud800"},
            "aws_secret_access_key",
            "aws_secret_access_key must be a non-empty string of Unicode text, or None",
        ),
    ],
)
def test_admin_config_wants_credentials_whole(
    options: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(InvalidParameterError) as info:
        AdminConfig("eu-west-1_abc", **options)  # type: ignore[arg-type]
    assert (info.value.field, info.value.message) == (field, message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            [
                {"Name": "email", "Value": "a@example.com"},
                {"Name": "email", "Value": "b@example.com"},
            ],
            "attributes names 'email' twice",
        ),
        (
            "email=a@example.com",
            "attributes must be a list of {'Name', 'Value'} mappings or a mapping of names "
            "to values",
        ),
        (
            [{"Name": "email", "Value": "a@example.com", "Other": 1, "More": 2}],
            "attributes[0] has unknown keys ['More', 'Other']",
        ),
    ],
)
def test_attributes_refusals_name_the_fault(value: object, message: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        v.attributes(value)
    assert (info.value.field, info.value.message) == ("attributes", message)


class _Source:
    """An AccessTokenSource whose token is ``token``."""

    def __init__(self, token: str) -> None:
        self.token = token

    async def access_token(self) -> str:
        return self.token

    async def logout(self) -> None:
        raise AssertionError("not called here")


async def test_auth_of_the_wrong_kind_is_named_with_its_type() -> None:
    from cognito_user_pool import AsyncUserPool

    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(InvalidParameterError) as info:
        await pool._access_token(7)  # type: ignore[arg-type]
    assert info.value.message == (
        "auth must be an access token (str), Tokens, a RefreshToken or a UserSession, not int"
    )
    with pytest.raises(InvalidParameterError) as info:
        await pool._access_token(_Source(""))
    assert info.value.field == "auth"
    assert await pool._access_token(_Source("a.b.c")) == "a.b.c"
    await pool.aclose()


async def test_the_owner_of_new_tokens_comes_from_their_id_token() -> None:
    """Tokens built without ``username``: the id token names the refresh token's owner; an
    id token that is not a JWT is refused under the name IdToken."""
    import base64
    import json

    from cognito_user_pool import AsyncUserPool, TokenError, Tokens

    def segment(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    id_token = f"{segment({'alg': 'RS256'})}.{segment({'cognito:username': 'alice'})}.c2ln"
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    pool._learn_owner(Tokens("a.b.c", id_token, "refresh-1", 2**40, 2**40), "typed")
    assert pool._refresh_owner("refresh-1", None, None) == "alice"
    with pytest.raises(TokenError) as info:
        pool._learn_owner(Tokens("a.b.c", "garbage", "refresh-2", 2**40, 2**40), "typed")
    assert info.value.message.startswith("IdToken ")
    await pool.aclose()


def test_a_session_has_at_least_20_characters() -> None:
    assert v.session("s" * 20) == "s" * 20
    with pytest.raises(InvalidParameterError) as info:
        v.session("s" * 19)
    assert (info.value.field, info.value.message) == (
        "login_session",
        "login_session must be at least 20 characters",
    )


def test_a_transport_count_must_be_a_positive_integer() -> None:
    with pytest.raises(InvalidParameterError) as info:
        PoolConfig("us-east-1_abc", "client1", max_pool_connections=0)
    assert (info.value.field, info.value.message) == (
        "max_pool_connections",
        "max_pool_connections must be a positive integer",
    )


def test_a_duration_says_which_numbers_it_takes() -> None:
    from cognito_user_pool._config import check_seconds

    assert check_seconds(0, "margin") == 0.0
    for value, positive, message in [
        (-1, False, "margin must be a non-negative, finite number"),
        (0, True, "margin must be a positive, finite number"),
        (float("nan"), False, "margin must be a non-negative, finite number"),
    ]:
        with pytest.raises(InvalidParameterError) as info:
            check_seconds(value, "margin", positive=positive)
        assert (info.value.field, info.value.message) == ("margin", message)
