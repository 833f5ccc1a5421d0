"""A thousand operations at once on one pool: all succeed, within the pool's connections."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import anyio
import pytest

from cognito_user_pool import AsyncUserPool, UserProfile

from ..integration.conftest import Backend
from ._proxy import FaultProxy
from ._scenarios import BY_NAME, Context

pytestmark = pytest.mark.anyio

OPERATIONS = 1000
CONNECTIONS = 20
# Measured at ~4 s on a loaded 2-core machine; the bound catches a pool that serialises.
BOUND_SECONDS = 60


async def test_a_thousand_concurrent_operations(
    backend: Backend,
    clean: AsyncUserPool,
    proxy: FaultProxy,
    proxied: Callable[..., Awaitable[AsyncUserPool]],
) -> None:
    """1,000 GetUser calls at once: 0 errors, at most max_pool_connections connections."""
    ctx = Context(backend, clean, "busy")
    await BY_NAME["profile"].prepare(ctx)
    pool = await proxied(max_pool_connections=CONNECTIONS, read_timeout=30, max_attempts=1)
    proxy.reset_counts()
    results: list[object] = []

    async def one() -> None:
        try:
            results.append(await pool.profile(auth=ctx.auth))
        except Exception as exc:  # counted below, with the others
            results.append(exc)

    started = time.monotonic()
    with anyio.fail_after(BOUND_SECONDS):
        async with anyio.create_task_group() as group:
            for _ in range(OPERATIONS):
                group.start_soon(one)
    elapsed = time.monotonic() - started

    errors = [r for r in results if not isinstance(r, UserProfile)]
    assert len(results) == OPERATIONS
    assert errors == [], f"{len(errors)} errors, first: {errors[0]!r}"
    assert proxy.seen["getuser"] == OPERATIONS
    assert 1 < proxy.max_open <= CONNECTIONS, proxy.max_open
    assert elapsed < BOUND_SECONDS
