"""Devices and sessions from the command line, against the strict local Cognito: `login
--remember-device` and `devices list|show|remember|forget` (MFA skipped on a remembered
device, asked again once it is forgotten), `logout --this-session`, `account delete` and
`profile resend-code`, each with a refusal."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

from cognito_user_pool.local import LocalPool

from ._support import PASSWORD, Cli, LazyStdin, json_out

PHONE = "+15555550123"


def _code(run: Cli, pool: LocalPool, username: str, purpose: str) -> str:
    code = pool.outbox.wait_for(username=username, purpose=purpose).code
    run.secret(code)
    return code


def _sms(run: Cli, pool: LocalPool) -> Callable[[], str]:
    return lambda: _code(run, pool, "dora", "sms_mfa")


def _device_secrets(run: Cli, path: Path) -> dict[str, str]:
    """The one device of a device file; its group key and password are secrets of the run."""
    data = json.loads(path.read_text(encoding="utf-8"))
    ((users),) = data["devices"].values()
    ((entry),) = users.values()
    run.secret(entry["device_group_key"], entry["device_password"])
    return dict(entry)


def test_a_remembered_device_skips_mfa_until_forgotten(
    run: Cli, other_pool_env: Callable[..., LocalPool], tmp_path: Path
) -> None:
    """In a pool that requires MFA and remembers devices on the user's word, `login
    --remember-device` confirms and remembers the device (its secrets in a 0600 file beside
    the token file, never printed); the next login skips MFA; `devices list|show` describe
    it; `devices remember --off` brings MFA back, `devices remember` removes it again;
    `devices forget` drops it, and MFA is asked again."""
    pool = other_pool_env(mfa="ON", remember_devices="user_opt_in")
    pool.create_user("dora", PASSWORD, {"email": "dora@example.com", "phone_number": PHONE})
    path = tmp_path / "dora.json"
    result = run(
        "login", "dora", "--save", str(path), "--stdin", "--json", "--remember-as", "laptop",
        input=LazyStdin(PASSWORD, _sms(run, pool)),
    )  # fmt: skip
    run.tokens_from(path)
    data = json_out(result)
    assert data["challenges"] == ["SMS_MFA"]
    devices = tmp_path / "dora.devices.json"
    assert stat.S_IMODE(devices.stat().st_mode) == 0o600
    entry = _device_secrets(run, devices)
    key = entry["device_key"]
    assert data["remembered_device"] == {"device_key": key, "name": "laptop"}

    result = run("login", "dora", "--save", str(path), "--stdin", "--json", input=PASSWORD + "\n")
    run.tokens_from(path)
    assert json_out(result)["challenges"] == []  # no MFA code: the device signed in

    listed = json_out(run("devices", "list", "--tokens", str(path), "--json"))["devices"]
    assert [(d["device_key"], d["name"], d["remembered"]) for d in listed] == [
        (key, "laptop", True)
    ]
    assert json_out(run("devices", "show", "--tokens", str(path), "--json"))["device_key"] == key
    human = run("devices", "list", "--tokens", str(path)).stdout
    assert key in human and "remembered" in human

    off = run("devices", "remember", "--off", "--tokens", str(path), "--json")
    assert json_out(off) == {"device_key": key, "remembered": False}
    result = run("login", "dora", "--stdin", "--devices", str(devices), "--json",
                 input=LazyStdin(PASSWORD, _sms(run, pool)))  # fmt: skip
    assert json_out(result)["challenges"] == ["SMS_MFA"]
    run("devices", "remember", key, "--tokens", str(path))
    result = run("login", "dora", "--stdin", "--devices", str(devices), "--json",
                 input=PASSWORD + "\n")  # fmt: skip
    assert json_out(result)["challenges"] == []

    forgotten = json_out(run("devices", "forget", "--tokens", str(path), "--json"))
    assert forgotten == {"device_key": None, "forgotten": True}
    assert json.loads(devices.read_text(encoding="utf-8"))["devices"] == {}
    result = run("login", "dora", "--save", str(path), "--stdin", "--json",
                 input=LazyStdin(PASSWORD, _sms(run, pool)))  # fmt: skip
    run.tokens_from(path)
    assert json_out(result)["challenges"] == ["SMS_MFA"]
    # Refusals: a device Cognito does not know; none in the device file to act on.
    result = run("devices", "show", key, "--tokens", str(path), code=1)
    assert result.stderr.startswith("ResourceNotFoundException: ")
    result = run("devices", "forget", "--tokens", str(path), code=1)
    assert "device_key" in result.stderr


def test_remember_device_needs_a_device_file_and_a_tracking_pool(
    run: Cli, pool_env: LocalPool, tmp_path: Path
) -> None:
    """`login --remember-device` without --save or --devices is a usage error before any
    request; in a pool that tracks no devices it signs in and says no device was announced."""
    pool_env.create_user("alice", PASSWORD, {"email": "alice@example.com"})
    result = run("login", "alice", "--remember-device", "--stdin", input=PASSWORD + "\n", code=2)
    assert "--save or --devices" in result.stderr
    path = tmp_path / "alice.json"
    result = run("login", "alice", "--remember-device", "--save", str(path), "--stdin", "--json",
                 input=PASSWORD + "\n")  # fmt: skip
    run.tokens_from(path)
    assert json_out(result)["remembered_device"] is None
    assert not (tmp_path / "alice.devices.json").exists()
    assert json_out(run("devices", "list", "--tokens", str(path), "--json")) == {"devices": []}


def test_logout_this_session_leaves_the_other_signed_in(
    run: Cli, pool_env: LocalPool, tmp_path: Path
) -> None:
    """`logout --this-session` revokes the saved session (its refresh and access tokens)
    while another session of the same user still works; a token file without a refresh
    token is a usage error."""
    pool_env.create_user("alice", PASSWORD, {"email": "alice@example.com"})
    phone, laptop = tmp_path / "phone.json", tmp_path / "laptop.json"
    for path in (phone, laptop):
        run("login", "alice", "--save", str(path), "--stdin", input=PASSWORD + "\n")
        run.tokens_from(path)
    result = run("logout", "--this-session", "--tokens", str(phone), "--json")
    assert json_out(result) == {"signed_out": True, "everywhere": False}
    assert run("whoami", "--tokens", str(phone), code=1).stderr.startswith(
        "NotAuthorizedException: "
    )
    assert run("refresh", "--tokens", str(phone), code=1).stderr.startswith(
        "NotAuthorizedException: "
    )
    assert json_out(run("whoami", "--tokens", str(laptop), "--json"))["username"] == "alice"

    saved = json.loads(laptop.read_text(encoding="utf-8"))
    saved["refresh_token"] = None
    laptop.write_text(json.dumps(saved), encoding="utf-8")
    result = run("logout", "--this-session", "--tokens", str(laptop), code=2)
    assert "refresh_token" in result.stderr
    run("whoami", "--tokens", str(laptop))  # nothing was revoked


def test_account_delete_asks_first(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """`account delete` asks for confirmation: "n" aborts and the user stays; "y" (or --yes)
    deletes it, after which its tokens and its password are refused."""
    pool_env.create_user("alice", PASSWORD, {"email": "alice@example.com"})
    path = tmp_path / "alice.json"
    run("login", "alice", "--save", str(path), "--stdin", input=PASSWORD + "\n")
    run.tokens_from(path)
    result = run("account", "delete", "--tokens", str(path), input="n\n", code=1)
    assert "Delete the account of alice" in result.stderr
    run("whoami", "--tokens", str(path))  # still there
    result = run("account", "delete", "--tokens", str(path), "--json", input="y\n")
    assert json_out(result) == {"deleted": True, "username": "alice"}
    assert run("whoami", "--tokens", str(path), code=1).stderr.startswith(
        "NotAuthorizedException: "
    )
    result = run("login", "alice", "--stdin", input=PASSWORD + "\n", code=1)
    assert result.stderr.startswith("UserNotFoundException: ")
    result = run("account", "delete", "--yes", "--tokens", str(path), code=1)
    assert result.stderr.startswith("NotAuthorizedException: ")


def test_profile_resend_code(run: Cli, pool_env: LocalPool, tmp_path: Path) -> None:
    """`profile resend-code email` sends a new code, which `profile verify email` accepts;
    an attribute with nothing to verify is refused by Cognito."""
    pool_env.create_user(
        "alice", PASSWORD, {"email": "alice@example.com", "email_verified": "false"}
    )
    path = tmp_path / "alice.json"
    run("login", "alice", "--save", str(path), "--stdin", input=PASSWORD + "\n")
    run.tokens_from(path)
    result = run("profile", "resend-code", "email", "--tokens", str(path), "--json")
    assert json_out(result) == {
        "attribute": "email",
        "code_delivery": {"destination": "a***@e***", "medium": "EMAIL", "attribute": "email"},
    }
    code = _code(run, pool_env, "alice", "verify_attribute")
    run("profile", "verify", "email", "--tokens", str(path), "--stdin", input=code + "\n")
    data = json_out(run("whoami", "--tokens", str(path), "--json"))
    assert data["attributes"]["email_verified"] == "true"
    result = run("profile", "resend-code", "phone_number", "--tokens", str(path), code=1)
    assert result.stderr.startswith("InvalidParameterException: ")
