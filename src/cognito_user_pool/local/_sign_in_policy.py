"""``LocalCognito(first_auth_factors=...)``: the pool's sign-in policy
(``Policies.SignInPolicy.AllowedFirstAuthFactors``, API_SignInPolicyType), checked before
anything starts and written into the CreateUserPool settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._errors import OptionError

__all__ = ["DEFAULT_FIRST_FACTORS", "apply_first_factors", "check_first_factors"]

DEFAULT_FIRST_FACTORS: tuple[str, ...] = ("PASSWORD",)  # AWS's default: password only
_FACTORS = ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")

# AWS's default password policy, which a ``Policies`` without ``PasswordPolicy`` would
# otherwise lose in moto (it replaces its default ``Policies`` whole).
_DEFAULT_PASSWORD_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}


def check_first_factors(factors: Sequence[str] | None) -> tuple[str, ...]:
    """The option as a tuple; each factor one of AWS's four, none twice, PASSWORD among them
    ("This must be true", CDK ``AllowedFirstAuthFactors.password``).

    :raises OptionError: naming ``first_auth_factors``.
    """
    if factors is None:
        return DEFAULT_FIRST_FACTORS
    if isinstance(factors, str):
        factors = [factors]
    chosen = tuple(str(f) for f in factors)
    unknown = [f for f in chosen if f not in _FACTORS]
    if unknown or len(set(chosen)) != len(chosen) or "PASSWORD" not in chosen:
        raise OptionError(
            "first_auth_factors",
            "first_auth_factors lists PASSWORD and any of EMAIL_OTP, SMS_OTP, WEB_AUTHN, once each",
        )
    return chosen


def apply_first_factors(config: dict[str, Any], factors: tuple[str, ...]) -> None:
    """Put the sign-in policy into CreateUserPool settings; the default is left implicit, and a
    ``pool_config`` that sets its own ``SignInPolicy`` wins."""
    if factors == DEFAULT_FIRST_FACTORS:
        return
    policies = dict(config.get("Policies") or {})
    policies.setdefault("PasswordPolicy", dict(_DEFAULT_PASSWORD_POLICY))
    policies.setdefault("SignInPolicy", {"AllowedFirstAuthFactors": list(factors)})
    config["Policies"] = policies
