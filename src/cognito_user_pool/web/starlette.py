"""``CognitoBearer``: a FastAPI dependency (and Starlette helper) that verifies bearer tokens.

Usage with FastAPI::

    verifier = TokenVerifier("eu-west-1_AbC123", "1example23456789")
    bearer = CognitoBearer(verifier)
    admins = CognitoBearer(verifier, groups="admins")
    maybe = OptionalCognitoBearer(verifier)

    @app.get("/me")
    async def me(claims: VerifiedClaims = Depends(bearer)) -> dict[str, str]:
        return {"sub": claims.sub}

    @app.get("/")
    async def home(claims: VerifiedClaims | None = Depends(maybe)) -> dict[str, str]:
        return {"hello": claims.username if claims else "stranger"}

In a plain Starlette endpoint, ``claims = await bearer(request)``.
"""

# No `from __future__ import annotations` here: FastAPI reads the annotation of
# `__call__`'s `request` parameter at run time to recognise it as the Request.

from collections.abc import Iterable

from starlette.exceptions import HTTPException
from starlette.requests import Request

from .._errors import CognitoError
from .._multi_pool import TokenVerifiers
from .._verify import UNSET, ClaimsCheck, TokenUse, TokenVerifier, VerifiedClaims, _Unset
from . import bearer_token
from ._responses import detail_and_headers, status_for

__all__ = ["CognitoBearer", "OptionalCognitoBearer"]


class _Bearer:
    """What both dependencies share: the verifier, the token use and the route's policy."""

    def __init__(
        self,
        verifier: TokenVerifier | TokenVerifiers,
        *,
        token_use: TokenUse = "access",
        groups: str | Iterable[str] | _Unset | None = UNSET,
        scopes: str | Iterable[str] | _Unset | None = UNSET,
        check: ClaimsCheck | _Unset | None = UNSET,
    ) -> None:
        self._verifier = verifier
        self._token_use: TokenUse = token_use
        self._groups = groups
        self._scopes = scopes
        self._check = check

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._verifier!r}, token_use={self._token_use!r})"

    async def _claims(self, request: Request) -> VerifiedClaims | None:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return None
        try:
            claims = await self._verifier.verify(
                token,
                token_use=self._token_use,
                groups=self._groups,
                scopes=self._scopes,
                check=self._check,
            )
        except CognitoError as exc:
            status = status_for(exc)
            detail, headers = detail_and_headers(status)
            # `from None`: the verifier's reason stays in the server's log, not the response.
            raise HTTPException(status, detail, headers=headers) from None
        request.state.cognito_claims = claims
        return claims


class CognitoBearer(_Bearer):
    """Verifies ``Authorization: Bearer <token>`` and returns the ``VerifiedClaims``.

    The claims are also left on ``request.state.cognito_claims``.

    :param verifier: the ``TokenVerifier`` (or ``TokenVerifiers``) of the pools (share one
        per process).
    :param token_use: ``"access"`` (the default) or ``"id"``.
    :param groups: this route's required groups, instead of the verifier's (None: none).
    :param scopes: this route's required scopes, instead of the verifier's (None: none).
    :param check: this route's custom check, instead of the verifier's (None: none).
    :raises starlette.exceptions.HTTPException: 401 with ``WWW-Authenticate: Bearer`` for a
        missing, refused or revoked token (the detail never says why); 403 with
        ``error="insufficient_scope"`` for a valid token the policy refuses; 503 when the
        pool's keys or the revocation store cannot be reached.
    """

    async def __call__(self, request: Request) -> VerifiedClaims:
        claims = await self._claims(request)
        if claims is None:
            status_for(None)
            detail, headers = detail_and_headers(401)
            raise HTTPException(401, detail, headers=headers)
        return claims


class OptionalCognitoBearer(_Bearer):
    """Optional authentication: ``None`` for a request without a bearer token (anonymous),
    the ``VerifiedClaims`` for a good one, and the same refusals as ``CognitoBearer`` for a
    bad one (a bad token is never taken for no token).

    Takes the same parameters as ``CognitoBearer``.
    """

    async def __call__(self, request: Request) -> VerifiedClaims | None:
        return await self._claims(request)
