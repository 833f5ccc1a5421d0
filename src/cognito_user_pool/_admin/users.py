"""Admin operations on users: create, read, list, change, sign out, delete.

Each is AWS's operation in snake_case, checks its parameters before any request, and
returns the user-facing types (``AdminUser`` is a ``UserProfile``; devices are ``Device``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Literal

from .. import _validate as v
from .._errors import InvalidParameterError, UnexpectedResponseError
from .._flows._blocking import blocking, blocking_pages
from .._flows.devices import device_from_aws
from .._types import AdminUser, AuthEvent, Device
from ._base import AdminBase
from ._registry import admin_operation

__all__ = ["SEARCHABLE_ATTRIBUTES", "AdminUsers", "AdminUsersBlocking"]

Attributes = Mapping[str, str] | Sequence[Mapping[str, str]]

# What ListUsers can filter on, and its two filter types: AWS's API reference, ListUsers,
# "Filter" (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/
# API_ListUsers.html). Custom attributes cannot be searched.
SEARCHABLE_ATTRIBUTES = frozenset(
    {
        "username",
        "email",
        "phone_number",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
        "cognito:user_status",
        "status",
        "sub",
    }
)
# `name = "value"` or `name ^= "prefix"`; a quotation mark inside the value is escaped with
# a backslash, as the API reference says.
_FILTER = re.compile(r'\s*(?P<name>[\w:]+)\s*(?P<op>\^?=)\s*"(?P<value>(?:[^"\\]|\\.)*)"\s*')
_MESSAGE_ACTIONS = ("SUPPRESS", "RESEND")
_MEDIUMS = ("EMAIL", "SMS")


def check_filter(value: object, field: str = "filter") -> str:
    """A ListUsers filter, checked for the syntax and attributes Cognito accepts."""
    text = v.user_filter(value, field)
    match = _FILTER.fullmatch(text)
    if match is None:
        raise InvalidParameterError(
            f'{field} must read name = "value" or name ^= "prefix" (a quotation mark in the '
            'value escaped as \\")',
            field=field,
        )
    if match["name"] not in SEARCHABLE_ATTRIBUTES:
        raise InvalidParameterError(
            f"{field}: Cognito can filter users on {', '.join(sorted(SEARCHABLE_ATTRIBUTES))} only",
            field=field,
        )
    return text


def _names(value: object, field: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidParameterError(f"{field} must be a list of attribute names", field=field)
    return [v.attribute_name(name, field) for name in value]


def _user(response: Mapping[str, object], operation: str, member: str = "User") -> AdminUser:
    raw = response.get(member)
    if not isinstance(raw, Mapping):
        raise UnexpectedResponseError(f"Cognito answered {operation} without the user")
    return AdminUser.from_aws(raw)


class AdminUsers(AdminBase):
    """The admin operations on users."""

    @admin_operation
    async def admin_create_user(
        self,
        *,
        username: str,
        attributes: Attributes | None = None,
        temporary_password: str | None = None,
        message_action: Literal["SUPPRESS", "RESEND"] | None = None,
        desired_delivery_mediums: Sequence[Literal["EMAIL", "SMS"]] | None = None,
        force_alias_creation: bool = False,
    ) -> AdminUser:
        """Create a user in ``FORCE_CHANGE_PASSWORD`` and invite them (AdminCreateUser):
        Cognito sends the username and a temporary password, which the user must replace
        at first sign-in (``NEW_PASSWORD_REQUIRED``).

        :param attributes: ``{"email": ..., "email_verified": "true"}``, or the
            ``[{"Name", "Value"}]`` list.
        :param temporary_password: the invitation's password; Cognito makes one if omitted.
        :param message_action: ``"SUPPRESS"``: send no invitation (an import, say);
            ``"RESEND"``: send the invitation again to an existing user, with a new
            temporary password.
        :param desired_delivery_mediums: ``["EMAIL"]`` (the default), ``["SMS"]`` or both.
        :param force_alias_creation: move an email or phone alias from the user who has it.
        :raises UsernameExistsError: the username (or, without ``force_alias_creation``,
            an alias) is taken.
        """
        params: dict[str, object] = {"Username": v.username(username)}
        if attributes is not None:
            values = v.attributes(attributes)
            params["UserAttributes"] = [{"Name": n, "Value": val} for n, val in values.items()]
        if temporary_password is not None:
            params["TemporaryPassword"] = v.password(temporary_password, "temporary_password")
        if message_action is not None:
            params["MessageAction"] = v.one_of(message_action, "message_action", _MESSAGE_ACTIONS)
        if desired_delivery_mediums is not None:
            if isinstance(desired_delivery_mediums, str) or not isinstance(
                desired_delivery_mediums, Sequence
            ):
                raise InvalidParameterError(
                    "desired_delivery_mediums must be a list such as ['EMAIL']",
                    field="desired_delivery_mediums",
                )
            params["DesiredDeliveryMediums"] = [
                v.one_of(m, "desired_delivery_mediums", _MEDIUMS) for m in desired_delivery_mediums
            ]
        if v.boolean(force_alias_creation, "force_alias_creation"):
            params["ForceAliasCreation"] = True
        response = await self._call(
            "AdminCreateUser", UserPoolId=self._config.user_pool_id, **params
        )
        return _user(response, "AdminCreateUser")

    @admin_operation
    async def admin_get_user(self, *, username: str) -> AdminUser:
        """One user, by username or alias (AdminGetUser).

        :raises UserNotFoundError: no such user.
        """
        response = await self._call(
            "AdminGetUser", UserPoolId=self._config.user_pool_id, Username=v.username(username)
        )
        if "Username" not in response:
            raise UnexpectedResponseError("Cognito answered AdminGetUser without the user")
        return AdminUser.from_aws(response)

    @admin_operation
    async def list_users(
        self,
        *,
        filter: str | None = None,
        attributes_to_get: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[AdminUser]:
        """Every user of the pool, or those ``filter`` matches (ListUsers, every page, fetched
        as you iterate)::

            async for user in admin.list_users(filter='email ^= "ann"'):
                ...

        :param filter: ``name = "value"`` or ``name ^= "prefix"`` on ``username``,
            ``email``, ``phone_number``, ``name``, ``given_name``, ``family_name``,
            ``preferred_username``, ``cognito:user_status``, ``status`` or ``sub``.
        :param attributes_to_get: the attributes to return (all by default).
        :param limit: users per request (1 to 60); every page is read whatever its value.
        """
        params: dict[str, Any] = {}
        if filter is not None:
            params["Filter"] = check_filter(filter)
        if attributes_to_get is not None:
            params["AttributesToGet"] = _names(attributes_to_get, "attributes_to_get")
        pages = self._pages("ListUsers", "Users", token="PaginationToken", limit=limit, **params)
        async for raw in pages:
            yield AdminUser.from_aws(raw)

    @admin_operation
    async def admin_delete_user(self, *, username: str) -> None:
        """Delete a user (AdminDeleteUser).

        :raises UserNotFoundError: no such user.
        """
        await self._user_call("AdminDeleteUser", username)

    @admin_operation
    async def admin_disable_user(self, *, username: str) -> None:
        """Disable a user (AdminDisableUser): sign-in is refused until ``admin_enable_user``;
        tokens already issued stay valid until they expire (``admin_user_global_sign_out``
        revokes the refresh tokens)."""
        await self._user_call("AdminDisableUser", username)

    @admin_operation
    async def admin_enable_user(self, *, username: str) -> None:
        """Enable a disabled user again (AdminEnableUser)."""
        await self._user_call("AdminEnableUser", username)

    @admin_operation
    async def admin_set_user_password(
        self, *, username: str, password: str, permanent: bool
    ) -> None:
        """Set a user's password (AdminSetUserPassword). ``permanent=True``: the user signs
        in with it (and is confirmed); ``False``: it is temporary, and the next sign-in
        answers ``NEW_PASSWORD_REQUIRED``.

        :raises InvalidPasswordError: the pool's password policy refuses it.
        """
        await self._user_call(
            "AdminSetUserPassword",
            username,
            Password=v.password(password),
            Permanent=v.boolean(permanent, "permanent"),
        )

    @admin_operation
    async def admin_reset_user_password(self, *, username: str) -> None:
        """Reset a user's password (AdminResetUserPassword): Cognito sends a reset code, and
        the next sign-in raises ``PasswordResetRequiredError`` until the user sets a new
        password with ``password_reset`` and that code."""
        await self._user_call("AdminResetUserPassword", username)

    @admin_operation
    async def admin_confirm_sign_up(self, *, username: str) -> None:
        """Confirm a signed-up user without their code (AdminConfirmSignUp).

        :raises NotAuthorizedError: the user is not ``UNCONFIRMED``.
        """
        await self._user_call("AdminConfirmSignUp", username)

    @admin_operation
    async def admin_update_user_attributes(self, *, username: str, attributes: Attributes) -> None:
        """Set attributes of a user (AdminUpdateUserAttributes). A new email or phone number
        is unverified and gets a verification code unless ``email_verified`` /
        ``phone_number_verified`` is set to ``"true"`` in the same call."""
        values = v.attributes(attributes)
        if not values:
            raise InvalidParameterError("attributes must name at least one", field="attributes")
        await self._user_call(
            "AdminUpdateUserAttributes",
            username,
            UserAttributes=[{"Name": n, "Value": val} for n, val in values.items()],
        )

    @admin_operation
    async def admin_delete_user_attributes(
        self, *, username: str, attribute_names: Sequence[str]
    ) -> None:
        """Delete attributes of a user (AdminDeleteUserAttributes)."""
        names = _names(attribute_names, "attribute_names")
        if not names:
            raise InvalidParameterError(
                "attribute_names must name at least one", field="attribute_names"
            )
        await self._user_call("AdminDeleteUserAttributes", username, UserAttributeNames=names)

    @admin_operation
    async def admin_user_global_sign_out(self, *, username: str) -> None:
        """Sign a user out of every device (AdminUserGlobalSignOut): their refresh tokens
        are revoked, and Cognito refuses their access tokens."""
        await self._user_call("AdminUserGlobalSignOut", username)

    @admin_operation
    async def admin_list_devices(
        self, *, username: str, limit: int | None = None
    ) -> AsyncIterator[Device]:
        """Every device a user has signed in from, on pools that track devices
        (AdminListDevices, every page).

        :param limit: devices per request (1 to 60).
        """
        pages = self._pages(
            "AdminListDevices",
            "Devices",
            token="PaginationToken",
            limit=limit,
            Username=v.username(username),
        )
        async for raw in pages:
            yield device_from_aws(raw)

    @admin_operation
    async def admin_list_user_auth_events(
        self, *, username: str, limit: int | None = None
    ) -> AsyncIterator[AuthEvent]:
        """A user's sign-in and other auth events, newest first (AdminListUserAuthEvents,
        every page). Only pools with threat protection (advanced security) record them.

        :param limit: events per request (1 to 60).
        :raises UserPoolAddOnNotEnabledError: the pool has no threat protection.
        """
        pages = self._pages(
            "AdminListUserAuthEvents",
            "AuthEvents",
            limit_key="MaxResults",
            limit=limit,
            Username=v.username(username),
        )
        async for raw in pages:
            yield AuthEvent.from_aws(raw)

    async def _user_call(self, operation: str, username: str, **params: object) -> None:
        """An operation on one user that answers nothing worth returning."""
        await self._call(
            operation,
            UserPoolId=self._config.user_pool_id,
            Username=v.username(username),
            **params,
        )


class AdminUsersBlocking:
    """The blocking twins, for ``UserPoolAdmin``."""

    admin_create_user = blocking(AdminUsers.admin_create_user, "UserPoolAdmin")
    admin_get_user = blocking(AdminUsers.admin_get_user, "UserPoolAdmin")
    list_users = blocking_pages(AdminUsers.list_users)
    admin_delete_user = blocking(AdminUsers.admin_delete_user, "UserPoolAdmin")
    admin_disable_user = blocking(AdminUsers.admin_disable_user, "UserPoolAdmin")
    admin_enable_user = blocking(AdminUsers.admin_enable_user, "UserPoolAdmin")
    admin_set_user_password = blocking(AdminUsers.admin_set_user_password, "UserPoolAdmin")
    admin_reset_user_password = blocking(AdminUsers.admin_reset_user_password, "UserPoolAdmin")
    admin_confirm_sign_up = blocking(AdminUsers.admin_confirm_sign_up, "UserPoolAdmin")
    admin_update_user_attributes = blocking(
        AdminUsers.admin_update_user_attributes, "UserPoolAdmin"
    )
    admin_delete_user_attributes = blocking(
        AdminUsers.admin_delete_user_attributes, "UserPoolAdmin"
    )
    admin_user_global_sign_out = blocking(AdminUsers.admin_user_global_sign_out, "UserPoolAdmin")
    admin_list_devices = blocking_pages(AdminUsers.admin_list_devices)
    admin_list_user_auth_events = blocking_pages(AdminUsers.admin_list_user_auth_events)
