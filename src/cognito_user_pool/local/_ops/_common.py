"""What several operations share: parameter and resource lookups, SECRET_HASH, the password
policy, access-token checks and code-delivery details."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState, token_key
from ._registry import Params, Result

__all__ = [
    "MFA_FACTORS",
    "authenticate",
    "check_password",
    "check_secret_hash",
    "delivery",
    "details",
    "find_client",
    "find_pool",
    "find_user",
    "jwt_claims",
    "mask",
    "mfa_setting_list",
    "pool_mfa_factors",
    "require",
    "require_user",
]

# The MFA factors, in the order Cognito lists them in MFAS_CAN_CHOOSE / MFAS_CAN_SETUP (Amplify's
# fixtures of Cognito's answers, aws-amplify/amplify-js
# packages/auth/__tests__/providers/cognito/testUtils/authApiTestParams.ts). The same order is
# used for UserMFASettingList, whose order AWS does not document.
MFA_FACTORS = ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")


def require(params: Params, name: str) -> Any:
    """``params[name]``; missing or empty is AWS's "Missing required parameter"."""
    value = params.get(name)
    if value is None or value == "":
        raise ServiceError("InvalidParameterException", f"Missing required parameter {name}")
    return value


def find_client(client_id: str) -> tuple[mi.MotoPool, mi.MotoClient]:
    """The app client ``client_id`` and its pool, in any pool."""
    for pool in mi.iter_pools():
        client = pool.client(client_id)
        if client is not None:
            return pool, client
    raise ServiceError("ResourceNotFoundException", f"User pool client {client_id} does not exist.")


def find_pool(pool_id: str) -> mi.MotoPool:
    """The pool ``pool_id``, or AWS's ResourceNotFoundException."""
    pool = mi.find_pool(pool_id)
    if pool is None:
        raise ServiceError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
    return pool


def find_user(pool: mi.MotoPool, name: str) -> mi.MotoUser | None:
    """By internal username, then username attribute, then verified alias."""
    user = pool.user_by_username(name)
    if user is not None:
        return user
    username_attrs = pool.config.get("UsernameAttributes") or []
    alias_attrs = pool.config.get("AliasAttributes") or []
    for candidate in pool.users():
        attrs = candidate.attributes
        if any(attrs.get(a) == name for a in username_attrs):
            return candidate
        for alias in alias_attrs:
            verified = alias == "preferred_username" or attrs.get(f"{alias}_verified") == "true"
            if verified and attrs.get(alias) == name:
                return candidate
    return None


def require_user(
    pool: mi.MotoPool, name: str, missing: msg.AwsMessage = msg.USER_NOT_FOUND
) -> mi.MotoUser:
    """:func:`find_user`, or ``missing`` as the error."""
    user = find_user(pool, name)
    if user is None:
        raise missing.error()
    return user


def _secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def check_secret_hash(client: mi.MotoClient, username: str, given: str | None) -> None:
    """A client with a secret needs SECRET_HASH over ``username`` and its id."""
    secret = client.secret
    if secret is None:
        return
    if not given:
        raise msg.SECRET_HASH_MISSING.error(client_id=client.id)
    expected = _secret_hash(secret, username, client.id)
    if not hmac.compare_digest(expected.encode(), str(given).encode()):
        raise msg.SECRET_HASH_WRONG.error(client_id=client.id)


# AWS's special characters; a space counts too unless it leads or trails
# (docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html).
_SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")


def _policy_violation(config: dict[str, Any], password: str) -> msg.PolicyClause | None:
    """The first rule of the pool's password policy that ``password`` breaks, if any.

    A pool created without ``Policies`` gets AWS's default: 8 characters and all four kinds.
    AWS reports one rule at a time; the order here is the API's ``PasswordPolicyType`` order.
    """
    policy = (config.get("Policies") or {}).get("PasswordPolicy") or {}
    inner = password[1:-1]
    rules = (
        (len(password) >= int(policy.get("MinimumLength", 8)), msg.TOO_SHORT),
        (not policy.get("RequireUppercase", True) or _any(password, "A", "Z"), msg.NEEDS_UPPERCASE),
        (not policy.get("RequireLowercase", True) or _any(password, "a", "z"), msg.NEEDS_LOWERCASE),
        (not policy.get("RequireNumbers", True) or _any(password, "0", "9"), msg.NEEDS_NUMBER),
        (
            not policy.get("RequireSymbols", True)
            or any(c in _SYMBOLS for c in password)
            or " " in inner,
            msg.NEEDS_SYMBOL,
        ),
    )
    return next((clause for ok, clause in rules if not ok), None)


def _any(text: str, low: str, high: str) -> bool:
    # Basic Latin only, as AWS documents: "É" is not an uppercase letter to Cognito.
    return any(low <= c <= high for c in text)


def check_password(
    pool: mi.MotoPool, password: str, wording: msg.AwsMessage = msg.PASSWORD_POLICY
) -> None:
    """Apply the pool's password policy with AWS's wording for the operation."""
    clause = _policy_violation(pool.config, str(password))
    if clause is not None:
        raise wording.error(clause=clause.text)


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a JWT we issued, unverified (the token must also be in moto's table,
    which is the check that counts): None for anything that is not a compact JWS of a JSON
    object."""
    try:
        payload = jws.extract_compact(token.encode()).payload
        claims = json.loads(payload)
    except (JoseError, ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None


def authenticate(st: StrictState, token: str | None) -> tuple[mi.MotoPool, mi.MotoUser, Params]:
    """Check an access token the way Cognito's user APIs do
    (docs/cognito-facts.md#sign-out-and-revocation)."""
    if not token:
        raise ServiceError("InvalidParameterException", "Missing required parameter AccessToken")
    claims = jwt_claims(token)
    if token_key(token) in st.revoked_access:
        # A disabled user's tokens were revoked by AdminDisableUser; while the user stays
        # disabled, that is what the refusal says (tests/local/test_tokens.py).
        owner = _token_owner(claims)
        if owner is not None and not owner.enabled:
            raise msg.USER_DISABLED.error()
        raise msg.ACCESS_TOKEN_REVOKED.error()
    if claims is None or claims.get("token_use") != "access":
        raise msg.INVALID_ACCESS_TOKEN.error()
    pool = mi.find_pool(str(claims.get("iss", "")).rsplit("/", 1)[-1])
    if pool is None or not pool.access_token_known(token):
        raise msg.INVALID_ACCESS_TOKEN.error()
    if float(claims.get("exp", 0)) <= st.clock():
        raise msg.ACCESS_TOKEN_EXPIRED.error()
    user = pool.user_by_username(str(claims.get("username", "")))
    if user is None:
        raise msg.USER_NOT_FOUND.error()
    if not user.enabled:
        raise msg.USER_DISABLED.error()
    return pool, user, claims


def _token_owner(claims: Params | None) -> mi.MotoUser | None:
    """The user an access token we issued names, if the pool and user still exist."""
    if claims is None:
        return None
    pool = mi.find_pool(str(claims.get("iss", "")).rsplit("/", 1)[-1])
    return None if pool is None else pool.user_by_username(str(claims.get("username", "")))


def mask(value: str) -> str:
    """Cognito's masked destination: ``a***@e***`` for e-mail, ``+*******1234`` for phones."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(len(value) - 5, 1) + value[-4:]


def delivery(pool: mi.MotoPool, user: mi.MotoUser) -> tuple[str, str] | None:
    """(attribute, destination) for sign-up codes: an auto-verified attribute the user has."""
    auto = pool.config.get("AutoVerifiedAttributes") or []
    attrs = user.attributes
    for name in ("phone_number", "email"):
        if name in auto and attrs.get(name):
            return name, attrs[name]
    return None


def details(attribute: str, destination: str) -> Result:
    """CodeDeliveryDetails for a code sent to ``destination``."""
    return {
        "Destination": mask(destination),
        "DeliveryMedium": "SMS" if attribute == "phone_number" else "EMAIL",
        "AttributeName": attribute,
    }


def mfa_setting_list(st: StrictState, pool: mi.MotoPool, user: mi.MotoUser) -> list[str]:
    """The MFA factors switched on for the user: the ``UserMFASettingList`` of GetUser and
    GetUserAuthFactors ("SMS_MFA, EMAIL_OTP, and SOFTWARE_TOKEN_MFA", API reference)."""
    on = {
        "SMS_MFA": user.sms_mfa_enabled,
        "SOFTWARE_TOKEN_MFA": user.totp_mfa_enabled,
        "EMAIL_OTP": st.user_state(pool, user).email_mfa,
    }
    return [factor for factor in MFA_FACTORS if on[factor]]


def pool_mfa_factors(pool: mi.MotoPool) -> list[str]:
    """The MFA factors the pool offers, as SetUserPoolMfaConfig last set them."""
    on = {
        "SMS_MFA": pool.sms_mfa_configured,
        "SOFTWARE_TOKEN_MFA": pool.totp_mfa_configured,
        "EMAIL_OTP": pool.email_mfa_config is not None,
    }
    return [factor for factor in MFA_FACTORS if on[factor]]
