"""Verifier policy: groups, scopes, a custom async check, several pools, optional guards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient as AiohttpClient
from aiohttp.test_utils import TestServer

from cognito_user_pool._errors import (
    InsufficientClaimsError,
    InvalidParameterError,
    UnexpectedError,
    WrongAudienceError,
    WrongIssuerError,
)
from cognito_user_pool._multi_pool import TokenVerifiers
from cognito_user_pool._verify import TokenVerifier, VerifiedClaims
from cognito_user_pool.web.aiohttp import CLAIMS_KEY, cognito_middleware

from .conftest import CLIENT_ID, KEY, NOW, Clock, JwksServer, claims, sign

pytestmark = pytest.mark.anyio

STAFF = sign(claims("access", **{"cognito:groups": ["staff"]}, scope="orders/read"))
NOBODY = sign(claims("access", **{"cognito:groups": None}, scope=None))
OTHER_POOL_ID = "eu-west-1_OtherPool"
OTHER_ISSUER = f"https://cognito-idp.eu-west-1.amazonaws.com/{OTHER_POOL_ID}"


async def test_groups_any_of(make_verifier: Callable[..., TokenVerifier]) -> None:
    """A token in one of the required groups passes; one in none of them is refused."""
    verifier = make_verifier(groups=["admins", "staff"])
    assert (await verifier.verify(STAFF)).groups == ("staff",)
    with pytest.raises(InsufficientClaimsError):
        await verifier.verify(NOBODY)
    with pytest.raises(InsufficientClaimsError):
        make_verifier(groups="admins").verify_sync(STAFF)


async def test_scopes_any_of(make_verifier: Callable[..., TokenVerifier]) -> None:
    """A token with one of the required scopes passes; one without is refused."""
    verifier = make_verifier(scopes="orders/read")
    await verifier.verify(STAFF)
    with pytest.raises(InsufficientClaimsError):
        await verifier.verify(NOBODY)
    with pytest.raises(InsufficientClaimsError):
        await verifier.verify(STAFF, scopes=["orders/write"])  # a call's own policy
    await make_verifier(scopes="orders/write").verify(STAFF, scopes=None)


async def test_custom_async_check(make_verifier: Callable[..., TokenVerifier]) -> None:
    """The custom check sees the claims: True passes, False refuses, a crash is wrapped."""
    seen: list[str] = []

    async def staff_only(claims: VerifiedClaims) -> bool:
        seen.append(claims.sub)
        return "staff" in claims.groups

    verifier = make_verifier(check=staff_only)
    await verifier.verify(STAFF)
    with pytest.raises(InsufficientClaimsError):
        await verifier.verify(NOBODY)
    with pytest.raises(InsufficientClaimsError):
        verifier.verify_sync(NOBODY)
    assert len(seen) == 3

    async def broken(claims: VerifiedClaims) -> bool:
        raise KeyError(STAFF)

    with pytest.raises(UnexpectedError) as caught:
        await verifier.verify(STAFF, check=broken)
    assert STAFF not in str(caught.value)
    with pytest.raises(InvalidParameterError):
        make_verifier(check="not callable")


async def test_several_pools_in_one_verifier(
    jwks_server: JwksServer, clock: Clock, make_verifier: Callable[..., TokenVerifier]
) -> None:
    """Each token goes to its pool's verifier, with that pool's clients and policy; a token
    of a third pool is refused."""
    other = TokenVerifier(
        OTHER_POOL_ID, ["web", "mobile"], jwks_url=jwks_server.url, clock=clock, groups="ops"
    )
    both = TokenVerifiers([make_verifier(), other])
    assert (await both.verify(STAFF)).client_id == CLIENT_ID
    ops = sign(
        claims("access", iss=OTHER_ISSUER, client_id="mobile", **{"cognito:groups": ["ops"]})
    )
    assert (await both.verify(ops)).client_id == "mobile"
    with pytest.raises(InsufficientClaimsError):
        await both.verify(sign(claims(iss=OTHER_ISSUER, client_id="web")))
    with pytest.raises(WrongAudienceError):
        await both.verify(sign(claims(iss=OTHER_ISSUER)))  # the first pool's client
    third = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Third"
    with pytest.raises(WrongIssuerError):
        both.verify_sync(sign(claims(iss=third), key=KEY))
    with pytest.raises(InvalidParameterError):
        TokenVerifiers([make_verifier(), make_verifier()])


# -- the guards ---------------------------------------------------------------------------


def test_fastapi_policy_and_optional_auth(verifier: TokenVerifier) -> None:
    """A route's groups give 403 to a valid token outside them; an optional route serves
    anonymous requests and refuses bad tokens with 401."""
    from fastapi.testclient import TestClient

    from ._fastapi_policy_app import make_app

    with TestClient(make_app(verifier)) as http:
        admin = sign(claims("access", **{"cognito:groups": ["admins"]}))
        assert http.get("/admin", headers={"Authorization": f"Bearer {admin}"}).status_code == 200
        forbidden = http.get("/admin", headers={"Authorization": f"Bearer {STAFF}"})
        assert forbidden.status_code == 403
        assert "insufficient_scope" in forbidden.headers["WWW-Authenticate"]
        assert http.get("/home").json() == {"sub": None}
        good = http.get("/home", headers={"Authorization": f"Bearer {STAFF}"})
        assert good.json() == {"sub": claims()["sub"]}
        expired = sign(claims(exp=NOW - 3600))
        bad = http.get("/home", headers={"Authorization": f"Bearer {expired}"})
        assert bad.status_code == 401
        assert bad.headers["WWW-Authenticate"] == "Bearer"


async def test_aiohttp_policy_and_optional_auth(verifier: TokenVerifier) -> None:
    """The middleware with optional=True lets anonymous requests through, refuses a bad
    token with 401, and its scopes give 403 to a token without them."""

    async def home(request: web.Request) -> web.Response:
        claims = request.get(CLAIMS_KEY)
        return web.json_response({"sub": claims.sub if claims else None})

    app = web.Application(
        middlewares=[cognito_middleware(verifier, optional=True, scopes="orders/read")]
    )
    app.router.add_get("/home", home)
    async with AiohttpClient(TestServer(app)) as http:
        anonymous = await http.get("/home")
        assert await anonymous.json() == {"sub": None}
        good = await http.get("/home", headers={"Authorization": f"Bearer {STAFF}"})
        assert (await good.json())["sub"] == claims()["sub"]
        forbidden = await http.get("/home", headers={"Authorization": f"Bearer {NOBODY}"})
        assert forbidden.status == 403
        bad = await http.get("/home", headers={"Authorization": "Bearer not.a.token"})
        assert bad.status == 401
        assert bad.headers["WWW-Authenticate"] == "Bearer"
