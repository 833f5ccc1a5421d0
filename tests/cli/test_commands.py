"""The user commands against a strict local pool: JSON shapes, exit codes, secret handling."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cognito_user_pool.local import LocalCognito, LocalPool

from ._support import NEW_PASSWORD, PASSWORD, Cli, LazyStdin, json_out

DELIVERY_KEYS = {"destination", "medium", "attribute"}
TOKEN_KEYS = {"token_type", "access_token_expires_at", "id_token_expires_at"}


def _code(run: Cli, pool: LocalPool, username: str, purpose: str) -> str:
    code = pool.outbox.wait_for(username=username, purpose=purpose).code
    run.secret(code)
    return code


def _signed_up(run: Cli, pool: LocalPool, username: str = "alice") -> None:
    run(
        "signup",
        username,
        "--email",
        f"{username}@example.com",
        "--phone-number",
        "+15555550100",
        "--password-stdin",
        input=f"{PASSWORD}\n",
    )
    run("confirm", username, "--stdin", input=_code(run, pool, username, "signup") + "\n")


def _logged_in(run: Cli, pool: LocalPool, tmp_path: Path, username: str = "alice") -> Path:
    _signed_up(run, pool, username)
    path = tmp_path / "tokens.json"
    run("login", username, "--save", str(path), "--password-stdin", input=f"{PASSWORD}\n")
    run.tokens_from(path)
    return path


def test_signup_confirm_resend_json_shapes(run: Cli, pool_env: LocalPool) -> None:
    """signup, resend and confirm print their documented JSON documents."""
    result = run(
        "signup", "bob", "--email", "bob@example.com", "--json", "--stdin", input=PASSWORD + "\n"
    )
    data = json_out(result)
    assert set(data) == {"username", "user_confirmed", "user_sub", "code_delivery"}
    assert data["username"] == "bob"
    assert data["user_confirmed"] is False
    assert set(data["code_delivery"]) == DELIVERY_KEYS
    assert data["code_delivery"]["medium"] == "EMAIL"
    _code(run, pool_env, "bob", "signup")

    data = json_out(run("resend", "bob", "--json"))
    assert set(data) == {"username", "code_delivery"}
    assert data["code_delivery"]["attribute"] == "email"

    code = _code(run, pool_env, "bob", "signup")
    data = json_out(run("confirm", "bob", "--json", "--stdin", input=code + "\n"))
    assert data == {"username": "bob", "confirmed": True}


def test_hidden_prompts_never_echo_the_password(run: Cli, pool_env: LocalPool) -> None:
    """Without --password-stdin the password is asked twice with a hidden prompt."""
    result = run("signup", "carol", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert "Password" in result.stderr
    assert "Repeat for confirmation" in result.stderr
    assert "Signed up carol" in result.stdout


def test_hidden_prompt_asks_again_when_the_two_entries_differ(
    run: Cli, pool_env: LocalPool
) -> None:
    """A mistyped confirmation is caught before anything is sent."""
    result = run("signup", "dave", input=f"{PASSWORD}\nother\n{PASSWORD}\n{PASSWORD}\n")
    assert "do not match" in result.stderr
    assert "Signed up dave" in result.stdout


def test_login_saves_tokens_with_mode_0600(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """--save writes a 0600 token file (even over a looser existing file); --json shows
    expiry times but no token."""
    _signed_up(run, pool_env)
    path = tmp_path / "tokens.json"
    path.write_text("{}")
    path.chmod(0o644)
    result = run(
        "login", "alice", "--save", str(path), "--json", "--password-stdin", input=PASSWORD + "\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = run.tokens_from(path)
    assert saved["user_pool_id"] == pool_env.user_pool_id
    assert "client_secret" not in saved
    data = json_out(result)
    assert set(data) == {"username", "challenges", "saved_to", *TOKEN_KEYS}
    assert data["challenges"] == []
    assert data["saved_to"] == str(path)
    assert data["access_token_expires_at"] > time.time()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_login_keeps_no_tokens_unless_asked(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """Without --save nothing is written; --show-tokens is the only way to print them."""
    _signed_up(run, pool_env)
    result = run("login", "alice", "--stdin", input=PASSWORD + "\n")
    assert "--save PATH" in result.stdout
    shown = run("login", "alice", "--stdin", "--show-tokens", "--json", input=PASSWORD + "\n")
    tokens = json_out(shown)["tokens"]
    assert set(tokens) == {"access_token", "id_token", "refresh_token"}
    run.secret(*tokens.values())  # printed on request only: no other output may hold them
    assert tokens["access_token"] in shown.stdout


def test_wrong_password_exits_1_with_the_aws_code(run: Cli, pool_env: LocalPool) -> None:
    """Cognito's refusal is exit code 1 with ``<code>: <message>`` on stderr."""
    _signed_up(run, pool_env)
    result = run("login", "alice", "--stdin", input="Wr0ng-password!\n", code=1)
    assert result.stderr.strip().splitlines()[-1] == (
        "NotAuthorizedException: Incorrect username or password."
    )
    assert result.stdout.strip() == ""
    result = run("login", "alice", "--stdin", "--json", input="Wr0ng-password!\n", code=1)
    assert json_out(result) == {
        "error": {
            "code": "NotAuthorizedException",
            "message": "Incorrect username or password.",
        }
    }
    assert "NotAuthorizedException: " in result.stderr


def test_wrong_confirmation_code_exits_1(run: Cli, pool_env: LocalPool) -> None:
    """A wrong code is CodeMismatchException, exit code 1."""
    run("signup", "erin", "--email", "erin@example.com", "--stdin", input=PASSWORD + "\n")
    right = _code(run, pool_env, "erin", "signup")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    result = run("confirm", "erin", "--stdin", input=wrong + "\n", code=1)
    assert result.stderr.startswith("CodeMismatchException: ")


@pytest.mark.parametrize(
    "args",
    [
        ["login", "alice", "--password", PASSWORD],  # there is no way to pass it in argv
        ["confirm", "alice", "--code", "123456"],
        ["login"],
        ["mfa", "maybe", "--tokens", "t.json"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2(run: Cli, pool_env: LocalPool, args: list[str]) -> None:
    """Unknown options (a password flag included), missing arguments and unknown commands
    are click usage errors: exit code 2."""
    result = run(*args, code=2)
    assert "Usage:" in result.stderr


def test_missing_pool_is_a_usage_error(run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --pool-id or COGNITO_USER_POOL_ID, exit code 2 names what is missing."""
    result = run("resend", "alice", code=2)
    assert "COGNITO_USER_POOL_ID" in result.stderr
    result = run("resend", "alice", "--pool-id", "nope", "--client-id", "abc", code=2)
    assert "user_pool_id" in result.stderr


def test_save_into_a_missing_directory_is_a_usage_error(
    run: Cli, pool_env: LocalPool, tmp_path: Path
) -> None:
    """--save into a directory that does not exist stops before any request, exit code 2."""
    target = tmp_path / "missing" / "tokens.json"
    result = run("login", "alice", "--save", str(target), "--stdin", input=PASSWORD + "\n", code=2)
    assert "no directory" in result.stderr


def test_empty_stdin_is_a_usage_error(run: Cli, pool_env: LocalPool) -> None:
    """--password-stdin with nothing on stdin stops before any request, exit code 2."""
    result = run("signup", "frank", "--password-stdin", input="", code=2)
    assert "no password on stdin" in result.stderr


def test_pool_from_flags_and_client_secret_from_a_hidden_prompt(run: Cli, pool: LocalPool) -> None:
    """Flags name the pool; --ask-client-secret reads the secret, never echoed."""
    assert pool.client_secret is not None
    flags = [
        "--pool-id",
        pool.user_pool_id,
        "--client-id",
        pool.client_id,
        "--region",
        pool.region,
        "--endpoint-url",
        pool.endpoint_url,
    ]
    result = run(
        "signup",
        "gina",
        "--email",
        "gina@example.com",
        *flags,
        "--ask-client-secret",
        input=f"{pool.client_secret}\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert "App client secret" in result.stderr
    assert "Signed up gina" in result.stdout
    # Without the secret, Cognito refuses the missing SECRET_HASH: exit code 1.
    result = run("resend", "gina", *flags, code=1)
    assert result.stderr.startswith("NotAuthorizedException: ")


def test_whoami_refresh_logout_json_shapes(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """whoami, refresh and logout print their documented JSON; a revoked token is exit 1."""
    path = _logged_in(run, pool_env, tmp_path)
    data = json_out(run("whoami", "--tokens", str(path), "--json"))
    assert set(data) == {"username", "attributes", "mfa"}
    assert data["username"] == "alice"
    assert data["attributes"]["email"] == "alice@example.com"
    assert data["attributes"]["email_verified"] == "true"
    assert data["mfa"] is None

    fresh = tmp_path / "fresh.json"
    data = json_out(run("refresh", "--tokens", str(path), "--save", str(fresh), "--json"))
    assert set(data) == {"saved_to", *TOKEN_KEYS}
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert run.tokens_from(fresh)["access_token"] != run.tokens_from(path)["access_token"]

    signed_out = json_out(run("logout", "--tokens", str(fresh), "--json"))
    assert signed_out == {"signed_out": True, "everywhere": True}
    result = run("whoami", "--tokens", str(path), code=1)
    assert result.stderr.startswith("NotAuthorizedException: ")


def test_an_expired_access_token_is_refreshed_first(
    run: Cli, pool_env: LocalPool, tmp_path: Path
) -> None:
    """With the saved access token past its expiry, whoami uses the refresh token."""
    path = _logged_in(run, pool_env, tmp_path)
    saved = json.loads(path.read_text())
    saved["access_token"] = "not-a-usable-token"
    saved["access_token_expires_at"] = int(time.time()) - 60
    path.write_text(json.dumps(saved))
    assert json_out(run("whoami", "--tokens", str(path), "--json"))["username"] == "alice"


def test_mfa_on_login_with_sms_code_status_off(
    run: Cli, pool_env: LocalPool, tmp_path: Path
) -> None:
    """mfa on/status/off, and login answering the SMS_MFA challenge from stdin."""
    path = _logged_in(run, pool_env, tmp_path)
    assert json_out(run("mfa", "on", "--tokens", str(path), "--json")) == {"sms_mfa": True}
    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert set(status) == {"enabled", "preferred", "configured_factors", "source"}
    assert (status["enabled"], status["preferred"]) == (["SMS_MFA"], "SMS_MFA")
    assert status["source"] == "GetUserAuthFactors"
    assert {"PASSWORD", "SMS_OTP"} <= set(status["configured_factors"])

    stdin = LazyStdin(PASSWORD, lambda: _code(run, pool_env, "alice", "sms_mfa"))
    result = run("login", "alice", "--stdin", "--json", input=stdin)
    assert json_out(result)["challenges"] == ["SMS_MFA"]

    result = run("login", "alice", input=LazyStdin(PASSWORD, "000000"), code=1)
    assert "SMS code" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("CodeMismatchException: ")

    assert json_out(run("mfa", "off", "--tokens", str(path), "--json")) == {"sms_mfa": False}
    status = json_out(run("mfa", "status", "--tokens", str(path), "--json"))
    assert (status["enabled"], status["preferred"]) == ([], None)


def test_new_password_required_is_asked_for(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """An invited user's first login asks for a new password (hidden, twice)."""
    temporary = "Temp0rary-Pass!"
    run.secret(temporary)
    pool_env.admin.admin_create_user(
        UserPoolId=pool_env.user_pool_id,
        Username="ivan",
        TemporaryPassword=temporary,
        MessageAction="SUPPRESS",
    )
    result = run("login", "ivan", "--json", input=f"{temporary}\n{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert json_out(result)["challenges"] == ["NEW_PASSWORD_REQUIRED"]
    assert "New password" in result.stderr
    run("login", "ivan", "--stdin", input=NEW_PASSWORD + "\n")


def test_password_change_forgot_reset(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """password change/forgot/reset print their JSON; the new password then works."""
    path = _logged_in(run, pool_env, tmp_path)
    result = run(
        "password",
        "change",
        "--tokens",
        str(path),
        "--json",
        "--stdin",
        input=f"{PASSWORD}\n{NEW_PASSWORD}\n",
    )
    assert json_out(result) == {"changed": True}
    run("login", "alice", "--stdin", input=NEW_PASSWORD + "\n")

    data = json_out(run("password", "forgot", "alice", "--json"))
    assert set(data) == {"username", "code_delivery"}
    assert set(data["code_delivery"]) == DELIVERY_KEYS
    code = _code(run, pool_env, "alice", "forgot_password")
    result = run("password", "reset", "alice", "--json", input=f"{code}\n{PASSWORD}\n{PASSWORD}\n")
    assert json_out(result) == {"username": "alice", "reset": True}
    run("login", "alice", "--stdin", input=PASSWORD + "\n")


def test_a_bad_token_file_is_a_usage_error(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """A missing or foreign --tokens file is exit code 2, its content never quoted."""
    run("whoami", "--tokens", str(tmp_path / "missing.json"), code=2)
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"access_token": "secret-looking-value"}))
    result = run("whoami", "--tokens", str(foreign), code=2)
    assert "secret-looking-value" not in result.stderr


def test_python_dash_m_runs_the_cli() -> None:
    """``python -m cognito_user_pool --help`` lists the commands."""
    out = subprocess.run(
        [sys.executable, "-m", "cognito_user_pool", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NO_COLOR": "1"},
    ).stdout
    for command in ("demo", "local", "signup", "login", "whoami", "profile", "mfa", "password"):
        assert command in out


def test_profile_edit_verify_and_delete(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """profile edit updates and deletes attributes; profile verify confirms a new email
    with the code Cognito sent; phone_number is skipped, pointing at its own command."""
    path = _logged_in(run, pool_env, tmp_path)
    data = json_out(
        run(
            "profile",
            "edit",
            "--tokens",
            str(path),
            "-a",
            "name=Alice",
            "-a",
            "email=alice.new@example.com",
            "-a",
            "phone_number=+15555550111",
            "--json",
        )
    )
    assert set(data) == {"updated", "deleted", "skipped", "code_delivery"}
    assert sorted(data["updated"]) == ["email", "name"]
    assert data["skipped"] == ["phone_number"]
    assert [d["attribute"] for d in data["code_delivery"]] == ["email"]
    code = _code(run, pool_env, "alice", "verify_attribute")
    result = run("profile", "verify", "email", "--tokens", str(path), "--json", input=code + "\n")
    assert json_out(result) == {"attribute": "email", "verified": True}
    assert "Verification code" in result.stderr
    attributes = json_out(run("whoami", "--tokens", str(path), "--json"))["attributes"]
    assert attributes["email"] == "alice.new@example.com"
    assert attributes["email_verified"] == "true"
    assert attributes["name"] == "Alice"

    data = json_out(run("profile", "edit", "--tokens", str(path), "-d", "name", "--json"))
    assert data["deleted"] == ["name"]
    assert "name" not in json_out(run("whoami", "--tokens", str(path), "--json"))["attributes"]
    run("profile", "edit", "--tokens", str(path), code=2)  # nothing to edit


def test_profile_phone_number_set_and_remove(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """profile phone-number sets a number, and --remove turns SMS MFA off and deletes it."""
    path = _logged_in(run, pool_env, tmp_path)
    data = json_out(run("profile", "phone-number", "+15555550122", "--tokens", str(path), "--json"))
    assert data["updated"] == ["phone_number"]
    attributes = json_out(run("whoami", "--tokens", str(path), "--json"))["attributes"]
    assert attributes["phone_number"] == "+15555550122"

    run("mfa", "on", "--tokens", str(path))
    data = json_out(run("profile", "phone-number", "--remove", "--tokens", str(path), "--json"))
    assert data["deleted"] == ["phone_number"]
    profile = json_out(run("whoami", "--tokens", str(path), "--json"))
    assert "phone_number" not in profile["attributes"]
    assert profile["mfa"] is None
    run("profile", "phone-number", "--tokens", str(path), code=2)  # neither NUMBER nor --remove
    run("profile", "phone-number", "+15555550122", "--remove", "--tokens", str(path), code=2)


def test_a_rotated_refresh_token_is_saved_back(
    run: Cli, other_pool_env: Callable[..., LocalPool], server: LocalCognito, tmp_path: Path
) -> None:
    """With a client that rotates refresh tokens, the refresh a command makes for an expired
    access token writes the new tokens back to the token file: once the old refresh token's
    grace period is over, the next command still works."""
    pool = other_pool_env(mfa="OPTIONAL", refresh_token_rotation=0)
    path = _logged_in(run, pool, tmp_path)
    old_refresh = json.loads(path.read_text())["refresh_token"]
    saved = json.loads(path.read_text())
    saved["access_token_expires_at"] = int(time.time()) - 60
    path.write_text(json.dumps(saved))
    assert json_out(run("whoami", "--tokens", str(path), "--json"))["username"] == "alice"
    written = json.loads(path.read_text())
    assert written["refresh_token"] != old_refresh
    assert written["access_token_expires_at"] > time.time()
    server.advance_time(1)  # past the grace period (0 s) of the old refresh token
    try:
        written["access_token_expires_at"] = int(time.time()) - 60
        path.write_text(json.dumps(written))
        assert json_out(run("whoami", "--tokens", str(path), "--json"))["username"] == "alice"
    finally:
        server.advance_time(-1)
