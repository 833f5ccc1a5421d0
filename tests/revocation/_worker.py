"""One worker process of a guarded aiohttp app, for test_two_workers: its verifier checks
revocations in the Redis both workers share.

    python -m tests.revocation._worker <redis url> <jwks url> <pool id> <client id>

Prints the port it listens on (127.0.0.1), then serves until killed. ``POST /logout`` records
the sign-out of the request's token as ``AsyncUserPool.logout`` does after GlobalSignOut
(``revocations.signed_out(token, everywhere=True)``).
"""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web

from cognito_user_pool._revocation import Revocations
from cognito_user_pool._verify import TokenVerifier
from cognito_user_pool.redis_revocations import RedisRevocationStore
from cognito_user_pool.web import bearer_token
from cognito_user_pool.web.aiohttp import CLAIMS_KEY, cognito_middleware


async def main(redis_url: str, jwks_url: str, pool_id: str, client_id: str) -> None:
    store = RedisRevocationStore.from_url(redis_url)
    revocations = Revocations(store)
    verifier = TokenVerifier(pool_id, client_id, jwks_url=jwks_url, revocation=revocations)

    async def me(request: web.Request) -> web.Response:
        return web.json_response({"sub": request[CLAIMS_KEY].sub})

    async def logout(request: web.Request) -> web.Response:
        token = bearer_token(request.headers.get("Authorization"))
        assert token is not None  # the middleware let it through
        await revocations.signed_out(token, everywhere=True)
        return web.json_response({"signed_out": True})

    app = web.Application(middlewares=[cognito_middleware(verifier)])
    app.router.add_get("/me", me)
    app.router.add_post("/logout", logout)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    print(port, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await store.aclose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
