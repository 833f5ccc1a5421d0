"""4. Shim overhead: one GetUser through AsyncUserPool, UserPool and CallbackUserPool, beside
the bare cost of a thread hop to an event loop and back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bench.contenders import OursAsync, async_batch, sync_batch
from bench.measure import Variant, profile_top, run_rounds
from bench.scenarios._base import Context, Target, find_rows, row, scenario
from bench.stub_state import CLIENT_ID, POOL_ID

__all__ = ["shims"]


def _targets(ctx: Context) -> list[Target]:
    targets: list[Target] = []
    shims = find_rows(ctx, "4.")
    base = row(shims, "AsyncUserPool")
    for label, variant in (
        ("UserPool", "UserPool (blocking portal)"),
        ("CallbackUserPool", "CallbackUserPool (future.result())"),
    ):
        measured = row(shims, variant)
        if base and measured:
            added = measured.wall_ms_median - base.wall_ms_median
            added_cpu = (measured.cpu_us_per_op - base.cpu_us_per_op) / 1000
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
                "UserPool (blocking portal)",
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
        "loop and back, through anyio's BlockingPortal.call (what UserPool uses) and through "
        "asyncio.run_coroutine_threadsafe, on an otherwise idle loop thread.",
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
