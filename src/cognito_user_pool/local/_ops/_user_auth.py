"""Choice-based sign-in: ``AuthFlow=USER_AUTH`` in (Admin)InitiateAuth, its SELECT_CHALLENGE,
the EMAIL_OTP / SMS_OTP first factors, and sign-in with the Session of ConfirmSignUp.

What AWS documents (InitiateAuth, RespondToAuthChallenge and ChallengeResponseType references;
developer guide, "Manage authentication methods in AWS SDKs"):

- ``AuthParameters``: ``USERNAME`` (required), ``PREFERRED_CHALLENGE``, ``SECRET_HASH``. "If you
  don't provide a value for PREFERRED_CHALLENGE, Amazon Cognito responds with the
  AvailableChallenges parameter"; the choice-based challenge "either verifies that the
  requested option is available or provides a list of available options" (developer guide).
- SELECT_CHALLENGE is answered with ``ANSWER``, "one of the challenge types in the
  AvailableChallenges response parameter"; PASSWORD (with ``PASSWORD``) and PASSWORD_SRP (with
  ``SRP_A``) complete in that same answer, EMAIL_OTP and SMS_OTP send a code "for the user to
  submit in the next challenge response" (``EMAIL_OTP_CODE`` / ``SMS_OTP_CODE``).
- The first factors a pool allows are its ``SignInPolicy.AllowedFirstAuthFactors``
  (``_sign_in_policy``).
- InitiateAuth's ``Session`` "from a ConfirmSignUp API request": "Amazon Cognito assumes the SMS
  or email message one-time verification password from ConfirmSignUp as the primary
  authentication factor ... only valid for users who have confirmed their sign-up and are
  signing in for the first time within the authentication flow session duration".

Codes go to the outbox with purposes ``email_otp`` and ``sms_otp``.

WEB_AUTHN (a passkey, registered with ``passkeys``): the challenge carries
``CREDENTIAL_REQUEST_OPTIONS``, a CredentialRequestOptions JSON object as text, and is answered
with ``CREDENTIAL``, an AuthenticationResponseJSON as text (ChallengeResponseType; Amplify's
``handleWebAuthnSignInResult`` reads and sends the same); py_webauthn verifies it
(``_web_authn``). Any answer spends the session.
"""

from __future__ import annotations

import math

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from ._challenges import ChallengeAnswer, answers, finish
from ._common import check_secret_hash, find_user, mask, mfa_setting_list, require, require_user
from ._mfa_signin import check_sent_code
from ._registry import Params, Result
from ._sign_in_policy import allowed_first_factors
from ._web_authn import request_options, usable_passkeys, user_handle, verify_assertion
from .auth import FLOWS, _password_auth, _srp_start
from .tokens import issue_tokens

__all__ = ["SIGN_IN_AFTER_SIGN_UP", "available_challenges", "sign_up_session"]

# The order of the RespondToAuthChallenge reference: "Available challenges are PASSWORD,
# PASSWORD_SRP, EMAIL_OTP, SMS_OTP, and WEB_AUTHN." AWS's own order in AvailableChallenges is
# not documented; this one is a guess.
CHOICES = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")

# The internal challenge of a ConfirmSignUp session: never sent as a ChallengeName.
SIGN_IN_AFTER_SIGN_UP = "SIGN_IN_AFTER_SIGN_UP"

# One-time-password first factors: (attribute, outbox purpose, delivery medium).
_OTP = {
    "EMAIL_OTP": ("email", "email_otp", "EMAIL"),
    "SMS_OTP": ("phone_number", "sms_otp", "SMS"),
}


def available_challenges(st: StrictState, pool: mi.MotoPool, user: mi.MotoUser) -> list[str]:
    """What this user can choose now, in :data:`CHOICES` order.

    - PASSWORD and PASSWORD_SRP: the pool allows PASSWORD and the user has a password.
    - EMAIL_OTP / SMS_OTP: the pool allows it, the user is confirmed with a *verified* address
      / phone number, and MFA plays no part: "Amazon Cognito does not support enabling both MFA
      and passwordless sign-in ... If a user has MFA configured, passwordless sign-in options
      will not be available" (Amplify's "Passwordless" page, citing the developer guide's MFA
      prerequisites), read here as: no MFA factor on for the user and the pool's MFA not ON.
    - WEB_AUTHN: the pool allows it, MFA plays no part (as for the one-time passwords: passkey
      sign-in is available when MFA is required only with passkey MFA, WebAuthnMfaSettingsType,
      which this server does not have), and the user has a passkey for the pool's relying
      party.
    """
    allowed = allowed_first_factors(pool)
    has_password = "PASSWORD" in allowed and st.verifier(pool, user) is not None
    passwordless = (
        user.status == "CONFIRMED"
        and pool.mfa_config != "ON"
        and not mfa_setting_list(st, pool, user)
    )
    attrs = user.attributes

    def reachable(factor: str) -> bool:
        attribute = _OTP[factor][0]
        verified = attrs.get(f"{attribute}_verified") == "true"
        return passwordless and factor in allowed and bool(attrs.get(attribute)) and verified

    have = {
        "PASSWORD": has_password,
        "PASSWORD_SRP": has_password,
        "EMAIL_OTP": reachable("EMAIL_OTP"),
        "SMS_OTP": reachable("SMS_OTP"),
        "WEB_AUTHN": passwordless
        and "WEB_AUTHN" in allowed
        and bool(usable_passkeys(st, pool, user)),
    }
    return [choice for choice in CHOICES if have[choice]]


def sign_up_session(
    st: StrictState, pool: mi.MotoPool, client: mi.MotoClient, user: mi.MotoUser
) -> str:
    """The ``Session`` ConfirmSignUp returns: one sign-in of this user through this client,
    within the client's AuthSessionValidity (3 minutes by default)."""
    return st.new_session(pool, client, user, SIGN_IN_AFTER_SIGN_UP).id


# ---- InitiateAuth USER_AUTH -----------------------------------------------------------------


def _start(
    st: StrictState, pool: mi.MotoPool, client: mi.MotoClient, auth: Params, request: Params
) -> Result:
    """InitiateAuth / AdminInitiateAuth with ``AuthFlow=USER_AUTH`` (the client's
    ALLOW_USER_AUTH was checked by ``auth``)."""
    username = str(require(auth, "USERNAME"))
    check_secret_hash(client, username, auth.get("SECRET_HASH"))
    session_id = request.get("Session")
    if session_id:
        return _after_sign_up(st, pool, client, username, str(session_id))
    preferred = auth.get("PREFERRED_CHALLENGE")
    if preferred is not None and preferred not in CHOICES:
        # A local wording (a guess): AWS's text for this refusal is not published.
        raise ServiceError(
            "InvalidParameterException", f"{preferred} is not a valid PREFERRED_CHALLENGE."
        )
    user = require_user(pool, username)
    if not user.enabled:
        raise msg.USER_DISABLED.error()
    if user.status == "RESET_REQUIRED":
        raise msg.PASSWORD_RESET_REQUIRED.error()
    if user.status == "UNCONFIRMED" and preferred not in ("PASSWORD", "PASSWORD_SRP"):
        # The password choices refuse it after the password is proven, as the password flows
        # do; without a password to prove, at once (a guess: AWS does not document the order).
        raise msg.USER_NOT_CONFIRMED.error()
    available = available_challenges(st, pool, user)
    device_key = auth.get("DEVICE_KEY")
    if preferred in available:
        return _begin(st, pool, client, user, str(preferred), auth)
    # No preference, or one this user cannot use (not allowed by the pool, no verified
    # address, MFA on, no passkey): the list to choose from. The developer guide's "verifies
    # that the requested option is available or provides a list of available options" read
    # as a fallback; AWS may refuse such a preference instead (not documented).
    session = st.new_session(
        pool, client, user, "SELECT_CHALLENGE", available=tuple(available), device_key=device_key
    )
    return {
        "ChallengeName": "SELECT_CHALLENGE",
        "Session": session.id,
        "ChallengeParameters": {},
        "AvailableChallenges": available,
    }


FLOWS["USER_AUTH"] = _start


def _begin(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    choice: str,
    params: Params,
) -> Result:
    """The chosen first factor, with the parameters that came with the choice (InitiateAuth's
    AuthParameters or the SELECT_CHALLENGE answer's ChallengeResponses)."""
    if choice == "PASSWORD":
        # As USER_PASSWORD_AUTH: tokens, or NEW_PASSWORD_REQUIRED, a device or MFA challenge.
        return _password_auth(st, pool, client, params)
    if choice == "PASSWORD_SRP":
        # As USER_SRP_AUTH: PASSWORD_VERIFIER, answered by ``auth``.
        return _srp_start(st, pool, client, params)
    if choice == "WEB_AUTHN":
        return _passkey_challenge(st, pool, client, user, params.get("DEVICE_KEY"))
    return _send_code(st, pool, client, user, choice, params.get("DEVICE_KEY"))


def _send_code(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    challenge: str,
    device_key: str | None,
) -> Result:
    """EMAIL_OTP / SMS_OTP as a first factor: a code to the verified address or number, and
    the challenge with CODE_DELIVERY_DELIVERY_MEDIUM and CODE_DELIVERY_DESTINATION (the
    parameters of AWS's answer in aws-amplify/amplify-ui's e2e fixture
    ``initiate-auth-email-otp.json``)."""
    attribute, purpose, medium = _OTP[challenge]
    destination = user.attributes[attribute]
    st.issue_code(pool, user, purpose, attribute, destination)
    session = st.new_session(
        pool, client, user, challenge, device_key=device_key, first_factor=True
    )
    return {
        "ChallengeName": challenge,
        "Session": session.id,
        "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": medium,
            "CODE_DELIVERY_DESTINATION": mask(destination),
        },
    }


def _passkey_challenge(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    device_key: str | None,
) -> Result:
    """WEB_AUTHN: request options for the user's passkeys, with a fresh challenge bound to
    the new session (and as long-lived as it)."""
    session = st.new_session(
        pool, client, user, "WEB_AUTHN", device_key=device_key, first_factor=True
    )
    options, challenge = request_options(
        st.web_authn_settings(pool.id),
        usable_passkeys(st, pool, user),
        timeout_seconds=max(math.ceil(session.expires_at - st.clock()), 1),
    )
    session.web_authn_challenge = challenge
    return {
        "ChallengeName": "WEB_AUTHN",
        "Session": session.id,
        "ChallengeParameters": {"CREDENTIAL_REQUEST_OPTIONS": options},
    }


def _after_sign_up(
    st: StrictState, pool: mi.MotoPool, client: mi.MotoClient, username: str, session_id: str
) -> Result:
    """Sign-in with ConfirmSignUp's Session: tokens at once, once. A used session is
    SESSION_USED, a late one SESSION_EXPIRED, another client's or user's SESSION_INVALID.

    No MFA follows: "The first time that a new user signs in to your app, Amazon Cognito issues
    OAuth 2.0 tokens, even if your user pool requires MFA. The second authentication factor
    when your user signs in for the first time is their confirmation of the verification
    message" (developer guide, "Adding MFA to a user pool").
    """
    session = st.take_session(session_id, client.id)
    user = find_user(pool, username)
    if (
        session.challenge != SIGN_IN_AFTER_SIGN_UP
        or user is None
        or user.username != session.username
    ):
        raise msg.SESSION_INVALID.error()
    st.consume(session)
    return issue_tokens(st, pool, client, user, new_device=True)  # refuses a disabled user


# ---- RespondToAuthChallenge ------------------------------------------------------------------


@answers("SELECT_CHALLENGE")
def _answer_select(st: StrictState, a: ChallengeAnswer) -> Result:
    """ANSWER: one of the session's AvailableChallenges, with what that choice needs."""
    choice = str(require(a.responses, "ANSWER"))
    if choice not in a.session.available:
        # A local wording (a guess): AWS's text for this refusal is not published. The
        # session stays usable for a valid choice.
        raise ServiceError("InvalidParameterException", f"{choice} is not an available challenge.")
    needs = {"PASSWORD": "PASSWORD", "PASSWORD_SRP": "SRP_A"}.get(choice)
    if needs is not None:
        require(a.responses, needs)
    st.consume(a.session)
    params = dict(a.responses)
    if a.session.device_key and not params.get("DEVICE_KEY"):
        params["DEVICE_KEY"] = a.session.device_key
    return _begin(st, a.pool, a.client, a.user, choice, params)


@answers("USER_AUTH:EMAIL_OTP")
def _answer_email_otp(st: StrictState, a: ChallengeAnswer) -> Result:
    """EMAIL_OTP_CODE: the code sent; wrong ones count against the session
    (``_challenges.MAX_CODE_ATTEMPTS``), a used or expired one is ExpiredCodeException. Tokens
    follow, with no MFA (see :func:`available_challenges`)."""
    check_sent_code(st, a, "email_otp", "email")
    return finish(st, a)


@answers("USER_AUTH:SMS_OTP")
def _answer_sms_otp(st: StrictState, a: ChallengeAnswer) -> Result:
    """SMS_OTP_CODE, as EMAIL_OTP_CODE."""
    check_sent_code(st, a, "sms_otp", "phone_number")
    return finish(st, a)


@answers("USER_AUTH:WEB_AUTHN")
def _answer_web_authn(st: StrictState, a: ChallengeAnswer) -> Result:
    """CREDENTIAL: the passkey's assertion over the session's challenge, verified against the
    user's passkey (its counter moves on). Right or wrong, the session is spent: a replayed
    answer meets "session can only be used once". Tokens follow, with no MFA."""
    credential = require(a.responses, "CREDENTIAL")
    st.consume(a.session)
    challenge = a.session.web_authn_challenge
    if challenge is None:  # pragma: no cover - every WEB_AUTHN session gets one
        raise msg.SESSION_INVALID.error()
    verify_assertion(
        credential,
        challenge,
        st.web_authn_settings(a.pool.id),
        usable_passkeys(st, a.pool, a.user),
        user_handle(a.user),
    )
    return finish(st, a)
