"""The protected-route example runs end to end against the strict local Cognito."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "protected_route.py"


def test_protected_route_example_runs() -> None:
    """The example API signs up, confirms, logs in, and its route answers 401/200/401."""
    result = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines == [
        "signup: 200 {'username': 'alice', 'confirmed': False}",
        "wrong code: 400 {'error': 'CodeMismatchException'}",
        "confirm: 200",
        "wrong password: 401 {'error': 'NotAuthorizedException'}",
        "login: 200 ['access_token', 'id_token']",
        "no token: 401 Bearer",
        "access token: 200 ['sub', 'username']",
        "id token instead: 401",
    ]
