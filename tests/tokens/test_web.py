"""The web guards: FastAPI/Starlette dependency and aiohttp middleware, via their test clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient as AiohttpClient
from aiohttp.test_utils import TestServer

from cognito_user_pool import TokenVerifier
from cognito_user_pool.web import bearer_token
from cognito_user_pool.web.aiohttp import CLAIMS_KEY, cognito_middleware

from .conftest import NOW, Clock, JwksServer, claims, sign

REASON_WORDS = ("expired", "signature", "issuer", "audience", "kid", "alg", "CognitoUserPool")


def _assert_refused(status: int, headers: Any, body: str) -> None:
    assert status == 401
    assert headers["WWW-Authenticate"] == "Bearer"
    assert not any(word.lower() in body.lower() for word in REASON_WORDS), body


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("Bearer", None),
        ("Basic dXNlcjpwYXNz", None),
        ("Bearer a b", None),
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer   abc.def.ghi ", "abc.def.ghi"),
    ],
)
def test_bearer_token_parsing(header: str | None, expected: str | None) -> None:
    """Only 'Bearer <one token>' yields a token; the scheme is case-insensitive."""
    assert bearer_token(header) == expected


# -- FastAPI / Starlette ----------------------------------------------------------------


@pytest.fixture
def fastapi_client(verifier: TokenVerifier) -> Any:
    from fastapi.testclient import TestClient

    from ._fastapi_app import make_app

    with TestClient(make_app(verifier)) as client:
        yield client


def test_fastapi_route_accepts_a_valid_token(fastapi_client: Any) -> None:
    """A valid access token reaches the handler as VerifiedClaims."""
    response = fastapi_client.get("/me", headers={"Authorization": f"Bearer {sign(claims())}"})
    assert response.status_code == 200
    assert response.json() == {
        "sub": "5f1c0a52-0000-4000-8000-000000000001",
        "groups": ["admins", "staff"],
    }


def test_fastapi_id_token_route(fastapi_client: Any) -> None:
    """A route guarded for id tokens accepts an id token and refuses an access token."""
    good = fastapi_client.get("/whoami", headers={"Authorization": f"Bearer {sign(claims('id'))}"})
    assert good.json() == {"username": "alice"}
    bad = fastapi_client.get("/whoami", headers={"Authorization": f"Bearer {sign(claims())}"})
    _assert_refused(bad.status_code, bad.headers, bad.text)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-jwt",
        f"Bearer {sign(claims(exp=NOW - 100))}",
        f"Bearer {sign(claims('id'))}",
        f"Bearer {sign(claims(client_id='other'))}",
        f"Bearer {sign(claims(), kid='unknown')}",
    ],
    ids=["missing", "basic", "malformed", "expired", "id token", "other client", "unknown kid"],
)
def test_fastapi_route_refuses_without_saying_why(
    fastapi_client: Any, authorization: str | None
) -> None:
    """Every refusal is a bare 401 with WWW-Authenticate: Bearer and no reason."""
    headers = {"Authorization": authorization} if authorization else {}
    response = fastapi_client.get("/me", headers=headers)
    _assert_refused(response.status_code, response.headers, response.text)


def test_fastapi_unreachable_keys_give_503(fastapi_client: Any, jwks_server: JwksServer) -> None:
    """When the pool's keys cannot be fetched the answer is 503, not a blame-the-client 401."""
    jwks_server.status = 500
    response = fastapi_client.get("/me", headers={"Authorization": f"Bearer {sign(claims())}"})
    assert response.status_code == 503
    assert "WWW-Authenticate" not in response.headers


def test_plain_starlette_endpoint(verifier: TokenVerifier) -> None:
    """In a plain Starlette endpoint, await bearer(request) gives the claims (and
    request.state.cognito_claims)."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from cognito_user_pool.web.starlette import CognitoBearer

    bearer = CognitoBearer(verifier)

    async def me(request: Request) -> JSONResponse:
        found = await bearer(request)
        assert request.state.cognito_claims is found
        return JSONResponse({"sub": found.sub})

    with TestClient(Starlette(routes=[Route("/me", me)])) as client:
        ok = client.get("/me", headers={"Authorization": f"Bearer {sign(claims())}"})
        assert ok.status_code == 200
        refused = client.get("/me", headers={"Authorization": "Bearer x.y.z"})
        _assert_refused(refused.status_code, refused.headers, refused.text)


# -- aiohttp ----------------------------------------------------------------------------


def _aiohttp_app(verifier: TokenVerifier) -> web.Application:
    async def me(request: web.Request) -> web.Response:
        found = request[CLAIMS_KEY]
        return web.json_response({"sub": found.sub, "scopes": list(found.scopes)})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application(
        middlewares=[
            cognito_middleware(verifier, protect=lambda request: request.path != "/health")
        ]
    )
    app.router.add_get("/me", me)
    app.router.add_get("/health", health)
    return app


@pytest.fixture
async def aiohttp_client(verifier: TokenVerifier) -> Any:
    async with AiohttpClient(TestServer(_aiohttp_app(verifier), host="127.0.0.1")) as client:
        yield client


@pytest.mark.anyio
async def test_aiohttp_middleware_accepts_a_valid_token(aiohttp_client: Any) -> None:
    """A valid token reaches the handler, which finds the claims at request[CLAIMS_KEY]."""
    response = await aiohttp_client.get(
        "/me", headers={"Authorization": f"Bearer {sign(claims())}"}
    )
    assert response.status == 200
    assert await response.json() == {
        "sub": "5f1c0a52-0000-4000-8000-000000000001",
        "scopes": ["openid", "profile"],
    }


@pytest.mark.anyio
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        f"Bearer {sign(claims(exp=NOW - 100))}",
        f"Bearer {sign(claims(), kid='unknown')}",
        f"Bearer {sign(claims(iss='https://evil.example'))}",
    ],
    ids=["missing", "empty", "expired", "unknown kid", "other issuer"],
)
async def test_aiohttp_middleware_refuses_without_saying_why(
    aiohttp_client: Any, authorization: str | None
) -> None:
    """Refused requests get a bare 401 with WWW-Authenticate: Bearer."""
    headers = {"Authorization": authorization} if authorization else {}
    response = await aiohttp_client.get("/me", headers=headers)
    _assert_refused(response.status, response.headers, await response.text())


@pytest.mark.anyio
async def test_aiohttp_public_routes_need_no_token(aiohttp_client: Any) -> None:
    """Routes the protect predicate leaves out are served without a token."""
    response = await aiohttp_client.get("/health")
    assert response.status == 200


@pytest.mark.anyio
async def test_aiohttp_unreachable_keys_give_503(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """When the keys cannot be fetched the middleware answers 503."""
    jwks_server.status = 500
    app = _aiohttp_app(make_verifier(clock=Clock()))
    async with AiohttpClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get("/me", headers={"Authorization": f"Bearer {sign(claims())}"})
        assert response.status == 503
