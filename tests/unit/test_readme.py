"""The README keeps its promises: CI runs its test command, and its flows table is whole and
shows each flow's real signature."""

from __future__ import annotations

import inspect
from pathlib import Path

from cognito_user_pool import FLOWS, AsyncUserPool

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run's command is, character for character, the README's second command."""
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = next(line for line in ci_lines if "nox" in line and not line.startswith("#"))
    assert command in README.splitlines()


def _signature(name: str) -> str:
    """``name(required, optional=default)``, as the flow declares its keywords."""
    params = list(inspect.signature(getattr(AsyncUserPool, name)).parameters.values())[1:]
    shown = [
        p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
        for p in params
    ]
    return f"{name}({', '.join(shown)})"


def test_flows_table_shows_every_flow_as_declared() -> None:
    """The README's table of flows has one row per flow, with the signature it really has."""
    rows = [line for line in README.splitlines() if line.startswith("| `") and "(" in line]
    for flow in FLOWS:
        row = f"| `{_signature(flow.name)}` |"
        assert sum(line.startswith(row) for line in rows) == 1, row
