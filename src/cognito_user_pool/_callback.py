"""CallbackUserPool: the Node library's calling convention, ``method(params, callback)``.

A thin layer over :class:`UserPool`'s portal: each call starts the async flow on the portal's
loop (``UserPool.submit``, one hop) and returns at once; when the flow ends, the user's
callback is handed to one of the wrapper's own worker threads, never run on the event loop's
thread (where a nested blocking call would deadlock, and a slow callback would stall every
other call). A call with no callback, whose Future nobody asked to be told about
(``add_done_callback``), runs no user code at all when it ends: its Future is resolved on the
loop's thread, which wakes whoever waits on it, and the hop to a worker is saved.

The Node <-> Python mapping is data, in ``_node.py``: method names come from ``FLOWS`` (each
flow's ``node_name``), parameters and results from each flow's signature and result type. A
change to a flow in the core reaches this shim with no edit here.

Nothing the user hands in may break delivery: a callback that raises (even ``SystemExit``) is
logged and its worker goes on; a ``params`` object that raises when read is an
``InvalidParameterError``; each accepted call is counted until its callback returned, so that
``close()`` (and interpreter exit) can wait for it and never waits for a call that was lost.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from . import _exit
from ._config import TransportOptions, check_seconds, with_pool_options
from ._connection import CLOSE_GRACE
from ._errors import CognitoError, FlowCancelledError, InvalidParameterError, PoolClosedError
from ._flows import FLOWS, Flow
from ._node import NodeFlow, pool_options
from ._sync import UserPool

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["CallbackUserPool", "NodeCallback", "NodeMethod"]

logger = logging.getLogger("cognito_user_pool")

NodeCallback = Callable[[CognitoError | None, Any], object]
"""``callback(err, data)``: ``err`` is ``None`` on success, ``data`` is ``None`` on failure."""


class NodeMethod(Protocol):
    """One Node-style method: ``method(params, callback)``.

    Returns at once. ``callback(err, data)`` runs exactly once, on a worker thread, when the
    flow ends. The returned Future resolves to ``data`` (or fails with ``err``) after the
    callback has returned; without a callback, use the Future alone.
    """

    def __call__(
        self, params: Mapping[str, Any], callback: NodeCallback | None = None
    ) -> Future[Any]: ...


def _node_method(flow: Flow) -> Callable[..., Future[Any]]:
    """The camelCase method of one flow: a plain function, so that Python's tools see a
    method (``callable``, ``inspect``, ``help``, ``mock.create_autospec``)."""
    spec = NodeFlow(flow)

    def method(
        self: CallbackUserPool, params: Mapping[str, Any], callback: NodeCallback | None = None
    ) -> Future[Any]:
        return self._call(spec, params, callback)

    method.__name__ = flow.node_name
    method.__qualname__ = f"CallbackUserPool.{flow.node_name}"
    method.__doc__ = (
        f"Node-style ``{flow.node_name}(params, callback)``: runs "
        f"``AsyncUserPool.{flow.name}`` and calls ``callback(err, data)`` once.\n\n"
        f"``params`` keys: {', '.join(f'``{key}``' for key in spec.params) or 'none'}"
        f" (required: {', '.join(f'``{key}``' for key in spec.required) or 'none'}).\n"
        "Returns a ``concurrent.futures.Future`` of ``data``."
    )
    _NODE_FLOWS[flow.node_name] = spec
    return method


# Node name -> what the shim knows of that flow, filled as the methods are made.
_NODE_FLOWS: dict[str, NodeFlow] = {}


class _Outcome(Future[Any]):
    """The Future a call returns. It knows whether anyone asked to be told when it resolves
    (``add_done_callback``, which ``asyncio.wrap_future`` uses too): one that nobody listens
    to may be resolved on the event loop's thread, since then only its waiters wake there."""

    def __init__(self) -> None:
        super().__init__()
        self._gate = threading.Lock()
        self._listened = False

    def add_done_callback(self, fn: Callable[[Future[Any]], object]) -> None:
        # Listened to before the callback is added: a resolver that saw no listener resolved
        # first, and then this runs `fn` at once, here (the standard rule for a done Future).
        with self._gate:
            self._listened = True
        super().add_done_callback(fn)

    def resolve_unless_listened(self, err: CognitoError | None, data: Any) -> bool:
        """Resolve now, unless a done callback may run here; False if one may."""
        with self._gate:
            if self._listened:
                return False
            _resolve(self, err, data)
            return True


def _resolve(future: Future[Any], err: CognitoError | None, data: Any) -> None:
    if err is None:
        future.set_result(data)
    else:
        future.set_exception(err)


class _Call:
    """One call's delivery: the callback runs, then the Future resolves, exactly once."""

    __slots__ = ("_delivered", "_lock", "callback", "future", "name")

    def __init__(self, name: str, callback: NodeCallback | None) -> None:
        self.name = name
        self.callback = callback
        self.future = _Outcome()
        # Running, so that the caller cannot cancel it: cancelled, it would refuse the
        # outcome (InvalidStateError) in the middle of delivery. close() cuts calls off.
        self.future.set_running_or_notify_cancel()
        self._delivered = False
        self._lock = threading.Lock()

    def deliver(self, err: CognitoError | None, data: Any) -> None:
        with self._lock:
            if self._delivered:  # pragma: no cover - each path delivers once; belt and braces
                return
            self._delivered = True
        try:
            if self.callback is not None:
                # Outside any `try` that reports to this callback: whatever it raises, even
                # SystemExit or KeyboardInterrupt, is logged (never fed back to it as `err`)
                # and goes no further: it would end the worker thread, and with it the
                # delivery of every later callback.
                try:
                    self.callback(err, data)
                except BaseException as exc:
                    logger.exception("the callback of %s raised %s", self.name, type(exc).__name__)
        finally:  # whoever waits is released, whatever happened above
            _resolve(self.future, err, data)

    def deliver_quietly(self, err: CognitoError | None, data: Any) -> bool:
        """Deliver on this thread if no user code runs in doing so (no callback, and no
        done callback on the Future); False: nothing was done, hand it to a worker."""
        if self.callback is not None:
            return False
        with self._lock:
            if self._delivered or not self.future.resolve_unless_listened(err, data):
                return False
            self._delivered = True
        return True


class _Workers:
    """Daemon threads that run the users' callbacks, started on demand up to ``size``.

    Not a ``ThreadPoolExecutor``: its threads refuse new work once interpreter shutdown
    begins, which is before ``atexit`` hooks run, and the close-at-exit hook must still
    deliver the callbacks of the calls it waits for.
    """

    def __init__(self, size: int, name: str) -> None:
        self._size = size
        self._name = name
        self._queue: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stopped = False

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._stopped:
                raise RuntimeError("the callback threads are stopped")
            self._queue.put(job)
            if not self._idle.acquire(blocking=False) and len(self._threads) < self._size:
                thread = threading.Thread(
                    target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True
                )
                try:
                    thread.start()
                except RuntimeError:
                    # CPython 3.12.0-3.12.2 refuse new threads once the main thread has
                    # ended (gh-113964), when the close-at-exit hook runs: a running worker
                    # takes the queued job when it is free. Without one, run it here.
                    if not self._threads:
                        self._queue.get_nowait()
                        job()
                    return
                self._threads.append(thread)

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                job()
            except BaseException:  # jobs report their own failures; a worker never dies
                logger.exception("a callback job of cognito_user_pool failed")
            del job
            self._idle.release()

    def stop(self) -> None:
        """Stop the threads once the queued jobs ran; never joins the calling thread."""
        with self._lock:
            self._stopped = True
            threads = list(self._threads)
            for _ in threads:
                self._queue.put(None)
        me = threading.current_thread()
        for thread in threads:
            if thread is not me:
                thread.join()


class CallbackUserPool:
    """The Node library's ``CognitoUserPool``: ``wrapper.login(params, callback)``.

    Every method returns at once and calls ``callback(err, data)`` exactly once, on one of
    the wrapper's worker threads, with ``err`` a :class:`CognitoError` (``.code``, ``.name``,
    ``.message``) or ``None``. Nothing raises into the caller after construction: bad params,
    a closed wrapper and unexpected failures all reach the callback. Each method also returns a
    ``concurrent.futures.Future`` of ``data``, resolved after the callback returned, which is
    the way to wait (or to call without a callback); it cannot be cancelled. A ``callback``
    that is not callable is refused through that Future, and logged.

    ``params`` must be a mapping: one that raises when it is read (iterated, looked up...)
    reaches the callback as ``InvalidParameterError`` (``field="params"``), named by the type
    of what it raised, never its message. A ``KeyboardInterrupt`` or ``SystemExit`` raised
    while reading it is delivered the same way, then re-raised in the caller: it is the
    caller's own signal to stop.

    Whatever a callback raises, ``SystemExit``, ``KeyboardInterrupt`` and ``GeneratorExit``
    included, is logged with its traceback (logger ``cognito_user_pool``, level ERROR) and
    goes no further: not back to the callback as ``err``, not into the Future (which still
    gets ``data`` or ``err``), and not into the worker thread, which goes on delivering.

    Usage::

        wrapper = CallbackUserPool({"UserPoolId": "eu-west-1_AbC123", "ClientId": "1ex"})

        def on_login(err, data):
            if err:
                print(err.code)
            elif "nextStep" in data:
                print("next:", data["nextStep"])

        wrapper.login({"username": "alice", "password": "..."}, on_login)

    ``close()`` (or leaving ``with``) waits for the calls in flight and their callbacks, and
    calls that those callbacks make (so Node-style chains finish), then releases the HTTP
    client, the event loop and the threads; later calls fail with ``CognitoUserPool.Closed``
    (:class:`PoolClosedError`). Calls still waiting for Cognito after ``close(grace=...)``
    seconds (10 by default) are cut off: their callbacks get :class:`FlowCancelledError`, and
    calls made from those callbacks :class:`PoolClosedError`. A running callback is never
    interrupted: ``close()`` waits for it. Called from inside a callback, ``close()`` cannot
    wait for that callback: it returns, and the last call to finish releases everything.
    Wrappers left open are closed at interpreter exit the same way, so pending callbacks still
    run; a wrapper garbage-collected without ``close()`` (never while a call is pending: each
    call holds it) is closed then, on a closer thread of the library's.

    :param pool_data: ``UserPoolId``, ``ClientId`` and ``Paranoia`` as the Node library took
        them, plus optional ``ClientSecret``, ``Region`` and ``endpoint`` (an endpoint URL).
    :param callback_threads: how many callbacks may run at once.
    :param options: retries, timeouts and connections, as keywords: see :class:`PoolConfig`.
    :raises InvalidParameterError: for bad pool data. The constructor is the one place that
        raises: there is no callback yet to report to.
    """

    if TYPE_CHECKING:
        # The camelCase methods are made from FLOWS just after the class, so no Node name is
        # written by hand. Type checkers see every one of them as a NodeMethod (they cannot
        # derive names from a registry; a misspelt name fails at run time, AttributeError).
        def __getattr__(self, name: str) -> NodeMethod: ...

    @with_pool_options(TransportOptions)
    def __init__(
        self,
        pool_data: Mapping[str, Any],
        *,
        callback_threads: int = 8,
        **options: Unpack[TransportOptions],
    ) -> None:
        named = pool_options(pool_data)
        if (
            isinstance(callback_threads, bool)
            or not isinstance(callback_threads, int)
            or (callback_threads < 1)
        ):
            raise InvalidParameterError(
                "callback_threads must be a positive integer", field="callback_threads"
            )
        # This wrapper closes its UserPool itself, after its own callbacks have run.
        self._sync = UserPool(
            named.pop("user_pool_id"),
            named.pop("client_id"),
            close_at_exit=False,
            **named,
            **options,
        )
        self._workers = _Workers(callback_threads, f"cognito-user-pool-callback-{id(self):x}")
        self._cond = threading.Condition()
        self._local = threading.local()
        self._pending = 0  # calls accepted whose callback has not returned yet
        self._state = "open"  # open -> closing -> closed
        self._releasing = False
        self._closers = 0  # close() calls waiting outside the callbacks
        self._released = threading.Event()
        _exit.close_at_exit(self)
        # Holds what to release, never the wrapper (a finalizer holding it would keep it).
        self._collected: weakref.finalize[..., object] = _exit.close_when_collected(
            self, functools.partial(_release_collected, self._sync, self._workers)
        )

    @property
    def pool(self) -> UserPool:
        """The blocking :class:`UserPool` underneath, sharing this wrapper's portal."""
        return self._sync

    @property
    def is_closed(self) -> bool:
        """True once ``close()`` has begun."""
        return self._state != "open"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._sync!r}, state={self._state})"

    def __enter__(self) -> CallbackUserPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self, *, grace: float = CLOSE_GRACE) -> None:
        """Wait for the calls in flight and their callbacks, then release the client, the
        event loop and the threads. Idempotent.

        :param grace: how long the calls in flight (and the calls their callbacks make) may
            still take, in seconds, as for ``AsyncUserPool.aclose()``. After that those still
            waiting for Cognito are cut off: their callbacks get :class:`FlowCancelledError`
            (or :class:`PoolClosedError`, between two requests). Running callbacks are never
            interrupted: close() waits for them.
        :raises InvalidParameterError: ``grace`` is not a finite number >= 0.
        """
        wait = check_seconds(grace, "grace")
        in_callback = self._in_callback()
        with self._cond:
            if self._state == "open":
                self._state = "closing"
            if in_callback:
                # Waiting here would wait for ourselves: the last call out releases instead.
                return
            self._closers += 1
        try:
            with self._cond:
                finished = self._cond.wait_for(lambda: not self._pending, wait)
            if not finished:
                # Cut the flows off: their callbacks get FlowCancelledError, and the calls
                # those make find the pool closed. Then wait for the callbacks themselves.
                self._sync.close(grace=0)
                with self._cond:
                    self._cond.wait_for(lambda: not self._pending)
        finally:
            with self._cond:
                self._closers -= 1
        self._release()

    # -- one call --------------------------------------------------------------------------

    def _call(self, spec: NodeFlow, params: object, callback: object) -> Future[Any]:
        name = spec.flow.node_name
        if callback is not None and not callable(callback):
            refusal = InvalidParameterError(
                f"{name}: callback must be a function or None, not {type(callback).__name__}",
                field="callback",
            )
            logger.warning("%s was called with a callback that is not callable", name)
            refused: Future[Any] = Future()
            refused.set_exception(refusal)
            return refused
        call = _Call(name, callback)
        if not self._admit():
            _deliver_on_own_thread(call, _closed(name))
            return call.future
        # From here the call is pending: every way out delivers it, or close() would wait
        # for it for ever.
        try:
            kwargs = spec.kwargs(params)
        except CognitoError as exc:
            self._deliver(call, exc, None)
            return call.future
        except BaseException as exc:  # the params object's own code raised
            self._deliver(call, _unreadable_params(name, exc), None)
            if isinstance(exc, Exception):
                return call.future
            raise  # KeyboardInterrupt, SystemExit: the caller's own signal to stop
        try:
            started = self._sync.submit(spec.run, kwargs=kwargs)
        except PoolClosedError:  # our UserPool was closed under us (close()'s grace ran out)
            self._deliver(call, _closed(name), None)
            return call.future
        except BaseException as exc:
            self._deliver(call, spec.unexpected(exc), None)
            if isinstance(exc, Exception):
                return call.future
            raise
        started.add_done_callback(functools.partial(self._flow_done, spec, call))
        return call.future

    def _flow_done(self, spec: NodeFlow, call: _Call, started: Future[tuple[Any, Any]]) -> None:
        """Runs on the event loop's thread: hand the outcome to a worker, or, when no user code
        would run, deliver it here, nothing more."""
        err: CognitoError | None
        try:
            if started.cancelled():
                err = FlowCancelledError(f"{spec.flow.node_name} was cancelled")
                data = None
            elif (exc := started.exception()) is not None:
                err, data = spec.unexpected(exc), None
            else:
                err, data = started.result()
        except Exception as exc:  # pragma: no cover - `spec.run` always returns a pair
            err, data = spec.unexpected(exc), None
        if not call.deliver_quietly(err, data):
            self._deliver(call, err, data)
        elif self._settle():
            # The last call out after a close() from a callback: releasing joins the
            # workers and waits for the loop, so never here, on the loop's thread.
            self._workers.submit(self._release)

    def _deliver(self, call: _Call, err: CognitoError | None, data: Any) -> None:
        """Run the callback on a worker thread; the call stops being pending afterwards."""
        self._workers.submit(functools.partial(self._finish, call, err, data))

    def _finish(self, call: _Call, err: CognitoError | None, data: Any) -> None:
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            call.deliver(err, data)
        finally:
            self._local.depth -= 1
            if self._settle():
                self._release()

    def _settle(self) -> bool:
        """One call was delivered: it is no longer pending. True if it was the last one out
        after a close() from a callback, which must then release the wrapper."""
        with self._cond:
            self._pending -= 1
            if self._state == "open":  # only close() waits on the condition
                return False
            self._cond.notify_all()
            # An outside close() waits on the condition and releases by itself; after a
            # close() from a callback, the last call out releases.
            return (
                not self._pending
                and self._state == "closing"
                and not self._releasing
                and not self._closers
            )

    def _admit(self) -> bool:
        """Count a new call, unless the wrapper is closing (calls from its own callbacks are
        still welcome then: they belong to the work being waited for) or closed."""
        in_callback = self._in_callback()
        with self._cond:
            if self._state == "open" or (self._state == "closing" and in_callback):
                self._pending += 1
                return True
            return False

    def _in_callback(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    def _release(self) -> None:
        with self._cond:
            first = not self._releasing
            self._releasing = True
        if not first:
            if not self._in_callback():
                self._released.wait()
            return
        try:
            self._sync.close()
            self._workers.stop()
        finally:
            with self._cond:
                self._state = "closed"
            self._released.set()
            _exit.forget_at_exit(self)
            self._collected.detach()


def _closed(name: str) -> PoolClosedError:
    return PoolClosedError(f"{name}: this CallbackUserPool is closed")


def _unreadable_params(name: str, exc: BaseException) -> InvalidParameterError:
    """A ``params`` object whose own code raised: named by the type of what it raised, never
    by its message (which might quote a value)."""
    error = InvalidParameterError(
        f"{name}: params could not be read as a mapping ({type(exc).__name__})", field="params"
    )
    error.__cause__ = exc
    return error


def _release_collected(sync: UserPool, workers: _Workers) -> None:
    """Close what a wrapper collected without ``close()`` owned (no call can be pending: each
    holds the wrapper). Runs on the closer thread, never one of the workers it stops."""
    sync.close()
    workers.stop()


def _deliver_on_own_thread(call: _Call, err: CognitoError) -> None:
    """Deliver a refusal for a closed wrapper, whose worker threads are gone; never on the
    caller's own stack, as in Node."""
    try:
        threading.Thread(target=call.deliver, args=(err, None), daemon=True).start()
    except RuntimeError:  # interpreter shutdown: no new threads; the Future still fails
        call.future.set_exception(err)


for _flow in FLOWS:
    setattr(CallbackUserPool, _flow.node_name, _node_method(_flow))
del _flow
