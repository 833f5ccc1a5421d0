"""``RedisRevocationStore``: sign-outs shared by every worker and machine (the extra ``redis``).

Usage::

    store = RedisRevocationStore.from_url("redis://127.0.0.1:6379/0")
    revocations = Revocations(store)

Each record is one Redis key (``<prefix><pool id>:family:<origin_jti>`` or
``<prefix><pool id>:user:<sub>``) that Redis itself expires when the last token it can refuse
has expired; a check is one ``MGET``. Records are written by a small Lua script, so two
workers recording at once keep the larger value and the longer life. Redis 2.6 or later.
"""

from __future__ import annotations

import asyncio
import math
import time
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import redis.asyncio
from redis.exceptions import RedisError

from ._errors import InvalidParameterError, NetworkError

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisRevocationStore"]

# KEYS[1]: the record; ARGV[1]: the value; ARGV[2]: its life in milliseconds from now.
_ADD = """
local old = tonumber(redis.call('GET', KEYS[1]) or '-1')
local value = math.max(old, tonumber(ARGV[1]))
local ttl = math.max(redis.call('PTTL', KEYS[1]), tonumber(ARGV[2]))
redis.call('SET', KEYS[1], string.format('%d', value), 'PX', ttl)
return 1
"""


class RedisRevocationStore:
    """A ``RevocationStore`` in Redis, through redis-py's asyncio client.

    :param client: a ``redis.asyncio.Redis``, used on the event loop it belongs to; or use
        :meth:`from_url`, which makes one client per event loop (a ``verify_sync`` with a
        revocation check runs on a loop of its own).
    :param prefix: put before every key.
    :param clock: returns the time in epoch seconds; defaults to ``time.time``.
    """

    def __init__(
        self,
        client: Redis | None = None,
        *,
        prefix: str = "cognito-user-pool:revoked:",
        clock: Callable[[], float] | None = None,
        _factory: Callable[[], Redis] | None = None,
    ) -> None:
        if client is None and _factory is None:
            raise InvalidParameterError("client must be a redis.asyncio.Redis", field="client")
        self._client = client
        self._factory = _factory
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Redis] = (
            weakref.WeakKeyDictionary()
        )
        self._prefix = prefix
        self._clock = clock or time.time

    @classmethod
    def from_url(cls, url: str, **options: Any) -> RedisRevocationStore:
        """A store on the Redis at ``url`` (``redis://host:port/db``), one client per loop.

        :param options: ``prefix``, ``clock``; the rest go to ``redis.asyncio.from_url``.
        """
        own = {k: options.pop(k) for k in ("prefix", "clock") if k in options}
        return cls(_factory=lambda: redis.asyncio.from_url(url, **options), **own)

    def __repr__(self) -> str:
        # The URL may carry a password: it is not shown.
        return f"{type(self).__name__}(prefix={self._prefix!r})"

    def _redis(self) -> Redis:
        if self._client is not None:
            return self._client
        assert self._factory is not None
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = self._factory()
        return client

    async def add(self, key: str, value: int, expires_at: float) -> None:
        """Keep ``key`` until ``expires_at`` with at least ``value``.

        :raises NetworkError: Redis did not answer.
        """
        ttl_ms = max(1, math.ceil((expires_at - self._clock()) * 1000))
        try:
            await self._redis().eval(_ADD, 1, self._prefix + key, str(int(value)), str(ttl_ms))
        except (RedisError, OSError) as exc:
            raise NetworkError(f"Redis did not record a sign-out ({type(exc).__name__})") from exc

    async def get_many(self, keys: Sequence[str]) -> list[int | None]:
        """The live value of each key (``MGET``), ``None`` for none.

        :raises NetworkError: Redis did not answer.
        """
        try:
            values = await self._redis().mget([self._prefix + k for k in keys])
        except (RedisError, OSError) as exc:
            raise NetworkError(f"Redis did not answer ({type(exc).__name__})") from exc
        return [None if v is None else int(v) for v in values]

    async def aclose(self) -> None:
        """Close the clients this store made (not one it was given)."""
        clients, self._clients = list(self._clients.values()), weakref.WeakKeyDictionary()
        for client in clients:
            await client.aclose()
