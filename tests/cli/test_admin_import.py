"""``admin import``: 2,500 users from a CSV with bad lines, listed back page by page through a
filter, then a rerun that skips them all; the progress bar; no password in any output."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import pytest

from cognito_user_pool.cli import _admin_import
from cognito_user_pool.local import LocalPool

from ._support import Cli, json_out

USERS = 2_500
# The temporary password of every tenth line: a secret, never in any output nor the report.
TEMPORARY = "Imp0rt-Temp-Passw0rd!"
WEAK = "weakpwzq"  # refused by the pool's policy (no digit, no capital, no symbol)


@pytest.fixture
def admin_env(pool_env: LocalPool, run: Cli, monkeypatch: pytest.MonkeyPatch) -> LocalPool:
    """The pool, with dummy IAM credentials for the signed admin calls (botocore's chain)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDADMINCLITEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "admin-cli-secret-access-key")
    run.secret("admin-cli-secret-access-key", TEMPORARY, WEAK)
    return pool_env


def _write_csv(path: Path) -> tuple[dict[int, str], set[str]]:
    """USERS good lines with bad ones among them. Returns the bad lines (line number ->
    the expected error code) and the usernames the filter ``name ^= "Zed"`` must find."""
    bad: dict[int, str] = {}
    zeds: set[str] = set()
    lines: list[list[str]] = []
    header = ["username", "email", "name", "phone_number", "temporary_password"]

    def add(fields: list[str], error: str | None = None) -> None:
        lines.append(fields)
        if error is not None:
            bad[len(lines) + 1] = error  # line 1 is the header

    for i in range(USERS):
        name = f"Zed {i}" if i % 10 == 0 else f"User {i}"
        password = TEMPORARY if i % 10 == 3 else ""
        add([f"user{i:05d}", f"user{i:05d}@example.com", name, "", password])
        if i % 10 == 0:
            zeds.add(f"user{i:05d}")
        if i == 100:
            add(["", "nobody@example.com", "Zed Nobody", "", ""], "InvalidParameterException")
        if i == 700:
            add(["bad user", "bad@example.com", "Zed Bad", "", ""], "InvalidParameterException")
        if i == 1200:
            add(
                ["phoneless", "p@example.com", "Zed P", "not-a-phone", ""],
                "InvalidParameterException",
            )
        if i == 1800:
            add(["weakling", "w@example.com", "Zed W", "", WEAK], "InvalidPasswordException")
        if i == 2300:
            add(["short", "s@example.com"], "CsvError")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(lines)
    return bad, zeds


def test_import_2500_users_list_them_back_and_resume(
    run: Cli, admin_env: LocalPool, tmp_path: Path
) -> None:
    """The bad lines are reported with their line numbers and skipped, the rest are created;
    `users list --filter --json` reads exactly the matching users back through every page;
    a rerun skips every existing user."""
    source = tmp_path / "users.csv"
    bad, zeds = _write_csv(source)
    report = tmp_path / "failures.csv"
    timings: dict[str, float] = {}

    started = time.monotonic()
    result = run(
        "admin",
        "import",
        str(source),
        "--suppress",
        "--concurrency",
        "8",
        "--report",
        str(report),
        "--json",
        code=1,
    )
    timings["import"] = time.monotonic() - started
    summary = json_out(result)
    assert (summary["created"], summary["skipped"], summary["failed"]) == (USERS, 0, len(bad))
    assert {f["line"]: f["code"] for f in summary["failures"]} == bad
    assert all(set(f) == {"line", "username", "code", "message"} for f in summary["failures"])
    with report.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {int(r["line"]): r["code"] for r in rows} == bad
    assert {r["username"] for r in rows} >= {"bad user", "phoneless", "weakling", "short", ""}
    run.outputs.append(report.read_text(encoding="utf-8"))  # checked for secrets too

    started = time.monotonic()
    result = run("admin", "users", "list", "--filter", 'name ^= "Zed"', "--limit", "60", "--json")
    timings["list"] = time.monotonic() - started
    listed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [u["username"] for u in listed if u["username"] in zeds] == [
        u["username"] for u in listed
    ]
    assert {u["username"] for u in listed} == zeds
    assert len(listed) == len(zeds) == USERS // 10

    started = time.monotonic()
    result = run("admin", "import", str(source), "--suppress", "--json", code=1)
    timings["rerun"] = time.monotonic() - started
    summary = json_out(result)
    assert (summary["created"], summary["skipped"], summary["failed"]) == (0, USERS, len(bad))
    print(f"\n2,500-user import timings (s): {timings}")
    assert sum(timings.values()) < 90, timings


def _small_csv(path: Path, *usernames: str) -> Path:
    rows = [f"{u},{u}@example.com,{TEMPORARY}" for u in usernames]
    path.write_text("username,email,temporary_password\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def test_human_summary_no_bar_off_a_terminal(
    run: Cli, admin_env: LocalPool, tmp_path: Path
) -> None:
    """Off a terminal there is no progress bar; the summary counts; exit 0 with no failure."""
    source = _small_csv(tmp_path / "u.csv", "amy", "art")
    result = run("admin", "import", str(source), "--suppress")
    assert "Created 2, skipped 0 (existing), failed 0." in result.stdout
    assert "importing" not in result.stderr and "━" not in result.stdout + result.stderr
    result = run("admin", "import", str(source), "--suppress")
    assert "Created 0, skipped 2 (existing), failed 0." in result.stdout


def test_progress_bar_on_a_terminal(
    run: Cli, admin_env: LocalPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, a bar on stderr; never under --json."""
    monkeypatch.setattr(_admin_import, "on_terminal", lambda: True)
    source = _small_csv(tmp_path / "u.csv", "ava", "abe", "ace")
    result = run("admin", "import", str(source), "--suppress")
    assert "importing" in result.stderr and "3/3" in result.stderr
    result = run("admin", "import", str(source), "--suppress", "--json")
    assert "importing" not in result.stderr
    assert json_out(result)["skipped"] == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("email,name\na@example.com,A\n", "no 'username' column"),
        ("username,email,email\na,a@x.org,b@x.org\n", "email twice"),
    ],
)
def test_bad_headers_are_usage_errors(
    run: Cli, admin_env: LocalPool, tmp_path: Path, content: str, message: str
) -> None:
    """A file the import cannot read at all: exit 2, before any request."""
    source = tmp_path / "bad.csv"
    source.write_text(content, "utf-8")
    assert message in run("admin", "import", str(source), code=2).stderr


def test_a_fatal_error_stops_the_import(
    run: Cli, admin_env: LocalPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool that does not exist fails every line alike: the import stops, exit 1."""
    monkeypatch.setenv("COGNITO_USER_POOL_ID", "us-east-1_doesnotexist")
    monkeypatch.delenv("COGNITO_CLIENT_ID")
    source = _small_csv(tmp_path / "u.csv", *(f"x{i}" for i in range(50)))
    result = run("admin", "import", str(source), "--json", code=1)
    data: dict[str, Any] = json_out(result)
    assert data["error"]["code"] == "ResourceNotFoundException"
