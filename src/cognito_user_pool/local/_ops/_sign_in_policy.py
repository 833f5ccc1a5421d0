"""The pool's sign-in policy: ``Policies.SignInPolicy.AllowedFirstAuthFactors``, checked on
CreateUserPool and UpdateUserPool (``admin``) before moto stores the settings, and read by
choice-based sign-in (``_user_auth``) and GetUserAuthFactors (``mfa``).

moto keeps ``Policies`` as given, in the pool's settings (``MotoPool.config``), and
UpdateUserPool replaces them all, as AWS's does ("If you don't provide a value for an
attribute, Amazon Cognito sets it to its default value", API_UpdateUserPool); the state file
keeps those settings, so the policy survives a restart with them.
"""

from __future__ import annotations

from typing import Any

from .. import _moto_internals as mi
from .._errors import ServiceError
from ._registry import Params

__all__ = ["FIRST_FACTORS", "allowed_first_factors", "check_policies"]

# API_SignInPolicyType: "Valid Values: PASSWORD | EMAIL_OTP | SMS_OTP | WEB_AUTHN", 1 to 4 of
# them. Newer models also list SOFTWARE_TOKEN, with "SOFTWARE_TOKEN is not currently supported
# as a first auth factor. Do not include this value".
FIRST_FACTORS = ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
DEFAULT_FIRST_FACTORS = ("PASSWORD",)  # "Default: Password only" (CDK SignInPolicy)


def allowed_first_factors(pool: mi.MotoPool) -> tuple[str, ...]:
    """The pool's ``AllowedFirstAuthFactors``, or the default, password only."""
    policy = (pool.config.get("Policies") or {}).get("SignInPolicy") or {}
    factors = policy.get("AllowedFirstAuthFactors")
    return tuple(str(f) for f in factors) if factors else DEFAULT_FIRST_FACTORS


def check_policies(params: Params) -> None:
    """``Policies.SignInPolicy`` as AWS documents it. The rules are documented; the messages
    are local guesses (AWS's texts are not published):

    - each factor one of :data:`FIRST_FACTORS` (SOFTWARE_TOKEN "is not currently supported as a
      first auth factor", API_SignInPolicyType);
    - 1 to 4 factors, none twice;
    - PASSWORD among them: "Whether the password authentication is allowed. This must be
      true." (CDK ``AllowedFirstAuthFactors.password``, which maps onto this list).
    """
    policies = params.get("Policies")
    if not isinstance(policies, dict) or "SignInPolicy" not in policies:
        return
    policy: Any = policies["SignInPolicy"]
    factors = policy.get("AllowedFirstAuthFactors") if isinstance(policy, dict) else None
    if factors is None:
        return
    if not isinstance(factors, list) or not 1 <= len(factors) <= len(FIRST_FACTORS):
        raise ServiceError(
            "InvalidParameterException",
            "AllowedFirstAuthFactors must list 1 to 4 authentication factors.",
        )
    for factor in factors:
        if factor not in FIRST_FACTORS:
            raise ServiceError(
                "InvalidParameterException",
                f"{factor} is not supported as a first authentication factor.",
            )
    if len(set(factors)) != len(factors):
        raise ServiceError(
            "InvalidParameterException", "AllowedFirstAuthFactors lists a factor twice."
        )
    if "PASSWORD" not in factors:
        raise ServiceError(
            "InvalidParameterException", "AllowedFirstAuthFactors must include PASSWORD."
        )
