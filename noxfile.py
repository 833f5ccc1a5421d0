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


# Test workers per Python (pytest-xdist): one per core, at most four. CI's machine has two; past
# four the gain shrinks while each worker starts servers of its own (the local Cognito, moto,
# redis). `nox -s tests -- -n 0` runs the first pass serially, `-n 3` with three workers.
MAX_TEST_WORKERS = 4


def _test_workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_TEST_WORKERS))


def _marker_expression(posargs: list[str]) -> tuple[list[str], str | None]:
    """The arguments without a ``-m EXPRESSION`` of the caller's, and that expression."""
    rest: list[str] = []
    expression: str | None = None
    args = iter(posargs)
    for arg in args:
        if arg == "-m":
            expression = next(args, "")
        else:
            rest.append(arg)
    return rest, expression


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Unit and integration tests, the local Cognito's included (it runs in-process), with
    branch coverage and its floor (pyproject's [tool.coverage.report]), on every Python the
    package declares.

    Two passes: every test but the ``timing`` ones on all cores (pytest-xdist), then the
    ``timing`` tests (wall-clock bounds, event-loop stalls) serially, alone on the machine.
    ``nox -s tests -- ARGS`` hands ARGS to both passes (``-- tests/unit -x``); a ``-m EXPR`` of
    yours is combined with each pass's own, ``-n 0`` runs the first pass serially too.
    """
    session.install("-e", ".[test]")
    # `coverage run` rather than pytest-cov: the package's pytest plugin is imported before
    # pytest-cov would start measuring, which would hide the package's module-level code.
    # The xdist workers are measured from their first line too: pyproject's
    # [tool.coverage.run] `patch = ["subprocess"]` has coverage start in every Python process
    # started under `coverage run` (its .pth file reads COVERAGE_PROCESS_CONFIG), and
    # `parallel = true` gives each process its own data file, combined below. The tests' own
    # subprocesses (`python -m cognito_user_pool ...`, the demo, the examples) are not measured,
    # as before: the root conftest.py drops the variable in every process that runs tests.
    # One data file set per Python, by absolute path (a subprocess may start elsewhere), so
    # that sessions never read each other's; erased first, so that pieces an interrupted run
    # left behind are not counted.
    data = {"COVERAGE_FILE": os.path.abspath(f".coverage.{session.python}")}
    args, expression = _marker_expression(list(session.posargs))
    mine = f"({expression}) and " if expression else ""
    session.run("coverage", "erase", env=data)
    session.run(
        "coverage", "run", "-m", "pytest",
        "-n", str(_test_workers()), "-m", f"{mine}not timing", *args,
        env=data,
    )  # fmt: skip
    # The timing tests, serially and last: a busy second core would stretch what they time.
    # `-n 0` after ARGS, so that this pass stays serial whatever ARGS say; exit code 5 (no
    # test selected: ARGS name none of them) is fine here, and only here.
    session.run(
        "coverage", "run", "-m", "pytest", "-m", f"{mine}timing", *args, "-n", "0",
        env=data,
        success_codes=[0, 5],
    )  # fmt: skip
    session.run("coverage", "combine", "--quiet", env=data)
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


# Mutation testing. mutmut 3 copies src/ to mutants/ (git-ignored), mutates there the modules
# of pyproject's [tool.mutmut] only_mutate, and runs for each mutant only the tests that called
# the function it changed (recorded in one full run of the suite, then cached in mutants/).
MUTMUT = "mutmut==3.8.1"
# The groups the kill ratio is reported for; a posarg may name a group or one module.
MUTATION_GROUPS = {
    "core": [
        "_flows",
        "_validate",
        "_tokens",
        "_srp",
        "_session",
        "_retry_policy",
        "_answer_check",
        "_config",
        "_admin",
        "_connection",
    ],
    "local": ["local._ops", "local._state", "local._guard"],
    "verifier": ["_verify", "_verified_cache", "_claim_checks"],
}
# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code): 1 and 3 are kills, 37 a
# kill by the type checker (unused here), the timeouts are kills too (the mutant hung the
# tests); 0 is a survivor, and so, for the ratio, is a mutant that no test reaches (33, 5).
_KILLED, _TIMEOUT = {1, 3, 37}, {36, -24, 24, 152, 255}
_SURVIVED, _NO_TESTS = {0}, {5, 33}


@nox.session(python="3.13")
def mutate(session: nox.Session) -> None:
    """Mutation testing with mutmut, one worker; never part of CI's sessions.

    ``nox -s mutate`` runs every module of the three groups (core, local, verifier);
    ``nox -s mutate -- _verify local._state`` one module each (a folder counts as one);
    ``nox -s mutate -- verifier`` a group; add ``--survivors`` to retest only the mutants that
    survived last time, ``--pending`` to test only those not tested yet (after an interrupted
    run: Ctrl-C keeps every result so far), ``--report`` to print the kill ratios of the last
    run without running. ``--sample=N`` (with ``--seed=S``, 0 by default) tests N mutants
    drawn at random from those not tested yet, after a run has generated them: the report then
    estimates each group's ratio over all its mutants, with a 95 % interval.
    docs/mutation.md has the measured ratios and the survivors.
    """
    options = {arg.split("=")[0]: arg for arg in session.posargs if arg.startswith("--")}
    names = [arg for arg in session.posargs if not arg.startswith("--")]
    unknown = set(options) - {"--survivors", "--pending", "--report", "--sample", "--seed"}
    if unknown:
        session.error(f"unknown option(s): {', '.join(sorted(unknown))}")
    modules: list[str] = []
    for name in names or list(MUTATION_GROUPS):
        modules += MUTATION_GROUPS.get(name, [name])
    known = {m for group in MUTATION_GROUPS.values() for m in group}
    outside = [m for m in modules if not any(m == k or m.startswith(k + ".") for k in known)]
    if outside:
        session.error(f"not under mutation (pyproject's [tool.mutmut]): {', '.join(outside)}")

    if "--report" not in options:
        session.install("-e", ".[test]", MUTMUT)
        if "--sample" in options:
            patterns = _draw_sample(session, options, modules)
        elif options.keys() & {"--survivors", "--pending"}:
            wanted = (_SURVIVED if "--survivors" in options else set()) | (
                {None} if "--pending" in options else set()
            )
            patterns = _mutants_with(wanted, modules)
            if not patterns:
                session.log("no mutant to retest")
        else:
            patterns = [f"cognito_user_pool.{module}.*" for module in modules]
        if patterns:
            # One worker by default: the machine's two cores are shared. MUTMUT_CHILDREN=2
            # when nothing else runs.
            children = os.environ.get("MUTMUT_CHILDREN", "1")
            session.run("mutmut", "run", "--max-children", children, *patterns)
    _report_kill_ratios(session, modules)


# The mutants of every --sample draw, one name per line (under mutants/, git-ignored). Draws
# add up: one per group keeps each group's estimate, and a second draw for a group enlarges
# its sample (each draw takes only untested mutants). Delete the file to start afresh.
_SAMPLE = "mutants/sample.txt"


def _draw_sample(session: nox.Session, options: dict[str, str], modules: list[str]) -> list[str]:
    """``--sample=N`` mutants drawn uniformly from the untested ones of ``modules``, added to
    ``_SAMPLE`` so that the report can tell the draws from the rest."""
    import random
    from pathlib import Path

    def number(option: str, default: int) -> int:
        _, _, text = options.get(option, "").partition("=")
        if not text:
            return default
        if not text.isdigit():
            session.error(f"{option} takes a whole number: {option}=N")
        return int(text)

    size, seed = number("--sample", 0), number("--seed", 0)
    if size < 1:
        session.error("--sample=N needs N of at least 1")
    untested = _mutants_with({None}, modules)
    if not untested:
        session.error("no untested mutant: a first run generates them (nox -s mutate -- <group>)")
    # A reproducible draw for measurement, not for secrets.
    draw = random.Random(seed)  # noqa: S311
    drawn = sorted(draw.sample(untested, min(size, len(untested))))
    with Path(_SAMPLE).open("a") as sample_file:
        sample_file.write("\n".join(drawn) + "\n")
    session.log(f"sample: {len(drawn)} of {len(untested)} untested mutants (seed {seed})")
    return drawn


def _mutants_with(codes: set[int | None], modules: list[str]) -> list[str]:
    """The mutants of ``modules`` whose last exit code is one of ``codes`` (``None``: not
    tested yet), sorted."""
    return sorted(
        name
        for name, code in _mutant_results().items()
        if code in codes and _module_of(name, modules)
    )


def _mutant_results() -> dict[str, int | None]:
    """Every mutant's last exit code, from the .meta files mutmut writes beside each copy."""
    import json
    from pathlib import Path

    results: dict[str, int | None] = {}
    for meta in Path("mutants/src").rglob("*.py.meta"):
        results.update(json.loads(meta.read_text())["exit_code_by_key"])
    return results


def _module_of(mutant: str, modules: list[str]) -> str | None:
    """The module of ``modules`` (a folder counts as one) that ``mutant`` belongs to."""
    for module in modules:
        if mutant.startswith(f"cognito_user_pool.{module}."):
            return module
    return None


def _report_kill_ratios(session: nox.Session, modules: list[str]) -> None:
    """Print the kill ratio per module and per group: (killed + timeout) / every mutant tried,
    a mutant that no test reaches counting as a survivor. "other" (not run yet, suspicious,
    interrupted) is shown, not counted."""
    results = _mutant_results()
    columns = ["killed", "timeout", "survived", "no tests", "other"]
    rows: list[tuple[str, str, dict[str, int]]] = []
    for group, members in MUTATION_GROUPS.items():
        for module in members:
            if not any(m == module or m.startswith(module + ".") for m in modules):
                continue
            counts = dict.fromkeys(columns, 0)
            for name, code in results.items():
                if _module_of(name, [module]) is None:
                    continue
                if code in _KILLED:
                    counts["killed"] += 1
                elif code in _TIMEOUT:
                    counts["timeout"] += 1
                elif code in _SURVIVED:
                    counts["survived"] += 1
                elif code in _NO_TESTS:
                    counts["no tests"] += 1
                else:
                    counts["other"] += 1
            rows.append((group, module, counts))

    def ratio(counts: dict[str, int]) -> str:
        tried = sum(counts[key] for key in columns[:4])
        killed = counts["killed"] + counts["timeout"]
        return f"{100 * killed / tried:5.1f} %" if tried else "-"

    session.log("kill ratio = (killed + timeout) / (killed + timeout + survived + no tests)")
    session.log(f"{'module':<22}{'ratio':>8}" + "".join(f"{c:>10}" for c in columns))
    for group in MUTATION_GROUPS:
        group_rows = [row for row in rows if row[0] == group]
        if not group_rows:
            continue
        total = {key: sum(row[2][key] for row in group_rows) for key in columns}
        for _, module, counts in [*group_rows, (group, f"[{group}]", total)]:
            cells = "".join(f"{counts[c]:>10}" for c in columns)
            session.log(f"{module:<22}{ratio(counts):>8}{cells}")
    _report_sample(session, results, rows)


def _report_sample(
    session: nox.Session,
    results: dict[str, int | None],
    rows: list[tuple[str, str, dict[str, int]]],
) -> None:
    """With a ``--sample`` draw on record: each group's ratio over all its mutants, estimated
    as the mutants tested outside the draw (exactly) plus the draw's kill rate for every
    mutant that was untested when it was drawn, with Wilson's 95 % interval for that rate."""
    import math
    from pathlib import Path

    sample_file = Path(_SAMPLE)
    if not sample_file.exists():
        return
    drawn = set(sample_file.read_text().split())
    tried_codes = _KILLED | _TIMEOUT | _SURVIVED | _NO_TESTS
    for group in MUTATION_GROUPS:
        modules = [module for g, module, _ in rows if g == group]
        names = {name for name in results if _module_of(name, modules)}
        in_draw = names & drawn
        tried = [results[n] for n in in_draw if results[n] in tried_codes]
        if not tried:
            continue
        n = len(tried)
        rate = sum(code in _KILLED | _TIMEOUT for code in tried) / n
        z = 1.96
        centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        outside = [results[name] for name in names - in_draw]
        known = [code for code in outside if code in tried_codes]
        killed = sum(code in _KILLED | _TIMEOUT for code in known)
        pool = len(in_draw) + sum(code is None for code in outside)  # untested when drawn
        total = len(known) + pool

        low, mid, high = (
            f"{100 * (killed + pool * r) / total:.1f} %"
            for r in (max(0.0, centre - half), rate, min(1.0, centre + half))
        )
        session.log(
            f"[{group}] estimated over all {total} mutants: {mid} (95 % interval {low} to "
            f"{high}); {len(known)} tested outside the draw, {n} of the {pool} untested drawn "
            f"({100 * rate:.1f} % killed)"
        )
