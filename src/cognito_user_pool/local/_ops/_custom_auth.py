"""Custom authentication: ``AuthFlow=CUSTOM_AUTH`` in (Admin)InitiateAuth and its
CUSTOM_CHALLENGE (and "SRP first" PASSWORD_VERIFIER) answers, driven by the pool's three
triggers, Python callables given the event AWS sends its Lambda (``local/_triggers.py``).

What AWS documents (developer guide: "Custom authentication challenge Lambda triggers",
"Define auth challenge", "Create auth challenge", "Verify auth challenge response" and
"Lambda trigger sources"; API reference: InitiateAuth, RespondToAuthChallenge):

- Define is called first and after every answer, with ``request.session``, the list of
  ``ChallengeResult`` (``challengeName``, ``challengeResult``, ``challengeMetadata``) "in
  chronological order"; it answers ``challengeName``, ``issueTokens``, ``failAuthentication``.
- "SRP first": the client sends ``CHALLENGE_NAME=SRP_A`` and ``SRP_A``; define then sees one
  ``SRP_A`` entry and answers ``PASSWORD_VERIFIER`` (AWS's sample define trigger); the password
  proof's result is the next entry, right or wrong, and define decides what follows.
- Create is called after a define that names CUSTOM_CHALLENGE; its
  ``publicChallengeParameters`` go to the client, its ``privateChallengeParameters`` to verify,
  its ``challengeMetadata`` into the next session entry.
- Verify gets ``privateChallengeParameters`` and ``challengeAnswer`` and answers
  ``answerCorrect``.
- ``userNotFound`` "is populated when PreventUserExistenceErrors is set to ENABLED for your
  User Pool client"; without it an unknown user is UserNotFoundException.
- InitiateAuth's and AdminInitiateAuth's ``ClientMetadata`` is *not* passed to define and
  create ("This request also invokes the functions for the following triggers, but doesn't
  pass ClientMetadata: ... Create auth challenge, Define auth challenge"); RespondToAuthChallenge
  passes its own to every trigger it invokes.

Local guesses: a define answer naming a challenge this server cannot run here (SMS_MFA,
DEVICE_SRP_AUTH, PASSWORD_VERIFIER other than first) is refused as unrecognizable output;
after issueTokens, MFA follows only when a PASSWORD_VERIFIER succeeded in this sign-in ("MFA
is not supported when the custom flow is passwordless", aws-amplify/amplify-js#12887).
"""

from __future__ import annotations

import base64
import copy
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .. import _messages as msg
from .. import _moto_internals as mi
from .._srp_server import InvalidTimestampError
from .._state import Session, StrictState
from .._triggers import CustomAuthTriggers, CustomRun, Event, Trigger, triggers_of
from ._challenges import ChallengeAnswer, answers
from ._common import check_secret_hash, find_user, require
from ._mfa_signin import mfa_challenge
from ._registry import Params, Result
from .auth import FLOWS, GHOST, _gate_first_factor, _srp_start
from .tokens import issue_tokens

__all__ = ["SOURCES"]

# triggerSource per trigger (developer guide, "Lambda trigger sources").
SOURCES = {
    "DefineAuthChallenge": "DefineAuthChallenge_Authentication",
    "CreateAuthChallenge": "CreateAuthChallenge_Authentication",
    "VerifyAuthChallengeResponse": "VerifyAuthChallengeResponse_Authentication",
}


@dataclass(frozen=True)
class _Call:
    """Who the triggers are called for, and with what request-wide data."""

    pool: mi.MotoPool
    client: mi.MotoClient
    username: str  # the internal username (the given one for a user not found)
    user: mi.MotoUser | None
    triggers: CustomAuthTriggers
    client_metadata: Params | None
    prevent: bool  # PreventUserExistenceErrors ENABLED: request.userNotFound is sent


def _run_trigger(
    c: _Call, name: str, func: Trigger, request: Params, response: Params
) -> dict[str, Any]:
    """Call one trigger with AWS's event and return its ``response``."""
    event: Event = {
        "version": "1",
        "region": c.pool.id.split("_", 1)[0],
        "userPoolId": c.pool.id,
        "userName": c.username,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": c.client.id},
        "triggerSource": SOURCES[name],
        "request": request,
        "response": response,
    }
    try:
        out = func(copy.deepcopy(event))
    except Exception as exc:  # any error of the function is its answer
        raise msg.LAMBDA_FAILED.error(flow=name, clause=str(exc)) from None
    if not isinstance(out, dict) or not isinstance(out.get("response"), dict):
        raise msg.LAMBDA_OUTPUT.error()
    return dict(out["response"])


def _request(c: _Call, run: CustomRun, *, with_session: bool = True, **extra: Any) -> Params:
    attributes: dict[str, str] = {}
    if c.user is not None:
        attributes = {**c.user.attributes, "cognito:user_status": c.user.status}
    request: Params = {"userAttributes": attributes}
    if with_session:
        request["session"] = copy.deepcopy(run.history)
    request.update(extra)
    if c.client_metadata is not None:
        request["clientMetadata"] = dict(c.client_metadata)
    if c.prevent:
        request["userNotFound"] = run.user_not_found
    return request


def _optional(value: object, kind: type) -> bool:
    return value is None or isinstance(value, kind)


def _string_map(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise msg.LAMBDA_OUTPUT.error()
    return dict(value)


# ---- the loop: define, then create or tokens ------------------------------------------------


def _advance(
    st: StrictState, c: _Call, run: CustomRun, auth: Params | None, device_key: str | None
) -> Result:
    """Ask define what follows ``run.history`` and do it. ``auth``: InitiateAuth's
    AuthParameters when this is the first define of the sign-in (PASSWORD_VERIFIER needs
    them)."""
    answer = _run_trigger(
        c,
        "DefineAuthChallenge",
        c.triggers.define,
        _request(c, run),
        {"challengeName": None, "issueTokens": None, "failAuthentication": None},
    )
    name, issue, fail = (
        answer.get(k) for k in ("challengeName", "issueTokens", "failAuthentication")
    )
    if not (_optional(name, str) and _optional(issue, bool) and _optional(fail, bool)):
        raise msg.LAMBDA_OUTPUT.error()
    if fail:
        raise msg.INCORRECT_CREDENTIALS.error()
    if issue:
        return _tokens(st, c, run, device_key)
    if name == "CUSTOM_CHALLENGE":
        return _create(st, c, run, device_key)
    if name == "PASSWORD_VERIFIER" and auth is not None and run.srp_a is not None:
        if c.user is None:
            # A guess: AWS's answer for SRP with a user not found is not documented.
            raise msg.INCORRECT_CREDENTIALS.error()
        started = _srp_start(st, c.pool, c.client, auth)
        st.sessions[started["Session"]].custom = run
        run.srp_a = None
        return started
    raise msg.LAMBDA_OUTPUT.error()


def _tokens(st: StrictState, c: _Call, run: CustomRun, device_key: str | None) -> Result:
    if c.user is None or run.user_not_found:
        raise msg.INCORRECT_CREDENTIALS.error()
    if run.password_proven:
        challenge = mfa_challenge(st, c.pool, c.client, c.user, device_key)
        if challenge is not None:
            return challenge
    return issue_tokens(st, c.pool, c.client, c.user, new_device=True)


def _create(st: StrictState, c: _Call, run: CustomRun, device_key: str | None) -> Result:
    answer = _run_trigger(
        c,
        "CreateAuthChallenge",
        c.triggers.create,
        _request(c, run, challengeName="CUSTOM_CHALLENGE"),
        {
            "publicChallengeParameters": {},
            "privateChallengeParameters": {},
            "challengeMetadata": None,
        },
    )
    public = _string_map(answer.get("publicChallengeParameters"))
    private = _string_map(answer.get("privateChallengeParameters"))
    metadata = answer.get("challengeMetadata")
    if not _optional(metadata, str):
        raise msg.LAMBDA_OUTPUT.error()
    run.private, run.metadata = private, metadata
    session = _new_session(st, c, run, device_key)
    return {
        "ChallengeName": "CUSTOM_CHALLENGE",
        "Session": session.id,
        "ChallengeParameters": {**public, "USERNAME": c.username},
    }


def _new_session(st: StrictState, c: _Call, run: CustomRun, device_key: str | None) -> Session:
    if c.user is not None:
        return st.new_session(
            c.pool, c.client, c.user, "CUSTOM_CHALLENGE", device_key=device_key, custom=run
        )
    # No user to hand StrictState.new_session: the same session, for the name given.
    minutes = int(c.client.config.get("AuthSessionValidity") or 3)
    session = Session(
        id=base64.urlsafe_b64encode(secrets.token_bytes(96)).decode(),
        pool_id=c.pool.id,
        client_id=c.client.id,
        username=c.username,
        challenge="CUSTOM_CHALLENGE",
        expires_at=st.clock() + minutes * 60,
        custom=run,
    )
    st.sessions[session.id] = session
    return session


def _verify(
    st: StrictState, c: _Call, run: CustomRun, given: str, device_key: str | None
) -> Result:
    answer = _run_trigger(
        c,
        "VerifyAuthChallengeResponse",
        c.triggers.verify,
        _request(
            c,
            run,
            with_session=False,
            privateChallengeParameters=dict(run.private),
            challengeAnswer=given,
        ),
        {"answerCorrect": None},
    )
    correct = answer.get("answerCorrect")
    if not _optional(correct, bool):
        raise msg.LAMBDA_OUTPUT.error()
    run.history.append(
        {
            "challengeName": "CUSTOM_CHALLENGE",
            "challengeResult": bool(correct),
            "challengeMetadata": run.metadata,
        }
    )
    return _advance(st, c, run, None, device_key)


def _triggers(pool: mi.MotoPool) -> CustomAuthTriggers:
    triggers = triggers_of(pool.id)
    if triggers is None:
        raise msg.CUSTOM_AUTH_NOT_CONFIGURED.error()
    return triggers


def _prevents(client: mi.MotoClient) -> bool:
    return client.config.get("PreventUserExistenceErrors") == "ENABLED"


# ---- InitiateAuth CUSTOM_AUTH ---------------------------------------------------------------


def _start(
    st: StrictState, pool: mi.MotoPool, client: mi.MotoClient, auth: Params, request: Params
) -> Result:
    """InitiateAuth / AdminInitiateAuth with ``AuthFlow=CUSTOM_AUTH`` (the client's
    ALLOW_CUSTOM_AUTH was checked by ``auth``). ``request``'s ClientMetadata is not passed on
    (see the module's docstring)."""
    username = str(require(auth, "USERNAME"))
    check_secret_hash(client, username, auth.get("SECRET_HASH"))
    triggers = _triggers(pool)
    prevent = _prevents(client)
    run = CustomRun()
    if auth.get("CHALLENGE_NAME") == "SRP_A":
        run.srp_a = str(require(auth, "SRP_A"))
        run.history.append(
            {"challengeName": "SRP_A", "challengeResult": True, "challengeMetadata": None}
        )
    user = find_user(pool, username)
    if user is None:
        if not prevent:
            raise msg.USER_NOT_FOUND.error()
        run.user_not_found = True
    else:
        _gate_first_factor(user)
        if user.status == "UNCONFIRMED":
            # A guess, as for USER_AUTH's one-time passwords: refused before any trigger.
            raise msg.USER_NOT_CONFIRMED.error()
    name = user.username if user is not None else username
    c = _Call(pool, client, name, user, triggers, None, prevent)
    return _advance(st, c, run, auth, auth.get("DEVICE_KEY"))


FLOWS["CUSTOM_AUTH"] = _start


# ---- RespondToAuthChallenge ----------------------------------------------------------------


def _call_for(a: ChallengeAnswer) -> _Call:
    return _Call(
        a.pool,
        a.client,
        a.user.username,
        a.user,
        _triggers(a.pool),
        a.client_metadata,
        _prevents(a.client),
    )


def _run_of(session: Session) -> CustomRun:
    if session.custom is None:  # pragma: no cover - only custom sessions are answered here
        raise msg.SESSION_INVALID.error()
    return session.custom


@answers("CUSTOM_AUTH:CUSTOM_CHALLENGE")
def _answer_custom(st: StrictState, a: ChallengeAnswer) -> Result:
    """ANSWER: given to verify; define decides what follows."""
    given = str(require(a.responses, "ANSWER"))
    st.consume(a.session)
    return _verify(st, _call_for(a), _run_of(a.session), given, a.session.device_key)


@answers("CUSTOM_AUTH:PASSWORD_VERIFIER")
def _answer_password_verifier(st: StrictState, a: ChallengeAnswer) -> Result:
    """The SRP-first password proof: its result joins the session list, define decides."""
    st.consume(a.session)
    block = str(require(a.responses, "PASSWORD_CLAIM_SECRET_BLOCK"))
    signature = str(require(a.responses, "PASSWORD_CLAIM_SIGNATURE"))
    timestamp = str(require(a.responses, "TIMESTAMP"))
    run = _run_of(a.session)
    srp = a.session.srp
    try:
        now = datetime.fromtimestamp(st.clock(), timezone.utc)
        ok = srp is not None and srp.verify(a.session.srp_a, block, timestamp, signature, now=now)
    except InvalidTimestampError:
        raise msg.TIMESTAMP_FORMAT.error() from None
    run.history.append(
        {"challengeName": "PASSWORD_VERIFIER", "challengeResult": ok, "challengeMetadata": None}
    )
    device_key = a.responses.get("DEVICE_KEY") or a.session.device_key
    return _advance(st, _call_for(a), run, None, device_key)


def _answer_user_not_found(
    st: StrictState, pool: mi.MotoPool, client: mi.MotoClient, session: Session, params: Params
) -> Result:
    """A CUSTOM_CHALLENGE answer for a user that does not exist (PreventUserExistenceErrors):
    verify and define run as for a user; tokens are never issued."""
    responses: Params = params.get("ChallengeResponses") or {}
    sent = str(require(responses, "USERNAME"))
    if sent != session.username:
        raise msg.INCORRECT_CREDENTIALS.error()
    check_secret_hash(client, sent, responses.get("SECRET_HASH"))
    given = str(require(responses, "ANSWER"))
    st.consume(session)
    c = _Call(pool, client, sent, None, _triggers(pool), params.get("ClientMetadata"), True)
    return _verify(st, c, _run_of(session), given, None)


GHOST.append(_answer_user_not_found)
