"""``cognito_middleware``: an aiohttp middleware that verifies bearer tokens.

Usage::

    verifier = TokenVerifier("eu-west-1_AbC123", "1example23456789")
    app = web.Application(middlewares=[cognito_middleware(verifier)])

    async def me(request: web.Request) -> web.Response:
        claims = request[CLAIMS_KEY]
        return web.json_response({"sub": claims.sub})

With ``optional=True``, a request without a token reaches the handler anonymously
(``request.get(CLAIMS_KEY)`` is ``None``); a bad token is still refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .._errors import CognitoError
from .._multi_pool import TokenVerifiers
from .._verify import UNSET, ClaimsCheck, TokenUse, TokenVerifier, VerifiedClaims, _Unset
from . import bearer_token
from ._responses import detail_and_headers, status_for

__all__ = ["CLAIMS_KEY", "cognito_middleware"]

# Where the middleware leaves the claims for the handler: `request[CLAIMS_KEY]`.
CLAIMS_KEY = web.RequestKey("cognito_claims", VerifiedClaims)


def cognito_middleware(
    verifier: TokenVerifier | TokenVerifiers,
    *,
    token_use: TokenUse = "access",
    protect: Callable[[web.Request], bool] | None = None,
    optional: bool = False,
    groups: str | Iterable[str] | _Unset | None = UNSET,
    scopes: str | Iterable[str] | _Unset | None = UNSET,
    check: ClaimsCheck | _Unset | None = UNSET,
) -> Middleware:
    """A middleware that lets a request through only with a valid bearer token.

    :param verifier: the ``TokenVerifier`` (or ``TokenVerifiers``) of the pools (share one
        per process).
    :param token_use: ``"access"`` (the default) or ``"id"``.
    :param protect: which requests need a token; every request by default. Return False
        for public routes (health checks, CORS preflights).
    :param optional: let requests without a token through, anonymously.
    :param groups: required groups, instead of the verifier's (None: none).
    :param scopes: required scopes, instead of the verifier's (None: none).
    :param check: a custom check, instead of the verifier's (None: none).
    :returns: the middleware; the handler finds the claims in ``request[CLAIMS_KEY]``.
        A refused request gets 401 with ``WWW-Authenticate: Bearer`` (the body never says
        why); a valid token the policy refuses gets 403 (``error="insufficient_scope"``);
        503 when the pool's keys or the revocation store cannot be reached.
    """

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if protect is not None and not protect(request):
            return await handler(request)
        token = bearer_token(request.headers.get("Authorization"))
        if token is None:
            if optional:
                return await handler(request)
            return _refusal(status_for(None))
        try:
            claims = await verifier.verify(
                token, token_use=token_use, groups=groups, scopes=scopes, check=check
            )
        except CognitoError as exc:
            return _refusal(status_for(exc))
        request[CLAIMS_KEY] = claims
        return await handler(request)

    return middleware


def _refusal(status: int) -> web.Response:
    detail, headers = detail_and_headers(status)
    return web.json_response({"detail": detail}, status=status, headers=headers)
