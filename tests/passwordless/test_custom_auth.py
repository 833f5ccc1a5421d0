"""CUSTOM_AUTH end to end against the strict local Cognito, whose triggers are Python
callables: a magic code (right answer: tokens; wrong answers: the define trigger's verdict
after three tries), the password first by SRP, client metadata reaching the triggers; on the
three surfaces."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from cognito_user_pool import (
    CallbackUserPool,
    Challenge,
    InvalidParameterError,
    NotAuthorizedError,
    Tokens,
    UserPool,
)
from cognito_user_pool.local import CustomAuthTriggers, LocalPool

from ..shims._helpers import failed, ok

pytestmark = pytest.mark.anyio

PASSWORD = "Passw0rd!custom"


class MagicCode:
    """The three triggers of a magic-code sign-in, optionally behind the password (SRP
    first); they keep the client metadata they saw, for the tests."""

    def __init__(self, *, password_first: bool = False) -> None:
        self.password_first = password_first
        self.metadata: list[dict[str, str]] = []

    def triggers(self) -> CustomAuthTriggers:
        return CustomAuthTriggers(define=self.define, create=self.create, verify=self.verify)

    def define(self, event: dict[str, Any]) -> dict[str, Any]:
        session = event["request"]["session"]
        response = event["response"]
        response.update(issueTokens=False, failAuthentication=False)
        if self.password_first and len(session) == 1 and session[0]["challengeName"] == "SRP_A":
            response["challengeName"] = "PASSWORD_VERIFIER"
        elif self.password_first and len(session) == 2 and not session[1]["challengeResult"]:
            response["failAuthentication"] = True
        elif session and session[-1]["challengeName"] == "CUSTOM_CHALLENGE":
            if session[-1]["challengeResult"]:
                response["issueTokens"] = True
            elif sum(1 for s in session if s["challengeName"] == "CUSTOM_CHALLENGE") >= 3:
                response["failAuthentication"] = True
            else:
                response["challengeName"] = "CUSTOM_CHALLENGE"
        else:
            response["challengeName"] = "CUSTOM_CHALLENGE"
        return event

    def create(self, event: dict[str, Any]) -> dict[str, Any]:
        code = f"{secrets.randbelow(10**6):06d}"
        event["response"]["publicChallengeParameters"] = {"hint": "the magic code"}
        event["response"]["privateChallengeParameters"] = {"code": code}
        self.last_code = code
        return event

    def verify(self, event: dict[str, Any]) -> dict[str, Any]:
        request = event["request"]
        self.metadata.append(dict(request.get("clientMetadata") or {}))
        expected = request["privateChallengeParameters"]["code"]
        event["response"]["answerCorrect"] = request["challengeAnswer"] == expected
        return event


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


async def test_a_magic_code_signs_in_and_wrong_answers_end_the_sign_in(
    local_cognito: LocalPool,
) -> None:
    magic = MagicCode()
    local_cognito.set_triggers(magic.triggers())
    local_cognito.create_user("ann", PASSWORD)
    async with local_cognito.pool() as pool:
        challenge = await pool.custom_auth(username="ann")
        assert isinstance(challenge, Challenge) and challenge.name == "CUSTOM_CHALLENGE"
        assert challenge.parameters["hint"] == "the magic code"
        tokens = await pool.login_custom_challenge(
            username="ann",
            login_session=challenge,
            answer=magic.last_code,
            client_metadata={"source": "test"},
        )
        assert isinstance(tokens, Tokens)
        assert magic.metadata[-1] == {"source": "test"}
        # Wrong, wrong, wrong: the define trigger fails the sign-in at the third.
        step: Tokens | Challenge = await pool.custom_auth(username="ann")
        for _ in range(2):
            assert isinstance(step, Challenge)
            step = await pool.login_custom_challenge(
                username="ann", login_session=step, answer=_wrong(magic.last_code)
            )
        assert isinstance(step, Challenge)
        with pytest.raises(NotAuthorizedError):
            await pool.login_custom_challenge(
                username="ann", login_session=step, answer=_wrong(magic.last_code)
            )


@pytest.mark.local_cognito(client_secret=True)
async def test_the_password_first_by_srp(local_cognito: LocalPool) -> None:
    """With a password, custom_auth sends SRP_A and answers PASSWORD_VERIFIER first (with
    the SECRET_HASH of a client with a secret); a wrong password is refused before any
    custom challenge."""
    magic = MagicCode(password_first=True)
    local_cognito.set_triggers(magic.triggers())
    local_cognito.create_user("bob", PASSWORD)
    async with local_cognito.pool() as pool:
        challenge = await pool.custom_auth(username="bob", password=PASSWORD)
        assert isinstance(challenge, Challenge) and challenge.name == "CUSTOM_CHALLENGE"
        tokens = await pool.login_custom_challenge(
            username="bob", login_session=challenge, answer=magic.last_code
        )
        assert isinstance(tokens, Tokens)
        with pytest.raises(NotAuthorizedError):
            await pool.custom_auth(username="bob", password="Wr0ng!password")


async def test_a_pool_without_triggers_refuses(local_cognito: LocalPool) -> None:
    local_cognito.create_user("cat", PASSWORD)
    async with local_cognito.pool() as pool:
        with pytest.raises(InvalidParameterError) as info:
            await pool.custom_auth(username="cat")
    assert info.value.field is None  # Cognito's refusal


def test_the_blocking_pool(local_cognito: LocalPool) -> None:
    magic = MagicCode()
    local_cognito.set_triggers(magic.triggers())
    local_cognito.create_user("dan", PASSWORD)
    with UserPool(
        local_cognito.user_pool_id, local_cognito.client_id, endpoint_url=local_cognito.endpoint_url
    ) as pool:
        challenge = pool.custom_auth(username="dan")
        assert isinstance(challenge, Challenge)
        result = pool.login_custom_challenge(
            username="dan", login_session=challenge, answer=magic.last_code
        )
        assert isinstance(result, Tokens)


def test_the_callback_pool(local_cognito: LocalPool) -> None:
    magic = MagicCode()
    local_cognito.set_triggers(magic.triggers())
    local_cognito.create_user("eve", PASSWORD)
    wrapper = CallbackUserPool(
        {
            "UserPoolId": local_cognito.user_pool_id,
            "ClientId": local_cognito.client_id,
            "endpoint": local_cognito.endpoint_url,
        }
    )
    try:
        step = ok(wrapper.customAuth, {"username": "eve"})
        assert step["nextStep"] == "CUSTOM_CHALLENGE"
        session = step["loginSession"]
        again = ok(
            wrapper.loginCustomChallenge,
            {"username": "eve", "loginSession": session, "answer": _wrong(magic.last_code)},
        )
        assert again["nextStep"] == "CUSTOM_CHALLENGE"
        tokens = ok(
            wrapper.loginCustomChallenge,
            {"username": "eve", "loginSession": again["loginSession"], "answer": magic.last_code},
        )
        assert tokens["accessToken"]
        err = failed(
            wrapper.loginCustomChallenge,
            {"username": "eve", "loginSession": again["loginSession"], "answer": magic.last_code},
        )
        assert err.code == "NotAuthorizedException"  # the session was used up
    finally:
        wrapper.close()
