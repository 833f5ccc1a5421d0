"""Every Python block of README.md and docs/*.md runs as a test, against the strict local Cognito.

A pytest plugin, loaded by the root ``conftest.py``: pytest hands a conftest only the files
below its own folder, and README.md lies at the root. Sybil finds the blocks; each runs the way
a reader would use it:

- A block runs as a script pasted into a file, in the namespace that its page's earlier blocks
  left (Sybil's rule, so a page may build on its previous block).
- A block that defines ``test_`` functions is a test file: it runs under pytest, in a
  subprocess with pytest-asyncio in strict mode, and each of its tests must pass.
- ``<!-- skip: next "why" -->`` above a block skips it, with the reason in the report.

Blocks that talk to "your pool" build it with ``from_env()``. Here those variables are the
ones ``python -m cognito_user_pool local`` prints, for a fresh pool (with a client secret) on
one LocalCognito shared by every block. The pool has the docs' user, alice, unless the block
signs a user up itself; ``input()`` answers with the pool's next unread code, as the user would
type what they received. A block fails if it raises, and also if it met any ``CognitoError``,
even one it caught or handed to a callback: run as documented, no block should meet one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from sybil import Document, Example, Region, Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.typing import Evaluator

from cognito_user_pool import CognitoError

from .._aws_env import isolate_from_aws

if TYPE_CHECKING:
    from cognito_user_pool.local import LocalCognito, LocalPool

__all__ = [
    "DOCS",
    "ROOT",
    "DocsPool",
    "docs_cognito",
    "docs_pool",
    "make_sybil",
    "pytest_collect_file",
]

ROOT = Path(__file__).parents[2]
# The user the docs sign in as, and the password they show.
USERNAME = "alice"
PASSWORD = "Corr3ct-Horse!"
EMAIL = "alice@example.com"

_TEST_FUNCTION = re.compile(r"^(?:async )?def test_", re.MULTILINE)
_SIGNS_UP = re.compile(r"\.signup\(")
# What a reader's project would hold beside the pasted test file; the loop scope only silences
# pytest-asyncio's warning about it being unset.
_TEST_FILE_INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"


def run_as_test_file(example: Example) -> None:
    """Run a block that defines tests as a test file of its own, under pytest in a subprocess.

    :raises AssertionError: unless pytest ran every test of the block and each passed.
    """
    source = str(example.parsed)
    expected = len(_TEST_FUNCTION.findall(source))
    with tempfile.TemporaryDirectory(prefix="docs-test-file-") as folder:
        (Path(folder) / "pytest.ini").write_text(_TEST_FILE_INI, encoding="utf-8")
        (Path(folder) / "test_from_docs.py").write_text(source, encoding="utf-8")
        # Keep the throwaway AWS config files, not the variables that point at the docs' pool:
        # the block's tests get their own pools from the local_cognito fixture.
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("COGNITO_")
            and (not name.startswith("AWS_") or name.endswith(("_FILE", "_DISABLED")))
        }
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-q",
                "-rA",
                "--strict-markers",
                "-W",
                "error::pytest.PytestWarning",
                "test_from_docs.py",
            ],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=55,  # within pytest-timeout's 60 s for the whole item
            check=False,
        )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0 and summary.startswith(f"{expected} passed"), (
        f"{example.path}, line {example.line}: expected {expected} passed tests\n"
        + done.stdout[-4000:]
        + done.stderr[-2000:]
    )


def meets_no_cognito_error(evaluator: Evaluator) -> Evaluator:
    """``evaluator``, then a check that the block met no CognitoError, caught ones included."""

    def evaluate(example: Example) -> str | None:
        __tracebackhide__ = True
        met = example.namespace["docs_pool"].met
        result = evaluator(example)
        if result is None:  # a string is Sybil's own way to fail
            assert not met, f"the block met {', '.join(error.code for error in met)}"
        return result

    return evaluate


class DocsCodeBlockParser(PythonCodeBlockParser):
    """Sybil's Python block parser, with blocks that define tests run as test files."""

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in super().__call__(document):
            if _TEST_FUNCTION.search(str(region.parsed)):
                region.evaluator = run_as_test_file
            assert region.evaluator is not None
            region.evaluator = meets_no_cognito_error(region.evaluator)
            yield region


def make_sybil(root: Path, patterns: list[str]) -> Sybil:
    """The docs' Sybil: Python blocks and skip directives of the files ``patterns`` match."""
    return Sybil(
        parsers=[DocsCodeBlockParser(), SkipParser()],
        patterns=patterns,
        path=str(root),
        fixtures=["docs_pool"],
    )


DOCS = make_sybil(ROOT, ["README.md", "docs/*.md"])
pytest_collect_file = DOCS.pytest()


@pytest.fixture(scope="session")
def docs_cognito() -> Iterator[LocalCognito]:
    """One strict local Cognito for every block of the docs."""
    from cognito_user_pool.local import LocalCognito

    with LocalCognito(default_pool=False) as server:
        yield server


@dataclass(frozen=True)
class DocsPool:
    """What one block runs against: its pool, and the CognitoErrors made while it ran."""

    pool: LocalPool
    met: list[CognitoError]


@pytest.fixture
def docs_pool(
    request: pytest.FixtureRequest,
    docs_cognito: LocalCognito,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DocsPool]:
    """A fresh pool for one block, which ``from_env()`` finds."""
    from cognito_user_pool.local._runner import env_block

    source = str(request.node.example.parsed)
    # The pool docs/passwordless.md asks its readers for: codes allowed as first factors.
    pool = docs_cognito.create_pool(
        client_secret=True, first_auth_factors=("PASSWORD", "EMAIL_OTP", "SMS_OTP")
    )
    try:
        isolate_from_aws(monkeypatch, tmp_path_factory)
        # The very lines the local runner prints; env_block reads only attributes that a
        # LocalPool has too.
        for line in env_block(cast("LocalCognito", pool)).splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            monkeypatch.setenv(name, value)
        # What docs/admin.md tells its readers to export for the local Cognito, which checks
        # that admin requests are signed, not by whom.
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
        if not _SIGNS_UP.search(source):
            pool.create_user(USERNAME, PASSWORD, {"email": EMAIL, "email_verified": "true"})

        def typed_by_the_user(prompt: object = "") -> str:
            return pool.outbox.wait_for(timeout=5.0).code

        monkeypatch.setattr("builtins.input", typed_by_the_user)
        yield DocsPool(pool, _record_cognito_errors(monkeypatch))
    finally:
        docs_cognito.delete_pool(pool.user_pool_id)


def _record_cognito_errors(monkeypatch: pytest.MonkeyPatch) -> list[CognitoError]:
    """Note every CognitoError made from now on: a callback or an ``except`` would hide it."""
    met: list[CognitoError] = []
    init = CognitoError.__init__

    def recording_init(self: CognitoError, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        met.append(self)

    monkeypatch.setattr(CognitoError, "__init__", recording_init)
    return met
