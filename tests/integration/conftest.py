"""Integration tests run against the strict local Cognito: one server per test session (the
``local_cognito_server`` fixture of the package's pytest plugin), a fresh pool per test.

Its SRP, codes and tokens are really checked, so a rejection asserted here is Cognito's
behaviour, not an emulator's yes to everything.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from cognito_user_pool import AsyncUserPool
from cognito_user_pool.local import LocalCognito, LocalPool, Outbox

PASSWORD = "Corr3ct-Horse!"


@dataclass
class Backend:
    """A fresh pool on the session's local Cognito, with its admin client and outbox."""

    local: LocalPool

    @property
    def admin(self) -> Any:
        return self.local.admin

    @property
    def outbox(self) -> Outbox:
        return self.local.outbox

    @property
    def user_pool_id(self) -> str:
        return self.local.user_pool_id

    def pool(self, **kwargs: Any) -> AsyncUserPool:
        # Retries would only slow a failing test down.
        kwargs.setdefault("max_attempts", 1)
        return self.local.pool(**kwargs)

    def create_confirmed_user(
        self, username: str, password: str = PASSWORD, **attributes: str
    ) -> None:
        self.local.create_user(username, password, attributes, confirmed=True)

    def code(self, username: str, purpose: str) -> str:
        """The newest code the pool "sent" to ``username`` for ``purpose``."""
        return self.outbox.last(username=username, purpose=purpose).code


@pytest.fixture
def make_backend(local_cognito_server: LocalCognito) -> Iterator[Callable[..., Backend]]:
    """Build fresh pools (``LocalCognito.create_pool`` options); deleted after the test."""
    made: list[str] = []

    def make(**options: Any) -> Backend:
        options.setdefault("mfa", "OPTIONAL")
        local = local_cognito_server.create_pool(**options)
        made.append(local.user_pool_id)
        return Backend(local)

    yield make
    for pool_id in made:
        local_cognito_server.delete_pool(pool_id)


@pytest.fixture
def backend(make_backend: Callable[..., Backend]) -> Backend:
    return make_backend()


@pytest.fixture
def backend_with_secret(make_backend: Callable[..., Backend]) -> Backend:
    return make_backend(client_secret=True)


@pytest.fixture
async def pool(backend: Backend) -> AsyncIterator[AsyncUserPool]:
    async with backend.pool() as opened:
        yield opened
