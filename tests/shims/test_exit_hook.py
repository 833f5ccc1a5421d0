"""The close-at-exit hook: threading's exit hooks where CPython has them, atexit otherwise."""

from __future__ import annotations

import atexit
import threading

import pytest

from cognito_user_pool import _exit


def test_threading_exit_hooks_are_preferred() -> None:
    """Where threading._register_atexit exists, the hook goes there (before asyncio's
    executors refuse work at exit)."""
    assert _exit._exit_hook_registrar() is threading._register_atexit  # type: ignore[attr-defined]


def test_atexit_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the private CPython hook, atexit.register is used instead."""
    monkeypatch.delattr(threading, "_register_atexit")
    assert _exit._exit_hook_registrar() is atexit.register


def test_a_closed_shim_is_forgotten() -> None:
    """close_at_exit remembers a shim until forget_at_exit, and only that shim."""

    class Shim:
        closed = 0

        def close(self) -> None:
            self.closed += 1

    first, second = Shim(), Shim()
    _exit.close_at_exit(first)
    _exit.close_at_exit(second)
    _exit.forget_at_exit(first)
    try:
        assert second in _exit._OPEN_AT_EXIT.values()
        assert first not in _exit._OPEN_AT_EXIT.values()
    finally:
        _exit.forget_at_exit(second)
