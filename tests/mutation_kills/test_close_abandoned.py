"""How the client of a pool collected unclosed is closed (``_connection._close_abandoned``,
run by the pool's finalizer), driven directly: the closing tests that collect real pools run in
subprocesses, which a mutation run cannot see into."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator

import pytest

from cognito_user_pool import _connection


class _Keeper:
    """A started keeper generator, as the connection holds one, that records its closing."""

    def __init__(self) -> None:
        self.closed = threading.Event()

    async def _body(self) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            self.closed.set()

    async def start(self) -> AsyncGenerator[None, None]:
        keeper = self._body()
        await keeper.asend(None)
        return keeper


def test_on_the_loops_own_thread_the_close_starts_at_once() -> None:
    async def main() -> None:
        keeper = _Keeper()
        generator = await keeper.start()
        _connection._close_abandoned(generator, asyncio.get_running_loop())
        # Started now, not handed over: the task is already held.
        started = set(_connection._closing)
        assert len(started) == 1
        task = started.pop()
        await task
        assert keeper.closed.is_set()
        assert task not in _connection._closing

    asyncio.run(main())


def test_from_another_thread_the_close_is_handed_to_the_loop() -> None:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        keeper = _Keeper()
        generator = asyncio.run_coroutine_threadsafe(keeper.start(), loop).result(5)
        _connection._close_abandoned(generator, loop)
        assert keeper.closed.wait(5)
        deadline = time.monotonic() + 5
        while _connection._closing and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not _connection._closing
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def test_a_closed_loop_is_left_alone() -> None:
    loop = asyncio.new_event_loop()
    keeper = _Keeper()
    generator = loop.run_until_complete(keeper.start())
    loop.close()
    _connection._close_abandoned(generator, loop)  # no RuntimeError from the closed loop
    assert not keeper.closed.is_set()


def test_a_cancelled_close_is_let_go_quietly() -> None:
    """A close task cancelled by the loop's end has no exception to retrieve."""

    async def main() -> None:
        task = asyncio.get_running_loop().create_task(asyncio.sleep(10))
        _connection._closing.add(task)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        _connection._close_done(task)
        assert task not in _connection._closing

    asyncio.run(main())


def test_a_failed_close_has_its_error_retrieved() -> None:
    """So that asyncio does not log it as never retrieved when the task is collected."""

    async def fail() -> None:
        raise OSError("connection already gone")

    async def main() -> None:
        task = asyncio.get_running_loop().create_task(fail())
        await asyncio.sleep(0)
        assert task.done()
        _connection._close_done(task)
        assert not task._log_traceback

    asyncio.run(main())


def test_a_closed_keeper_is_no_longer_held() -> None:
    """``_close_keeper`` closes the keeper and drops it from its loop's set, so that the set
    holds only the keepers still open."""

    async def main() -> None:
        keeper = _Keeper()
        generator = await keeper.start()
        other = await _Keeper().start()
        held = _connection._keepers.setdefault(asyncio.get_running_loop(), set())
        held.update({generator, other})
        await _connection._close_keeper(generator)
        assert keeper.closed.is_set()
        assert generator not in held and other in held
        await _connection._close_keeper(other)
        assert not held

    asyncio.run(main())
