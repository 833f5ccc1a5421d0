"""Passkeys in a web app: an aiohttp server whose page signs in with a password, registers a
passkey (``navigator.credentials.create``) and then signs in with it alone
(``navigator.credentials.get``), Cognito's choice-based sign-in (USER_AUTH with WEB_AUTHN).
The server only carries the WebAuthn JSON between the page and Cognito; Cognito checks it.

Runs against the strict local Cognito started in-process (no AWS account needed), with the
local package's software authenticator playing the browser's ``navigator.credentials``:

    python3 -m pip install '.[local,web]' && python3 examples/passkeys_app.py

On AWS, the pool lists WEB_AUTHN among its first factors (its sign-in policy) and has a
relying party (its WebAuthnConfiguration, or a domain), and the app client allows
ALLOW_USER_AUTH; the page is served over HTTPS from the relying party's origin (or a
subdomain of it), since browsers and Cognito refuse credentials made elsewhere.
docs/passwordless.md has the details. As in the e-mail code example, the page holds the
challenge's session between the two sign-in requests: the server keeps no state.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from cognito_user_pool import AsyncUserPool, Challenge, CognitoError, Tokens, TokenVerifier
from cognito_user_pool.local import LocalCognito, SoftAuthenticator
from cognito_user_pool.web import bearer_token
from cognito_user_pool.web.aiohttp import CLAIMS_KEY, cognito_middleware

POOL = web.AppKey("pool", AsyncUserPool)
PUBLIC = {"/", "/sign-in/password", "/sign-in/passkey/options", "/sign-in/passkey"}

# The page: WebAuthn Level 3's JSON helpers (parse...FromJSON, toJSON) turn the options and
# credentials into the JSON that Cognito reads and writes. The access token stays in memory.
PAGE = """<!doctype html>
<meta charset="utf-8">
<title>Passkeys</title>
<input id="username" placeholder="username" autocomplete="username webauthn">
<input id="password" type="password" placeholder="password" autocomplete="current-password">
<button id="password-sign-in">Sign in with the password</button>
<button id="register">Add a passkey</button>
<button id="passkey-sign-in">Sign in with a passkey</button>
<pre id="out"></pre>
<script type="module">
let accessToken = null;
const $ = (id) => document.getElementById(id);
const show = (value) => { $("out").textContent = JSON.stringify(value, null, 2); };

async function call(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(path, { method, headers, body: body && JSON.stringify(body) });
  const data = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(data)}`);
  return data;
}

async function signedIn(tokens) {
  accessToken = tokens.access_token;
  show(await call("GET", "/me"));
}

const step = (run) => async () => { try { await run(); } catch (err) { show(String(err)); } };

$("password-sign-in").onclick = step(async () => {
  const body = { username: $("username").value, password: $("password").value };
  await signedIn(await call("POST", "/sign-in/password", body));
});

$("register").onclick = step(async () => {
  const options = await call("GET", "/passkeys/options");
  const credential = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
  });
  await call("POST", "/passkeys", credential.toJSON());
  show(await call("GET", "/passkeys"));
});

$("passkey-sign-in").onclick = step(async () => {
  const username = $("username").value;
  const { session, options } = await call("POST", "/sign-in/passkey/options", { username });
  const credential = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
  });
  const body = { username, session, credential: credential.toJSON() };
  await signedIn(await call("POST", "/sign-in/passkey", body));
});
</script>
"""


def make_app(pool: AsyncUserPool, verifier: TokenVerifier) -> web.Application:
    """GET / serves the page; POST /sign-in/password, POST /sign-in/passkey/options and
    POST /sign-in/passkey sign in; GET /passkeys/options, POST /passkeys, GET /passkeys and
    GET /me need the access token."""

    def access_token(request: web.Request) -> str:
        # cognito_middleware has verified it; the pool's flows take the token itself.
        token = bearer_token(request.headers.get("Authorization"))
        if token is None:
            raise web.HTTPUnauthorized()
        return token

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    async def sign_in_password(request: web.Request) -> web.Response:
        body = await request.json()
        result = await request.app[POOL].login(username=body["username"], password=body["password"])
        if not isinstance(result, Tokens):
            return web.json_response({"next_step": result.name}, status=409)
        return web.json_response({"access_token": result.access_token})

    async def registration_options(request: web.Request) -> web.Response:
        options = await request.app[POOL].start_web_authn_registration(auth=access_token(request))
        return web.json_response(options)

    async def register(request: web.Request) -> web.Response:
        await request.app[POOL].complete_web_authn_registration(
            auth=access_token(request), credential=await request.json()
        )
        return web.json_response({"registered": True})

    async def passkeys(request: web.Request) -> web.Response:
        found = await request.app[POOL].list_web_authn_credentials(auth=access_token(request))
        return web.json_response(
            [
                {
                    "id": p.credential_id,
                    "name": p.friendly_name,
                    "created": p.created.isoformat() if p.created else None,
                }
                for p in found
            ]
        )

    async def sign_in_options(request: web.Request) -> web.Response:
        body = await request.json()
        result = await request.app[POOL].user_auth(
            username=body["username"], preferred_challenge="WEB_AUTHN"
        )
        options = result.credential_request_options if isinstance(result, Challenge) else None
        if not isinstance(result, Challenge) or result.name != "WEB_AUTHN" or options is None:
            # No passkey yet (Cognito offers a choice without WEB_AUTHN): sign in otherwise.
            return web.json_response({"error": "no passkey to sign in with"}, status=409)
        return web.json_response({"session": result.session, "options": options})

    async def sign_in_passkey(request: web.Request) -> web.Response:
        body = await request.json()
        result = await request.app[POOL].login_web_authn(
            username=body["username"],
            login_session=body["session"],  # a session alone answers WEB_AUTHN
            credential=body["credential"],
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
        """Cognito's refusals become 400 with the AWS code (a bad assertion: NotAuthorized)."""
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
    app.router.add_get("/", page)
    app.router.add_post("/sign-in/password", sign_in_password)
    app.router.add_get("/passkeys/options", registration_options)
    app.router.add_post("/passkeys", register)
    app.router.add_get("/passkeys", passkeys)
    app.router.add_post("/sign-in/passkey/options", sign_in_options)
    app.router.add_post("/sign-in/passkey", sign_in_passkey)
    app.router.add_get("/me", me)
    return app


def tampered(assertion: dict[str, Any]) -> dict[str, Any]:
    """The assertion with one bit of its signature flipped (base64url, unpadded)."""
    signature = bytearray(base64.urlsafe_b64decode(assertion["response"]["signature"] + "=="))
    signature[-1] ^= 1
    encoded = base64.urlsafe_b64encode(bytes(signature)).rstrip(b"=").decode()
    return {**assertion, "response": {**assertion["response"], "signature": encoded}}


async def main() -> None:
    with LocalCognito(first_auth_factors=("PASSWORD", "WEB_AUTHN")) as local:
        local.default.create_user("dora", "Corr3ct-Horse!")
        verifier = TokenVerifier(
            local.user_pool_id, local.client_id, endpoint_url=local.endpoint_url
        )
        app = make_app(local.pool(), verifier)
        async with TestClient(TestServer(app, host="127.0.0.1")) as http:
            response = await http.get("/")
            print("GET /:", response.status, response.content_type)
            assert response.status == 200
            assert "navigator.credentials.create" in await response.text()

            # The local relying party is "localhost", which accepts http://localhost[:port]:
            # the "browser" reports the origin of the page it loaded from this server.
            origin = str(http.make_url("/").with_host("localhost").origin())
            browser = SoftAuthenticator(origin=origin)  # plays navigator.credentials

            body = {"username": "dora", "password": "Corr3ct-Horse!"}
            response = await http.post("/sign-in/password", json=body)
            tokens = await response.json()
            print("password sign-in:", response.status, sorted(tokens))
            assert response.status == 200
            bearer = {"Authorization": f"Bearer {tokens['access_token']}"}

            response = await http.get("/passkeys/options", headers=bearer)
            options = await response.json()
            print("registration options:", response.status, "for", options["rp"]["id"])
            assert response.status == 200
            credential = browser.create(options)
            response = await http.post("/passkeys", json=credential, headers=bearer)
            print("register the passkey:", response.status, await response.json())
            assert response.status == 200

            response = await http.get("/passkeys", headers=bearer)
            listed = await response.json()
            print("GET /passkeys:", response.status, [p["id"] for p in listed])
            assert response.status == 200
            assert [p["id"] for p in listed] == [credential["id"]]

            async def passkey_options() -> dict[str, Any]:
                response = await http.post("/sign-in/passkey/options", json={"username": "dora"})
                started: dict[str, Any] = await response.json()
                print("passkey sign-in options:", response.status, sorted(started))
                assert response.status == 200
                return started

            # A session serves one answer: after a refusal the page asks for new options.
            started = await passkey_options()
            assertion = browser.get(started["options"])
            attempt = {"username": "dora", "session": started["session"]}
            response = await http.post(
                "/sign-in/passkey", json={**attempt, "credential": tampered(assertion)}
            )
            refused = await response.json()
            print("tampered assertion:", response.status, refused)
            assert response.status == 400
            assert refused == {"error": "NotAuthorizedException"}

            started = await passkey_options()
            assertion = browser.get(started["options"])
            attempt = {"username": "dora", "session": started["session"]}
            response = await http.post(
                "/sign-in/passkey", json={**attempt, "credential": assertion}
            )
            signed_in = await response.json()
            print("passkey sign-in:", response.status, sorted(signed_in))
            assert response.status == 200
            assert signed_in["access_token"]

            bearer = {"Authorization": f"Bearer {signed_in['access_token']}"}
            response = await http.get("/me", headers=bearer)
            me = await response.json()
            print("GET /me:", response.status, me)
            assert response.status == 200
            assert me == {"username": "dora"}


if __name__ == "__main__":
    anyio.run(main)
