"""The operations the strict layer answers, one module per area, each registered by its AWS
name with ``@operation`` where it is written. Importing this package fills
:data:`OPERATIONS`; ``StrictCognito.handlers`` is derived from it.

``_user_auth`` (choice-based sign-in) and ``_custom_auth`` (CUSTOM_AUTH and its triggers)
register a flow and challenge answers, no operation.

A new operation goes in its area's module (or a new module imported below) with
``@operation("AwsName")`` on a function ``(state, params) -> result``.
"""

from . import (
    _custom_auth,  # noqa: F401 - registers CUSTOM_AUTH and its answers
    _user_auth,  # noqa: F401 - registers USER_AUTH and its answers
    admin,
    auth,
    devices,
    mfa,
    passkeys,
    password,
    profile,
    signup,
    tokens,
)
from ._registry import DELEGATE, OPERATIONS, Operation, Params, Result, operation

__all__ = [
    "DELEGATE",
    "OPERATIONS",
    "Operation",
    "Params",
    "Result",
    "admin",
    "auth",
    "devices",
    "mfa",
    "operation",
    "passkeys",
    "password",
    "profile",
    "signup",
    "tokens",
]
