"""The user-pool flows, each written once as a coroutine, declared there with ``@flow``, and
given its blocking twin (``blocking()``) at the end of the same module.

``FLOWS`` is what the declarations registered: the shims, their Node names, the CLI's
coverage check, the docs' tables and the parameter-validation tests derive from it.
"""

from __future__ import annotations

from ._registry import Flow, registered
from .account import AccountBlocking, AccountFlows
from .auth import AuthBlocking, AuthFlows
from .choice import ChoiceBlocking, ChoiceFlows
from .custom import CustomBlocking, CustomFlows
from .devices import DevicesBlocking, DevicesFlows
from .mfa import MfaBlocking, MfaFlows
from .passkeys import PasskeysBlocking, PasskeysFlows
from .password import PasswordBlocking, PasswordFlows
from .profile import ProfileBlocking, ProfileFlows
from .signup import SignUpBlocking, SignUpFlows

__all__ = [
    "FLOWS",
    "AccountBlocking",
    "AccountFlows",
    "AllBlocking",
    "AllFlows",
    "AuthBlocking",
    "AuthFlows",
    "ChoiceBlocking",
    "ChoiceFlows",
    "CustomBlocking",
    "CustomFlows",
    "DevicesBlocking",
    "DevicesFlows",
    "Flow",
    "MfaBlocking",
    "MfaFlows",
    "PasskeysBlocking",
    "PasskeysFlows",
    "PasswordBlocking",
    "PasswordFlows",
    "ProfileBlocking",
    "ProfileFlows",
    "SignUpBlocking",
    "SignUpFlows",
]


class AllFlows(
    AuthFlows,
    MfaFlows,
    PasswordFlows,
    ProfileFlows,
    SignUpFlows,
    AccountFlows,
    DevicesFlows,
    ChoiceFlows,
    CustomFlows,
    PasskeysFlows,
):
    """Every area's flows, for ``AsyncUserPool`` to inherit: a new area is added here only."""


class AllBlocking(
    AuthBlocking,
    MfaBlocking,
    PasswordBlocking,
    ProfileBlocking,
    SignUpBlocking,
    AccountBlocking,
    DevicesBlocking,
    ChoiceBlocking,
    CustomBlocking,
    PasskeysBlocking,
):
    """Every area's blocking twins, for ``UserPool`` to inherit."""


# Every flow module is imported above, so every flow has declared itself.
FLOWS: tuple[Flow, ...] = registered()
