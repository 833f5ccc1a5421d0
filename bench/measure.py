"""Measuring side by side: client CPU per operation, wall time, throughput and peak memory.

Variants of one scenario run interleaved, round by round (A B C, A B C, ...), so that drift in
the machine's load hits each of them alike; each figure is the median over rounds. CPU is
``time.process_time()`` of this (client) process, all its threads included, so work that a
library offloads to worker threads is counted. Peak memory comes from a separate, shorter
pass under ``tracemalloc`` (which slows Python down, so it never overlaps the timing).
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "Measurement",
    "Variant",
    "compare",
    "p95",
    "paired_ratio",
    "profile_top",
    "run_rounds",
]

# A batch runs `n` operations and returns the wall time of each, in seconds.
Batch = Callable[[int], Sequence[float]]


@dataclass
class Variant:
    """One contender in a scenario: a name and a way to run ``n`` operations."""

    name: str
    batch: Batch
    note: str = ""


@dataclass
class Measurement:
    """The figures for one variant of one scenario."""

    scenario: str
    variant: str
    ops: int
    cpu_us_per_op: float
    wall_ms_median: float
    wall_ms_p95: float
    ops_per_s: float
    peak_mem_kib: float | None = None
    note: str = ""
    rounds_cpu_us: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return asdict(self)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def run_rounds(
    scenario: str,
    variants: Sequence[Variant],
    *,
    ops: int,
    rounds: int,
    warmup: int = 2,
    memory_ops: int = 0,
    settle: int = 1,
) -> list[Measurement]:
    """Run every variant ``rounds`` times, interleaved, ``ops`` operations per round.

    Each measured batch follows ``settle`` unmeasured operations of the same variant, so that
    what the previous variant left behind (a 60 ms burst of pure-Python maths, cold caches)
    is not billed to this one.
    """
    for variant in variants:
        if warmup:
            variant.batch(warmup)
    cpu: dict[str, list[float]] = {v.name: [] for v in variants}
    rate: dict[str, list[float]] = {v.name: [] for v in variants}
    walls: dict[str, list[float]] = {v.name: [] for v in variants}
    for _ in range(rounds):
        for variant in variants:
            if settle:
                variant.batch(settle)
            gc.collect()
            wall0, cpu0 = time.perf_counter(), time.process_time()
            per_op = variant.batch(ops)
            cpu1, wall1 = time.process_time(), time.perf_counter()
            cpu[variant.name].append((cpu1 - cpu0) / ops * 1e6)
            rate[variant.name].append(ops / (wall1 - wall0))
            walls[variant.name].extend(per_op)
    results = []
    for variant in variants:
        peak = measure_peak_kib(variant.batch, memory_ops) if memory_ops else None
        results.append(
            Measurement(
                scenario=scenario,
                variant=variant.name,
                ops=ops * rounds,
                cpu_us_per_op=statistics.median(cpu[variant.name]),
                wall_ms_median=statistics.median(walls[variant.name]) * 1e3,
                wall_ms_p95=p95(walls[variant.name]) * 1e3,
                ops_per_s=statistics.median(rate[variant.name]),
                peak_mem_kib=peak,
                note=variant.note,
                rounds_cpu_us=[round(x, 1) for x in cpu[variant.name]],
            )
        )
    return results


def measure_peak_kib(batch: Batch, ops: int) -> float:
    """Peak Python heap growth, in KiB, while ``batch(ops)`` runs (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        batch(ops)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - base) / 1024


def profile_top(call: Callable[[], Any], limit: int = 12, sort: str = "tottime") -> list[str]:
    """The top entries of a cProfile run of ``call`` (the calling thread only)."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        call()
    finally:
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(sort).print_stats(limit)
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return [line for line in lines[start : start + limit + 1] if line.strip()]


def paired_ratio(numerator: Measurement, denominator: Measurement) -> float:
    """CPU per op of ``numerator`` over ``denominator``: the median of the per-round ratios.

    Variants of one scenario run back to back in every round, so each round's ratio compares
    figures taken under the same machine load; on a VM whose speed drifts over a run, that
    holds better than the ratio of the two overall medians (the fallback when the rounds do
    not pair up).
    """
    ours, theirs = numerator.rounds_cpu_us, denominator.rounds_cpu_us
    if not ours or len(ours) != len(theirs) or not all(theirs):
        return numerator.cpu_us_per_op / denominator.cpu_us_per_op
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def compare(results: Sequence[Measurement], name: str) -> Measurement:
    """The measurement of variant ``name``."""
    for result in results:
        if result.variant == name:
            return result
    raise KeyError(name)
