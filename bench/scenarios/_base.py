"""What every scenario shares: the plan, the context, the targets and the registry.

A scenario is one module of this package that declares itself with :func:`scenario`; the
package imports every such module, so ``bench/run.py`` finds each scenario and its targets in
:data:`bench.scenarios.SCENARIOS` without a list to keep by hand::

    @scenario("verify", order=5, targets=_targets)
    def verification(ctx: Context) -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.contenders import LoopRunner
from bench.measure import Measurement, compare

__all__ = [
    "Context",
    "Plan",
    "Scenario",
    "Target",
    "find_rows",
    "registered",
    "row",
    "scenario",
]

Profiler = Callable[[], list[str]]


@dataclass
class Plan:
    """How much to run: the full plan or ``--quick``."""

    quick: bool
    login_ops: int = 4
    login_rounds: int = 15
    call_ops: int = 150
    call_rounds: int = 11
    verify_ops: int = 200
    verify_rounds: int = 15
    concurrency: tuple[int, ...] = (1, 10, 100, 200)
    concurrency_rounds: int = 3
    pool_sizes: tuple[int, ...] = (10, 50, 100, 200)
    cold_runs: int = 15

    @classmethod
    def make(cls, quick: bool) -> Plan:
        """The full plan, or a short one for ``--quick``."""
        if not quick:
            return cls(quick=False)
        return cls(
            quick=True,
            login_ops=2,
            login_rounds=5,
            call_ops=30,
            call_rounds=3,
            verify_ops=100,
            verify_rounds=5,
            concurrency=(10, 200),
            concurrency_rounds=1,
            pool_sizes=(10, 100, 200),
            cold_runs=5,
        )


@dataclass
class Context:
    """What every scenario needs (the stub, its tokens and keys, one event loop) and what it
    leaves for the report (results, notes, profiles, profilers, closers)."""

    plan: Plan
    urls: dict[float, str]
    runner: LoopRunner
    tokens: dict[str, Any]
    results: dict[str, list[Measurement]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    profilers: dict[str, list[tuple[str, Profiler]]] = field(default_factory=dict)
    closers: list[Callable[[], Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def note(self, scenario: str, text: str) -> None:
        """Add a line under a scenario's table."""
        self.notes.setdefault(scenario, []).append(text)

    def add_profiler(self, key: str, title: str, profiler: Profiler) -> None:
        """Offer a profile titled ``title``, taken when a target with ``profile_key=key`` misses
        (or always, with ``--profile-all``)."""
        self.profilers.setdefault(key, []).append((title, profiler))


@dataclass
class Target:
    """One goal of issue 7, evaluated from ratios measured in this run."""

    name: str
    goal: str
    measured: str
    passed: bool | None  # None: could not be measured in this run
    profile_key: str | None = None

    @property
    def verdict(self) -> str:
        """PASS, MISS or n/a."""
        if self.passed is None:
            return "n/a"
        return "PASS" if self.passed else "MISS"


def find_rows(ctx: Context, prefix: str) -> list[Measurement] | None:
    """The rows of the first scenario table whose title starts with ``prefix``."""
    for name, rows in ctx.results.items():
        if name.startswith(prefix):
            return rows
    return None


def row(rows: list[Measurement] | None, variant: str) -> Measurement | None:
    """The row of ``variant``, or None when the table or the variant is missing."""
    if rows is None:
        return None
    try:
        return compare(rows, variant)
    except KeyError:
        return None


Run = Callable[[Context], None]
Targets = Callable[[Context], list[Target]]


def _no_targets(ctx: Context) -> list[Target]:
    return []


@dataclass(frozen=True)
class Scenario:
    """A registered scenario: its ``--only`` name, its place in the run, what it runs and the
    targets it evaluates (which see every scenario's results, its own possibly missing)."""

    name: str
    order: int
    run: Run
    targets: Targets = _no_targets


_REGISTRY: dict[str, Scenario] = {}


def scenario(name: str, *, order: int, targets: Targets | None = None) -> Callable[[Run], Run]:
    """Register the decorated function as the scenario ``name``, run in ``order``.

    :raises ValueError: when another scenario already has that name or that order.
    """

    def register(run: Run) -> Run:
        for other in _REGISTRY.values():
            if name == other.name or order == other.order:
                raise ValueError(f"scenario {name!r} (order {order}) clashes with {other}")
        _REGISTRY[name] = Scenario(name, order, run, targets or _no_targets)
        return run

    return register


def registered() -> dict[str, Scenario]:
    """Every registered scenario by name, in running order."""
    return {s.name: s for s in sorted(_REGISTRY.values(), key=lambda s: s.order)}
