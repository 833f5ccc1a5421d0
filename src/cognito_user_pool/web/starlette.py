"""``CognitoBearer``: a FastAPI dependency (and Starlette helper) that verifies bearer tokens.

Usage with FastAPI::

    verifier = TokenVerifier("eu-west-1_AbC123", "1example23456789")
    bearer = CognitoBearer(verifier)

    @app.get("/me")
    async def me(claims: VerifiedClaims = Depends(bearer)) -> dict[str, str]:
        return {"sub": claims.sub}

In a plain Starlette endpoint, ``claims = await bearer(request)``.
"""

# No `from __future__ import annotations` here: FastAPI reads the annotation of
# `__call__`'s `request` parameter at run time to recognise it as the Request.

from starlette.exceptions import HTTPException
from starlette.requests import Request

from .._errors import CognitoError
from .._verify import TokenUse, TokenVerifier, VerifiedClaims
from . import bearer_token
from ._responses import UNAUTHORIZED_DETAIL, UNAUTHORIZED_HEADERS, UNAVAILABLE_DETAIL, status_for

__all__ = ["CognitoBearer"]


class CognitoBearer:
    """Verifies ``Authorization: Bearer <token>`` and returns the ``VerifiedClaims``.

    The claims are also left on ``request.state.cognito_claims``.

    :param verifier: the ``TokenVerifier`` of the pool (share one per process).
    :param token_use: ``"access"`` (the default) or ``"id"``.
    :raises starlette.exceptions.HTTPException: 401 with ``WWW-Authenticate: Bearer`` for a
        missing or refused token (the detail never says why), 503 when the pool's keys
        cannot be fetched.
    """

    def __init__(self, verifier: TokenVerifier, *, token_use: TokenUse = "access") -> None:
        self._verifier = verifier
        self._token_use: TokenUse = token_use

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._verifier!r}, token_use={self._token_use!r})"

    async def __call__(self, request: Request) -> VerifiedClaims:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            status_for(None)
            raise HTTPException(401, UNAUTHORIZED_DETAIL, headers=dict(UNAUTHORIZED_HEADERS))
        try:
            claims = await self._verifier.verify(token, token_use=self._token_use)
        except CognitoError as exc:
            status = status_for(exc)
            if status == 503:
                raise HTTPException(503, UNAVAILABLE_DETAIL) from None
            # `from None`: the verifier's reason stays in the server's log, not the response.
            raise HTTPException(
                401, UNAUTHORIZED_DETAIL, headers=dict(UNAUTHORIZED_HEADERS)
            ) from None
        request.state.cognito_claims = claims
        return claims
