"""The signed-in user's profile: GetUser, UpdateUserAttributes, DeleteUserAttributes,
GetUserAttributeVerificationCode, VerifyUserAttribute, DeleteUser."""

from __future__ import annotations

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from ._common import authenticate, details, mfa_setting_list, require
from ._registry import Params, Result, operation

__all__ = [
    "apply_attribute_updates",
    "delete_user",
    "delete_user_attributes",
    "get_user",
    "get_user_attribute_verification_code",
    "remove_attributes",
    "update_user_attributes",
    "verify_user_attribute",
]


@operation("GetUser")
def get_user(st: StrictState, params: Params) -> Result:
    """GetUser: ``UserMFASettingList`` with e-mail MFA too (moto knows only SMS and TOTP), and
    the legacy MFAOptions filled in from SetUserSettings."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    wire = user.to_json("UserAttributes")
    result: Result = {
        "Username": user.username,
        "UserAttributes": wire.get("UserAttributes", []),
        "UserMFASettingList": mfa_setting_list(st, pool, user),
    }
    if user.preferred_mfa:
        result["PreferredMfaSetting"] = user.preferred_mfa
    options = st.user_state(pool, user).mfa_options
    if options:
        result["MFAOptions"] = options
    return result


def _check_aliases(pool: mi.MotoPool, user: mi.MotoUser, updates: dict[str, str]) -> None:
    unique = set(pool.config.get("UsernameAttributes") or []) | set(
        a for a in pool.config.get("AliasAttributes") or [] if a != "preferred_username"
    )
    for name in unique & updates.keys():
        for other in pool.users():
            if other.username != user.username and other.attributes.get(name) == updates[name]:
                raise msg.ALIAS_EXISTS.error(attribute=name)


@operation("UpdateUserAttributes")
def update_user_attributes(st: StrictState, params: Params) -> Result:
    """UpdateUserAttributes; a changed auto-verified email/phone becomes unverified + code."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    sent = apply_attribute_updates(st, pool, user, require(params, "UserAttributes"))
    return {"CodeDeliveryDetailsList": sent} if sent else {}


def apply_attribute_updates(
    st: StrictState, pool: mi.MotoPool, user: mi.MotoUser, attributes: list[Params]
) -> list[Result]:
    """What (Admin)UpdateUserAttributes change: ``sub`` is immutable, an alias or username
    attribute stays unique, and a changed auto-verified e-mail/phone becomes unverified with a
    code sent, unless ``<attr>_verified`` is set in the same call (API_UpdateUserAttributes,
    API_AdminUpdateUserAttributes). Returns the CodeDeliveryDetails of the codes sent."""
    updates = {a["Name"]: str(a["Value"]) for a in attributes}
    if "sub" in updates:
        raise ServiceError("InvalidParameterException", "user.sub: Attribute cannot be updated.")
    _check_aliases(pool, user, updates)
    before = user.attributes
    user.update_attributes(updates)
    auto = pool.config.get("AutoVerifiedAttributes") or []
    sent = []
    for name in ("email", "phone_number"):
        changed = name in updates and updates[name] != before.get(name)
        if changed and name in auto and f"{name}_verified" not in updates:
            user.update_attributes({f"{name}_verified": "false"})
            st.issue_code(pool, user, "verify_attribute", name, updates[name])
            sent.append(details(name, updates[name]))
    return sent


@operation("DeleteUserAttributes")
def delete_user_attributes(st: StrictState, params: Params) -> Result:
    """DeleteUserAttributes."""
    _, user, _ = authenticate(st, params.get("AccessToken"))
    remove_attributes(user, list(require(params, "UserAttributeNames")))
    return {}


def remove_attributes(user: mi.MotoUser, names: list[str]) -> None:
    """What (Admin)DeleteUserAttributes remove; ``sub`` cannot go."""
    if "sub" in names:
        raise ServiceError("InvalidParameterException", "user.sub: Attribute cannot be deleted.")
    user.delete_attributes(names)


@operation("GetUserAttributeVerificationCode")
def get_user_attribute_verification_code(st: StrictState, params: Params) -> Result:
    """GetUserAttributeVerificationCode: a code for email or phone_number."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    name = require(params, "AttributeName")
    if name not in ("email", "phone_number"):
        raise ServiceError("InvalidParameterException", f"Invalid attribute name {name}.")
    value = user.attributes.get(name)
    if not value:
        raise ServiceError("InvalidParameterException", f"User has no attribute {name}.")
    st.issue_code(pool, user, "verify_attribute", name, value)
    return {"CodeDeliveryDetails": details(name, value)}


@operation("VerifyUserAttribute")
def verify_user_attribute(st: StrictState, params: Params) -> Result:
    """VerifyUserAttribute: checks the code and sets ``<attr>_verified`` to true."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    name = require(params, "AttributeName")
    code = require(params, "Code")
    st.check_code(pool, user, "verify_attribute", name, code)
    user.update_attributes({f"{name}_verified": "true"})
    return {}


@operation("DeleteUser")
def delete_user(st: StrictState, params: Params) -> Result:
    """DeleteUser: the user and every token go."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    st.sign_out(pool, user)
    st.forget_user(pool, user)
    pool.delete_user(user)
    return {}
