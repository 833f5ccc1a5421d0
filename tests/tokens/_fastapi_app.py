"""A FastAPI app guarded by CognitoBearer, for test_web (imported only when fastapi is)."""

# No `from __future__ import annotations`: FastAPI reads these annotations at run time.

from typing import Annotated, Any

from fastapi import Depends, FastAPI

from cognito_user_pool import TokenVerifier, VerifiedClaims
from cognito_user_pool.web.starlette import CognitoBearer


def make_app(verifier: TokenVerifier) -> FastAPI:
    """/me wants an access token, /whoami an id token."""
    app = FastAPI()
    AccessClaims = Annotated[VerifiedClaims, Depends(CognitoBearer(verifier))]
    IdClaims = Annotated[VerifiedClaims, Depends(CognitoBearer(verifier, token_use="id"))]

    @app.get("/me")
    async def me(claims: AccessClaims) -> dict[str, Any]:
        return {"sub": claims.sub, "groups": list(claims.groups)}

    @app.get("/whoami")
    async def whoami(claims: IdClaims) -> dict[str, Any]:
        return {"username": claims.username}

    return app
