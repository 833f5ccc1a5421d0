"""A small aiohttp API: sign-up, confirmation, login, and a route protected by Cognito access
tokens verified locally (no call to Cognito per request).

Runs against the strict local Cognito started in-process (no AWS account needed):

    python3 -m pip install '.[local,web]' && python3 examples/protected_route.py

The API keeps one AsyncUserPool and one TokenVerifier for its whole life. main() drives it with
aiohttp's test client: sign up, confirm with the code from the local outbox, log in, then
call GET /me without a token (401), with the access token (200) and with the id token (401).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from cognito_user_pool import (
    AsyncUserPool,
    Challenge,
    CognitoError,
    NotAuthorizedError,
    TokenVerifier,
)
from cognito_user_pool.local import LocalCognito
from cognito_user_pool.web.aiohttp import CLAIMS_KEY, cognito_middleware

POOL = web.AppKey("pool", AsyncUserPool)
PUBLIC = {"/signup", "/confirm", "/login", "/health"}


def make_app(pool: AsyncUserPool, verifier: TokenVerifier) -> web.Application:
    """The API: public account routes, and GET /me, which needs an access token."""

    async def signup(request: web.Request) -> web.Response:
        body = await request.json()
        result = await request.app[POOL].signup(
            username=body["username"],
            password=body["password"],
            attributes={"email": body["email"]},
        )
        return web.json_response({"username": result.username, "confirmed": result.user_confirmed})

    async def confirm(request: web.Request) -> web.Response:
        body = await request.json()
        await request.app[POOL].signup_confirm(
            username=body["username"], confirmation_code=body["code"]
        )
        return web.json_response({"confirmed": True})

    async def login(request: web.Request) -> web.Response:
        body = await request.json()
        result = await request.app[POOL].login(username=body["username"], password=body["password"])
        if isinstance(result, Challenge):
            return web.json_response({"next_step": result.name, "session": result.session})
        return web.json_response({"access_token": result.access_token, "id_token": result.id_token})

    async def me(request: web.Request) -> web.Response:
        claims = request[CLAIMS_KEY]
        return web.json_response({"sub": claims.sub, "username": claims.username})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    @web.middleware
    async def cognito_errors(
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Cognito's refusals become 401/400 with the AWS code; the message stays server-side."""
        try:
            return await handler(request)
        except NotAuthorizedError as err:
            return web.json_response({"error": err.code}, status=401)
        except CognitoError as err:
            return web.json_response({"error": err.code}, status=400)

    async def pool_lifetime(app: web.Application) -> AsyncIterator[None]:
        async with pool:  # one HTTP client to Cognito for the app's whole life
            app[POOL] = pool
            yield

    app = web.Application(
        middlewares=[
            cognito_errors,
            cognito_middleware(verifier, protect=lambda r: r.path not in PUBLIC),
        ]
    )
    app.cleanup_ctx.append(pool_lifetime)
    app.router.add_post("/signup", signup)
    app.router.add_post("/confirm", confirm)
    app.router.add_post("/login", login)
    app.router.add_get("/me", me)
    app.router.add_get("/health", health)
    return app


async def main() -> None:
    with LocalCognito() as local:
        pool = local.pool()
        # The local Cognito serves the keys at <endpoint>/<pool id>/.well-known/jwks.json; on
        # AWS, drop endpoint_url and they come from the pool's issuer URL.
        verifier = TokenVerifier(
            local.user_pool_id, local.client_id, endpoint_url=local.endpoint_url
        )
        async with TestClient(TestServer(make_app(pool, verifier), host="127.0.0.1")) as http:
            alice = {"username": "alice", "password": "Corr3ct-Horse!", "email": "a@example.com"}
            response = await http.post("/signup", json=alice)
            print("signup:", response.status, await response.json())

            response = await http.post("/confirm", json={"username": "alice", "code": "000000x"})
            print("wrong code:", response.status, await response.json())
            code = local.outbox.last(username="alice", purpose="signup").code
            response = await http.post("/confirm", json={"username": "alice", "code": code})
            print("confirm:", response.status)

            response = await http.post("/login", json={**alice, "password": "wrong-Passw0rd"})
            print("wrong password:", response.status, await response.json())
            response = await http.post("/login", json=alice)
            tokens = await response.json()
            print("login:", response.status, sorted(tokens))

            response = await http.get("/me")
            print("no token:", response.status, response.headers.get("WWW-Authenticate"))
            bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
            response = await http.get("/me", headers=bearer)
            print("access token:", response.status, sorted(await response.json()))
            wrong = {"Authorization": f"Bearer {tokens['id_token']}"}
            response = await http.get("/me", headers=wrong)
            print("id token instead:", response.status)


if __name__ == "__main__":
    anyio.run(main)
