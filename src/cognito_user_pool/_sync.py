"""UserPool: the async core's flows as plain blocking calls, over one anyio blocking portal.

The portal runs an event loop in its own (daemon) thread; the ``AsyncUserPool`` is entered
on that loop with ``portal.wrap_async_context_manager``, so its aiobotocore client lives on
one loop for the whole life of the ``UserPool``. Each blocking call is one hop to that loop and
one back (``_start``: ``asyncio.run_coroutine_threadsafe`` on the portal's loop, where
``portal.call`` would first wait for the task to be spawned, a second round trip): calls from
many threads are serialised onto that one loop, and a call made from a thread that runs its
own event loop, or from an anyio worker thread of one, does not deadlock (it only blocks that
thread). The portal itself still starts and stops the loop and enters and leaves the client.

Traps: the portal's own thread must never make a blocking call (anyio refuses it), so
nothing here runs user code on that thread; and a new flow on ``AsyncUserPool`` reaches this
class with no edit here: its blocking twin is declared beside it in ``_flows/``.

What must be released (the portal, the client entered on it, the calls in flight) lives in
``_Runtime``, apart from ``UserPool``, so that a pool collected without ``close()`` is closed
by a finalizer that holds the runtime and not the pool (``_exit.close_when_collected``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures

# Imported now so that its exit hook is registered before ours, and so runs after it (the
# hooks run last-in, first-out): see `_exit.py`.
import concurrent.futures.thread
import contextlib
import contextvars
import functools
import importlib
import inspect
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Generator, Mapping
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar

from anyio.from_thread import BlockingPortal, start_blocking_portal

from . import _exit
from ._admin import AllAdminBlocking, AsyncUserPoolAdmin
from ._client import AsyncUserPool
from ._config import (
    AdminConfig,
    AdminOptions,
    PoolConfig,
    PoolOptions,
    check_seconds,
    with_pool_options,
)
from ._connection import CLOSE_GRACE, Connection
from ._errors import InvalidParameterError, PoolClosedError
from ._flows import AllBlocking

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

__all__ = ["BlockingConnection", "UserPool", "UserPoolAdmin"]

logger = logging.getLogger("cognito_user_pool")

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
C = TypeVar("C", bound=Connection)


class _Runtime:
    """What one ``UserPool`` owns: its portal, the ``AsyncUserPool`` entered on it, and the
    calls in flight. Never refers to the ``UserPool``, so a finalizer may hold it."""

    def __init__(self, pool: Connection, owner: str, thread_name: str) -> None:
        self.pool = pool
        self.owner = owner  # the class name, for messages
        self.thread_name = thread_name
        self.lock = threading.Condition()
        self.portal: BlockingPortal | None = None
        self.loop: asyncio.AbstractEventLoop | None = None  # the portal's loop, once started
        self.stack: ExitStack | None = None
        self.loop_thread = 0  # the ident of the portal's thread, once started
        self.in_flight = 0
        self.closed = False
        self.released = threading.Event()

    def closed_error(self) -> PoolClosedError:
        return PoolClosedError(f"this {self.owner} is closed")

    def open(self) -> tuple[asyncio.AbstractEventLoop, bool]:
        """The portal's loop, and whether this call started it; the caller holds ``lock``."""
        if self.closed:
            raise self.closed_error()
        if self.loop is not None:
            return self.loop, False
        stack = ExitStack()
        try:
            portal = stack.enter_context(start_blocking_portal(name=self.thread_name))
            stack.enter_context(portal.wrap_async_context_manager(self.pool))
            self.loop_thread, loop = portal.call(_loop_of_this_thread)
        except BaseException:
            stack.close()
            raise
        self.stack, self.portal, self.loop = stack, portal, loop
        return loop, True

    def enter(self) -> tuple[asyncio.AbstractEventLoop, bool]:
        """Count one call in flight (``close()`` waits for it), opening the portal if need be."""
        with self.lock:
            loop, started = self.open()
            self.in_flight += 1
            return loop, started

    def leave(self, _: object = None) -> None:
        """One call is over (also a Future's done callback, hence the ignored argument)."""
        with self.lock:
            self.in_flight -= 1
            if not self.in_flight:
                self.lock.notify_all()

    def close(self, grace: float) -> None:
        """Refuse new calls, give those in flight ``grace`` seconds, then release the client
        and the portal. A second close() waits for the first."""
        with self.lock:
            first, self.closed = not self.closed, True
        if threading.get_ident() == self.loop_thread:
            # On the loop's thread (a done callback, a finalizer): waiting here would wait
            # for ourselves, so the closer thread does the work.
            if first:
                _exit.close_later(functools.partial(self._release, grace))
            return
        if first:
            self._release(grace)
        else:
            self.released.wait()

    def _release(self, grace: float) -> None:
        try:
            deadline = time.monotonic() + grace
            with self.lock:
                # Whole flows first (login sends two requests), then the core's aclose()
                # cuts off the requests still waiting, with FlowCancelledError.
                self.lock.wait_for(lambda: not self.in_flight, grace)
                portal = self.portal
            if portal is not None:
                left = max(0.0, deadline - time.monotonic())
                portal.call(functools.partial(self.pool.aclose, grace=left))
                with self.lock:
                    self.lock.wait_for(lambda: not self.in_flight)  # they end at once now
            with self.lock:
                stack, self.stack, self.portal, self.loop = self.stack, None, None, None
            if stack is not None:
                stack.close()
        finally:
            self.released.set()


class BlockingConnection(Generic[C]):
    """The blocking form of one async :class:`Connection` (``AsyncUserPool``,
    ``AsyncUserPoolAdmin``): its portal, its life (``with``, ``close()``, close at exit and
    when collected) and ``_run``, which the blocking twins (``blocking()``) call. Subclasses
    build the async object and call ``_setup``."""

    _pool: C

    def _setup(self, core: C, close_at_exit: object) -> None:
        self._pool = core
        if not isinstance(close_at_exit, bool):
            raise InvalidParameterError(
                "close_at_exit must be True or False", field="close_at_exit"
            )
        self._close_at_exit = close_at_exit
        self._runtime = _Runtime(core, type(self).__name__, f"cognito-user-pool-{id(self):x}")
        self._entered = False
        # Closes the runtime once this pool is collected, from when there is one to close.
        self._collected: weakref.finalize[..., object] | None = None

    @property
    def is_closed(self) -> bool:
        """True once ``close()`` has begun; a closed pool cannot be reopened."""
        return self._runtime.closed

    def __repr__(self) -> str:
        runtime = self._runtime
        state = "closed" if runtime.closed else "opened" if runtime.portal else "unopened"
        return f"{type(self).__name__}({self._pool._config.describe()}, state={state})"

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Self:
        with self._runtime.lock:
            if self._runtime.closed:
                raise self._runtime.closed_error()
            if self._entered:  # as AsyncUserPool's `async with`
                raise PoolClosedError(f"this {type(self).__name__} was already entered")
            self._entered = True
            _, started = self._runtime.open()
        if started:
            self._watch()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self, *, grace: float = CLOSE_GRACE) -> None:
        """Refuse new calls, let the calls in flight finish for up to ``grace`` seconds, cut
        off those still waiting for Cognito, then close the HTTP client and stop the portal.

        Idempotent (a second call waits for the first); later calls raise
        :class:`PoolClosedError`. Do not call it from inside a flow.

        :param grace: how long calls in flight may still take, in seconds (0: cut them off
            at once), as for ``AsyncUserPool.aclose()``. A call cut off raises
            :class:`FlowCancelledError` (or, between two requests, :class:`PoolClosedError`).
        :raises InvalidParameterError: ``grace`` is not a finite number >= 0.
        """
        self._runtime.close(check_seconds(grace, "grace"))
        _exit.forget_at_exit(self)
        if self._collected is not None:
            self._collected.detach()

    def _watch(self) -> None:
        """The portal started: close it at exit, or once this pool is collected."""
        if self._close_at_exit:
            _exit.close_at_exit(self)
        self._collected = _exit.close_when_collected(
            self, functools.partial(self._runtime.close, CLOSE_GRACE)
        )

    def _enter_call(self) -> asyncio.AbstractEventLoop:
        loop, started = self._runtime.enter()
        if started:
            self._watch()
        return loop

    def _enter_blocking_call(self) -> asyncio.AbstractEventLoop:
        """As ``_enter_call``, for a caller that will wait: refused on the loop's own thread,
        where waiting for the loop would wait for ever (the error anyio's portal raised)."""
        if threading.get_ident() == self._runtime.loop_thread:
            raise RuntimeError("This method cannot be called from the event loop thread")
        return self._enter_call()

    def _run(
        self,
        flow: Callable[Concatenate[C, P], Awaitable[R]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Run one coroutine function of the async object on the portal's loop; wait for its
        result (one hop there, one back)."""
        loop = self._enter_blocking_call()
        try:
            return _start(loop, flow, self._pool, *args, **kwargs).result()
        finally:
            self._runtime.leave()

    def _iterate(
        self,
        pages: Callable[Concatenate[C, P], AsyncIterator[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Generator[T, None, None]:
        """The blocking form of an async iterator of the async object (a paginated list):
        each item is fetched on the portal as the caller asks for it, so a long listing is
        never held whole, and one left unfinished is closed."""
        iterator = pages(self._pool, *args, **kwargs)
        try:
            while True:
                loop = self._enter_blocking_call()
                try:
                    item = _start(loop, _next_or_end, iterator).result()
                finally:
                    self._runtime.leave()
                if item is _END:
                    return
                yield item  # type: ignore[misc]
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None and not self._runtime.closed and self._runtime.portal:
                with contextlib.suppress(Exception):
                    self._runtime.portal.call(aclose)


class UserPool(BlockingConnection[AsyncUserPool], AllBlocking):
    """The users of one Cognito user pool app client, as blocking calls.

    The same flows, arguments, results and errors as :class:`AsyncUserPool`, run on one
    long-lived event loop in a background thread (an anyio blocking portal). Safe to share
    between threads. The portal starts on ``with`` or on the first call, and stops on
    ``close()``; a pool left open is closed at interpreter exit, and one garbage-collected
    without ``close()`` is closed then (on a closer thread of the library's, with no
    "Unclosed client session" warning). Once closed, every call raises
    :class:`PoolClosedError`.

    Usage::

        with UserPool("eu-west-1_AbC123", "1example23456789") as pool:
            result = pool.login(username="alice", password="correct horse")
            if isinstance(result, Tokens):
                print(pool.profile(auth=result).as_dict())

    :param user_pool_id: ``<region>_<id>``; the region defaults to its prefix.
    :param client_id: the app client id.
    :param close_at_exit: close the pool at interpreter exit if it is still open (so calls
        in flight finish); ``False`` for an owner that closes it itself.
    :param options: the client secret, region, endpoint, retries and timeouts, as keywords:
        :class:`PoolConfig` lists them, checks them and holds their defaults.
    :raises InvalidParameterError: for a malformed pool id, client id or option.
    :raises PoolClosedError: from any call made after ``close()``, and from ``with`` on a
        closed pool or one already entered.
    :raises FlowCancelledError: from a call ``close()`` cut off after its ``grace``.
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
        self._setup(AsyncUserPool(user_pool_id, client_id, **options), close_at_exit)

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

    # The flows: inherited, each declared beside its coroutine in _flows/ (`blocking()`).

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

        ``close()`` waits for these calls too, for up to its ``grace`` (the Future of one cut
        off fails with :class:`FlowCancelledError`). The Future's done callbacks run on the
        event loop's thread: they must not block, nor call this pool.

        :returns: a ``concurrent.futures.Future`` of the flow's result.
        :raises InvalidParameterError: ``flow`` is not a coroutine function.
        :raises PoolClosedError: after ``close()``.
        """
        if not inspect.iscoroutinefunction(flow):
            raise InvalidParameterError(
                "flow must be a coroutine function such as AsyncUserPool.login", field="flow"
            )
        runtime = self._runtime
        loop = self._enter_call()
        try:
            future = _start(loop, flow, self._pool, *args, **kwargs)
        except BaseException:
            runtime.leave()
            raise
        # The runtime's method, not this pool's: a call in flight must not keep it alive.
        future.add_done_callback(runtime.leave)
        return future


class UserPoolAdmin(BlockingConnection[AsyncUserPoolAdmin], AllAdminBlocking):
    """The users and groups of one Cognito user pool, managed by a backend, as blocking calls.

    The same operations, arguments, results and errors as :class:`AsyncUserPoolAdmin`, run
    on one long-lived event loop in a background thread, as :class:`UserPool` runs the user
    flows; a listing (``list_users``...) is a plain iterator whose pages are fetched as it
    is read.

    Usage::

        with UserPoolAdmin("eu-west-1_AbC123") as admin:
            admin.admin_disable_user(username="ann")
            for user in admin.list_users(filter='status = "Disabled"'):
                print(user.username)

    :param user_pool_id: ``<region>_<id>``.
    :param close_at_exit: close the client at interpreter exit if it is still open.
    :param options: as for :class:`AsyncUserPoolAdmin` (:class:`AdminConfig`).
    :raises InvalidParameterError: for a malformed pool id or option.
    :raises PoolClosedError: from any call made after ``close()``.
    """

    @with_pool_options(AdminOptions, AdminConfig)
    def __init__(
        self, user_pool_id: str, *, close_at_exit: bool = True, **options: Unpack[AdminOptions]
    ) -> None:
        self._setup(AsyncUserPoolAdmin(user_pool_id, **options), close_at_exit)

    @classmethod
    def from_config(cls, config: AdminConfig) -> UserPoolAdmin:
        """An admin client for an existing ``AdminConfig``."""
        return cls(config.user_pool_id, **config.options())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> UserPoolAdmin:
        """As ``AsyncUserPoolAdmin.from_env``."""
        return cls.from_config(AdminConfig.from_env(environ))

    @property
    def config(self) -> AdminConfig:
        """The admin client's configuration (immutable)."""
        return self._pool.config


def _loop_of_this_thread() -> tuple[int, asyncio.AbstractEventLoop]:
    """The portal's thread and loop, read on that thread: an asyncio loop, since the portal is
    started with anyio's default backend (no other is offered)."""
    return threading.get_ident(), asyncio.get_running_loop()


def _sniffio_name() -> contextvars.ContextVar[str | None] | None:
    """sniffio's name of the running async library, where sniffio is installed (anyio no
    longer needs it, older anyio and other libraries read it)."""
    try:
        module = importlib.import_module("sniffio")
    except ImportError:
        return None
    name: contextvars.ContextVar[str | None] = module.current_async_library_cvar
    return name


_ASYNC_LIBRARY = _sniffio_name()


def _start(
    loop: asyncio.AbstractEventLoop,
    function: Callable[P, Awaitable[R]],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> concurrent.futures.Future[R]:
    """Run ``function(*args, **kwargs)`` as a task on ``loop``, from another thread, in one hop:
    a Future of its result, whose done callbacks run on the loop's thread. Cancelling the
    Future cancels the task.

    Not ``BlockingPortal.start_task_soon``, which waits for the loop to spawn the task before
    returning: a second round trip per call. Nor ``anyio.from_thread.run(token=...)``: called
    from an anyio worker thread of another event loop, it puts the task in that thread's
    cancel scope, which belongs to the other loop. This reads nothing of the calling thread's
    anyio state, so such callers need no path of their own. As anyio's portal does, the task
    runs in a copy of the caller's context, marked as asyncio's for sniffio.
    """
    try:
        awaitable = function(*args, **kwargs)
    except Exception as exc:  # as in a task: the failure goes into the Future
        failed: concurrent.futures.Future[R] = concurrent.futures.Future()
        failed.set_exception(exc)
        return failed
    coroutine: Coroutine[Any, Any, R] = (
        awaitable if asyncio.iscoroutine(awaitable) else _awaited(awaitable)
    )
    context = contextvars.copy_context()
    if _ASYNC_LIBRARY is not None:
        context.run(_ASYNC_LIBRARY.set, "asyncio")
    try:
        return context.run(asyncio.run_coroutine_threadsafe, coroutine, loop)
    except BaseException:
        coroutine.close()  # never started: no "coroutine was never awaited" warning
        raise


async def _awaited(awaitable: Awaitable[R]) -> R:
    """A coroutine of any awaitable (``run_coroutine_threadsafe`` takes coroutines only)."""
    return await awaitable


_END = object()


async def _next_or_end(iterator: AsyncIterator[T]) -> T | object:
    """The iterator's next item, or ``_END`` (StopAsyncIteration cannot cross the portal)."""
    try:
        return await iterator.__anext__()
    except StopAsyncIteration:
        return _END
