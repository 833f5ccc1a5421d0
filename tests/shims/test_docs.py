"""The migration guide lists every flow of the three surfaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from cognito_user_pool import FLOWS, Flow

GUIDE = Path(__file__).parents[2] / "docs" / "migration.md"


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.node_name)
def test_migration_table_has_a_row_per_flow(flow: Flow):
    """docs/migration.md has one table row naming the flow on each surface."""
    rows = [
        line
        for line in GUIDE.read_text().splitlines()
        if line.startswith(f"| `{flow.node_name}` |")
    ]
    assert len(rows) == 1
    for cell in (
        f"`await pool.{flow.name}(...)`",
        f"`pool.{flow.name}(...)`",
        f"`wrapper.{flow.node_name}(params, cb)`",
    ):
        assert cell in rows[0]
