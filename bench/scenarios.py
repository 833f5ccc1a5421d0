"""The six scenarios of issue 7, each measured side by side in the same run."""

from __future__ import annotations

import asyncio
import base64
import functools
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.contenders import (
    FloorClient,
    LoopRunner,
    OursAsync,
    PycognitoUser,
    ThreadLocalPycognito,
    async_batch,
    have_gmpy2,
    set_srp_mode,
    sync_batch,
)
from bench.measure import Measurement, Variant, p95, profile_top, run_rounds
from bench.stub import CLIENT_ID, PASSWORD, POOL_ID, USERNAME

__all__ = ["SCENARIOS", "Context", "Plan"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Plan:
    """How much to run: the full plan or ``--quick``."""

    quick: bool
    login_ops: int = 4
    login_rounds: int = 15
    call_ops: int = 150
    call_rounds: int = 11
    verify_ops: int = 200
    verify_rounds: int = 15
    concurrency: tuple[int, ...] = (1, 10, 100, 200)
    concurrency_rounds: int = 3
    pool_sizes: tuple[int, ...] = (10, 50, 100, 200)
    cold_runs: int = 15

    @classmethod
    def make(cls, quick: bool) -> Plan:
        """The full plan, or a short one for ``--quick``."""
        if not quick:
            return cls(quick=False)
        return cls(
            quick=True,
            login_ops=2,
            login_rounds=5,
            call_ops=30,
            call_rounds=3,
            verify_ops=100,
            verify_rounds=5,
            concurrency=(10, 200),
            concurrency_rounds=1,
            pool_sizes=(10, 100, 200),
            cold_runs=5,
        )


@dataclass
class Context:
    """What every scenario needs: the stub, its tokens and keys, one event loop."""

    plan: Plan
    urls: dict[float, str]
    runner: LoopRunner
    tokens: dict[str, Any]
    results: dict[str, list[Measurement]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def note(self, scenario: str, text: str) -> None:
        """Add a line under a scenario's table."""
        self.notes.setdefault(scenario, []).append(text)


def _ours_fast_available(ctx: Context, scenario: str) -> bool:
    if have_gmpy2():
        return True
    ctx.note(scenario, "`fast` variants skipped: gmpy2 is not installed (`pip install gmpy2`).")
    return False


# -- 1. SRP login ------------------------------------------------------------------------------


def srp_login(ctx: Context) -> None:
    """SRP login: this library (pure and fast) vs pycognito vs the raw aiobotocore floor."""
    from pycognito.aws_srp import AWSSRP

    from cognito_user_pool._srp_fast import accelerated_srp_class

    name = "1. SRP login"
    url = ctx.urls[0]
    fast = _ours_fast_available(ctx, name)
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
            async_batch(ctx.runner, lambda: floor.login(AWSSRP)),
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
    srp_maths(ctx)


def _challenge() -> dict[str, str]:
    from bench.stub import build_state

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


# -- 2. profile read and refresh ---------------------------------------------------------------


def calls(ctx: Context) -> None:
    """GetUser and REFRESH_TOKEN_AUTH: this library vs pycognito vs the floor."""
    url = ctx.urls[0]
    ours = OursAsync(ctx.runner, url)
    floor = FloorClient(ctx.runner, url)
    pyc = PycognitoUser(url, ctx.tokens["Jwks"])
    pyc.login()
    access, refresh = ctx.tokens["AccessToken"], ctx.tokens["RefreshToken"]
    plan = ctx.plan
    name = "2a. Profile read (GetUser)"
    ctx.results[name] = run_rounds(
        name,
        [
            Variant(
                "cognito-user-pool",
                async_batch(ctx.runner, lambda: ours.pool.profile(access_token=access)),
            ),
            Variant("pycognito", sync_batch(pyc.get_user), "get_user()"),
            Variant("floor: aiobotocore", async_batch(ctx.runner, lambda: floor.get_user(access))),
        ],
        ops=plan.call_ops,
        rounds=plan.call_rounds,
        memory_ops=20,
    )
    name = "2b. Refresh (REFRESH_TOKEN_AUTH)"
    ctx.results[name] = run_rounds(
        name,
        [
            Variant(
                "cognito-user-pool",
                async_batch(ctx.runner, lambda: ours.pool.refresh_session(refresh_token=refresh)),
                "refresh_session(); reads exp of both tokens, no signature check",
            ),
            Variant(
                "pycognito",
                sync_batch(pyc.refresh),
                "renew_access_token(); verifies 2 tokens",
            ),
            Variant("floor: aiobotocore", async_batch(ctx.runner, lambda: floor.refresh(refresh))),
        ],
        ops=plan.call_ops,
        rounds=plan.call_rounds,
        memory_ops=20,
    )
    ctx.extra["profile_call_profiler"] = lambda: profile_top(
        lambda: async_batch(ctx.runner, lambda: ours.pool.profile(access_token=access))(200),
        limit=14,
    )
    ctx.extra["floor_call_profiler"] = lambda: profile_top(
        lambda: async_batch(ctx.runner, lambda: floor.get_user(access))(200), limit=8
    )
    ctx.extra["closers"] = [ours.close, floor.close, pyc.close]


# -- 3. concurrency ----------------------------------------------------------------------------


def _gather_batch(
    ctx: Context, op: Callable[[], Any]
) -> Callable[[int], tuple[float, list[float]]]:
    async def many(n: int) -> tuple[float, list[float]]:
        start = time.perf_counter()
        done: list[float] = []

        async def one() -> None:
            await op()
            done.append(time.perf_counter() - start)

        await asyncio.gather(*(one() for _ in range(n)))
        return time.perf_counter() - start, done

    return lambda n: ctx.runner.run(many(n))


def _thread_batch(
    executor: ThreadPoolExecutor, op: Callable[[], Any]
) -> Callable[[int], tuple[float, list[float]]]:
    def run(n: int) -> tuple[float, list[float]]:
        start = time.perf_counter()

        def one(_: int) -> float:
            op()
            return time.perf_counter() - start

        done = list(executor.map(one, range(n)))
        return time.perf_counter() - start, done

    return run


def _sequential_batch(
    batch: Callable[[int], Sequence[float]],
) -> Callable[[int], tuple[float, list[float]]]:
    def run(n: int) -> tuple[float, list[float]]:
        start = time.perf_counter()
        walls = list(batch(n))
        return time.perf_counter() - start, walls

    return run


def _concurrent_rounds(
    scenario: str,
    variants: list[tuple[str, Callable[[int], tuple[float, list[float]]], int, str]],
    rounds: int,
) -> list[Measurement]:
    """Each variant runs its ``n`` operations at once, ``rounds`` times, interleaved."""
    cpu: dict[str, list[float]] = {v[0]: [] for v in variants}
    rate: dict[str, list[float]] = {v[0]: [] for v in variants}
    done: dict[str, list[float]] = {v[0]: [] for v in variants}
    for _, run, n, _ in variants:
        run(n)  # warm-up: opens the connections, fills caches
    for _ in range(rounds):
        for label, run, n, _ in variants:
            gc.collect()
            cpu0 = time.process_time()
            total, completions = run(n)
            cpu[label].append((time.process_time() - cpu0) / n * 1e6)
            rate[label].append(n / total)
            done[label].extend(completions)
    return [
        Measurement(
            scenario=scenario,
            variant=label,
            ops=n * rounds,
            cpu_us_per_op=statistics.median(cpu[label]),
            wall_ms_median=statistics.median(done[label]) * 1e3,
            wall_ms_p95=p95(done[label]) * 1e3,
            ops_per_s=statistics.median(rate[label]),
            note=note,
            rounds_cpu_us=[round(x, 1) for x in cpu[label]],
        )
        for label, _, n, note in variants
    ]


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
            lambda: ours.pool.profile(access_token=access),
            lambda: pycs.get().get_user(),
        ),
    }
    for kind, (ours_op, pyc_op) in ops.items():
        for n in plan.concurrency:
            name = f"3. Concurrency: {n} concurrent {kind}s, 50 ms latency"
            variants = [
                (
                    f"cognito-user-pool ({mode}), 1 AsyncUserPool",
                    _gather_batch(ctx, ours_op),
                    n,
                    "wall = completion time from batch start",
                ),
                ("pycognito, 16 threads", _thread_batch(executor, pyc_op), n, ""),
            ]
            if n == plan.concurrency[0]:
                seq_n = 5 if kind == "login" else 10
                variants.append(
                    (
                        f"sequential (cognito-user-pool {mode})",
                        _sequential_batch(async_batch(ctx.runner, ours_op)),
                        seq_n,
                        f"{seq_n} one after the other; does not depend on N",
                    )
                )
            ctx.results[name] = _concurrent_rounds(name, variants, plan.concurrency_rounds)
        # Peak memory of the largest batch on one AsyncUserPool.
        top = plan.concurrency[-1]
        runner = _gather_batch(ctx, ours_op)
        gc.collect()
        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        runner(top)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        name = f"3. Concurrency: {top} concurrent {kind}s, 50 ms latency"
        ctx.results[name][0].peak_mem_kib = (peak - base) / 1024
    ctx.extra["concurrency_profiler"] = lambda: profile_top(
        lambda: _gather_batch(ctx, ours.login)(plan.concurrency[-1]), limit=14
    )
    ctx.extra.setdefault("closers", []).extend([ours.close, pycs.close, executor.shutdown])
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
        read = functools.partial(ours.pool.profile, access_token=access)
        for kind, op in (("profile reads", read), ("logins", ours.login)):
            run = _gather_batch(ctx, op)
            cpu0 = time.process_time()
            cold_total, _ = run(n)
            cold_cpu = (time.process_time() - cpu0) / n * 1e6
            rows.extend(
                _concurrent_rounds(
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


# -- 4. shims ----------------------------------------------------------------------------------


def shims(ctx: Context) -> None:
    """One GetUser through AsyncUserPool, UserPool and CallbackUserPool."""
    import cognito_user_pool as cup

    url = ctx.urls[0]
    access = ctx.tokens["AccessToken"]
    name = "4. Shim overhead: profile (GetUser), no latency"
    ours = OursAsync(ctx.runner, url)
    variants = [
        Variant(
            "AsyncUserPool", async_batch(ctx.runner, lambda: ours.pool.profile(access_token=access))
        )
    ]
    closers: list[Callable[[], Any]] = [ours.close]
    sync_pool = getattr(cup, "UserPool", None)
    if sync_pool is not None:
        blocking = sync_pool(POOL_ID, CLIENT_ID, endpoint_url=url)
        blocking.__enter__()
        variants.append(
            Variant(
                "UserPool (blocking portal)",
                sync_batch(lambda: blocking.profile(access_token=access)),
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
        ctx.extra["shim_profiler"] = lambda: profile_top(
            lambda: sync_batch(lambda: blocking.profile(access_token=access))(200), limit=12
        )
    ctx.extra.setdefault("closers", []).extend(closers)


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


# -- 5. token verification ---------------------------------------------------------------------


def verification(ctx: Context) -> None:
    """Verifying an access token: TokenVerifier vs pycognito vs a bare RSA check."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    name = "5. Token verification (access token, keys cached)"
    access = ctx.tokens["AccessToken"]
    variants: list[Variant] = []
    try:
        from cognito_user_pool._verify import TokenVerifier
    except ImportError:
        TokenVerifier = None  # type: ignore[assignment,misc]
        ctx.note(name, "TokenVerifier: not available yet.")
    if TokenVerifier is not None:
        verifier = TokenVerifier(POOL_ID, CLIENT_ID, endpoint_url=ctx.urls[0])
        verifier.prefetch_sync()
        variants.append(
            Variant("TokenVerifier.verify_sync", sync_batch(lambda: verifier.verify_sync(access)))
        )
        variants.append(
            Variant(
                "TokenVerifier.verify (async)",
                async_batch(ctx.runner, lambda: verifier.verify(access)),
            )
        )
        ctx.extra["verify_profiler"] = lambda: profile_top(
            lambda: sync_batch(lambda: verifier.verify_sync(access))(2000), limit=14
        )
    pyc = PycognitoUser(ctx.urls[0], ctx.tokens["Jwks"])
    variants.append(
        Variant(
            "pycognito verify_token",
            sync_batch(lambda: pyc.cognito.verify_token(access, "access_token", "access")),
        )
    )
    jwk = ctx.tokens["Jwks"]["keys"][0]

    def _int(text: str) -> int:
        return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")

    public = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
    public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    head, _, sig = access.rpartition(".")
    signature_input = head.encode()

    def floor() -> None:
        signature = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
        public.verify(signature, signature_input, padding.PKCS1v15(), hashes.SHA256())

    variants.append(Variant("floor: cryptography RSA verify", sync_batch(floor), "signature only"))
    plan = ctx.plan
    ctx.results[name] = run_rounds(
        name, variants, ops=plan.verify_ops, rounds=plan.verify_rounds, memory_ops=100
    )
    for m in ctx.results[name]:
        m.note = (m.note + "; " if m.note else "") + f"{1e6 / m.cpu_us_per_op:,.0f}/s per core"
    ctx.extra.setdefault("closers", []).append(pyc.close)


# -- 6. cold start -----------------------------------------------------------------------------

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
        await pool.profile(access_token=sys.argv[4])
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
    ctx.extra["import_profiler"] = _importtime_top


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


SCENARIOS: dict[str, Callable[[Context], None]] = {
    "login": srp_login,
    "calls": calls,
    "concurrency": concurrency,
    "shims": shims,
    "verify": verification,
    "cold": cold_start,
}
