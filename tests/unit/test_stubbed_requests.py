"""The exact requests of flows whose operations plain moto lacks, checked with AioStubber.

These pin the wire format parameter by parameter; the same flows run for real against the
strict local Cognito in tests/integration.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiobotocore.stub import AioStubber

from cognito_user_pool import AsyncUserPool, CodeDeliveryDetails, LimitExceededError
from cognito_user_pool._srp import secret_hash

pytestmark = pytest.mark.anyio

POOL_ID = "us-east-1_Stub1"
CLIENT_ID = "stubclient"
SECRET = "stubsecret0123456789abcdefgh"


@pytest.fixture
async def stubbed() -> AsyncIterator[tuple[AsyncUserPool, AioStubber]]:
    # The endpoint is never contacted: the stubber answers before any HTTP request.
    async with AsyncUserPool(
        POOL_ID, CLIENT_ID, client_secret=SECRET, endpoint_url="http://127.0.0.1:9"
    ) as pool:
        client = await pool._get_client()
        with AioStubber(client) as stubber:
            yield pool, stubber
            stubber.assert_no_pending_responses()


async def test_signup_resend_request(stubbed: tuple[AsyncUserPool, AioStubber]) -> None:
    """ResendConfirmationCode carries the client id, username and SecretHash."""
    pool, stubber = stubbed
    stubber.add_response(
        "resend_confirmation_code",
        {
            "CodeDeliveryDetails": {
                "Destination": "a***@e***",
                "DeliveryMedium": "EMAIL",
                "AttributeName": "email",
            }
        },
        expected_params={
            "ClientId": CLIENT_ID,
            "Username": "alice",
            "SecretHash": secret_hash("alice", CLIENT_ID, SECRET),
        },
    )
    delivery = await pool.signup_resend(username="alice")
    assert delivery == CodeDeliveryDetails("a***@e***", "EMAIL", "email")


async def test_profile_edit_updates_then_deletes(
    stubbed: tuple[AsyncUserPool, AioStubber],
) -> None:
    """Values are updated first, then empty or None values are deleted, in one request each."""
    pool, stubber = stubbed
    stubber.add_response(
        "update_user_attributes",
        {},
        expected_params={
            "AccessToken": "access.token.1",
            "UserAttributes": [{"Name": "name", "Value": "Alice"}],
        },
    )
    stubber.add_response(
        "delete_user_attributes",
        {},
        expected_params={
            "AccessToken": "access.token.1",
            "UserAttributeNames": ["nickname", "locale"],
        },
    )
    result = await pool.profile_edit(
        attributes=[
            {"Name": "name", "Value": "Alice"},
            {"Name": "nickname", "Value": None},
            {"Name": "locale", "Value": ""},
        ],
        auth="access.token.1",
    )
    assert result.updated == ("name",)
    assert result.deleted == ("nickname", "locale")


async def test_profile_edit_reports_partial_failure(
    stubbed: tuple[AsyncUserPool, AioStubber],
) -> None:
    """When the deletion fails after the update, the error says which step was done."""
    pool, stubber = stubbed
    stubber.add_response("update_user_attributes", {})
    stubber.add_client_error(
        "delete_user_attributes",
        service_error_code="LimitExceededException",
        service_message="slow",
    )
    with pytest.raises(LimitExceededError) as info:
        await pool.profile_edit(
            attributes={"name": "Alice", "nickname": None}, auth="access.token.1"
        )
    assert info.value.code == "LimitExceededException"
    assert info.value.done == ("UpdateUserAttributes(name)",)
    assert info.value.not_done == ("DeleteUserAttributes(nickname)",)


async def test_profile_attribute_confirm_request(
    stubbed: tuple[AsyncUserPool, AioStubber],
) -> None:
    """VerifyUserAttribute carries the access token, attribute name and code."""
    pool, stubber = stubbed
    stubber.add_response(
        "verify_user_attribute",
        {},
        expected_params={
            "AccessToken": "access.token.1",
            "AttributeName": "email",
            "Code": "123456",
        },
    )
    await pool.profile_attribute_confirm(
        attribute="email", confirmation_code="123456", auth="access.token.1"
    )


async def test_phone_removal_turns_sms_mfa_off_first(
    stubbed: tuple[AsyncUserPool, AioStubber],
) -> None:
    """Removing the phone number turns SMS MFA off, then deletes the attribute."""
    pool, stubber = stubbed
    stubber.add_response(
        "set_user_mfa_preference",
        {},
        expected_params={
            "AccessToken": "access.token.1",
            "SMSMfaSettings": {"Enabled": False, "PreferredMfa": False},
        },
    )
    stubber.add_response(
        "delete_user_attributes",
        {},
        expected_params={"AccessToken": "access.token.1", "UserAttributeNames": ["phone_number"]},
    )
    result = await pool.profile_edit_phone_number(phone_number=None, auth="access.token.1")
    assert result.deleted == ("phone_number",)


async def test_phone_removal_failure_says_mfa_is_already_off(
    stubbed: tuple[AsyncUserPool, AioStubber],
) -> None:
    """If the deletion fails, the error says SMS MFA was already turned off."""
    pool, stubber = stubbed
    stubber.add_response("set_user_mfa_preference", {})
    stubber.add_client_error("delete_user_attributes", service_error_code="InternalErrorException")
    with pytest.raises(Exception) as info:
        await pool.profile_edit_phone_number(phone_number=None, auth="access.token.1")
    assert getattr(info.value, "done", None) == ("SetUserMFAPreference(SMS off)",)
    assert getattr(info.value, "code", None) == "InternalErrorException"


async def test_refresh_uses_the_internal_username_for_secret_hash(
    stubbed: tuple[AsyncUserPool, AioStubber],
) -> None:
    """REFRESH_TOKEN_AUTH's SECRET_HASH is computed over cognito:username from the id token."""
    from joserfc import jwk, jwt

    key = jwk.RSAKey.generate_key(2048)
    id_token = jwt.encode(
        {"alg": "RS256"}, {"cognito:username": "3f1c-uuid", "exp": 2_000_000_000}, key
    )
    access = jwt.encode({"alg": "RS256"}, {"username": "3f1c-uuid", "exp": 2_000_000_000}, key)
    pool, stubber = stubbed
    stubber.add_response(
        "initiate_auth",
        {"AuthenticationResult": {"AccessToken": access, "IdToken": id_token, "ExpiresIn": 3600}},
        expected_params={
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": CLIENT_ID,
            "AuthParameters": {
                "REFRESH_TOKEN": "refresh-1",
                "SECRET_HASH": secret_hash("3f1c-uuid", CLIENT_ID, SECRET),
            },
        },
    )
    tokens = await pool.refresh_session(refresh_token="refresh-1", id_token=id_token)
    assert tokens.refresh_token == "refresh-1"
