"""MFA set-up and settings: AssociateSoftwareToken, VerifySoftwareToken (with an access token
or an MFA_SETUP session), SetUserMFAPreference, SetUserSettings. The MFA challenges at sign-in
are in ``auth``."""

from __future__ import annotations

from typing import Any

import pyotp

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import Session, StrictState
from ._common import authenticate, find_pool, require
from ._registry import Params, Result, operation

__all__ = [
    "associate_software_token",
    "set_user_mfa_preference",
    "set_user_settings",
    "verify_software_token",
]


def _token_or_session(
    st: StrictState, params: Params
) -> tuple[mi.MotoPool, mi.MotoUser, Session | None]:
    token, session_id = params.get("AccessToken"), params.get("Session")
    if bool(token) == bool(session_id):
        raise ServiceError(
            "InvalidParameterException", "Provide exactly one of AccessToken or Session."
        )
    if token:
        pool, user, _ = authenticate(st, token)
        return pool, user, None
    if session_id in st.used_sessions:
        raise msg.SESSION_USED.error()
    session = st.sessions.get(str(session_id))
    if session is None or session.expires_at <= st.clock() or session.challenge != "MFA_SETUP":
        raise msg.SESSION_EXPIRED.error()
    session_pool = find_pool(session.pool_id)
    session_user = session_pool.user_by_username(session.username)
    if session_user is None:
        raise ServiceError("UserNotFoundException", "User does not exist.")
    return session_pool, session_user, session


def _renew(st: StrictState, session: Session, **changes: Any) -> Session:
    """Replace an MFA_SETUP session by a fresh one: each call returns a new Session
    (docs/cognito-facts.md#totp-setup)."""
    st.consume(session)
    pool = find_pool(session.pool_id)
    client = pool.client(session.client_id)
    user = pool.user_by_username(session.username)
    if client is None or user is None:  # pragma: no cover - deleted mid-flow
        raise msg.SESSION_EXPIRED.error()
    new = st.new_session(pool, client, user, "MFA_SETUP", device_key=session.device_key)
    new.pending_totp = changes.get("pending_totp", session.pending_totp)
    new.totp_verified = changes.get("totp_verified", session.totp_verified)
    return new


@operation("AssociateSoftwareToken")
def associate_software_token(st: StrictState, params: Params) -> Result:
    """AssociateSoftwareToken: a fresh random secret per user (AccessToken or Session)."""
    pool, user, session = _token_or_session(st, params)
    secret = pyotp.random_base32()
    st.user_state(pool, user).totp_pending = secret
    if session is None:
        return {"SecretCode": secret}
    return {"SecretCode": secret, "Session": _renew(st, session, pending_totp=secret).id}


@operation("VerifySoftwareToken")
def verify_software_token(st: StrictState, params: Params) -> Result:
    """VerifySoftwareToken: the code must match the secret AssociateSoftwareToken gave."""
    pool, user, session = _token_or_session(st, params)
    code = str(require(params, "UserCode"))
    state = st.user_state(pool, user)
    secret = state.totp_pending
    if secret is None:
        raise ServiceError("SoftwareTokenMFANotFoundException", "Software Token MFA Not Found.")
    if not pyotp.TOTP(secret).verify(code, for_time=st.clock(), valid_window=1):
        raise msg.TOTP_ENABLE_MISMATCH.error()
    state.totp_secret = secret
    state.totp_pending = None
    user.totp_verified = True
    if session is None:
        return {"Status": "SUCCESS"}
    return {"Status": "SUCCESS", "Session": _renew(st, session, totp_verified=True).id}


@operation("SetUserMFAPreference")
def set_user_mfa_preference(st: StrictState, params: Params) -> Result:
    """SetUserMFAPreference (SMS and TOTP)."""
    _, user, _ = authenticate(st, params.get("AccessToken"))
    totp = params.get("SoftwareTokenMfaSettings")
    sms = params.get("SMSMfaSettings")
    if totp:
        if totp.get("Enabled") and not user.totp_verified:
            raise ServiceError(
                "InvalidParameterException", "User has not verified software token mfa"
            )
        user.totp_mfa_enabled = bool(totp.get("Enabled"))
    if sms:
        if sms.get("Enabled") and not user.attributes.get("phone_number"):
            raise ServiceError(
                "InvalidParameterException",
                "User does not have delivery config set to turn on SMS_MFA",
            )
        user.sms_mfa_enabled = bool(sms.get("Enabled"))
    for settings, name in ((totp, "SOFTWARE_TOKEN_MFA"), (sms, "SMS_MFA")):
        if settings and settings.get("PreferredMfa"):
            user.preferred_mfa = name
        elif settings and user.preferred_mfa == name:
            # PreferredMfa false (or disabling the factor) drops the preference.
            user.preferred_mfa = ""
    return {}


@operation("SetUserSettings")
def set_user_settings(st: StrictState, params: Params) -> Result:
    """SetUserSettings (legacy): MFAOptions of SMS on phone_number switch SMS MFA on."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    options = params.get("MFAOptions")
    if options is None:
        raise ServiceError("InvalidParameterException", "Missing required parameter MFAOptions")
    for option in options:
        if option.get("DeliveryMedium") != "SMS" or option.get("AttributeName") != "phone_number":
            raise ServiceError(
                "InvalidParameterException",
                "Only SMS on phone_number is supported for MFAOptions.",
            )
    if options and not user.attributes.get("phone_number"):
        raise ServiceError(
            "InvalidParameterException",
            "User does not have delivery config set to turn on SMS_MFA",
        )
    st.user_state(pool, user).mfa_options = [dict(o) for o in options]
    user.sms_mfa_enabled = bool(options)
    return {}
