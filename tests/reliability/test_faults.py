"""Every fault the proxy knows, against a read (GetUser) and a write (SignUp).

Reads are sent again after any transport failure and succeed; a write is sent again only
when it cannot have been processed (throttled, never connected), else the caller hears
OutcomeUnknown. An answer that is not Cognito's is an error for both, never a success.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from cognito_user_pool import AsyncUserPool, NetworkError, SignUpResult, UserProfile
from cognito_user_pool._errors import MalformedResponseError, OutcomeUnknownError

from ..integration.conftest import Backend
from ._proxy import Fault, FaultProxy
from ._scenarios import BY_NAME, Context

pytestmark = pytest.mark.anyio

Proxied = Callable[..., Awaitable[AsyncUserPool]]

# fault: (what a read ends with, requests the proxy sees for it)
READ: dict[Fault, tuple[type[Any], int]] = {
    Fault.RESET_BEFORE: (UserProfile, 2),
    Fault.RESET_AFTER: (UserProfile, 2),
    Fault.STALL_AFTER: (UserProfile, 2),
    Fault.HTTP_500_AFTER: (UserProfile, 2),
    Fault.HTML_200: (MalformedResponseError, 1),
    Fault.NULL_BODY: (MalformedResponseError, 1),
    Fault.EMPTY_OBJECT: (MalformedResponseError, 1),
    Fault.TRUNCATED: (UserProfile, 2),
    Fault.TRICKLE: (UserProfile, 1),
    Fault.THROTTLE: (UserProfile, 2),
}

# fault: (what a write ends with, whether the account was created)
WRITE: dict[Fault, tuple[type[Any], bool]] = {
    Fault.RESET_BEFORE: (OutcomeUnknownError, False),
    Fault.RESET_AFTER: (OutcomeUnknownError, True),
    Fault.STALL_AFTER: (OutcomeUnknownError, True),
    Fault.HTTP_500_AFTER: (OutcomeUnknownError, True),
    Fault.HTML_200: (OutcomeUnknownError, False),
    Fault.NULL_BODY: (OutcomeUnknownError, True),
    Fault.EMPTY_OBJECT: (OutcomeUnknownError, True),
    Fault.TRUNCATED: (OutcomeUnknownError, True),
    Fault.TRICKLE: (SignUpResult, True),
    Fault.THROTTLE: (SignUpResult, True),
}


def test_every_fault_kind_is_tried() -> None:
    """Both tables cover every fault the proxy can inject."""
    assert set(READ) == set(WRITE) == set(Fault)


async def _outcome(run: Awaitable[Any]) -> Any:
    try:
        return await run
    except Exception as exc:
        return exc


@pytest.mark.parametrize("fault", list(Fault), ids=lambda f: f.name)
async def test_a_read_under_each_fault(
    fault: Fault, backend: Backend, clean: AsyncUserPool, proxy: FaultProxy, proxied: Proxied
) -> None:
    """GetUser: sent again after a transport failure; refused when the answer is not Cognito's."""
    scenario = BY_NAME["profile"]
    ctx = Context(backend, clean, "reader")
    await scenario.prepare(ctx)
    pool = await proxied()
    proxy.arm("GetUser", fault)
    outcome = await _outcome(scenario.run(pool, ctx))
    expected, seen = READ[fault]
    assert isinstance(outcome, expected), repr(outcome)
    assert proxy.seen["getuser"] == seen
    assert isinstance(await pool.profile(auth=ctx.auth), UserProfile)  # the pool still works


@pytest.mark.parametrize("fault", list(Fault), ids=lambda f: f.name)
async def test_a_write_under_each_fault(
    fault: Fault, backend: Backend, clean: AsyncUserPool, proxy: FaultProxy, proxied: Proxied
) -> None:
    """SignUp: never sent twice unless it was refused unprocessed; the account says whether
    it was applied, and it was applied at most once."""
    scenario = BY_NAME["signup"]
    ctx = Context(backend, clean, "writer")
    pool = await proxied()
    proxy.arm("SignUp", fault)
    outcome = await _outcome(scenario.run(pool, ctx))
    expected, applied = WRITE[fault]
    assert isinstance(outcome, expected), repr(outcome)
    assert ctx.status() == ("UNCONFIRMED" if applied else None)
    assert proxy.forwarded["signup"] == (1 if applied else 0)
    if isinstance(outcome, OutcomeUnknownError):
        assert outcome.code == "CognitoUserPool.OutcomeUnknown"
        assert "check whether the account exists" in outcome.message


async def test_a_read_that_keeps_failing_ends_as_network_error(
    backend: Backend, clean: AsyncUserPool, proxy: FaultProxy, proxied: Proxied
) -> None:
    """After botocore's three attempts a read reports NetworkError, and the pool still works."""
    ctx = Context(backend, clean, "unlucky")
    await BY_NAME["profile"].prepare(ctx)
    pool = await proxied()
    proxy.arm("GetUser", Fault.RESET_AFTER, Fault.RESET_AFTER, Fault.RESET_AFTER)
    with pytest.raises(NetworkError) as info:
        await pool.profile(auth=ctx.auth)
    assert info.value.code == "CognitoUserPool.NetworkError"
    assert proxy.forwarded["getuser"] == 3
    assert isinstance(await pool.profile(auth=ctx.auth), UserProfile)


async def test_a_refused_connection_is_retried_even_for_a_write(backend: Backend) -> None:
    """No connection, no request: SignUp is tried three times, then NetworkError (not
    OutcomeUnknown: nothing can have been applied)."""
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    attempts: list[str] = []
    async with backend.pool(endpoint_url=f"http://127.0.0.1:{port}", max_attempts=3) as pool:
        client = await pool._get_client()
        client.meta.events.register(
            "before-send.cognito-identity-provider.SignUp",
            lambda **kwargs: attempts.append("SignUp"),
        )
        with pytest.raises(NetworkError) as info:
            await BY_NAME["signup"].run(pool, Context(backend, pool, "nobody"))
    assert type(info.value) is NetworkError
    assert len(attempts) == 3
