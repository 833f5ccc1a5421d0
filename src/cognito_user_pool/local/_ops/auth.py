"""Sign-in: InitiateAuth and AdminInitiateAuth (SRP, password, refresh), and
(Admin)RespondToAuthChallenge with one answer per challenge.

Each challenge session is single use, bound to its client and user, and expires
(docs/cognito-facts.md#challenge-sessions). Every answer is registered by its challenge name
with ``@answers`` (``_challenges``), the way operations are registered by their AWS name: the
password, device and new-password answers here, the MFA ones in ``_mfa_signin``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime, timezone

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._srp_server import InvalidTimestampError, N, PasswordVerifier, SrpChallenge
from .._state import Session, StrictState, srp_group
from ._challenges import ANSWERS, ChallengeAnswer, answers
from ._common import (
    check_password,
    check_secret_hash,
    find_client,
    find_pool,
    find_user,
    require,
    require_user,
)
from ._mfa_signin import mfa_challenge
from ._registry import Params, Result, operation
from .tokens import issue_tokens, refresh_owner, rotation_grace

__all__ = ["FLOWS", "GHOST", "admin_initiate_auth", "initiate_auth", "respond_to_auth_challenge"]

# Flows answered in other modules, filled there (USER_AUTH: ``_user_auth``), the way ``@answers``
# fills the challenge answers: (state, pool, client, AuthParameters, request) -> result.
FlowStart = Callable[[StrictState, mi.MotoPool, mi.MotoClient, Params, Params], Result]
FLOWS: dict[str, FlowStart] = {}
# The answer to a CUSTOM_AUTH challenge of a user that does not exist, filled by
# ``_custom_auth`` (there is no user to build a ChallengeAnswer with).
GhostAnswer = Callable[[StrictState, mi.MotoPool, mi.MotoClient, Session, Params], Result]
GHOST: list[GhostAnswer] = []


# ---- InitiateAuth -----------------------------------------------------------------------


@operation("InitiateAuth")
def initiate_auth(st: StrictState, params: Params) -> Result:
    """InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN(_AUTH)."""
    return _initiate(st, params, admin_pool=None)


@operation("AdminInitiateAuth")
def admin_initiate_auth(st: StrictState, params: Params) -> Result:
    """AdminInitiateAuth: the same flows, through our checks."""
    pool = find_pool(require(params, "UserPoolId"))
    return _initiate(st, params, admin_pool=pool)


def _initiate(st: StrictState, params: Params, *, admin_pool: mi.MotoPool | None) -> Result:
    client_id = require(params, "ClientId")
    pool, client = find_client(client_id)
    if admin_pool is not None and admin_pool.id != pool.id:
        raise ServiceError(
            "ResourceNotFoundException", f"User pool client {client_id} does not exist."
        )
    flow = require(params, "AuthFlow")
    auth = params.get("AuthParameters") or {}
    user_flows = {"USER_SRP_AUTH", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}
    admin_flows = {"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "USER_SRP_AUTH"}
    admin_flows |= {"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}
    if flow not in (admin_flows if admin_pool is not None else user_flows) and flow not in FLOWS:
        raise ServiceError("InvalidParameterException", "Initiate Auth method not supported.")
    _check_client_flow(client, flow)
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN") and rotation_grace(client) is not None:
        # "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token
        # rotation enabled" (AWS developer guide, "Refresh tokens"). AWS does not publish the
        # refusal's words; this is the refusal of a flow the client does not allow, since
        # AWS asks for ALLOW_REFRESH_TOKEN_AUTH to be off on such clients
        # (aws-amplify/amplify-android#3113): a guess.
        raise msg.FLOW_NOT_ENABLED.error(flow=flow)
    if flow in FLOWS:
        return FLOWS[flow](st, pool, client, auth, params)
    if flow == "USER_SRP_AUTH":
        return _srp_start(st, pool, client, auth)
    if flow in ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
        return _password_auth(st, pool, client, auth)
    return _refresh(st, pool, client, auth)


def _check_client_flow(client: mi.MotoClient, flow: str) -> None:
    flows = client.config.get("ExplicitAuthFlows") or [
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_CUSTOM_AUTH",
    ]
    allowed = {f if f.startswith("ALLOW_") else f"ALLOW_{f}" for f in flows}
    if "ALLOW_ADMIN_NO_SRP_AUTH" in allowed:
        allowed.add("ALLOW_ADMIN_USER_PASSWORD_AUTH")
    wanted = {
        "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
        "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    }.get(flow, f"ALLOW_{flow}")
    if wanted not in allowed:
        if wanted == "ALLOW_ADMIN_USER_PASSWORD_AUTH":
            # AdminInitiateAuth reference: the password flow needs ALLOW_ADMIN_USER_PASSWORD_AUTH.
            raise msg.ADMIN_FLOW_NOT_ENABLED.error()
        raise msg.FLOW_NOT_ENABLED.error(flow=flow)


def _gate_first_factor(user: mi.MotoUser) -> None:
    if not user.enabled:
        raise msg.USER_DISABLED.error()
    if user.status == "RESET_REQUIRED":
        raise msg.PASSWORD_RESET_REQUIRED.error()


def _srp_start(st: StrictState, pool: mi.MotoPool, client: mi.MotoClient, params: Params) -> Result:
    username = require(params, "USERNAME")
    srp_a = str(require(params, "SRP_A"))
    check_secret_hash(client, username, params.get("SECRET_HASH"))
    try:
        big_a = int(srp_a, 16)
    except ValueError:
        raise ServiceError("InvalidParameterException", "SRP_A is not hexadecimal") from None
    if big_a % N == 0:
        raise ServiceError("InvalidParameterException", "SRP_A mod N cannot be 0")
    user = require_user(pool, username)
    _gate_first_factor(user)
    group = srp_group(pool)
    # No password yet: a verifier of a random one, so that nothing can match.
    verifier = st.verifier(pool, user) or PasswordVerifier.create(
        group, user.username, secrets.token_hex(32)
    )
    challenge = verifier.challenge(group, user.username)
    session = st.new_session(
        pool,
        client,
        user,
        "PASSWORD_VERIFIER",
        srp=challenge,
        srp_a=srp_a,
        device_key=params.get("DEVICE_KEY"),
    )
    return {
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": session.id,
        "ChallengeParameters": {
            "SALT": challenge.salt_hex,
            "SRP_B": challenge.srp_b_hex,
            "SECRET_BLOCK": challenge.secret_block_b64,
            "USERNAME": user.username,
            "USER_ID_FOR_SRP": user.username,
        },
    }


def _password_auth(
    st: StrictState, pool: mi.MotoPool, client: mi.MotoClient, params: Params
) -> Result:
    username = require(params, "USERNAME")
    password = require(params, "PASSWORD")
    check_secret_hash(client, username, params.get("SECRET_HASH"))
    user = require_user(pool, username)
    _gate_first_factor(user)
    if not st.password_matches(pool, user, password):
        raise msg.INCORRECT_CREDENTIALS.error()
    return _after_password(st, pool, client, user, params.get("DEVICE_KEY"))


def _refresh(st: StrictState, pool: mi.MotoPool, client: mi.MotoClient, params: Params) -> Result:
    token = require(params, "REFRESH_TOKEN")
    # The SECRET_HASH of a refresh is over the internal username
    # (docs/cognito-facts.md#secret-hash).
    user, origin_jti = refresh_owner(
        st,
        pool,
        client,
        token,
        lambda owner: check_secret_hash(client, owner.username, params.get("SECRET_HASH")),
    )
    device_key = params.get("DEVICE_KEY")
    return issue_tokens(st, pool, client, user, refresh=(token, origin_jti), device_key=device_key)


# ---- what follows a proven password -------------------------------------------------------


def _after_password(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    device_key: str | None,
    *,
    device_done: bool = False,
) -> Result:
    """What follows a proven password: NEW_PASSWORD_REQUIRED, device, MFA, or tokens."""
    if user.status == "UNCONFIRMED":
        raise msg.USER_NOT_CONFIRMED.error()
    if user.status == "FORCE_CHANGE_PASSWORD":
        attrs = {k: v for k, v in user.attributes.items() if k != "sub"}
        session = st.new_session(pool, client, user, "NEW_PASSWORD_REQUIRED", device_key=device_key)
        return {
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": session.id,
            "ChallengeParameters": {
                "USER_ID_FOR_SRP": user.username,
                "requiredAttributes": "[]",
                "userAttributes": json.dumps(attrs),
            },
        }
    remembered = False
    if device_key and pool.config.get("DeviceConfiguration") and not device_done:
        device = st.user_state(pool, user).devices.get(device_key)
        if device is None:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        session = st.new_session(
            pool,
            client,
            user,
            "DEVICE_SRP_AUTH",
            device_key=device_key,
            device_remembered=device.remembered,
        )
        return {
            "ChallengeName": "DEVICE_SRP_AUTH",
            "Session": session.id,
            "ChallengeParameters": {"USERNAME": user.username},
        }
    if device_done and device_key:
        device = st.user_state(pool, user).devices.get(device_key)
        remembered = device is not None and device.remembered
    if not remembered:
        challenge = mfa_challenge(st, pool, client, user, device_key)
        if challenge is not None:
            return challenge
    return issue_tokens(
        st,
        pool,
        client,
        user,
        device_key=device_key if device_done else None,
        new_device=not device_done,
    )


# ---- RespondToAuthChallenge ------------------------------------------------------------------


@operation("RespondToAuthChallenge", "AdminRespondToAuthChallenge")
def respond_to_auth_challenge(st: StrictState, params: Params) -> Result:
    """(Admin)RespondToAuthChallenge: single-use sessions, SECRET_HASH, real checks."""
    client_id = require(params, "ClientId")
    pool, client = find_client(client_id)
    if params.get("UserPoolId") and params["UserPoolId"] != pool.id:
        raise ServiceError(
            "ResourceNotFoundException", f"User pool client {client_id} does not exist."
        )
    name = require(params, "ChallengeName")
    responses: Params = params.get("ChallengeResponses") or {}
    session_id = params.get("Session")
    if not session_id and name == "PASSWORD_VERIFIER":
        block = str(require(responses, "PASSWORD_CLAIM_SECRET_BLOCK"))
        session_id = st.session_by_block(block)
    session = st.take_session(session_id, client.id)
    if name != session.challenge:
        raise ServiceError(
            "InvalidParameterException", f"Invalid challenge name {name} for this session."
        )
    user = pool.user_by_username(session.username)
    if session.custom is not None and session.custom.user_not_found:
        return GHOST[0](st, pool, client, session, params)
    if user is None:
        st.consume(session)
        raise ServiceError("UserNotFoundException", "User does not exist.")
    # AWS accepts the internal username or any alias that resolves to the session's user,
    # and checks SECRET_HASH over the value actually sent
    # (docs/cognito-facts.md#internal-username).
    sent = str(require(responses, "USERNAME"))
    named = find_user(pool, sent)
    if named is None or named.username != user.username:
        raise msg.INCORRECT_CREDENTIALS.error()
    check_secret_hash(client, sent, responses.get("SECRET_HASH"))
    answer = ChallengeAnswer(pool, client, user, session, responses, params.get("ClientMetadata"))
    # A USER_AUTH one-time password shares its challenge name with e-mail MFA (EMAIL_OTP), a
    # CUSTOM_AUTH password verifier with USER_SRP_AUTH's.
    prefix = "USER_AUTH:" if session.first_factor else ""
    prefix = "CUSTOM_AUTH:" if session.custom is not None else prefix
    return ANSWERS[prefix + session.challenge](st, answer)


def _verify_srp(
    st: StrictState, session: Session, block: str, timestamp: str, signature: str
) -> None:
    """Check a PASSWORD_CLAIM_SIGNATURE against the session's SRP exchange."""
    if session.srp is None:  # pragma: no cover - only SRP sessions get these challenges
        raise msg.INCORRECT_CREDENTIALS.error()
    try:
        ok = session.srp.verify(
            session.srp_a,
            block,
            timestamp,
            signature,
            now=datetime.fromtimestamp(st.clock(), timezone.utc),
        )
    except InvalidTimestampError:
        raise msg.TIMESTAMP_FORMAT.error() from None
    if not ok:
        raise msg.INCORRECT_CREDENTIALS.error()


@answers("PASSWORD_VERIFIER")
def _answer_password_verifier(st: StrictState, a: ChallengeAnswer) -> Result:
    st.consume(a.session)
    block = require(a.responses, "PASSWORD_CLAIM_SECRET_BLOCK")
    signature = require(a.responses, "PASSWORD_CLAIM_SIGNATURE")
    timestamp = require(a.responses, "TIMESTAMP")
    _verify_srp(st, a.session, block, timestamp, signature)
    device_key = a.responses.get("DEVICE_KEY") or a.session.device_key
    return _after_password(st, a.pool, a.client, a.user, device_key)


@answers("NEW_PASSWORD_REQUIRED")
def _answer_new_password(st: StrictState, a: ChallengeAnswer) -> Result:
    password = a.responses.get("NEW_PASSWORD")
    if not password:
        raise ServiceError("InvalidParameterException", "Missing required parameter NEW_PASSWORD")
    check_password(a.pool, password)
    st.consume(a.session)
    updates = {
        k.removeprefix("userAttributes."): str(v)
        for k, v in a.responses.items()
        if k.startswith("userAttributes.")
    }
    if updates:
        a.user.update_attributes(updates)
    st.set_password(a.pool, a.user, password)
    a.user.status = "CONFIRMED"
    return _after_password(st, a.pool, a.client, a.user, a.session.device_key)


@answers("DEVICE_SRP_AUTH")
def _answer_device_srp(st: StrictState, a: ChallengeAnswer) -> Result:
    st.consume(a.session)
    device_key = require(a.responses, "DEVICE_KEY")
    srp_a = str(require(a.responses, "SRP_A"))
    device = st.user_state(a.pool, a.user).devices.get(device_key)
    if device is None or device_key != a.session.device_key:
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")
    if int(srp_a, 16) % N == 0:
        raise ServiceError("InvalidParameterException", "SRP_A mod N cannot be 0")
    challenge = SrpChallenge(
        group=device.group_key, user_id=device.key, salt=device.salt, verifier=device.verifier
    )
    new = st.new_session(
        a.pool,
        a.client,
        a.user,
        "DEVICE_PASSWORD_VERIFIER",
        srp=challenge,
        srp_a=srp_a,
        device_key=device_key,
        device_remembered=device.remembered,
    )
    return {
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": new.id,
        "ChallengeParameters": {
            "SALT": challenge.salt_hex,
            "SRP_B": challenge.srp_b_hex,
            "SECRET_BLOCK": challenge.secret_block_b64,
            "USERNAME": a.user.username,
            "DEVICE_KEY": device_key,
        },
    }


@answers("DEVICE_PASSWORD_VERIFIER")
def _answer_device_verifier(st: StrictState, a: ChallengeAnswer) -> Result:
    st.consume(a.session)
    device_key = a.session.device_key
    if a.session.srp is None or device_key is None:  # pragma: no cover
        raise msg.INCORRECT_CREDENTIALS.error()
    block = require(a.responses, "PASSWORD_CLAIM_SECRET_BLOCK")
    timestamp = require(a.responses, "TIMESTAMP")
    signature = require(a.responses, "PASSWORD_CLAIM_SIGNATURE")
    _verify_srp(st, a.session, block, timestamp, signature)
    device = st.user_state(a.pool, a.user).devices.get(device_key)
    if device is not None:
        device.last_auth = st.clock()
    return _after_password(st, a.pool, a.client, a.user, device_key, device_done=True)
