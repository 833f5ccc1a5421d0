"""UserSession behaviour that the mutation run (``nox -s mutate``) found no test for: the
default margin, the exact expiry boundary, repeated shared refreshes, and what each refusal
and the repr say."""

from __future__ import annotations

import anyio
import pytest

from cognito_user_pool import (
    InvalidParameterError,
    NotAuthorizedError,
    SessionExpiredError,
    UserSession,
)

from .conftest import NOW, Clock
from .test_session import FakePool, _tokens

pytestmark = pytest.mark.anyio


async def test_the_default_margin_is_sixty_seconds() -> None:
    """Without a margin, a token 60.5 s from expiry is used and one 60 s from expiry is
    refreshed."""
    clock = Clock(NOW + 3600 - 60.5)
    pool = FakePool(clock)
    session = UserSession(pool, _tokens(1), clock=clock)
    assert await session.access_token() == "access-1"
    clock.now = NOW + 3600 - 60
    assert await session.access_token() == "access-2"
    assert len(pool.refreshes) == 1


async def test_a_token_refreshed_to_expire_right_now_is_refreshed_again() -> None:
    """A waiter finding the shared refresh's token already at its expiry refreshes again."""
    clock = Clock(NOW + 3600)
    pool = FakePool(clock)
    pool.validity = 0  # Cognito's token expires the second it is handed over
    session = UserSession(pool, _tokens(1), clock=clock)
    async with anyio.create_task_group() as tasks:
        for _ in range(2):
            tasks.start_soon(session.access_token)
    assert len(pool.refreshes) == 2


async def test_forced_refreshes_are_shared_after_the_first_one_too() -> None:
    """Concurrent refresh() calls share one request on a session that already refreshed."""
    clock = Clock()
    pool = FakePool(clock)
    session = UserSession(pool, _tokens(1), clock=clock)
    await session.refresh()
    async with anyio.create_task_group() as tasks:
        for _ in range(3):
            tasks.start_soon(session.refresh)
    assert len(pool.refreshes) == 2
    assert session.tokens.access_token == "access-3"


async def test_each_refusal_says_why_the_session_ended() -> None:
    """Signed out, no refresh token and a refused refresh each have their own message."""
    clock = Clock(NOW + 3600)
    no_refresh = UserSession(FakePool(clock), _tokens(1, refresh=None), clock=clock)
    with pytest.raises(SessionExpiredError) as info:
        await no_refresh.access_token()
    assert info.value.message == "the access token expired and there is no refresh token"
    with pytest.raises(SessionExpiredError) as info:
        await no_refresh.access_token()
    assert info.value.message == "the session is signed out; log in again"

    refused = FakePool(clock, fail=NotAuthorizedError("Refresh Token has been revoked"))
    with pytest.raises(SessionExpiredError) as info:
        await UserSession(refused, _tokens(1), clock=clock).access_token()
    assert info.value.message == (
        "the refresh token was refused, so the session is signed out "
        "(Refresh Token has been revoked)"
    )


async def test_signed_out_is_a_bool_and_the_repr_follows_it() -> None:
    """signed_out is False then True, and the repr reads the state and the expiry."""
    session = UserSession(FakePool(Clock()), _tokens(1))

    def state() -> tuple[object, str]:
        return session.signed_out, repr(session)

    assert state() == (False, f"UserSession(signed in, access_token_expires_at={NOW + 3600})")
    assert type(session.signed_out) is bool
    await session.logout()
    assert state() == (True, f"UserSession(signed out, access_token_expires_at={NOW + 3600})")


def test_tokens_of_the_wrong_type_are_explained() -> None:
    """A dict instead of Tokens is refused with a message that says what to pass."""
    with pytest.raises(InvalidParameterError) as info:
        UserSession(FakePool(Clock()), {"access_token": "x"})  # type: ignore[arg-type]
    assert info.value.message == "tokens must be the Tokens that login returned"
