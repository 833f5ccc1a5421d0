"""``cognito_middleware``: an aiohttp middleware that verifies bearer tokens.

Usage::

    verifier = TokenVerifier("eu-west-1_AbC123", "1example23456789")
    app = web.Application(middlewares=[cognito_middleware(verifier)])

    async def me(request: web.Request) -> web.Response:
        claims = request[CLAIMS_KEY]
        return web.json_response({"sub": claims.sub})
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .._errors import CognitoError
from .._verify import TokenUse, TokenVerifier, VerifiedClaims
from . import bearer_token
from ._responses import UNAUTHORIZED_DETAIL, UNAUTHORIZED_HEADERS, UNAVAILABLE_DETAIL, status_for

__all__ = ["CLAIMS_KEY", "cognito_middleware"]

# Where the middleware leaves the claims for the handler: `request[CLAIMS_KEY]`.
CLAIMS_KEY = web.RequestKey("cognito_claims", VerifiedClaims)


def cognito_middleware(
    verifier: TokenVerifier,
    *,
    token_use: TokenUse = "access",
    protect: Callable[[web.Request], bool] | None = None,
) -> Middleware:
    """A middleware that lets a request through only with a valid bearer token.

    :param verifier: the ``TokenVerifier`` of the pool (share one per process).
    :param token_use: ``"access"`` (the default) or ``"id"``.
    :param protect: which requests need a token; every request by default. Return False
        for public routes (health checks, CORS preflights).
    :returns: the middleware; the handler finds the claims in ``request[CLAIMS_KEY]``.
        A refused request gets 401 with ``WWW-Authenticate: Bearer`` (the body never says
        why), or 503 when the pool's keys cannot be fetched.
    """

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if protect is not None and not protect(request):
            return await handler(request)
        token = bearer_token(request.headers.get("Authorization"))
        if token is None:
            status_for(None)
            return _unauthorized()
        try:
            claims = await verifier.verify(token, token_use=token_use)
        except CognitoError as exc:
            if status_for(exc) == 503:
                return web.json_response({"detail": UNAVAILABLE_DETAIL}, status=503)
            return _unauthorized()
        request[CLAIMS_KEY] = claims
        return await handler(request)

    return middleware


def _unauthorized() -> web.Response:
    return web.json_response(
        {"detail": UNAUTHORIZED_DETAIL}, status=401, headers=dict(UNAUTHORIZED_HEADERS)
    )
