"""Signing in and out: SRP login, MFA and new-password challenges, refresh (rotating or
not), global sign-out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio.to_thread

from .. import _validate as v
from .._devices import DeviceSecrets
from .._errors import (
    InvalidParameterError,
    ResourceNotFoundError,
)
from .._types import MFA_CODE_CHALLENGES, Challenge, RefreshToken, Tokens
from ._base import AccessTokenSource, FlowBase, UserAuth
from ._blocking import blocking
from ._registry import flow
from .devices import answer_device_challenge, forget_stored_device, stored_device

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
            ``login_new_password_required``. When the pool's ``device_store`` keeps a
            device for the user, it signs in too (device SRP), and a remembered device
            skips MFA; a device Cognito no longer knows is dropped from the store.
        :raises NotAuthorizedError: wrong username or password, or the device's secret.
        :raises UserNotConfirmedError: the sign-up was never confirmed.
        :raises UserNotFoundError: no such user (when the pool reveals it).
        """
        username = v.username(username)
        password = v.password(password)
        device_owners: list[str] = []
        try:
            return await self._login(username, password, device_owners)
        except ResourceNotFoundError as exc:
            # The stored device was forgotten on Cognito's side (docs/cognito-facts.md
            # #remembered-devices): drop it, as Amplify and ACIJ do, and sign in without it.
            if not device_owners or "device" not in exc.message.lower():
                raise
            for name in set(device_owners):
                await forget_stored_device(self, name)
            return await self._login(username, password, None)

    async def _login(
        self, username: str, password: str, device_owners: list[str] | None
    ) -> Tokens | Challenge:
        """USER_SRP_AUTH. Unless ``device_owners`` is ``None``, the remembered device of the
        pool's ``device_store`` answers DEVICE_SRP_AUTH (so that it skips MFA), and the names
        it was found under are appended to ``device_owners``."""
        config = self._config
        device = None if device_owners is None else await stored_device(self, username)
        srp = await self._srp_session(username, password)
        if device is not None and device_owners is not None:
            device_owners.append(username)
        response = await self._call(
            "InitiateAuth",
            AuthFlow="USER_SRP_AUTH",
            ClientId=config.client_id,
            AuthParameters=srp.auth_parameters() | _device_key(device),
        )
        internal = username
        if response.get("ChallengeName") == "PASSWORD_VERIFIER":
            parameters = response.get("ChallengeParameters") or {}
            answers = await anyio.to_thread.run_sync(srp.password_verifier_responses, parameters)
            internal = answers["USERNAME"]
            if device_owners is not None and device is None and internal != username:
                # The store keys devices by internal username; the user typed an alias.
                device = await stored_device(self, internal)
                if device is not None:
                    device_owners.append(internal)
            answers.update(_device_key(device))
            response = await self._call(
                "RespondToAuthChallenge",
                ClientId=config.client_id,
                ChallengeName="PASSWORD_VERIFIER",
                ChallengeResponses=answers,
                **_session(response),
            )
        if response.get("ChallengeName") == "DEVICE_SRP_AUTH" and device is not None:
            response = await answer_device_challenge(self, srp, response, internal, device)
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
        """New access and id tokens from a refresh token: REFRESH_TOKEN_AUTH, or
        GetTokensFromRefreshToken for an app client that rotates refresh tokens (the pool's
        ``refresh_token_rotation`` option; by default detected from Cognito's refusal of
        REFRESH_TOKEN_AUTH, once per pool object).

        With an app client secret, REFRESH_TOKEN_AUTH wants the SECRET_HASH of the *internal*
        username, which a refresh token does not reveal: it is read from ``id_token`` or
        ``access_token`` (expired ones are fine), else from this pool's own logins.
        GetTokensFromRefreshToken takes the secret itself and needs neither.

        :returns: ``Tokens`` with the new refresh token when Cognito rotated it (keep it: the
            old one stops working after the app client's grace period), else the one given.
        :raises NotAuthorizedError: the refresh token expired or was revoked.
        :raises CognitoError: with ``code == "RefreshTokenReuseException"`` for a refresh
            token that rotation replaced more than the grace period ago.
        """
        return await self._refresh(refresh_token, id_token, access_token)

    @flow
    async def logout(self, *, auth: UserAuth) -> None:
        """Sign the user out everywhere (GlobalSignOut): every refresh token is revoked and
        access tokens are refused by Cognito's user operations. To sign out one session
        only, use ``revoke_token``.

        Resource servers that check JWTs locally still accept an access token until it
        expires.

        :param auth: who is signed in; a ``UserSession`` is marked signed out too.
        """
        if isinstance(auth, AccessTokenSource):
            await auth.logout()
            return
        token = await self._access_token(auth)
        await self._call("GlobalSignOut", AccessToken=token)
        await self._tell_signed_out(auth, token, everywhere=True)
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


def _device_key(device: DeviceSecrets | None) -> dict[str, str]:
    return {} if device is None else {"DEVICE_KEY": device.device_key}


def _session(response: Mapping[str, Any]) -> dict[str, str]:
    session = response.get("Session")
    return {"Session": session} if session else {}
