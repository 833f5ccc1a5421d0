"""TokenVerifier: every rejection with its own code, the JWKS cache, single flight, leeway."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from cognito_user_pool import (
    AsyncUserPool,
    BadSignatureError,
    InvalidParameterError,
    JwksFetchError,
    MalformedTokenError,
    NetworkError,
    TokenError,
    TokenExpiredError,
    TokenNotYetValidError,
    Tokens,
    TokenVerificationError,
    TokenVerifier,
    UnknownKeyIdError,
    UnsupportedAlgorithmError,
    VerifiedClaims,
    WrongAudienceError,
    WrongIssuerError,
    WrongTokenUseError,
)

from .conftest import (
    CLIENT_ID,
    KEY,
    KID,
    NEW_KEY,
    NOW,
    OTHER_KEY,
    POOL_ID,
    Clock,
    JwksServer,
    MotoPool,
    b64,
    claims,
    sign,
    unsigned,
)

pytestmark = pytest.mark.anyio


def _hs256(payload: dict[str, Any]) -> str:
    """The classic confusion attack: HMAC-signed with the pool's *public* key as the secret."""
    secret = KEY.as_pem(private=False)
    header = b64(json.dumps({"alg": "HS256", "kid": KID}))
    body = b64(json.dumps(payload))
    mac = hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64(mac)}"


def _tamper_payload(token: str) -> str:
    header, _, signature = token.split(".")
    return ".".join([header, b64(json.dumps(claims(sub="someone-else"))), signature])


def _tamper_header(token: str) -> str:
    _, payload, signature = token.split(".")
    header = b64(json.dumps({"alg": "RS256", "kid": KID, "typ": "JWT"}))
    return ".".join([header, payload, signature])


# (case, token, token_use asked, expected error) for every way a token must be refused.
REJECTIONS: list[tuple[str, str, str, type[TokenVerificationError]]] = [
    ("expired", sign(claims(exp=NOW - 3600, iat=NOW - 7200)), "access", TokenExpiredError),
    ("issued in the future", sign(claims(iat=NOW + 600)), "access", TokenNotYetValidError),
    ("not before in the future", sign(claims(nbf=NOW + 600)), "access", TokenNotYetValidError),
    (
        "another pool",
        sign(claims(iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool")),
        "access",
        WrongIssuerError,
    ),
    (
        "another region",
        sign(claims(iss=f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}")),
        "access",
        WrongIssuerError,
    ),
    ("no issuer", sign(claims(iss=None)), "access", WrongIssuerError),
    ("another client (access)", sign(claims(client_id="other")), "access", WrongAudienceError),
    ("another client (id)", sign(claims("id", aud="other")), "id", WrongAudienceError),
    (
        "aud instead of client_id",
        sign(claims(client_id=None, aud=CLIENT_ID)),
        "access",
        WrongAudienceError,
    ),
    ("id token asked for access", sign(claims("id")), "access", WrongTokenUseError),
    ("access token asked for id", sign(claims("access")), "id", WrongTokenUseError),
    ("signed by another key", sign(claims(), key=OTHER_KEY), "access", BadSignatureError),
    ("tampered payload", _tamper_payload(sign(claims())), "access", BadSignatureError),
    ("tampered header", _tamper_header(sign(claims())), "access", BadSignatureError),
    ("truncated signature", sign(claims())[:-10], "access", BadSignatureError),
    (
        "alg none",
        unsigned({"alg": "none", "kid": KID}, claims()),
        "access",
        UnsupportedAlgorithmError,
    ),
    (
        "alg None",
        unsigned({"alg": "None", "kid": KID}, claims()),
        "access",
        UnsupportedAlgorithmError,
    ),
    ("HS256 with the public key", _hs256(claims()), "access", UnsupportedAlgorithmError),
    (
        "HS512",
        unsigned({"alg": "HS512", "kid": KID}, claims(), b"x" * 64),
        "access",
        UnsupportedAlgorithmError,
    ),
    (
        "RS512",
        unsigned({"alg": "RS512", "kid": KID}, claims(), b"x" * 256),
        "access",
        UnsupportedAlgorithmError,
    ),
    (
        "PS256",
        unsigned({"alg": "PS256", "kid": KID}, claims(), b"x" * 256),
        "access",
        UnsupportedAlgorithmError,
    ),
    (
        "ES256",
        unsigned({"alg": "ES256", "kid": KID}, claims(), b"x" * 64),
        "access",
        UnsupportedAlgorithmError,
    ),
    ("unknown kid", sign(claims(), kid="nobody-knows"), "access", UnknownKeyIdError),
    ("no kid", sign(claims(), kid=None), "access", UnknownKeyIdError),
    ("not a JWT", "not-a-jwt", "access", MalformedTokenError),
    ("two segments", "abc.def", "access", MalformedTokenError),
    ("four segments", sign(claims()) + ".x", "access", MalformedTokenError),
    (
        "header not JSON",
        "bm90IGpzb24." + sign(claims()).split(".", 1)[1],
        "access",
        MalformedTokenError,
    ),
    ("payload not JSON", sign("not json at all"), "access", MalformedTokenError),
    ("payload not an object", sign("[1, 2, 3]"), "access", MalformedTokenError),
    ("no exp", sign(claims(exp=None)), "access", MalformedTokenError),
    ("exp not a number", sign(claims(exp="tomorrow")), "access", MalformedTokenError),
    ("no sub", sign(claims(sub=None)), "access", MalformedTokenError),
    ("non-ASCII", "é." + sign(claims()), "access", MalformedTokenError),
    ("far too long", "a" * 40_000 + "." + "b" * 10 + ".c", "access", MalformedTokenError),
    ("empty", "", "access", MalformedTokenError),
]


async def test_a_valid_access_token_gives_typed_claims(verifier: TokenVerifier) -> None:
    """An access token of the pool and client verifies into typed, read-only claims."""
    result = await verifier.verify(sign(claims()))
    assert isinstance(result, VerifiedClaims)
    assert result.sub == "5f1c0a52-0000-4000-8000-000000000001"
    assert result.username == "alice"
    assert result.groups == ("admins", "staff")
    assert result.scopes == ("openid", "profile")
    assert result.token_use == "access"
    assert result.client_id == CLIENT_ID
    assert (result.expires_at, result.issued_at) == (NOW + 3600, NOW - 10)
    assert result.raw["jti"] == "b3b3c3d0-aaaa-4bbb-8ccc-ddddeeeeffff"
    with pytest.raises(TypeError):
        result.raw["sub"] = "x"  # type: ignore[index]


async def test_a_valid_id_token_reads_aud_and_cognito_username(verifier: TokenVerifier) -> None:
    """An id token is checked against aud, and its username is cognito:username."""
    result = await verifier.verify(sign(claims("id")), token_use="id")
    assert (result.token_use, result.client_id, result.username) == ("id", CLIENT_ID, "alice")
    assert result.scopes == ()


async def test_any_of_several_clients_is_accepted(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """A verifier built for several app clients accepts each of them and no other."""
    multi = TokenVerifier(POOL_ID, ["web", CLIENT_ID], jwks_url=jwks_server.url, clock=Clock())
    assert (await multi.verify(sign(claims(client_id="web")))).client_id == "web"
    assert (await multi.verify(sign(claims("id", aud=["x", "web"])), "id")).client_id == "web"
    with pytest.raises(WrongAudienceError):
        await multi.verify(sign(claims(client_id="mobile")))


@pytest.mark.parametrize(
    ("token", "token_use", "expected"),
    [pytest.param(t, u, e, id=case) for case, t, u, e in REJECTIONS],
)
async def test_each_bad_token_is_refused_with_its_own_error(
    verifier: TokenVerifier,
    token: str,
    token_use: Any,
    expected: type[TokenVerificationError],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each forged, foreign, expired or malformed token raises its own error, token-free."""
    caplog.set_level(logging.DEBUG, logger="cognito_user_pool")
    with pytest.raises(expected) as info:
        await verifier.verify(token, token_use=token_use)
    error = info.value
    assert type(error) is expected
    assert isinstance(error, TokenError)
    assert error.code == expected.code
    signature = token.rsplit(".", 1)[-1]
    for text in (str(error), repr(error), caplog.text):
        assert len(token) < 8 or token not in text
        assert len(signature) < 8 or signature not in text


def test_every_rejection_has_a_distinct_code() -> None:
    """Callers can tell each rejection apart by its code alone."""
    kinds = {e for *_, e in REJECTIONS}
    codes = {e.code for e in kinds}
    assert len(codes) == len(kinds) == 9
    assert all(code.startswith("CognitoUserPool.") for code in codes)
    assert JwksFetchError.code == NetworkError.code


async def test_a_non_string_token_is_malformed(verifier: TokenVerifier) -> None:
    """None or bytes instead of a token is refused as malformed, not with a TypeError."""
    for bad in (None, b"a.b.c", 42):
        with pytest.raises(MalformedTokenError):
            await verifier.verify(bad)  # type: ignore[arg-type]


# Claims joserfc checks, at their edges: times that are JSON but not NumericDates, and
# identity claims of the wrong type.
_NAN, _INF = float("nan"), float("inf")
EDGE_REJECTIONS: list[tuple[str, dict[str, Any], type[TokenVerificationError]]] = [
    ("exp true", claims(exp=True), MalformedTokenError),
    ("iat true", claims(iat=True), MalformedTokenError),
    ("nbf false", claims(nbf=False), MalformedTokenError),
    ("exp NaN", claims(exp=_NAN), MalformedTokenError),
    ("exp Infinity", claims(exp=_INF), MalformedTokenError),
    ("iat Infinity", claims(iat=_INF), MalformedTokenError),
    ("nbf NaN", claims(nbf=_NAN), MalformedTokenError),
    ("nbf -Infinity", claims(nbf=-_INF), MalformedTokenError),
    ("nbf not a number", claims(nbf="soon"), MalformedTokenError),
    ("no iat", claims(iat=None), MalformedTokenError),
    ("sub not a string", claims(sub=42), MalformedTokenError),
    ("empty sub", claims(sub=""), MalformedTokenError),
    (
        "iss not a string",
        claims(iss=[f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"]),
        WrongIssuerError,
    ),
]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [pytest.param(p, e, id=case) for case, p, e in EDGE_REJECTIONS],
)
async def test_claims_of_the_wrong_type_are_refused(
    verifier: TokenVerifier, payload: dict[str, Any], expected: type[TokenVerificationError]
) -> None:
    """A signed token whose times are not NumericDates (booleans, NaN, infinities, text) or
    whose sub or iss is not a string is refused with its own error, never an exception of
    another kind."""
    with pytest.raises(expected) as info:
        await verifier.verify(sign(json.dumps(payload)))
    assert type(info.value) is expected


async def test_a_null_nbf_is_ignored(verifier: TokenVerifier) -> None:
    """nbf is optional: a null nbf counts as absent, as do fractional times within range."""
    payload = {**claims(exp=NOW + 0.5), "nbf": None}
    result = await verifier.verify(sign(json.dumps(payload)))
    assert result.expires_at == NOW


@pytest.mark.parametrize("reverse", [False, True], ids=["payload order", "reversed"])
async def test_the_first_fault_wins_whatever_the_payload_order(
    verifier: TokenVerifier, reverse: bool
) -> None:
    """A token with several faults is refused for the first in a fixed order (missing claims,
    then exp, iat, nbf, iss, sub, token_use, audience), not for the first in its payload."""

    def token(**overrides: Any) -> str:
        items = list(claims(**overrides).items())
        return sign(dict(reversed(items) if reverse else items))

    faults = [
        (token(exp=NOW - 100, iss="https://elsewhere.example"), TokenExpiredError),
        (token(iat=NOW + 600, nbf=NOW + 600, sub=""), TokenNotYetValidError),
        (token(iss="https://elsewhere.example", sub=""), WrongIssuerError),
        (token(sub="", token_use="id"), MalformedTokenError),
        (token(token_use="id", client_id="other"), WrongTokenUseError),
        (token(iss=None, exp=NOW - 100), WrongIssuerError),
        (token(exp=None, iss=None), MalformedTokenError),
    ]
    for bad, expected in faults:
        with pytest.raises(expected):
            await verifier.verify(bad)


async def test_token_use_must_be_access_or_id(verifier: TokenVerifier) -> None:
    """Asking for another token_use is a parameter error, raised before any check."""
    with pytest.raises(InvalidParameterError):
        await verifier.verify(sign(claims()), token_use="refresh")  # type: ignore[arg-type]


def test_configuration_is_checked() -> None:
    """A malformed pool id, client id, URL or option is refused at construction."""
    with pytest.raises(InvalidParameterError):
        TokenVerifier("not-a-pool", CLIENT_ID)
    with pytest.raises(InvalidParameterError):
        TokenVerifier(POOL_ID, [])
    with pytest.raises(InvalidParameterError):
        TokenVerifier(POOL_ID, "bad client!")
    with pytest.raises(InvalidParameterError):
        TokenVerifier(POOL_ID, CLIENT_ID, jwks_url="ftp://example.invalid/jwks")
    with pytest.raises(InvalidParameterError):
        TokenVerifier(POOL_ID, CLIENT_ID, leeway=-1)


def test_urls_follow_the_pool_and_endpoint() -> None:
    """The issuer is AWS-style; a custom endpoint only moves where the keys are read."""
    aws = TokenVerifier(POOL_ID, CLIENT_ID)
    assert aws.issuer == f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
    assert aws.jwks_url == f"{aws.issuer}/.well-known/jwks.json"
    local = TokenVerifier(POOL_ID, CLIENT_ID, endpoint_url="http://127.0.0.1:5000/")
    assert local.issuer == aws.issuer
    assert local.jwks_url == f"http://127.0.0.1:5000/{POOL_ID}/.well-known/jwks.json"
    assert TokenVerifier(POOL_ID, CLIENT_ID, region="eu-west-1").issuer.startswith(
        "https://cognito-idp.eu-west-1."
    )
    assert POOL_ID in repr(aws)
    pool = AsyncUserPool(POOL_ID, CLIENT_ID, endpoint_url="http://127.0.0.1:5000")
    from_pool = TokenVerifier.from_config(pool.config, leeway=0)
    assert from_pool.jwks_url == f"http://127.0.0.1:5000/{POOL_ID}/.well-known/jwks.json"
    assert (from_pool.issuer, from_pool.client_ids) == (aws.issuer, frozenset({CLIENT_ID}))


# -- leeway -----------------------------------------------------------------------------


async def test_exp_leeway_boundaries(make_verifier: Callable[..., TokenVerifier]) -> None:
    """A token is accepted until exp + leeway and refused from that instant on."""
    clock = Clock()
    verifier = make_verifier(leeway=5, clock=clock)
    token = sign(claims(exp=NOW, iat=NOW - 60))
    for now in (NOW - 1, NOW, NOW + 4.999):
        clock.now = now
        await verifier.verify(token)
    for now in (NOW + 5, NOW + 3600):
        clock.now = now
        with pytest.raises(TokenExpiredError):
            await verifier.verify(token)


async def test_iat_leeway_boundaries(make_verifier: Callable[..., TokenVerifier]) -> None:
    """iat may lie up to the leeway in the future (clock skew), not further."""
    clock = Clock()
    verifier = make_verifier(leeway=5, clock=clock)
    await verifier.verify(sign(claims(iat=NOW + 5)))
    with pytest.raises(TokenNotYetValidError):
        await verifier.verify(sign(claims(iat=NOW + 6)))


async def test_zero_leeway_is_exact(make_verifier: Callable[..., TokenVerifier]) -> None:
    """With leeway 0 a token is refused at its exp second exactly."""
    clock = Clock(NOW - 0.001)
    verifier = make_verifier(leeway=0, clock=clock)
    token = sign(claims(exp=NOW, iat=NOW - 60))
    await verifier.verify(token)
    clock.now = NOW
    with pytest.raises(TokenExpiredError):
        await verifier.verify(token)


# -- the JWKS cache ---------------------------------------------------------------------


async def test_keys_are_fetched_once_and_verification_does_no_io_after(
    verifier: TokenVerifier, jwks_server: JwksServer
) -> None:
    """After the first fetch, verifications use the cache: the server sees one request, and
    still works when the server answers nothing but errors."""
    token = sign(claims())
    for _ in range(20):
        await verifier.verify(token)
    assert jwks_server.requests == 1
    jwks_server.status = 500
    for _ in range(20):
        await verifier.verify(token)
    assert jwks_server.requests == 1


async def test_keys_are_refetched_after_the_ttl(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """Past jwks_ttl the next verification refetches once, then uses the cache again."""
    clock = Clock()
    verifier = make_verifier(jwks_ttl=300, leeway=0, clock=clock)
    token = sign(claims(exp=NOW + 10_000))
    await verifier.verify(token)
    clock.now = NOW + 299
    await verifier.verify(token)
    assert jwks_server.requests == 1
    clock.now = NOW + 300
    await verifier.verify(token)
    await verifier.verify(token)
    assert jwks_server.requests == 2


async def test_stale_keys_keep_working_when_the_refetch_fails(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """A failed TTL refetch keeps the known keys rather than refusing every token."""
    clock = Clock()
    verifier = make_verifier(jwks_ttl=300, clock=clock)
    token = sign(claims(exp=NOW + 10_000))
    await verifier.verify(token)
    jwks_server.status = 503
    clock.now = NOW + 400
    await verifier.verify(token)
    await verifier.verify(token)  # within the refetch interval: no second attempt
    assert jwks_server.requests == 2


async def test_an_unknown_kid_refetches_at_most_once_per_interval(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """Unknown kids trigger one refetch, then none until jwks_refetch_interval has passed."""
    clock = Clock()
    verifier = make_verifier(jwks_refetch_interval=30, clock=clock)
    await verifier.verify(sign(claims()))
    assert jwks_server.requests == 1
    clock.now = NOW + 31  # past the interval since the first fetch
    for _ in range(10):
        with pytest.raises(UnknownKeyIdError):
            await verifier.verify(sign(claims(), kid="forged-kid"))
    assert jwks_server.requests == 2
    clock.now = NOW + 60
    with pytest.raises(UnknownKeyIdError):
        await verifier.verify(sign(claims(), kid="another-forged-kid"))
    assert jwks_server.requests == 2
    clock.now = NOW + 62
    with pytest.raises(UnknownKeyIdError):
        await verifier.verify(sign(claims(), kid="another-forged-kid"))
    assert jwks_server.requests == 3


async def test_a_rotated_key_is_picked_up_by_one_refetch(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """When Cognito adds a key, the first token signed with it triggers one refetch."""
    clock = Clock()
    verifier = make_verifier(clock=clock)
    await verifier.verify(sign(claims()))
    jwks_server.serve(KEY, NEW_KEY)
    clock.now = NOW + 60
    result = await verifier.verify(sign(claims(), key=NEW_KEY, kid="test-key-2"))
    assert result.sub
    await verifier.verify(sign(claims()))
    assert jwks_server.requests == 2


async def test_a_hundred_concurrent_verifications_cause_one_fetch(
    verifier: TokenVerifier, jwks_server: JwksServer
) -> None:
    """A cold cache hit by a hundred tasks at once is filled by one request (single flight)."""
    jwks_server.delay = 0.2
    token = sign(claims())
    results: list[VerifiedClaims] = []

    async def check() -> None:
        results.append(await verifier.verify(token))

    async with anyio.create_task_group() as tg:
        for _ in range(100):
            tg.start_soon(check)
    assert len(results) == 100
    assert jwks_server.requests == 1


async def test_a_fresh_kid_under_concurrency_causes_one_refetch(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """A hundred concurrent tokens with a newly rotated kid share one refetch."""
    clock = Clock()
    verifier = make_verifier(clock=clock)
    await verifier.verify(sign(claims()))
    jwks_server.serve(KEY, NEW_KEY)
    jwks_server.delay = 0.2
    clock.now = NOW + 60
    token = sign(claims(), key=NEW_KEY, kid="test-key-2")
    done = 0

    async def check() -> None:
        nonlocal done
        await verifier.verify(token)
        done += 1

    async with anyio.create_task_group() as tg:
        for _ in range(100):
            tg.start_soon(check)
    assert done == 100
    assert jwks_server.requests == 2


async def test_a_cancelled_fetch_does_not_block_the_next_one(
    verifier: TokenVerifier, jwks_server: JwksServer
) -> None:
    """If the task fetching the keys is cancelled, the next caller fetches at once instead
    of failing on the rate limit."""
    jwks_server.delay = 0.3
    token = sign(claims())
    with anyio.move_on_after(0.1):
        await verifier.verify(token)
    jwks_server.delay = 0
    assert (await verifier.verify(token)).sub
    # Under heavy load the first request may be cancelled before it was even sent.
    assert 1 <= jwks_server.requests <= 2


# -- fetch failures ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, None),
        (404, None),
        (200, b"<html>not json</html>"),
        (200, b'{"no": "keys"}'),
        (200, b'{"keys": [{"kty": "oct", "kid": "k", "k": "c2VjcmV0"}]}'),
    ],
    ids=["500", "404", "not json", "no keys list", "no RSA key"],
)
async def test_a_failed_fetch_is_a_network_error(
    verifier: TokenVerifier, jwks_server: JwksServer, status: int, body: bytes | None
) -> None:
    """An unreachable or unusable JWKS gives JwksFetchError with the network code."""
    jwks_server.status, jwks_server.body = status, body
    with pytest.raises(JwksFetchError) as info:
        await verifier.verify(sign(claims()))
    assert info.value.code == "CognitoUserPool.NetworkError"
    assert isinstance(info.value, NetworkError)


async def test_a_refused_connection_is_a_network_error(clock: Clock) -> None:
    """Nothing listening at the JWKS address gives JwksFetchError, retried only after the
    interval."""
    verifier = TokenVerifier(
        POOL_ID, CLIENT_ID, jwks_url="http://127.0.0.1:9/jwks.json", clock=clock
    )
    with pytest.raises(JwksFetchError, match="no answer"):
        await verifier.verify(sign(claims()))
    with pytest.raises(JwksFetchError, match="next attempt"):
        await verifier.verify(sign(claims()))


async def test_prefetch_fills_the_cache(verifier: TokenVerifier, jwks_server: JwksServer) -> None:
    """prefetch() fetches the keys up front so the first request waits for nothing."""
    await verifier.prefetch()
    assert jwks_server.requests == 1
    await verifier.verify(sign(claims()))
    assert jwks_server.requests == 1


# -- the blocking path ------------------------------------------------------------------


def test_verify_sync_works_from_plain_sync_code(
    verifier: TokenVerifier, jwks_server: JwksServer
) -> None:
    """verify_sync fetches once through a portal, then verifies from the cache, no loop."""
    token = sign(claims())
    for _ in range(10):
        assert verifier.verify_sync(token).sub
    assert jwks_server.requests == 1
    with pytest.raises(TokenExpiredError):
        verifier.verify_sync(sign(claims(exp=NOW - 100)))
    with pytest.raises(WrongTokenUseError):
        verifier.verify_sync(token, token_use="id")


def test_verify_sync_from_many_threads_fetches_once(
    verifier: TokenVerifier, jwks_server: JwksServer
) -> None:
    """Threads hitting a cold cache together share one fetch."""
    import concurrent.futures

    jwks_server.delay = 0.2
    token = sign(claims())
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as executor:
        results = list(executor.map(lambda _: verifier.verify_sync(token), range(40)))
    assert len(results) == 40
    assert jwks_server.requests == 1


def test_prefetch_sync_fills_the_cache(verifier: TokenVerifier, jwks_server: JwksServer) -> None:
    """prefetch_sync() is the blocking twin of prefetch()."""
    verifier.prefetch_sync()
    verifier.verify_sync(sign(claims()))
    assert jwks_server.requests == 1


async def test_one_verifier_serves_async_and_sync_callers(
    verifier: TokenVerifier, jwks_server: JwksServer
) -> None:
    """A verifier shared by the event loop and worker threads keeps one cache."""
    token = sign(claims())
    await verifier.verify(token)
    result = await anyio.to_thread.run_sync(verifier.verify_sync, token)
    assert result.sub
    assert jwks_server.requests == 1


# -- real Cognito-shaped tokens from moto -----------------------------------------------


async def test_tokens_issued_by_moto_verify(moto_pool: MotoPool) -> None:
    """Access and id tokens from a real moto login verify against moto's JWKS."""
    async with AsyncUserPool(
        moto_pool.user_pool_id,
        moto_pool.client_id,
        endpoint_url=moto_pool.endpoint_url,
        max_attempts=1,
    ) as pool:
        tokens = await pool.login(username=moto_pool.username, password=moto_pool.password)
    assert isinstance(tokens, Tokens)
    verifier = TokenVerifier(
        moto_pool.user_pool_id, moto_pool.client_id, endpoint_url=moto_pool.endpoint_url
    )
    access = await verifier.verify(tokens.access_token)
    assert (access.token_use, access.client_id, access.username) == (
        "access",
        moto_pool.client_id,
        moto_pool.username,
    )
    identity = await verifier.verify(tokens.id_token, token_use="id")
    assert identity.sub == access.sub
    assert identity.username == moto_pool.username
    with pytest.raises(WrongTokenUseError):
        await verifier.verify(tokens.id_token)
    other_client = TokenVerifier(
        moto_pool.user_pool_id, "someotherclient", endpoint_url=moto_pool.endpoint_url
    )
    with pytest.raises(WrongAudienceError):
        await other_client.verify(tokens.access_token)
    assert (
        await anyio.to_thread.run_sync(verifier.verify_sync, tokens.access_token)
    ).sub == access.sub
