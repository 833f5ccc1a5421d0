"""Refresh-token rotation through the library, against the strict local Cognito: a rotating
app client is detected from its refusal of REFRESH_TOKEN_AUTH (or configured), its refresh
returns a new refresh token, the old one is refused after the grace period, and a
``UserSession`` shares one refresh among concurrent callers and keeps the newest token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from cognito_user_pool import (
    AsyncUserPool,
    CallbackUserPool,
    CognitoError,
    InvalidParameterError,
    NotAuthorizedError,
    SessionExpiredError,
    Tokens,
    UserPool,
    UserSession,
)
from cognito_user_pool.local import LocalCognito

from ..shims._helpers import call
from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio

GRACE = 20


async def _login(pool: AsyncUserPool, username: str) -> Tokens:
    result = await pool.login(username=username, password=PASSWORD)
    assert isinstance(result, Tokens), result
    return result


def _record(pool: AsyncUserPool) -> list[str]:
    """The operations ``pool`` sends from now on, in order."""
    sent: list[str] = []
    call = pool._call

    async def recording(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append(f"{operation} {params.get('AuthFlow', '')}".strip())
        return await call(operation, **params)

    pool._call = recording  # type: ignore[method-assign]
    return sent


@pytest.fixture
def rotating(make_backend: Callable[..., Backend]) -> Backend:
    """A pool whose app client rotates refresh tokens with a grace period of GRACE s."""
    backend = make_backend(refresh_token_rotation=GRACE)
    backend.create_confirmed_user("alice")
    return backend


async def test_rotation_is_detected_and_the_old_token_ends_after_grace(
    rotating: Backend, local_cognito_server: LocalCognito
) -> None:
    """By default the pool tries REFRESH_TOKEN_AUTH once, recognises the rotating client's
    refusal and refreshes with GetTokensFromRefreshToken from then on; each refresh returns
    a new refresh token; the old one works until the grace period ends."""
    async with rotating.pool() as pool:
        tokens = await _login(pool, "alice")
        sent = _record(pool)
        first = await pool.refresh_session(refresh_token=tokens.refresh_token or "")
        assert sent == ["InitiateAuth REFRESH_TOKEN_AUTH", "GetTokensFromRefreshToken"]
        assert first.refresh_token not in (None, tokens.refresh_token)
        await pool.profile(auth=first)
        second = await pool.refresh_session(refresh_token=first.refresh_token or "")
        assert sent[2:] == ["GetUser", "GetTokensFromRefreshToken"]  # detected once per pool
        assert second.refresh_token not in (None, first.refresh_token)
        local_cognito_server.advance_time(GRACE + 1)
        try:
            with pytest.raises(CognitoError) as info:
                await pool.refresh_session(refresh_token=tokens.refresh_token or "")
            assert info.value.code == "RefreshTokenReuseException"
            newest = await pool.refresh_session(refresh_token=second.refresh_token or "")
            assert newest.refresh_token != second.refresh_token
        finally:
            local_cognito_server.advance_time(-(GRACE + 1))


async def test_rotation_off_in_the_config_gets_cognitos_refusal(rotating: Backend) -> None:
    """``refresh_token_rotation=False`` sends REFRESH_TOKEN_AUTH only, and the rotating client
    refuses it."""
    async with rotating.pool(refresh_token_rotation=False) as pool:
        tokens = await _login(pool, "alice")
        with pytest.raises(InvalidParameterError, match="REFRESH_TOKEN_AUTH flow not enabled"):
            await pool.refresh_session(refresh_token=tokens.refresh_token or "")


async def test_rotation_on_in_the_config_works_for_any_client(backend: Backend) -> None:
    """``refresh_token_rotation=True`` refreshes with GetTokensFromRefreshToken straight away;
    a client that does not rotate keeps the refresh token."""
    backend.create_confirmed_user("alice")
    async with backend.pool(refresh_token_rotation=True) as pool:
        tokens = await _login(pool, "alice")
        sent = _record(pool)
        again = await pool.refresh_session(refresh_token=tokens.refresh_token or "")
        assert sent == ["GetTokensFromRefreshToken"]
        assert again.refresh_token == tokens.refresh_token
        await pool.profile(auth=again)


async def test_with_a_secret_no_id_token_is_needed(make_backend: Callable[..., Backend]) -> None:
    """GetTokensFromRefreshToken takes the client secret itself: a refresh token alone is
    enough, where REFRESH_TOKEN_AUTH would need the internal username for SECRET_HASH."""
    backend = make_backend(client_secret=True, refresh_token_rotation=GRACE)
    backend.create_confirmed_user("alice")
    async with backend.pool() as login_pool:
        tokens = await _login(login_pool, "alice")
    async with backend.pool(refresh_token_rotation=True) as pool:
        fresh = await pool.refresh_session(refresh_token=tokens.refresh_token or "")
        assert fresh.refresh_token != tokens.refresh_token
    async with backend.pool() as detecting:  # detection needs the SECRET_HASH first
        with pytest.raises(InvalidParameterError) as info:
            await detecting.refresh_session(refresh_token=tokens.refresh_token or "")
        assert info.value.field == "id_token"
        again = await detecting.refresh_session(
            refresh_token=fresh.refresh_token or "", id_token=fresh.id_token
        )
        assert again.refresh_token != fresh.refresh_token


async def test_a_session_shares_one_refresh_and_keeps_the_newest_token(
    rotating: Backend, local_cognito_server: LocalCognito
) -> None:
    """Twenty concurrent callers of a due UserSession cause one refresh; the session keeps
    the rotated refresh token and refreshes with it after the old one's grace period."""
    async with rotating.pool(refresh_token_rotation=True) as pool:
        tokens = await _login(pool, "alice")
        clock = [tokens.access_token_expires_at - 30.0]  # inside the 60 s margin: due
        session = UserSession(pool, tokens, clock=lambda: clock[0])
        sent = _record(pool)
        seen: list[str] = []

        async def caller() -> None:
            seen.append(await session.access_token())

        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(caller)
        assert sent == ["GetTokensFromRefreshToken"]
        assert len(set(seen)) == 1 and seen[0] != tokens.access_token
        rotated = session.tokens.refresh_token
        assert rotated not in (None, tokens.refresh_token)
        local_cognito_server.advance_time(GRACE + 1)
        try:
            clock[0] = session.tokens.access_token_expires_at - 30.0
            await session.access_token()  # the old token would be refused now
            assert session.tokens.refresh_token not in (rotated, tokens.refresh_token)
            stale = UserSession(pool, tokens, clock=lambda: clock[0])
            with pytest.raises(SessionExpiredError):
                await stale.access_token()
            assert stale.signed_out
        finally:
            local_cognito_server.advance_time(-(GRACE + 1))


def test_blocking_and_callback_refresh_return_the_new_refresh_token(rotating: Backend) -> None:
    """UserPool and CallbackUserPool refresh a rotating client's tokens the same way; the
    callback's data carries the new ``refreshToken``."""
    config = rotating.pool().config
    with UserPool.from_config(config) as pool:
        tokens = pool.login(username="alice", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        fresh = pool.refresh_session(refresh_token=tokens.refresh_token or "")
        assert fresh.refresh_token not in (None, tokens.refresh_token)
    data = {
        "UserPoolId": config.user_pool_id,
        "ClientId": config.client_id,
        "endpoint": config.endpoint_url,
    }
    with CallbackUserPool(data, max_attempts=1) as wrapper:
        err, out = call(wrapper.refreshSession, {"refreshToken": fresh.refresh_token})
    assert err is None, err
    assert out["refreshToken"] not in (None, fresh.refresh_token)


async def test_a_revoked_token_is_refused_by_get_tokens_from_refresh_token(
    rotating: Backend,
) -> None:
    """GetTokensFromRefreshToken refuses a revoked refresh token as REFRESH_TOKEN_AUTH does."""
    async with rotating.pool(refresh_token_rotation=True) as pool:
        tokens = await _login(pool, "alice")
        await pool.revoke_token(auth=tokens)
        with pytest.raises(NotAuthorizedError):
            await pool.refresh_session(refresh_token=tokens.refresh_token or "")
