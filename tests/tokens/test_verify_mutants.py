"""TokenVerifier behaviour that the mutation run (``nox -s mutate``) found no test for.

Each test states a promise of the verifier: which error and message a refusal carries, how a
prefetch counts against the refetch rate limit, how the blocking path fails, that a cached
key is used without waiting for a fetch in progress.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import anyio
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from cognito_user_pool import (
    BadSignatureError,
    JwksFetchError,
    MalformedTokenError,
    PoolConfig,
    TokenVerificationError,
    TokenVerifier,
    UnknownKeyIdError,
    WrongAudienceError,
    WrongIssuerError,
    WrongTokenUseError,
)

from .conftest import (
    CLIENT_ID,
    KEY,
    KID,
    NOW,
    OTHER_KEY,
    POOL_ID,
    Clock,
    JwksServer,
    b64,
    claims,
    sign,
)

pytestmark = pytest.mark.anyio


# -- which refusal, with which message --------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        # joserfc names every missing claim at once ("exp,iat"): the first of the verifier's
        # order is reported.
        ({"exp": None, "iat": None}, "the token has no numeric 'exp' claim"),
        ({"iat": None, "sub": None}, "the token has no numeric 'iat' claim"),
        ({"exp": "tomorrow"}, "the token has no numeric 'exp' claim"),
        ({"iat": "now"}, "the token has no numeric 'iat' claim"),
        ({"nbf": "soon"}, "the token has no numeric 'nbf' claim"),
        ({"auth_time": "yesterday"}, "the token has no numeric 'auth_time' claim"),
        ({"sub": None}, "the token has no 'sub' claim"),
    ],
)
async def test_a_refused_claim_is_named_in_the_message(
    verifier: TokenVerifier, overrides: dict[str, Any], message: str
) -> None:
    """A malformed or missing claim is reported as MalformedTokenError naming that claim."""
    with pytest.raises(MalformedTokenError) as info:
        await verifier.verify(sign(claims(**overrides)))
    assert type(info.value) is MalformedTokenError
    assert info.value.message == message


async def test_a_foreign_issuer_is_named_in_the_message(verifier: TokenVerifier) -> None:
    """A token of another pool says it was not issued by this pool."""
    token = sign(claims(iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"))
    with pytest.raises(WrongIssuerError) as info:
        await verifier.verify(token)
    assert info.value.message == "the token was not issued by this user pool"


def _signed_with_header(header: dict[str, Any]) -> str:
    """A token correctly signed with the pool's key under any header (joserfc would refuse
    to produce a bad one)."""
    signing_input = f"{b64(json.dumps(header))}.{b64(json.dumps(claims()))}"
    signature = KEY.private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64(signature)}"


@pytest.mark.parametrize(
    ("token", "token_use", "expected", "message"),
    [
        (
            _signed_with_header({"alg": "RS256", "kid": KID, "typ": 5}),
            "access",
            MalformedTokenError,
            "the token's header is not acceptable",
        ),
        (
            sign(claims(), key=OTHER_KEY),
            "access",
            BadSignatureError,
            "the token's signature does not match",
        ),
        (sign("not json"), "access", MalformedTokenError, "the token's payload is not JSON"),
        (sign("[1]"), "access", MalformedTokenError, "the token's payload is not a JSON object"),
        (sign(claims("id")), "access", WrongTokenUseError, "expected an access token"),
        (sign(claims()), "id", WrongTokenUseError, "expected an id token"),
        (
            sign(claims(client_id="other")),
            "access",
            WrongAudienceError,
            "the token was issued to another app client",
        ),
        # client_id is a string in access tokens; only an id token's aud may be a list.
        (
            sign(claims(client_id=[CLIENT_ID])),
            "access",
            WrongAudienceError,
            "the token was issued to another app client",
        ),
        (
            sign(claims("id", aud=["other", 5])),
            "id",
            WrongAudienceError,
            "the token was issued to another app client",
        ),
    ],
)
async def test_each_refusal_says_why(
    verifier: TokenVerifier,
    token: str,
    token_use: Any,
    expected: type[TokenVerificationError],
    message: str,
) -> None:
    """Signature, payload, token use and audience refusals each carry their own message."""
    with pytest.raises(expected) as info:
        await verifier.verify(token, token_use=token_use)
    assert type(info.value) is expected
    assert info.value.message == message


async def test_a_username_that_is_not_a_string_is_dropped(verifier: TokenVerifier) -> None:
    """A signed token whose username is not a string verifies with username None."""
    verified = await verifier.verify(sign(claims(username=42)))
    assert verified.username is None


async def test_keys_fetched_this_very_second_are_fresh(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """With no refetch interval, a second token at the same instant uses the cached keys."""
    verifier = make_verifier(jwks_refetch_interval=0)
    token = sign(claims())
    await verifier.verify(token)
    await verifier.verify(token)
    verifier.verify_sync(token)
    assert jwks_server.requests == 1


@pytest.mark.timing  # bounds the wall time: run alone (nox -s tests)
async def test_a_cached_key_does_not_wait_for_a_fetch_in_progress_async(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """While one task refetches for an unknown kid, a known token verifies at once."""
    verifier = make_verifier(jwks_refetch_interval=0)
    token = sign(claims())
    await verifier.verify(token)
    jwks_server.delay = 1.5

    async def refetch() -> None:
        with pytest.raises(UnknownKeyIdError):
            await verifier.verify(sign(claims(), kid="unknown-kid"))

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(refetch)
        await anyio.sleep(0.3)  # the task now holds the fetch, waiting for the slow server
        start = time.monotonic()
        assert (await verifier.verify(token)).sub
        assert time.monotonic() - start < 0.5
    assert jwks_server.requests == 2


# -- construction -----------------------------------------------------------------------


def test_from_config_keeps_the_configs_region() -> None:
    """A PoolConfig whose region differs from its pool id's prefix keeps that region."""
    config = PoolConfig(user_pool_id=POOL_ID, client_id=CLIENT_ID, region="eu-west-1")
    verifier = TokenVerifier.from_config(config)
    assert verifier.issuer == f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"


def test_repr_names_the_class_pool_clients_and_url() -> None:
    """The repr says what the verifier checks, and nothing else."""
    verifier = TokenVerifier(POOL_ID, ["bclient", "aclient"])
    assert repr(verifier) == (
        f"TokenVerifier(user_pool_id={POOL_ID!r}, client_ids=['aclient', 'bclient'], "
        f"jwks_url='https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}/.well-known/jwks.json')"
    )


# -- the refetch rate limit -------------------------------------------------------------


async def test_a_prefetch_counts_as_an_attempt(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """Right after prefetch(), an unknown kid is refused without another request."""
    verifier = make_verifier(jwks_refetch_interval=30)
    await verifier.prefetch()
    with pytest.raises(UnknownKeyIdError):
        await verifier.verify(sign(claims(), kid="forged-kid"))
    assert jwks_server.requests == 1


def test_a_blocking_prefetch_counts_as_an_attempt(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """Right after prefetch_sync(), an unknown kid is refused without another request."""
    verifier = make_verifier(jwks_refetch_interval=30)
    verifier.prefetch_sync()
    with pytest.raises(UnknownKeyIdError):
        verifier.verify_sync(sign(claims(), kid="forged-kid"))
    assert jwks_server.requests == 1


# -- the blocking path ------------------------------------------------------------------


def test_a_failed_blocking_fetch_is_a_network_error(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """verify_sync with no keys and a JWKS answering 503 raises JwksFetchError."""
    jwks_server.status = 503
    with pytest.raises(JwksFetchError, match="answered HTTP 503"):
        make_verifier().verify_sync(sign(claims()))


def test_stale_keys_keep_working_on_the_blocking_path(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """A failed TTL refetch from verify_sync keeps the known keys."""
    clock = Clock()
    verifier = make_verifier(jwks_ttl=300, clock=clock)
    token = sign(claims(exp=NOW + 10_000))
    assert verifier.verify_sync(token).sub
    jwks_server.status = 503
    clock.now = NOW + 400
    assert verifier.verify_sync(token).sub
    assert jwks_server.requests == 2


@pytest.mark.timing  # bounds the wall time: run alone (nox -s tests)
def test_a_cached_key_does_not_wait_for_a_fetch_in_progress(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """While one thread refetches for an unknown kid, a known token verifies at once."""
    verifier = make_verifier(jwks_refetch_interval=0)
    token = sign(claims())
    verifier.verify_sync(token)
    jwks_server.delay = 1.5
    refused: list[BaseException] = []

    def refetch() -> None:
        try:
            verifier.verify_sync(sign(claims(), kid="unknown-kid"))
        except UnknownKeyIdError as exc:
            refused.append(exc)

    fetching = threading.Thread(target=refetch)
    fetching.start()
    try:
        time.sleep(0.3)  # the other thread now holds the fetch, waiting for the slow server
        start = time.monotonic()
        assert verifier.verify_sync(token).sub
        assert time.monotonic() - start < 0.5
    finally:
        fetching.join(10)
    assert len(refused) == 1
    assert jwks_server.requests == 2


@pytest.mark.timing  # bounds the wall time: run alone (nox -s tests)
async def test_verify_sync_on_a_busy_event_loop_gives_up_after_its_bound(
    make_verifier: Callable[..., TokenVerifier], jwks_server: JwksServer
) -> None:
    """verify_sync called on the loop whose task is fetching waits 2 x jwks_timeout + 1 s, then
    raises JwksFetchError instead of hanging (the task cannot finish while the loop waits)."""
    verifier = make_verifier(jwks_timeout=0.5)
    token = sign(claims())
    jwks_server.delay = 0.2

    async def fetch() -> None:
        # The loop is blocked past the fetch's timeout: this attempt fails, which is expected.
        with contextlib.suppress(JwksFetchError):
            await verifier.verify(token)

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(fetch)
        await anyio.sleep(0.1)  # the task holds the fetch, waiting for the server
        start = time.monotonic()
        with pytest.raises(JwksFetchError) as info:
            verifier.verify_sync(token)
        elapsed = time.monotonic() - start
    assert info.value.message == "timed out waiting for another fetch of the pool's JWKS"
    assert 1.9 <= elapsed < 2.4
