"""examples/passkeys_app.py's routes in-process against the local Cognito: a passkey
registered from the page's origin and used to sign in, and what the app refuses (a tampered
assertion, a credential made on another origin, a missing or forged token, a user without
a passkey)."""

from __future__ import annotations

import base64
import importlib.util
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from cognito_user_pool import AsyncUserPool, TokenVerifier
from cognito_user_pool.local import LocalPool, SoftAuthenticator

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.local_cognito(first_auth_factors=("PASSWORD", "WEB_AUTHN")),
]

EXAMPLE = Path(__file__).parents[2] / "examples" / "passkeys_app.py"
PASSWORD = "Corr3ct-Horse!"


def _load_example() -> ModuleType:
    # examples/ is not a package: load the script by path, as `python3 examples/...` would.
    spec = importlib.util.spec_from_file_location("passkeys_app", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_app: Callable[[AsyncUserPool, TokenVerifier], web.Application] = _load_example().make_app


@pytest.fixture
async def http(local_cognito: LocalPool) -> AsyncIterator[TestClient[Any, Any]]:
    """The example's app on a test server, with the user "dora" in a passkey-enabled pool."""
    local_cognito.create_user("dora", PASSWORD)
    verifier = TokenVerifier(
        local_cognito.user_pool_id, local_cognito.client_id, endpoint_url=local_cognito.endpoint_url
    )
    app = make_app(local_cognito.pool(), verifier)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


def _page_origin(http: TestClient[Any, Any]) -> str:
    """The origin of the page the test server serves, as a browser at localhost sees it."""
    return str(http.make_url("/").with_host("localhost").origin())


def _tampered(assertion: dict[str, Any]) -> dict[str, Any]:
    """The assertion with the last bit of its signature flipped."""
    raw = bytearray(base64.urlsafe_b64decode(assertion["response"]["signature"] + "=="))
    raw[-1] ^= 1
    signature = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return {**assertion, "response": {**assertion["response"], "signature": signature}}


async def _sign_in_with_password(http: TestClient[Any, Any], username: str) -> dict[str, str]:
    response = await http.post(
        "/sign-in/password", json={"username": username, "password": PASSWORD}
    )
    assert response.status == 200, await response.text()
    tokens = await response.json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def _register(http: TestClient[Any, Any], browser: SoftAuthenticator) -> str:
    bearer = await _sign_in_with_password(http, "dora")
    response = await http.get("/passkeys/options", headers=bearer)
    assert response.status == 200, await response.text()
    credential = browser.create(await response.json())
    response = await http.post("/passkeys", json=credential, headers=bearer)
    assert response.status == 200, await response.text()
    return str(credential["id"])


async def _passkey_attempt(
    http: TestClient[Any, Any], browser: SoftAuthenticator
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Start a passkey sign-in: the request body without its credential, and the assertion."""
    response = await http.post("/sign-in/passkey/options", json={"username": "dora"})
    assert response.status == 200, await response.text()
    started = await response.json()
    assert set(started) == {"session", "options"}
    attempt = {"username": "dora", "session": started["session"]}
    return attempt, browser.get(started["options"])


async def test_the_page_registers_a_passkey_and_signs_in_with_it(
    http: TestClient[Any, Any],
) -> None:
    """The page is served; a passkey made on its origin registers, is listed, signs the user
    in without a password, and the token it gives opens GET /me."""
    response = await http.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    page = await response.text()
    assert "navigator.credentials.create" in page
    assert "navigator.credentials.get" in page

    browser = SoftAuthenticator(origin=_page_origin(http))
    credential_id = await _register(http, browser)
    bearer = await _sign_in_with_password(http, "dora")
    response = await http.get("/passkeys", headers=bearer)
    assert response.status == 200
    assert [p["id"] for p in await response.json()] == [credential_id]

    attempt, assertion = await _passkey_attempt(http, browser)
    assert assertion["id"] == credential_id
    response = await http.post("/sign-in/passkey", json={**attempt, "credential": assertion})
    assert response.status == 200, await response.text()
    token = (await response.json())["access_token"]

    response = await http.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200
    assert await response.json() == {"username": "dora"}


async def test_a_tampered_assertion_is_refused(http: TestClient[Any, Any]) -> None:
    """An assertion whose signature lost a bit gets 400 NotAuthorizedException and no token;
    a new attempt with an untouched assertion then succeeds."""
    browser = SoftAuthenticator(origin=_page_origin(http))
    await _register(http, browser)

    attempt, assertion = await _passkey_attempt(http, browser)
    response = await http.post(
        "/sign-in/passkey", json={**attempt, "credential": _tampered(assertion)}
    )
    assert response.status == 400
    assert await response.json() == {"error": "NotAuthorizedException"}

    attempt, assertion = await _passkey_attempt(http, browser)
    response = await http.post("/sign-in/passkey", json={**attempt, "credential": assertion})
    assert response.status == 200, await response.text()
    assert (await response.json())["access_token"]


async def test_a_credential_made_on_another_origin_does_not_register(
    http: TestClient[Any, Any],
) -> None:
    """A credential whose client data names another origin gets 400
    WebAuthnOriginNotAllowedException, and the user still has no passkey."""
    bearer = await _sign_in_with_password(http, "dora")
    response = await http.get("/passkeys/options", headers=bearer)
    assert response.status == 200
    credential = SoftAuthenticator(origin="https://evil.example").create(await response.json())

    response = await http.post("/passkeys", json=credential, headers=bearer)
    assert response.status == 400
    assert await response.json() == {"error": "WebAuthnOriginNotAllowedException"}
    response = await http.get("/passkeys", headers=bearer)
    assert response.status == 200
    assert await response.json() == []


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}],
    ids=["no token", "forged token"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/passkeys/options"), ("POST", "/passkeys"), ("GET", "/passkeys"), ("GET", "/me")],
)
async def test_the_passkey_routes_need_a_valid_access_token(
    http: TestClient[Any, Any], method: str, path: str, headers: dict[str, str]
) -> None:
    """Without a token, or with one that is not Cognito's, the protected routes answer 401
    with WWW-Authenticate: Bearer before reaching Cognito."""
    response = await http.request(method, path, headers=headers, json={})
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_user_without_a_passkey_gets_409(http: TestClient[Any, Any]) -> None:
    """A user with no passkey cannot start a passkey sign-in (Cognito offers a choice without
    WEB_AUTHN): 409, with no session or options to use."""
    response = await http.post("/sign-in/passkey/options", json={"username": "dora"})
    assert response.status == 409
    assert await response.json() == {"error": "no passkey to sign in with"}
