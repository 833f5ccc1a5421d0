"""A FastAPI app with a route policy and optional authentication, for test_policy."""

# No `from __future__ import annotations`: FastAPI reads these annotations at run time.

from typing import Annotated, Optional

from fastapi import Depends, FastAPI

from cognito_user_pool import TokenVerifier, VerifiedClaims
from cognito_user_pool.web.starlette import CognitoBearer, OptionalCognitoBearer


def make_app(verifier: TokenVerifier) -> FastAPI:
    """/admin wants the group admins, /home takes anyone, signed in or not."""
    app = FastAPI()
    admins = CognitoBearer(verifier, groups="admins")
    maybe = OptionalCognitoBearer(verifier)

    @app.get("/admin")
    async def admin(claims: Annotated[VerifiedClaims, Depends(admins)]) -> dict[str, str]:
        return {"sub": claims.sub}

    @app.get("/home")
    async def home(
        claims: Annotated[Optional[VerifiedClaims], Depends(maybe)],  # noqa: UP045 (3.10)
    ) -> dict[str, Optional[str]]:  # noqa: UP045
        return {"sub": claims.sub if claims else None}

    return app
