"""Admin user management: AdminCreateUser, AdminSetUserPassword, AdminResetUserPassword,
AdminDeleteUser (a pre-hook; moto deletes)."""

from __future__ import annotations

import secrets
import string

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from ._common import check_password, find_pool, find_user, require, require_user
from ._registry import DELEGATE, Params, Result, operation
from .password import recovery

__all__ = [
    "admin_create_user",
    "admin_delete_user",
    "admin_reset_user_password",
    "admin_set_user_password",
]


def _temporary_password() -> str:
    # Meets AWS's default policy: upper, lower, digit, symbol, length >= 8.
    body = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(10))
    return f"Tmp{body}a1!"


@operation("AdminCreateUser")
def admin_create_user(st: StrictState, params: Params) -> Result:
    """AdminCreateUser: a generated temporary password is "sent" as an invitation."""
    pool = find_pool(require(params, "UserPoolId"))
    username = require(params, "Username")
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
        attrs = user.attributes
        destination = attrs.get("email") or attrs.get("phone_number") or user.username
        attribute = (
            "email"
            if attrs.get("email")
            else ("phone_number" if attrs.get("phone_number") else None)
        )
        st.send(pool, user, "invitation", temporary, attribute, destination)
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
