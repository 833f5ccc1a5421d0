"""CallbackUserPool against what its users hand in: callbacks that raise anything (even
SystemExit), Futures the caller tries to cancel, and params objects that raise when read.

Whatever they do, every call is delivered once, later calls are still delivered, close()
returns and the interpreter exits (issue 14, item 3). Against the strict local Cognito.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from cognito_user_pool import (
    CallbackUserPool,
    CognitoError,
    InvalidParameterError,
    NotAuthorizedError,
)

from ..integration.conftest import PASSWORD, Backend
from ..shims._helpers import WAIT, Recorder

SECRET = "s3cret-in-the-exception"


def pool_data(backend: Backend) -> dict[str, Any]:
    local = backend.local
    data = {
        "UserPoolId": local.user_pool_id,
        "ClientId": local.client_id,
        "endpoint": local.endpoint_url,
    }
    if local.client_secret:
        data["ClientSecret"] = local.client_secret
    return data


@pytest.fixture
def backend(make_backend: Callable[..., Backend]) -> Backend:
    made = make_backend()
    made.create_confirmed_user("alice")
    return made


@pytest.fixture
def wrapper(backend: Backend) -> Iterator[CallbackUserPool]:
    """One callback thread: a worker lost to a callback would stop every later delivery."""
    opened = CallbackUserPool(pool_data(backend), callback_threads=1, max_attempts=1)
    yield opened
    assert closes_within(opened), "close() hung"


def closes_within(wrapper: CallbackUserPool, seconds: float = WAIT) -> bool:
    """close() returned within ``seconds`` (on a daemon thread, so a hang fails the test)."""
    closer = threading.Thread(target=wrapper.close, daemon=True)
    closer.start()
    closer.join(seconds)
    return not closer.is_alive()


def wrong_login() -> dict[str, str]:
    return {"username": "alice", "password": PASSWORD + "x"}


def run_script(script: str, backend: Backend) -> subprocess.CompletedProcess[str]:
    """Run ``script`` against the backend in a fresh interpreter; it must end in time."""
    env = {**os.environ, "POOL_DATA": repr(pool_data(backend)), "PW": PASSWORD}
    try:
        return subprocess.run(
            [sys.executable, "-W", "default", "-c", textwrap.dedent(script)],
            env=env,
            capture_output=True,
            text=True,
            timeout=40,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"the interpreter did not exit: {expired.stdout!r} {expired.stderr!r}")


class Halt(BaseException):
    """A BaseException of the user's own, outside Exception like SystemExit."""


# -- callbacks that raise -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raised",
    [SystemExit(3), KeyboardInterrupt(), GeneratorExit(), Halt(SECRET)],
    ids=lambda exc: type(exc).__name__,
)
def test_a_callback_may_raise_anything(
    wrapper: CallbackUserPool, raised: BaseException, caplog: pytest.LogCaptureFixture
):
    """A callback raising any BaseException is logged with its traceback; the call's Future
    still resolves, and the next call's callback still runs (on the same single worker)."""

    def explode(err: CognitoError | None, data: Any) -> None:
        raise raised

    with caplog.at_level(logging.ERROR, logger="cognito_user_pool"):
        first = wrapper.login(wrong_login(), explode)
        assert isinstance(first.exception(timeout=WAIT), NotAuthorizedError)
        recorder = Recorder()
        second = wrapper.login(wrong_login(), recorder)
        err, _ = recorder.wait(second)
    assert isinstance(err, NotAuthorizedError)
    [record] = [r for r in caplog.records if r.exc_info and r.exc_info[1] is raised]
    assert record.levelno == logging.ERROR and "login" in record.getMessage()


def test_the_returned_future_cannot_be_cancelled(wrapper: CallbackUserPool):
    """A caller cancelling the returned Future neither stops the callback nor breaks the
    worker that delivers it (a cancelled Future refuses its outcome)."""
    first_recorder, second_recorder = Recorder(), Recorder()
    first = wrapper.login(wrong_login(), first_recorder)
    assert first.cancel() is False
    err, _ = first_recorder.wait(first)
    assert isinstance(err, NotAuthorizedError)
    second = wrapper.login(wrong_login(), second_recorder)
    assert isinstance(second_recorder.wait(second)[0], NotAuthorizedError)


def test_exit_after_a_callback_raised_system_exit(backend: Backend):
    """A script whose callback raised SystemExit still delivers its next callback and exits,
    without close()."""
    done = run_script(
        """
        import ast, os
        from cognito_user_pool import CallbackUserPool

        wrapper = CallbackUserPool(ast.literal_eval(os.environ["POOL_DATA"]),
                                   callback_threads=1, max_attempts=1)
        params = {"username": "alice", "password": os.environ["PW"] + "x"}

        def leave(err, data):
            raise SystemExit(3)

        wrapper.login(params, leave).exception(20)
        wrapper.login(params, lambda err, data: print("second", err.code, flush=True))
        print("main done", flush=True)
        """,
        backend,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["main done", "second NotAuthorizedException"]
    assert "the callback of login raised SystemExit" in done.stderr


# -- params objects that raise ------------------------------------------------------------------


class Hostile(Mapping[str, Any]):
    """A mapping of good params whose ``method`` raises ``exc`` when called."""

    def __init__(self, method: str, exc: BaseException) -> None:
        self._data = wrong_login()
        self._method = method
        self._exc = exc

    def _maybe_raise(self, method: str) -> None:
        if method == self._method:
            raise self._exc

    def __getitem__(self, key: str) -> Any:
        self._maybe_raise("__getitem__")
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        self._maybe_raise("__iter__")
        return iter(self._data)

    def __len__(self) -> int:
        self._maybe_raise("__len__")
        return len(self._data)

    # Mapping's own methods, which read through __getitem__ and __iter__ above.
    def __contains__(self, key: object) -> bool:
        self._maybe_raise("__contains__")
        return super().__contains__(key)

    def items(self) -> Any:
        self._maybe_raise("items")
        return super().items()

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance() reads it
        self._maybe_raise("__class__")
        return Hostile


# NodeFlow.kwargs reads each of these today; keys() and len() it never calls.
READ_BY_THE_SHIM = ["__iter__", "__contains__", "__getitem__", "items", "__class__"]


@pytest.mark.parametrize("method", READ_BY_THE_SHIM)
def test_params_that_raise_reach_the_callback(wrapper: CallbackUserPool, method: str):
    """A params mapping whose method raises: InvalidParameterError (field "params") through
    the callback, naming the exception's type but not its message; nothing stays pending."""
    recorder = Recorder()
    future = wrapper.login(Hostile(method, RuntimeError(SECRET)), recorder)
    err, data = recorder.wait(future)
    assert isinstance(err, InvalidParameterError) and data is None
    assert err.code == "InvalidParameterException" and err.field == "params"
    assert "RuntimeError" in err.message and SECRET not in err.message
    assert recorder.threads[0] is not threading.current_thread()
    assert closes_within(wrapper)


@pytest.mark.parametrize("raised", [KeyboardInterrupt, SystemExit], ids=lambda t: t.__name__)
def test_params_that_raise_a_stop_signal(wrapper: CallbackUserPool, raised: type[BaseException]):
    """KeyboardInterrupt or SystemExit raised by params is the caller's own signal: re-raised
    to it, after the callback got InvalidParameterError; nothing stays pending."""
    recorder = Recorder()
    with pytest.raises(raised):
        wrapper.login(Hostile("__iter__", raised()), recorder)
    err, _ = recorder.wait()
    assert isinstance(err, InvalidParameterError) and err.field == "params"
    assert closes_within(wrapper)


def test_exit_after_params_that_raise(backend: Backend):
    """A script that passed a params object raising on iteration exits without close()."""
    done = run_script(
        """
        import ast, os
        from collections.abc import Mapping
        from cognito_user_pool import CallbackUserPool

        class Broken(Mapping):
            def __getitem__(self, key): return "alice"
            def __len__(self): return 1
            def __iter__(self): raise RuntimeError("broken")

        wrapper = CallbackUserPool(ast.literal_eval(os.environ["POOL_DATA"]), max_attempts=1)
        try:
            wrapper.login(Broken(), lambda err, data: print(err.field, flush=True))
        except Exception as exc:
            print("escaped", type(exc).__name__, flush=True)
        """,
        backend,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "params\n"
