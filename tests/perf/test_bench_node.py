"""The Node reference row of the SRP login scenario: skipped, with a note, when Node, npm or the
install is missing; parsed from bench/node/login.js's JSON when it runs. No network: npm is a
stand-in here, and so is the Node library (the real node runs the real script)."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.contenders import LoopRunner
from bench.scenarios import Context, Plan
from bench.scenarios.login import (
    NODE_LIBRARY,
    NODE_VARIANT,
    NPM_OFFLINE_FAST,
    node_cache_dir,
    node_reference,
    parse_node_output,
)

SCENARIO = "1. SRP login"
URL = "http://127.0.0.1:9"  # the stand-in library never connects

# npm's stand-in: logs its arguments, then writes the stand-in library under --prefix.
FAKE_NPM = """#!{python}
import pathlib, sys
args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(" ".join(args) + "\\n")
prefix = pathlib.Path(args[args.index("--prefix") + 1])
package = prefix / "node_modules" / "cognito-user-pool"
package.mkdir(parents=True, exist_ok=True)
(package / "package.json").write_text('{{"name": "cognito-user-pool", "version": "0.2.4"}}')
(package / "index.js").write_text({library!r})
"""

# What npm 11 prints offline, cut short.
NPM_OFFLINE_STDERR = """npm error code ENOTFOUND
npm error syscall getaddrinfo
npm error FetchError: request to https://registry.npmjs.org/cognito-user-pool failed, \
reason: getaddrinfo ENOTFOUND registry.npmjs.org
npm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/index.js:130:14)
npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log
"""

# The library's shape: a factory of the pool data, then login(body, callback).
ANSWERING_LIBRARY = """
module.exports = function Wrapper(poolData) {
  return {
    login(body, cb) {
      if (!poolData.endpoint || body.username !== 'bench.user@example.com') {
        return cb(new Error('not pointed at the stub'));
      }
      setImmediate(() => cb(null, { accessToken: 'a.b.c', idToken: 'd.e.f' }));
    },
  };
};
"""
FAILING_LIBRARY = ANSWERING_LIBRARY.replace(
    "cb(null, { accessToken: 'a.b.c', idToken: 'd.e.f' })",
    "cb(Object.assign(new Error('Incorrect username or password.'), {code: 'X'}))",
)
SILENT_LIBRARY = ANSWERING_LIBRARY.replace(
    "setImmediate(() => cb(null, { accessToken: 'a.b.c', idToken: 'd.e.f' }));", ""
)


@pytest.fixture
def ctx() -> Iterator[Context]:
    """A context for the quick plan (5 rounds of 2 logins), no stub needed."""
    with LoopRunner() as runner:
        yield Context(plan=Plan.make(quick=True), urls={}, runner=runner, tokens={})


def _bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str | None) -> Path:
    """A PATH holding only npm's stand-in and, when ``library`` is given, the real node."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    log = tmp_path / "npm.log"
    if library is None:
        npm.write_text(
            f"#!{sys.executable}\nimport sys\n"
            f"sys.stderr.write({NPM_OFFLINE_STDERR!r})\n"
            "sys.exit(1)\n"
        )
        node = bin_dir / "node"
        node.write_text(f"#!{sys.executable}\nimport sys\nsys.exit(3)\n")
        node.chmod(0o755)
    else:
        real_node = shutil.which("node")
        if real_node is None:
            pytest.skip("node is not installed")
        (bin_dir / "node").symlink_to(real_node)
        npm.write_text(FAKE_NPM.format(python=sys.executable, log=str(log), library=library))
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    return log


def test_without_node_on_path_the_row_is_skipped_with_a_note(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No node and no npm: no row, a note saying so, nothing installed."""
    monkeypatch.setenv("PATH", str(tmp_path))
    prefix = tmp_path / "cache"
    assert node_reference(ctx, SCENARIO, URL, prefix=prefix) is None
    assert ctx.notes[SCENARIO] == [
        f"`{NODE_VARIANT}` row skipped: `node` and `npm` not on PATH (install Node.js to get it)."
    ]
    assert not prefix.exists()
    assert ctx.results == {}


def test_a_failed_install_skips_the_row_with_npm_s_last_words(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """npm failing (offline) is a note with its last error line, not a failure."""
    _bin(tmp_path, monkeypatch, library=None)
    prefix = tmp_path / "cache"
    assert node_reference(ctx, SCENARIO, URL, prefix=prefix) is None
    (note,) = ctx.notes[SCENARIO]
    assert note.startswith(f"`{NODE_VARIANT}` row skipped: `npm install {NODE_LIBRARY}` failed")
    assert note.endswith(
        "exit status 1: FetchError: request to https://registry.npmjs.org/cognito-user-pool "
        "failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org"
    )
    assert not (prefix / ".installed").exists()


def test_the_script_s_figures_become_the_reference_row_and_the_install_is_reused(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real login.js measures the stand-in library; npm runs once, pinned, into the cache
    folder, and the second run reuses what it installed."""
    log = _bin(tmp_path, monkeypatch, ANSWERING_LIBRARY)
    prefix = tmp_path / "cache"
    plan = ctx.plan
    for _ in range(2):
        row = node_reference(ctx, SCENARIO, URL, prefix=prefix)
        assert row is not None
        assert (row.scenario, row.variant, row.ops) == (
            SCENARIO,
            NODE_VARIANT,
            plan.login_rounds * plan.login_ops,
        )
        assert row.cpu_us_per_op > 0
        assert 0 < row.wall_ms_median <= row.wall_ms_p95
        assert row.ops_per_s > 0
        assert row.peak_mem_kib is None
        assert row.rounds_cpu_us == []
        assert "separate Node v" in row.note
        assert "Node's own clock" in row.note
        assert "one login at a time" in row.note
    (install,) = log.read_text().splitlines()
    assert install.split() == [
        "install",
        "--prefix",
        str(prefix),
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--no-update-notifier",
        "--loglevel=error",
        *NPM_OFFLINE_FAST,
        NODE_LIBRARY,
    ]
    notes = ctx.notes[SCENARIO]
    assert len(notes) == 2
    assert all("not a target" in note and "process.cpuUsage()" in note for note in notes)


@pytest.mark.parametrize(
    ("library", "why"),
    [
        (FAILING_LIBRARY, "login failed: X: Incorrect username or password."),
        (SILENT_LIBRARY, "a login never called back"),
    ],
    ids=["login-error", "no-callback"],
)
def test_a_failing_script_skips_the_row_with_its_error(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str, why: str
) -> None:
    """A login that fails, or never calls back, is a note naming the error, not a row."""
    _bin(tmp_path, monkeypatch, library)
    assert node_reference(ctx, SCENARIO, URL, prefix=tmp_path / "cache") is None
    (note,) = ctx.notes[SCENARIO]
    assert note.startswith(f"`{NODE_VARIANT}` row skipped: login.js exited with status 1: ")
    assert why in note


def test_parsing_takes_the_median_of_rounds_and_node_s_wall_times() -> None:
    """CPU per login is the median over rounds; the wall figures are per login."""
    output = {
        "library": "cognito-user-pool",
        "version": "0.2.4",
        "node": "v20.20.2",
        "rounds_cpu_us": [170_000.0, 150_000.0, 160_000.0],
        "rounds_ops_per_s": [5.0, 6.0, 7.0],
        "wall_ms": [150.0, 160.0, 170.0, 200.0, 155.0, 165.0],
    }
    row = parse_node_output(json.dumps(output) + "\n", SCENARIO)
    assert row.cpu_us_per_op == 160_000.0
    assert row.wall_ms_median == 162.5
    assert row.wall_ms_p95 == 200.0
    assert row.ops_per_s == 6.0
    assert row.ops == 6
    assert row.note.startswith("separate Node v20.20.2 process (library 0.2.4)")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "{}",
        '{"node": "v20", "version": "0.2.4", "rounds_cpu_us": [], "wall_ms": [],'
        ' "rounds_ops_per_s": []}',
    ],
)
def test_parsing_refuses_what_is_not_the_script_s_figures(text: str) -> None:
    """Empty, foreign or figure-less output raises ValueError (the row is then skipped)."""
    with pytest.raises(ValueError, match=r"login\.js"):
        parse_node_output(text, SCENARIO)


def test_the_cache_folder_is_outside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """The install goes under the user's cache (XDG_CACHE_HOME when set), never the repo."""
    repo = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert node_cache_dir() == Path("/somewhere/cache/cognito-user-pool-bench/node")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert repo not in node_cache_dir().parents
