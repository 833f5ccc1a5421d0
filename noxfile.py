"""Developer tasks. CI runs exactly what the README says: ``nox -s tests lint typecheck docs``."""

from __future__ import annotations

import os
import shutil
import subprocess

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck", "docs"]

# Tools are pinned (runtime dependencies are not): a new ruff or mypy release must not turn
# CI red on unchanged code. Bump deliberately.
RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"

# Every Python the package declares (pyproject's classifiers), each tested. Where one is
# missing nox skips it with a warning, except on CI (CI=true), where that is an error.
PYTHONS = nox.project.python_versions(nox.project.load_toml("pyproject.toml"))


def _find_pyenv_pythons() -> None:
    """On machines that install Pythons with pyenv, let nox find all of them: pyenv's shims
    (`python3.10`, ...) answer only for the versions selected, so select every installed
    one, after those already selected (`pyenv exec` sets PYENV_VERSION for this process)."""
    executable = shutil.which("pyenv")
    if executable is None:
        return

    def pyenv(*args: str) -> list[str]:
        command = [executable, *args]  # fixed arguments: no outside input reaches them
        run = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        return run.stdout.replace(":", " ").split() if run.returncode == 0 else []

    selected = os.environ.get("PYENV_VERSION", "").replace(":", " ").split()
    selected = selected or pyenv("version-name")
    installed = [v for v in pyenv("versions", "--bare") if v.count(".") == 2]
    installed.sort(key=lambda v: tuple(int(n) for n in v.split(".") if n.isdigit()), reverse=True)
    wanted = [v for v in installed if ".".join(v.split(".")[:2]) in PYTHONS]
    os.environ["PYENV_VERSION"] = ":".join(dict.fromkeys(v for v in [*selected, *wanted] if v))


_find_pyenv_pythons()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Unit and integration tests, the local Cognito's included (it runs in-process), with
    branch coverage and its floor (pyproject's [tool.coverage.report]), on every Python the
    package declares."""
    session.install("-e", ".[test]")
    # `coverage run` rather than pytest-cov: the package's pytest plugin is imported before
    # pytest-cov would start measuring, which would hide the package's module-level code.
    # One data file per Python, so that sessions never read each other's.
    data = {"COVERAGE_FILE": f".coverage.{session.python}"}
    session.run("coverage", "run", "-m", "pytest", *session.posargs, env=data)
    session.run("coverage", "report", env=data)


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
    session.run("mypy", "src", "tests", "examples", "docs", "bench", "conftest.py", "noxfile.py")


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
