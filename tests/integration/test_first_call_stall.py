"""A new pool's first call (importing aiobotocore, building its client) leaves the event loop free.

The stall is measured in a fresh interpreter, as a real first call is: cold imports and cold
caches. The local Cognito runs in this process; the subprocess only makes the call and times
its loop. In-process tests pin down the how: the files botocore parses are read in a worker
thread, and concurrent first calls, on one pool or on several loops, still open one client per
pool and build one session per event-loop thread.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import weakref
from typing import Any

import anyio
import pytest

from cognito_user_pool import AsyncUserPool, NotAuthorizedError, _connection

from .conftest import Backend

# The longest the event loop may go without running other tasks during a pool's first call.
# Before the client was built in a worker thread the stall was ~250-330 ms; it is now ~20 ms.
LIMIT_MS = 50.0

# Runs in the subprocess: a ticker task notes the longest gap between its wake-ups while a new
# pool makes its first call (GetUser with a bogus token: rejected, but the client is built).
_PROBE = """
import asyncio, json, sys, time

from cognito_user_pool import AsyncUserPool, NotAuthorizedError


async def main(user_pool_id, client_id, endpoint_url):
    longest = 0.0
    done = False

    async def ticker():
        nonlocal longest
        last = time.perf_counter()
        while not done:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    preloaded = [m for m in ("aiobotocore", "botocore", "aiohttp") if m in sys.modules]
    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)  # the ticker's own start is not part of the measurement
    longest = 0.0
    pool = AsyncUserPool(user_pool_id, client_id, endpoint_url=endpoint_url, max_attempts=1)
    try:
        await pool.profile(auth="not.a.token")
    except NotAuthorizedError:
        rejected = True
    else:
        rejected = False
    done = True
    await ticking
    await pool.aclose()
    print(json.dumps({"stall_ms": longest * 1e3, "preloaded": preloaded, "rejected": rejected}))


asyncio.run(main(*sys.argv[1:]))
"""


def _first_call_stall_ms(backend: Backend) -> float:
    """Run one fresh interpreter's first call against ``backend`` and return its longest stall."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            backend.user_pool_id,
            backend.local.client_id,
            backend.local.endpoint_url,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    # Both premises of the measurement: the call reached the server, and nothing was warm.
    assert report["rejected"], report
    assert report["preloaded"] == [], report
    return float(report["stall_ms"])


async def _rejected_profile(pool: AsyncUserPool) -> None:
    with pytest.raises(NotAuthorizedError):
        await pool.profile(auth="not.a.token")


@pytest.mark.timing  # a busy second core stretches the stall: run alone (nox -s tests)
def test_first_call_does_not_stall_the_event_loop(backend: Backend) -> None:
    """A new pool's first call never keeps its event loop from running for 50 ms or more."""
    # Timing on a shared 2-core machine (CI, other jobs, coverage in this process) can only add
    # to a stall, never hide one: with another process busy on one core, about one run in five
    # went past 50 ms. A real regression stalls every run (by ~300 ms before the fix), so the
    # best of up to three fresh runs must pass; a quiet machine needs one run.
    stalls = [_first_call_stall_ms(backend)]
    while stalls[-1] >= LIMIT_MS and len(stalls) < 3:
        stalls.append(_first_call_stall_ms(backend))
    assert min(stalls) < LIMIT_MS, f"longest event-loop stall per run, in ms: {stalls}"


@pytest.mark.anyio
async def test_client_data_files_are_read_off_the_event_loop(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every botocore data file a new pool's client needs is read in a worker thread."""
    import botocore.loaders

    monkeypatch.setattr(_connection, "_sessions", weakref.WeakKeyDictionary())  # a cold session
    readers: list[threading.Thread] = []
    load_file = botocore.loaders.JSONFileLoader.load_file

    def recording_load_file(self: Any, file_path: str) -> Any:
        readers.append(threading.current_thread())
        return load_file(self, file_path)

    monkeypatch.setattr(botocore.loaders.JSONFileLoader, "load_file", recording_load_file)
    async with backend.pool() as pool:
        await _rejected_profile(pool)
    assert readers, "the session was not cold: nothing was read"
    assert threading.current_thread() not in readers


@pytest.mark.anyio
async def test_concurrent_first_calls_on_one_pool_open_one_client(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three first calls at once on one new pool, queued while its session is built in a
    worker thread, all reach Cognito through the one client the pool opens."""
    monkeypatch.setattr(_connection, "_sessions", weakref.WeakKeyDictionary())  # a cold session
    opened: list[Any] = []
    open_client = AsyncUserPool._open

    async def counting_open(self: AsyncUserPool) -> Any:
        opened.append(await open_client(self))
        return opened[-1]

    monkeypatch.setattr(AsyncUserPool, "_open", counting_open)
    pool = backend.pool()
    try:
        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(_rejected_profile, pool)
        assert len(opened) == 1
        assert await pool._get_client() is opened[0]
    finally:
        await pool.aclose()


def test_concurrent_first_calls_on_two_loops_build_one_session_per_thread(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three pools opening at once on each of two event-loop threads all work, and each
    thread's pools share the one session built for that thread."""
    sessions: weakref.WeakKeyDictionary[threading.Thread, Any] = weakref.WeakKeyDictionary()
    monkeypatch.setattr(_connection, "_sessions", sessions)
    built: list[Any] = []
    new_session = _connection._new_session

    def counting_new_session() -> Any:
        built.append(new_session())
        return built[-1]

    monkeypatch.setattr(_connection, "_new_session", counting_new_session)
    start = threading.Barrier(2, timeout=30)  # both loops make their first calls at once
    used: dict[threading.Thread, Any] = {}
    errors: list[BaseException] = []

    async def first_calls() -> None:
        async def first_call() -> None:
            async with backend.pool() as pool:
                await _rejected_profile(pool)

        start.wait()
        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(first_call)
        used[threading.current_thread()] = sessions.get(threading.current_thread())

    def loop_thread() -> None:
        try:
            anyio.run(first_calls)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=loop_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert set(used) == set(threads)
    assert len(built) == 2
    assert {id(session) for session in used.values()} == {id(session) for session in built}
