"""One long-lived aiobotocore client and its life: opened on first use, one ``_call`` for
every request (retry policy, answer check, errors mapped), closed with a grace period.

``AsyncUserPool`` (unsigned: the user-facing operations) and ``AsyncUserPoolAdmin`` (signed
with IAM credentials: the admin operations) are both a :class:`Connection`; they differ only
in what they send and how the client signs it (``_signing``).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import threading
import time
import weakref
from contextlib import AsyncExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

import anyio

from . import _answer_check, _retry_policy
from ._config import check_seconds
from ._errors import (
    CognitoError,
    FlowCancelledError,
    PoolClosedError,
    map_client_errors,
)

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator

    from types_aiobotocore_cognito_idp import CognitoIdentityProviderClient
    from typing_extensions import Self

__all__ = ["CLOSE_GRACE", "Connection", "ConnectionSettings"]

logger = logging.getLogger("cognito_user_pool")

_SERVICE = "cognito-idp"

# How long aclose() lets calls in flight finish before it cuts them off (seconds).
CLOSE_GRACE = 10.0

# Per event loop, the open clients' keepers (_keep_open), held until they are closed: when
# a pool is collected unclosed, its keeper is still closed by its finalizer's task or, if
# that task never runs, by the loop's shutdown_asyncgens() (asyncio.run calls it).
_keepers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, set[AsyncGenerator[None, None]]] = (
    weakref.WeakKeyDictionary()
)
# Close tasks of pools collected unclosed, held until they finish (the loop keeps only weak
# references to tasks).
_closing: set[asyncio.Task[Any]] = set()

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


class ConnectionSettings(Protocol):
    """What a connection reads from its owner's configuration (``PoolConfig``, ``AdminConfig``)."""

    @property
    def region(self) -> str | None: ...
    @property
    def endpoint_url(self) -> str | None: ...
    @property
    def max_pool_connections(self) -> int: ...
    @property
    def max_attempts(self) -> int: ...
    @property
    def connect_timeout(self) -> float: ...
    @property
    def read_timeout(self) -> float: ...

    def describe(self) -> str: ...


class Connection:
    """One aiobotocore client for Cognito, opened on first use (or by ``async with``) and
    reused by every call until ``aclose()``. Subclasses set ``_config`` and, for signed
    requests, override ``_signing``."""

    _config: ConnectionSettings

    def __init__(self) -> None:
        self._state = _State.UNOPENED
        self._client: CognitoIdentityProviderClient | None = None
        self._keeper: AsyncGenerator[None, None] | None = None
        self._open_lock = anyio.Lock()
        self._entered = False
        # Calls waiting for Cognito, each in its own cancel scope, so that aclose() can wait
        # for them and then cut off those that are left.
        self._in_flight: set[anyio.CancelScope] = set()
        self._drained: anyio.Event | None = None
        self._closed: anyio.Event | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    def _signing(self) -> dict[str, Any]:
        """Keywords for ``create_client`` and ``AioConfig`` that say how requests are signed:
        ``{"config": {...}}`` entries go to ``AioConfig``, the rest to ``create_client``.
        The user-facing operations are unsigned (docs/cognito-facts.md)."""
        from botocore import UNSIGNED

        return {"config": {"signature_version": UNSIGNED}}

    @property
    def is_closed(self) -> bool:
        """True once ``aclose()`` has begun; a closed pool cannot be reopened."""
        return self._state is _State.CLOSED

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._config.describe()}, state={self._state.value})"

    async def __aenter__(self) -> Self:
        if self._state is _State.CLOSED or self._entered:
            raise PoolClosedError(
                f"this {type(self).__name__} was already "
                + ("closed: make a new pool" if self.is_closed else "entered: enter it once")
            )
        self._entered = True
        await self._get_client()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self, *, grace: float = CLOSE_GRACE) -> None:
        """Close the pool: refuse new calls, let the calls in flight finish for up to
        ``grace`` seconds, cut off those still waiting, then close the HTTP client.

        Idempotent (a second call waits for the first); the pool cannot be used afterwards.

        :param grace: how long calls in flight may still take, in seconds (0: cut them off
            at once). Those cut off raise ``FlowCancelledError``.
        :raises InvalidParameterError: ``grace`` is not a finite number >= 0.
        """
        grace = check_seconds(grace, "grace")
        if self._closed is not None:
            await self._closed.wait()
            return
        self._state = _State.CLOSED
        closed = self._closed = anyio.Event()
        try:
            await self._drain(grace)
        finally:
            async with self._open_lock:
                keeper, self._keeper, self._client = self._keeper, None, None
            if self._finalizer is not None:
                self._finalizer.detach()
            try:
                if keeper is not None:
                    # Shielded: a cancelled aclose() must not leave the connections open.
                    with anyio.CancelScope(shield=True):
                        await _close_keeper(keeper)
            finally:
                closed.set()

    async def _drain(self, grace: float) -> None:
        """Wait for the calls in flight, for up to ``grace`` seconds; then cut off the rest."""
        if not self._in_flight:
            return
        drained = self._drained = anyio.Event()
        with anyio.move_on_after(grace):
            await drained.wait()
        for scope in tuple(self._in_flight):
            scope.cancel()
        if self._in_flight:
            await drained.wait()

    async def _get_client(self) -> CognitoIdentityProviderClient:
        client = self._client
        if client is not None:
            return client
        async with self._open_lock:
            if self._state is _State.CLOSED:
                raise PoolClosedError(f"this {type(self).__name__} is closed")
            if self._client is None:
                self._client = await self._open()
                if self._state is _State.UNOPENED:  # not if aclose() began meanwhile
                    self._state = _State.OPENED
            return self._client

    async def _open(self) -> CognitoIdentityProviderClient:
        session = await _aio_session()
        # Imported by _aio_session's worker thread: aiobotocore and botocore take a while.
        from aiobotocore.config import AioConfig

        c = self._config
        signing = self._signing()
        config = AioConfig(
            region_name=c.region,
            retries={"mode": "standard", "total_max_attempts": c.max_attempts},
            max_pool_connections=c.max_pool_connections,
            connect_timeout=c.connect_timeout,
            read_timeout=c.read_timeout,
            user_agent_extra="cognito-user-pool-python",
            **signing.pop("config", {}),
        )
        from ._redact import install as install_log_redaction

        install_log_redaction(session)  # before the client logs its first request
        stack = AsyncExitStack()
        client: CognitoIdentityProviderClient = await stack.enter_async_context(
            session.create_client(
                _SERVICE,
                region_name=c.region,
                endpoint_url=c.endpoint_url,
                config=config,
                **signing,
            )
        )
        _retry_policy.install(client, c.max_attempts)
        _answer_check.install(client)
        keeper = self._keeper = _keep_open(stack)
        await keeper.__anext__()  # now the loop knows it, and closes it at its shutdown
        loop = asyncio.get_running_loop()
        _keepers.setdefault(loop, set()).add(keeper)
        # A pool collected unclosed still closes its connections, on its own loop.
        self._finalizer = weakref.finalize(self, _close_abandoned, keeper, loop)
        self._finalizer.atexit = False
        return client

    async def _call(self, operation: str, /, **params: Any) -> dict[str, Any]:
        """Send one Cognito operation; its errors come back as ``CognitoError``.

        Counted in flight until it returns, so that ``aclose()`` can wait for it.

        :raises PoolClosedError: the pool is closed.
        :raises FlowCancelledError: ``aclose()`` cut it off after its grace period.
        :raises OutcomeUnknownError: it must not run twice and its answer was lost
            (``_retry_policy``).
        """
        if self._state is _State.CLOSED:
            raise PoolClosedError(f"{operation}: this {type(self).__name__} is closed")
        rule = _retry_policy.rule_for(operation, params)
        with anyio.CancelScope() as scope:
            self._in_flight.add(scope)
            try:
                return await self._send(operation, rule, params)
            finally:
                self._in_flight.discard(scope)
                if not self._in_flight and self._drained is not None:
                    self._drained.set()
        # Reached only when aclose() cancelled the scope.
        unknown = "" if rule.resend else f"; whether Cognito applied it is unknown: {rule.check}"
        raise FlowCancelledError(
            f"{operation} was cut off: the pool was closed while it waited for Cognito{unknown}"
        )

    async def _send(
        self, operation: str, rule: _retry_policy.Rule, params: dict[str, Any]
    ) -> dict[str, Any]:
        client = await self._get_client()
        # After _get_client, which imports botocore in a worker thread, not on the event loop.
        from botocore import xform_name

        method = getattr(client, xform_name(operation))
        started = time.perf_counter()
        try:
            async with map_client_errors(operation):
                try:
                    response: dict[str, Any] = await method(**params)
                finally:
                    # Operation names and timings only: parameters hold passwords and tokens.
                    logger.debug(
                        "%s took %.1f ms", operation, (time.perf_counter() - started) * 1e3
                    )
        except CognitoError as exc:
            unknown = _retry_policy.outcome_unknown(operation, rule, exc)
            if unknown is None:
                raise
            raise unknown from exc
        response.pop("ResponseMetadata", None)
        return response


async def _keep_open(stack: AsyncExitStack) -> AsyncGenerator[None, None]:
    """Hold the client's exit stack open until this generator is closed: by ``aclose()``, by
    the finalizer of a pool collected unclosed, or by the loop's ``shutdown_asyncgens()``
    (which closes the async generators still open when ``asyncio.run`` ends), so that
    aiohttp never reports an unclosed session or connector."""
    try:
        yield
    finally:
        await stack.aclose()


async def _close_keeper(keeper: AsyncGenerator[None, None]) -> None:
    try:
        await keeper.aclose()
    finally:
        _keepers.get(asyncio.get_running_loop(), set()).discard(keeper)


def _close_abandoned(keeper: AsyncGenerator[None, None], loop: asyncio.AbstractEventLoop) -> None:
    """Close the client of a pool collected unclosed, on the loop it was opened on.

    Run by the pool's ``weakref.finalize``: on the loop's own thread the close task starts
    now, from another thread it is handed over. A task that never gets to run (the loop
    stops first) leaves the keeper to ``shutdown_asyncgens()``; a loop already closed has no
    connections left to close.
    """
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    try:
        if running is loop:
            _start_close(keeper)
        else:
            loop.call_soon_threadsafe(_start_close, keeper)
    except RuntimeError:  # the loop is closed
        return


def _start_close(keeper: AsyncGenerator[None, None]) -> None:
    task = asyncio.get_running_loop().create_task(_close_keeper(keeper))
    _closing.add(task)
    task.add_done_callback(_close_done)


def _close_done(task: asyncio.Task[Any]) -> None:
    _closing.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so that asyncio does not log it as never retrieved
