"""The shims' lifetimes: closed at interpreter exit if left open, closed when collected unclosed.

One registry for ``UserPool`` and ``CallbackUserPool`` alike. The exit hook runs from
``threading``'s exit hooks, before ``concurrent.futures`` refuses new work: plain ``atexit``
runs after that, when asyncio can no longer resolve a host name (``getaddrinfo`` runs in the
loop's default executor), so no request could finish. ``threading._register_atexit`` is
private CPython API (there since 3.9); where it is missing, ``atexit.register`` is the
fallback, and a test runs both.

A shim collected without ``close()`` is closed by a ``weakref.finalize`` callback that holds
what the shim owns, never the shim. The finalizer runs on whichever thread dropped the last
reference, possibly the event loop's own thread, where closing would wait for itself ("cannot
join current thread"); so it only queues the close for one closer thread. ``SimpleQueue.put``
is the one queue operation documented as safe in weakref callbacks and ``__del__``; the closer
thread is started beforehand, in ordinary code, and the exit hook drains it.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Protocol

__all__ = ["close_at_exit", "close_later", "close_when_collected", "forget_at_exit"]

logger = logging.getLogger("cognito_user_pool")


class _Closable(Protocol):
    def close(self) -> None: ...


# Shims still open, closed (newest first) when the interpreter exits.
_OPEN_AT_EXIT: weakref.WeakValueDictionary[int, _Closable] = weakref.WeakValueDictionary()
_exit_lock = threading.Lock()
_exit_hook_registered = False

# Closes handed over by finalizers (and by a close() made on an event loop's thread).
_CLOSES: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
_closer: threading.Thread | None = None


def _exit_hook_registrar() -> Callable[[Callable[[], None]], object]:
    """``threading._register_atexit`` where CPython has it, else ``atexit.register``."""
    registrar: Callable[[Callable[[], None]], object] = getattr(
        threading, "_register_atexit", atexit.register
    )
    return registrar


def _register_exit_hook() -> None:
    """Register the exit hook once; the caller holds ``_exit_lock``."""
    global _exit_hook_registered
    if not _exit_hook_registered:
        _exit_hook_registrar()(_close_open_shims)
        _exit_hook_registered = True


def close_at_exit(shim: _Closable) -> None:
    """Close ``shim`` at interpreter exit unless it was closed (or collected) before."""
    with _exit_lock:
        _OPEN_AT_EXIT[id(shim)] = shim
        _register_exit_hook()


def forget_at_exit(shim: _Closable) -> None:
    """``shim`` was closed: nothing to do for it at exit."""
    with _exit_lock:
        if _OPEN_AT_EXIT.get(id(shim)) is shim:
            del _OPEN_AT_EXIT[id(shim)]


def close_when_collected(shim: object, close: Callable[[], None]) -> weakref.finalize[..., object]:
    """Run ``close`` on the closer thread once ``shim`` is garbage-collected.

    ``close`` must not refer to ``shim`` (or the shim is never collected). The returned
    finalizer is ``detach()``-ed by a shim closed by hand. It does not run at exit: open shims
    are closed by the exit hook, or by the owner that asked not to be (``close_at_exit=False``).
    """
    _start_closer()
    finalizer = weakref.finalize(shim, _CLOSES.put, close)
    finalizer.atexit = False
    return finalizer


def close_later(close: Callable[[], None]) -> None:
    """Run ``close`` on the closer thread, for a thread that must not wait for it."""
    _start_closer()
    _CLOSES.put(close)


def _start_closer() -> None:
    global _closer
    with _exit_lock:
        if _closer is not None and _closer.is_alive():
            return
        # A daemon, or it would keep the interpreter alive: the exit hook drains it.
        closer = threading.Thread(target=_run_closes, name="cognito-user-pool-closer")
        closer.daemon = True
        try:
            _register_exit_hook()
            closer.start()
        except RuntimeError:  # interpreter shutdown: no new hook, no new thread
            logger.debug("no closer thread at interpreter shutdown")
            return
        _closer = closer


def _run_closes() -> None:
    while (close := _CLOSES.get()) is not None:
        try:
            close()
        except BaseException:  # the closer outlives any one close
            logger.exception("closing a collected cognito_user_pool shim failed")
        del close


def _close_open_shims() -> None:
    """The exit hook: close the shims still open, then wait for the closes already queued."""
    global _closer
    with _exit_lock:
        shims = list(_OPEN_AT_EXIT.values())
    for shim in reversed(shims):
        try:
            shim.close()
        except Exception:
            logger.exception("closing a %s at interpreter exit failed", type(shim).__name__)
    del shims
    with _exit_lock:
        closer, _closer = _closer, None
    if closer is not None and closer.is_alive():
        _CLOSES.put(None)
        closer.join()
