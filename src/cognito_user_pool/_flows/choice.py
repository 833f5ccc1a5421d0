"""Choice-based sign-in (USER_AUTH): a one-time code by e-mail or SMS, a password (plain or
SRP), a passkey (answered in passkeys.py), the user's pick among what the pool offers
(SELECT_CHALLENGE), the session that ConfirmSignUp hands out; and USER_PASSWORD_AUTH, for
pools that migrate users with a Lambda trigger. ``login`` keeps its meaning: USER_SRP_AUTH.

Cognito's API reference, ``InitiateAuth`` ("USER_AUTH") and ``ChallengeResponseType``
("SELECT_CHALLENGE"), gives the parameters each step takes; docs/passwordless.md shows them.
"""

from __future__ import annotations

from typing import Literal

from .. import _validate as v
from .._errors import InvalidParameterError
from .._srp import SrpSession
from .._types import Challenge, Tokens
from ._base import FlowBase
from ._blocking import blocking
from ._registry import flow

__all__ = ["FIRST_FACTORS", "ChoiceBlocking", "ChoiceFlows"]

# The challenges USER_AUTH can start with and SELECT_CHALLENGE can pick (ChallengeResponseType:
# "Available challenges are PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, and WEB_AUTHN").
FIRST_FACTORS = ("EMAIL_OTP", "SMS_OTP", "PASSWORD", "PASSWORD_SRP", "WEB_AUTHN")
_WITH_PASSWORD = ("PASSWORD", "PASSWORD_SRP")

Factor = Literal["EMAIL_OTP", "SMS_OTP", "PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]


class ChoiceFlows(FlowBase):
    """user_auth, select_challenge, user_password_auth."""

    @flow
    async def user_auth(
        self,
        *,
        username: str,
        preferred_challenge: Factor | None = None,
        password: str | None = None,
        session: str | None = None,
    ) -> Tokens | Challenge:
        """Start a choice-based sign-in (InitiateAuth, USER_AUTH).

        :param username: the username or an alias.
        :param preferred_challenge: the factor to start with, if the user can use it:
            ``EMAIL_OTP`` or ``SMS_OTP`` (Cognito sends a code: answer the returned
            ``Challenge`` with ``login_mfa``), ``PASSWORD`` or ``PASSWORD_SRP`` (give
            ``password``; SRP keeps it in this process), ``WEB_AUTHN`` (a passkey: answer
            the returned ``Challenge`` with ``login_web_authn``). Without one, or one the user
            cannot use, Cognito answers ``SELECT_CHALLENGE``: its
            ``parameters["AvailableChallenges"]``... lists the choices, and
            ``select_challenge`` answers it.
        :param password: with ``PASSWORD`` or ``PASSWORD_SRP`` only.
        :param session: the ``SignUpConfirmation.session`` of a sign-up just confirmed:
            the user is signed in without another factor.
        :returns: ``Tokens``, or the ``Challenge`` to answer.
        :raises InvalidParameterError: the app client does not allow USER_AUTH, or the
            pool does not allow that factor (Cognito's refusals), or a bad parameter.
        """
        username = v.username(username)
        if preferred_challenge is not None:
            preferred_challenge = v.one_of(  # type: ignore[assignment]
                preferred_challenge, "preferred_challenge", FIRST_FACTORS
            )
        needs_password = preferred_challenge in _WITH_PASSWORD
        if needs_password and password is None:
            raise InvalidParameterError(
                f"preferred_challenge {preferred_challenge} needs the password", field="password"
            )
        if password is not None and not needs_password:
            raise InvalidParameterError(
                "password goes with preferred_challenge PASSWORD or PASSWORD_SRP only",
                field="password",
            )
        if session is not None:
            session = v.session(session, "session")
            if preferred_challenge is not None:
                raise InvalidParameterError(
                    "session signs in without a challenge: leave preferred_challenge out",
                    field="session",
                )
        params: dict[str, str] = {"USERNAME": username}
        params.update(self._secret_hash(username))
        srp: SrpSession | None = None
        if preferred_challenge is not None:
            params["PREFERRED_CHALLENGE"] = preferred_challenge
        if preferred_challenge == "PASSWORD":
            params["PASSWORD"] = v.password(password)
        elif preferred_challenge == "PASSWORD_SRP":
            srp = await self._srp_session(username, v.password(password))
            params["SRP_A"] = srp.srp_a
        extra = {} if session is None else {"Session": session}
        response = await self._call(
            "InitiateAuth",
            AuthFlow="USER_AUTH",
            ClientId=self._config.client_id,
            AuthParameters=params,
            **extra,
        )
        if srp is not None and response.get("ChallengeName") == "PASSWORD_VERIFIER":
            return await self._password_verifier(srp, response, username)
        return self._outcome(response, username)

    @flow
    async def select_challenge(
        self,
        *,
        username: str,
        login_session: str | Challenge,
        answer: Factor,
        password: str | None = None,
    ) -> Tokens | Challenge:
        """Answer ``SELECT_CHALLENGE`` with the user's choice (RespondToAuthChallenge).

        :param login_session: the ``SELECT_CHALLENGE`` that ``user_auth`` returned.
        :param answer: one of the challenge's available choices: ``EMAIL_OTP`` or
            ``SMS_OTP`` (Cognito sends a code; answer the next ``Challenge`` with
            ``login_mfa``), ``PASSWORD`` or ``PASSWORD_SRP`` (with ``password``),
            ``WEB_AUTHN`` (answer the next ``Challenge`` with ``login_web_authn``).
        :returns: ``Tokens``, or the next ``Challenge``.
        """
        username = v.username(username)
        answer = v.one_of(answer, "answer", FIRST_FACTORS)  # type: ignore[assignment]
        needs_password = answer in _WITH_PASSWORD
        if needs_password and password is None:
            raise InvalidParameterError(f"answer {answer} needs the password", field="password")
        if password is not None and not needs_password:
            raise InvalidParameterError(
                "password goes with answer PASSWORD or PASSWORD_SRP only", field="password"
            )
        session, name, internal = self._resume(username, login_session, "SELECT_CHALLENGE")
        if name != "SELECT_CHALLENGE":
            raise InvalidParameterError(
                f"login_session waits for {name}, not for a choice", field="login_session"
            )
        answers = {"USERNAME": internal, "ANSWER": answer}
        if answer == "PASSWORD":
            answers["PASSWORD"] = v.password(password)
            return await self._answer(name, session, internal, answers)
        if answer != "PASSWORD_SRP":
            return await self._answer(name, session, internal, answers)
        srp = await self._srp_session(internal, v.password(password))
        answers["SRP_A"] = srp.srp_a
        response = await self._respond(name, session, internal, answers)
        if response.get("ChallengeName") == "PASSWORD_VERIFIER":
            return await self._password_verifier(srp, response, internal)
        return self._outcome(response, internal)

    @flow
    async def user_password_auth(self, *, username: str, password: str) -> Tokens | Challenge:
        """Sign in by sending the password itself (InitiateAuth, USER_PASSWORD_AUTH), over
        TLS, for pools whose user-migration Lambda trigger needs it; ``login`` (SRP) keeps
        the password in this process and is the one to use otherwise.

        :returns: ``Tokens``, or the ``Challenge`` to answer (MFA, new password...).
        :raises NotAuthorizedError: wrong username or password.
        """
        username = v.username(username)
        params = {"USERNAME": username, "PASSWORD": v.password(password)}
        params.update(self._secret_hash(username))
        response = await self._call(
            "InitiateAuth",
            AuthFlow="USER_PASSWORD_AUTH",
            ClientId=self._config.client_id,
            AuthParameters=params,
        )
        return self._outcome(response, username)


class ChoiceBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    user_auth = blocking(ChoiceFlows.user_auth)
    select_challenge = blocking(ChoiceFlows.select_challenge)
    user_password_auth = blocking(ChoiceFlows.user_password_auth)
