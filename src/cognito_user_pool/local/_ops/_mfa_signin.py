"""The MFA part of sign-in: which challenge follows a proven password (SMS_MFA,
SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE or MFA_SETUP), and the answer to each.

The challenges, their parameters and their answers' keys are the API reference's
(InitiateAuth / RespondToAuthChallenge, ``ChallengeName`` and ``ChallengeResponses``); a code
sent by SMS or e-mail lands in the outbox, purposes ``sms_mfa`` and ``email_mfa``. Sign-in itself
(InitiateAuth, RespondToAuthChallenge, the password and device challenges) is in ``auth``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pyotp

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from ._challenges import ChallengeAnswer, answers, finish, wrong_answer
from ._common import mask, mfa_setting_list, pool_mfa_factors, require
from ._registry import Result

__all__ = ["check_sent_code", "mfa_challenge"]

# The developer guide's "SMS and email message MFA": "When a user completes their first MFA,
# Amazon Cognito marks their email address or phone number as verified."
_VERIFIES = {"SMS_MFA": "phone_number_verified", "EMAIL_OTP": "email_verified"}

# SELECT_MFA_TYPE's ANSWER -> the challenge it picks. For e-mail the API reference lists
# EMAIL_MFA while Amplify's mapMfaType sends EMAIL_OTP, which works against AWS
# (docs/cognito-facts.md, "Discrepancy"): both are taken.
_SELECT_ANSWERS = {
    "SMS_MFA": "SMS_MFA",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP": "EMAIL_OTP",
    "EMAIL_MFA": "EMAIL_OTP",
}

# The shape of an address given in an MFA_SETUP answer (a local check: AWS's rule is not known).
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+")


def _usable(st: StrictState, pool: mi.MotoPool, user: mi.MotoUser) -> list[str]:
    """The user's factors that can answer now: switched on for the user, offered by the pool,
    and for SMS and e-mail with a phone number / address to send the code to."""
    offered = pool_mfa_factors(pool)
    reach = {"SMS_MFA": "phone_number", "EMAIL_OTP": "email"}
    return [
        factor
        for factor in mfa_setting_list(st, pool, user)
        if factor in offered and (factor not in reach or user.attributes.get(reach[factor]))
    ]


def mfa_challenge(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    device_key: str | None,
) -> Result | None:
    """The MFA challenge that follows a proven password, or None when tokens follow.

    - The preferred factor, or the only one, gets its challenge; several and no preference
      get SELECT_MFA_TYPE listing them ("If multiple options are activated and no preference
      is set, a challenge to choose an MFA option will be returned", SetUserMFAPreference).
    - MFA ``ON`` and no factor: a code to the phone number, else to the e-mail address, when
      the pool offers that factor ("SMS and email message MFA require no additional
      configuration after your user adds an email address or phone number to their profile",
      developer guide); else MFA_SETUP, whose ``MFAS_CAN_SETUP`` lists "the MFA types activated
      for the user pool" (RespondToAuthChallenge reference).
    """
    if pool.mfa_config == "OFF":
        return None
    usable = _usable(st, pool, user)
    if not usable and pool.mfa_config == "ON":
        offered = pool_mfa_factors(pool)
        attrs = user.attributes
        if "SMS_MFA" in offered and attrs.get("phone_number"):
            usable = ["SMS_MFA"]
        elif "EMAIL_OTP" in offered and attrs.get("email"):
            usable = ["EMAIL_OTP"]
        elif offered:
            session = st.new_session(pool, client, user, "MFA_SETUP", device_key=device_key)
            return {
                "ChallengeName": "MFA_SETUP",
                "Session": session.id,
                "ChallengeParameters": {"MFAS_CAN_SETUP": json.dumps(offered)},
            }
    if not usable:
        return None
    if user.preferred_mfa in usable or len(usable) == 1:
        chosen = user.preferred_mfa if user.preferred_mfa in usable else usable[0]
        return _CHALLENGES[chosen](st, pool, client, user, device_key)
    session = st.new_session(
        pool, client, user, "SELECT_MFA_TYPE", device_key=device_key, mfa_choices=tuple(usable)
    )
    return {
        "ChallengeName": "SELECT_MFA_TYPE",
        "Session": session.id,
        "ChallengeParameters": {
            "MFAS_CAN_CHOOSE": json.dumps(usable),
            "USER_ID_FOR_SRP": user.username,
        },
    }


# ---- the challenges -----------------------------------------------------------------------

_Challenge = Callable[[StrictState, mi.MotoPool, mi.MotoClient, mi.MotoUser, str | None], Result]


def _sms_challenge(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    device_key: str | None,
) -> Result:
    phone = user.attributes["phone_number"]
    st.issue_code(pool, user, "sms_mfa", "phone_number", phone)
    session = st.new_session(pool, client, user, "SMS_MFA", device_key=device_key)
    return {
        "ChallengeName": "SMS_MFA",
        "Session": session.id,
        "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
            "CODE_DELIVERY_DESTINATION": mask(phone),
            "USER_ID_FOR_SRP": user.username,
        },
    }


def _totp_challenge(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    device_key: str | None,
) -> Result:
    session = st.new_session(pool, client, user, "SOFTWARE_TOKEN_MFA", device_key=device_key)
    return {
        "ChallengeName": "SOFTWARE_TOKEN_MFA",
        "Session": session.id,
        "ChallengeParameters": {"USER_ID_FOR_SRP": user.username},
    }


def _email_challenge(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    device_key: str | None,
    *,
    setup_address: str | None = None,
) -> Result:
    """EMAIL_OTP: a code to the user's address (or to the one an MFA_SETUP answer gave), with
    ``CODE_DELIVERY_DESTINATION`` "that indicates where the authorization code was sent"
    (developer guide, "SMS and email message MFA") and its medium, as for SMS_MFA (Amplify's
    getSignInResult reads both for EMAIL_OTP)."""
    address = setup_address or user.attributes["email"]
    st.issue_code(pool, user, "email_mfa", "email", address)
    session = st.new_session(
        pool, client, user, "EMAIL_OTP", device_key=device_key, pending_email=setup_address
    )
    return {
        "ChallengeName": "EMAIL_OTP",
        "Session": session.id,
        "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
            "CODE_DELIVERY_DESTINATION": mask(address),
            "USER_ID_FOR_SRP": user.username,
        },
    }


_CHALLENGES: dict[str, _Challenge] = {
    "SMS_MFA": _sms_challenge,
    "SOFTWARE_TOKEN_MFA": _totp_challenge,
    "EMAIL_OTP": _email_challenge,
}


# ---- the answers --------------------------------------------------------------------------


_CODE_KEYS = {
    "sms_mfa": "SMS_MFA_CODE",
    "email_mfa": "EMAIL_OTP_CODE",
    "sms_otp": "SMS_OTP_CODE",  # USER_AUTH's first factors (RespondToAuthChallenge reference)
    "email_otp": "EMAIL_OTP_CODE",
}


def check_sent_code(st: StrictState, a: ChallengeAnswer, purpose: str, attribute: str) -> None:
    """The code sent for this session: wrong ones count against the session; a used,
    superseded or expired one ends it (ExpiredCodeException); the right one ends it too."""
    key = _CODE_KEYS[purpose]
    code = require(a.responses, key)
    try:
        st.check_code(a.pool, a.user, purpose, attribute, code, wrong=msg.WRONG_MFA_CODE)
    except ServiceError as exc:
        if exc.code == "CodeMismatchException":
            raise wrong_answer(st, a.session, exc.message) from None
        st.consume(a.session)
        raise
    st.consume(a.session)


@answers("SMS_MFA")
def _answer_sms(st: StrictState, a: ChallengeAnswer) -> Result:
    check_sent_code(st, a, "sms_mfa", "phone_number")
    a.user.update_attributes({_VERIFIES["SMS_MFA"]: "true"})
    return finish(st, a)


@answers("EMAIL_OTP")
def _answer_email(st: StrictState, a: ChallengeAnswer) -> Result:
    check_sent_code(st, a, "email_mfa", "email")
    if a.session.pending_email is not None:
        # The end of e-mail MFA set-up: the address is the user's, and e-mail MFA is on.
        a.user.update_attributes({"email": a.session.pending_email})
        st.user_state(a.pool, a.user).email_mfa = True
        if not a.user.preferred_mfa:  # as the TOTP set-up below does
            a.user.preferred_mfa = "EMAIL_OTP"
    a.user.update_attributes({_VERIFIES["EMAIL_OTP"]: "true"})
    return finish(st, a)


@answers("SOFTWARE_TOKEN_MFA")
def _answer_totp(st: StrictState, a: ChallengeAnswer) -> Result:
    code = str(require(a.responses, "SOFTWARE_TOKEN_MFA_CODE"))
    secret = st.user_state(a.pool, a.user).totp_secret
    if secret is None or not pyotp.TOTP(secret).verify(code, for_time=st.clock(), valid_window=1):
        raise wrong_answer(st, a.session, "Invalid code received for user")
    st.consume(a.session)
    return finish(st, a)


@answers("SELECT_MFA_TYPE")
def _answer_select_mfa(st: StrictState, a: ChallengeAnswer) -> Result:
    """ANSWER picks one of the session's MFAS_CAN_CHOOSE; its challenge follows."""
    chosen = _SELECT_ANSWERS.get(str(require(a.responses, "ANSWER")))
    if chosen is None or chosen not in a.session.mfa_choices:
        # Local wording (a guess): AWS's text for this is not known.
        raise ServiceError("InvalidParameterException", "Invalid ANSWER for SELECT_MFA_TYPE.")
    st.consume(a.session)
    return _CHALLENGES[chosen](st, a.pool, a.client, a.user, a.session.device_key)


@answers("MFA_SETUP")
def _answer_mfa_setup(st: StrictState, a: ChallengeAnswer) -> Result:
    """MFA_SETUP: ``EMAIL`` (an address) sets up e-mail MFA through an EMAIL_OTP challenge to
    that address, as Amplify's handleMFASetupChallenge sends it (``ChallengeResponses:
    {USERNAME, EMAIL}``; the API reference shows only the TOTP answer); without it, TOTP, whose
    session must come from VerifySoftwareToken (docs/cognito-facts.md#totp-setup)."""
    address = a.responses.get("EMAIL")
    if address:
        return _setup_email(st, a, str(address))
    if not a.session.totp_verified:
        raise ServiceError(
            "InvalidParameterException",
            "Call VerifySoftwareToken with this session before answering MFA_SETUP.",
        )
    st.consume(a.session)
    a.user.totp_mfa_enabled = True
    if not a.user.preferred_mfa:
        a.user.preferred_mfa = "SOFTWARE_TOKEN_MFA"
    return finish(st, a)


def _setup_email(st: StrictState, a: ChallengeAnswer, address: str) -> Result:
    # Local wordings (guesses): AWS's texts for these refusals are not known.
    if "EMAIL_OTP" not in pool_mfa_factors(a.pool):
        raise ServiceError(
            "InvalidParameterException", "Email MFA is not enabled for this user pool."
        )
    if not _EMAIL_SHAPE.fullmatch(address):
        raise ServiceError("InvalidParameterException", "Invalid email address format.")
    st.consume(a.session)
    return _email_challenge(
        st, a.pool, a.client, a.user, a.session.device_key, setup_address=address
    )
