"""Admin user management: AdminCreateUser, AdminSetUserPassword, AdminResetUserPassword,
AdminDeleteUser (a pre-hook; moto deletes), AdminConfirmSignUp, AdminDisableUser,
AdminEnableUser, AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminListUserAuthEvents;
reading users: AdminGetUser, ListUsers (``Filter``, ``AttributesToGet``, ``Limit``, pages);
groups: CreateGroup, GetGroup, UpdateGroup, ListGroups, DeleteGroup, AdminAddUserToGroup,
AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

moto answers most of these, but names only the group or the pool in its errors where AWS says
"Group not found." / "User pool ... does not exist.", accepts a ``Limit`` above 60, knows no
e-mail MFA in AdminGetUser and no AdminListUserAuthEvents; lists here are paged by username /
group name with tokens tied to their request (``_paging``).

Every ``Username`` may be the username, a username attribute or an alias, as the API reference
says of these operations ("it can be any of their alias attributes")."""

from __future__ import annotations

import secrets
import string

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from ._common import (
    check_password,
    find_pool,
    find_user,
    mfa_setting_list,
    require,
    require_user,
)
from ._groups import check_precedence, group, group_json, pool_groups
from ._paging import limit, page
from ._registry import DELEGATE, Params, Result, operation
from ._sign_in_policy import check_policies
from ._users import match_filter, user_summary
from .password import recovery
from .profile import apply_attribute_updates, remove_attributes

__all__ = [
    "admin_add_user_to_group",
    "admin_confirm_sign_up",
    "admin_create_user",
    "admin_delete_user",
    "admin_delete_user_attributes",
    "admin_disable_user",
    "admin_enable_user",
    "admin_get_user",
    "admin_list_groups_for_user",
    "admin_list_user_auth_events",
    "admin_remove_user_from_group",
    "admin_reset_user_password",
    "admin_set_user_password",
    "admin_update_user_attributes",
    "create_group",
    "create_user_pool",
    "delete_group",
    "get_group",
    "list_groups",
    "list_users",
    "list_users_in_group",
    "update_group",
    "update_user_pool",
]


def _temporary_password() -> str:
    # Meets AWS's default policy: upper, lower, digit, symbol, length >= 8.
    body = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(10))
    return f"Tmp{body}a1!"


def _enum(params: Params, name: str, allowed: tuple[str, ...]) -> None:
    """A value outside the model's enum, refused in AWS's validation form (words a guess)."""
    value = params.get(name)
    if value is not None and value not in allowed:
        field = name[:1].lower() + name[1:]
        raise ServiceError(
            "InvalidParameterException",
            f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]",
        )


def _invite(
    st: StrictState, pool: mi.MotoPool, user: mi.MotoUser, temporary: str, mediums: list[str]
) -> None:
    """The invitation: to each of ``mediums`` the user can be reached by, or by default to the
    e-mail, else the phone number (else, as before, to the username itself)."""
    attrs = user.attributes
    if mediums:
        where = {"EMAIL": "email", "SMS": "phone_number"}
        targets = [where[m] for m in mediums if attrs.get(where[m])]
    else:
        first = next((a for a in ("email", "phone_number") if attrs.get(a)), None)
        targets = [first] if first else []
    for attribute in targets:
        st.send(pool, user, "invitation", temporary, attribute, attrs[attribute])
    if not targets and not mediums:
        st.send(pool, user, "invitation", temporary, None, user.username)


@operation("AdminCreateUser")
def admin_create_user(st: StrictState, params: Params) -> Result:
    """AdminCreateUser (API_AdminCreateUser): a FORCE_CHANGE_PASSWORD user whose temporary
    password (given, under the pool's policy, or generated) is "sent" as an invitation.

    - ``MessageAction`` SUPPRESS sends nothing; RESEND re-sends to an existing user still in
      FORCE_CHANGE_PASSWORD (a new temporary password unless one is given).
    - ``DesiredDeliveryMediums`` EMAIL and/or SMS pick where the invitation goes, each to the
      user's address / number when it has one; without it, the e-mail, else the phone number.
    """
    pool = find_pool(require(params, "UserPoolId"))
    username = require(params, "Username")
    _enum(params, "MessageAction", ("RESEND", "SUPPRESS"))
    mediums = params.get("DesiredDeliveryMediums")
    for medium in mediums or []:
        _enum({"DesiredDeliveryMediums": medium}, "DesiredDeliveryMediums", ("SMS", "EMAIL"))
    action = params.get("MessageAction")
    if params.get("TemporaryPassword"):
        check_password(pool, params["TemporaryPassword"], msg.PASSWORD_POLICY_ADMIN_CREATE)
    temporary = params.get("TemporaryPassword") or _temporary_password()
    if action == "RESEND":
        user = require_user(pool, username)
        if user.status != "FORCE_CHANGE_PASSWORD":
            raise ServiceError("UnsupportedUserStateException", f"User status is {user.status}")
    else:
        user = pool.admin_create_user(
            username, action, temporary, params.get("UserAttributes") or []
        )
    st.set_password(pool, user, temporary)
    if action != "SUPPRESS":
        _invite(st, pool, user, temporary, list(mediums or []))
    return {"User": user.to_json("Attributes")}


@operation("AdminSetUserPassword")
def admin_set_user_password(st: StrictState, params: Params) -> Result:
    """AdminSetUserPassword: the policy with AWS's wording; only the verifier is kept."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    password = require(params, "Password")
    check_password(pool, password)
    st.set_password(pool, user, password)
    user.status = "CONFIRMED" if params.get("Permanent") else "FORCE_CHANGE_PASSWORD"
    return {}


@operation("AdminDeleteUser")
def admin_delete_user(st: StrictState, params: Params) -> Result:
    """AdminDeleteUser: drop our per-user state, then let moto delete."""
    pool = mi.find_pool(str(params.get("UserPoolId", "")))
    if pool is not None:
        user = find_user(pool, str(params.get("Username", "")))
        if user is not None:
            st.sign_out(pool, user)
            st.forget_user(pool, user)
    return DELEGATE


@operation("AdminResetUserPassword")
def admin_reset_user_password(st: StrictState, params: Params) -> Result:
    """AdminResetUserPassword: RESET_REQUIRED plus a reset code in the outbox."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    if not user.enabled:
        raise msg.USER_DISABLED.error()
    attribute, destination = recovery(pool, user)
    user.status = "RESET_REQUIRED"
    st.issue_code(pool, user, "forgot_password", attribute, destination)
    return {}


@operation("AdminConfirmSignUp")
def admin_confirm_sign_up(st: StrictState, params: Params) -> Result:
    """AdminConfirmSignUp: confirms an UNCONFIRMED user without a code; any other status is
    refused as ConfirmSignUp refuses it ("User cannot be confirmed. Current status is ...")."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    if user.status != "UNCONFIRMED":
        raise msg.CANNOT_CONFIRM.error(status=user.status)
    user.status = "CONFIRMED"
    return {}


@operation("AdminDisableUser")
def admin_disable_user(st: StrictState, params: Params) -> Result:
    """AdminDisableUser: "Deactivates a user profile and revokes all access tokens for the
    user. A deactivated user can't sign in" (API_AdminDisableUser). Its refresh tokens are
    refused while it stays disabled ("User is disabled.")."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    user.enabled = False
    for token in pool.access_tokens_of(user.username):
        st.revoke_access_token(pool, token)
    return {}


@operation("AdminEnableUser")
def admin_enable_user(st: StrictState, params: Params) -> Result:
    """AdminEnableUser: the user can sign in again (API_AdminEnableUser)."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    user.enabled = True
    return {}


@operation("AdminUpdateUserAttributes")
def admin_update_user_attributes(st: StrictState, params: Params) -> Result:
    """AdminUpdateUserAttributes: the rules of UpdateUserAttributes (``sub`` immutable, unique
    aliases, a changed auto-verified e-mail/phone unverified with a code unless
    ``<attr>_verified`` is set in the same call); the answer is empty
    (API_AdminUpdateUserAttributes)."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    apply_attribute_updates(st, pool, user, require(params, "UserAttributes"))
    return {}


@operation("AdminDeleteUserAttributes")
def admin_delete_user_attributes(st: StrictState, params: Params) -> Result:
    """AdminDeleteUserAttributes: as DeleteUserAttributes (``sub`` cannot go)."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    remove_attributes(user, list(require(params, "UserAttributeNames")))
    return {}


@operation("AdminListUserAuthEvents")
def admin_list_user_auth_events(st: StrictState, params: Params) -> Result:
    """AdminListUserAuthEvents: "Requests a history of user activity and any risks detected as
    part of Amazon Cognito threat protection" (API_AdminListUserAuthEvents), so a pool without
    threat protection (``UserPoolAddOns.AdvancedSecurityMode`` AUDIT or ENFORCED) gets
    UserPoolAddOnNotEnabledException ("This exception is thrown when user pool add-ons aren't
    enabled"; the message's words are a guess). This server records no auth events, so a pool
    with threat protection gets an empty history rather than invented events."""
    pool = find_pool(require(params, "UserPoolId"))
    require_user(pool, require(params, "Username"))  # an unknown user: UserNotFoundException
    mode = (pool.config.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode", "OFF")
    if mode not in ("AUDIT", "ENFORCED"):
        raise ServiceError(
            "UserPoolAddOnNotEnabledException",
            "Threat protection is not enabled for this user pool.",
        )
    return {"AuthEvents": []}


# ---- reading users -----------------------------------------------------------------------------


@operation("ListUsers")
def list_users(st: StrictState, params: Params) -> Result:
    """ListUsers: AWS's filter grammar and searchable attributes, ``Limit`` 0..60, and pages
    that return each matching user exactly once (see ``_paging``)."""
    pool = find_pool(require(params, "UserPoolId"))
    text = str(params.get("Filter") or "")
    matches = match_filter(text)
    size = limit(params)
    to_get = params.get("AttributesToGet")
    users = [user for user in pool.users() if matches(user)]
    chunk, token = page(
        users,
        lambda u: u.username,
        params.get("PaginationToken"),
        size,
        f"ListUsers|{pool.id}|{text}",
    )
    result: Result = {
        "Users": [
            user_summary(u, "Attributes", None if to_get is None else list(to_get)) for u in chunk
        ]
    }
    if token is not None:
        result["PaginationToken"] = token
    return result


@operation("AdminGetUser")
def admin_get_user(st: StrictState, params: Params) -> Result:
    """AdminGetUser: as GetUser shows the user (``UserMFASettingList`` with e-mail MFA, which
    moto does not know), plus status, dates and ``Enabled`` (API_AdminGetUser). The user may be
    named by username, by a username attribute or by an alias, as for the other admin
    operations."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    result = user.to_json("UserAttributes")
    result["Username"] = user.username
    result["UserMFASettingList"] = mfa_setting_list(st, pool, user)
    if user.preferred_mfa:
        result["PreferredMfaSetting"] = user.preferred_mfa
    else:
        result.pop("PreferredMfaSetting", None)
    options = st.user_state(pool, user).mfa_options
    if options:
        result["MFAOptions"] = options
    return result


# ---- groups -------------------------------------------------------------------------------------


@operation("CreateGroup")
def create_group(st: StrictState, params: Params) -> Result:
    """CreateGroup: a pre-hook (pool, name, precedence, duplicate), then moto creates it.

    GroupExistsException is the reference's ("This exception is thrown when Amazon Cognito
    encounters a group that already exists in the user pool"); its words are moto's (a guess)."""
    pool = find_pool(require(params, "UserPoolId"))
    name = require(params, "GroupName")
    check_precedence(params)
    if name in pool_groups(pool):
        raise ServiceError("GroupExistsException", "A group with the name already exists.")
    return DELEGATE


@operation("GetGroup")
def get_group(st: StrictState, params: Params) -> Result:
    """GetGroup: name, description, precedence, role and dates (API_GetGroup)."""
    pool = find_pool(require(params, "UserPoolId"))
    return {"Group": group_json(group(pool, params))}


@operation("UpdateGroup")
def update_group(st: StrictState, params: Params) -> Result:
    """UpdateGroup: a pre-hook (pool, group, precedence), then moto updates it."""
    pool = find_pool(require(params, "UserPoolId"))
    group(pool, params)
    check_precedence(params)
    return DELEGATE


@operation("DeleteGroup")
def delete_group(st: StrictState, params: Params) -> Result:
    """DeleteGroup: moto deletes the group and the memberships; the users stay."""
    pool = find_pool(require(params, "UserPoolId"))
    group(pool, params)
    return DELEGATE


@operation("ListGroups")
def list_groups(st: StrictState, params: Params) -> Result:
    """ListGroups: ``Limit`` 0..60 and ``NextToken``, by group name."""
    pool = find_pool(require(params, "UserPoolId"))
    chunk, token = page(
        list(pool_groups(pool).values()),
        lambda g: str(g.group_name),
        params.get("NextToken"),
        limit(params),
        f"ListGroups|{pool.id}",
    )
    result: Result = {"Groups": [group_json(g) for g in chunk]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("AdminAddUserToGroup")
def admin_add_user_to_group(st: StrictState, params: Params) -> Result:
    """AdminAddUserToGroup: the group, then the user (by username or alias); adding a member
    again changes nothing."""
    pool = find_pool(require(params, "UserPoolId"))
    found = group(pool, params)
    user = require_user(pool, require(params, "Username"))
    found.users.add(user.raw)
    user.raw.groups.add(found)
    return {}


@operation("AdminRemoveUserFromGroup")
def admin_remove_user_from_group(st: StrictState, params: Params) -> Result:
    """AdminRemoveUserFromGroup: the group, then the user; a non-member is not an error."""
    pool = find_pool(require(params, "UserPoolId"))
    found = group(pool, params)
    user = require_user(pool, require(params, "Username"))
    found.users.discard(user.raw)
    user.raw.groups.discard(found)
    return {}


@operation("AdminListGroupsForUser")
def admin_list_groups_for_user(st: StrictState, params: Params) -> Result:
    """AdminListGroupsForUser: the user's groups, ``Limit`` 0..60 and ``NextToken``."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    chunk, token = page(
        list(user.raw.groups),
        lambda g: str(g.group_name),
        params.get("NextToken"),
        limit(params),
        f"AdminListGroupsForUser|{pool.id}|{user.username}",
    )
    result: Result = {"Groups": [group_json(g) for g in chunk]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("ListUsersInGroup")
def list_users_in_group(st: StrictState, params: Params) -> Result:
    """ListUsersInGroup: the members as ListUsers shows users, ``Limit`` 0..60, ``NextToken``."""
    pool = find_pool(require(params, "UserPoolId"))
    found = group(pool, params)
    members = [user for user in pool.users() if user.raw in found.users]
    chunk, token = page(
        members,
        lambda u: u.username,
        params.get("NextToken"),
        limit(params),
        f"ListUsersInGroup|{pool.id}|{found.group_name}",
    )
    result: Result = {"Users": [user_summary(u, "Attributes") for u in chunk]}
    if token is not None:
        result["NextToken"] = token
    return result


# ---- pools ----------------------------------------------------------------------------------


@operation("CreateUserPool")
def create_user_pool(st: StrictState, params: Params) -> Result:
    """A pre-hook: the sign-in policy checked (``_sign_in_policy``), then moto creates the
    pool with it."""
    check_policies(params)
    return DELEGATE


@operation("UpdateUserPool")
def update_user_pool(st: StrictState, params: Params) -> Result:
    """A pre-hook: the sign-in policy checked, then moto replaces the pool's settings (all of
    them, as AWS's UpdateUserPool does)."""
    check_policies(params)
    return DELEGATE
