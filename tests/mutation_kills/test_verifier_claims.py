"""The claims checks where the mutation run (``nox -s mutate -- verifier``) found no test:
the probe that tells joserfc 1.8's rules from an older release's, and the stricter claims
class it picks on an older one (joserfc before 1.8, the last releases for Python 3.10), and
the cause a refused time claim carries.

The probe runs once, when ``_claim_checks`` is imported; the run is on Python 3.13, whose
joserfc is 1.8, so neither the probe nor the older release's class is reached by the other
tests there. Here both run at test time against joserfc's time checks as each release
words them: the installed joserfc with its checks replaced, so that the tests read the same
on every Python."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import pytest
from joserfc.errors import ExpiredTokenError, InvalidClaimError
from joserfc.jwt import JWTClaimsRegistry

from cognito_user_pool import MalformedTokenError, TokenExpiredError, TokenVerifier, _claim_checks
from tests.tokens.conftest import (
    NOW,
    Clock,
    claims,
    clock,
    jwks_server,
    make_verifier,
    sign,
    verifier,
)

__all__ = ["clock", "jwks_server", "make_verifier", "verifier"]

pytestmark = pytest.mark.anyio


def _numeric_1_8(value: object) -> bool:
    """joserfc 1.8's NumericDate: a finite number, not a boolean."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _numeric_1_7(value: object) -> bool:
    """joserfc 1.7's: any int or float, True and NaN included."""
    return isinstance(value, (int, float))


def _joserfc(*, strict_exp: bool, strict_types: bool) -> type[JWTClaimsRegistry]:
    """joserfc's claims registry with the time checks of 1.8 (strict) or of 1.7.7 (lax):
    1.7.7 accepts a token at exactly ``exp + leeway``, and booleans and NaN as times."""
    numeric = _numeric_1_8 if strict_types else _numeric_1_7

    class Registry(JWTClaimsRegistry):
        def validate_exp(self, value: object) -> None:
            if not numeric(value):
                raise InvalidClaimError("exp")
            limit = self.now - self.leeway
            if value <= limit if strict_exp else value < limit:  # type: ignore[operator]
                raise ExpiredTokenError("exp")

        def validate_iat(self, value: object) -> None:
            if not numeric(value):
                raise InvalidClaimError("iat")
            if value > self.now + self.leeway:  # type: ignore[operator]
                raise InvalidClaimError("iat")

        def validate_nbf(self, value: object) -> None:
            if not numeric(value):
                raise InvalidClaimError("nbf")
            if value > self.now + self.leeway:  # type: ignore[operator]
                raise InvalidClaimError("nbf")

    return Registry


@pytest.mark.parametrize(
    ("strict_exp", "strict_types", "strict"),
    [
        (True, True, True),
        (False, False, False),
        (False, True, False),
        (True, False, False),
    ],
    ids=["joserfc 1.8", "joserfc 1.7.7", "lax on exp only", "lax on types only"],
)
def test_the_probe_calls_joserfc_strict_only_with_all_of_1_8s_rules(
    monkeypatch: pytest.MonkeyPatch, strict_exp: bool, strict_types: bool, strict: bool
) -> None:
    """The probe says joserfc is strict only when it refuses a token at exactly
    ``exp + leeway`` and refuses booleans and NaN as times; a release lax on any of them
    gets the stricter claims class. (Taking a lax joserfc for a strict one would accept an
    expired token for one instant; the other mistake costs one comparison.)"""
    monkeypatch.setattr(
        _claim_checks,
        "JWTClaimsRegistry",
        _joserfc(strict_exp=strict_exp, strict_types=strict_types),
    )
    assert _claim_checks._joserfc_is_strict() is strict


@pytest.fixture
def joserfc_1_7(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The installed joserfc with 1.7.7's exp check (a token at exactly ``exp + leeway``
    passes), and the claims class the import picks for it."""

    def validate_exp(self: JWTClaimsRegistry, value: object) -> None:
        if not _numeric_1_7(value):
            raise InvalidClaimError("exp")
        if value < self.now - self.leeway:  # type: ignore[operator]
            raise ExpiredTokenError("exp")

    monkeypatch.setattr(JWTClaimsRegistry, "validate_exp", validate_exp)
    # What `_CLASS = ...` does on import, on this joserfc.
    strict = _claim_checks._joserfc_is_strict()
    chosen = _claim_checks.CognitoClaims if strict else _claim_checks._StrictCognitoClaims
    monkeypatch.setattr(_claim_checks, "_CLASS", chosen)
    yield


@pytest.mark.usefixtures("joserfc_1_7")
async def test_on_joserfc_1_7_a_token_is_refused_from_exp_plus_leeway_on(
    make_verifier: Callable[..., TokenVerifier], clock: Clock
) -> None:
    """RFC 7519 refuses a token "on or after" its exp: with joserfc 1.7.7 too, a token is
    accepted until exp + leeway and refused as expired from that very instant. (No cache:
    each call goes through the claims checks.)"""
    verifier = make_verifier(leeway=5, cache_size=0)
    token = sign(claims(exp=NOW, iat=NOW - 60))
    for now in (NOW - 1, NOW + 4.5):
        clock.now = now
        assert (await verifier.verify(token)).expires_at == NOW
    for now in (NOW + 5, NOW + 3600):
        clock.now = now
        with pytest.raises(TokenExpiredError) as info:
            await verifier.verify(token)
        assert (info.value.code, info.value.message) == (
            "CognitoUserPool.TokenExpired",
            "the token has expired",
        )


async def test_a_time_claim_that_is_no_number_says_why_in_the_traceback(
    verifier: TokenVerifier,
) -> None:
    """A refused time claim's cause, which a logged traceback shows under the refusal, says
    what the claim lacks in joserfc's own words for its type checks."""
    with pytest.raises(MalformedTokenError) as info:
        await verifier.verify(sign(claims(auth_time="yesterday")))
    assert info.value.message == "the token has no numeric 'auth_time' claim"
    assert str(info.value.__cause__) == (
        "invalid_claim: Claim 'auth_time' must be a NumericDate value"
    )
