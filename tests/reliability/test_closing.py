"""Closing an AsyncUserPool: calls in flight finish or are cut off, later calls are refused,
and a pool collected without aclose() leaves no unclosed HTTP session behind."""

from __future__ import annotations

import gc
import logging
import math
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import anyio
import pytest

from cognito_user_pool import (
    AsyncUserPool,
    CognitoError,
    FlowCancelledError,
    InvalidParameterError,
    PoolClosedError,
    UserProfile,
)

from ..integration.conftest import PASSWORD, Backend
from ._proxy import Fault, FaultProxy
from ._scenarios import BY_NAME, Context

pytestmark = pytest.mark.anyio

Proxied = Callable[..., Awaitable[AsyncUserPool]]
CALLS = 20


async def _signed_in(backend: Backend, clean: AsyncUserPool) -> Context:
    ctx = Context(backend, clean, "closer")
    await BY_NAME["profile"].prepare(ctx)
    return ctx


async def _until_seen(proxy: FaultProxy, operation: str, count: int) -> None:
    with anyio.fail_after(10):
        await proxy.wait_seen(operation, count)


async def test_aclose_lets_calls_in_flight_finish(
    backend: Backend, clean: AsyncUserPool, proxy: FaultProxy, proxied: Proxied
) -> None:
    """Twenty slow answers on their way: aclose() waits for them, and each call succeeds."""
    ctx = await _signed_in(backend, clean)
    pool = await proxied()
    proxy.trickle_delay = 0.05  # each answer takes a few tenths of a second
    proxy.arm("GetUser", *[Fault.TRICKLE] * CALLS)
    results: list[object] = []

    async def call() -> None:
        try:
            results.append(await pool.profile(auth=ctx.auth))
        except Exception as exc:
            results.append(exc)

    async with anyio.create_task_group() as group:
        for _ in range(CALLS):
            group.start_soon(call)
        await _until_seen(proxy, "getuser", CALLS)
        await pool.aclose()
        assert pool.is_closed
    assert len(results) == CALLS
    assert all(isinstance(r, UserProfile) for r in results), results


async def test_aclose_cuts_off_calls_after_its_grace_period(
    backend: Backend, clean: AsyncUserPool, proxy: FaultProxy, proxied: Proxied
) -> None:
    """Answers that never come: after ``grace`` the calls fail with FlowCancelledError, and
    one that must not run twice says its outcome is unknown."""
    ctx = await _signed_in(backend, clean)
    pool = await proxied(read_timeout=30)
    proxy.arm("GetUser", *[Fault.STALL_AFTER] * CALLS)
    proxy.arm("SignUp", Fault.STALL_AFTER)
    errors: list[BaseException] = []

    async def call(run: Callable[[], Awaitable[object]]) -> None:
        try:
            await run()
        except Exception as exc:
            errors.append(exc)

    async with anyio.create_task_group() as group:
        for _ in range(CALLS):
            group.start_soon(call, lambda: pool.profile(auth=ctx.auth))
        group.start_soon(
            call, lambda: pool.signup(username="late", password=PASSWORD, attributes={})
        )
        await _until_seen(proxy, "getuser", CALLS)
        await _until_seen(proxy, "signup", 1)
        started = time.monotonic()
        await pool.aclose(grace=0.2)
        assert time.monotonic() - started < 5
    assert len(errors) == CALLS + 1
    assert all(type(e) is FlowCancelledError for e in errors), errors
    assert {e.code for e in errors if isinstance(e, FlowCancelledError)} == {
        "CognitoUserPool.Cancelled"
    }
    (signup,) = [e for e in errors if "SignUp" in str(e)]
    assert "unknown" in str(signup)
    # A read can be sent again: nothing is unknown about it.
    reads = {e.message for e in errors if isinstance(e, FlowCancelledError) and e is not signup}
    assert reads == {"GetUser was cut off: the pool was closed while it waited for Cognito"}
    assert not pool._in_flight


async def test_calls_after_close_raise_pool_closed_error(backend: Backend) -> None:
    """After aclose(): every call, and ``async with``, raise PoolClosedError."""
    pool = backend.pool()
    async with pool:
        pass
    with pytest.raises(PoolClosedError) as info:
        await pool.profile(auth="header.payload.signature")
    assert info.value.code == "CognitoUserPool.Closed"
    with pytest.raises(PoolClosedError):
        await pool.signup(username="nobody", password=PASSWORD)
    with pytest.raises(PoolClosedError):
        async with pool:
            pass
    never_opened = backend.pool()
    await never_opened.aclose()
    with pytest.raises(PoolClosedError):
        await never_opened.login(username="nobody", password=PASSWORD)


async def test_a_pool_is_entered_once(backend: Backend) -> None:
    """A second ``async with`` on an open pool is refused with PoolClosedError; a pool first
    used without ``async with`` can still be entered, to close it at the end."""
    async with backend.pool() as pool:
        with pytest.raises(PoolClosedError):
            async with pool:
                pass
        assert not pool.is_closed
    used = backend.pool()
    with pytest.raises(Exception):  # noqa: B017  (a bogus token: any refusal will do)
        await used.profile(auth="header.payload.signature")
    async with used:
        pass
    assert used.is_closed


async def test_a_second_aclose_waits_for_the_first(
    backend: Backend, clean: AsyncUserPool, proxy: FaultProxy, proxied: Proxied
) -> None:
    """aclose() while another aclose() waits for a call: both return once the call is done."""
    ctx = await _signed_in(backend, clean)
    pool = await proxied()
    proxy.trickle_delay = 0.05
    proxy.arm("GetUser", Fault.TRICKLE)
    order: list[str] = []

    async def call() -> None:
        await pool.profile(auth=ctx.auth)
        order.append("call")

    async def close(name: str) -> None:
        await pool.aclose()
        order.append(name)

    async with anyio.create_task_group() as group:
        group.start_soon(call)
        await _until_seen(proxy, "getuser", 1)
        group.start_soon(close, "first")
        await anyio.sleep(0.01)
        group.start_soon(close, "second")
    assert order[0] == "call"
    assert sorted(order[1:]) == ["first", "second"]


async def test_aclose_during_the_first_call_keeps_the_pool_closed(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aclose() while the first call is still opening the client: the call ends, the pool
    stays closed and the next call is refused (the opener must not mark it open again)."""
    opening = anyio.Event()
    may_open = anyio.Event()
    open_client = AsyncUserPool._open

    async def slow_open(self: AsyncUserPool) -> object:
        opening.set()
        await may_open.wait()
        return await open_client(self)

    monkeypatch.setattr(AsyncUserPool, "_open", slow_open)
    pool = backend.pool()

    async def first_call() -> None:
        with pytest.raises(CognitoError):  # a bogus token: any refusal will do
            await pool.profile(auth="header.payload.signature")

    async with anyio.create_task_group() as group:
        group.start_soon(first_call)
        await opening.wait()
        group.start_soon(pool.aclose)
        await anyio.sleep(0.05)
        may_open.set()
    assert pool.is_closed
    with pytest.raises(PoolClosedError):
        await pool.profile(auth="header.payload.signature")


@pytest.mark.parametrize("grace", [math.nan, math.inf, -1, True, "5"])
async def test_grace_is_checked(backend: Backend, grace: object) -> None:
    """A grace period that is not a finite number >= 0 is refused before anything closes."""
    pool = backend.pool()
    with pytest.raises(InvalidParameterError) as info:
        await pool.aclose(grace=grace)  # type: ignore[arg-type]
    assert info.value.field == "grace"
    assert not pool.is_closed
    await pool.aclose()


async def test_a_collected_pool_closes_its_connections(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    """A used pool dropped without aclose(): no "Unclosed client session/connector" (asyncio
    would log it; pytest fails on the ResourceWarning)."""
    caplog.set_level(logging.ERROR, logger="asyncio")
    pool = backend.pool()
    with pytest.raises(Exception):  # noqa: B017  (a bogus token: any refusal will do)
        await pool.profile(auth="header.payload.signature")
    del pool
    gc.collect()
    await anyio.sleep(0.2)
    gc.collect()
    assert "Unclosed" not in caplog.text


_ABANDON = """
import asyncio, sys, uuid
from cognito_user_pool import AsyncUserPool, CognitoError

async def main(user_pool_id, client_id, endpoint_url, refused):
    pool = AsyncUserPool(user_pool_id, client_id, endpoint_url=endpoint_url, max_attempts=1)
    if refused == "refused":
        try:
            await pool.profile(auth="header.payload.signature")
        except CognitoError:
            pass
    else:
        await pool.signup(username=uuid.uuid4().hex, password="Corr3ct-Horse!")

asyncio.run(main(*sys.argv[1:]))
"""


# "refused": the error's traceback keeps the pool alive in a reference cycle until the loop
# has ended; "succeeds": the pool is freed when main() returns, while the loop still runs.
@pytest.mark.parametrize("ending", ["refused", "succeeds"])
def test_a_pool_left_open_at_the_end_of_asyncio_run_is_quiet(backend: Backend, ending: str) -> None:
    """The usual way to forget aclose(): the pool dies with main(); nothing is printed."""
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "dev",  # shows ResourceWarnings too
            "-c",
            _ABANDON,
            backend.user_pool_id,
            backend.local.client_id,
            backend.local.endpoint_url,
            ending,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Unclosed" not in done.stderr, done.stderr
    assert "Warning" not in done.stderr, done.stderr
