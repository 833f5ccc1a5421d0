"""UserSession: refresh near expiry, one refresh for many callers, signed out on refusal."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from cognito_user_pool import (
    AsyncUserPool,
    InvalidParameterError,
    NetworkError,
    NotAuthorizedError,
    SessionExpiredError,
    Tokens,
    UserSession,
)

from .conftest import NOW, Clock, MotoPool

pytestmark = pytest.mark.anyio


def _tokens(n: int, expires_at: int = NOW + 3600, refresh: str | None = "refresh-1") -> Tokens:
    return Tokens(
        access_token=f"access-{n}",
        id_token=f"id-{n}",
        refresh_token=refresh,
        access_token_expires_at=expires_at,
        id_token_expires_at=expires_at,
    )


class FakePool:
    """refresh_session and logout, counted; a refresh takes a little while, like a request."""

    def __init__(self, clock: Clock, *, fail: BaseException | None = None) -> None:
        self.clock = clock
        self.fail = fail
        self.refreshes: list[dict[str, Any]] = []
        self.logouts: list[dict[str, Any]] = []
        self.validity = 3600

    async def refresh_session(self, **kwargs: Any) -> Tokens:
        self.refreshes.append(kwargs)
        await anyio.sleep(0.05)
        if self.fail is not None:
            raise self.fail
        n = len(self.refreshes) + 1
        return _tokens(n, int(self.clock()) + self.validity, kwargs["refresh_token"])

    async def logout(self, **kwargs: Any) -> None:
        self.logouts.append(kwargs)


async def test_a_valid_token_is_returned_without_a_request() -> None:
    """Far from expiry, access_token() hands out the current token and asks nothing."""
    clock = Clock()
    pool = FakePool(clock)
    session = UserSession(pool, _tokens(1), clock=clock)
    assert await session.access_token() == "access-1"
    assert await session.id_token() == "id-1"
    assert pool.refreshes == []
    assert not session.signed_out


async def test_the_token_is_refreshed_inside_the_margin() -> None:
    """At exp - margin the session refreshes with the refresh and id tokens, once."""
    clock = Clock(NOW + 3600 - 61)
    pool = FakePool(clock)
    session = UserSession(pool, _tokens(1), margin=60, clock=clock)
    assert await session.access_token() == "access-1"
    clock.now = NOW + 3600 - 60
    assert await session.access_token() == "access-2"
    assert pool.refreshes == [{"refresh_token": "refresh-1", "id_token": "id-1"}]
    assert session.tokens.access_token == "access-2"
    assert session.tokens.refresh_token == "refresh-1"
    assert await session.access_token() == "access-2"
    assert len(pool.refreshes) == 1


async def test_fifty_concurrent_callers_share_one_refresh() -> None:
    """Callers arriving during a refresh wait for it and get its token: one request."""
    clock = Clock(NOW + 3600)
    pool = FakePool(clock)
    session = UserSession(pool, _tokens(1), clock=clock)
    seen: list[str] = []

    async def caller() -> None:
        seen.append(await session.access_token())

    async with anyio.create_task_group() as tg:
        for _ in range(50):
            tg.start_soon(caller)
    assert seen == ["access-2"] * 50
    assert len(pool.refreshes) == 1


async def test_a_short_validity_does_not_refresh_in_a_loop() -> None:
    """Tokens valid for less than the margin are used once refreshed, not refreshed again
    by every waiting caller."""
    clock = Clock(NOW + 3600)
    pool = FakePool(clock)
    pool.validity = 30  # shorter than the 60 s margin
    session = UserSession(pool, _tokens(1), clock=clock)

    async def caller() -> None:
        await session.access_token()

    async with anyio.create_task_group() as tg:
        for _ in range(20):
            tg.start_soon(caller)
    assert len(pool.refreshes) == 1


async def test_a_refused_refresh_signs_the_session_out() -> None:
    """NotAuthorizedException from the refresh gives SessionExpiredError (same code), marks
    the session signed out, and later calls fail without a request."""
    clock = Clock(NOW + 3600)
    pool = FakePool(clock, fail=NotAuthorizedError("Refresh Token has been revoked"))
    session = UserSession(pool, _tokens(1), clock=clock)
    with pytest.raises(SessionExpiredError) as info:
        await session.access_token()
    assert info.value.code == "NotAuthorizedException"
    assert isinstance(info.value, NotAuthorizedError)
    assert session.signed_out
    for _ in range(3):
        with pytest.raises(SessionExpiredError):
            await session.access_token()
    assert len(pool.refreshes) == 1


async def test_concurrent_callers_all_see_the_refusal_from_one_request() -> None:
    """When the shared refresh is refused, every waiting caller fails, after one request."""
    clock = Clock(NOW + 3600)
    pool = FakePool(clock, fail=NotAuthorizedError("Refresh Token has been revoked"))
    session = UserSession(pool, _tokens(1), clock=clock)
    failures = 0

    async def caller() -> None:
        nonlocal failures
        try:
            await session.access_token()
        except SessionExpiredError:
            failures += 1

    async with anyio.create_task_group() as tg:
        for _ in range(50):
            tg.start_soon(caller)
    assert failures == 50
    assert len(pool.refreshes) == 1


async def test_a_network_failure_keeps_the_session() -> None:
    """Other refresh failures are raised as they are; the next call tries again."""
    clock = Clock(NOW + 3600)
    pool = FakePool(clock, fail=NetworkError("no answer"))
    session = UserSession(pool, _tokens(1), clock=clock)
    with pytest.raises(NetworkError):
        await session.access_token()
    assert not session.signed_out
    pool.fail = None
    assert await session.access_token() == "access-3"
    assert len(pool.refreshes) == 2


async def test_no_refresh_token_means_signed_out_at_expiry() -> None:
    """Tokens without a refresh token cannot be renewed: expiry signs the session out."""
    clock = Clock(NOW + 3600)
    pool = FakePool(clock)
    session = UserSession(pool, _tokens(1, refresh=None), clock=clock)
    with pytest.raises(SessionExpiredError):
        await session.access_token()
    assert session.signed_out
    assert pool.refreshes == []


async def test_refresh_forces_a_new_token() -> None:
    """refresh() renews the tokens even when they are far from expiry."""
    clock = Clock()
    pool = FakePool(clock)
    session = UserSession(pool, _tokens(1), clock=clock)
    assert (await session.refresh()).access_token == "access-2"
    assert len(pool.refreshes) == 1


async def test_logout_calls_the_pool_and_signs_out() -> None:
    """logout() signs out at Cognito with the current tokens, then the session is closed."""
    clock = Clock()
    pool = FakePool(clock)
    session = UserSession(pool, _tokens(1), clock=clock)
    await session.logout()
    assert pool.logouts == [{"auth": _tokens(1)}]
    assert session.signed_out
    await session.logout()  # idempotent
    assert len(pool.logouts) == 1
    with pytest.raises(SessionExpiredError):
        await session.access_token()


def test_repr_shows_no_token() -> None:
    """A session's repr tells its state and expiry, never a token."""
    session = UserSession(FakePool(Clock()), _tokens(1))
    text = repr(session)
    assert "access-1" not in text and "refresh-1" not in text and "id-1" not in text
    assert "signed in" in text


def test_arguments_are_checked() -> None:
    """Tokens must be Tokens and the margin a non-negative number."""
    with pytest.raises(InvalidParameterError) as info:
        UserSession(FakePool(Clock()), {"access_token": "x"})  # type: ignore[arg-type]
    assert info.value.field == "tokens"
    with pytest.raises(InvalidParameterError) as info:
        UserSession(FakePool(Clock()), _tokens(1), margin=-1)
    assert info.value.field == "margin"


# -- against moto -----------------------------------------------------------------------


class CountingPool(AsyncUserPool):
    """A real pool that counts the refreshes it sends to moto."""

    refreshes = 0

    async def refresh_session(self, **kwargs: Any) -> Tokens:
        self.refreshes += 1
        return await super().refresh_session(**kwargs)


def _pool(moto_pool: MotoPool) -> CountingPool:
    return CountingPool(
        moto_pool.user_pool_id,
        moto_pool.client_id,
        endpoint_url=moto_pool.endpoint_url,
        max_attempts=1,
    )


async def test_moto_refresh_is_single_flight(moto_pool: MotoPool) -> None:
    """Against moto, fifty callers of an expiring session cause one real refresh."""
    counting = _pool(moto_pool)
    async with counting as pool:
        tokens = await pool.login(username=moto_pool.username, password=moto_pool.password)
        assert isinstance(tokens, Tokens)
        clock = Clock(tokens.access_token_expires_at - 10)  # inside the 60 s margin
        session = UserSession(pool, tokens, clock=clock)
        results: list[str] = []

        async def caller() -> None:
            results.append(await session.access_token())

        async with anyio.create_task_group() as tg:
            for _ in range(50):
                tg.start_soon(caller)
        assert counting.refreshes == 1
        assert len(set(results)) == 1
        assert session.tokens.refresh_token == tokens.refresh_token
        profile = await pool.profile(auth=session)
        assert profile.username == moto_pool.username


async def test_moto_revoked_refresh_token_signs_the_session_out(moto_pool: MotoPool) -> None:
    """After a global sign-out, moto refuses the refresh token: the session is signed out
    and stays so without further requests."""
    counting = _pool(moto_pool)
    async with counting as pool:
        tokens = await pool.login(username=moto_pool.username, password=moto_pool.password)
        assert isinstance(tokens, Tokens)
        await pool.logout(auth=tokens)
        clock = Clock(tokens.access_token_expires_at)
        session = UserSession(pool, tokens, clock=clock)
        with pytest.raises(SessionExpiredError) as info:
            await session.access_token()
        assert info.value.code == "NotAuthorizedException"
        assert session.signed_out
        with pytest.raises(SessionExpiredError):
            await pool.profile(auth=session)
        assert counting.refreshes == 1


async def test_moto_session_logout(moto_pool: MotoPool) -> None:
    """session.logout() signs the user out at moto: the old access token is refused."""
    async with _pool(moto_pool) as pool:
        tokens = await pool.login(username=moto_pool.username, password=moto_pool.password)
        assert isinstance(tokens, Tokens)
        session = UserSession(pool, tokens)
        await session.logout()
        assert session.signed_out
        with pytest.raises(NotAuthorizedError):
            await pool.profile(auth=tokens)
