"""Run the benchmarks of issue 7 side by side and print the figures with PASS/MISS targets.

Usage::

    python bench/run.py            # full run, a few minutes
    python bench/run.py --quick    # a short run, under a minute or two
    python bench/run.py --only login,verify

A stub Cognito (bench/stub.py) runs in its own process on 127.0.0.1, one port without latency
and one with 50 ms; everything measured here is the client process's own CPU. The tables go
to stdout as Markdown; the figures, the machine and the profiles of missed targets go to
``bench/results/bench-<time>.json`` and ``latest.json``, or only to ``--out FILE``. Nothing
here gates CI: absolute times depend on the machine, only the ratios measured in the same run
mean much.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.contenders import LoopRunner  # noqa: E402
from bench.report import describe_machine, markdown  # noqa: E402
from bench.scenarios import SCENARIOS, Context, Plan, Target  # noqa: E402
from bench.stub import stub_server  # noqa: E402

__all__ = ["evaluate_targets", "main"]

RESULTS = ROOT / "bench" / "results"


def evaluate_targets(ctx: Context) -> list[Target]:
    """Every scenario's targets, with PASS/MISS (or n/a when its scenario did not run)."""
    return [target for scenario in SCENARIOS.values() for target in scenario.targets(ctx)]


def _profiles_for_misses(ctx: Context, targets: list[Target], always: bool) -> None:
    """Take the profiles the scenarios offered for each missed target (or every target)."""
    for target in targets:
        key = target.profile_key
        if key is None or (target.passed is not False and not always):
            continue
        for title, profiler in ctx.profilers.get(key, []):
            if title in ctx.profiles:
                continue
            try:
                ctx.profiles[title] = profiler()
            except Exception as exc:  # a profile is a diagnosis aid, never a reason to fail
                ctx.profiles[title] = [f"profiling failed: {type(exc).__name__}: {exc}"]


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
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON output file (instead of bench/results/)"
    )
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
            SCENARIOS[name].run(ctx)
            print(
                f"[bench] {name} done in {time.perf_counter() - t0:.0f} s",
                file=sys.stderr,
                flush=True,
            )
        targets = evaluate_targets(ctx)
        _profiles_for_misses(ctx, targets, args.profile_all)
        for closer in ctx.closers:
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
    text = json.dumps(payload, indent=2, default=str, allow_nan=True)
    if args.out:
        # A chosen file only: latest.json keeps the last default run.
        out = args.out
    else:
        out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
        (RESULTS / "latest.json").write_text(text)
    out.write_text(text)
    print(f"[bench] figures written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
