"""CLI fixtures: one strict local Cognito per session, a fresh pool per test, and a runner
that keeps every output so that each test ends by checking no secret leaked into any."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cognito_user_pool import AsyncUserPool
from cognito_user_pool.local import LocalCognito, LocalPool

from ._support import NEW_PASSWORD, PASSWORD, Authenticator, Cli


@pytest.fixture(scope="session")
def server() -> Iterator[LocalCognito]:
    """One strict local Cognito for the session's CLI tests."""
    with LocalCognito(default_pool=False) as local:
        yield local


@pytest.fixture
def pool(server: LocalCognito) -> Iterator[LocalPool]:
    """A fresh pool whose app client has a secret and whose MFA is optional."""
    created = server.create_pool(client_secret=True, mfa="OPTIONAL")
    yield created
    server.delete_pool(created.user_pool_id)


def _point_at(pool: LocalPool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COGNITO_USER_POOL_ID", pool.user_pool_id)
    monkeypatch.setenv("COGNITO_CLIENT_ID", pool.client_id)
    assert pool.client_secret is not None
    monkeypatch.setenv("COGNITO_CLIENT_SECRET", pool.client_secret)
    monkeypatch.setenv("AWS_REGION", pool.region)
    monkeypatch.setenv("COGNITO_ENDPOINT_URL", pool.endpoint_url)


@pytest.fixture
def pool_env(pool: LocalPool, monkeypatch: pytest.MonkeyPatch) -> LocalPool:
    """The pool, named by the variables ``AsyncUserPool.from_env()`` reads."""
    _point_at(pool, monkeypatch)
    return pool


@pytest.fixture
def other_pool_env(
    server: LocalCognito, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., LocalPool]]:
    """Makes a pool with other options (``mfa="ON"``, ``email_mfa=True``: LocalCognito's)
    the one the variables name, its app client with a secret."""
    made: list[str] = []

    def make(**options: Any) -> LocalPool:
        created = server.create_pool(client_secret=True, **options)
        made.append(created.user_pool_id)
        run.secret(created.client_secret)
        _point_at(created, monkeypatch)
        return created

    yield make
    for pool_id in made:
        server.delete_pool(pool_id)


@pytest.fixture
def app(run: Cli, monkeypatch: pytest.MonkeyPatch) -> Authenticator:
    """The authenticator app: every TOTP secret Cognito hands out in the test, as the user
    would scan it (read from Cognito's answer, not from the CLI's output)."""
    authenticator = Authenticator(run)
    real_call = AsyncUserPool._call

    async def call(self: AsyncUserPool, operation: str, /, **params: Any) -> dict[str, Any]:
        response = await real_call(self, operation, **params)
        if operation == "AssociateSoftwareToken":
            authenticator.add(response["SecretCode"])
        return response

    monkeypatch.setattr(AsyncUserPool, "_call", call)
    return authenticator


@pytest.fixture
def run(pool: LocalPool) -> Iterator[Cli]:
    """The CLI runner; after the test, no password, code, token or client secret it saw may
    appear in any output (outputs of --show-tokens excepted)."""
    runner = Cli()
    runner.secret(pool.client_secret, PASSWORD, NEW_PASSWORD)
    yield runner
    runner.assert_no_secret_leaked()
