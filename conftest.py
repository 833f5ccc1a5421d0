"""The repository's root conftest: pytest hands a conftest's hooks only the files below its own
folder, and README.md lies here. The docs' blocks run as tests through tests/docs/_snippets.py;
pytester serves the tests that run pytest on a user's test file."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["pytester", "tests.docs._snippets"]


def pytest_configure(config: pytest.Config) -> None:
    """Measure the xdist workers, not the tests' own subprocesses.

    Under ``coverage run`` with pyproject's ``patch = ["subprocess"]``, coverage starts in
    every Python process that inherits COVERAGE_PROCESS_CONFIG: ``nox -s tests`` relies on it
    for pytest-xdist's workers, which run the tests. A process that runs tests (a worker, or a
    serial pytest) drops the variable, so the interpreters the tests start (``python -m
    cognito_user_pool``, the demo, the examples, the docs' test files) run unmeasured and at
    full speed, as they always did; only a controller that hands tests to workers keeps it.
    """
    distributing = getattr(config.option, "dist", "no") != "no"
    if hasattr(config, "workerinput") or not distributing:
        os.environ.pop("COVERAGE_PROCESS_CONFIG", None)
