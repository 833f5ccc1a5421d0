"""AsyncUserPool: the user-facing flows over one long-lived, unsigned aiobotocore client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._config import PoolConfig, PoolOptions, with_pool_options
from ._connection import Connection
from ._flows import AllFlows
from ._flows._base import LruMemory

if TYPE_CHECKING:
    from collections.abc import Mapping

    from typing_extensions import Unpack

__all__ = ["AsyncUserPool"]

# How many challenge sessions and refresh-token owners one pool object remembers.
_MEMORY_SIZE = 4096


class AsyncUserPool(Connection, AllFlows):
    """The users of one Cognito user pool app client, as coroutines.

    One aiobotocore client is opened on first use (or by ``async with``) and reused by every
    call until ``aclose()``. The user-facing operations are unsigned, so no AWS credentials
    are needed.

    Usage::

        async with AsyncUserPool("eu-west-1_AbC123", "1example23456789") as pool:
            result = await pool.login(username="alice", password="correct horse")
            if isinstance(result, Tokens):
                profile = await pool.profile(auth=result)

    :param user_pool_id: ``<region>_<id>``; the region defaults to its prefix.
    :param client_id: the app client id.
    :param options: the client secret, region, endpoint, retries and timeouts, as keywords:
        :class:`PoolConfig` lists them, checks them and holds their defaults.
    :raises InvalidParameterError: for a malformed pool id, client id or option.
    """

    @with_pool_options(PoolOptions)
    def __init__(self, user_pool_id: str, client_id: str, **options: Unpack[PoolOptions]) -> None:
        self._config: PoolConfig = PoolConfig(user_pool_id, client_id, **options)
        super().__init__()
        self._sessions = LruMemory(_MEMORY_SIZE)
        self._refresh_owners = LruMemory(_MEMORY_SIZE)

    @classmethod
    def from_config(cls, config: PoolConfig) -> AsyncUserPool:
        """A pool for an existing ``PoolConfig``."""
        return cls(config.user_pool_id, config.client_id, **config.options())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AsyncUserPool:
        """A pool from ``COGNITO_USER_POOL_ID``, ``COGNITO_CLIENT_ID``,
        ``COGNITO_CLIENT_SECRET``, ``AWS_REGION`` and ``COGNITO_ENDPOINT_URL``.

        :raises InvalidParameterError: when a required variable is missing or malformed.
        """
        return cls.from_config(PoolConfig.from_env(environ))

    @property
    def config(self) -> PoolConfig:
        """The pool's configuration (immutable)."""
        return self._config
