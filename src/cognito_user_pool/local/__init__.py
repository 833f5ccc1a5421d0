"""A strict local Cognito for tests and development (extra ``[local]``).

moto's Cognito server, plus what moto does not check: SRP proofs, confirmation and MFA
codes, TOTP, single-use sessions, SECRET_HASH, expired and revoked tokens; plus the
operations moto lacks (devices, attribute verification, RevokeToken, ...). Codes are
"delivered" to an :class:`Outbox` (also served at ``GET /_local/outbox``); a state file
keeps pools and users across restarts. See ``docs/local-cognito.md``.
"""

from ._outbox import Outbox, OutboxMessage
from ._runner import serve
from ._server import LocalCognito, LocalPool
from ._state_file import StateFileError

__all__ = ["LocalCognito", "LocalPool", "Outbox", "OutboxMessage", "StateFileError", "serve"]
