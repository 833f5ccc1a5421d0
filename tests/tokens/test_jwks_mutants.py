"""TokenVerifier's defaults, its parsing refusals and its JWKS handling, where the mutation run
(``nox -s mutate``) found no test: the default leeway and key lifetime, the refetch interval's
boundary, redirects, a stalled server, which keys of a JWKS are used, and what
each refusal and log line says."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cognito_user_pool import (
    InvalidParameterError,
    JwksFetchError,
    MalformedTokenError,
    TokenExpiredError,
    TokenVerificationError,
    TokenVerifier,
    UnknownKeyIdError,
    UnsupportedAlgorithmError,
)

from .conftest import (
    CLIENT_ID,
    KEY,
    KID,
    NEW_KEY,
    NOW,
    POOL_ID,
    Clock,
    JwksServer,
    claims,
    sign,
    unsigned,
)

pytestmark = pytest.mark.anyio

# -- defaults ---------------------------------------------------------------------------


async def test_the_default_leeway_is_five_seconds(
    make_verifier: Callable[..., TokenVerifier], clock: Clock
) -> None:
    """Without a leeway, a token is accepted 4.5 s after exp and refused 5 s after."""
    verifier = make_verifier()
    token = sign(claims(exp=NOW, iat=NOW - 60))
    clock.now = NOW + 4.5
    await verifier.verify(token)
    clock.now = NOW + 5
    with pytest.raises(TokenExpiredError):
        await verifier.verify(token)


async def test_keys_are_kept_an_hour_by_default(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer, clock: Clock
) -> None:
    """Without jwks_ttl, the keys serve for 3600 s and are fetched again at 3600 s."""
    verifier = make_verifier()
    token = sign(claims(exp=NOW + 10_000))
    await verifier.verify(token)
    clock.now = NOW + 3599
    await verifier.verify(token)
    assert jwks_server.requests == 1
    clock.now = NOW + 3600
    await verifier.verify(token)
    assert jwks_server.requests == 2


async def test_a_refetch_is_allowed_once_the_interval_has_passed(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer, clock: Clock
) -> None:
    """An unknown kid exactly jwks_refetch_interval after the last attempt fetches again."""
    verifier = make_verifier(jwks_refetch_interval=30)
    await verifier.verify(sign(claims()))
    clock.now = NOW + 30
    with pytest.raises(UnknownKeyIdError):
        await verifier.verify(sign(claims(), kid="unknown-kid"))
    assert jwks_server.requests == 2


# -- refusals before any key is chosen -------------------------------------------------


@pytest.mark.parametrize(
    ("token", "expected", "message"),
    [
        ("", MalformedTokenError, "the token must be a non-empty string"),
        ("a" * 40_000 + ".b.c", MalformedTokenError, "the token is too long"),
        ("not-a-jwt", MalformedTokenError, "the token is not a compact JWS"),
        (
            unsigned({"alg": "none", "kid": KID}, claims()),
            UnsupportedAlgorithmError,
            "the token's alg is not RS256",
        ),
        (
            unsigned({"alg": "RS256", "kid": KID, "b64": True}, claims()),
            MalformedTokenError,
            "the token uses an unencoded payload (b64)",
        ),
        (sign(claims(), kid=None), UnknownKeyIdError, "the token's header has no kid"),
        (sign(claims(), kid=""), UnknownKeyIdError, "the token's header has no kid"),
        (
            unsigned({"alg": "RS256", "kid": 5}, claims()),
            UnknownKeyIdError,
            "the token's header has no kid",
        ),
    ],
)
async def test_a_token_refused_before_any_key_says_why(
    make_verifier: Callable[..., TokenVerifier],
    jwks_server: JwksServer,
    token: str,
    expected: type[TokenVerificationError],
    message: str,
) -> None:
    """Each refusal of the token's shape has its own message, and costs no key fetch."""
    with pytest.raises(expected) as info:
        await make_verifier().verify(token)
    assert type(info.value) is expected
    assert info.value.message == message
    assert jwks_server.requests == 0


async def test_an_unknown_kid_says_so_before_and_after_the_rate_limit(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """The kid missing from fresh keys, and again while refetching is rate-limited."""
    verifier = make_verifier()
    for _ in range(2):
        with pytest.raises(UnknownKeyIdError) as info:
            await verifier.verify(sign(claims(), kid="unknown-kid"))
        assert info.value.message == "the token's kid is not among the pool's keys"
    assert jwks_server.requests == 1


async def test_token_use_is_checked_with_its_field(verifier: TokenVerifier) -> None:
    """token_use other than access or id is a caller's mistake, named as such."""
    with pytest.raises(InvalidParameterError) as info:
        await verifier.verify(sign(claims()), token_use="refresh")  # type: ignore[arg-type]
    assert (info.value.field, info.value.message) == (
        "token_use",
        "token_use must be 'access' or 'id'",
    )


# -- the JWKS document ------------------------------------------------------------------


def _key(key: Any = KEY, **overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {**key.as_dict(private=False), **overrides}
    return {k: v for k, v in entry.items() if v is not None}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"not json", "is not JSON"),
        (b"[]", "has no 'keys' list"),
        (b'{"keys": {}}', "has no 'keys' list"),
        (b'{"keys": []}', "has no RS256 signing key"),
        # Keys the verifier must not use are skipped, which leaves none.
        (json.dumps({"keys": ["junk", _key(kty="EC")]}).encode(), "has no RS256 signing key"),
        (json.dumps({"keys": [_key(kid=""), _key(kid=None)]}).encode(), "has no RS256 signing key"),
        (json.dumps({"keys": [_key(use="enc")]}).encode(), "has no RS256 signing key"),
        (json.dumps({"keys": [_key(alg="RS512")]}).encode(), "has no RS256 signing key"),
    ],
)
async def test_a_jwks_without_a_usable_key_is_refused(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer, body: bytes, problem: str
) -> None:
    """A JWKS that is not JSON, has no key list, no RS256 signing key or is too large is a
    JwksFetchError naming the address."""
    jwks_server.body = body
    with pytest.raises(JwksFetchError) as info:
        await make_verifier().prefetch()
    assert info.value.message == f"the JWKS at {jwks_server.url} {problem}"


async def test_usable_keys_are_kept_beside_skipped_ones(
    make_verifier: Callable[..., TokenVerifier],
    jwks_server: JwksServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Junk entries and an unreadable RSA key are skipped (the latter logged) and the good key
    serves."""
    caplog.set_level(logging.DEBUG, logger="cognito_user_pool")
    skipped = ["junk", _key(kid=""), _key(use="enc"), _key(kid="broken", n="not-base64!")]
    jwks_server.body = json.dumps({"keys": [*skipped, _key()]}).encode()
    await make_verifier().verify(sign(claims()))
    messages = [r.getMessage() for r in caplog.records]
    assert f"fetching JWKS from {jwks_server.url}" in messages
    assert any(
        re.fullmatch(r"skipping an unreadable JWKS key \((?!None\))\w+\)", m) for m in messages
    )


async def test_a_failed_refetch_is_logged_with_its_reason(
    make_verifier: Callable[..., TokenVerifier],
    jwks_server: JwksServer,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Keeping stale keys after a failed refetch leaves a warning that says why."""
    verifier = make_verifier(jwks_ttl=300)
    token = sign(claims(exp=NOW + 10_000))
    await verifier.verify(token)
    jwks_server.status = 503
    clock.now = NOW + 400
    caplog.set_level(logging.WARNING, logger="cognito_user_pool")
    await verifier.verify(token)
    assert [r.getMessage() for r in caplog.records] == [
        f"JWKS refetch failed (the JWKS at {jwks_server.url} answered HTTP 503); "
        "keeping the cached keys"
    ]


async def test_a_stalled_jwks_server_fails_within_the_timeout(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """A JWKS server that does not answer within jwks_timeout is a JwksFetchError naming the
    timeout, not a hang."""
    jwks_server.delay = 3
    with pytest.raises(JwksFetchError) as info:
        await make_verifier(jwks_timeout=0.3).verify(sign(claims()))
    url = re.escape(jwks_server.url)
    assert re.fullmatch(rf"no answer from the JWKS at {url} \(\w*Timeout\w*\)", info.value.message)


@pytest.fixture
def redirect_to_jwks(jwks_server: JwksServer) -> Iterator[str]:
    """An address on 127.0.0.1 that redirects (302) to the counting JWKS server."""

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", jwks_server.url)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host!s}:{port}/jwks.json"
    server.shutdown()
    server.server_close()
    thread.join(5)


async def test_a_redirect_is_not_followed(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer, redirect_to_jwks: str
) -> None:
    """Keys come from the configured address only: a redirect is a failed fetch."""
    verifier = make_verifier(jwks_url=redirect_to_jwks)
    with pytest.raises(JwksFetchError) as info:
        await verifier.verify(sign(claims()))
    assert info.value.message == f"the JWKS at {redirect_to_jwks} answered HTTP 302"
    assert jwks_server.requests == 0


async def test_a_rotated_key_list_replaces_the_cache(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer, clock: Clock
) -> None:
    """After a refetch the new key serves and the dropped one is unknown."""
    verifier = make_verifier(jwks_ttl=60)
    await verifier.verify(sign(claims()))
    jwks_server.serve(NEW_KEY)
    clock.now = NOW + 61
    await verifier.verify(sign(claims(), key=NEW_KEY, kid="test-key-2"))
    with pytest.raises(UnknownKeyIdError):
        await verifier.verify(sign(claims()))


def test_the_configuration_is_checked_field_by_field() -> None:
    """No client, a jwks_url that is not http(s) and a zero jwks_timeout are refused, naming
    the field; an https jwks_url is kept as given."""
    with pytest.raises(InvalidParameterError) as info:
        TokenVerifier(POOL_ID, [])
    assert (info.value.field, info.value.message) == (
        "client_ids",
        "client_ids must name at least one app client",
    )
    with pytest.raises(InvalidParameterError) as info:
        TokenVerifier(POOL_ID, CLIENT_ID, jwks_url="ftp://example.com/jwks.json")
    assert (info.value.field, info.value.message) == (
        "jwks_url",
        "jwks_url must be an http:// or https:// URL",
    )
    with pytest.raises(InvalidParameterError) as info:
        TokenVerifier(POOL_ID, CLIENT_ID, jwks_timeout=0)
    assert info.value.field == "jwks_timeout"
    url = "https://keys.example.com/jwks.json"
    assert TokenVerifier(POOL_ID, CLIENT_ID, jwks_url=url).jwks_url == url


def test_an_endpoint_path_is_kept_whole() -> None:
    """Only the trailing slash of a custom endpoint is dropped before the pool id."""
    verifier = TokenVerifier(POOL_ID, CLIENT_ID, endpoint_url="http://127.0.0.1:5000/X/")
    assert verifier.jwks_url == f"http://127.0.0.1:5000/X/{POOL_ID}/.well-known/jwks.json"


async def test_a_token_of_exactly_the_size_limit_is_parsed(verifier: TokenVerifier) -> None:
    """32 KiB of characters is not too long: such a token is refused for its content."""
    with pytest.raises(MalformedTokenError) as info:
        await verifier.verify("a" * 32 * 1024)
    assert info.value.message == "the token is not a compact JWS"


async def test_the_default_refetch_interval_is_ten_seconds(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer, clock: Clock
) -> None:
    """Without jwks_refetch_interval, an unknown kid 9 s after a fetch costs no request and
    one 10 s after does."""
    verifier = make_verifier()
    await verifier.verify(sign(claims()))
    for now, requests in ((NOW + 9, 1), (NOW + 10, 2)):
        clock.now = now
        with pytest.raises(UnknownKeyIdError):
            await verifier.verify(sign(claims(), kid="unknown-kid"))
        assert jwks_server.requests == requests
