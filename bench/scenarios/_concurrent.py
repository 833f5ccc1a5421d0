"""Batches whose ``n`` operations run at once, and the rounds that measure them.

A timed batch returns the batch's total wall time and each operation's completion time from
the start of the batch, both in seconds.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.contenders import LoopRunner
from bench.measure import Measurement, p95

__all__ = ["TimedBatch", "concurrent_rounds", "gather_batch", "sequential_batch", "thread_batch"]

TimedBatch = Callable[[int], tuple[float, list[float]]]


def gather_batch(runner: LoopRunner, op: Callable[[], Any]) -> TimedBatch:
    """``n`` awaits of ``op()`` gathered on ``runner``'s loop."""

    async def many(n: int) -> tuple[float, list[float]]:
        start = time.perf_counter()
        done: list[float] = []

        async def one() -> None:
            await op()
            done.append(time.perf_counter() - start)

        await asyncio.gather(*(one() for _ in range(n)))
        return time.perf_counter() - start, done

    return lambda n: runner.run(many(n))


def thread_batch(executor: ThreadPoolExecutor, op: Callable[[], Any]) -> TimedBatch:
    """``n`` calls of the blocking ``op()`` spread over ``executor``'s threads."""

    def run(n: int) -> tuple[float, list[float]]:
        start = time.perf_counter()

        def one(_: int) -> float:
            op()
            return time.perf_counter() - start

        done = list(executor.map(one, range(n)))
        return time.perf_counter() - start, done

    return run


def sequential_batch(batch: Callable[[int], Sequence[float]]) -> TimedBatch:
    """A one-after-the-other batch, timed like the concurrent ones."""

    def run(n: int) -> tuple[float, list[float]]:
        start = time.perf_counter()
        walls = list(batch(n))
        return time.perf_counter() - start, walls

    return run


def concurrent_rounds(
    scenario: str,
    variants: list[tuple[str, TimedBatch, int, str]],
    rounds: int,
) -> list[Measurement]:
    """Each variant (label, batch, ``n``, note) runs its ``n`` operations at once, ``rounds``
    times, interleaved."""
    cpu: dict[str, list[float]] = {v[0]: [] for v in variants}
    rate: dict[str, list[float]] = {v[0]: [] for v in variants}
    done: dict[str, list[float]] = {v[0]: [] for v in variants}
    for _, run, n, _ in variants:
        run(n)  # warm-up: opens the connections, fills caches
    for _ in range(rounds):
        for label, run, n, _ in variants:
            gc.collect()
            cpu0 = time.process_time()
            total, completions = run(n)
            cpu[label].append((time.process_time() - cpu0) / n * 1e6)
            rate[label].append(n / total)
            done[label].extend(completions)
    return [
        Measurement(
            scenario=scenario,
            variant=label,
            ops=n * rounds,
            cpu_us_per_op=statistics.median(cpu[label]),
            wall_ms_median=statistics.median(done[label]) * 1e3,
            wall_ms_p95=p95(done[label]) * 1e3,
            ops_per_s=statistics.median(rate[label]),
            note=note,
            rounds_cpu_us=[round(x, 1) for x in cpu[label]],
        )
        for label, _, n, note in variants
    ]
