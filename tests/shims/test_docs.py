"""The migration guide lists every flow of the three surfaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from cognito_user_pool import FLOWS, Flow
from cognito_user_pool._callback import _NODE_FLOWS

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


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.node_name)
def test_node_params_column_matches_the_shim(flow: Flow):
    """The "Node params" cell names exactly what the callback method accepts: required
    names bare, optional ones with ``?``, and "+ tokens" for Node's token trio."""
    node = _NODE_FLOWS[flow.node_name]
    row = next(
        line
        for line in GUIDE.read_text().splitlines()
        if line.startswith(f"| `{flow.node_name}` |")
    )
    cell = row.split("|")[5].strip()
    tokens = cell.endswith("+ tokens")
    names = [n.strip() for n in cell.removesuffix("+ tokens").split(",") if n.strip()]
    documented = {n.rstrip("?"): n.endswith("?") for n in names}
    trio = {"accessToken", "idToken", "refreshToken"}
    accepted = set(node.accepted) - (trio if node.signed_in else set())
    assert tokens is node.signed_in
    assert set(documented) == accepted
    assert {n for n, optional in documented.items() if not optional} == set(node.required)
