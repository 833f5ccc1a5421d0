"""MFA: a signed-in user's methods (the Node library's pair, and AWS's current operations),
enrolling an authenticator app, and the MFA steps of a sign-in (choosing a method, setting
one up when the pool requires MFA)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _validate as v
from .._errors import EnableSoftwareTokenMFAError, InvalidParameterError, UnexpectedResponseError
from .._types import MFA_TYPES, AuthFactors, Challenge, MfaSettings, Tokens, TotpSecret
from ._base import FlowBase, UserAuth
from ._blocking import blocking
from ._registry import flow

__all__ = ["MfaBlocking", "MfaFlows", "mfa_settings"]


class MfaFlows(FlowBase):
    """get_mfa, set_mfa; associate_software_token, verify_software_token,
    set_user_mfa_preference, get_user_auth_factors; login_select_mfa_type, login_mfa_setup."""

    @flow
    async def get_mfa(
        self,
        *,
        auth: UserAuth,
    ) -> MfaSettings | None:
        """The user's MFA methods and the preferred one; ``None`` when MFA is off."""
        token = await self._access_token(auth)
        return mfa_settings(await self._call("GetUser", AccessToken=token))

    @flow
    async def set_mfa(
        self,
        *,
        auth: UserAuth,
        enable_mfa: bool,
    ) -> None:
        """Turn SMS MFA on (and preferred) or off (SetUserMFAPreference; the legacy
        SetUserSettings is deprecated by AWS). The user needs a phone number first.
        """
        enable_mfa = v.boolean(enable_mfa, "enable_mfa")
        token = await self._access_token(auth)
        await self._call(
            "SetUserMFAPreference",
            AccessToken=token,
            SMSMfaSettings={"Enabled": enable_mfa, "PreferredMfa": enable_mfa},
        )

    @flow
    async def associate_software_token(
        self, *, auth: UserAuth | None = None, login_session: str | Challenge | None = None
    ) -> TotpSecret:
        """A new authenticator-app secret (AssociateSoftwareToken), for a signed-in user
        (``auth``) or during a sign-in that asks for ``MFA_SETUP`` (``login_session``).

        Show ``secret.otpauth_uri(...)`` as a QR code, then confirm a code from the app with
        ``verify_software_token`` (signed in) or ``login_mfa_setup`` (during sign-in).

        :raises InvalidParameterError: neither or both of ``auth`` and ``login_session``.
        """
        if (auth is None) == (login_session is None):
            raise InvalidParameterError(
                "pass auth (a signed-in user) or login_session (an MFA_SETUP challenge)",
                field="auth",
            )
        if auth is not None:
            token = await self._access_token(auth)
            response = await self._call("AssociateSoftwareToken", AccessToken=token)
            return TotpSecret(secret_code=_secret(response))
        assert login_session is not None  # exactly one of the two, checked above
        session, name, internal = self._resume(_NO_USERNAME, login_session, "MFA_SETUP")
        if name != "MFA_SETUP":
            raise InvalidParameterError(
                f"login_session waits for {name}, not for MFA_SETUP", field="login_session"
            )
        response = await self._call("AssociateSoftwareToken", Session=session)
        self._forget_session(session)
        new_session = v.session(response.get("Session"), "Session")
        if internal:
            self._remember_session(new_session, "MFA_SETUP", internal)
        return TotpSecret(
            secret_code=_secret(response), session=new_session, username=internal or None
        )

    @flow
    async def verify_software_token(
        self, *, auth: UserAuth, user_code: str, friendly_device_name: str | None = None
    ) -> None:
        """Confirm a signed-in user's new authenticator app with a code from it
        (VerifySoftwareToken); turn it on with ``set_user_mfa_preference``.

        :raises EnableSoftwareTokenMFAError: the code does not match the new secret.
        :raises SoftwareTokenMFANotFoundError: no ``associate_software_token`` before.
        """
        user_code = v.totp_code(user_code, "user_code")
        name = _device_name(friendly_device_name)
        token = await self._access_token(auth)
        response = await self._call(
            "VerifySoftwareToken", AccessToken=token, UserCode=user_code, **name
        )
        _verified(response)

    @flow
    async def set_user_mfa_preference(
        self,
        *,
        auth: UserAuth,
        sms_mfa: bool | None = None,
        software_token_mfa: bool | None = None,
        email_mfa: bool | None = None,
        preferred: str | None = None,
    ) -> None:
        """Turn MFA methods on or off and choose the preferred one (SetUserMFAPreference).

        A method left ``None`` is not changed; ``preferred`` (``SMS_MFA``,
        ``SOFTWARE_TOKEN_MFA`` or ``EMAIL_OTP``) is turned on too. With several methods on and
        none preferred, Cognito asks the user to choose at sign-in (``SELECT_MFA_TYPE``).

        :raises InvalidParameterError: nothing to change, or ``preferred`` turned off.
        """
        wanted = {
            "SMS_MFA": v.optional_bool(sms_mfa, "sms_mfa"),
            "SOFTWARE_TOKEN_MFA": v.optional_bool(software_token_mfa, "software_token_mfa"),
            "EMAIL_OTP": v.optional_bool(email_mfa, "email_mfa"),
        }
        if preferred is not None:
            preferred = v.one_of(preferred, "preferred", MFA_TYPES)
            if wanted[preferred] is False:
                raise InvalidParameterError(
                    "preferred must be a method that is turned on", field="preferred"
                )
            wanted[preferred] = True
        settings = {
            _SETTINGS[method]: {"Enabled": enabled, "PreferredMfa": method == preferred}
            for method, enabled in wanted.items()
            if enabled is not None
        }
        if not settings:
            raise InvalidParameterError(
                "pass sms_mfa, software_token_mfa, email_mfa or preferred", field="preferred"
            )
        token = await self._access_token(auth)
        await self._call("SetUserMFAPreference", AccessToken=token, **settings)

    @flow
    async def get_user_auth_factors(self, *, auth: UserAuth) -> AuthFactors:
        """The user's MFA methods and the factors configured for sign-in
        (GetUserAuthFactors; pools on the Essentials or Plus feature plan)."""
        token = await self._access_token(auth)
        response = await self._call("GetUserAuthFactors", AccessToken=token)
        return AuthFactors(
            username=str(response.get("Username", "")),
            mfa=mfa_settings(response),
            configured=tuple(str(f) for f in response.get("ConfiguredUserAuthFactors") or ()),
        )

    @flow
    async def login_select_mfa_type(
        self, *, username: str, login_session: str | Challenge, mfa_type: str
    ) -> Tokens | Challenge:
        """Answer ``SELECT_MFA_TYPE`` with the method the user chose; Cognito then asks for
        that method's code (answer it with ``login_mfa``).

        :param mfa_type: one of ``challenge.mfa_types`` (``SMS_MFA``, ``SOFTWARE_TOKEN_MFA``,
            ``EMAIL_OTP``).
        """
        username = v.username(username)
        mfa_type = v.one_of(mfa_type, "mfa_type", MFA_TYPES)
        if isinstance(login_session, Challenge) and login_session.mfa_types:
            mfa_type = v.one_of(mfa_type, "mfa_type", login_session.mfa_types)
        session, name, internal = self._resume(username, login_session, "SELECT_MFA_TYPE")
        if name != "SELECT_MFA_TYPE":
            raise InvalidParameterError(
                f"login_session waits for {name}, not for a choice of MFA type",
                field="login_session",
            )
        answers = {"USERNAME": internal, "ANSWER": mfa_type}
        return await self._answer(name, session, internal, answers)

    @flow
    async def login_mfa_setup(
        self,
        *,
        username: str,
        login_session: str | Challenge | TotpSecret,
        mfa_code: str | None = None,
        email: str | None = None,
        friendly_device_name: str | None = None,
    ) -> Tokens | Challenge:
        """Answer ``MFA_SETUP`` (the pool requires MFA and the user has none).

        - Authenticator app: pass the ``TotpSecret`` that ``associate_software_token
          (login_session=challenge)`` returned and ``mfa_code``, a code from the app
          (VerifySoftwareToken, then RespondToAuthChallenge).
        - E-mail: pass the challenge and ``email``, where the codes should go; Cognito then
          sends an ``EMAIL_OTP`` challenge (answer it with ``login_mfa``).

        :returns: ``Tokens``, or the next ``Challenge``.
        :raises EnableSoftwareTokenMFAError: the app's code does not match the secret.
        """
        username = v.username(username)
        if (mfa_code is None) == (email is None):
            raise InvalidParameterError(
                "pass mfa_code (an authenticator app) or email (e-mail codes)", field="mfa_code"
            )
        session, name, internal = self._resume(username, login_session, "MFA_SETUP")
        if name != "MFA_SETUP":
            raise InvalidParameterError(
                f"login_session waits for {name}, not for MFA_SETUP", field="login_session"
            )
        if email is not None:
            email = v.email(email)
            answers = {"USERNAME": internal, "EMAIL": email}
            return await self._answer(name, session, internal, answers)
        mfa_code = v.totp_code(mfa_code, "mfa_code")
        device = _device_name(friendly_device_name)
        response = await self._call(
            "VerifySoftwareToken", Session=session, UserCode=mfa_code, **device
        )
        _verified(response)
        self._forget_session(session)
        verified = v.session(response.get("Session"), "Session")
        return await self._answer(name, verified, internal, {"USERNAME": internal})


class MfaBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    get_mfa = blocking(MfaFlows.get_mfa)
    set_mfa = blocking(MfaFlows.set_mfa)
    associate_software_token = blocking(MfaFlows.associate_software_token)
    verify_software_token = blocking(MfaFlows.verify_software_token)
    set_user_mfa_preference = blocking(MfaFlows.set_user_mfa_preference)
    get_user_auth_factors = blocking(MfaFlows.get_user_auth_factors)
    login_select_mfa_type = blocking(MfaFlows.login_select_mfa_type)
    login_mfa_setup = blocking(MfaFlows.login_mfa_setup)


def mfa_settings(response: Mapping[str, Any]) -> MfaSettings | None:
    """Modern ``UserMFASettingList`` first; the legacy ``MFAOptions`` (SMS only) as fallback."""
    enabled = [str(name) for name in response.get("UserMFASettingList") or ()]
    if not enabled:
        for option in response.get("MFAOptions") or ():
            if option.get("DeliveryMedium") == "SMS" and "SMS_MFA" not in enabled:
                enabled.append("SMS_MFA")
    if not enabled:
        return None
    preferred = response.get("PreferredMfaSetting")
    return MfaSettings(enabled=tuple(enabled), preferred=str(preferred) if preferred else None)


# SetUserMFAPreference's settings member for each MFA type.
_SETTINGS = {
    "SMS_MFA": "SMSMfaSettings",
    "SOFTWARE_TOKEN_MFA": "SoftwareTokenMfaSettings",
    "EMAIL_OTP": "EmailMfaSettings",
}

# A bare session string carries no username; a Challenge or TotpSecret carries the internal one.
_NO_USERNAME = ""


def _secret(response: Mapping[str, Any]) -> str:
    secret = response.get("SecretCode")
    if not isinstance(secret, str) or not secret:
        raise UnexpectedResponseError("Cognito answered AssociateSoftwareToken without a secret")
    return secret


def _verified(response: Mapping[str, Any]) -> None:
    """VerifySoftwareToken answers ``Status: ERROR`` for a code it does not accept."""
    if response.get("Status") != "SUCCESS":
        raise EnableSoftwareTokenMFAError("the authenticator app's code was not accepted")


def _device_name(name: str | None) -> dict[str, str]:
    if name is None:
        return {}
    return {"FriendlyDeviceName": v.device_name(name)}
