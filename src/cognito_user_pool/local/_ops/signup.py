"""Sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode."""

from __future__ import annotations

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from ._common import (
    check_password,
    check_secret_hash,
    delivery,
    details,
    find_client,
    require,
    require_user,
)
from ._registry import Params, Result, operation
from ._user_auth import sign_up_session

__all__ = ["confirm_sign_up", "resend_confirmation_code", "sign_up"]


@operation("SignUp")
def sign_up(st: StrictState, params: Params) -> Result:
    """SignUp: moto creates the UNCONFIRMED user; we check SECRET_HASH and send the code."""
    pool, client = find_client(require(params, "ClientId"))
    username = require(params, "Username")
    password = require(params, "Password")
    check_secret_hash(client, username, params.get("SecretHash"))
    _check_username_free(pool, str(username))
    check_password(pool, password, msg.PASSWORD_POLICY_SIGN_UP)
    user = pool.sign_up(client.id, username, password, params.get("UserAttributes") or [])
    st.set_password(pool, user, password)
    result: Result = {"UserConfirmed": False, "UserSub": user.sub}
    sent_to = delivery(pool, user)
    if sent_to is not None:
        st.issue_code(pool, user, "signup", sent_to[0], sent_to[1])
        result["CodeDeliveryDetails"] = details(*sent_to)
    return result


def _check_username_free(pool: mi.MotoPool, username: str) -> None:
    """SignUp's UsernameExistsException, worded as AWS words it for the kind of pool."""
    if pool.user_by_username(username) is not None:
        raise msg.USER_EXISTS.error()
    for attribute in pool.config.get("UsernameAttributes") or []:
        if any(u.attributes.get(attribute) == username for u in pool.users()):
            raise msg.ATTRIBUTE_USERNAME_EXISTS.error(attribute=attribute)


@operation("ConfirmSignUp")
def confirm_sign_up(st: StrictState, params: Params) -> Result:
    """ConfirmSignUp with a real code check; marks the delivery attribute verified.

    Returns a ``Session`` "that you can use to immediately sign in the confirmed user"
    (ConfirmSignUp reference): InitiateAuth USER_AUTH with it gives tokens once
    (``_user_auth``). The ``Session`` SignUp would return is accepted here and not checked:
    this server's SignUp returns none, and the answer does not depend on it.
    """
    pool, client = find_client(require(params, "ClientId"))
    username = require(params, "Username")
    code = require(params, "ConfirmationCode")
    check_secret_hash(client, username, params.get("SecretHash"))
    user = require_user(pool, username, msg.USERNAME_CLIENT_NOT_FOUND)
    if user.status != "UNCONFIRMED":
        raise msg.CANNOT_CONFIRM.error(status=user.status)
    sent_to = delivery(pool, user)
    attribute = sent_to[0] if sent_to else "email"
    st.check_code(pool, user, "signup", attribute, code)
    user.status = "CONFIRMED"
    if sent_to is not None:
        user.update_attributes({f"{attribute}_verified": "true"})
    return {"Session": sign_up_session(st, pool, client, user)}


@operation("ResendConfirmationCode")
def resend_confirmation_code(st: StrictState, params: Params) -> Result:
    """ResendConfirmationCode: a new code that supersedes the previous one."""
    pool, client = find_client(require(params, "ClientId"))
    username = require(params, "Username")
    check_secret_hash(client, username, params.get("SecretHash"))
    user = require_user(pool, username, msg.USERNAME_CLIENT_NOT_FOUND)
    if user.status != "UNCONFIRMED":
        raise msg.ALREADY_CONFIRMED.error()
    sent_to = delivery(pool, user)
    if sent_to is None:
        raise ServiceError(
            "InvalidParameterException",
            "Cannot resend codes. Auto verification not turned on.",
        )
    st.issue_code(pool, user, "signup", sent_to[0], sent_to[1])
    return {"CodeDeliveryDetails": details(*sent_to)}
