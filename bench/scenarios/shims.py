"""4. Shim overhead: one GetUser through AsyncUserPool, UserPool and CallbackUserPool, beside
the bare cost of a thread hop to an event loop and back."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from typing import Any

from bench.contenders import OursAsync, async_batch, sync_batch
from bench.measure import Measurement, Variant, profile_top, run_rounds
from bench.scenarios._base import Context, Target, find_rows, row, scenario
from bench.stub_state import CLIENT_ID, POOL_ID

__all__ = ["shims"]


# Issue 19: the client CPU each shim adds to one call, in ms. CPU, not wall time: on a busy
# two-core machine a thread hop's wall time mostly measures the scheduler.
_GOALS = (
    ("UserPool", "UserPool (blocking)", 0.05),
    ("CallbackUserPool", "CallbackUserPool (future.result())", 0.15),
)


def _added_cpu_ms(measured: Measurement, base: Measurement) -> float:
    """The CPU ``measured`` adds to ``base`` per call, in ms: the median of the per-round
    differences (both ran back to back in each round, under the same load), or the
    difference of the medians when the rounds do not pair up."""
    ours, theirs = measured.rounds_cpu_us, base.rounds_cpu_us
    if not ours or len(ours) != len(theirs):
        return (measured.cpu_us_per_op - base.cpu_us_per_op) / 1000
    return statistics.median(a - b for a, b in zip(ours, theirs, strict=True)) / 1000


def _targets(ctx: Context) -> list[Target]:
    targets: list[Target] = []
    shims = find_rows(ctx, "4.")
    base = row(shims, "AsyncUserPool")
    for label, variant, goal in _GOALS:
        name = f"{label} shim: CPU added per call"
        wanted = f"≤ {goal} ms CPU"
        measured = row(shims, variant)
        if base and measured:
            added_cpu = _added_cpu_ms(measured, base)
            added_wall = measured.wall_ms_median - base.wall_ms_median
            targets.append(
                Target(
                    name,
                    wanted,
                    f"{added_cpu:.3f} ms CPU ({added_wall:.3f} ms wall, median)",
                    added_cpu <= goal,
                    "shim",
                )
            )
        elif shims is not None:
            targets.append(Target(name, wanted, "not available yet", None))
    return targets


@scenario("shims", order=4, targets=_targets)
def shims(ctx: Context) -> None:
    """One GetUser through AsyncUserPool, UserPool and CallbackUserPool."""
    import cognito_user_pool as cup

    url = ctx.urls[0]
    access = ctx.tokens["AccessToken"]
    name = "4. Shim overhead: profile (GetUser), no latency"
    ours = OursAsync(ctx.runner, url)
    variants = [
        Variant("AsyncUserPool", async_batch(ctx.runner, lambda: ours.pool.profile(auth=access)))
    ]
    closers: list[Callable[[], Any]] = [ours.close]
    sync_pool = getattr(cup, "UserPool", None)
    if sync_pool is not None:
        blocking = sync_pool(POOL_ID, CLIENT_ID, endpoint_url=url)
        blocking.__enter__()
        variants.append(
            Variant(
                "UserPool (blocking)",
                sync_batch(lambda: blocking.profile(auth=access)),
            )
        )
        closers.append(blocking.close)
    else:
        ctx.note(name, "UserPool: not available yet.")
    callback_pool = getattr(cup, "CallbackUserPool", None)
    if callback_pool is not None:
        node = callback_pool({"UserPoolId": POOL_ID, "ClientId": CLIENT_ID, "endpoint": url})
        variants.append(
            Variant(
                "CallbackUserPool (future.result())",
                sync_batch(lambda: node.profile({"accessToken": access}, None).result()),
                "callback=None; waits on the returned Future",
            )
        )
        closers.append(node.close)
        ctx.add_profiler(
            "shim",
            "CallbackUserPool.profile, calling thread",
            lambda: profile_top(
                lambda: sync_batch(lambda: node.profile({"accessToken": access}, None).result())(
                    200
                ),
                limit=12,
            ),
        )
    else:
        ctx.note(name, "CallbackUserPool: not available yet.")
    variants.extend(_hop_variants(closers))
    plan = ctx.plan
    ctx.results[name] = run_rounds(
        name, variants, ops=plan.call_ops * 2, rounds=plan.call_rounds, memory_ops=20
    )
    ctx.note(
        name,
        "The last two rows call Cognito not at all: they time one thread hop to an event "
        "loop and back, through anyio's BlockingPortal.call (what UserPool used before issue "
        "19) and through asyncio.run_coroutine_threadsafe (what it uses now), on an otherwise "
        "idle loop thread.",
    )
    if sync_pool is not None:
        ctx.add_profiler(
            "shim",
            "UserPool.profile, calling thread",
            lambda: profile_top(
                lambda: sync_batch(lambda: blocking.profile(auth=access))(200), limit=12
            ),
        )
    ctx.closers.extend(closers)


def _hop_variants(closers: list[Callable[[], Any]]) -> list[Variant]:
    """Diagnostics: the bare cost of a round trip to a loop thread, two ways."""
    from anyio.from_thread import start_blocking_portal

    async def nothing() -> None:
        return None

    manager = start_blocking_portal()
    portal = manager.__enter__()
    closers.append(lambda: manager.__exit__(None, None, None))
    loop = portal.call(asyncio.get_running_loop)
    return [
        Variant(
            "diagnostic: BlockingPortal.call(noop) round trip",
            sync_batch(lambda: portal.call(nothing)),
            "no Cognito call",
        ),
        Variant(
            "diagnostic: run_coroutine_threadsafe(noop) round trip",
            sync_batch(lambda: asyncio.run_coroutine_threadsafe(nothing(), loop).result()),
            "no Cognito call",
        ),
    ]
