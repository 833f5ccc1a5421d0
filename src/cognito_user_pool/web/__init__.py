"""Bearer-token guards for web frameworks (the optional extra ``web``).

- ``cognito_user_pool.web.starlette``: ``CognitoBearer``, a FastAPI dependency that also
  works in plain Starlette endpoints.
- ``cognito_user_pool.web.aiohttp``: ``cognito_middleware``, an aiohttp middleware.

Each reads ``Authorization: Bearer <token>``, verifies it with a ``TokenVerifier`` and hands
the ``VerifiedClaims`` to the handler. A refused token gets ``401`` with
``WWW-Authenticate: Bearer`` and a body that never says why (the reason is logged, by error
code only); keys that cannot be fetched get ``503``, since the client is not at fault.

This package imports no framework; each submodule imports only its own, and nothing in the
core imports this package.
"""

from __future__ import annotations

__all__ = ["bearer_token"]


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header value, else ``None``.

    The scheme is case-insensitive (RFC 7235); anything but exactly one token after it
    (no token, several words) gives ``None``.
    """
    if not authorization:
        return None
    parts = authorization.split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return parts[1]
