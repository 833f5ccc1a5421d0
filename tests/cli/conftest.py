"""CLI fixtures: one strict local Cognito per session, a fresh pool per test, and a runner
that keeps every output so that each test ends by checking no secret leaked into any."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cognito_user_pool.local import LocalCognito, LocalPool

from ._support import NEW_PASSWORD, PASSWORD, Cli


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


@pytest.fixture
def pool_env(pool: LocalPool, monkeypatch: pytest.MonkeyPatch) -> LocalPool:
    """The pool, named by the variables ``AsyncUserPool.from_env()`` reads."""
    monkeypatch.setenv("COGNITO_USER_POOL_ID", pool.user_pool_id)
    monkeypatch.setenv("COGNITO_CLIENT_ID", pool.client_id)
    assert pool.client_secret is not None
    monkeypatch.setenv("COGNITO_CLIENT_SECRET", pool.client_secret)
    monkeypatch.setenv("AWS_REGION", pool.region)
    monkeypatch.setenv("COGNITO_ENDPOINT_URL", pool.endpoint_url)
    return pool


@pytest.fixture
def run(pool: LocalPool) -> Iterator[Cli]:
    """The CLI runner; after the test, no password, code, token or client secret it saw may
    appear in any output (outputs of --show-tokens excepted)."""
    runner = Cli()
    runner.secret(pool.client_secret, PASSWORD, NEW_PASSWORD)
    yield runner
    runner.assert_no_secret_leaked()
