"""Signing one session out (revoke_token), deleting the account (delete_user) and sending an
attribute's code again (get_user_attribute_verification_code), against the strict local
Cognito, on the async core and, more briefly, the blocking and callback surfaces."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_user_pool import (
    AsyncUserPool,
    CallbackUserPool,
    CodeDeliveryDetails,
    CognitoError,
    InvalidParameterError,
    NotAuthorizedError,
    RefreshToken,
    SessionExpiredError,
    Tokens,
    UserNotFoundError,
    UserPool,
    UserSession,
)

from ..shims._helpers import call
from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio


async def _login(pool: AsyncUserPool, username: str) -> Tokens:
    result = await pool.login(username=username, password=PASSWORD)
    assert isinstance(result, Tokens), result
    return result


async def _refused(pool: AsyncUserPool, tokens: Tokens) -> None:
    """Both the access token and the refresh token of ``tokens`` are refused."""
    with pytest.raises(NotAuthorizedError):
        await pool.profile(auth=tokens.access_token)
    with pytest.raises(NotAuthorizedError):
        await pool.refresh_session(
            refresh_token=tokens.refresh_token or "", id_token=tokens.id_token
        )


async def test_revoke_token_signs_out_one_session_only(backend: Backend) -> None:
    """RevokeToken ends one session (its refresh token and its access tokens, including one
    refreshed from it) while another session of the same user stays valid."""
    backend.create_confirmed_user("alice")
    async with backend.pool() as pool:
        phone, laptop = await _login(pool, "alice"), await _login(pool, "alice")
        refreshed = await pool.refresh_session(refresh_token=phone.refresh_token or "")
        await pool.revoke_token(auth=phone)
        await _refused(pool, phone)
        with pytest.raises(NotAuthorizedError):
            await pool.profile(auth=refreshed.access_token)
        assert (await pool.profile(auth=laptop)).get("sub")
        await pool.refresh_session(refresh_token=laptop.refresh_token or "")
        await pool.revoke_token(auth=phone)  # again: nothing left to revoke, no error


async def test_revoke_token_takes_a_refresh_token_and_a_session(backend: Backend) -> None:
    """A RefreshToken alone is revoked; a UserSession is revoked and marked signed out,
    while logout (GlobalSignOut) would have ended both sessions."""
    backend.create_confirmed_user("alice")
    async with backend.pool() as pool:
        first, second = await _login(pool, "alice"), await _login(pool, "alice")
        await pool.revoke_token(auth=RefreshToken(first.refresh_token or ""))
        await _refused(pool, first)
        session = UserSession(pool, second)
        third = await _login(pool, "alice")
        await pool.revoke_token(auth=session)
        assert session.signed_out
        with pytest.raises(SessionExpiredError):
            await session.access_token()
        await _refused(pool, second)
        await pool.profile(auth=third)
        await session.revoke()  # idempotent


async def test_revoke_token_needs_a_refresh_token(backend: Backend) -> None:
    """An access token alone, or Tokens without a refresh token, is refused before any
    request: RevokeToken revokes refresh tokens."""
    backend.create_confirmed_user("alice")
    async with backend.pool() as pool:
        tokens = await _login(pool, "alice")
        for auth in (tokens.access_token, Tokens(tokens.access_token, tokens.id_token, None, 0, 0)):
            with pytest.raises(InvalidParameterError) as info:
                await pool.revoke_token(auth=auth)
            assert info.value.field == "auth"
            assert tokens.access_token not in str(info.value)
        await pool.profile(auth=tokens)  # nothing was revoked


async def test_revoke_token_sends_the_client_secret(backend_with_secret: Backend) -> None:
    """With an app client secret, RevokeToken gets it (the local Cognito refuses the request
    without it); a pool with a wrong secret is refused."""
    backend_with_secret.create_confirmed_user("alice")
    async with backend_with_secret.pool() as pool:
        tokens = await _login(pool, "alice")
    wrong = backend_with_secret.pool(client_secret="x" * 51)
    async with wrong:
        with pytest.raises(NotAuthorizedError):
            await wrong.revoke_token(auth=tokens)
    async with backend_with_secret.pool() as pool:
        await pool.profile(auth=tokens)
        await pool.revoke_token(auth=tokens)
        await _refused(pool, tokens)


async def test_delete_user_removes_the_user(backend: Backend) -> None:
    """DeleteUser removes the account: it cannot sign in, and its tokens are refused."""
    backend.create_confirmed_user("alice")
    async with backend.pool() as pool:
        tokens = await _login(pool, "alice")
        await pool.delete_user(auth=tokens)
        with pytest.raises(UserNotFoundError):
            await pool.login(username="alice", password=PASSWORD)
        with pytest.raises(NotAuthorizedError):
            await pool.profile(auth=tokens.access_token)
        with pytest.raises(NotAuthorizedError):
            await pool.delete_user(auth=tokens)
    admin = backend.admin
    with pytest.raises(admin.exceptions.UserNotFoundException):
        admin.admin_get_user(UserPoolId=backend.user_pool_id, Username="alice")


async def test_the_attribute_code_is_sent_again(backend: Backend) -> None:
    """GetUserAttributeVerificationCode sends a new code (the outbox has it), replaces the
    old one, and the new one verifies the attribute."""
    backend.create_confirmed_user("alice", email="alice@example.com", email_verified="false")
    async with backend.pool() as pool:
        tokens = await _login(pool, "alice")
        outbox = backend.outbox
        first = await pool.get_user_attribute_verification_code(auth=tokens, attribute="email")
        assert first == CodeDeliveryDetails(
            destination="a***@e***", delivery_medium="EMAIL", attribute_name="email"
        )
        old = backend.code("alice", "verify_attribute")
        again = await pool.get_user_attribute_verification_code(auth=tokens, attribute="email")
        assert again == first
        new = backend.code("alice", "verify_attribute")
        assert len(outbox.messages(username="alice", purpose="verify_attribute")) == 2
        if old != new:
            with pytest.raises(CognitoError):
                await pool.profile_attribute_confirm(
                    auth=tokens, attribute="email", confirmation_code=old
                )
        await pool.profile_attribute_confirm(auth=tokens, attribute="email", confirmation_code=new)
        assert (await pool.profile(auth=tokens)).get("email_verified") == "true"
        with pytest.raises(InvalidParameterError):
            await pool.get_user_attribute_verification_code(auth=tokens, attribute="phone_number")


def _node_data(pool: AsyncUserPool) -> dict[str, Any]:
    config = pool.config
    return {
        "UserPoolId": config.user_pool_id,
        "ClientId": config.client_id,
        "endpoint": config.endpoint_url,
    }


def test_blocking_and_callback_surfaces(backend: Backend) -> None:
    """UserPool revokes one session and deletes the user; CallbackUserPool resends a code
    (Node's ``{CodeDeliveryDetails}`` shape) and revokes with ``refreshToken``."""
    backend.create_confirmed_user("bo", email="bo@example.com", email_verified="false")
    config = backend.pool().config
    with UserPool.from_config(config) as pool:
        one = pool.login(username="bo", password=PASSWORD)
        two = pool.login(username="bo", password=PASSWORD)
        assert isinstance(one, Tokens) and isinstance(two, Tokens)
        pool.revoke_token(auth=one)
        with pytest.raises(NotAuthorizedError):
            pool.profile(auth=one.access_token)
        pool.profile(auth=two)
    with CallbackUserPool(_node_data(backend.pool()), max_attempts=1) as wrapper:
        err, data = call(
            wrapper.getUserAttributeVerificationCode,
            {
                "accessToken": two.access_token,
                "attribute": "email",
            },
        )
        assert err is None, err
        assert data == {
            "CodeDeliveryDetails": {
                "AttributeName": "email",
                "DeliveryMedium": "EMAIL",
                "Destination": "b***@e***",
            }
        }
        err, data = call(wrapper.revokeToken, {"accessToken": two.access_token})
        assert isinstance(err, InvalidParameterError)
        err, data = call(wrapper.revokeToken, {"refreshToken": two.refresh_token})
        assert (err, data) == (None, "SUCCESS")
        # The whole tokens object Node code holds (login's data) works as well.
        login = call(wrapper.login, {"username": "bo", "password": PASSWORD})[1]
        held = {k: login[k] for k in ("accessToken", "idToken", "refreshToken")}
        assert call(wrapper.revokeToken, held) == (None, "SUCCESS")
        err, _ = call(wrapper.refreshSession, {"refreshToken": login["refreshToken"]})
        assert err is not None and err.code == "NotAuthorizedException"
    with UserPool.from_config(config) as pool:
        three = pool.login(username="bo", password=PASSWORD)
        assert isinstance(three, Tokens)
        pool.delete_user(auth=three)
        with pytest.raises(UserNotFoundError):
            pool.login(username="bo", password=PASSWORD)
