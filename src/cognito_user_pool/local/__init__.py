"""A strict local Cognito for tests and development (extra ``[local]``).

moto's Cognito server, plus what moto does not check: SRP proofs, confirmation and MFA
codes, TOTP, passkeys, single-use sessions, SECRET_HASH, expired and revoked tokens; plus the
operations moto lacks (devices, passkeys, attribute verification, RevokeToken, ...).
:class:`SoftAuthenticator` plays the browser and authenticator of a passkey in tests. Codes are
"delivered" to an :class:`Outbox` (also served at ``GET /_local/outbox``); a state file
keeps pools and users across restarts. See ``docs/local-cognito.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._outbox import Outbox, OutboxMessage
    from ._runner import serve
    from ._server import LocalCognito, LocalPool
    from ._soft_authenticator import SoftAuthenticator
    from ._state_file import StateFileError
    from ._triggers import CustomAuthTriggers

__all__ = [
    "CustomAuthTriggers",
    "LocalCognito",
    "LocalPool",
    "Outbox",
    "OutboxMessage",
    "SoftAuthenticator",
    "StateFileError",
    "serve",
]

# Public name -> the module defining it. Imported on first use (PEP 562), so that
# `cognito_user_pool.local._options`, which the CLI reads for `local`'s flags, can be
# imported without moto and werkzeug, which only the server needs.
_WHERE = {
    "CustomAuthTriggers": "._triggers",
    "Outbox": "._outbox",
    "OutboxMessage": "._outbox",
    "serve": "._runner",
    "LocalCognito": "._server",
    "LocalPool": "._server",
    "SoftAuthenticator": "._soft_authenticator",
    "StateFileError": "._state_file",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value
