"""``passkeys register|list|delete`` and ``login --with passkey``: with the local Cognito's
software authenticator in a file, and with the browser's JSON pasted on stdin."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cognito_user_pool import UserPool
from cognito_user_pool.local import LocalPool, SoftAuthenticator

from ._support import PASSWORD, Cli, LazyStdin, json_out

FACTORS = ("PASSWORD", "WEB_AUTHN")


def _signed_in(run: Cli, tmp_path: Path) -> Path:
    tokens = tmp_path / "alice.json"
    run("login", "alice", "--stdin", "--save", str(tokens), input=PASSWORD + "\n")
    return tokens


def test_register_list_sign_in_and_delete_with_the_soft_authenticator(
    run: Cli, other_pool_env: Callable[..., LocalPool], tmp_path: Path
) -> None:
    pool = other_pool_env(first_auth_factors=FACTORS)
    pool.create_user("alice", PASSWORD)
    tokens = _signed_in(run, tmp_path)
    keys = tmp_path / "alice.keys.json"
    registered = json_out(
        run(
            "passkeys",
            "register",
            "--tokens",
            str(tokens),
            "--soft-authenticator",
            str(keys),
            "--json",
        )
    )
    assert registered["registered"] is True
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600  # it holds a private key
    listed = json_out(run("passkeys", "list", "--tokens", str(tokens), "--json"))["passkeys"]
    assert [p["credential_id"] for p in listed] == [registered["credential_id"]]
    assert listed[0]["relying_party_id"] == "localhost"

    signed_in = json_out(
        run("login", "alice", "--with", "passkey", "--soft-authenticator", str(keys), "--json")
    )
    assert signed_in["challenges"] == ["WEB_AUTHN"]

    human = run("passkeys", "delete", registered["credential_id"], "--tokens", str(tokens))
    assert "deleted" in human.output
    gone = run("passkeys", "delete", registered["credential_id"], "--tokens", str(tokens), code=1)
    assert "ResourceNotFoundException" in gone.output
    # No passkey left: the preferred WEB_AUTHN gives way to the choice, where the password
    # (by SRP) is all that is left, so it is asked for at once.
    stdin = LazyStdin(PASSWORD)
    after = run(
        "login", "alice", "--with", "passkey", "--soft-authenticator", str(keys), "--stdin",
        "--json", input=stdin,
    )  # fmt: skip
    assert json_out(after)["challenges"] == ["SELECT_CHALLENGE"]


def test_the_browsers_json_is_read_from_stdin(
    run: Cli,
    other_pool_env: Callable[..., LocalPool],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without --soft-authenticator the options go to stderr for the page, and the
    credential JSON the page made is read from stdin, pasted over several lines."""
    pool = other_pool_env(first_auth_factors=FACTORS)
    pool.create_user("alice", PASSWORD)
    tokens = _signed_in(run, tmp_path)
    browser = SoftAuthenticator(origin="http://localhost")
    issued: list[dict[str, Any]] = []
    start = UserPool.start_web_authn_registration

    def recording(self: UserPool, **kwargs: Any) -> dict[str, Any]:
        issued.append(start(self, **kwargs))  # the real request; the options kept for the page
        return issued[-1]

    monkeypatch.setattr(UserPool, "start_web_authn_registration", recording)

    def pasted() -> str:
        return json.dumps(browser.create(issued[-1]), indent=2)  # many lines, as pasted

    result = run("passkeys", "register", "--tokens", str(tokens), input=LazyStdin(pasted))
    assert "registered" in result.output
    assert '"challenge"' in result.output  # the options were shown for the page
    listed = json_out(run("passkeys", "list", "--tokens", str(tokens), "--json"))["passkeys"]
    assert len(listed) == 1


def test_bad_json_on_stdin_is_a_usage_error(
    run: Cli, other_pool_env: Callable[..., LocalPool], tmp_path: Path
) -> None:
    pool = other_pool_env(first_auth_factors=FACTORS)
    pool.create_user("alice", PASSWORD)
    tokens = _signed_in(run, tmp_path)
    result = run("passkeys", "register", "--tokens", str(tokens), input="[1, 2]\n", code=2)
    assert "JSON object" in result.output
    result = run("passkeys", "register", "--tokens", str(tokens), input="{\n", code=2)
    assert "stdin ended" in result.output
