"""6. Cold start in fresh interpreters: ``import cognito_user_pool`` and the first call,
against ``import aiobotocore.session`` and aiobotocore's first call."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.measure import Measurement, p95
from bench.scenarios._base import Context, Target, find_rows, row, scenario
from bench.stub_state import CLIENT_ID, POOL_ID

__all__ = ["cold_start"]

ROOT = Path(__file__).resolve().parents[2]
# Modules that must stay off `import cognito_user_pool`'s path (aiobotocore and botocore
# are only reported: the library imports them on first use).
HEAVY = ("boto3", "pycognito", "requests", "jwt", "moto", "click", "rich")


def _targets(ctx: Context) -> list[Target]:
    cold = find_rows(ctx, "6.")
    ours = row(cold, "import cognito_user_pool")
    aio = row(cold, "import aiobotocore.session")
    if not (ours and aio):
        return []
    ratio = ours.wall_ms_median / aio.wall_ms_median
    heavy = ctx.extra.get("import_heavy", [])
    return [
        Target(
            "import cognito_user_pool vs import aiobotocore.session",
            "≤ 1.2x",
            f"{ratio:.2f}x ({ours.wall_ms_median:.0f} vs {aio.wall_ms_median:.0f} ms)",
            ratio <= 1.2,
            "import",
        ),
        Target(
            f"No boto3 (nor {', '.join(HEAVY[1:])}) on the import path",
            "none imported",
            ", ".join(heavy) or "none imported",
            not (set(HEAVY) & set(heavy)),
        ),
    ]


_IMPORT_OURS = """
import json, sys, time
def hwm():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec (the parent's peak).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
t0 = time.perf_counter()
import cognito_user_pool
t1 = time.perf_counter()
heavy = [m for m in ("boto3", "pycognito", "requests", "jwt", "moto", "click", "rich",
                     "botocore", "aiobotocore") if m in sys.modules]
print(json.dumps({"s": t1 - t0, "heavy": heavy, "modules": len(sys.modules), "maxrss_kib": hwm()}))
"""

_IMPORT_AIOBOTOCORE = """
import json, sys, time
def hwm():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec (the parent's peak).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
t0 = time.perf_counter()
import aiobotocore.session
t1 = time.perf_counter()
print(json.dumps({"s": t1 - t0, "heavy": [], "modules": len(sys.modules), "maxrss_kib": hwm()}))
"""

_FIRST_CALL_OURS = """
import asyncio, json, sys, time
t0 = time.perf_counter()
from cognito_user_pool import AsyncUserPool
async def main():
    async with AsyncUserPool(sys.argv[1], sys.argv[2], endpoint_url=sys.argv[3]) as pool:
        t = time.perf_counter()
        await pool.profile(auth=sys.argv[4])
        return t
t_open = asyncio.run(main())
print(json.dumps({"s": time.perf_counter() - t0}))
"""

_FIRST_CALL_FLOOR = """
import asyncio, json, sys, time
t0 = time.perf_counter()
import aiobotocore.session
from aiobotocore.config import AioConfig
from botocore import UNSIGNED
async def main():
    session = aiobotocore.session.get_session()
    config = AioConfig(signature_version=UNSIGNED, region_name="us-east-1")
    async with session.create_client("cognito-idp", region_name="us-east-1",
                                      endpoint_url=sys.argv[3], config=config) as client:
        await client.get_user(AccessToken=sys.argv[4])
asyncio.run(main())
print(json.dumps({"s": time.perf_counter() - t0}))
"""


def _subprocess_json(code: str, *args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


@scenario("cold", order=6, targets=_targets)
def cold_start(ctx: Context) -> None:
    """``import cognito_user_pool`` and the first call, each in fresh interpreters."""
    name = "6. Cold start (fresh interpreter each time)"
    runs = ctx.plan.cold_runs
    samples: dict[str, list[dict[str, Any]]] = {
        "import cognito_user_pool": [],
        "import aiobotocore.session": [],
        "first call: import + AsyncUserPool + GetUser": [],
        "first call: import aiobotocore + create_client + get_user": [],
    }
    args = (POOL_ID, CLIENT_ID, ctx.urls[0], ctx.tokens["AccessToken"])
    codes = [
        (_IMPORT_OURS, ()),
        (_IMPORT_AIOBOTOCORE, ()),
        (_FIRST_CALL_OURS, args),
        (_FIRST_CALL_FLOOR, args),
    ]
    _subprocess_json(_IMPORT_OURS)  # warm the OS file cache
    _subprocess_json(_IMPORT_AIOBOTOCORE)
    for _ in range(runs):
        for label, (code, argv) in zip(samples, codes, strict=True):
            samples[label].append(_subprocess_json(code, *argv))
    rows = []
    for label, values in samples.items():
        seconds = [v["s"] for v in values]
        note = ""
        if "maxrss_kib" in values[0]:
            rss = statistics.median(v["maxrss_kib"] for v in values)
            note = f"{values[0]['modules']} modules, peak RSS {rss / 1024:.1f} MiB"
            heavy = sorted({m for v in values for m in v["heavy"]})
            if label == "import cognito_user_pool":
                note += f"; heavy modules imported: {', '.join(heavy) or 'none'}"
                ctx.extra["import_heavy"] = heavy
        rows.append(
            Measurement(
                scenario=name,
                variant=label,
                ops=runs,
                cpu_us_per_op=float("nan"),
                wall_ms_median=statistics.median(seconds) * 1e3,
                wall_ms_p95=p95(seconds) * 1e3,
                ops_per_s=1 / statistics.median(seconds),
                note=note,
            )
        )
    ctx.results[name] = rows
    ctx.add_profiler("import", "python -X importtime: import cognito_user_pool", _importtime_top)


def _importtime_top(limit: int = 12) -> list[str]:
    """The slowest imports under ``import cognito_user_pool`` (``python -X importtime``)."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import cognito_user_pool"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, self_us, cumulative, module = (part.strip() for part in line.split("|"))
        rows.append((int(cumulative), int(self_us.split(":")[-1]), module))
    rows.sort(reverse=True)
    return [
        f"{c / 1000:8.1f} ms cumulative {s / 1000:7.1f} ms self  {m}" for c, s, m in rows[:limit]
    ]
