"""The MFA commands and the login chain against the strict local Cognito: enrolling an
authenticator app (QR code and URI on stderr only), preferences, status, and login answering
SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP (app or e-mail) and EMAIL_OTP, wrong codes
refused by Cognito."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pyotp
import pytest

from cognito_user_pool import CognitoError, UserPool
from cognito_user_pool.cli._totp import qr_code_text
from cognito_user_pool.local import LocalPool

from ._support import NEW_PASSWORD, PASSWORD, Authenticator, Cli, LazyStdin, json_out, wrong

URI = re.compile(r"^otpauth://totp/\S+$", re.MULTILINE)


def _code(run: Cli, pool: LocalPool, username: str, purpose: str) -> str:
    code = pool.outbox.wait_for(username=username, purpose=purpose).code
    run.secret(code)
    return code


def _logged_in(
    run: Cli, pool: LocalPool, tmp_path: Path, username: str = "alice", **attributes: str
) -> Path:
    pool.create_user(username, PASSWORD, {"email": f"{username}@example.com", **attributes})
    path = tmp_path / f"{username}.json"
    run("login", username, "--save", str(path), "--stdin", input=PASSWORD + "\n")
    run.tokens_from(path)
    return path


def _set_up_app(run: Cli, app: Authenticator, path: Path, *more: str) -> dict[str, object]:
    stdin = LazyStdin(app.code)
    result = run(
        "mfa", "totp", "setup", "--tokens", str(path), "--json", "--stdin", *more,
        input=stdin, shows_secret=True,
    )  # fmt: skip
    return dict(json_out(result))


def test_totp_setup_shows_the_secret_once_on_stderr_then_login_asks_for_the_app(
    run: Cli, pool_env: LocalPool, app: Authenticator, tmp_path: Path
) -> None:
    """`mfa totp setup` shows a QR code of the otpauth URI and the URI on stderr (stdout and
    the JSON document never hold the secret), confirms a code from the app and turns TOTP on;
    login then asks for the app's code: a wrong one is refused, the right one signs in."""
    path = _logged_in(run, pool_env, tmp_path)
    result = run(
        "mfa", "totp", "setup", "--tokens", str(path), "--json", "--stdin",
        "--issuer", "Acme Corp", "--device-name", "phone",
        input=LazyStdin(app.code), shows_secret=True,
    )  # fmt: skip
    assert json_out(result) == {
        "software_token_mfa": True,
        "preferred": False,
        "device_name": "phone",
    }
    (secret,) = app.secrets
    assert secret not in result.stdout
    (uri,) = URI.findall(result.stderr)
    assert uri.startswith("otpauth://totp/Acme%20Corp:alice?")
    assert result.stderr.count(secret) == 1  # in the URI, once
    parsed = pyotp.parse_uri(uri)
    assert (parsed.secret, parsed.issuer, parsed.name) == (secret, "Acme Corp", "alice")
    # The QR code on stderr is segno's drawing of that very URI.
    assert qr_code_text(uri) in result.stderr

    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert status["enabled"] == ["SOFTWARE_TOKEN_MFA"]
    assert status["source"] == "GetUserAuthFactors"
    assert "SOFTWARE_TOKEN" in status["configured_factors"]

    refused = run("login", "alice", "--stdin", input=LazyStdin(PASSWORD, app.wrong_code), code=1)
    assert refused.stderr.strip().splitlines()[-1].startswith("CodeMismatchException: ")
    result = run("login", "alice", "--stdin", "--json", input=LazyStdin(PASSWORD, app.code))
    assert json_out(result)["challenges"] == ["SOFTWARE_TOKEN_MFA"]


def test_totp_setup_refuses_a_wrong_code(
    run: Cli, pool_env: LocalPool, app: Authenticator, tmp_path: Path
) -> None:
    """A code the new secret does not make is refused by Cognito (exit 1), TOTP stays off;
    at a prompt the code is asked again and the next right one is accepted."""
    path = _logged_in(run, pool_env, tmp_path)
    result = run(
        "mfa", "totp", "setup", "--tokens", str(path), "--stdin",
        input=LazyStdin(app.wrong_code), code=1, shows_secret=True,
    )  # fmt: skip
    assert result.stderr.strip().splitlines()[-1].startswith("EnableSoftwareTokenMFAException: ")
    assert json_out(run("mfa", "status", "--tokens", str(path), "--json"))["enabled"] == []

    result = run(
        "mfa", "totp", "setup", "--tokens", str(path), "--prefer",
        input=LazyStdin(app.wrong_code, app.code), shows_secret=True,
    )  # fmt: skip
    assert "Authenticator app code" in result.stderr
    assert "did not accept that code" in result.stderr
    assert "TOTP MFA on and preferred" in result.stdout
    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert status["preferred"] == "SOFTWARE_TOKEN_MFA"


def test_totp_setup_usage_errors_come_before_any_request(
    run: Cli, pool_env: LocalPool, app: Authenticator, tmp_path: Path
) -> None:
    """An issuer the URI cannot carry, or a token file without a user and no --account, is a
    usage error (exit 2) before Cognito hands out a secret."""
    path = _logged_in(run, pool_env, tmp_path)
    result = run("mfa", "totp", "setup", "--tokens", str(path), "--issuer", "Acme:Corp", code=2)
    assert "--issuer" in result.stderr
    saved = json.loads(path.read_text())
    saved["username"] = None
    path.write_text(json.dumps(saved))
    result = run("mfa", "totp", "setup", "--tokens", str(path), code=2)
    assert "--account" in result.stderr
    assert app.secrets == []


def test_select_mfa_type_and_prefer(
    run: Cli, pool_env: LocalPool, app: Authenticator, tmp_path: Path
) -> None:
    """With SMS and the app on and none preferred, login asks which (a line of stdin, or a
    prompt), then that method's code; a method not offered is a usage error. `mfa prefer`
    makes Cognito ask for one directly; e-mail is refused by a pool without e-mail MFA."""
    path = _logged_in(run, pool_env, tmp_path, phone_number="+15555550100")
    _set_up_app(run, app, path)
    saved = json.loads(path.read_text())
    with UserPool.from_config(pool_env.pool().config) as pool:
        pool.set_user_mfa_preference(auth=saved["access_token"], sms_mfa=True)

    result = run("login", "alice", "--stdin", "--json", input=LazyStdin(PASSWORD, "totp", app.code))
    assert json_out(result)["challenges"] == ["SELECT_MFA_TYPE", "SOFTWARE_TOKEN_MFA"]
    sms = LazyStdin(PASSWORD, "SMS_MFA", lambda: _code(run, pool_env, "alice", "sms_mfa"))
    result = run("login", "alice", "--stdin", "--json", input=sms)
    assert json_out(result)["challenges"] == ["SELECT_MFA_TYPE", "SMS_MFA"]
    result = run("login", "alice", input=LazyStdin(PASSWORD, "email", "totp", app.code))
    assert "MFA method (sms, totp)" in result.stderr
    assert "after SELECT_MFA_TYPE, SOFTWARE_TOKEN_MFA" in result.stdout
    result = run("login", "alice", "--stdin", input=LazyStdin(PASSWORD, "email"), code=2)
    assert "must be one of sms, totp" in result.stderr

    assert json_out(run("mfa", "prefer", "totp", "--tokens", str(path), "--json")) == {
        "preferred": "SOFTWARE_TOKEN_MFA"
    }
    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert set(status["enabled"]) == {"SMS_MFA", "SOFTWARE_TOKEN_MFA"}
    assert status["preferred"] == "SOFTWARE_TOKEN_MFA"
    result = run("login", "alice", "--stdin", "--json", input=LazyStdin(PASSWORD, app.code))
    assert json_out(result)["challenges"] == ["SOFTWARE_TOKEN_MFA"]

    result = run("mfa", "prefer", "SMS", "--tokens", str(path))
    assert "MFA with SMS codes on, and preferred (SMS_MFA)" in result.stdout
    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert status["preferred"] == "SMS_MFA"
    result = run("mfa", "prefer", "email", "--tokens", str(path), code=1)
    assert result.stderr.startswith("InvalidParameterException: ")


def test_mfa_disable_turns_one_method_off(
    run: Cli, pool_env: LocalPool, app: Authenticator, tmp_path: Path
) -> None:
    """`mfa disable totp` turns the app off and leaves SMS on: the next login asks for an SMS
    code; `mfa disable sms` then leaves no method, and login asks for none."""
    path = _logged_in(run, pool_env, tmp_path, phone_number="+15555550100")
    _set_up_app(run, app, path, "--prefer")
    run("mfa", "prefer", "sms", "--tokens", str(path))
    run("mfa", "prefer", "totp", "--tokens", str(path))

    assert json_out(run("mfa", "disable", "TOTP", "--tokens", str(path), "--json")) == {
        "disabled": "SOFTWARE_TOKEN_MFA"
    }
    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert status["enabled"] == ["SMS_MFA"]
    sms = LazyStdin(PASSWORD, lambda: _code(run, pool_env, "alice", "sms_mfa"))
    result = run("login", "alice", "--stdin", "--json", input=sms)
    assert json_out(result)["challenges"] == ["SMS_MFA"]

    result = run("mfa", "disable", "sms", "--tokens", str(path))
    assert "MFA with SMS codes off (SMS_MFA)." in result.stdout
    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert status["enabled"] == []
    result = run("login", "alice", "--stdin", "--json", input=LazyStdin(PASSWORD))
    assert json_out(result)["challenges"] == []
    result = run("mfa", "disable", "push", "--tokens", str(path), code=2)
    assert "'push' is not one of" in result.stderr


def test_mfa_status_reads_get_user_where_auth_factors_are_not_offered(
    run: Cli, pool_env: LocalPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where Cognito does not offer GetUserAuthFactors, `mfa status` shows GetUser's MFA
    settings; any other refusal is reported (exit 1)."""
    path = _logged_in(run, pool_env, tmp_path, phone_number="+15555550100")
    run("mfa", "on", "--tokens", str(path))
    refusal = {"code": "FeatureUnavailableInTierException"}

    def not_offered(self: UserPool, **kwargs: object) -> None:
        raise CognitoError("not on this plan", code=refusal["code"])

    monkeypatch.setattr(UserPool, "get_user_auth_factors", not_offered)
    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert status == {
        "enabled": ["SMS_MFA"],
        "preferred": "SMS_MFA",
        "configured_factors": None,
        "source": "GetUser",
    }
    refusal["code"] = "NotAuthorizedException"
    result = run("mfa", "status", "--tokens", str(path), code=1)
    assert result.stderr.startswith("NotAuthorizedException: not on this plan")


def test_login_sets_up_the_app_when_the_pool_requires_mfa(
    run: Cli, other_pool_env: Callable[..., LocalPool], app: Authenticator
) -> None:
    """In a pool that requires MFA, an invited user's login goes through a new password and
    MFA_SETUP (QR code on stderr, a code from the app; a wrong one refused) to tokens; the
    next login asks for the app's code."""
    pool = other_pool_env(mfa="ON")
    temporary = "Temp0rary-Pass!"
    run.secret(temporary)
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="ivan",
        TemporaryPassword=temporary,
        MessageAction="SUPPRESS",
    )
    result = run(
        "login", "ivan", "--stdin", input=LazyStdin(temporary, NEW_PASSWORD, app.wrong_code),
        code=1, shows_secret=True,
    )  # fmt: skip
    assert result.stderr.strip().splitlines()[-1].startswith("EnableSoftwareTokenMFAException: ")

    result = run(
        "login", "ivan", "--stdin", "--json", "--issuer", "Acme", "--device-name", "phone",
        input=LazyStdin(NEW_PASSWORD, app.code), shows_secret=True,
    )  # fmt: skip
    assert json_out(result)["challenges"] == ["MFA_SETUP"]
    (uri,) = URI.findall(result.stderr)
    assert unquote(uri).startswith("otpauth://totp/Acme:ivan?")
    assert app.secrets[-1] not in result.stdout
    result = run("login", "ivan", "--stdin", "--json", input=LazyStdin(NEW_PASSWORD, app.code))
    assert json_out(result)["challenges"] == ["SOFTWARE_TOKEN_MFA"]


def test_new_password_then_mfa_setup_in_one_login(
    run: Cli, other_pool_env: Callable[..., LocalPool], app: Authenticator
) -> None:
    """A new password followed by MFA_SETUP is answered in one login, at prompts."""
    pool = other_pool_env(mfa="ON")
    temporary = "Temp0rary-Pass!"
    run.secret(temporary)
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="jill",
        TemporaryPassword=temporary,
        MessageAction="SUPPRESS",
    )
    stdin = LazyStdin(temporary, NEW_PASSWORD, NEW_PASSWORD, app.code)
    result = run("login", "jill", "--json", input=stdin, shows_secret=True)
    assert json_out(result)["challenges"] == ["NEW_PASSWORD_REQUIRED", "MFA_SETUP"]


def test_login_sets_up_email_mfa_then_answers_the_email_code(
    run: Cli, other_pool_env: Callable[..., LocalPool], app: Authenticator
) -> None:
    """In a pool that requires MFA and offers e-mail codes, a user with neither phone nor
    e-mail chooses e-mail at MFA_SETUP, gives an address, and signs in with the code sent
    there (a wrong one refused); `mfa status` then shows EMAIL_OTP, no app secret was made."""
    pool = other_pool_env(mfa="ON", email_mfa=True)
    pool.create_user("kim", PASSWORD)

    def _email_code() -> str:
        return _code(run, pool, "kim", "email_mfa")

    stdin = LazyStdin(PASSWORD, "email", "kim@example.com", lambda: wrong(_email_code()))
    result = run("login", "kim", "--stdin", input=stdin, code=1)
    assert "CodeMismatchException: " in result.stderr

    stdin = LazyStdin(PASSWORD, "email", "kim@example.com", _email_code)
    result = run("login", "kim", "--json", input=stdin)
    assert json_out(result)["challenges"] == ["MFA_SETUP", "EMAIL_OTP"]
    assert "MFA method to set up (totp, email)" in result.stderr
    assert "E-mail address for MFA codes" in result.stderr
    assert "Email code (sent to" in result.stderr

    result = run("login", "kim", "--stdin", "--json", input=LazyStdin(PASSWORD, _email_code))
    assert json_out(result)["challenges"] == ["EMAIL_OTP"]
    assert app.secrets == []
