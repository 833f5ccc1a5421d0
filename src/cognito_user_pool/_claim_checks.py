"""The claim checks of ``TokenVerifier`` that joserfc's JWT claims registry does, and the one
table that turns joserfc's refusals into the project's errors.

joserfc checks that ``exp``, ``iat``, ``iss`` and ``sub`` are present; that ``exp``, ``iat``
and ``nbf`` are NumericDates; that ``exp`` has not passed and that ``iat`` and ``nbf`` are
not in the future, each beyond the leeway; that ``iss`` is this pool's issuer; and that
``sub`` is a non-empty string. Every time claim, ``auth_time`` included, must also be a
NumericDate a program can use (``_validate.is_numeric_date``: finite, from 1970 to year
9999), so that no claim handed to the caller breaks ``datetime`` or ``int`` later. What is
Cognito's own stays in ``_verify``: ``token_use``, and the audience, found in ``client_id``
in access tokens and in ``aud`` in id tokens.

Imported on the first verification only, so that ``import cognito_user_pool`` does not pull
in joserfc (and cryptography under it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, cast

from joserfc.errors import ClaimError, ExpiredTokenError, InvalidClaimError, MissingClaimError
from joserfc.jwt import JWTClaimsRegistry

from ._errors import (
    MalformedTokenError,
    TokenExpiredError,
    TokenNotYetValidError,
    TokenVerificationError,
    WrongIssuerError,
)
from ._validate import is_numeric_date

__all__ = ["CognitoClaims", "claim_checks"]

# The claims handed to joserfc, in the order it checks them. A token with several faults is
# refused for the first one in this order, whatever the order of its payload. Other claims
# (jti, an access token's aud...) are not handed over: joserfc would check their types, which
# the verifier never did.
_CHECKED = ("exp", "iat", "nbf", "auth_time", "iss", "sub")

# How joserfc's claim errors become the project's, by claim: for a claim that is missing,
# malformed or has the wrong value, and, for the times, a NumericDate outside the window.
_BY_CLAIM: dict[str, tuple[type[TokenVerificationError], str]] = {
    "exp": (MalformedTokenError, "the token has no numeric 'exp' claim"),
    "iat": (MalformedTokenError, "the token has no numeric 'iat' claim"),
    "nbf": (MalformedTokenError, "the token has no numeric 'nbf' claim"),
    "auth_time": (MalformedTokenError, "the token has no numeric 'auth_time' claim"),
    "iss": (WrongIssuerError, "the token was not issued by this user pool"),
    "sub": (MalformedTokenError, "the token has no 'sub' claim"),
}
_BY_TIME: dict[str, tuple[type[TokenVerificationError], str]] = {
    "exp": (TokenExpiredError, "the token has expired"),
    "iat": (TokenNotYetValidError, "the token's iat lies in the future"),
    "nbf": (TokenNotYetValidError, "the token is not valid yet (nbf)"),
}
_UNKNOWN = (MalformedTokenError, "the token's claims are not acceptable")


class CognitoClaims(JWTClaimsRegistry):
    """joserfc's claims registry for the tokens of one pool.

    :param issuer: the ``iss`` every token must carry.
    :param clock: returns the time in epoch seconds.
    :param leeway: seconds of clock skew allowed on ``exp``, ``iat`` and ``nbf``.
    """

    def __init__(self, issuer: str, *, clock: Callable[[], float], leeway: float) -> None:
        # joserfc annotates times as int but compares them as numbers: the clock's fractions
        # of a second are kept, so the leeway boundaries are as exact as the clock.
        super().__init__(
            now=cast("Callable[[], int]", clock),
            leeway=cast("int", leeway),
            exp={"essential": True},
            iat={"essential": True},
            iss={"essential": True, "value": issuer},
            sub={"essential": True},
        )

    def validate_exp(self, value: object) -> None:
        """``exp``: a usable NumericDate, then joserfc's check."""
        _require_numeric_date("exp", value)
        super().validate_exp(value)

    def validate_iat(self, value: object) -> None:
        """``iat``: a usable NumericDate, then joserfc's check."""
        _require_numeric_date("iat", value)
        super().validate_iat(value)

    def validate_nbf(self, value: object) -> None:
        """``nbf``: a usable NumericDate, then joserfc's check."""
        _require_numeric_date("nbf", value)
        super().validate_nbf(value)

    def validate_auth_time(self, value: object) -> None:
        """``auth_time`` (OpenID Connect Core 2): a usable NumericDate when present."""
        _require_numeric_date("auth_time", value)

    def check(self, claims: Mapping[str, Any]) -> None:
        """Check the claims joserfc covers.

        :raises TokenVerificationError: the subclass saying why, for the first fault found.
        """
        # A null claim counts as absent, as it always did (joserfc would check a null nbf).
        present = {name: value for name in _CHECKED if (value := claims.get(name)) is not None}
        try:
            self.validate(present)
        except ClaimError as exc:
            raise _refusal(exc, claims) from exc


class _StrictCognitoClaims(CognitoClaims):
    """``CognitoClaims`` held to joserfc 1.8's rules on older joserfc.

    joserfc before 1.8 (the last releases for Python 3.10) accepts a token at exactly
    ``exp + leeway`` although RFC 7519 4.1.4 refuses it "on or after" ``exp`` (its laxer
    NumericDate test no longer matters: ``CognitoClaims`` checks the type first). Used only
    where joserfc needs it (``claim_checks``); it can go when Python 3.10 does.
    """

    def validate_exp(self, value: object) -> None:
        """``exp``: as in ``CognitoClaims``, and refused from ``exp + leeway`` on."""
        super().validate_exp(value)
        if cast("float", value) <= self.now - self.leeway:
            raise ExpiredTokenError("exp")


def _joserfc_is_strict() -> bool:
    """Whether joserfc itself refuses a token at exactly ``exp + leeway`` and NumericDates
    that are booleans or NaN, as joserfc 1.8 does."""
    probe = JWTClaimsRegistry(now=0)
    for claims in ({"exp": 0}, {"iat": True}, {"nbf": math.nan}):
        try:
            probe.validate(claims)
        except ClaimError:
            continue
        return False
    return True


_CLASS = CognitoClaims if _joserfc_is_strict() else _StrictCognitoClaims


def claim_checks(issuer: str, *, clock: Callable[[], float], leeway: float) -> CognitoClaims:
    """The claims registry for the tokens of one pool, with joserfc 1.8's rules whatever the
    installed joserfc (see ``_StrictCognitoClaims``)."""
    return _CLASS(issuer, clock=clock, leeway=leeway)


def _require_numeric_date(name: str, value: object) -> None:
    if not is_numeric_date(value):
        raise InvalidClaimError(name, f"Claim '{name}' must be a NumericDate value")


def _refusal(exc: ClaimError, claims: Mapping[str, Any]) -> TokenVerificationError:
    """The project's error for a claim joserfc refused: the one place they are translated."""
    # A MissingClaimError names every missing claim, joined by commas: report the first.
    refused = exc.claim.split(",")
    name = next((n for n in _CHECKED if n in refused), "")
    # joserfc refuses a time claim with InvalidClaimError both for its type and for its
    # value; a claim that is a NumericDate was refused for its value.
    timed = _BY_TIME.get(name)
    if timed and not isinstance(exc, MissingClaimError) and is_numeric_date(claims.get(name)):
        cls, message = timed
    else:
        cls, message = _BY_CLAIM.get(name, _UNKNOWN)
    return cls(message)
