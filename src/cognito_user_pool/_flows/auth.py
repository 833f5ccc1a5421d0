"""Signing in and out: SRP login, MFA and new-password challenges, refresh, global sign-out."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import anyio.to_thread

from .. import _validate as v
from .._errors import (
    InvalidParameterError,
)
from .._srp import SrpSession
from .._types import MFA_CODE_CHALLENGES, Challenge, RefreshToken, Tokens
from ._base import AccessTokenSource, FlowBase, UserAuth
from ._blocking import blocking
from ._registry import flow

__all__ = ["AuthBlocking", "AuthFlows"]


class AuthFlows(FlowBase):
    """login, login_mfa, login_new_password_required, refresh_session, logout."""

    @flow
    async def login(self, *, username: str, password: str) -> Tokens | Challenge:
        """Sign in with SRP (USER_SRP_AUTH): the password never leaves this process.

        :param username: the username or any alias the pool accepts (email, phone...).
        :param password: the user's password.
        :returns: ``Tokens``, or a ``Challenge`` when Cognito wants another step (an MFA
            code, a new password, MFA set-up...); answer it with ``login_mfa`` or
            ``login_new_password_required``.
        :raises NotAuthorizedError: wrong username or password.
        :raises UserNotConfirmedError: the sign-up was never confirmed.
        :raises UserNotFoundError: no such user (when the pool reveals it).
        """
        username = v.username(username)
        password = v.password(password)
        config = self._config
        # The SRP maths costs tens of milliseconds of CPU: keep it off the event loop.
        srp = await anyio.to_thread.run_sync(
            functools.partial(
                SrpSession,
                pool_id=config.user_pool_id,
                client_id=config.client_id,
                username=username,
                password=password,
                client_secret=config.client_secret,
            )
        )
        response = await self._call(
            "InitiateAuth",
            AuthFlow="USER_SRP_AUTH",
            ClientId=config.client_id,
            AuthParameters=srp.auth_parameters(),
        )
        internal = username
        if response.get("ChallengeName") == "PASSWORD_VERIFIER":
            parameters = response.get("ChallengeParameters") or {}
            answers = await anyio.to_thread.run_sync(srp.password_verifier_responses, parameters)
            internal = answers["USERNAME"]
            response = await self._call(
                "RespondToAuthChallenge",
                ClientId=config.client_id,
                ChallengeName="PASSWORD_VERIFIER",
                ChallengeResponses=answers,
                **_session(response),
            )
        return self._outcome(response, internal)

    @flow
    async def login_mfa(
        self,
        *,
        username: str,
        login_session: str | Challenge,
        mfa_code: str,
        challenge_name: str | None = None,
    ) -> Tokens | Challenge:
        """Answer an SMS, TOTP or email code challenge.

        :param username: the user, as given to ``login``.
        :param login_session: the ``Challenge`` that ``login`` returned, or its ``session``.
        :param mfa_code: the code the user received or read from the authenticator app.
        :param challenge_name: only needed for a bare session string this pool object did
            not hand out itself; defaults to ``SMS_MFA`` then, as in the Node library.
        :returns: ``Tokens``, or the next ``Challenge``.
        :raises CodeMismatchError: wrong code.
        :raises NotAuthorizedError: the session expired or was already used.
        """
        username = v.username(username)
        mfa_code = v.code(mfa_code, "mfa_code")
        if challenge_name is not None and (
            not isinstance(challenge_name, str) or challenge_name not in MFA_CODE_CHALLENGES
        ):
            raise InvalidParameterError(
                f"challenge_name must be one of {sorted(MFA_CODE_CHALLENGES)}",
                field="challenge_name",
            )
        session, name, internal = self._resume(username, login_session, challenge_name)
        if name not in MFA_CODE_CHALLENGES:
            raise InvalidParameterError(
                f"login_session waits for {name}, not for an MFA code"
                + (
                    "; answer it with login_new_password_required"
                    if name == "NEW_PASSWORD_REQUIRED"
                    else ""
                ),
                field="login_session",
            )
        answers = {"USERNAME": internal, MFA_CODE_CHALLENGES[name]: mfa_code}
        return await self._answer(name, session, internal, answers)

    @flow
    async def login_new_password_required(
        self,
        *,
        username: str,
        login_session: str | Challenge,
        new_password: str,
        attributes: Mapping[str, str] | list[dict[str, str]] | None = None,
    ) -> Tokens | Challenge:
        """Answer NEW_PASSWORD_REQUIRED (a user created by an administrator signs in first).

        :param attributes: values for the attributes the challenge lists as required.
        :returns: ``Tokens``, or the next ``Challenge`` (an MFA step may follow).
        :raises InvalidPasswordError: the new password breaks the pool's policy.
        """
        username = v.username(username)
        new_password = v.password(new_password, "new_password")
        extra = v.attributes(attributes) if attributes is not None else {}
        session, name, internal = self._resume(username, login_session, "NEW_PASSWORD_REQUIRED")
        if name != "NEW_PASSWORD_REQUIRED":
            raise InvalidParameterError(
                f"login_session waits for {name}, not for a new password", field="login_session"
            )
        answers = {"USERNAME": internal, "NEW_PASSWORD": new_password}
        answers.update({f"userAttributes.{k}": str(value) for k, value in extra.items()})
        return await self._answer(name, session, internal, answers)

    @flow
    async def refresh_session(
        self,
        *,
        refresh_token: str,
        id_token: str | None = None,
        access_token: str | None = None,
    ) -> Tokens:
        """New access and id tokens from a refresh token (REFRESH_TOKEN_AUTH).

        With an app client secret, Cognito wants the SECRET_HASH of the *internal* username,
        which a refresh token does not reveal: it is read from ``id_token`` or
        ``access_token`` (expired ones are fine), else from this pool's own logins.

        :returns: ``Tokens`` that keep ``refresh_token`` unless Cognito rotated it.
        :raises NotAuthorizedError: the refresh token expired or was revoked.
        """
        return await self._refresh(refresh_token, id_token, access_token)

    @flow
    async def logout(self, *, auth: UserAuth) -> None:
        """Sign the user out everywhere (GlobalSignOut): every refresh token is revoked and
        access tokens are refused by Cognito's user operations.

        Resource servers that check JWTs locally still accept an access token until it
        expires.

        :param auth: who is signed in; a ``UserSession`` is marked signed out too.
        """
        if isinstance(auth, AccessTokenSource):
            await auth.logout()
            return
        token = await self._access_token(auth)
        await self._call("GlobalSignOut", AccessToken=token)
        refresh_token = _refresh_token_of(auth)
        if refresh_token is not None:
            self._forget_refresh_owner(refresh_token)


class AuthBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    login = blocking(AuthFlows.login)
    login_mfa = blocking(AuthFlows.login_mfa)
    login_new_password_required = blocking(AuthFlows.login_new_password_required)
    refresh_session = blocking(AuthFlows.refresh_session)
    logout = blocking(AuthFlows.logout)


def _refresh_token_of(auth: UserAuth) -> str | None:
    """The refresh token ``auth`` carries, whose owner the pool may forget once signed out."""
    if isinstance(auth, Tokens):
        return auth.refresh_token
    if isinstance(auth, RefreshToken):
        return auth.token
    return None


def _session(response: Mapping[str, Any]) -> dict[str, str]:
    session = response.get("Session")
    return {"Session": session} if session else {}
