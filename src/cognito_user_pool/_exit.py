"""Shims left open are closed at interpreter exit, so that their pending work finishes.

One registry for ``UserPool`` and ``CallbackUserPool`` alike. The hook runs from
``threading``'s exit hooks, before ``concurrent.futures`` refuses new work: plain ``atexit``
runs after that, when asyncio can no longer resolve a host name (``getaddrinfo`` runs in the
loop's default executor), so no request could finish. ``threading._register_atexit`` is
private CPython API (there since 3.9); where it is missing, ``atexit.register`` is the
fallback, and a test runs both.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Protocol

__all__ = ["close_at_exit", "forget_at_exit"]

logger = logging.getLogger("cognito_user_pool")


class _Closable(Protocol):
    def close(self) -> None: ...


# Shims still open, closed (newest first) when the interpreter exits.
_OPEN_AT_EXIT: weakref.WeakValueDictionary[int, _Closable] = weakref.WeakValueDictionary()
_exit_lock = threading.Lock()
_exit_hook_registered = False


def _exit_hook_registrar() -> Callable[[Callable[[], None]], object]:
    """``threading._register_atexit`` where CPython has it, else ``atexit.register``."""
    registrar: Callable[[Callable[[], None]], object] = getattr(
        threading, "_register_atexit", atexit.register
    )
    return registrar


def close_at_exit(shim: _Closable) -> None:
    """Close ``shim`` at interpreter exit unless it was closed (or collected) before."""
    global _exit_hook_registered
    with _exit_lock:
        _OPEN_AT_EXIT[id(shim)] = shim
        if not _exit_hook_registered:
            _exit_hook_registrar()(_close_open_shims)
            _exit_hook_registered = True


def forget_at_exit(shim: _Closable) -> None:
    """``shim`` was closed: nothing to do for it at exit."""
    with _exit_lock:
        if _OPEN_AT_EXIT.get(id(shim)) is shim:
            del _OPEN_AT_EXIT[id(shim)]


def _close_open_shims() -> None:
    with _exit_lock:
        shims = list(_OPEN_AT_EXIT.values())
    for shim in reversed(shims):
        try:
            shim.close()
        except Exception:
            logger.exception("closing a %s at interpreter exit failed", type(shim).__name__)
