"""Sign-in without a password: an aiohttp API that signs users in with a one-time code sent
by e-mail (Cognito's choice-based sign-in, USER_AUTH with EMAIL_OTP), then serves a route
protected by the access token, verified locally.

Runs against the strict local Cognito started in-process (no AWS account needed):

    python3 -m pip install '.[local,web]' && python3 examples/email_code_sign_in.py

On AWS, the pool allows EMAIL_OTP as a first factor (its sign-in policy) and the app client
ALLOW_USER_AUTH; docs/passwordless.md has the details. The browser holds the challenge's
session between the two requests, as Amplify's sign-in does: the API keeps no state.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from cognito_user_pool import AsyncUserPool, Challenge, CognitoError, Tokens, TokenVerifier
from cognito_user_pool.local import LocalCognito
from cognito_user_pool.web.aiohttp import CLAIMS_KEY, cognito_middleware

POOL = web.AppKey("pool", AsyncUserPool)
PUBLIC = {"/sign-in", "/sign-in/code"}


def make_app(pool: AsyncUserPool, verifier: TokenVerifier) -> web.Application:
    """POST /sign-in {username} sends a code; POST /sign-in/code {username, session, code}
    answers it; GET /me needs the access token."""

    async def sign_in(request: web.Request) -> web.Response:
        body = await request.json()
        result = await request.app[POOL].user_auth(
            username=body["username"], preferred_challenge="EMAIL_OTP"
        )
        if not isinstance(result, Challenge) or result.name != "EMAIL_OTP":
            # The user has no verified e-mail address (or MFA on): no code can be sent.
            return web.json_response({"error": "email code not available"}, status=409)
        return web.json_response(
            {
                "session": result.session,
                "sent_to": result.parameters.get("CODE_DELIVERY_DESTINATION"),
            }
        )

    async def answer_code(request: web.Request) -> web.Response:
        body = await request.json()
        result = await request.app[POOL].login_mfa(
            username=body["username"],
            login_session=body["session"],
            mfa_code=body["code"],
            challenge_name="EMAIL_OTP",  # the session alone does not say which challenge
        )
        if not isinstance(result, Tokens):
            return web.json_response({"next_step": result.name}, status=409)
        return web.json_response({"access_token": result.access_token})

    async def me(request: web.Request) -> web.Response:
        claims = request[CLAIMS_KEY]
        return web.json_response({"username": claims.username})

    @web.middleware
    async def cognito_errors(
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Cognito's refusals become 400 with the AWS code (a wrong code: CodeMismatch)."""
        try:
            return await handler(request)
        except CognitoError as err:
            return web.json_response({"error": err.code}, status=400)

    async def pool_lifetime(app: web.Application) -> AsyncIterator[None]:
        async with pool:
            app[POOL] = pool
            yield

    app = web.Application(
        middlewares=[
            cognito_errors,
            cognito_middleware(verifier, protect=lambda r: r.path not in PUBLIC),
        ]
    )
    app.cleanup_ctx.append(pool_lifetime)
    app.router.add_post("/sign-in", sign_in)
    app.router.add_post("/sign-in/code", answer_code)
    app.router.add_get("/me", me)
    return app


async def main() -> None:
    with LocalCognito(first_auth_factors=("PASSWORD", "EMAIL_OTP")) as local:
        local.default.create_user(
            "alice", "Corr3ct-Horse!", {"email": "alice@example.com", "email_verified": "true"}
        )
        verifier = TokenVerifier(
            local.user_pool_id, local.client_id, endpoint_url=local.endpoint_url
        )
        app = make_app(local.pool(), verifier)
        async with TestClient(TestServer(app, host="127.0.0.1")) as http:
            response = await http.post("/sign-in", json={"username": "alice"})
            started = await response.json()
            print("sign-in:", response.status, "code sent to", started["sent_to"])
            assert response.status == 200

            attempt = {"username": "alice", "session": started["session"]}
            response = await http.post("/sign-in/code", json={**attempt, "code": "000000"})
            print("wrong code:", response.status, await response.json())
            assert response.status == 400

            code = local.outbox.last(username="alice", purpose="email_otp").code  # "the e-mail"
            response = await http.post("/sign-in/code", json={**attempt, "code": code})
            tokens = await response.json()
            print("right code:", response.status, sorted(tokens))
            assert response.status == 200

            bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
            response = await http.get("/me", headers=bearer)
            print("GET /me:", response.status, await response.json())
            assert response.status == 200


if __name__ == "__main__":
    anyio.run(main)
