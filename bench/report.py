"""The benchmark report: the machine it ran on, and every table as Markdown."""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import math
import os
import platform
from pathlib import Path
from typing import Any

from bench.scenarios import Context, Target

__all__ = ["describe_machine", "markdown"]


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
