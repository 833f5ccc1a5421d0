"""2a. Profile read (GetUser) and 2b. refresh (REFRESH_TOKEN_AUTH): this library against
pycognito and the raw aiobotocore floor."""

from __future__ import annotations

from bench.contenders import FloorClient, OursAsync, PycognitoUser, async_batch, sync_batch
from bench.measure import Variant, paired_ratio, profile_top, run_rounds
from bench.scenarios._base import Context, Target, find_rows, row, scenario

__all__ = ["calls"]


def _targets(ctx: Context) -> list[Target]:
    targets: list[Target] = []
    calls = find_rows(ctx, "2a.")
    ours_call = row(calls, "cognito-user-pool")
    floor_call = row(calls, "floor: aiobotocore")
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
    refresh = find_rows(ctx, "2b.")
    ours_refresh = row(refresh, "cognito-user-pool")
    floor_refresh = row(refresh, "floor: aiobotocore")
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
    return targets


@scenario("calls", order=2, targets=_targets)
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
                async_batch(ctx.runner, lambda: ours.pool.profile(auth=access)),
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
    ctx.add_profiler(
        "call",
        "Plain call (GetUser), cognito-user-pool, main thread",
        lambda: profile_top(
            lambda: async_batch(ctx.runner, lambda: ours.pool.profile(auth=access))(200),
            limit=14,
        ),
    )
    ctx.add_profiler(
        "call",
        "Plain call (GetUser), floor, main thread",
        lambda: profile_top(
            lambda: async_batch(ctx.runner, lambda: floor.get_user(access))(200), limit=8
        ),
    )
    ctx.closers.extend([ours.close, floor.close, pyc.close])
