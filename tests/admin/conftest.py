"""Admin clients on the strict local Cognito, signed with dummy credentials (the local
Cognito checks a request is SigV4-signed, not whose key signed it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from cognito_user_pool import AsyncUserPoolAdmin, UserPoolAdmin
from cognito_user_pool.local import LocalPool

KEYS = {"aws_access_key_id": "AKIDLOCALTEST", "aws_secret_access_key": "local-secret-key"}
PASSWORD = "Passw0rd!local"


def admin_options(local: LocalPool, **extra: Any) -> dict[str, Any]:
    """Keywords for an admin client of ``local``'s pool and app client."""
    options: dict[str, Any] = {
        "client_id": local.client_id,
        "client_secret": local.client_secret,
        "endpoint_url": local.endpoint_url,
        "max_attempts": 1,
        **KEYS,
    }
    options.update(extra)
    return options


@pytest.fixture
async def admin(local_cognito: LocalPool) -> AsyncIterator[AsyncUserPoolAdmin]:
    """The plugin's own admin client for the test's pool (``LocalPool.pool_admin``)."""
    async with local_cognito.pool_admin(max_attempts=1) as a:
        yield a


@pytest.fixture
def blocking_admin(local_cognito: LocalPool) -> Iterator[UserPoolAdmin]:
    with UserPoolAdmin(local_cognito.user_pool_id, **admin_options(local_cognito)) as a:
        yield a
