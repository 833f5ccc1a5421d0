"""TokenVerifier's options where the mutation run (``nox -s mutate -- verifier``) found no test
reading them: what an unusable option is refused with (message and field, for the
constructor and for one call's policy), that ``check=None`` on a call drops the verifier's
custom check, what ``help()`` shows as the policy overrides' default, and the default
``jwks_timeout``'s effect."""

from __future__ import annotations

import asyncio
import inspect
import math
import socket
from collections.abc import Callable
from typing import Any

import pytest

from cognito_user_pool import (
    InvalidParameterError,
    JwksFetchError,
    TokenVerifier,
    VerifiedClaims,
)
from tests.tokens.conftest import (
    CLIENT_ID,
    POOL_ID,
    claims,
    clock,
    jwks_server,
    make_verifier,
    sign,
)

__all__ = ["clock", "jwks_server", "make_verifier"]

pytestmark = pytest.mark.anyio


async def _refuse_all(claims: VerifiedClaims) -> bool:
    return False


# -- refused options: the message says which option, and `field` names it ---------------


@pytest.mark.parametrize(
    ("options", "message", "field"),
    [
        ({"check": "not callable"}, "check must be an async function", "check"),
        (
            {"revocation": object()},
            "revocation must have an async check(claims, token) method",
            "revocation",
        ),
        ({"groups": [""]}, "groups must be non-empty strings", "groups"),
        ({"groups": ["staff", 3]}, "groups must be non-empty strings", "groups"),
        ({"scopes": ""}, "scopes must be non-empty strings", "scopes"),
        ({"scopes": [b"orders/read"]}, "scopes must be non-empty strings", "scopes"),
    ],
    ids=["check", "revocation", "empty group", "group not a string", "empty scope", "bytes"],
)
def test_an_unusable_constructor_option_is_named(
    options: dict[str, Any], message: str, field: str
) -> None:
    """A form or an API that reports the bad field reads ``field``; a person reads the
    message. An empty name or a non-string one (a number, bytes) is refused, not stored as
    a requirement no token could meet."""
    with pytest.raises(InvalidParameterError) as info:
        TokenVerifier(POOL_ID, CLIENT_ID, **options)
    assert (info.value.message, info.value.field) == (message, field)


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"check": 42}, "check must be an async function", "check"),
        ({"groups": [""]}, "groups must be non-empty strings", "groups"),
        ({"groups": [7]}, "groups must be non-empty strings", "groups"),
        ({"scopes": ["", "orders/read"]}, "scopes must be non-empty strings", "scopes"),
    ],
    ids=["check", "empty group", "group not a string", "empty scope"],
)
def test_an_unusable_policy_override_is_named(
    overrides: dict[str, Any], message: str, field: str
) -> None:
    """One call's groups, scopes and check are refused as the constructor's are, before the
    token is even read (nothing is fetched: the verifier has no reachable JWKS)."""
    verifier = TokenVerifier(POOL_ID, CLIENT_ID, jwks_url="http://127.0.0.1:9/jwks.json")
    with pytest.raises(InvalidParameterError) as info:
        verifier.verify_sync("not even a token", **overrides)
    assert (info.value.message, info.value.field) == (message, field)


async def test_check_none_on_a_call_drops_the_verifiers_check(
    make_verifier: Callable[..., TokenVerifier],
) -> None:
    """``check=None`` means "no custom check for this call" (as ``groups=None`` does for
    groups): it is not an unusable check, and the verifier's own is not called."""
    verifier = make_verifier(check=_refuse_all)
    token = sign(claims())
    assert (await verifier.verify(token, check=None)).sub == claims()["sub"]
    assert verifier.verify_sync(token, check=None).sub == claims()["sub"]


# -- defaults ---------------------------------------------------------------------------


def test_help_shows_the_policy_overrides_default_as_unset() -> None:
    """``help(verifier.verify)`` shows ``groups=... = UNSET``: the name of the marker that
    means "the verifier's own policy", not an object's address."""
    for method in (TokenVerifier.verify, TokenVerifier.verify_sync):
        parameters = inspect.signature(method).parameters
        for name in ("groups", "scopes", "check"):
            assert repr(parameters[name].default) == "UNSET"


class _FastForwardLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock the test moves forward, so that the seconds aiohttp's
    timeout counts (on the loop's clock) pass at once."""

    skew = 0.0

    def time(self) -> float:
        return super().time() + self.skew

    def jump_to(self, when: float) -> None:
        self.skew += when - self.time()


async def _fetch_timeline(loop: _FastForwardLoop, verifier: TokenVerifier) -> tuple[bool, bool]:
    """Start a verification whose key fetch never gets an answer; whether it is still
    waiting 9.8 s later, and whether it has failed 10.95 s later (by the loop's clock)."""
    # Start a tenth of a second past a whole second: aiohttp rounds a long timeout's
    # deadline up to a whole second, so 10 s from here ends at the next whole second but 10
    # and 11 s never end at the same one.
    loop.jump_to(math.ceil(loop.time()) + 0.1)
    start = loop.time()
    fetch = asyncio.ensure_future(verifier.verify(sign(claims())))
    await asyncio.sleep(0.05)  # the request is sent; no answer will come
    loop.jump_to(start + 9.8)
    await asyncio.sleep(0.01)
    waiting = not fetch.done()
    loop.jump_to(start + 10.95)
    # Less than the 0.95 s to the next whole second, where an 11 s timeout would end.
    await asyncio.wait({fetch}, timeout=0.5)
    failed = fetch.done() and isinstance(fetch.exception(), JwksFetchError)
    if not fetch.done():
        fetch.cancel()
        await asyncio.gather(fetch, return_exceptions=True)
    return waiting, failed


def test_the_default_jwks_timeout_gives_up_on_a_silent_server_after_ten_seconds() -> None:
    """The documented default (``jwks_timeout=10``): a JWKS server that accepts the
    connection and never answers is given up on after 10 s, as a JwksFetchError, not later.
    Run on a loop whose clock the test moves forward, so the test takes no 10 s."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts connections; nobody ever answers
        port = silent.getsockname()[1]
        verifier = TokenVerifier(
            POOL_ID, CLIENT_ID, jwks_url=f"http://127.0.0.1:{port}/{POOL_ID}/.well-known/jwks.json"
        )
        loop = _FastForwardLoop()
        try:
            waiting, failed = loop.run_until_complete(_fetch_timeline(loop, verifier))
        finally:
            loop.close()
    assert waiting, "gave up before 10 s"
    assert failed, "still waiting after 10 s"
