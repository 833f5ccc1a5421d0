"""The ``admin users`` and ``admin groups`` commands against a strict local pool: round trips,
JSON shapes, exit codes, and no password in any output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cognito_user_pool.local import LocalPool

from ._support import NEW_PASSWORD, PASSWORD, Cli, json_out

USER_KEYS = {"username", "status", "enabled", "attributes", "mfa", "created", "last_modified"}
GROUP_KEYS = {"name", "description", "precedence", "role_arn", "created", "last_modified"}
TEMPORARY = "Tmp-Adm1n-Passw0rd!"


@pytest.fixture
def admin_env(pool_env: LocalPool, run: Cli, monkeypatch: pytest.MonkeyPatch) -> LocalPool:
    """The pool, with dummy IAM credentials for the signed admin calls (botocore's chain)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDADMINCLITEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "admin-cli-secret-access-key")
    run.secret("admin-cli-secret-access-key", TEMPORARY)
    return pool_env


def _lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _create(run: Cli, username: str, *extra: str, input: str | None = None) -> dict[str, Any]:
    result = run(
        "admin",
        "users",
        "create",
        username,
        "--attribute",
        f"email={username}@example.com",
        "--suppress",
        "--json",
        *extra,
        input=input,
    )
    data: dict[str, Any] = json_out(result)
    return data


def test_create_get_disable_enable_delete(run: Cli, admin_env: LocalPool) -> None:
    """A user goes through create, get, disable, enable, delete; each prints its document."""
    data = json_out(
        run(
            "admin",
            "users",
            "create",
            "ann",
            "--attribute",
            "email=ann@example.com",
            "--attribute",
            "name=Ann",
            "--suppress",
            "--temporary-password-stdin",
            "--json",
            input=TEMPORARY + "\n",
        )
    )
    assert set(data) == USER_KEYS
    assert data["username"] == "ann"
    assert data["status"] == "FORCE_CHANGE_PASSWORD"
    assert data["attributes"]["email"] == "ann@example.com"
    assert isinstance(data["created"], int)

    assert json_out(run("admin", "users", "get", "ann", "--json"))["enabled"] is True
    assert json_out(run("admin", "users", "disable", "ann", "--json")) == {
        "username": "ann",
        "enabled": False,
    }
    assert json_out(run("admin", "users", "get", "ann", "--json"))["enabled"] is False
    assert "ann enabled." in run("admin", "users", "enable", "ann").stdout
    assert json_out(run("admin", "users", "get", "ann", "--json"))["enabled"] is True

    run("admin", "users", "delete", "ann", input="n\n", code=1)  # asks first: "n" aborts
    assert json_out(run("admin", "users", "delete", "ann", "--yes", "--json")) == {
        "username": "ann",
        "deleted": True,
    }
    result = run("admin", "users", "get", "ann", "--json", code=1)
    assert json_out(result)["error"]["code"] == "UserNotFoundException"
    assert "UserNotFoundException: " in result.stderr


def test_passwords_and_sign_in(run: Cli, admin_env: LocalPool, tmp_path: Path) -> None:
    """The temporary password signs in through `admin users login`, which answers
    NEW_PASSWORD_REQUIRED; reset-password then blocks sign-in; set-password --permanent
    lets the user in again. No password reaches any output."""
    # A verified email: Cognito sends the reset code there.
    _create(
        run,
        "bob",
        "--attribute",
        "email_verified=true",
        "--temporary-password-stdin",
        input=TEMPORARY + "\n",
    )
    run("admin", "users", "create", "bob2", "--temporary-password-stdin", input="", code=2)
    run("admin", "users", "create", "bob", "--suppress", code=1)  # exists: exit 1
    data = json_out(
        run(
            "admin",
            "users",
            "login",
            "bob",
            "--stdin",
            "--json",
            input=f"{TEMPORARY}\n{PASSWORD}\n",
        )
    )
    assert data["challenges"] == ["NEW_PASSWORD_REQUIRED"]
    assert data["saved_to"] is None
    assert "tokens" not in data
    assert json_out(run("admin", "users", "get", "bob", "--json"))["status"] == "CONFIRMED"

    assert json_out(run("admin", "users", "reset-password", "bob", "--json"))["reset"] is True
    assert admin_env.outbox.wait_for(username="bob").code  # Cognito sent the reset code
    result = run(
        "admin", "users", "login", "bob", "--stdin", "--json", input=PASSWORD + "\n", code=1
    )
    assert json_out(result)["error"]["code"] == "PasswordResetRequiredException"

    result = run(
        "admin",
        "users",
        "set-password",
        "bob",
        "--permanent",
        "--stdin",
        "--json",
        input=NEW_PASSWORD + "\n",
    )
    assert json_out(result) == {"username": "bob", "permanent": True}
    data = json_out(
        run("admin", "users", "login", "bob", "--stdin", "--json", input=NEW_PASSWORD + "\n")
    )
    assert data["challenges"] == []
    saved = tmp_path / "bob.json"
    run(
        "admin", "users", "login", "bob", "--stdin", "--save", str(saved), input=NEW_PASSWORD + "\n"
    )
    run.tokens_from(saved)
    assert (saved.stat().st_mode & 0o777) == 0o600
    assert json_out(run("whoami", "--tokens", str(saved), "--json"))["username"] == "bob"
    assert json_out(run("admin", "users", "sign-out", "bob", "--json"))["signed_out"] is True


def test_login_needs_the_app_client(
    run: Cli, admin_env: LocalPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an app client the admin commands work, but `login` is a usage error."""
    monkeypatch.delenv("COGNITO_CLIENT_ID")
    _create(run, "cid")
    assert json_out(run("admin", "users", "get", "cid", "--json"))["username"] == "cid"
    result = run("admin", "users", "login", "cid", "--stdin", input=TEMPORARY + "\n", code=2)
    assert "--client-id" in result.stderr


def test_no_pool_and_no_credentials(
    run: Cli, admin_env: LocalPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No pool id: exit 2. Credentials botocore cannot find: exit 1 with its error."""
    monkeypatch.delenv("COGNITO_USER_POOL_ID")
    assert "--pool-id" in run("admin", "users", "list", code=2).stderr
    monkeypatch.setenv("COGNITO_USER_POOL_ID", admin_env.user_pool_id)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = run("admin", "users", "get", "nobody", "--json", code=1)
    assert set(json_out(result)["error"]) == {"code", "message"}


def test_confirm_update_and_attributes(run: Cli, admin_env: LocalPool) -> None:
    """confirm an unconfirmed sign-up; update sets and deletes attributes."""
    run("signup", "carol", "--email", "carol@example.com", "--stdin", input=PASSWORD + "\n")
    assert json_out(run("admin", "users", "get", "carol", "--json"))["status"] == "UNCONFIRMED"
    assert json_out(run("admin", "users", "confirm", "carol", "--json"))["confirmed"] is True
    assert json_out(run("admin", "users", "get", "carol", "--json"))["status"] == "CONFIRMED"

    data = json_out(
        run(
            "admin",
            "users",
            "update",
            "carol",
            "--attribute",
            "name=Carol",
            "--attribute",
            "family_name=C",
            "--delete",
            "family_name",
            "--json",
        )
    )
    assert data == {
        "username": "carol",
        "updated": ["family_name", "name"],
        "deleted": ["family_name"],
    }
    attributes = json_out(run("admin", "users", "get", "carol", "--json"))["attributes"]
    assert attributes["name"] == "Carol"
    assert "family_name" not in attributes
    run("admin", "users", "update", "carol", code=2)  # nothing to do
    run("admin", "users", "update", "carol", "--attribute", "novalue", code=2)


def test_list_json_lines_filter_and_attributes(run: Cli, admin_env: LocalPool) -> None:
    """`users list --json` prints one JSON line per user; --filter, --attribute and --limit
    reach ListUsers, and every page is read."""
    for name in ("ann", "anna", "bob", "annie", "ben"):
        _create(run, name)
    result = run("admin", "users", "list", "--json", "--limit", "2")
    users = _lines(result.stdout)
    assert sorted(u["username"] for u in users) == ["ann", "anna", "annie", "ben", "bob"]
    assert all(set(u) == USER_KEYS for u in users)

    result = run("admin", "users", "list", "--json", "--filter", 'email ^= "ann"', "--limit", "1")
    assert sorted(u["username"] for u in _lines(result.stdout)) == ["ann", "anna", "annie"]

    result = run("admin", "users", "list", "--json", "--attribute", "email")
    assert all(set(u["attributes"]) == {"email"} for u in _lines(result.stdout))

    table = run("admin", "users", "list").stdout
    assert "username" in table and "annie" in table and "5 user(s)." in table

    result = run("admin", "users", "list", "--json", "--filter", 'custom:x = "1"', code=1)
    [line] = _lines(result.stdout)
    assert line["error"]["code"] == "InvalidParameterException"
    run("admin", "users", "list", "--limit", "61", code=2)


def test_groups_round_trip(run: Cli, admin_env: LocalPool) -> None:
    """create, get, list, add-user, members, users groups, remove-user, delete."""
    _create(run, "dan")
    data = json_out(
        run(
            "admin",
            "groups",
            "create",
            "staff",
            "--description",
            "The staff",
            "--precedence",
            "3",
            "--json",
        )
    )
    assert set(data) == GROUP_KEYS
    assert (data["name"], data["description"], data["precedence"]) == ("staff", "The staff", 3)
    run("admin", "groups", "create", "staff", code=1)  # GroupExistsException
    run("admin", "groups", "create", "guests")
    assert json_out(run("admin", "groups", "get", "staff", "--json"))["precedence"] == 3
    listed = _lines(run("admin", "groups", "list", "--json", "--limit", "1").stdout)
    assert sorted(g["name"] for g in listed) == ["guests", "staff"]

    assert json_out(run("admin", "groups", "add-user", "staff", "dan", "--json")) == {
        "name": "staff",
        "username": "dan",
        "member": True,
    }
    members = _lines(run("admin", "groups", "members", "staff", "--json").stdout)
    assert [m["username"] for m in members] == ["dan"]
    assert set(members[0]) == USER_KEYS
    groups = _lines(run("admin", "users", "groups", "dan", "--json").stdout)
    assert [g["name"] for g in groups] == ["staff"]
    assert "staff" in run("admin", "users", "groups", "dan").stdout

    run("admin", "groups", "remove-user", "staff", "dan")
    assert run("admin", "groups", "members", "staff", "--json").stdout.strip() == ""
    run("admin", "groups", "delete", "staff")
    result = run("admin", "groups", "get", "staff", "--json", code=1)
    assert json_out(result)["error"]["code"] == "ResourceNotFoundException"


def test_devices_and_events(run: Cli, admin_env: LocalPool) -> None:
    """devices lists a user's devices (none here); events needs threat protection, which
    the local pool does not have: exit 1 with Cognito's code."""
    _create(run, "eve")
    assert run("admin", "users", "devices", "eve", "--json").stdout.strip() == ""
    assert "0 device(s)." in run("admin", "users", "devices", "eve").stdout
    result = run("admin", "users", "events", "eve", "--json", code=1)
    assert _lines(result.stdout)[0]["error"]["code"] == "UserPoolAddOnNotEnabledException"
