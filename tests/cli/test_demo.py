"""``cognito-user-pool demo`` against its embedded strict local Cognito."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from cognito_user_pool import FLOWS, AsyncUserPool
from cognito_user_pool.cli import _demo_steps as _demo
from cognito_user_pool.local import LocalCognito, LocalPool

from ._support import Cli, LazyStdin, json_out

STEP_KEYS = {"number", "step", "flow", "expected", "outcome", "passed", "ms", "detail"}


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Records the demo's LocalCognito, its client secret, every password the demo makes
    and every token and challenge session Cognito hands out."""
    seen: dict[str, list[Any]] = {"locals": [], "secrets": []}
    real_start = LocalCognito.start
    real_password = _demo._password
    real_call = AsyncUserPool._call

    def start(self: LocalCognito) -> LocalCognito:
        seen["locals"].append(self)
        started = real_start(self)
        seen["secrets"].append(self.client_secret)
        return started

    def password() -> str:
        value = real_password()
        seen["secrets"].append(value)
        return value

    async def call(self: AsyncUserPool, operation: str, /, **params: Any) -> dict[str, Any]:
        response = await real_call(self, operation, **params)
        result = response.get("AuthenticationResult") or {}
        seen["secrets"].extend(
            result[key] for key in ("AccessToken", "IdToken", "RefreshToken") if key in result
        )
        if response.get("Session"):
            seen["secrets"].append(response["Session"])
        return response

    monkeypatch.setattr(LocalCognito, "start", start)
    monkeypatch.setattr(_demo, "_password", password)
    monkeypatch.setattr(AsyncUserPool, "_call", call)
    return seen


def _secrets_of_the_run(spy: dict[str, list[Any]]) -> list[str]:
    (local,) = spy["locals"]
    # The outbox outlives the server: every code it "sent" during the run.
    codes = [message.code for message in local.outbox]
    secrets = [s for s in spy["secrets"] if s]
    assert len(codes) >= 5
    assert sum(s.count(".") == 2 for s in secrets) >= 10  # access and id tokens (JWTs)
    return [*codes, *secrets]


def test_demo_runs_every_flow_and_prints_no_secret(spy: dict[str, list[Any]]) -> None:
    """The demo exits 0, shows each step and a summary naming every flow, and prints no
    password, code, token, session or client secret."""
    runner = Cli()
    result = runner("demo")
    out = result.stdout
    assert f"Flows exercised: {len(FLOWS)}/{len(FLOWS)}" in out
    summary = out[out.index("Summary") :]
    for flow in FLOWS:
        assert re.search(rf"\b{flow.name}\b", summary), flow.name
    for expected in ("CodeMismatchException", "NotAuthorizedException"):
        assert expected in summary
    assert "read from the outbox" in out
    assert re.search(r"(\d+)/\1 steps as expected", out)
    for secret in _secrets_of_the_run(spy):
        assert not re.search(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", out)
        assert secret not in result.stderr


def test_demo_json_shape(spy: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    """``demo --json`` prints one document (ok, mode, steps with their fields, flows), even
    with a missing AWS profile and a dead HTTP proxy configured."""
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    runner = Cli()
    result = runner("demo", "--json")
    data = json_out(result)
    assert data["ok"] is True
    assert data["mode"] == "local"
    assert data["username"].startswith("demo-")
    assert isinstance(data["seconds"], float)
    assert data["flows"] == {"covered": [f.name for f in FLOWS], "missing": []}
    steps = data["steps"]
    assert [s["number"] for s in steps] == list(range(1, len(steps) + 1))
    for step in steps:
        assert set(step) == STEP_KEYS
        assert step["passed"] is True
        assert step["outcome"] == step["expected"]
    refused = {s["expected"] for s in steps if s["expected"] != "ok"}
    assert refused == {"CodeMismatchException", "NotAuthorizedException"}
    for secret in _secrets_of_the_run(spy):
        assert secret not in result.stdout + result.stderr


def test_demo_real_mode_asks_for_each_code(run: Cli, pool_env: LocalPool) -> None:
    """``demo --real`` runs against the configured pool, reading each code from a hidden
    prompt; the admin-only steps are skipped."""
    outbox = pool_env.outbox

    def newest(purpose: str) -> Callable[[], str]:
        def read() -> str:
            code = outbox.last(purpose=purpose).code
            run.secret(code)
            return code

        return read

    purposes = ("signup", "verify_attribute", "sms_mfa", "forgot_password")
    stdin = LazyStdin(*(newest(p) for p in purposes))
    result = run(
        "demo",
        "--real",
        "--json",
        "--email",
        "real@example.com",
        "--phone-number",
        "+15555550199",
        input=stdin,
    )
    data = json_out(result)
    assert data["ok"] is True
    assert data["mode"] == "real"
    skipped = [s["flow"] for s in data["steps"] if s["outcome"] == "skipped"]
    assert skipped == ["login", "login_new_password_required"]
    assert data["flows"]["missing"] == ["login_new_password_required"]
    assert "code sent to" in result.stderr


def test_python_m_demo_passes_on_this_interpreter(tmp_path):
    """`python -m cognito_user_pool demo`, as the README says, in a fresh process of the Python
    under test (nox runs the suite on every declared Python), exits 0 with every step met."""
    run = subprocess.run(
        [sys.executable, "-m", "cognito_user_pool", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    steps = re.search(r"^(\d+)/(\d+) steps as expected", run.stdout, re.MULTILINE)
    assert steps is not None and steps[1] == steps[2], run.stdout[-2000:]
    assert f"Flows exercised: {len(FLOWS)}/{len(FLOWS)}" in run.stdout
