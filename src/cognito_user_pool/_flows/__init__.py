"""The user-pool flows, each written once as a coroutine and declared there with ``@flow``.

``FLOWS`` is what the declarations registered: the shims, their Node names, the CLI's
coverage check, the docs' tables and the parameter-validation tests derive from it.
"""

from __future__ import annotations

from ._registry import Flow, registered
from .auth import AuthFlows
from .password import PasswordFlows
from .profile import ProfileFlows
from .signup import SignUpFlows

__all__ = ["FLOWS", "AuthFlows", "Flow", "PasswordFlows", "ProfileFlows", "SignUpFlows"]

# Every flow module is imported above, so every flow has declared itself.
FLOWS: tuple[Flow, ...] = registered()
