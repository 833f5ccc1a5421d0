"""Helpers for the shim tests: a recording Node-style callback and short call wrappers."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

from cognito_user_pool import CognitoError

# Generous: a callback is due within milliseconds, but CI machines stall.
WAIT = 20.0
PASSWORD = "Sup3r-secret!pw"


class Recorder:
    """A Node-style callback that records every call, with the thread it ran on."""

    def __init__(self) -> None:
        self.calls: list[tuple[CognitoError | None, Any]] = []
        self.threads: list[threading.Thread] = []
        self.event = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, err: CognitoError | None, data: Any) -> None:
        with self._lock:
            self.calls.append((err, data))
            self.threads.append(threading.current_thread())
        self.event.set()

    def wait(self, future: Future[Any] | None = None) -> tuple[CognitoError | None, Any]:
        """The one ``(err, data)`` delivered; fails unless exactly one call was made."""
        assert self.event.wait(WAIT), "the callback was never called"
        if future is not None:
            # The Future resolves after the callback returned: nothing more can arrive then.
            future.exception(timeout=WAIT)
        assert len(self.calls) == 1, f"callback called {len(self.calls)} times"
        return self.calls[0]


def call(method: Any, params: Any) -> tuple[CognitoError | None, Any]:
    """Call a Node-style method with a fresh Recorder and return its single ``(err, data)``."""
    recorder = Recorder()
    future = method(params, recorder)
    return recorder.wait(future)


def ok(method: Any, params: Any) -> Any:
    """The data of a call that must succeed."""
    err, data = call(method, params)
    assert err is None, repr(err)
    return data


def failed(method: Any, params: Any) -> CognitoError:
    """The error of a call that must fail."""
    err, data = call(method, params)
    assert data is None
    assert isinstance(err, CognitoError), repr(err)
    return err


@contextlib.contextmanager
def silent_endpoint() -> Iterator[str]:
    """A loopback HTTP endpoint that accepts connections and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)  # so that the acceptor sees `stop` (close() does not wake it)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        acceptor.join(WAIT)
        server.close()
        for connection in accepted:
            connection.close()
