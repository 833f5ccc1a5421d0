"""The protected-route example runs end to end against moto."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "protected_route.py"


def test_protected_route_example_runs() -> None:
    """examples/protected_route.py logs in on moto and its route answers 401/200/401."""
    result = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "no token: 401 Bearer"
    assert lines[1].startswith("access token: 200 {'sub': ")
    assert lines[2] == "id token instead: 401"
    assert lines[3] == "logged out: True"
