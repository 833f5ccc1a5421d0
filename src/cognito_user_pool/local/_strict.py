"""The strict layer: Cognito operations the local server answers itself, on moto's data.

moto keeps the users, pools, clients and JWT keys; the strict layer adds what a real pool
checks and moto does not (SRP proofs, codes, TOTP, single-use sessions, token expiry and
revocation, SECRET_HASH) and the operations moto lacks. It is split the way moto splits a
service: ``_state.py`` holds what the layer keeps (moto's ``models.py``), ``_ops/<area>.py``
answer the operations, each registered by its AWS name, and this module is the wire: it
parses a request body and runs the operation under the state's lock. Every moto detail goes
through ``_moto_internals``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping

from ._errors import ServiceError
from ._ops import DELEGATE, OPERATIONS, Params, Result
from ._state import StrictState

__all__ = ["DELEGATE", "StrictCognito"]


class StrictCognito(StrictState):
    """Answers the strict operations for one LocalCognito server.

    :param outbox: where every code goes (the server-wide outbox).
    :param clock: seconds since the epoch; injectable so tests can move time.
    :ivar handlers: AWS operation name -> its answer, bound to this server's state; derived
        from the ``@operation`` registry of ``local/_ops``.
    """

    @functools.cached_property
    def handlers(self) -> Mapping[str, Callable[[Params], Result]]:
        """The operations this layer answers (any other goes to moto unchanged)."""
        return {name: functools.partial(op, self) for name, op in OPERATIONS.items()}

    def handle(self, action: str, body: str) -> Result:
        """Run one operation; raises :class:`ServiceError` or a moto service error."""
        handler = self.handlers[action]
        try:
            params = json.loads(body or "{}")
        except ValueError as exc:
            raise ServiceError("SerializationException", "Request body is not JSON") from exc
        if not isinstance(params, dict):
            raise ServiceError("SerializationException", "Request body is not an object")
        with self.lock:
            return handler(params)
