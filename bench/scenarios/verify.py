"""5. Verifying an access token with cached keys: TokenVerifier against pycognito's
``verify_token`` and a bare RSA-SHA256 check with ``cryptography`` (the floor)."""

from __future__ import annotations

import base64

from bench.contenders import PycognitoUser, async_batch, sync_batch
from bench.measure import Variant, paired_ratio, profile_top, run_rounds
from bench.scenarios._base import Context, Target, find_rows, row, scenario
from bench.stub_state import CLIENT_ID, POOL_ID

__all__ = ["verification"]


def _targets(ctx: Context) -> list[Target]:
    verify = find_rows(ctx, "5.")
    first = row(verify, "TokenVerifier.verify_sync (first)")
    repeat = row(verify, "TokenVerifier.verify_sync (repeat)")
    pyc = row(verify, "pycognito verify_token")
    if first and repeat and pyc:
        per_core = 1e6 / first.cpu_us_per_op
        repeat_per_core = 1e6 / repeat.cpu_us_per_op
        ratio = paired_ratio(pyc, first)
        return [
            Target(
                "First verification of a token, per second per core",
                "≥ 20,000",
                f"{per_core:,.0f}",
                per_core >= 20_000,
                "verify",
            ),
            Target(
                "Repeat verification of a token, per second per core",
                "≥ 300,000",
                f"{repeat_per_core:,.0f}",
                repeat_per_core >= 300_000,
                "verify",
            ),
            Target(
                "First verification vs pycognito",
                "≥ 2.5x",
                f"{ratio:.2f}x",
                ratio >= 2.5,
                "verify",
            ),
        ]
    if verify is not None:
        return [Target("Token verification", "≥ 20,000/s", "TokenVerifier not available yet", None)]
    return []


def _b64_int(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


@scenario("verify", order=5, targets=_targets)
def verification(ctx: Context) -> None:
    """Verifying an access token: TokenVerifier vs pycognito vs a bare RSA check."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    import cognito_user_pool as cup

    name = "5. Token verification (access token, keys cached)"
    access = ctx.tokens["AccessToken"]
    variants: list[Variant] = []
    token_verifier = getattr(cup, "TokenVerifier", None)
    if token_verifier is None:
        ctx.note(name, "TokenVerifier: not available yet.")
    else:
        # First verifications: a verifier that remembers nothing (cache_size=0) makes the
        # whole check (signature, claims) every time, as for each new token. Repeat ones: the
        # default verifier, which has seen this token (keyed by its hash).
        fresh = token_verifier(POOL_ID, CLIENT_ID, endpoint_url=ctx.urls[0], cache_size=0)
        fresh.prefetch_sync()
        verifier = token_verifier(POOL_ID, CLIENT_ID, endpoint_url=ctx.urls[0])
        verifier.prefetch_sync()
        verifier.verify_sync(access)
        variants.append(
            Variant(
                "TokenVerifier.verify_sync (first)",
                sync_batch(lambda: fresh.verify_sync(access)),
                "the whole check",
            )
        )
        variants.append(
            Variant(
                "TokenVerifier.verify_sync (repeat)",
                sync_batch(lambda: verifier.verify_sync(access)),
                "remembered by hash",
            )
        )
        variants.append(
            Variant(
                "TokenVerifier.verify (async, repeat)",
                async_batch(ctx.runner, lambda: verifier.verify(access)),
            )
        )
        ctx.add_profiler(
            "verify",
            "TokenVerifier.verify_sync (first)",
            lambda: profile_top(
                lambda: sync_batch(lambda: fresh.verify_sync(access))(2000), limit=14
            ),
        )
    pyc = PycognitoUser(ctx.urls[0], ctx.tokens["Jwks"])
    variants.append(
        Variant(
            "pycognito verify_token",
            sync_batch(lambda: pyc.cognito.verify_token(access, "access_token", "access")),
        )
    )
    jwk = ctx.tokens["Jwks"]["keys"][0]
    public = rsa.RSAPublicNumbers(_b64_int(jwk["e"]), _b64_int(jwk["n"])).public_key()
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
    ctx.closers.append(pyc.close)
