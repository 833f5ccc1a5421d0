"""The seventeen user-pool flows, each written once as a coroutine, and the FLOWS table.

FLOWS pairs each Python name with the Node library's name; the shims, their aliases, the
docs' migration table and the surface-parity test all derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .auth import AuthFlows
from .password import PasswordFlows
from .profile import ProfileFlows
from .signup import SignUpFlows

__all__ = ["FLOWS", "AuthFlows", "Flow", "PasswordFlows", "ProfileFlows", "SignUpFlows"]


@dataclass(frozen=True)
class Flow:
    """One flow: its Python name, its Node name, and whether it acts for a signed-in user
    (and so takes ``username`` plus ``access_token``/``id_token`` or ``refresh_token``)."""

    name: str
    node_name: str
    signed_in: bool


FLOWS: tuple[Flow, ...] = (
    Flow("signup", "signup", signed_in=False),
    Flow("signup_confirm", "signupConfirm", signed_in=False),
    Flow("signup_resend", "signupResend", signed_in=False),
    Flow("login", "login", signed_in=False),
    Flow("login_mfa", "loginMfa", signed_in=False),
    Flow("login_new_password_required", "loginNewPasswordRequired", signed_in=False),
    Flow("logout", "logout", signed_in=True),
    Flow("refresh_session", "refreshSession", signed_in=False),
    Flow("get_mfa", "getMfa", signed_in=True),
    Flow("set_mfa", "setMfa", signed_in=True),
    Flow("profile", "profile", signed_in=True),
    Flow("profile_edit", "profileEdit", signed_in=True),
    Flow("profile_attribute_confirm", "profileAttributeConfirm", signed_in=True),
    Flow("profile_edit_phone_number", "profileEditPhoneNumber", signed_in=True),
    Flow("password_change", "passwordChange", signed_in=True),
    Flow("password_forgot", "passwordForgot", signed_in=False),
    Flow("password_reset", "passwordReset", signed_in=False),
)
