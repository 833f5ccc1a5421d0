"""pytest plugin: a ``local_cognito`` fixture backed by the strict local Cognito.

Registered as the ``cognito_user_pool`` pytest11 entry point. Importing this module costs
nothing: moto, boto3 and the server are imported inside the fixtures, on first use.

One server runs per test session; each test gets a fresh pool and app client. The fixtures
are synchronous, so async tests use them under pytest-asyncio (strict or auto mode) or anyio's
plugin (on asyncio)::

    @pytest.mark.asyncio  # or @pytest.mark.anyio; none in pytest-asyncio's auto mode
    async def test_login(local_cognito):
        local_cognito.create_user("alice", "Passw0rd!")
        async with local_cognito.pool() as pool:
            ...

    @pytest.mark.local_cognito(client_secret=True, mfa="OPTIONAL")
    def test_with_options(local_cognito): ...
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from cognito_user_pool.local import LocalCognito, LocalPool

__all__ = ["local_cognito", "local_cognito_server", "pytest_configure"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker so ``--strict-markers`` accepts it."""
    config.addinivalue_line(
        "markers",
        "local_cognito(**options): options for the local_cognito fixture's pool "
        "(client_secret, mfa, username_attributes, alias_attributes, ...)",
    )


@pytest.fixture(scope="session")
def local_cognito_server() -> Iterator[LocalCognito]:
    """One strict local Cognito server for the whole test session (no default pool)."""
    from cognito_user_pool.local import LocalCognito

    with LocalCognito(default_pool=False) as server:
        yield server


@pytest.fixture
def local_cognito(
    request: pytest.FixtureRequest, local_cognito_server: LocalCognito
) -> Iterator[LocalPool]:
    """A fresh pool and app client on the session's local Cognito, deleted after the test.

    Options come from ``@pytest.mark.local_cognito(...)`` (same names as LocalCognito's).
    """
    marker = request.node.get_closest_marker("local_cognito")
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    pool = local_cognito_server.create_pool(**options)
    try:
        yield pool
    finally:
        local_cognito_server.delete_pool(pool.user_pool_id)
