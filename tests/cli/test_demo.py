"""``cognito-user-pool demo`` against its embedded strict local Cognito."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyotp
import pytest

from cognito_user_pool import FLOWS, AsyncUserPool, CognitoError, UserPool
from cognito_user_pool.cli import _demo_steps as _demo
from cognito_user_pool.local import LocalCognito, LocalPool

from ._support import Authenticator, Cli, LazyStdin, json_out

DOCS = Path(__file__).parents[2] / "docs" / "cli.md"
STEP_KEYS = {"number", "step", "flow", "expected", "outcome", "passed", "ms", "detail"}


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Records the demo's LocalCognito, its client secret, every password the demo makes,
    every token, challenge session and TOTP secret Cognito hands out, and every
    authenticator-app code sent."""
    seen: dict[str, list[Any]] = {
        "locals": [],
        "secrets": [],
        "totp secrets": [],
        "app codes": [],
    }
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
        # Every authenticator-app code sent, the wrong ones too.
        answers = params.get("ChallengeResponses") or {}
        seen["app codes"].extend(
            str(code)
            for code in (params.get("UserCode"), answers.get("SOFTWARE_TOKEN_MFA_CODE"))
            if code
        )
        response = await real_call(self, operation, **params)
        result = response.get("AuthenticationResult") or {}
        seen["secrets"].extend(
            result[key] for key in ("AccessToken", "IdToken", "RefreshToken") if key in result
        )
        if response.get("Session"):
            seen["secrets"].append(response["Session"])
        if response.get("SecretCode"):
            seen["totp secrets"].append(response["SecretCode"])
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
    assert len(codes) >= 6
    assert {message.purpose for message in local.outbox} >= {"sms_mfa", "email_mfa"}
    assert sum(s.count(".") == 2 for s in secrets) >= 10  # access and id tokens (JWTs)
    assert len(spy["totp secrets"]) == 2  # the user's app, the invited user's
    assert len(spy["app codes"]) >= 4  # confirm, a wrong and a right answer, MFA_SETUP
    return [*codes, *secrets, *spy["totp secrets"], *spy["app codes"]]


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
    assert f"runs {len(steps)} steps" in DOCS.read_text(encoding="utf-8")
    for step in steps:
        assert set(step) == STEP_KEYS
        assert step["passed"] is True
        assert step["outcome"] == step["expected"]
    refused = {s["expected"] for s in steps if s["expected"] != "ok"}
    assert refused == {"CodeMismatchException", "NotAuthorizedException"}
    for secret in _secrets_of_the_run(spy):
        assert secret not in result.stdout + result.stderr


@pytest.mark.parametrize("auth_factors", [True, False], ids=["auth-factors", "no-auth-factors"])
def test_demo_real_mode_asks_for_each_code(
    run: Cli,
    pool_env: LocalPool,
    app: Authenticator,
    monkeypatch: pytest.MonkeyPatch,
    auth_factors: bool,
) -> None:
    """``demo --real`` runs against the configured pool, reading each code from a hidden
    prompt, the app's from the user's authenticator, whose secret it shows (a QR code and
    the URI, on stderr only); the admin-only and e-mail MFA steps are skipped, and so is
    GetUserAuthFactors where the pool does not offer it."""
    if not auth_factors:

        def not_offered(self: UserPool, **kwargs: object) -> None:
            raise CognitoError("not on this plan", code="FeatureUnavailableInTierException")

        monkeypatch.setattr(UserPool, "get_user_auth_factors", not_offered)
    outbox = pool_env.outbox

    def newest(purpose: str) -> Callable[[], str]:
        def read() -> str:
            code = outbox.last(purpose=purpose).code
            run.secret(code)
            return code

        return read

    codes = (*(newest(p) for p in ("signup", "verify_attribute", "sms_mfa")), *[app.code] * 3)
    stdin = LazyStdin(*codes, newest("forgot_password"))
    result = run(
        "demo",
        "--real",
        "--json",
        "--email",
        "real@example.com",
        "--phone-number",
        "+15555550199",
        input=stdin,
        shows_secret=True,
    )
    data = json_out(result)
    assert data["ok"] is True
    assert data["mode"] == "real"
    skipped = [s["flow"] for s in data["steps"] if s["outcome"] == "skipped"]
    # The invited user's steps need the admin API: its set-up, its remembered device and,
    # at the very end, its deletion.
    devices = ["confirm_device", "update_device_status", "login"]
    devices += ["list_devices", "get_device", "forget_device", "login"]
    # The real-mode pool allows the password only as a first factor (no e-mail code), and has
    # no custom-auth triggers; passkeys need a browser, which a terminal is not.
    # (Listing the passkeys still runs.)
    passkeys = ["start_web_authn_registration", "complete_web_authn_registration"]
    passkeys += ["user_auth", "login_web_authn", "login_web_authn", "delete_web_authn_credential"]
    assert skipped == [
        "user_auth",
        "login_mfa",
        "custom_auth",
        "login_custom_challenge",
        *passkeys,
        "login",
        "login_new_password_required",
        "associate_software_token",
        "login_mfa_setup",
        *devices,
        *([] if auth_factors else ["get_user_auth_factors"]),
        "login",
        "login_mfa",
        "delete_user",
        "profile",
    ]
    missing = {"login_new_password_required", "login_mfa_setup", "delete_user"}
    missing |= {"confirm_device", "update_device_status", "list_devices", "get_device"}
    missing.add("forget_device")
    missing |= {"custom_auth", "login_custom_challenge"}
    missing |= set(passkeys) - {"user_auth"}
    if not auth_factors:
        missing.add("get_user_auth_factors")
        (step,) = [s for s in data["steps"] if s["flow"] == "get_user_auth_factors"]
        assert "FeatureUnavailableInTierException" in step["detail"]
    assert data["flows"]["missing"] == [f.name for f in FLOWS if f.name in missing]
    assert "code sent to" in result.stderr
    (secret,) = app.secrets
    assert secret not in result.stdout
    (uri,) = re.findall(r"^otpauth://totp/\S+$", result.stderr, re.MULTILINE)
    assert pyotp.parse_uri(uri).secret == secret
    assert "A new code from your authenticator app" in result.stderr


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
