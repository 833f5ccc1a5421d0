"""``admin import USERS.csv``: create many users, resumably, with bounded concurrency.

The CSV's header names the columns: ``username`` (required), ``temporary_password``
(optional; a secret, never printed nor reported), and every other column an attribute
(``email``, ``name``, ``custom:team``...). An empty cell sets no attribute (and no temporary
password: Cognito then makes one). Each line is one AdminCreateUser:

- created: counted as created;
- ``UsernameExistsException``: the user is already there (an earlier run, say), counted as
  skipped, so that a rerun after an interruption resumes where it stopped;
- any other refusal (a missing or invalid username, an attribute the pool does not have or
  a value it refuses, a password its policy refuses) or a malformed CSV line: counted as
  failed, reported with its line number (``--report FILE``: a CSV of line, username, code,
  message), and the other lines go on.

An error that no line can get past (the pool does not exist, the credentials are refused,
Cognito cannot be reached) stops the import with exit code 1; a rerun resumes it.
"""

from __future__ import annotations

import concurrent.futures
import csv
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cognito_user_pool import CognitoError, UserPoolAdmin

from ._admin_command import AdminCall, admin, admin_command
from ._command import Report

__all__ = ["ImportReport", "Outcome", "Row", "import_users", "on_terminal", "read_rows"]

USERNAME = "username"
PASSWORD = "temporary_password"
# The code of a line the CSV reader cannot make a user of (not Cognito's: nothing was sent).
CSV_ERROR = "CsvError"
# Errors that are not the line's fault: every other line would meet them too.
_FATAL = frozenset(
    {
        "ResourceNotFoundException",
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "CognitoUserPool.NetworkError",
        "CognitoUserPool.BotoCoreError",
    }
)
# Failures shown in the human summary (all of them go to --report and --json).
_SHOWN = 20


@dataclass(frozen=True)
class Row:
    """One data line of the CSV: where it starts, and the user it describes."""

    line: int
    username: str
    attributes: dict[str, str]
    temporary_password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Outcome:
    """What became of one line: ``created``, ``skipped`` (existing) or ``failed``."""

    line: int
    username: str
    result: Literal["created", "skipped", "failed"]
    code: str | None = None
    message: str | None = None

    def failure_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "username": self.username,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True)
class ImportReport(Report):
    """The summary, and the exit code it calls for (1 when any line failed)."""

    exit_code: int = 0


def _header(reader: Iterator[list[str]]) -> list[str]:
    """The column names.

    :raises click.UsageError: no header, no ``username`` column, or a name twice or empty.
    """
    try:
        names = [name.strip() for name in next(reader)]
    except StopIteration:
        raise click.UsageError("the CSV file is empty: it needs a header line") from None
    if USERNAME not in names:
        raise click.UsageError(f"the CSV header has no {USERNAME!r} column")
    if "" in names:
        raise click.UsageError("the CSV header has an empty column name")
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise click.UsageError(f"the CSV header names {', '.join(twice)} twice")
    return names


def read_rows(path: Path) -> Iterator[Row | Outcome]:
    """The CSV's lines, one at a time: a ``Row``, or the failed ``Outcome`` of a line whose
    field count differs from the header's. Blank lines are skipped; a UTF-8 BOM is allowed.

    :raises click.UsageError: see ``_header`` (checked on the first ``next``).
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        names = _header(reader)
        start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not fields:
                continue
            values = dict(zip(names, fields, strict=False))
            username = values.get(USERNAME, "").strip()
            if len(fields) != len(names):
                yield Outcome(
                    line,
                    username,
                    "failed",
                    CSV_ERROR,
                    f"{len(fields)} fields where the header has {len(names)}",
                )
                continue
            password = values.pop(PASSWORD, "") or None
            del values[USERNAME]
            attributes = {name: value for name, value in values.items() if value != ""}
            yield Row(line, username, attributes, password)


def _count_lines(path: Path) -> int:
    """How many data lines the CSV has (for the progress bar's total)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return max(sum(1 for fields in csv.reader(handle) if fields) - 1, 0)


def _scrub(message: str, row: Row) -> str:
    """Cognito's message, without the row's password should it ever be quoted."""
    if row.temporary_password:
        return message.replace(row.temporary_password, "***")
    return message


def _create(admin: UserPoolAdmin, row: Row, suppress: bool) -> Outcome:
    """Create one user; runs on a worker thread."""
    try:
        admin.admin_create_user(
            username=row.username,
            attributes=row.attributes or None,
            temporary_password=row.temporary_password,
            message_action="SUPPRESS" if suppress else None,
        )
    except CognitoError as exc:
        if exc.code in _FATAL:
            raise
        if exc.code == "UsernameExistsException":
            return Outcome(row.line, row.username, "skipped")
        return Outcome(row.line, row.username, "failed", exc.code, _scrub(exc.message, row))
    return Outcome(row.line, row.username, "created")


def _write_report(path: Path, failures: list[Outcome]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "username", "code", "message"])
        for failure in failures:
            writer.writerow([failure.line, failure.username, failure.code, failure.message])


def _progress(stack: ExitStack, show: bool, total: int) -> tuple[Progress | None, Any]:
    if not show:
        return None, None
    bar = Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    stack.enter_context(bar)
    return bar, bar.add_task("users", total=total)


def on_terminal() -> bool:
    """Whether stderr is a terminal (a progress bar is drawn only there)."""
    return sys.stderr.isatty()


@admin_command(admin, "import", operations=["admin_create_user"])
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Users created at the same time.",
)
@click.option("--suppress", is_flag=True, help="Send no invitations (MessageAction SUPPRESS).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the failed lines to this CSV file: line, username, code, message.",
)
def import_users(
    call: AdminCall, csv_file: Path, concurrency: int, suppress: bool, report_path: Path | None
) -> ImportReport:
    """Create the users of CSV_FILE (AdminCreateUser): a `username` column, an optional
    `temporary_password` column, every other column an attribute. Users that exist already
    are skipped, so a rerun resumes. Exit code 1 when a line failed."""
    started = time.monotonic()
    rows = read_rows(csv_file)
    first = next(rows, None)  # checks the header before anything is sent
    counts = {"created": 0, "skipped": 0, "failed": 0}
    failures: list[Outcome] = []
    fatal: CognitoError | None = None

    def settle(outcome: Outcome) -> None:
        counts[outcome.result] += 1
        if outcome.result == "failed":
            failures.append(outcome)

    # Threads on the one blocking UserPoolAdmin: each call is scheduled on its event loop,
    # so `concurrency` requests are in flight at once over its shared connection pool, while
    # the CLI stays on the blocking client as every command does (no event loop of its own,
    # nor a second client). A window of 2 x concurrency lines is read ahead, no more, so a
    # file of any size is streamed.
    with ExitStack() as stack:
        show = not call.out.as_json and on_terminal()
        bar, task = _progress(stack, show, _count_lines(csv_file) if show else 0)
        pool = stack.enter_context(concurrent.futures.ThreadPoolExecutor(concurrency))
        pending: set[concurrent.futures.Future[Outcome]] = set()

        def drain(until: int) -> None:
            nonlocal fatal, pending
            while len(pending) > until:
                done, pending = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in done:
                    try:
                        outcome = future.result()
                    except CognitoError as exc:  # one of _FATAL: stop reading lines
                        fatal = fatal or exc
                        continue
                    settle(outcome)
                    if bar is not None:
                        bar.advance(task)

        items = rows if first is None else _chain(first, rows)
        for item in items:
            if fatal is not None:
                break
            if isinstance(item, Outcome):
                settle(item)
                if bar is not None:
                    bar.advance(task)
                continue
            pending.add(pool.submit(_create, call.admin, item, suppress))
            drain(2 * concurrency)
        drain(0)
    failures.sort(key=lambda f: f.line)
    if report_path is not None:
        _write_report(report_path, failures)
    if fatal is not None:
        raise fatal
    data = {
        "file": str(csv_file),
        **counts,
        "failures": [f.failure_json() for f in failures],
        "report": None if report_path is None else str(report_path),
        "seconds": round(time.monotonic() - started, 3),
    }

    def human(c: Console) -> None:
        for failure in failures[:_SHOWN]:
            c.print(
                f"line {failure.line} ({failure.username or 'no username'}): "
                f"{failure.code}: {failure.message}"
            )
        if len(failures) > _SHOWN:
            more = len(failures) - _SHOWN
            c.print(f"... and {more} more" + (f" (see {report_path})" if report_path else ""))
        c.print(
            f"Created {counts['created']}, skipped {counts['skipped']} (existing), "
            f"failed {counts['failed']}."
        )

    return ImportReport(data, human, exit_code=1 if failures else 0)


def _chain(first: Row | Outcome, rest: Iterator[Row | Outcome]) -> Iterator[Row | Outcome]:
    yield first
    yield from rest
