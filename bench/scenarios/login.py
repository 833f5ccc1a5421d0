"""1. SRP login, this library (pure and fast) against pycognito and the raw aiobotocore floor;
1b. the SRP maths alone, where the login's CPU goes."""

from __future__ import annotations

from collections.abc import Callable
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
from bench.measure import Variant, paired_ratio, profile_top, run_rounds
from bench.scenarios._base import Context, Target, find_rows, row, scenario
from bench.stub_state import CLIENT_ID, PASSWORD, POOL_ID, USERNAME

__all__ = ["srp_login", "srp_maths"]

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
    srp_maths(ctx)


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
