"""The demo's steps for choice-based sign-in (issue 18): the session ConfirmSignUp returned,
a one-time code by e-mail, the user's choice (SELECT_CHALLENGE) answered with SRP,
USER_PASSWORD_AUTH, and a custom challenge (CUSTOM_AUTH) set by the pool's triggers: on the
local Cognito, the magic code of ``MagicCode`` below.

They run after the first SRP login and before MFA is turned on: Cognito offers codes as a
first factor only to users without MFA. A pool or app client that does not allow USER_AUTH
(``demo --real`` against a pool set up otherwise) skips them, as Cognito's refusal says.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cognito_user_pool import Challenge, CognitoError, Tokens, UserPool

from ._demo_base import OK, NotOffered, Step, Unexpected
from ._demo_codes import CodeSource

__all__ = ["ChoiceSteps", "MagicCode"]


@dataclass
class MagicCode:
    """The local pool's custom-auth triggers for the demo (define, create, verify, as AWS's
    Lambda events): one challenge, a six-digit code, which ``last`` holds for the demo to
    answer with, as a user would read it from an e-mail."""

    last: str = field(default="", repr=False)

    def define(self, event: dict[str, Any]) -> dict[str, Any]:
        session = event["request"]["session"]
        response = event["response"]
        done = bool(session) and session[-1]["challengeName"] == "CUSTOM_CHALLENGE"
        response["issueTokens"] = done and bool(session[-1]["challengeResult"])
        response["failAuthentication"] = done and not session[-1]["challengeResult"]
        if not done:
            response["challengeName"] = "CUSTOM_CHALLENGE"
        return event

    def create(self, event: dict[str, Any]) -> dict[str, Any]:
        self.last = f"{secrets.randbelow(10**6):06d}"
        event["response"]["publicChallengeParameters"] = {"question": "the magic code"}
        event["response"]["privateChallengeParameters"] = {"code": self.last}
        return event

    def verify(self, event: dict[str, Any]) -> dict[str, Any]:
        request = event["request"]
        expected = request["privateChallengeParameters"]["code"]
        event["response"]["answerCorrect"] = request["challengeAnswer"] == expected
        return event


@dataclass
class ChoiceSteps:
    """These steps for the demo's main user, whose password and sign-up session are read
    when a step runs (the sign-up steps make them)."""

    pool: UserPool
    codes: CodeSource
    username: str
    password: Callable[[], str]
    signup_session: Callable[[], str | None]
    # The answer to the pool's custom challenge: the local triggers' code, or the user's.
    custom_answer: Callable[[], str]

    def __post_init__(self) -> None:
        self._challenge: Challenge | None = None

    def steps(self) -> list[Step]:
        return [
            Step("sign in with the sign-up's session", "user_auth", OK, self._session),
            Step("sign in with a code by e-mail", "user_auth", OK, self._email_code),
            Step("answer with the e-mailed code", "login_mfa", OK, self._answer_code),
            Step("sign in by choice: SELECT_CHALLENGE", "user_auth", OK, self._choice),
            Step("choose the password, with SRP", "select_challenge", OK, self._choose_srp),
            Step(
                "sign in with the password itself (USER_PASSWORD_AUTH)",
                "user_password_auth",
                OK,
                self._password_auth,
            ),
            Step("custom sign-in: the pool's own challenge", "custom_auth", OK, self._custom),
            Step("answer the custom challenge", "login_custom_challenge", OK, self._custom_answer),
        ]

    def _offered(self, start: Callable[[], Tokens | Challenge]) -> Tokens | Challenge:
        """``start()``; a pool or client that does not allow the flow skips the step."""
        try:
            return start()
        except CognitoError as exc:
            refused = ("not enabled", "not configured")
            if exc.code == "InvalidParameterException" and any(r in exc.message for r in refused):
                raise NotOffered(exc.message) from exc
            raise

    def _session(self) -> str:
        session = self.signup_session()
        if session is None:
            raise NotOffered("ConfirmSignUp returned no session (USER_AUTH not allowed)")
        result = self._offered(lambda: self.pool.user_auth(username=self.username, session=session))
        if not isinstance(result, Tokens):
            raise Unexpected(f"Cognito asked for {result.name}")
        return "signed in without another factor (the session is used up)"

    def _email_code(self) -> str:
        result = self._offered(
            lambda: self.pool.user_auth(username=self.username, preferred_challenge="EMAIL_OTP")
        )
        if not isinstance(result, Challenge) or result.name != "EMAIL_OTP":
            got = "tokens" if isinstance(result, Tokens) else result.name
            raise NotOffered(f"Cognito answered {got}: e-mail codes are not offered")
        self._challenge = result
        where = result.parameters.get("CODE_DELIVERY_DESTINATION")
        return f"a code was sent{f' to {where}' if where else ''}"

    def _answer_code(self) -> str:
        if self._challenge is None:
            raise NotOffered("no e-mail code was sent")
        code = self.codes.code(purpose="email_otp", destination=None)
        result = self.pool.login_mfa(
            username=self.username, login_session=self._challenge, mfa_code=code
        )
        if not isinstance(result, Tokens):
            raise Unexpected(f"Cognito asked for {result.name}")
        return f"signed in with the code {self.codes.how}"

    def _choice(self) -> str:
        result = self._offered(lambda: self.pool.user_auth(username=self.username))
        if not isinstance(result, Challenge) or result.name != "SELECT_CHALLENGE":
            raise Unexpected("Cognito did not offer a choice")
        self._challenge = result
        return f"Cognito offers {', '.join(result.available)}"

    def _choose_srp(self) -> str:
        if self._challenge is None or "PASSWORD_SRP" not in self._challenge.available:
            raise NotOffered("PASSWORD_SRP was not offered")
        result = self.pool.select_challenge(
            username=self.username,
            login_session=self._challenge,
            answer="PASSWORD_SRP",
            password=self.password(),
        )
        if not isinstance(result, Tokens):
            raise Unexpected(f"Cognito asked for {result.name}")
        return "signed in: the password stayed here"

    def _password_auth(self) -> str:
        result = self._offered(
            lambda: self.pool.user_password_auth(username=self.username, password=self.password())
        )
        if not isinstance(result, Tokens):
            raise Unexpected(f"Cognito asked for {result.name}")
        return "signed in (the password went to Cognito over TLS)"

    def _custom(self) -> str:
        result = self._offered(lambda: self.pool.custom_auth(username=self.username))
        if not isinstance(result, Challenge) or result.name != "CUSTOM_CHALLENGE":
            raise Unexpected("Cognito did not ask the pool's custom challenge")
        self._challenge = result
        asked = result.parameters.get("question")
        return f"the pool's triggers ask for {asked}" if asked else "a custom challenge"

    def _custom_answer(self) -> str:
        if self._challenge is None or self._challenge.name != "CUSTOM_CHALLENGE":
            raise NotOffered("no custom challenge was asked")
        result = self.pool.login_custom_challenge(
            username=self.username, login_session=self._challenge, answer=self.custom_answer()
        )
        if not isinstance(result, Tokens):
            raise Unexpected(f"Cognito asked for {result.name}")
        return "signed in: the verify trigger accepted the answer"
