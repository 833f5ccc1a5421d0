"""Cancelling many calls mid-flight: nothing is left behind and the pool stays usable."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable

import anyio
import pytest

from cognito_user_pool import AsyncUserPool, Tokens, UserProfile

from ..integration.conftest import PASSWORD, Backend
from ._proxy import Fault, FaultProxy
from ._scenarios import BY_NAME, Context

pytestmark = pytest.mark.anyio

CONNECTIONS = 10
CALLS = 120


async def test_cancelling_calls_mid_flight_leaves_nothing_behind(
    backend: Backend,
    clean: AsyncUserPool,
    proxy: FaultProxy,
    proxied: Callable[..., Awaitable[AsyncUserPool]],
) -> None:
    """120 calls cut off at once (answers half sent, requests waiting for a connection,
    logins between their two requests): no task, call or connection is left, and more calls
    than the pool has connections then all succeed."""
    ctx = Context(backend, clean, "cancelled")
    await BY_NAME["profile"].prepare(ctx)
    pool = await proxied(max_pool_connections=CONNECTIONS, read_timeout=30)
    proxy.trickle_delay = 0.05  # answers that take a while to arrive
    proxy.arm("GetUser", *[Fault.TRICKLE] * CALLS)
    before = asyncio.all_tasks()

    async with anyio.create_task_group() as group:
        for index in range(CALLS):
            if index % 10 == 0:
                login = functools.partial(pool.login, username=ctx.user, password=PASSWORD)
                group.start_soon(login)
            else:
                group.start_soon(functools.partial(pool.profile, auth=ctx.auth))
        with anyio.fail_after(10):
            await proxy.wait_seen("GetUser", CONNECTIONS // 2)
        # Counted before the cut: afterwards, the proxy notices closed connections only when
        # it next writes to them, while the pool may already have opened new ones.
        assert proxy.max_open <= CONNECTIONS
        group.cancel_scope.cancel()

    assert not pool._in_flight
    await anyio.sleep(0.1)
    left = asyncio.all_tasks() - before - {asyncio.current_task()} - proxy._handlers
    assert not left, left

    proxy.disarm()
    results: list[object] = []

    async def again() -> None:
        results.append(await pool.profile(auth=ctx.auth))

    with anyio.fail_after(20):  # a connection leaked by a cancelled call would block these
        async with anyio.create_task_group() as group:
            for _ in range(3 * CONNECTIONS):
                group.start_soon(again)
        assert isinstance(await pool.login(username=ctx.user, password=PASSWORD), Tokens)
    assert len(results) == 3 * CONNECTIONS
    assert all(isinstance(r, UserProfile) for r in results)
