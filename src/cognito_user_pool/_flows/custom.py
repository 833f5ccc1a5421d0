"""Custom authentication (CUSTOM_AUTH): the pool's three Lambda triggers (define, create,
verify auth challenge) decide the challenges, such as a magic link or a CAPTCHA; with the
password first, by SRP, when the define trigger asks for it.

Cognito's developer guide, "Custom authentication challenge Lambda triggers", and the API
reference's ``ChallengeResponseType`` (``CUSTOM_CHALLENGE``: ``USERNAME`` and ``ANSWER``)
give the steps; docs/passwordless.md shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _validate as v
from .._errors import InvalidParameterError
from .._types import Challenge, Tokens
from ._base import FlowBase
from ._blocking import blocking
from ._registry import flow

__all__ = ["CustomBlocking", "CustomFlows"]


def _metadata(value: object) -> dict[str, Any]:
    """``ClientMetadata`` for the triggers: ``{}`` (not sent) or a mapping of text to text."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidParameterError(
            "client_metadata must be a mapping of strings to strings", field="client_metadata"
        )
    checked = {
        v.secret_str(key, "client_metadata"): v.secret_str(item, "client_metadata")
        for key, item in value.items()
    }
    return {"ClientMetadata": checked} if checked else {}


class CustomFlows(FlowBase):
    """custom_auth, login_custom_challenge."""

    @flow
    async def custom_auth(
        self,
        *,
        username: str,
        password: str | None = None,
        client_metadata: Mapping[str, str] | None = None,
    ) -> Tokens | Challenge:
        """Start a custom sign-in (InitiateAuth, CUSTOM_AUTH): the pool's define-auth-challenge
        trigger picks the first challenge.

        :param password: for pools whose define trigger checks the password first: it is
            sent by SRP (``SRP_A``, then ``PASSWORD_VERIFIER``) and never leaves this process.
        :param client_metadata: passed to the triggers as ``request.clientMetadata``.
        :returns: a ``CUSTOM_CHALLENGE`` (its ``parameters`` are the create trigger's public
            ones) for ``login_custom_challenge``, or ``Tokens``.
        :raises NotAuthorizedError: the define trigger failed the sign-in, or a wrong password.
        """
        username = v.username(username)
        extra = _metadata(client_metadata)
        params: dict[str, str] = {"USERNAME": username}
        params.update(self._secret_hash(username))
        srp = None
        if password is not None:
            srp = await self._srp_session(username, v.password(password))
            params.update({"SRP_A": srp.srp_a, "CHALLENGE_NAME": "SRP_A"})
        response = await self._call(
            "InitiateAuth",
            AuthFlow="CUSTOM_AUTH",
            ClientId=self._config.client_id,
            AuthParameters=params,
            **extra,
        )
        if srp is not None and response.get("ChallengeName") == "PASSWORD_VERIFIER":
            return await self._password_verifier(srp, response, username, **extra)
        return self._outcome(response, username)

    @flow
    async def login_custom_challenge(
        self,
        *,
        username: str,
        login_session: str | Challenge,
        answer: str,
        client_metadata: Mapping[str, str] | None = None,
    ) -> Tokens | Challenge:
        """Answer a ``CUSTOM_CHALLENGE`` (RespondToAuthChallenge): the verify trigger judges
        ``answer``, then the define trigger issues tokens, fails the sign-in, or asks again.

        :param login_session: the ``CUSTOM_CHALLENGE`` that ``custom_auth`` (or the previous
            answer) returned.
        :param answer: the user's answer (a code, a token from a link, a CAPTCHA's result).
        :param client_metadata: passed to the triggers as ``request.clientMetadata``.
        :returns: ``Tokens``, or the next ``Challenge``.
        :raises NotAuthorizedError: the define trigger failed the sign-in.
        """
        username = v.username(username)
        answer = v.secret_str(answer, "answer")
        extra = _metadata(client_metadata)
        session, name, internal = self._resume(username, login_session, "CUSTOM_CHALLENGE")
        if name != "CUSTOM_CHALLENGE":
            raise InvalidParameterError(
                f"login_session waits for {name}, not for a custom answer", field="login_session"
            )
        answers = {"USERNAME": internal, "ANSWER": answer}
        response = await self._respond(name, session, internal, answers, **extra)
        return self._outcome(response, internal)


class CustomBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    custom_auth = blocking(CustomFlows.custom_auth)
    login_custom_challenge = blocking(CustomFlows.login_custom_challenge)
