"""1. SRP login, this library (pure and fast) against pycognito and the raw aiobotocore floor,
with the original Node library's login as a reference row where Node is available;
1b. the SRP maths alone, where the login's CPU goes."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.contenders import (
    FloorClient,
    OursAsync,
    PycognitoUser,
    async_batch,
    have_gmpy2,
    set_srp_mode,
    sync_batch,
)
from bench.measure import Measurement, Variant, p95, paired_ratio, profile_top, run_rounds
from bench.scenarios._base import Context, Target, find_rows, row, scenario
from bench.stub_state import CLIENT_ID, PASSWORD, POOL_ID, USERNAME

__all__ = [
    "NODE_LIBRARY",
    "NODE_VARIANT",
    "node_cache_dir",
    "node_reference",
    "parse_node_output",
    "srp_login",
    "srp_maths",
]

# The brief's reference: pycognito's SRP maths costs ~45 ms of CPU per login there.
REFERENCE_PYCOGNITO_MATHS_US = 45_000.0


def _targets(ctx: Context) -> list[Target]:
    targets: list[Target] = []
    login = find_rows(ctx, "1. SRP login")
    fast = row(login, "cognito-user-pool (fast)")
    pure = row(login, "cognito-user-pool (pure)")
    pyc = row(login, "pycognito")
    # No profile_key: scenario 1b profiles the fast maths on every run.
    if fast and pyc:
        targets.append(
            Target(
                "SRP login CPU, fast",
                "≤ 8 ms",
                f"{fast.cpu_us_per_op / 1000:.2f} ms",
                fast.cpu_us_per_op <= 8000,
            )
        )
        ratio = paired_ratio(pyc, fast)
        targets.append(
            Target(
                "SRP login CPU, fast vs pycognito",
                "≥ 8x lower",
                f"{ratio:.2f}x lower",
                ratio >= 8,
            )
        )
    else:
        targets.append(Target("SRP login CPU, fast", "≤ 8 ms", "not measured", None))
    if pure and pyc:
        ratio = paired_ratio(pyc, pure)
        targets.append(
            Target(
                "SRP login CPU, pure vs pycognito",
                "≥ 2.5x lower",
                f"{ratio:.2f}x lower",
                ratio >= 2.5,
            )
        )
    maths = find_rows(ctx, "1b.")
    pyc_maths = row(maths, "pycognito AWSSRP()+process_challenge")
    fast_maths = row(maths, "SrpSession (fast)")
    if fast and pyc_maths:
        scale = REFERENCE_PYCOGNITO_MATHS_US / pyc_maths.cpu_us_per_op
        ctx.extra["reference_scale"] = scale
        scaled = fast.cpu_us_per_op * scale / 1000
        targets.append(
            Target(
                "(info) fast login CPU scaled to the brief's machine",
                "≤ 8 ms",
                f"{scaled:.2f} ms (this machine's pycognito maths: "
                f"{pyc_maths.cpu_us_per_op / 1000:.1f} ms vs 45 ms there)",
                None,
            )
        )
        if fast_maths:
            ctx.extra["fast_maths_ms"] = fast_maths.cpu_us_per_op / 1000
    return targets


def _fast_available(ctx: Context, scenario: str) -> bool:
    if have_gmpy2():
        return True
    ctx.note(scenario, "`fast` variants skipped: gmpy2 is not installed (`pip install gmpy2`).")
    return False


@scenario("login", order=1, targets=_targets)
def srp_login(ctx: Context) -> None:
    """SRP login: this library (pure and fast) vs pycognito vs the raw aiobotocore floor."""
    from cognito_user_pool._srp_fast import accelerated_srp_class, pure_srp_class

    name = "1. SRP login"
    url = ctx.urls[0]
    fast = _fast_available(ctx, name)
    ours = OursAsync(ctx.runner, url)
    floor = FloorClient(ctx.runner, url)
    pyc = PycognitoUser(url, ctx.tokens["Jwks"])
    variants = [
        Variant(
            "cognito-user-pool (pure)",
            async_batch(ctx.runner, ours.login, lambda: set_srp_mode("pure")),
        ),
        Variant("pycognito", sync_batch(pyc.login), "authenticate(); verifies 2 tokens"),
        Variant(
            "floor: aiobotocore + pure maths",
            async_batch(ctx.runner, lambda: floor.login(pure_srp_class())),
            "maths inline on the loop",
        ),
    ]
    if fast:
        fast_class = accelerated_srp_class()
        variants.insert(
            1,
            Variant(
                "cognito-user-pool (fast)",
                async_batch(ctx.runner, ours.login, lambda: set_srp_mode("fast")),
            ),
        )
        variants.append(
            Variant(
                "floor: aiobotocore + fast maths",
                async_batch(ctx.runner, lambda: floor.login(fast_class)),
                "maths inline on the loop",
            )
        )
    plan = ctx.plan
    ctx.results[name] = run_rounds(
        name, variants, ops=plan.login_ops, rounds=plan.login_rounds, memory_ops=3
    )
    ours.close()
    floor.close()
    pyc.close()
    set_srp_mode("fast" if fast else "pure")
    ctx.note(
        name,
        "pycognito: one `Cognito` object and boto3 client reused, JWKS preloaded (`pool_jwk`), "
        "so its figures include verifying the two tokens (PyJWT) but no JWKS fetch.",
    )
    # After the rounds, never during them: a Node process logging in at the same time would
    # take the CPU the variants above are measured on.
    try:
        reference = node_reference(ctx, name, url)
    except Exception as exc:  # a reference row is never a reason to fail the benchmark
        _skip(ctx, name, f"unexpected {type(exc).__name__}: {exc}")
        reference = None
    if reference is not None:
        ctx.results[name].append(reference)
    srp_maths(ctx)


# The original Node library (issue 19's reference row): npm's cognito-user-pool, pinned. It asks
# for amazon-cognito-identity-js ^1.31.0 (1.31.0 is the last 1.x), which pins aws-sdk 2.177.0:
# the SRP maths (jsbn's BigInteger) and the HTTP client are fixed with it.
NODE_LIBRARY = "cognito-user-pool@0.2.4"
NODE_VARIANT = "reference: Node cognito-user-pool 0.2.4"
NODE_SCRIPT = Path(__file__).resolve().parent.parent / "node" / "login.js"
NODE_WARMUP = 3
NPM_TIMEOUT_S = 300.0
# npm's own cache first (the version is pinned), and one quick retry rather than npm's default
# two with 10 to 60 s waits: offline, the row is skipped in seconds rather than in 70.
NPM_OFFLINE_FAST = (
    "--prefer-offline",
    "--fetch-retries=1",
    "--fetch-retry-mintimeout=2000",
    "--fetch-retry-maxtimeout=10000",
)
_INSTALLED_MARKER = ".installed"


def node_cache_dir() -> Path:
    """Where the Node library is installed, outside the repository, and reused across runs:
    ``$XDG_CACHE_HOME/cognito-user-pool-bench/node`` (``~/.cache/...`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cognito-user-pool-bench" / "node"


def _skip(ctx: Context, scenario: str, why: str) -> None:
    ctx.note(scenario, f"`{NODE_VARIANT}` row skipped: {why}")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def _npm_error(text: str) -> str:
    """The telling line of npm's error output (its last line only points at a log file)."""
    lines = [re.sub(r"^npm (error|ERR!)", "", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("at ", "A complete log"))]
    telling = next((line for line in lines if "Error" in line), lines[0] if lines else "")
    return telling[:300] or "no output"


def _install_node_library(npm: str, prefix: Path) -> str | None:
    """Install the pinned library under ``prefix`` unless an earlier run did; None when it is
    there, else why it is not."""
    marker = prefix / _INSTALLED_MARKER
    manifest = prefix / "node_modules" / "cognito-user-pool" / "package.json"
    command = [npm, "install", "--prefix", str(prefix), "--no-save", "--no-audit", "--no-fund"]
    command += ["--no-update-notifier", "--loglevel=error", *NPM_OFFLINE_FAST, NODE_LIBRARY]
    try:
        if marker.is_file() and marker.read_text().strip() == NODE_LIBRARY and manifest.is_file():
            return None
        prefix.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(  # noqa: S603 - npm found on PATH, fixed arguments
            command,
            cwd=prefix,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`npm install {NODE_LIBRARY}` failed ({type(exc).__name__}: {exc})."
    if done.returncode != 0 or not manifest.is_file():
        return (
            f"`npm install {NODE_LIBRARY}` failed (offline?), exit status {done.returncode}: "
            f"{_npm_error(done.stderr)}"
        )
    try:
        marker.write_text(NODE_LIBRARY + "\n")
    except OSError as exc:
        return f"cannot write {marker} ({exc})."
    return None


def parse_node_output(text: str, scenario: str) -> Measurement:
    """The reference row from bench/node/login.js's JSON: the CPU per login is the median over
    its rounds, like every other row; wall times and logins per second are Node's own.

    :raises ValueError: when the output is not the script's JSON or a figure is missing.
    """
    try:
        data = json.loads(text)
        rounds_cpu = [float(x) for x in data["rounds_cpu_us"]]
        walls = [float(x) for x in data["wall_ms"]]
        rates = [float(x) for x in data["rounds_ops_per_s"]]
        node, version = str(data["node"]), str(data["version"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"unexpected output from {NODE_SCRIPT.name}: {text[:200]!r}") from exc
    if not rounds_cpu or not walls or not rates:
        raise ValueError(f"{NODE_SCRIPT.name} measured no login: {text[:200]!r}")
    return Measurement(
        scenario=scenario,
        variant=NODE_VARIANT,
        ops=len(walls),
        cpu_us_per_op=statistics.median(rounds_cpu),
        wall_ms_median=statistics.median(walls),
        wall_ms_p95=p95(walls),
        ops_per_s=statistics.median(rates),
        peak_mem_kib=None,  # not measured: tracemalloc sees only this Python process
        note=(
            f"separate Node {node} process (library {version}), CPU by Node's own clock "
            "(process.cpuUsage), one login at a time"
        ),
        # Empty on purpose: these rounds did not run alongside the Python variants' rounds,
        # so they must not pair up with them in paired_ratio.
        rounds_cpu_us=[],
    )


def node_reference(
    ctx: Context, scenario: str, url: str, *, prefix: Path | None = None
) -> Measurement | None:
    """The original Node library's login CPU against the stub at ``url``, or None (and a note
    saying why) when Node or npm is missing, the install fails or the script does."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing = " and ".join(f"`{n}`" for n, p in (("node", node), ("npm", npm)) if p is None)
        _skip(ctx, scenario, f"{missing} not on PATH (install Node.js to get it).")
        return None
    where = prefix or node_cache_dir()
    failure = _install_node_library(npm, where)
    if failure is not None:
        _skip(ctx, scenario, failure)
        return None
    plan = ctx.plan
    config = {
        "modules": str(where),
        "endpoint": url,
        "poolId": POOL_ID,
        "clientId": CLIENT_ID,
        "username": USERNAME,
        "password": PASSWORD,
        "warmup": NODE_WARMUP,
        "rounds": plan.login_rounds,
        "ops": plan.login_ops,
    }
    # About 0.2 s of CPU per login on a 2020s core; generous, yet a hung script cannot stall
    # the benchmark.
    timeout = 60.0 + 5.0 * (NODE_WARMUP + plan.login_rounds * plan.login_ops)
    try:
        done = subprocess.run(  # noqa: S603 - node found on PATH, our own script
            [node, "--expose-gc", str(NODE_SCRIPT)],
            input=json.dumps(config),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        _skip(ctx, scenario, f"{NODE_SCRIPT.name} failed ({type(exc).__name__}: {exc}).")
        return None
    if done.returncode != 0:
        _skip(
            ctx,
            scenario,
            f"{NODE_SCRIPT.name} exited with status {done.returncode}: {_last_line(done.stderr)}",
        )
        return None
    try:
        reference = parse_node_output(done.stdout, scenario)
    except ValueError as exc:
        _skip(ctx, scenario, str(exc))
        return None
    ctx.note(
        scenario,
        f"`{NODE_VARIANT}`: the original Node library, not a target. Its `login` (a new "
        "CognitoUserPool and AWS SDK client per call, SRP maths in JavaScript) runs in its own "
        f"Node process against the same stub, after the rounds above and not interleaved with "
        f"them: {plan.login_rounds} rounds of {plan.login_ops} logins, one at a time, after "
        f"{NODE_WARMUP} warm-up logins; CPU is that process's user + system time "
        "(`process.cpuUsage()`), the median over its rounds; peak memory is not measured.",
    )
    return reference


def _challenge() -> dict[str, str]:
    from bench.stub_state import build_state

    state = build_state()
    return {
        "USER_ID_FOR_SRP": "6c1b5f0e",
        "USERNAME": "6c1b5f0e",
        "SALT": state.salt,
        "SRP_B": state.srp_b,
        "SECRET_BLOCK": state.secret_block,
    }


def srp_maths(ctx: Context) -> None:
    """The SRP maths alone (no HTTP): where the login's CPU goes."""
    from pycognito.aws_srp import AWSSRP

    from cognito_user_pool._srp import SrpSession

    name = "1b. SRP maths only (no HTTP)"
    challenge = _challenge()

    def ours(mode: str) -> Callable[[], Any]:
        def op() -> Any:
            set_srp_mode(mode)
            srp = SrpSession(
                pool_id=POOL_ID, client_id=CLIENT_ID, username=USERNAME, password=PASSWORD
            )
            return srp.password_verifier_responses(challenge)

        return op

    def pyc() -> Any:
        srp = AWSSRP(
            username=USERNAME,
            password=PASSWORD,
            pool_id=POOL_ID,
            client_id=CLIENT_ID,
            client=object(),
        )
        return srp.process_challenge(challenge, {"USERNAME": USERNAME})

    variants = [
        Variant("SrpSession (pure)", sync_batch(ours("pure"))),
        Variant("pycognito AWSSRP()+process_challenge", sync_batch(pyc)),
    ]
    if have_gmpy2():
        variants.insert(1, Variant("SrpSession (fast)", sync_batch(ours("fast"))))
    plan = ctx.plan
    ctx.results[name] = run_rounds(name, variants, ops=plan.login_ops, rounds=plan.login_rounds)
    if have_gmpy2():
        ctx.profiles["SRP maths, fast path (cProfile, tottime)"] = profile_top(
            lambda: sync_batch(ours("fast"))(10), limit=10
        )
    set_srp_mode("fast" if have_gmpy2() else "pure")
