"""UserPool: the async core's flows as plain blocking calls, over one anyio blocking portal.

The portal runs an event loop in its own (daemon) thread; the ``AsyncUserPool`` is entered
on that loop with ``portal.wrap_async_context_manager``, so its aiobotocore client lives on
one loop for the whole life of the ``UserPool``. Each blocking call is ``portal.call(flow)``:
calls from many threads are serialised onto that one loop, and a call made from a thread that
runs its own asyncio loop does not deadlock (it only blocks that thread).

Traps: the portal's own thread must never make a blocking call (anyio refuses it), so
nothing here runs user code on that thread; and a new flow on ``AsyncUserPool`` reaches this
class with no edit here: its blocking twin is declared beside it in ``_flows/``.
"""

from __future__ import annotations

import concurrent.futures

# Imported now so that its exit hook is registered before ours, and so runs after it (the
# hooks run last-in, first-out): see `_exit.py`.
import concurrent.futures.thread
import functools
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from anyio.from_thread import BlockingPortal, start_blocking_portal

from . import _exit
from ._client import AsyncUserPool
from ._config import PoolConfig, PoolOptions, with_pool_options
from ._errors import InvalidParameterError
from ._flows import AllBlocking

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["UserPool"]

logger = logging.getLogger("cognito_user_pool")

P = ParamSpec("P")
R = TypeVar("R")


class UserPool(AllBlocking):
    """The users of one Cognito user pool app client, as blocking calls.

    The same flows, arguments, results and errors as :class:`AsyncUserPool`, run on one
    long-lived event loop in a background thread (an anyio blocking portal). Safe to share
    between threads. The portal starts on ``with`` or on the first call, and stops on
    ``close()`` (also run at interpreter exit for pools left open).

    Usage::

        with UserPool("eu-west-1_AbC123", "1example23456789") as pool:
            result = pool.login(username="alice", password="correct horse")
            if isinstance(result, Tokens):
                print(pool.profile(access_token=result.access_token).as_dict())

    :param user_pool_id: ``<region>_<id>``; the region defaults to its prefix.
    :param client_id: the app client id.
    :param close_at_exit: close the pool at interpreter exit if it is still open (so calls
        in flight finish); ``False`` for an owner that closes it itself.
    :param options: the client secret, region, endpoint, retries and timeouts, as keywords:
        :class:`PoolConfig` lists them, checks them and holds their defaults.
    :raises InvalidParameterError: for a malformed pool id, client id or option.
    :raises RuntimeError: from any call made after ``close()``.
    """

    @with_pool_options(PoolOptions)
    def __init__(
        self,
        user_pool_id: str,
        client_id: str,
        *,
        close_at_exit: bool = True,
        **options: Unpack[PoolOptions],
    ) -> None:
        # Built (and so validated) now, entered on the portal's loop later.
        self._pool = AsyncUserPool(user_pool_id, client_id, **options)
        self._lock = threading.Condition()
        self._portal: BlockingPortal | None = None
        self._stack: ExitStack | None = None
        self._in_flight = 0
        self._closed = False
        self._entered = False
        if not isinstance(close_at_exit, bool):
            raise InvalidParameterError(
                "close_at_exit must be True or False", field="close_at_exit"
            )
        self._close_at_exit = close_at_exit

    @classmethod
    def from_config(cls, config: PoolConfig) -> UserPool:
        """A pool for an existing ``PoolConfig``."""
        return cls(config.user_pool_id, config.client_id, **config.options())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> UserPool:
        """A pool from ``COGNITO_USER_POOL_ID``, ``COGNITO_CLIENT_ID``,
        ``COGNITO_CLIENT_SECRET``, ``AWS_REGION`` and ``COGNITO_ENDPOINT_URL``.

        :raises InvalidParameterError: when a required variable is missing or malformed.
        """
        return cls.from_config(PoolConfig.from_env(environ))

    @property
    def config(self) -> PoolConfig:
        """The pool's configuration (immutable)."""
        return self._pool.config

    @property
    def is_closed(self) -> bool:
        """True once ``close()`` has begun; a closed pool cannot be reopened."""
        return self._closed

    def __repr__(self) -> str:
        state = "closed" if self._closed else "opened" if self._portal else "unopened"
        return f"{type(self).__name__}({self._pool.config.describe()}, state={state})"

    # The flows: inherited, each declared beside its coroutine in _flows/ (`blocking()`).

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> UserPool:
        with self._lock:
            if self._entered or self._closed:
                raise RuntimeError(f"{type(self).__name__} can be entered only once")
            self._entered = True
        self._open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Wait for the calls in flight, close the HTTP client and stop the portal.

        Idempotent; later calls raise ``RuntimeError``. Do not call it from inside a flow.
        """
        with self._lock:
            self._closed = True
            while self._in_flight:
                self._lock.wait()
            stack, self._stack, self._portal = self._stack, None, None
        _exit.forget_at_exit(self)
        if stack is not None:
            stack.close()

    def _open(self) -> BlockingPortal:
        """The portal, started (and the async pool entered on it) on first use."""
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{type(self).__name__} is closed")
            if self._portal is not None:
                return self._portal
            stack = ExitStack()
            try:
                portal = stack.enter_context(
                    start_blocking_portal(name=f"cognito-user-pool-{id(self):x}")
                )
                stack.enter_context(portal.wrap_async_context_manager(self._pool))
            except BaseException:
                stack.close()
                raise
            self._stack, self._portal = stack, portal
            if self._close_at_exit:
                _exit.close_at_exit(self)
            return portal

    @contextmanager
    def _slot(self) -> Iterator[BlockingPortal]:
        """Count one call in flight, so that ``close()`` waits for it."""
        portal = self._open()
        self._enter_slot()
        try:
            yield portal
        finally:
            self._leave_slot()

    def _enter_slot(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{type(self).__name__} is closed")
            self._in_flight += 1

    def _leave_slot(self) -> None:
        with self._lock:
            self._in_flight -= 1
            if not self._in_flight:
                self._lock.notify_all()

    def _run(
        self,
        flow: Callable[Concatenate[AsyncUserPool, P], Awaitable[R]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Run one flow of the async pool on the portal and wait for its result."""
        with self._slot() as portal:
            return portal.call(functools.partial(flow, self._pool, *args, **kwargs))

    def submit(
        self,
        flow: Callable[Concatenate[AsyncUserPool, P], Awaitable[R]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> concurrent.futures.Future[R]:
        """Start ``flow(async_pool, *args, **kwargs)`` on the pool's event loop without
        waiting, for callers that want several calls in flight from one thread (the callback
        shim is one); ``flow`` is a coroutine function taking the ``AsyncUserPool`` first,
        such as ``AsyncUserPool.login``.

        ``close()`` waits for these calls too. The Future's done callbacks run on the event
        loop's thread: they must not block, nor call this pool.

        :returns: a ``concurrent.futures.Future`` of the flow's result.
        :raises InvalidParameterError: ``flow`` is not a coroutine function.
        :raises RuntimeError: after ``close()``.
        """
        if not inspect.iscoroutinefunction(flow):
            raise InvalidParameterError(
                "flow must be a coroutine function such as AsyncUserPool.login", field="flow"
            )
        portal = self._open()
        self._enter_slot()
        try:
            future = portal.start_task_soon(functools.partial(flow, self._pool, *args, **kwargs))
        except BaseException:
            self._leave_slot()
            raise
        future.add_done_callback(lambda _: self._leave_slot())
        return future
