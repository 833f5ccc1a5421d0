"""The benchmark scenarios are found from their own modules, in order, with their targets."""

from __future__ import annotations

from typing import Any

import pytest
from bench.contenders import LoopRunner
from bench.scenarios import SCENARIOS, Context, Plan
from bench.scenarios import _base as base


def test_every_scenario_module_registers_itself_in_running_order() -> None:
    """The package finds the six scenarios of issue 7, each in its own module, in order."""
    assert list(SCENARIOS) == ["login", "calls", "concurrency", "shims", "verify", "cold"]
    assert [s.order for s in SCENARIOS.values()] == [1, 2, 3, 4, 5, 6]
    for name, scenario in SCENARIOS.items():
        assert scenario.run.__module__ == f"bench.scenarios.{name}"
        assert scenario.run.__doc__, name


def test_a_second_scenario_with_a_taken_name_or_order_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Registering a name or a place that another scenario holds raises ValueError."""
    monkeypatch.setattr(base, "_REGISTRY", dict(base._REGISTRY))

    def run(ctx: Context) -> None:
        """A scenario that measures nothing."""

    for name, order in (("login", 99), ("new", 1)):
        with pytest.raises(ValueError, match="clashes"):
            base.scenario(name, order=order)(run)
    base.scenario("new", order=99)(run)
    assert list(base.registered())[-1] == "new"


def test_targets_of_scenarios_that_did_not_run() -> None:
    """With no results, only the SRP login target reports itself, as not measured."""
    from bench.run import evaluate_targets

    tokens: dict[str, Any] = {}
    with LoopRunner() as runner:
        ctx = Context(plan=Plan.make(quick=True), urls={}, runner=runner, tokens=tokens)
        targets = evaluate_targets(ctx)
    assert [(t.name, t.measured, t.verdict) for t in targets] == [
        ("SRP login CPU, fast", "not measured", "n/a")
    ]
