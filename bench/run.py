"""Run the benchmarks of issue 7 side by side and print the figures with PASS/MISS targets.

Usage::

    python bench/run.py            # full run, a few minutes
    python bench/run.py --quick    # a short run, under a minute or two
    python bench/run.py --only login,verify

A stub Cognito (bench/stub.py) runs in its own process on 127.0.0.1, one port without latency
and one with 50 ms; everything measured here is the client process's own CPU. The tables go
to stdout as Markdown; the figures, the machine and the profiles of missed targets go to
``bench/results/bench-<time>.json`` (and ``latest.json``). Nothing here gates CI: absolute
times depend on the machine, only the ratios measured in the same run mean much.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.metadata
import json
import math
import os
import platform
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.contenders import LoopRunner  # noqa: E402
from bench.measure import Measurement, compare, paired_ratio  # noqa: E402
from bench.scenarios import SCENARIOS, Context, Plan  # noqa: E402
from bench.stub import stub_server  # noqa: E402

__all__ = ["Target", "evaluate_targets", "main"]

RESULTS = ROOT / "bench" / "results"
# The brief's reference: pycognito's SRP maths costs ~45 ms of CPU per login there.
REFERENCE_PYCOGNITO_MATHS_US = 45_000.0


@dataclass
class Target:
    """One goal of issue 7, evaluated from ratios measured in this run."""

    name: str
    goal: str
    measured: str
    passed: bool | None  # None: could not be measured in this run
    profile_key: str | None = None

    @property
    def verdict(self) -> str:
        """PASS, MISS or n/a."""
        if self.passed is None:
            return "n/a"
        return "PASS" if self.passed else "MISS"


def _find(ctx: Context, prefix: str) -> list[Measurement] | None:
    for name, rows in ctx.results.items():
        if name.startswith(prefix):
            return rows
    return None


def _row(rows: list[Measurement] | None, variant: str) -> Measurement | None:
    if rows is None:
        return None
    try:
        return compare(rows, variant)
    except KeyError:
        return None


def evaluate_targets(ctx: Context) -> list[Target]:
    """Every target of issue 7, with PASS/MISS (or n/a when its scenario did not run)."""
    targets: list[Target] = []
    login = _find(ctx, "1. SRP login")
    fast = _row(login, "cognito-user-pool (fast)")
    pure = _row(login, "cognito-user-pool (pure)")
    pyc = _row(login, "pycognito")
    if fast and pyc:
        targets.append(
            Target(
                "SRP login CPU, fast",
                "≤ 8 ms",
                f"{fast.cpu_us_per_op / 1000:.2f} ms",
                fast.cpu_us_per_op <= 8000,
                "srp_fast",
            )
        )
        ratio = paired_ratio(pyc, fast)
        targets.append(
            Target(
                "SRP login CPU, fast vs pycognito",
                "≥ 5.5x lower",
                f"{ratio:.2f}x lower",
                ratio >= 5.5,
                "srp_fast",
            )
        )
    else:
        targets.append(Target("SRP login CPU, fast", "≤ 8 ms", "not measured", None))
    if pure and pyc:
        ratio = paired_ratio(pure, pyc)
        targets.append(
            Target("SRP login CPU, pure vs pycognito", "≤ 1.05x", f"{ratio:.3f}x", ratio <= 1.05)
        )
    maths = _find(ctx, "1b.")
    pyc_maths = _row(maths, "pycognito AWSSRP()+process_challenge")
    fast_maths = _row(maths, "SrpSession (fast)")
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

    calls = _find(ctx, "2a.")
    ours_call = _row(calls, "cognito-user-pool")
    floor_call = _row(calls, "floor: aiobotocore")
    if ours_call and floor_call:
        ratio = paired_ratio(ours_call, floor_call)
        targets.append(
            Target(
                "Plain call CPU (GetUser) vs aiobotocore floor",
                "≤ 1.1x",
                f"{ratio:.3f}x ({ours_call.cpu_us_per_op:.0f} vs "
                f"{floor_call.cpu_us_per_op:.0f} µs)",
                ratio <= 1.1,
                "call",
            )
        )
    refresh = _find(ctx, "2b.")
    ours_refresh = _row(refresh, "cognito-user-pool")
    floor_refresh = _row(refresh, "floor: aiobotocore")
    if ours_refresh and floor_refresh:
        ratio = paired_ratio(ours_refresh, floor_refresh)
        targets.append(
            Target(
                "(info) Refresh CPU vs aiobotocore floor",
                "-",
                f"{ratio:.3f}x ({ours_refresh.cpu_us_per_op:.0f} vs "
                f"{floor_refresh.cpu_us_per_op:.0f} µs)",
                None,
            )
        )

    top = max(ctx.plan.concurrency)
    conc = _find(ctx, f"3. Concurrency: {top} concurrent logins")
    if conc:
        ours_conc = next((m for m in conc if m.variant.startswith("cognito-user-pool")), None)
        pyc_conc = _row(conc, "pycognito, 16 threads")
        if ours_conc and pyc_conc:
            ratio = ours_conc.ops_per_s / pyc_conc.ops_per_s
            targets.append(
                Target(
                    f"{top} concurrent logins, 50 ms: throughput vs pycognito x16 threads",
                    "≥ 3x",
                    f"{ratio:.2f}x ({ours_conc.ops_per_s:.0f} vs "
                    f"{pyc_conc.ops_per_s:.0f} logins/s)",
                    ratio >= 3 and "(fast)" in ours_conc.variant,
                    "concurrency",
                )
            )

    shims = _find(ctx, "4.")
    base = _row(shims, "AsyncUserPool")
    for label, variant in (
        ("UserPool", "UserPool (blocking portal)"),
        ("CallbackUserPool", "CallbackUserPool (future.result())"),
    ):
        row = _row(shims, variant)
        if base and row:
            added = row.wall_ms_median - base.wall_ms_median
            added_cpu = (row.cpu_us_per_op - base.cpu_us_per_op) / 1000
            targets.append(
                Target(
                    f"{label} shim: added per real call",
                    "≤ 0.35 ms",
                    f"{added:.3f} ms wall (median), {added_cpu:.3f} ms CPU",
                    added <= 0.35,
                    "shim",
                )
            )
        elif shims is not None:
            targets.append(
                Target(f"{label} shim: added per real call", "≤ 0.35 ms", "not available yet", None)
            )

    verify = _find(ctx, "5.")
    ours_verify = _row(verify, "TokenVerifier.verify_sync")
    pyc_verify = _row(verify, "pycognito verify_token")
    if ours_verify and pyc_verify:
        per_core = 1e6 / ours_verify.cpu_us_per_op
        targets.append(
            Target(
                "Token verification per second per core",
                "≥ 15,000",
                f"{per_core:,.0f}",
                per_core >= 15_000,
                "verify",
            )
        )
        ratio = paired_ratio(pyc_verify, ours_verify)
        targets.append(
            Target(
                "Token verification vs pycognito", "≥ 2.5x", f"{ratio:.2f}x", ratio >= 2.5, "verify"
            )
        )
    elif verify is not None:
        targets.append(
            Target("Token verification", "≥ 15,000/s", "TokenVerifier not available yet", None)
        )

    cold = _find(ctx, "6.")
    ours_import = _row(cold, "import cognito_user_pool")
    aio_import = _row(cold, "import aiobotocore.session")
    if ours_import and aio_import:
        ratio = ours_import.wall_ms_median / aio_import.wall_ms_median
        targets.append(
            Target(
                "import cognito_user_pool vs import aiobotocore.session",
                "≤ 1.2x",
                f"{ratio:.2f}x ({ours_import.wall_ms_median:.0f} vs "
                f"{aio_import.wall_ms_median:.0f} ms)",
                ratio <= 1.2,
                "import",
            )
        )
        heavy = ctx.extra.get("import_heavy", [])
        targets.append(
            Target(
                "No boto3 (nor pycognito, requests, jwt, moto, click, rich) on the import path",
                "none imported",
                ", ".join(heavy) or "none imported",
                not (
                    {"boto3", "pycognito", "requests", "jwt", "moto", "click", "rich"} & set(heavy)
                ),
            )
        )
    return targets


_PROFILERS = {
    "call": ("Plain call (GetUser), cognito-user-pool, main thread", "profile_call_profiler"),
    "concurrency": ("200 concurrent logins, event-loop thread only", "concurrency_profiler"),
    "shim": ("UserPool.profile, calling thread", "shim_profiler"),
    "verify": ("TokenVerifier.verify_sync", "verify_profiler"),
    "import": ("python -X importtime: import cognito_user_pool", "import_profiler"),
}


def _profiles_for_misses(ctx: Context, targets: list[Target], always: bool) -> None:
    for target in targets:
        key = target.profile_key
        if key is None or (target.passed is not False and not always):
            continue
        if key == "srp_fast":
            continue  # profiled in scenario 1b already
        title, extra_key = _PROFILERS[key]
        profiler = ctx.extra.get(extra_key)
        if profiler is None or title in ctx.profiles:
            continue
        try:
            ctx.profiles[title] = profiler()
        except Exception as exc:  # a profile is a diagnosis aid, never a reason to fail
            ctx.profiles[title] = [f"profiling failed: {type(exc).__name__}: {exc}"]
    if "floor_call_profiler" in ctx.extra and any(
        t.profile_key == "call" and (t.passed is False or always) for t in targets
    ):
        ctx.profiles["Plain call (GetUser), floor, main thread"] = ctx.extra[
            "floor_call_profiler"
        ]()


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def markdown(ctx: Context, targets: list[Target], machine: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    out = ["# cognito-user-pool benchmarks", ""]
    out.append(
        f"Machine: {machine['cpu']} x {machine['cores']} cores, Python {machine['python']}, "
        f"load average {machine['load_before']} → {machine['load_after']}; "
        f"{'quick' if ctx.plan.quick else 'full'} run, {machine['duration_s']:.0f} s."
    )
    out.append("")
    out.append("## Targets (ratios measured in this run)")
    out.append("")
    out.append("| target | goal | measured | verdict |")
    out.append("|---|---|---|---|")
    for t in targets:
        out.append(f"| {t.name} | {t.goal} | {t.measured} | {t.verdict} |")
    out.append("")
    out.append(
        "_CPU ratios between variants of one scenario are the median of the per-round ratios "
        "(the variants run back to back in each round); the tables below give each variant's "
        "own median._"
    )
    out.append("")
    for name, rows in ctx.results.items():
        out.append(f"## {name}")
        out.append("")
        ref = next((r for r in rows if r.variant.startswith("pycognito")), rows[0])
        cold = name.startswith("6.")
        if cold:
            out.append("| variant | wall ms (median) | wall ms (p95) | runs | note |")
            out.append("|---|---:|---:|---:|---|")
            for r in rows:
                out.append(
                    f"| {r.variant} | {_fmt(r.wall_ms_median, 1)} | {_fmt(r.wall_ms_p95, 1)} "
                    f"| {r.ops} | {r.note} |"
                )
        else:
            out.append(
                f"| variant | client CPU µs/op | CPU vs {ref.variant} | wall ms (median) "
                "| wall ms (p95) | ops/s | peak mem KiB | note |"
            )
            out.append("|---|---:|---:|---:|---:|---:|---:|---|")
            for r in rows:
                ratio = r.cpu_us_per_op / ref.cpu_us_per_op if ref.cpu_us_per_op else float("nan")
                out.append(
                    f"| {r.variant} | {_fmt(r.cpu_us_per_op)} | {ratio:.2f}x "
                    f"| {_fmt(r.wall_ms_median, 2)} | {_fmt(r.wall_ms_p95, 2)} "
                    f"| {_fmt(r.ops_per_s)} | {_fmt(r.peak_mem_kib)} | {r.note} |"
                )
        for note in ctx.notes.get(name, []):
            out.append("")
            out.append(f"_{note}_")
        out.append("")
    if ctx.profiles:
        out.append("## Profiles")
        out.append("")
        for title, lines in ctx.profiles.items():
            out.append(f"### {title}")
            out.append("")
            out.append("```")
            out.extend(lines)
            out.append("```")
            out.append("")
    return "\n".join(out)


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def describe_machine() -> dict[str, Any]:
    """CPU, cores, Python and the versions that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "versions": {
            name: _version(name)
            for name in (
                "cognito-user-pool",
                "aiobotocore",
                "botocore",
                "boto3",
                "pycognito",
                "gmpy2",
                "joserfc",
                "cryptography",
                "PyJWT",
                "aiohttp",
            )
        },
    }
    with contextlib.suppress(ImportError):
        info["versions"]["GMP"] = importlib.import_module("gmpy2").mp_version()
    return info


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; the exit status is 0 whatever the verdicts."""
    parser = argparse.ArgumentParser(description="cognito-user-pool benchmarks (issue 7)")
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument(
        "--only", default="", help=f"comma-separated scenarios among {', '.join(SCENARIOS)}"
    )
    parser.add_argument(
        "--profile-all", action="store_true", help="profile every target, not only misses"
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON output file")
    args = parser.parse_args(argv)
    selected = [s.strip() for s in args.only.split(",") if s.strip()] or list(SCENARIOS)
    unknown = [s for s in selected if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")

    # The benchmark must never reach AWS nor read the developer's credentials.
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    # pycognito's process_challenge calls datetime.utcnow(), deprecated on 3.12+.
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    started = time.perf_counter()
    machine = describe_machine()
    plan = Plan.make(args.quick)
    with stub_server([0, 50]) as stub, LoopRunner() as runner:
        import urllib.request

        with urllib.request.urlopen(stub.url(0) + "/bench/tokens") as response:  # noqa: S310
            tokens = json.load(response)
        ctx = Context(
            plan=plan, urls={0: stub.url(0), 50: stub.url(50)}, runner=runner, tokens=tokens
        )
        for name in selected:
            t0 = time.perf_counter()
            print(f"[bench] {name} ...", file=sys.stderr, flush=True)
            SCENARIOS[name](ctx)
            print(
                f"[bench] {name} done in {time.perf_counter() - t0:.0f} s",
                file=sys.stderr,
                flush=True,
            )
        targets = evaluate_targets(ctx)
        _profiles_for_misses(ctx, targets, args.profile_all)
        for closer in ctx.extra.get("closers", []):
            try:
                closer()
            except Exception as exc:  # closing is best effort at the end of a benchmark
                print(f"[bench] closing failed: {exc!r}", file=sys.stderr)
    machine["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    machine["duration_s"] = time.perf_counter() - started
    report = markdown(ctx, targets, machine)
    print(report)

    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": machine,
        "plan": vars(plan),
        "targets": [
            {"name": t.name, "goal": t.goal, "measured": t.measured, "verdict": t.verdict}
            for t in targets
        ],
        "scenarios": {name: [r.as_dict() for r in rows] for name, rows in ctx.results.items()},
        "notes": ctx.notes,
        "profiles": ctx.profiles,
        "reference_scale": ctx.extra.get("reference_scale"),
    }
    out = args.out or RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    text = json.dumps(payload, indent=2, default=str, allow_nan=True)
    out.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    print(f"[bench] figures written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
