"""Passwords: ForgotPassword, ConfirmForgotPassword, ChangePassword."""

from __future__ import annotations

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from ._common import (
    authenticate,
    check_password,
    check_secret_hash,
    details,
    find_client,
    require,
    require_user,
)
from ._registry import Params, Result, operation

__all__ = ["change_password", "confirm_forgot_password", "forgot_password", "recovery"]


def recovery(pool: mi.MotoPool, user: mi.MotoUser) -> tuple[str, str]:
    """(attribute, destination) of a reset code, by the pool's AccountRecoverySetting."""
    setting = pool.config.get("AccountRecoverySetting") or {}
    mechanisms = sorted(
        setting.get("RecoveryMechanisms")
        or [
            {"Priority": 1, "Name": "verified_phone_number"},
            {"Priority": 2, "Name": "verified_email"},
        ],
        key=lambda m: int(m["Priority"]),
    )
    attrs = user.attributes
    for mechanism in mechanisms:
        if mechanism["Name"] == "admin_only":
            raise ServiceError("NotAuthorizedException", "Contact administrator to reset password.")
        attribute = "phone_number" if mechanism["Name"] == "verified_phone_number" else "email"
        if attrs.get(attribute) and attrs.get(f"{attribute}_verified") == "true":
            return attribute, attrs[attribute]
    raise msg.RESET_NOT_POSSIBLE.error()


@operation("ForgotPassword")
def forgot_password(st: StrictState, params: Params) -> Result:
    """ForgotPassword: sends a reset code to the verified recovery attribute."""
    pool, client = find_client(require(params, "ClientId"))
    username = require(params, "Username")
    check_secret_hash(client, username, params.get("SecretHash"))
    user = require_user(pool, username, msg.USERNAME_CLIENT_NOT_FOUND)
    if not user.enabled:
        raise msg.USER_DISABLED.error()
    attribute, destination = recovery(pool, user)
    st.issue_code(pool, user, "forgot_password", attribute, destination)
    return {"CodeDeliveryDetails": details(attribute, destination)}


@operation("ConfirmForgotPassword")
def confirm_forgot_password(st: StrictState, params: Params) -> Result:
    """ConfirmForgotPassword: policy first (a bad password keeps the code), then the code."""
    pool, client = find_client(require(params, "ClientId"))
    username = require(params, "Username")
    code = require(params, "ConfirmationCode")
    password = require(params, "Password")
    check_secret_hash(client, username, params.get("SecretHash"))
    user = require_user(pool, username, msg.USERNAME_CLIENT_NOT_FOUND)
    check_password(pool, password)
    attribute = next(
        (k[3] for k in st.codes if k[:3] == (pool.id, user.username, "forgot_password")),
        "email",
    )
    st.check_code(pool, user, "forgot_password", attribute, code)
    st.set_password(pool, user, password)
    if user.status in ("RESET_REQUIRED", "FORCE_CHANGE_PASSWORD"):
        user.status = "CONFIRMED"
    return {}


@operation("ChangePassword")
def change_password(st: StrictState, params: Params) -> Result:
    """ChangePassword: the previous password must match; the policy applies."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    previous = params.get("PreviousPassword")
    proposed = require(params, "ProposedPassword")
    if not st.password_matches(pool, user, previous):
        raise msg.INCORRECT_CREDENTIALS.error()
    check_password(pool, proposed)
    st.set_password(pool, user, proposed)
    return {}
