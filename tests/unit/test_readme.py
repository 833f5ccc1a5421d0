"""The README keeps its promises: CI runs its test command, and the migration table is whole."""

from __future__ import annotations

from pathlib import Path

from cognito_user_pool import FLOWS

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run's command is, character for character, the README's second command."""
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = next(line for line in ci_lines if "nox" in line and not line.startswith("#"))
    assert command in README.splitlines()


def test_migration_table_lists_every_flow() -> None:
    """Each Node method has its row, naming its async, sync and callback forms."""
    for flow in FLOWS:
        row = (
            f"| `{flow.node_name}` | `await pool.{flow.name}(...)` | `pool.{flow.name}(...)` "
            f"| `wrapper.{flow.node_name}(params, cb)` |"
        )
        assert row in README, flow.node_name
