"""Developer tasks. CI runs exactly what the README says: ``nox -s tests lint typecheck docs``."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck", "docs"]

# Tools are pinned (runtime dependencies are not): a new ruff or mypy release must not turn
# CI red on unchanged code. Bump deliberately.
RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"


@nox.session
def tests(session: nox.Session) -> None:
    """Unit and integration tests, the local Cognito's included (it runs in-process), with
    branch coverage and its floor (pyproject's [tool.coverage.report])."""
    session.install("-e", ".[test]")
    # `coverage run` rather than pytest-cov: the package's pytest plugin is imported before
    # pytest-cov would start measuring, which would hide the package's module-level code.
    session.run("coverage", "run", "-m", "pytest", *session.posargs)
    session.run("coverage", "report")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff lint and format check."""
    session.install(RUFF)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package, tests, examples and this file."""
    session.install("-e", ".[dev]", MYPY)
    session.run("mypy", "src", "tests", "examples", "docs", "noxfile.py")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site; any warning (a broken reference, a bad docstring) fails."""
    session.install("-e", ".[docs]", RUFF)
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side with pycognito (bench/run.py); never part of CI's gates.

    ``nox -s bench -- --quick`` for a short run; the figures land in bench/results/.
    """
    session.install("-e", ".[test]", "gmpy2", "pycognito")
    session.run("python", "bench/run.py", *session.posargs)
