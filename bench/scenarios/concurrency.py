"""3. 1 to 200 concurrent logins and profile reads over 50 ms latency, one AsyncUserPool
against pycognito in 16 threads; 3b. the same with several connection-pool sizes."""

from __future__ import annotations

import functools
import gc
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

from bench.contenders import OursAsync, ThreadLocalPycognito, async_batch, have_gmpy2, set_srp_mode
from bench.measure import profile_top
from bench.scenarios._base import Context, Target, find_rows, row, scenario
from bench.scenarios._concurrent import (
    TimedBatch,
    concurrent_rounds,
    gather_batch,
    sequential_batch,
    thread_batch,
)

__all__ = ["concurrency", "pool_sizes"]


def _targets(ctx: Context) -> list[Target]:
    top = max(ctx.plan.concurrency)
    conc = find_rows(ctx, f"3. Concurrency: {top} concurrent logins")
    if not conc:
        return []
    ours = next((m for m in conc if m.variant.startswith("cognito-user-pool")), None)
    pyc = row(conc, "pycognito, 16 threads")
    if not (ours and pyc):
        return []
    ratio = ours.ops_per_s / pyc.ops_per_s
    return [
        Target(
            f"{top} concurrent logins, 50 ms: throughput vs pycognito x16 threads",
            "≥ 3x",
            f"{ratio:.2f}x ({ours.ops_per_s:.0f} vs {pyc.ops_per_s:.0f} logins/s)",
            ratio >= 3 and "(fast)" in ours.variant,
            "concurrency",
        )
    ]


@scenario("concurrency", order=3, targets=_targets)
def concurrency(ctx: Context) -> None:
    """1 to 200 concurrent logins and profile reads over 50 ms latency."""
    url = ctx.urls[50]
    plan = ctx.plan
    fast = have_gmpy2()
    mode = "fast" if fast else "pure"
    set_srp_mode(mode)
    ours = OursAsync(ctx.runner, url)
    access = ctx.tokens["AccessToken"]
    pycs = ThreadLocalPycognito(url, ctx.tokens["Jwks"])
    executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="pycognito")

    # Every worker thread builds its own Cognito (and logs in once) before timing starts.
    def _warm(_: int) -> None:
        pycs.get()
        time.sleep(0.05)

    list(executor.map(_warm, range(64)))
    ops = {
        "login": (
            ours.login,
            lambda: pycs.get().login(),
        ),
        "profile read": (
            lambda: ours.pool.profile(auth=access),
            lambda: pycs.get().get_user(),
        ),
    }
    for kind, (ours_op, pyc_op) in ops.items():
        for n in plan.concurrency:
            name = f"3. Concurrency: {n} concurrent {kind}s, 50 ms latency"
            variants: list[tuple[str, TimedBatch, int, str]] = [
                (
                    f"cognito-user-pool ({mode}), 1 AsyncUserPool",
                    gather_batch(ctx.runner, ours_op),
                    n,
                    "wall = completion time from batch start",
                ),
                ("pycognito, 16 threads", thread_batch(executor, pyc_op), n, ""),
            ]
            if n == plan.concurrency[0]:
                seq_n = 5 if kind == "login" else 10
                variants.append(
                    (
                        f"sequential (cognito-user-pool {mode})",
                        sequential_batch(async_batch(ctx.runner, ours_op)),
                        seq_n,
                        f"{seq_n} one after the other; does not depend on N",
                    )
                )
            ctx.results[name] = concurrent_rounds(name, variants, plan.concurrency_rounds)
        # Peak memory of the largest batch on one AsyncUserPool.
        top = plan.concurrency[-1]
        runner = gather_batch(ctx.runner, ours_op)
        gc.collect()
        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        runner(top)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        name = f"3. Concurrency: {top} concurrent {kind}s, 50 ms latency"
        ctx.results[name][0].peak_mem_kib = (peak - base) / 1024
    ctx.add_profiler(
        "concurrency",
        "200 concurrent logins, event-loop thread only",
        lambda: profile_top(
            lambda: gather_batch(ctx.runner, ours.login)(plan.concurrency[-1]), limit=14
        ),
    )
    ctx.closers.extend([ours.close, pycs.close, executor.shutdown])
    pool_sizes(ctx)


def pool_sizes(ctx: Context) -> None:
    """200 concurrent profile reads and logins over 50 ms for several pool sizes."""
    url = ctx.urls[50]
    access = ctx.tokens["AccessToken"]
    n = max(ctx.plan.concurrency)
    name = f"3b. Connection pool size: {n} concurrent calls, 50 ms latency"
    rows = []
    for size in ctx.plan.pool_sizes:
        ours = OursAsync(ctx.runner, url, max_pool_connections=size)
        read = functools.partial(ours.pool.profile, auth=access)
        for kind, op in (("profile reads", read), ("logins", ours.login)):
            run = gather_batch(ctx.runner, op)
            cpu0 = time.process_time()
            cold_total, _ = run(n)
            cold_cpu = (time.process_time() - cpu0) / n * 1e6
            rows.extend(
                concurrent_rounds(
                    name,
                    [(f"max_pool_connections={size}, {kind}", run, n, "")],
                    ctx.plan.concurrency_rounds,
                )
            )
            rows[-1].note = (
                f"first batch (new connections): {cold_cpu:.0f} µs CPU/op, "
                f"{n / cold_total:.0f} op/s"
            )
        ours.close()
    ctx.results[name] = rows
