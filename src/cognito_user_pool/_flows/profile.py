"""A signed-in user's profile and MFA: read, edit, verify attributes, phone number, SMS MFA."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _validate as v
from .._errors import CognitoError
from .._types import Attribute, CodeDeliveryDetails, MfaSettings, ProfileEditResult, UserProfile
from ._base import AccessTokenSource, with_progress
from ._blocking import blocking
from ._registry import flow
from .auth import AuthFlows

__all__ = ["ProfileBlocking", "ProfileFlows"]


class ProfileFlows(AuthFlows):
    """profile, profile_edit, profile_attribute_confirm, profile_edit_phone_number,
    get_mfa, set_mfa."""

    @flow
    async def profile(
        self,
        *,
        username: str | None = None,
        access_token: str | None = None,
        id_token: str | None = None,
        refresh_token: str | None = None,
        session: AccessTokenSource | None = None,
    ) -> UserProfile:
        """The user's attributes and MFA settings (GetUser).

        :raises NotAuthorizedError: the access token expired or was revoked.
        """
        token = await self._access_token(username, access_token, id_token, refresh_token, session)
        response = await self._call("GetUser", AccessToken=token)
        return UserProfile(
            username=str(response.get("Username", "")),
            attributes=tuple(
                Attribute(name=str(a["Name"]), value=str(a.get("Value", "")))
                for a in response.get("UserAttributes") or ()
            ),
            mfa=_mfa_settings(response),
        )

    @flow
    async def profile_edit(
        self,
        *,
        attributes: Mapping[str, str | None] | list[dict[str, str | None]],
        username: str | None = None,
        access_token: str | None = None,
        id_token: str | None = None,
        refresh_token: str | None = None,
        session: AccessTokenSource | None = None,
    ) -> ProfileEditResult:
        """Update the attributes that have a value, then delete those whose value is empty or
        None. ``phone_number`` is skipped (and listed in the result): change it with
        ``profile_edit_phone_number``, which keeps SMS MFA consistent.

        :returns: what was updated and deleted, and where verification codes went (a new
            email or phone number must be verified with ``profile_attribute_confirm``).
        :raises CognitoError: with ``done``/``not_done`` when the update succeeded and the
            deletion failed.
        """
        wanted = v.attributes(attributes, allow_empty_values=True)
        skipped = tuple(name for name in wanted if name == "phone_number")
        updates = {
            k: value for k, value in wanted.items() if value is not None and k not in skipped
        }
        deletes = tuple(k for k, value in wanted.items() if value is None and k not in skipped)
        token = await self._access_token(username, access_token, id_token, refresh_token, session)
        update_step = f"UpdateUserAttributes({', '.join(updates)})"
        delete_step = f"DeleteUserAttributes({', '.join(deletes)})"
        deliveries: tuple[CodeDeliveryDetails, ...] = ()
        if updates:
            try:
                response = await self._call(
                    "UpdateUserAttributes",
                    AccessToken=token,
                    UserAttributes=[{"Name": k, "Value": value} for k, value in updates.items()],
                )
            except CognitoError as exc:
                not_done = (update_step, delete_step) if deletes else (update_step,)
                raise with_progress(exc, (), not_done) from exc
            deliveries = _deliveries(response)
        if deletes:
            try:
                await self._call(
                    "DeleteUserAttributes", AccessToken=token, UserAttributeNames=list(deletes)
                )
            except CognitoError as exc:
                done = (update_step,) if updates else ()
                raise with_progress(exc, done, (delete_step,)) from exc
        return ProfileEditResult(
            updated=tuple(updates),
            deleted=deletes,
            code_delivery_details=deliveries,
            skipped=skipped,
        )

    @flow
    async def profile_attribute_confirm(
        self,
        *,
        attribute: str,
        confirmation_code: str,
        username: str | None = None,
        access_token: str | None = None,
        id_token: str | None = None,
        refresh_token: str | None = None,
        session: AccessTokenSource | None = None,
    ) -> None:
        """Verify an attribute (an email or phone number) with the code sent to it
        (VerifyUserAttribute).

        :raises CodeMismatchError: wrong code.
        :raises ExpiredCodeError: the code expired or was superseded.
        """
        attribute = v.attribute_name(attribute)
        confirmation_code = v.code(confirmation_code, "confirmation_code")
        token = await self._access_token(username, access_token, id_token, refresh_token, session)
        await self._call(
            "VerifyUserAttribute",
            AccessToken=token,
            AttributeName=attribute,
            Code=confirmation_code,
        )

    @flow
    async def profile_edit_phone_number(
        self,
        *,
        phone_number: str | None,
        username: str | None = None,
        access_token: str | None = None,
        id_token: str | None = None,
        refresh_token: str | None = None,
        session: AccessTokenSource | None = None,
    ) -> ProfileEditResult:
        """Set the phone number (E.164, ``+14155550100``); with ``None``, turn SMS MFA off and
        then delete the number, since SMS MFA cannot work without one.

        :raises CognitoError: with ``done``/``not_done`` when SMS MFA was turned off but the
            number could not be deleted.
        """
        number = None if phone_number is None else v.phone_number(phone_number)
        token = await self._access_token(username, access_token, id_token, refresh_token, session)
        if number is not None:
            response = await self._call(
                "UpdateUserAttributes",
                AccessToken=token,
                UserAttributes=[{"Name": "phone_number", "Value": number}],
            )
            return ProfileEditResult(
                updated=("phone_number",), deleted=(), code_delivery_details=_deliveries(response)
            )
        mfa_step = "SetUserMFAPreference(SMS off)"
        delete_step = "DeleteUserAttributes(phone_number)"
        try:
            await self._call(
                "SetUserMFAPreference",
                AccessToken=token,
                SMSMfaSettings={"Enabled": False, "PreferredMfa": False},
            )
        except CognitoError as exc:
            raise with_progress(exc, (), (mfa_step, delete_step)) from exc
        try:
            await self._call(
                "DeleteUserAttributes", AccessToken=token, UserAttributeNames=["phone_number"]
            )
        except CognitoError as exc:
            raise with_progress(exc, (mfa_step,), (delete_step,)) from exc
        return ProfileEditResult(updated=(), deleted=("phone_number",))

    @flow
    async def get_mfa(
        self,
        *,
        username: str | None = None,
        access_token: str | None = None,
        id_token: str | None = None,
        refresh_token: str | None = None,
        session: AccessTokenSource | None = None,
    ) -> MfaSettings | None:
        """The user's MFA methods and the preferred one; ``None`` when MFA is off."""
        profile = await self.profile(
            username=username,
            access_token=access_token,
            id_token=id_token,
            refresh_token=refresh_token,
            session=session,
        )
        return profile.mfa

    @flow
    async def set_mfa(
        self,
        *,
        enable_mfa: bool,
        username: str | None = None,
        access_token: str | None = None,
        id_token: str | None = None,
        refresh_token: str | None = None,
        session: AccessTokenSource | None = None,
    ) -> None:
        """Turn SMS MFA on (and preferred) or off (SetUserMFAPreference; the legacy
        SetUserSettings is deprecated by AWS). The user needs a phone number first.
        """
        enable_mfa = v.boolean(enable_mfa, "enable_mfa")
        token = await self._access_token(username, access_token, id_token, refresh_token, session)
        await self._call(
            "SetUserMFAPreference",
            AccessToken=token,
            SMSMfaSettings={"Enabled": enable_mfa, "PreferredMfa": enable_mfa},
        )


class ProfileBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    profile = blocking(ProfileFlows.profile)
    profile_edit = blocking(ProfileFlows.profile_edit)
    profile_attribute_confirm = blocking(ProfileFlows.profile_attribute_confirm)
    profile_edit_phone_number = blocking(ProfileFlows.profile_edit_phone_number)
    get_mfa = blocking(ProfileFlows.get_mfa)
    set_mfa = blocking(ProfileFlows.set_mfa)


def _mfa_settings(response: Mapping[str, Any]) -> MfaSettings | None:
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


def _deliveries(response: Mapping[str, Any]) -> tuple[CodeDeliveryDetails, ...]:
    found = (CodeDeliveryDetails.from_aws(d) for d in response.get("CodeDeliveryDetailsList") or ())
    return tuple(d for d in found if d is not None)
