"""AsyncUserPool: the one object that talks to Cognito, over one long-lived aiobotocore client."""

from __future__ import annotations

import enum
import logging
import threading
import time
import weakref
from contextlib import AsyncExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any

import anyio

from ._config import PoolConfig, PoolOptions, with_pool_options
from ._errors import map_client_errors
from ._flows import AllFlows
from ._flows._base import LruMemory

if TYPE_CHECKING:
    from collections.abc import Mapping

    from types_aiobotocore_cognito_idp import CognitoIdentityProviderClient
    from typing_extensions import Unpack

__all__ = ["AsyncUserPool"]

logger = logging.getLogger("cognito_user_pool")

# How many challenge sessions and refresh-token owners one pool object remembers.
_MEMORY_SIZE = 4096

_SERVICE = "cognito-idp"

# One aiobotocore session per event-loop thread: a session caches what its clients are built
# from (service model, endpoint rules, endpoints data: ~60 ms of JSON parsing), and botocore
# sessions are not safe to share across threads while clients are being created. Importing
# aiobotocore (~200 ms) and building a session would stall the event loop, so both run in a
# worker thread and the loop only creates clients from the finished session. Each session is
# used by one thread at a time: the worker that builds it, under _sessions_lock, then only
# the thread it was built for (the lookup without the lock is one atomic dict read).
_sessions: weakref.WeakKeyDictionary[threading.Thread, Any] = weakref.WeakKeyDictionary()
_sessions_lock = threading.Lock()


async def _aio_session() -> Any:
    """The calling thread's aiobotocore session, built without blocking its event loop."""
    thread = threading.current_thread()
    session = _sessions.get(thread)
    if session is None:
        session = await anyio.to_thread.run_sync(_session_for, thread)
    return session


def _session_for(thread: threading.Thread) -> Any:
    # Runs in a worker thread. Under the lock, pools opening at once on one thread share one
    # session, and a single worker at a time does this CPU-bound work, which holds the GIL
    # the event loop needs.
    with _sessions_lock:
        session = _sessions.get(thread)
        if session is None:
            session = _sessions[thread] = _new_session()
        return session


def _new_session() -> Any:
    """A new aiobotocore session with what ``create_client("cognito-idp")`` reads from disk
    already parsed and cached on it, so that creating a client is cheap."""
    # Imports aiobotocore.config and botocore too, so _open's and _call's imports are free.
    from aiobotocore.session import get_session

    session = get_session()
    # The calls create_client makes, with the same arguments: the loader caches each result
    # under its exact arguments (botocore.loaders.instance_cache).
    api_version = session.get_config_variable("api_versions").get(_SERVICE, None)
    loader = session.get_component("data_loader")
    loader.load_service_model(_SERVICE, "service-2", api_version=api_version)
    loader.load_service_model(_SERVICE, "endpoint-rule-set-1", api_version=api_version)
    for name in ("endpoints", "partitions", "_retry", "sdk-default-configuration"):
        loader.load_data_with_path(name)
    session.get_scoped_config()  # reads and caches the AWS config and credentials files
    return session


class _State(enum.Enum):
    UNOPENED = "unopened"
    OPENED = "opened"
    CLOSED = "closed"


class AsyncUserPool(AllFlows):
    """The users of one Cognito user pool app client, as coroutines.

    One aiobotocore client is opened on first use (or by ``async with``) and reused by every
    call until ``aclose()``. The user-facing operations are unsigned, so no AWS credentials
    are needed.

    Usage::

        async with AsyncUserPool("eu-west-1_AbC123", "1example23456789") as pool:
            result = await pool.login(username="alice", password="correct horse")
            if isinstance(result, Tokens):
                profile = await pool.profile(access_token=result.access_token)

    :param user_pool_id: ``<region>_<id>``; the region defaults to its prefix.
    :param client_id: the app client id.
    :param options: the client secret, region, endpoint, retries and timeouts, as keywords:
        :class:`PoolConfig` lists them, checks them and holds their defaults.
    :raises InvalidParameterError: for a malformed pool id, client id or option.
    """

    @with_pool_options(PoolOptions)
    def __init__(self, user_pool_id: str, client_id: str, **options: Unpack[PoolOptions]) -> None:
        self._config = PoolConfig(user_pool_id, client_id, **options)
        self._state = _State.UNOPENED
        self._client: CognitoIdentityProviderClient | None = None
        self._exit_stack: AsyncExitStack | None = None
        self._open_lock = anyio.Lock()
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

    @property
    def is_closed(self) -> bool:
        """True once ``aclose()`` has run; a closed pool cannot be reopened."""
        return self._state is _State.CLOSED

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._config.describe()}, state={self._state.value})"

    async def __aenter__(self) -> AsyncUserPool:
        if self._state is not _State.UNOPENED:
            raise RuntimeError(
                f"{type(self).__name__} can be entered only once and was {self._state.value}"
            )
        await self._get_client()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client. Idempotent; the pool cannot be used afterwards."""
        async with self._open_lock:
            stack, self._exit_stack, self._client = self._exit_stack, None, None
            self._state = _State.CLOSED
        if stack is not None:
            await stack.aclose()

    async def _get_client(self) -> CognitoIdentityProviderClient:
        client = self._client
        if client is not None:
            return client
        async with self._open_lock:
            if self._state is _State.CLOSED:
                raise RuntimeError(f"{type(self).__name__} is closed")
            if self._client is None:
                self._client = await self._open()
                self._state = _State.OPENED
            return self._client

    async def _open(self) -> CognitoIdentityProviderClient:
        session = await _aio_session()
        # Imported by _aio_session's worker thread: aiobotocore and botocore take a while.
        from aiobotocore.config import AioConfig
        from botocore import UNSIGNED

        c = self._config
        config = AioConfig(
            signature_version=UNSIGNED,
            region_name=c.region,
            retries={"mode": "standard", "total_max_attempts": c.max_attempts},
            max_pool_connections=c.max_pool_connections,
            connect_timeout=c.connect_timeout,
            read_timeout=c.read_timeout,
            user_agent_extra="cognito-user-pool-python",
        )
        stack = AsyncExitStack()
        client: CognitoIdentityProviderClient = await stack.enter_async_context(
            session.create_client(
                _SERVICE, region_name=c.region, endpoint_url=c.endpoint_url, config=config
            )
        )
        self._exit_stack = stack
        return client

    async def _call(self, operation: str, /, **params: Any) -> dict[str, Any]:
        """Send one Cognito operation; its errors come back as ``CognitoError``."""
        client = await self._get_client()
        # After _get_client, which imports botocore in a worker thread, not on the event loop.
        from botocore import xform_name

        method = getattr(client, xform_name(operation))
        started = time.perf_counter()
        async with map_client_errors(operation):
            try:
                response: dict[str, Any] = await method(**params)
            finally:
                # Operation names and timings only: parameters hold passwords and tokens.
                logger.debug("%s took %.1f ms", operation, (time.perf_counter() - started) * 1e3)
        response.pop("ResponseMetadata", None)
        return response
