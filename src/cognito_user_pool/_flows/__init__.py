"""The user-pool flows, each written once as a coroutine, declared there with ``@flow``, and
given its blocking twin (``blocking()``) at the end of the same module.

``FLOWS`` is what the declarations registered: the shims, their Node names, the CLI's
coverage check, the docs' tables and the parameter-validation tests derive from it.
"""

from __future__ import annotations

from ._registry import Flow, registered
from .auth import AuthBlocking, AuthFlows
from .password import PasswordBlocking, PasswordFlows
from .profile import ProfileBlocking, ProfileFlows
from .signup import SignUpBlocking, SignUpFlows

__all__ = [
    "FLOWS",
    "AuthBlocking",
    "AuthFlows",
    "Flow",
    "PasswordBlocking",
    "PasswordFlows",
    "ProfileBlocking",
    "ProfileFlows",
    "SignUpBlocking",
    "SignUpFlows",
]

# Every flow module is imported above, so every flow has declared itself.
FLOWS: tuple[Flow, ...] = registered()
