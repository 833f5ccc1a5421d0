"""A signed-in user's profile: read, edit, verify attributes, change or remove the phone number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _validate as v
from .._errors import CognitoError
from .._types import Attribute, CodeDeliveryDetails, ProfileEditResult, UserProfile
from ._base import FlowBase, UserAuth, with_progress
from ._blocking import blocking
from ._registry import flow
from .mfa import mfa_settings

__all__ = ["ProfileBlocking", "ProfileFlows"]


class ProfileFlows(FlowBase):
    """profile, profile_edit, profile_attribute_confirm, profile_edit_phone_number."""

    @flow
    async def profile(
        self,
        *,
        auth: UserAuth,
    ) -> UserProfile:
        """The user's attributes and MFA settings (GetUser).

        :raises NotAuthorizedError: the access token expired or was revoked.
        """
        token = await self._access_token(auth)
        response = await self._call("GetUser", AccessToken=token)
        return UserProfile(
            username=str(response.get("Username", "")),
            attributes=tuple(
                Attribute(name=str(a["Name"]), value=str(a.get("Value", "")))
                for a in response.get("UserAttributes") or ()
            ),
            mfa=mfa_settings(response),
        )

    @flow
    async def profile_edit(
        self,
        *,
        auth: UserAuth,
        attributes: Mapping[str, str | None] | list[dict[str, str | None]],
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
        token = await self._access_token(auth)
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
        auth: UserAuth,
        attribute: str,
        confirmation_code: str,
    ) -> None:
        """Verify an attribute (an email or phone number) with the code sent to it
        (VerifyUserAttribute).

        :raises CodeMismatchError: wrong code.
        :raises ExpiredCodeError: the code expired or was superseded.
        """
        attribute = v.attribute_name(attribute)
        confirmation_code = v.code(confirmation_code, "confirmation_code")
        token = await self._access_token(auth)
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
        auth: UserAuth,
        phone_number: str | None,
    ) -> ProfileEditResult:
        """Set the phone number (E.164, ``+14155550100``); with ``None``, turn SMS MFA off and
        then delete the number, since SMS MFA cannot work without one.

        :raises CognitoError: with ``done``/``not_done`` when SMS MFA was turned off but the
            number could not be deleted.
        """
        number = None if phone_number is None else v.phone_number(phone_number)
        token = await self._access_token(auth)
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


class ProfileBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    profile = blocking(ProfileFlows.profile)
    profile_edit = blocking(ProfileFlows.profile_edit)
    profile_attribute_confirm = blocking(ProfileFlows.profile_attribute_confirm)
    profile_edit_phone_number = blocking(ProfileFlows.profile_edit_phone_number)


def _deliveries(response: Mapping[str, Any]) -> tuple[CodeDeliveryDetails, ...]:
    found = (CodeDeliveryDetails.from_aws(d) for d in response.get("CodeDeliveryDetailsList") or ())
    return tuple(d for d in found if d is not None)
