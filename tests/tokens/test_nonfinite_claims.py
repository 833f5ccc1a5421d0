"""Signed tokens whose times are JSON numbers no program can use (NaN, infinities, 1e999,
numbers past year 9999) are refused as malformed, by the verifier and by both web guards."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient as AiohttpClient
from aiohttp.test_utils import TestServer

from cognito_user_pool import MalformedTokenError, TokenError, TokenVerifier
from cognito_user_pool._tokens import tokens_from_result

from .conftest import claims, sign
from .test_web import _aiohttp_app, _assert_refused

# What a JSON text can say for a number (or, for NaN and Infinity, what Python's json module
# writes and reads although RFC 8259 forbids them).
LITERALS = {
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "1e999": "1e999",  # valid JSON; a float reads it as infinity
    "-1e999": "-1e999",
    "1e308": "1e308",  # finite, but far past any date
    "10**40": "1" + "0" * 40,  # an integer past any date
    "year 10000": "253402300800",  # one second past 9999-12-31T23:59:59Z
    "negative": "-1",  # before 1970: Cognito never issues it
}
TIME_CLAIMS = ("exp", "iat", "nbf", "auth_time")
CASES = [(claim, name) for claim in TIME_CLAIMS for name in LITERALS]
IDS = [f"{claim}={name}" for claim, name in CASES]


def token_with(claim: str, literal: str) -> str:
    """An access token, signed with the pool's key, whose ``claim`` is the raw ``literal``."""
    text = json.dumps({**claims(), claim: "@@"}).replace('"@@"', literal)
    return sign(text)


@pytest.mark.anyio
@pytest.mark.parametrize(("claim", "name"), CASES, ids=IDS)
async def test_unusable_times_are_malformed(verifier: TokenVerifier, claim: str, name: str) -> None:
    """verify and verify_sync refuse the token with MalformedTokenError, never with
    OverflowError or ValueError, and never accept it."""
    token = token_with(claim, LITERALS[name])
    with pytest.raises(MalformedTokenError):
        await verifier.verify(token)
    with pytest.raises(MalformedTokenError):
        verifier.verify_sync(token)


@pytest.mark.anyio
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e999"])
async def test_non_json_numbers_anywhere_are_malformed(
    verifier: TokenVerifier, literal: str
) -> None:
    """A claim the verifier does not check (``custom:score``) may not hold NaN or an
    infinity either: the payload is not JSON, and the caller's own JSON encoder would choke
    on the claims handed to it."""
    token = sign(json.dumps({**claims(), "custom:score": "@@"}).replace('"@@"', literal))
    with pytest.raises(MalformedTokenError):
        await verifier.verify(token)


@pytest.mark.anyio
async def test_usable_times_still_pass(verifier: TokenVerifier) -> None:
    """The checks refuse only what no date can be: fractional and integral times in range,
    and an auth_time, pass."""
    token = sign(json.dumps({**claims(), "auth_time": 1_799_999_990.5, "nbf": 0}))
    result = await verifier.verify(token)
    assert result.raw["auth_time"] == 1_799_999_990.5


@pytest.mark.parametrize("literal", ["Infinity", "NaN", "1e999", "1" + "0" * 40])
def test_tokens_from_cognito_with_unusable_exp_are_token_errors(literal: str) -> None:
    """An answer from Cognito (or something posing as it) with such an ``exp`` gives a
    TokenError from the flows' token reader, not an OverflowError from ``int()``."""
    bad = sign(json.dumps({**claims(), "exp": "@@"}).replace('"@@"', literal))
    good = sign(json.dumps(claims()))
    for access, id_token in ((bad, good), (good, bad)):
        with pytest.raises(TokenError):
            tokens_from_result({"AccessToken": access, "IdToken": id_token})


# -- the guards ---------------------------------------------------------------------------

GUARD_CASES = [("exp", "1e999"), ("iat", "-1e999"), ("auth_time", "NaN"), ("exp", "1e308")]
GUARD_IDS = [f"{c}={v}" for c, v in GUARD_CASES]


@pytest.fixture
def fastapi_client(verifier: TokenVerifier) -> Any:
    from fastapi.testclient import TestClient

    from ._fastapi_app import make_app

    with TestClient(make_app(verifier)) as client:
        yield client


@pytest.mark.parametrize(("claim", "literal"), GUARD_CASES, ids=GUARD_IDS)
def test_fastapi_guard_answers_401(fastapi_client: Any, claim: str, literal: str) -> None:
    """The FastAPI dependency answers a bare 401, not 500 and not 200."""
    headers = {"Authorization": f"Bearer {token_with(claim, literal)}"}
    response = fastapi_client.get("/me", headers=headers)
    _assert_refused(response.status_code, response.headers, response.text)


@pytest.mark.anyio
@pytest.mark.parametrize(("claim", "literal"), GUARD_CASES, ids=GUARD_IDS)
async def test_aiohttp_guard_answers_401(verifier: TokenVerifier, claim: str, literal: str) -> None:
    """The aiohttp middleware answers a bare 401, not 500 and not 200."""
    async with AiohttpClient(TestServer(_aiohttp_app(verifier), host="127.0.0.1")) as client:
        headers = {"Authorization": f"Bearer {token_with(claim, literal)}"}
        response = await client.get("/me", headers=headers)
        _assert_refused(response.status, response.headers, await response.text())
