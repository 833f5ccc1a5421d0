"""An aiohttp API with a route protected by Cognito access tokens, verified locally.

Runs against a moto server started in-process (no AWS account needed):

    python3 -m pip install '.[local]' && python3 examples/protected_route.py

It creates a pool and a user, logs in, then calls the route with aiohttp's test client:
without a token (401), with the access token (200), with the id token (401).
"""

from __future__ import annotations

import logging

import anyio
import boto3
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from cognito_user_pool import AsyncUserPool, Tokens, TokenVerifier, UserSession
from cognito_user_pool.web.aiohttp import CLAIMS_KEY, cognito_middleware

USERNAME = "alice"
PASSWORD = "Corr3ct-Horse!"


def make_app(verifier: TokenVerifier) -> web.Application:
    """GET /me needs an access token; GET /health is public."""

    async def me(request: web.Request) -> web.Response:
        claims = request[CLAIMS_KEY]
        return web.json_response({"sub": claims.sub, "username": claims.username})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application(
        middlewares=[cognito_middleware(verifier, protect=lambda r: r.path != "/health")]
    )
    app.router.add_get("/me", me)
    app.router.add_get("/health", health)
    return app


def create_pool(endpoint_url: str) -> tuple[str, str]:
    """A pool, an app client and a confirmed user, set up with admin calls."""
    admin = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    pool_id = admin.create_user_pool(PoolName="example")["UserPool"]["Id"]
    client = admin.create_user_pool_client(UserPoolId=pool_id, ClientName="api")
    client_id = client["UserPoolClient"]["ClientId"]
    admin.sign_up(ClientId=client_id, Username=USERNAME, Password=PASSWORD)
    admin.admin_confirm_sign_up(UserPoolId=pool_id, Username=USERNAME)
    return pool_id, client_id


async def call_api(endpoint_url: str, pool_id: str, client_id: str) -> None:
    """Log in, then call the protected route with and without the right token."""
    async with AsyncUserPool(pool_id, client_id, endpoint_url=endpoint_url) as pool:
        tokens = await pool.login(username=USERNAME, password=PASSWORD)
        assert isinstance(tokens, Tokens)
        session = UserSession(pool, tokens)  # refreshes the access token when it is due

        # moto serves the keys at <endpoint>/<pool id>/.well-known/jwks.json; in AWS, drop
        # endpoint_url and they come from the pool's issuer URL.
        verifier = TokenVerifier(pool_id, client_id, endpoint_url=endpoint_url)
        async with TestClient(TestServer(make_app(verifier), host="127.0.0.1")) as http:
            response = await http.get("/me")
            print("no token:", response.status, response.headers.get("WWW-Authenticate"))

            bearer = {"Authorization": f"Bearer {await session.access_token()}"}
            response = await http.get("/me", headers=bearer)
            print("access token:", response.status, await response.json())

            wrong = {"Authorization": f"Bearer {tokens.id_token}"}
            response = await http.get("/me", headers=wrong)
            print("id token instead:", response.status)

        await session.logout()
        print("logged out:", session.signed_out)


def main() -> None:
    """Start moto, set up a user, run the API calls, stop moto."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint_url = f"http://{host}:{port}"
        pool_id, client_id = create_pool(endpoint_url)
        anyio.run(call_api, endpoint_url, pool_id, client_id)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
