"""The benchmark stub answers Cognito's JSON operations in the shapes real clients expect."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from bench.measure import Measurement, Variant, p95, paired_ratio, run_rounds
from bench.stub import make_app
from bench.stub_ops import StubError, handle_operation
from bench.stub_state import CLIENT_ID, KID, PASSWORD, POOL_ID, USERNAME, StubState, build_state

N_BITS = 3072


@pytest.fixture(scope="module")
def state() -> StubState:
    """One stub state per module: RSA key generation takes tens of milliseconds."""
    return build_state()


def _part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    result: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return result


def _claims(token: str) -> dict[str, Any]:
    return _part(token, 1)


def _srp_request() -> dict[str, Any]:
    return {
        "ClientId": CLIENT_ID,
        "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": {"USERNAME": USERNAME, "SRP_A": "ab" * 384},
    }


def test_srp_auth_returns_a_full_size_password_verifier(state: StubState) -> None:
    """USER_SRP_AUTH answers PASSWORD_VERIFIER with a 3072-bit-range B, a salt and a big block."""
    answer = handle_operation(state, "InitiateAuth", _srp_request())
    assert answer["ChallengeName"] == "PASSWORD_VERIFIER"
    params = answer["ChallengeParameters"]
    assert set(params) == {"SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"}
    assert N_BITS - 64 <= int(params["SRP_B"], 16).bit_length() <= N_BITS
    assert len(base64.b64decode(params["SECRET_BLOCK"])) >= 800
    int(params["SALT"], 16)


def test_password_verifier_returns_realistic_tokens(state: StubState) -> None:
    """The challenge answer gets ~1 KB RS256 tokens shaped like Cognito's, far from expiry."""
    block = state.secret_block
    answer = handle_operation(
        state,
        "RespondToAuthChallenge",
        {
            "ClientId": CLIENT_ID,
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": {
                "USERNAME": "x",
                "TIMESTAMP": "Sun Mar 1 09:05:07 UTC 2026",
                "PASSWORD_CLAIM_SECRET_BLOCK": block,
                "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(b"s" * 32).decode(),
            },
        },
    )
    result = answer["AuthenticationResult"]
    assert {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"} <= set(result)
    for token in (result["AccessToken"], result["IdToken"]):
        assert 900 <= len(token) <= 1600
    access, ident = _claims(result["AccessToken"]), _claims(result["IdToken"])
    assert access["token_use"] == "access" and access["client_id"] == CLIENT_ID
    assert ident["token_use"] == "id" and ident["aud"] == CLIENT_ID
    assert access["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
    assert access["exp"] > access["iat"] + 365 * 24 * 3600
    assert len(result["RefreshToken"].split(".")) == 5


def test_tokens_verify_against_the_served_jwks(state: StubState) -> None:
    """The tokens' RS256 signatures check out with the key the stub publishes."""
    from joserfc import jws
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(state.jwks)  # type: ignore[arg-type]
    for token in (state.access_token, state.id_token):
        jws.deserialize_compact(token, keys, algorithms=["RS256"])


def test_jwks_is_the_public_half_and_headers_are_cognitos(state: StubState) -> None:
    """The served key has no private members; token headers are Cognito's {kid, alg}, no typ."""
    (key,) = state.jwks["keys"]
    assert {"kty": "RSA", "kid": KID, "alg": "RS256", "use": "sig"}.items() <= key.items()
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    for token in (state.access_token, state.id_token):
        assert _part(token, 0) == {"kid": KID, "alg": "RS256"}


def test_get_user_and_refresh(state: StubState) -> None:
    """GetUser lists a dozen attributes; a refresh returns new tokens without a refresh token."""
    user = handle_operation(state, "GetUser", {"AccessToken": state.access_token})
    assert len(user["UserAttributes"]) >= 10 and user["Username"]
    refreshed = handle_operation(
        state,
        "InitiateAuth",
        {
            "ClientId": CLIENT_ID,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {"REFRESH_TOKEN": state.refresh_token},
        },
    )
    assert "RefreshToken" not in refreshed["AuthenticationResult"]


@pytest.mark.parametrize(
    ("operation", "body", "code"),
    [
        ("GetUser", {"AccessToken": "nope"}, "NotAuthorizedException"),
        ("InitiateAuth", {"ClientId": CLIENT_ID}, "InvalidParameterException"),
        (
            "InitiateAuth",
            {"ClientId": CLIENT_ID, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {}},
            "InvalidParameterException",
        ),
        ("SignUp", {}, "InvalidAction"),
    ],
)
def test_bad_requests_get_aws_style_errors(
    state: StubState, operation: str, body: dict[str, Any], code: str
) -> None:
    """Wrong tokens, missing parameters and unknown operations raise the AWS error codes."""
    with pytest.raises(StubError) as caught:
        handle_operation(state, operation, body)
    assert caught.value.code == code


def _measured(rounds: list[float]) -> Measurement:
    return Measurement(
        "s", "v", len(rounds), sorted(rounds)[len(rounds) // 2], 0, 0, 0, None, "", rounds
    )


def test_paired_ratio_is_the_median_of_per_round_ratios() -> None:
    # The machine got twice as slow in the last two rounds, for both variants alike.
    ours = _measured([10.0, 10.0, 10.0, 20.0, 20.0])
    theirs = _measured([50.0, 50.0, 50.0, 100.0, 100.0])
    assert paired_ratio(theirs, ours) == 5.0
    # Rounds that do not pair up: the ratio of the medians.
    assert paired_ratio(_measured([30.0, 60.0, 90.0]), _measured([10.0, 20.0])) == 60.0 / 20.0


def test_run_rounds_settles_each_variant_before_measuring_it() -> None:
    calls: list[tuple[str, int]] = []

    def batch(name: str) -> Callable[[int], list[float]]:
        def run(n: int) -> list[float]:
            calls.append((name, n))
            return [0.0] * n

        return run

    results = run_rounds(
        "s", [Variant("a", batch("a")), Variant("b", batch("b"))], ops=3, rounds=2, warmup=0
    )
    assert calls == [("a", 1), ("a", 3), ("b", 1), ("b", 3)] * 2
    assert [r.ops for r in results] == [6, 6]
    assert all(len(r.rounds_cpu_us) == 2 for r in results)


def test_p95_is_the_nearest_rank() -> None:
    """The harness's p95 picks the 95th of 100 ordered samples."""
    assert p95([float(i) for i in range(1, 101)]) == 95.0
    assert p95([3.0]) == 3.0


@pytest.fixture
async def stub_url(state: StubState) -> AsyncIterator[str]:
    """The stub's aiohttp app on an ephemeral port of 127.0.0.1, in this process."""
    from aiohttp import web

    runner = web.AppRunner(make_app(state))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@pytest.mark.anyio
async def test_async_user_pool_round_trip(stub_url: str) -> None:
    """AsyncUserPool logs in, reads the profile and refreshes against the stub over HTTP."""
    from cognito_user_pool import AsyncUserPool, Tokens

    async with AsyncUserPool(POOL_ID, CLIENT_ID, endpoint_url=stub_url) as pool:
        tokens = await pool.login(username=USERNAME, password=PASSWORD)
        assert isinstance(tokens, Tokens)
        profile = await pool.profile(auth=tokens)
        assert profile.username
        assert tokens.refresh_token is not None
        again = await pool.refresh_session(refresh_token=tokens.refresh_token)
        assert again.refresh_token == tokens.refresh_token


@pytest.mark.anyio
async def test_token_verifier_accepts_the_stubs_tokens(state: StubState, stub_url: str) -> None:
    """The library's TokenVerifier, fetching the stub's JWKS over HTTP, verifies both tokens."""
    from cognito_user_pool import TokenVerifier

    verifier = TokenVerifier(POOL_ID, CLIENT_ID, endpoint_url=stub_url)
    access = await verifier.verify(state.access_token)
    ident = await verifier.verify(state.id_token, "id")
    assert (access.token_use, ident.token_use) == ("access", "id")
    assert access.sub == ident.sub and access.client_id == ident.client_id == CLIENT_ID
    assert ident.raw["email"] == USERNAME
