"""Thread hops per shim call (issue 19): one to the event loop and one back, plus one to a
callback worker only when user code runs; and blocking calls from anyio worker threads of
another event loop."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import anyio
import pytest

from cognito_user_pool import (
    AsyncUserPool,
    CallbackUserPool,
    FlowCancelledError,
    Tokens,
    UserPool,
    UserProfile,
)
from cognito_user_pool._callback import _NODE_FLOWS

from ._helpers import PASSWORD, WAIT, Recorder, silent_endpoint
from .conftest import Cognito

CALLS = 10


@dataclass
class Hops:
    """What the calling thread handed to other threads, and how often it waited for them."""

    to_loop: int = 0  # loop.call_soon_threadsafe: work handed to the event loop's thread
    waits: int = 0  # Condition.wait: blocked until another thread resolved something
    to_workers: int = 0  # work handed to the callback workers


@pytest.fixture
def count_hops(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Hops]:
    """Instrument a shim's loop (and workers): counts what the test's thread does."""

    def install(pool: UserPool, wrapper: CallbackUserPool | None = None) -> Hops:
        hops = Hops()
        me = threading.get_ident()
        loop = pool._runtime.loop
        assert loop is not None, "open the pool first"
        hand_off = loop.call_soon_threadsafe

        def call_soon_threadsafe(*args: Any, **kwargs: Any) -> Any:
            if threading.get_ident() == me:
                hops.to_loop += 1
            return hand_off(*args, **kwargs)

        wait = threading.Condition.wait

        def counted_wait(self: threading.Condition, timeout: float | None = None) -> bool:
            if threading.get_ident() == me:
                hops.waits += 1
            return wait(self, timeout)

        monkeypatch.setattr(loop, "call_soon_threadsafe", call_soon_threadsafe)
        monkeypatch.setattr(threading.Condition, "wait", counted_wait)
        if wrapper is not None:
            submit = wrapper._workers.submit

            def counted_submit(job: Callable[[], None]) -> None:
                hops.to_workers += 1
                submit(job)

            monkeypatch.setattr(wrapper._workers, "submit", counted_submit)
        return hops

    return install


def signed_in(cognito: Cognito, pool: UserPool) -> Tokens:
    """A fresh user's tokens (the pool's loop is running afterwards)."""
    tokens = pool.login(username=cognito.create_user(), password=PASSWORD)
    assert isinstance(tokens, Tokens)
    return tokens


def test_a_blocking_call_is_one_hop_each_way(
    cognito: Cognito, pool: UserPool, count_hops: Callable[..., Hops]
):
    """A UserPool call hands its flow to the loop once and waits once for the result (not
    first for the task to be spawned, as BlockingPortal.call does)."""
    tokens = signed_in(cognito, pool)
    hops = count_hops(pool)
    for _ in range(CALLS):
        assert isinstance(pool.profile(auth=tokens), UserProfile)
    assert hops.to_loop == CALLS
    assert hops.waits <= CALLS, hops
    assert hops.to_workers == 0


def test_submit_is_one_hop_and_does_not_wait(
    cognito: Cognito, pool: UserPool, count_hops: Callable[..., Hops]
):
    """UserPool.submit hands its flow to the loop once and returns without waiting."""
    tokens = signed_in(cognito, pool)
    hops = count_hops(pool)
    futures = [pool.submit(AsyncUserPool.profile, auth=tokens) for _ in range(CALLS)]
    assert (hops.to_loop, hops.waits) == (CALLS, 0)
    assert all(isinstance(f.result(timeout=WAIT), UserProfile) for f in futures)


def test_a_call_with_no_callback_skips_the_workers(
    cognito: Cognito, count_hops: Callable[..., Hops]
):
    """A callback call with no callback, whose Future nobody listens to, is one hop to the
    loop and one back: its Future is resolved on the loop's thread, no worker is woken."""
    wrapper = cognito.callback_pool()
    username = cognito.create_user()
    tokens = wrapper.pool.login(username=username, password=PASSWORD)
    assert isinstance(tokens, Tokens)
    hops = count_hops(wrapper.pool, wrapper)
    for _ in range(CALLS):
        attributes = wrapper.profile({"accessToken": tokens.access_token}, None).result(WAIT)
        assert {"Name": "email", "Value": f"{username}@example.com"} in attributes
    assert hops.to_loop == CALLS
    assert hops.waits <= CALLS, hops
    assert hops.to_workers == 0


def test_a_callback_is_one_more_hop_to_a_worker(cognito: Cognito, count_hops: Callable[..., Hops]):
    """With a callback, the outcome goes to a worker once (the callback never runs on the
    loop's thread), and the caller still waits once at most."""
    wrapper = cognito.callback_pool()
    tokens = signed_in(cognito, wrapper.pool)
    hops = count_hops(wrapper.pool, wrapper)
    recorders = []
    for _ in range(CALLS):
        recorder = Recorder()
        wrapper.profile({"accessToken": tokens.access_token}, recorder).result(timeout=WAIT)
        recorders.append(recorder)
    assert (hops.to_loop, hops.to_workers) == (CALLS, CALLS)
    assert hops.waits <= CALLS, hops
    for recorder in recorders:
        err, _ = recorder.wait()
        assert err is None
        assert recorder.threads[0].name.startswith("cognito-user-pool-callback-")


def test_a_done_callback_on_the_future_runs_on_a_worker(
    offline: CallbackUserPool, monkeypatch: pytest.MonkeyPatch
):
    """A done callback added to the Future of a call in flight runs on a worker thread, not
    the loop's, so it may wait for another call of the same wrapper (on the loop's thread,
    that would deadlock)."""
    release = threading.Event()

    async def held(self: Any, **kwargs: Any) -> None:
        await anyio.to_thread.run_sync(release.wait)

    monkeypatch.setattr(_NODE_FLOWS["passwordForgot"], "function", held)
    seen: Future[tuple[int, Any]] = Future()

    def done(_: Future[Any]) -> None:
        try:
            nested = offline.passwordForgot({"username": "bob"}, None).result(timeout=WAIT)
            seen.set_result((threading.get_ident(), nested))
        except BaseException as exc:
            seen.set_exception(exc)

    future = offline.passwordForgot({"username": "alice"}, None)
    future.add_done_callback(done)  # still in flight: it waits for `release`
    assert not future.done()
    release.set()
    thread, nested = seen.result(timeout=WAIT)
    assert thread != offline.pool._runtime.loop_thread
    assert nested == future.result(timeout=WAIT) == {"CodeDeliveryDetails": None}


def test_a_call_that_cannot_start_fails_through_its_future(pool: UserPool):
    """A flow called with arguments it does not take fails through submit()'s Future (as a
    task would), not in the caller."""
    future = pool.submit(AsyncUserPool.profile, bogus=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        future.result(timeout=WAIT)


# -- from an anyio worker thread of another event loop ---------------------------------------


@pytest.fixture
def silent() -> Iterator[str]:
    """A loopback HTTP endpoint that accepts connections and never answers."""
    with silent_endpoint() as url:
        yield url


@pytest.mark.anyio
async def test_a_call_from_an_anyio_worker_thread_of_another_loop(cognito: Cognito, pool: UserPool):
    """A blocking UserPool call made in anyio.to_thread.run_sync, inside another running
    event loop, returns its result."""
    username = cognito.create_user()
    login = functools.partial(pool.login, username=username, password=PASSWORD)
    tokens = await anyio.to_thread.run_sync(login)
    assert isinstance(tokens, Tokens)
    profile = await anyio.to_thread.run_sync(functools.partial(pool.profile, auth=tokens))
    assert isinstance(profile, UserProfile) and profile.username == username


@pytest.mark.anyio
async def test_cancelling_the_other_loops_task_leaves_the_call_alone(
    cognito: Cognito, silent: str, caplog: pytest.LogCaptureFixture
):
    """Cancelling the other loop's task that waits (abandon_on_cancel) for a worker thread's
    blocking call returns at once; the call, whose task lives on the pool's own loop and in
    none of the other loop's cancel scopes, goes on until close() cuts it off."""
    pool = UserPool(
        cognito.pool_id,
        cognito.client_id,
        endpoint_url=silent,
        max_attempts=1,
        read_timeout=60,
    )
    cognito.opened.append(pool)
    outcome: Future[Any] = Future()

    def call() -> None:
        try:
            outcome.set_result(pool.password_forgot(username="alice"))
        except BaseException as exc:
            outcome.set_exception(exc)

    with caplog.at_level(logging.WARNING), anyio.move_on_after(0.5) as waiting:
        await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
    assert waiting.cancelled_caught
    await anyio.sleep(0.1)
    assert not outcome.done()  # not cancelled with the other loop's task
    await anyio.to_thread.run_sync(functools.partial(pool.close, grace=0))
    with pytest.raises(FlowCancelledError):
        outcome.result(timeout=WAIT)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_blocking_call_on_the_loops_thread_is_refused(cognito: Cognito, pool: UserPool):
    """A blocking call made on the pool's own loop thread (in a submit() Future's done
    callback) raises RuntimeError, as anyio's portal did, instead of waiting for ever."""
    tokens = signed_in(cognito, pool)
    raised: Future[BaseException | None] = Future()

    def nested(_: Future[Any]) -> None:
        try:
            pool.profile(auth=tokens)
        except BaseException as exc:
            raised.set_result(exc)
        else:
            raised.set_result(None)

    release = threading.Event()

    async def held(_: AsyncUserPool) -> None:
        await anyio.to_thread.run_sync(release.wait)

    future = pool.submit(held)
    future.add_done_callback(nested)  # still in flight: it waits for `release`
    assert not future.done()
    release.set()
    error = raised.result(timeout=WAIT)
    assert isinstance(error, RuntimeError) and "event loop thread" in str(error)
    assert isinstance(pool.profile(auth=tokens), UserProfile)  # and the pool goes on
