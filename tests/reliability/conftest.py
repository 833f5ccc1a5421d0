"""Reliability tests: the strict local Cognito behind a fault-injecting proxy (``_proxy``).

``proxy`` stands between ``proxied(...)`` pools and the server; ``clean`` talks to the server
directly, to prepare accounts and to read their state without crossing the proxy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest

from cognito_user_pool import AsyncUserPool

from ..integration.conftest import Backend, make_backend
from ._proxy import FaultProxy, running_proxy

# Short, so that a stalled answer fails fast; long enough for a loaded 2-core machine.
READ_TIMEOUT = 1.0

__all__ = ["make_backend"]  # the integration tests' fixture, shared: fresh pools, deleted after


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore waits up to a second before a retry (``ExponentialBackoff``); these tests
    check which requests are sent again, not how long botocore waits in between."""
    from botocore.retries.standard import ExponentialBackoff

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.0)


@pytest.fixture
def backend(make_backend: Callable[..., Backend]) -> Backend:
    """A fresh pool that tracks devices at the user's choice and offers passkeys, so that the
    device and passkey operations have something to act on (it changes nothing for the
    others)."""
    return make_backend(
        remember_devices="user_opt_in", first_auth_factors=("PASSWORD", "WEB_AUTHN")
    )


@pytest.fixture
async def proxy(backend: Backend) -> AsyncIterator[FaultProxy]:
    async with running_proxy(backend.local.endpoint_url) as running:
        yield running


@pytest.fixture
async def clean(backend: Backend) -> AsyncIterator[AsyncUserPool]:
    """A pool that reaches the server directly."""
    async with backend.pool() as pool:
        yield pool


@pytest.fixture
async def proxied(
    backend: Backend, proxy: FaultProxy
) -> AsyncIterator[Callable[..., Awaitable[AsyncUserPool]]]:
    """Open pools through the proxy, with retries on (botocore's default of 3 attempts)."""
    async with AsyncExitStack() as stack:

        async def make(**options: Any) -> AsyncUserPool:
            options.setdefault("max_attempts", 3)
            options.setdefault("read_timeout", READ_TIMEOUT)
            pool = backend.pool(endpoint_url=proxy.url, **options)
            return await stack.enter_async_context(pool)

        yield make
