"""Small modules: no module of the package grows past 800 lines (docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "src" / "cognito_user_pool"
LIMIT = 800


def test_no_module_is_longer_than_800_lines() -> None:
    """A module that outgrows the limit is split along its seams, not left to grow."""
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert not long, f"split these modules: {long}"
