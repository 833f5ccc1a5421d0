"""Closing the shims: calls after close(), pools garbage-collected without close(), and
close() with calls in flight (issue 14, item 7), for UserPool and CallbackUserPool.

Against the strict local Cognito, and a loopback server that accepts and never answers.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

import pytest

from cognito_user_pool import (
    AsyncUserPool,
    CallbackUserPool,
    CognitoError,
    FlowCancelledError,
    InvalidParameterError,
    PoolClosedError,
    Tokens,
    UserPool,
)

from ..integration.conftest import PASSWORD, Backend
from ..shims._helpers import WAIT, Recorder, silent_endpoint


@pytest.fixture
def backend(make_backend: Callable[..., Backend]) -> Backend:
    made = make_backend()
    made.create_confirmed_user("alice")
    return made


def pool_data(backend: Backend, endpoint: str | None = None) -> dict[str, Any]:
    local = backend.local
    data = {
        "UserPoolId": local.user_pool_id,
        "ClientId": local.client_id,
        "endpoint": endpoint or local.endpoint_url,
    }
    if local.client_secret:
        data["ClientSecret"] = local.client_secret
    return data


def sync_pool(backend: Backend, **options: Any) -> UserPool:
    local = backend.local
    options.setdefault("endpoint_url", local.endpoint_url)
    return UserPool(
        local.user_pool_id,
        local.client_id,
        client_secret=local.client_secret,
        max_attempts=1,
        **options,
    )


def threads_of(shim: object) -> list[threading.Thread]:
    """The live threads named after ``shim`` (its portal, its callback workers)."""
    marker = f"{id(shim):x}"
    return [t for t in threading.enumerate() if marker in t.name and t.is_alive()]


def all_end(threads: list[threading.Thread]) -> bool:
    for thread in threads:
        thread.join(WAIT)
    return not any(t.is_alive() for t in threads)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback HTTP endpoint that accepts connections and never answers."""
    with silent_endpoint() as url:
        yield url


def run_script(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter that must exit in time."""
    try:
        return subprocess.run(
            [sys.executable, "-W", "default", "-c", textwrap.dedent(script)],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=40,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"the interpreter did not exit: {expired.stdout!r} {expired.stderr!r}")


# -- calls after close ---------------------------------------------------------------------------


def test_calls_after_close_are_pool_closed_errors_on_both_shims(backend: Backend):
    """After close(), UserPool raises PoolClosedError (calls, submit, with) and
    CallbackUserPool hands it to the callback: a CognitoError with the library's code."""
    pool = sync_pool(backend)
    assert isinstance(pool.login(username="alice", password=PASSWORD), Tokens)
    pool.close()
    with pytest.raises(PoolClosedError) as info:
        pool.login(username="alice", password=PASSWORD)
    assert info.value.code == "CognitoUserPool.Closed"
    with pytest.raises(PoolClosedError):
        pool.submit(AsyncUserPool.login, username="alice", password=PASSWORD)
    with pytest.raises(PoolClosedError), pool:
        pass
    unopened = sync_pool(backend)
    unopened.close()
    with pytest.raises(PoolClosedError):
        unopened.password_forgot(username="alice")

    wrapper = CallbackUserPool(pool_data(backend), max_attempts=1)
    wrapper.close()
    recorder = Recorder()
    err, _ = recorder.wait(wrapper.login({"username": "alice", "password": PASSWORD}, recorder))
    assert isinstance(err, PoolClosedError) and err.code == "CognitoUserPool.Closed"


@pytest.mark.parametrize("grace", [-1, math.nan, math.inf, 10**400, "1", True])
def test_close_refuses_a_bad_grace(backend: Backend, grace: Any):
    """close(grace=...) takes a finite number of seconds >= 0, as AsyncUserPool.aclose():
    anything else is an InvalidParameterError naming "grace", before anything is closed."""
    pool = sync_pool(backend)
    wrapper = CallbackUserPool(pool_data(backend))
    for shim in (pool, wrapper):
        with pytest.raises(InvalidParameterError) as info:
            shim.close(grace=grace)
        assert info.value.field == "grace" and not shim.is_closed
        shim.close()


# -- collected without close() -------------------------------------------------------------------


def test_a_collected_user_pool_is_closed(backend: Backend):
    """A UserPool dropped without close() releases its client and its event loop's thread."""
    pool = sync_pool(backend)
    assert isinstance(pool.login(username="alice", password=PASSWORD), Tokens)
    threads = threads_of(pool)
    assert threads
    del pool
    gc.collect()
    assert all_end(threads)


def test_a_user_pool_collected_with_a_call_in_flight(backend: Backend):
    """A UserPool dropped while a submitted call is in flight lets it finish, then closes."""
    pool = sync_pool(backend)
    future = pool.submit(AsyncUserPool.login, username="alice", password=PASSWORD)
    threads = threads_of(pool)
    del pool
    gc.collect()
    assert isinstance(future.result(timeout=WAIT), Tokens)
    assert all_end(threads)


def test_a_user_pool_collected_on_its_own_loop_thread(backend: Backend):
    """A UserPool whose last reference goes in a done callback (on its event loop's thread)
    is closed without waiting for itself ("cannot join current thread")."""
    holder = [sync_pool(backend)]
    future = holder[0].submit(AsyncUserPool.login, username="alice", password=PASSWORD)
    threads = threads_of(holder[0])
    dropped: Future[bool] = Future()

    def drop(_: object) -> None:
        holder.clear()
        gc.collect()
        dropped.set_result(True)

    future.add_done_callback(drop)
    assert dropped.result(timeout=WAIT)
    assert all_end(threads)


def test_close_on_the_loop_thread(backend: Backend, caplog: pytest.LogCaptureFixture):
    """close() called in a submitted call's done callback (on the pool's event loop thread)
    returns at once, and the pool is closed by the closer thread, with no error logged."""
    pool = sync_pool(backend)
    future = pool.submit(AsyncUserPool.login, username="alice", password=PASSWORD)
    threads = threads_of(pool)
    closed: Future[bool] = Future()

    def close(_: object) -> None:
        pool.close()
        closed.set_result(True)

    future.add_done_callback(close)
    assert closed.result(timeout=WAIT) and pool.is_closed
    assert isinstance(future.result(timeout=WAIT), Tokens)
    assert all_end(threads)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_collected_callback_pool_is_closed_after_its_call(backend: Backend):
    """A CallbackUserPool dropped with a call in flight delivers it, then closes: its loop
    and worker threads end."""
    wrapper = CallbackUserPool(pool_data(backend), max_attempts=1)
    recorder = Recorder()
    future = wrapper.login({"username": "alice", "password": PASSWORD}, recorder)
    loop_threads = threads_of(wrapper.pool)
    workers = f"cognito-user-pool-callback-{id(wrapper):x}-"
    del wrapper
    err, data = recorder.wait(future)
    assert err is None and "accessToken" in data
    # The workers may have ended already: the wrapper goes with the callback's last reference.
    threads = loop_threads + [t for t in threading.enumerate() if t.name.startswith(workers)]
    assert loop_threads
    gc.collect()
    assert all_end(threads)


def test_exit_after_dropping_open_shims(backend: Backend):
    """Shims dropped without close(), one with a call in flight, leave no warning and no
    hang at exit: no "Unclosed client session", no "cannot join current thread"."""
    done = run_script(
        """
        import ast, gc, os, threading
        from cognito_user_pool import CallbackUserPool, UserPool

        data = ast.literal_eval(os.environ["POOL_DATA"])
        pool = UserPool(data["UserPoolId"], data["ClientId"], endpoint_url=data["endpoint"],
                        max_attempts=1)
        print(type(pool.login(username="alice", password=os.environ["PW"])).__name__)
        del pool

        wrapper = CallbackUserPool(data, max_attempts=1)
        called = threading.Event()
        wrapper.login({"username": "alice", "password": os.environ["PW"]},
                      lambda err, result: called.set())
        del wrapper
        called.wait(20)
        gc.collect()
        print("done", flush=True)
        """,
        {"POOL_DATA": repr(pool_data(backend)), "PW": PASSWORD},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Tokens\ndone\n"
    for trouble in ("Unclosed", "cannot join", "Exception ignored", "Traceback"):
        assert trouble not in done.stderr, done.stderr


# -- close() with calls in flight ----------------------------------------------------------------


def test_user_pool_close_cuts_off_calls_past_its_grace(backend: Backend, silent_server: str):
    """close(grace=...) with calls stuck in flight returns in about ``grace``: a blocking
    call and a submitted one each fail with FlowCancelledError, and the threads end."""
    pool = sync_pool(backend, endpoint_url=silent_server, read_timeout=60)
    blocking: Future[BaseException | None] = Future()

    def call() -> None:
        try:
            pool.login(username="alice", password=PASSWORD)
        except BaseException as exc:
            blocking.set_result(exc)
        else:
            blocking.set_result(None)

    caller = threading.Thread(target=call, daemon=True)
    caller.start()
    submitted = pool.submit(AsyncUserPool.password_forgot, username="alice")
    time.sleep(0.5)  # both requests are now waiting for an answer that never comes
    threads = threads_of(pool)
    started = time.monotonic()
    pool.close(grace=0.5)
    assert time.monotonic() - started < 10
    stopped = blocking.result(timeout=WAIT)
    assert isinstance(stopped, FlowCancelledError)
    assert stopped.code == "CognitoUserPool.Cancelled"
    assert isinstance(submitted.exception(timeout=WAIT), FlowCancelledError)
    assert all_end(threads)


def test_callback_pool_close_cuts_off_calls_past_its_grace(backend: Backend, silent_server: str):
    """CallbackUserPool.close(grace=...) with a call stuck in flight returns in about
    ``grace``: its callback gets FlowCancelledError, a call made from that callback gets
    PoolClosedError, and the threads end."""
    wrapper = CallbackUserPool(pool_data(backend, silent_server), max_attempts=1, read_timeout=60)
    chained = Recorder()
    seen: list[CognitoError | None] = []

    def on_login(err: CognitoError | None, data: Any) -> None:
        seen.append(err)
        wrapper.passwordForgot({"username": "alice"}, chained)

    future = wrapper.login({"username": "alice", "password": PASSWORD}, on_login)
    time.sleep(0.5)
    threads = threads_of(wrapper) + threads_of(wrapper.pool)
    started = time.monotonic()
    wrapper.close(grace=0.5)
    assert time.monotonic() - started < 10
    assert isinstance(future.exception(timeout=WAIT), FlowCancelledError)
    [err] = seen
    assert isinstance(err, FlowCancelledError) and err.code == "CognitoUserPool.Cancelled"
    assert isinstance(chained.wait()[0], PoolClosedError)
    assert all_end(threads)
