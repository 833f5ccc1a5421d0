"""TokenVerifier's key fetches where the mutation run (``nox -s mutate -- verifier``) found no
test: a key set of exactly the size limit, the debug line for a key it skips, a caller giving
up while another task fetches, and what a fetch cut short (cancelled, interrupted) leaves of
the refetch rate limit."""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType

import anyio
import pytest

from cognito_user_pool import JwksFetchError, TokenVerifier, UnknownKeyIdError
from tests.tokens.conftest import (
    KEY,
    NEW_KEY,
    NOW,
    Clock,
    JwksServer,
    claims,
    clock,
    jwks_server,
    make_verifier,
    sign,
    verifier,
)

__all__ = ["clock", "jwks_server", "make_verifier", "verifier"]

pytestmark = pytest.mark.anyio

# The largest key set accepted, as documented with the verifier (256 KiB).
LIMIT = 256 * 1024


def _padded_jwks(size: int) -> bytes:
    """The test key set, followed by spaces up to ``size`` bytes (JSON allows them)."""
    document = json.dumps({"keys": [KEY.as_dict(private=False)]}).encode()
    return document + b" " * (size - len(document))


async def test_a_jwks_of_exactly_the_limit_is_accepted(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """The limit is inclusive: a key set of 256 KiB to the byte is read; one byte more is
    refused as too large."""
    jwks_server.body = _padded_jwks(LIMIT)
    assert (await make_verifier().verify(sign(claims()))).sub == claims()["sub"]
    jwks_server.body = _padded_jwks(LIMIT + 1)
    with pytest.raises(JwksFetchError) as info:
        await make_verifier().verify(sign(claims()))
    assert info.value.message == f"the JWKS at {jwks_server.url} is too large"


async def test_a_skipped_key_is_logged_with_the_reason(
    make_verifier: Callable[..., TokenVerifier],
    jwks_server: JwksServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An RSA key the verifier cannot read is skipped (the others still serve), and the
    debug log says why by the error's type: the one clue to a key set that lost a key."""
    broken = {"kty": "RSA", "kid": "broken", "use": "sig"}  # no modulus, no exponent
    jwks_server.body = json.dumps({"keys": [broken, KEY.as_dict(private=False)]}).encode()
    with caplog.at_level(logging.DEBUG, logger="cognito_user_pool"):
        assert (await make_verifier().verify(sign(claims()))).sub == claims()["sub"]
    skipped = [r.getMessage() for r in caplog.records if "unreadable" in r.getMessage()]
    assert skipped == ["skipping an unreadable JWKS key (KeyParameterError)"]


async def test_a_caller_waiting_for_another_tasks_fetch_can_give_up(
    verifier: TokenVerifier, jwks_server: JwksServer
) -> None:
    """While one request fetches the keys from a slow server, another one of the same event
    loop that waits for that fetch can still be cancelled (its client hung up, its own
    timeout passed): it stops waiting at once, not when the fetch ends."""
    jwks_server.delay = 0.8
    token = sign(claims())
    order: list[str] = []

    async def fetching() -> None:
        await verifier.verify(token)
        order.append("fetched")

    async def impatient() -> None:
        await anyio.sleep(0.05)  # the other task holds the fetch by now
        with anyio.move_on_after(0.1):
            await verifier.verify(token)
            order.append("verified while waiting")
        order.append("gave up")

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(fetching)
        tasks.start_soon(impatient)
    assert order == ["gave up", "fetched"]
    assert jwks_server.requests == 1


# -- a fetch cut short leaves the rate limit as the last finished fetch left it ---------
#
# The scenario of both tests: keys fetched at NOW; a minute later a token signed with a new
# key comes, and its fetch is cut short; then the clock steps back (an NTP correction) to 5 s
# after the finished fetch. The fetch that never finished does not count, and must not make
# the verifier forget the one that did: within the refetch interval (10 s) of it, the new
# kid is refused without another request.

ROTATED = sign(claims(), key=NEW_KEY, kid="test-key-2")


async def test_a_cancelled_fetch_keeps_the_last_fetchs_rate_limit(
    verifier: TokenVerifier, jwks_server: JwksServer, clock: Clock
) -> None:
    """The async path, its task cancelled (a client hung up) while the slow server
    answers."""
    await verifier.verify(sign(claims()))
    jwks_server.serve(KEY, NEW_KEY)
    jwks_server.delay = 0.5
    clock.now = NOW + 60
    with anyio.move_on_after(0.1):
        await verifier.verify(ROTATED)
    jwks_server.delay = 0
    clock.now = NOW + 5
    with pytest.raises(UnknownKeyIdError):
        await verifier.verify(ROTATED)
    # The cancelled request may not have reached the server under load; the refused one
    # never does.
    assert jwks_server.requests <= 2


@pytest.fixture
def interrupt_after() -> Iterator[Callable[[float], None]]:
    """Raise KeyboardInterrupt in the main thread after some seconds, as Ctrl-C would (by
    SIGALRM, whose handler and timer, pytest-timeout's, are given back afterwards)."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    def arm(seconds: float) -> None:
        signal.setitimer(signal.ITIMER_REAL, seconds)

    started = time.monotonic()
    previous_timer = signal.getitimer(signal.ITIMER_REAL)
    previous_handler = signal.signal(signal.SIGALRM, interrupt)
    try:
        yield arm
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if previous_handler is not None:
            signal.signal(signal.SIGALRM, previous_handler)
        delay, interval = previous_timer
        if delay:
            left = max(delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, interval)


def test_an_interrupted_blocking_fetch_keeps_the_last_fetchs_rate_limit(
    verifier: TokenVerifier,
    jwks_server: JwksServer,
    clock: Clock,
    interrupt_after: Callable[[float], None],
) -> None:
    """The blocking path, interrupted by Ctrl-C while it waits for the slow server."""
    verifier.verify_sync(sign(claims()))
    jwks_server.serve(KEY, NEW_KEY)
    jwks_server.delay = 0.5
    clock.now = NOW + 60
    interrupt_after(0.1)
    with pytest.raises(KeyboardInterrupt):
        verifier.verify_sync(ROTATED)
    jwks_server.delay = 0
    clock.now = NOW + 5
    with pytest.raises(UnknownKeyIdError):
        verifier.verify_sync(ROTATED)
    assert jwks_server.requests <= 2
