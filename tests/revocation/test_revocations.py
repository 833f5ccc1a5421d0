"""Revocations in memory and in a real Redis, the strict Cognito mode, and their failures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import redis.asyncio

from cognito_user_pool._errors import (
    NetworkError,
    NotAuthorizedError,
    TokenRevokedError,
)
from cognito_user_pool._revocation import (
    CognitoRevocationCheck,
    MemoryRevocationStore,
    Revocations,
)
from cognito_user_pool._verify import TokenVerifier
from cognito_user_pool.redis_revocations import RedisRevocationStore
from tests.tokens.conftest import NOW, POOL_ID, Clock, claims, sign

pytestmark = pytest.mark.anyio

ALICE_1 = sign(claims(origin_jti="family-1"))
ALICE_2 = sign(claims(origin_jti="family-2"))
ALICE_ID_1 = sign(claims("id", origin_jti="family-1"))
BOB = sign(claims(origin_jti="family-3", sub="sub-bob"))


@pytest.fixture
async def redis_store(redis_url: str, clock: Clock) -> AsyncIterator[RedisRevocationStore]:
    client = redis.asyncio.from_url(redis_url)
    await client.flushdb()
    yield RedisRevocationStore(client, clock=clock)
    await client.aclose()


@pytest.fixture(params=["memory", "redis"])
def revocations(request: pytest.FixtureRequest, clock: Clock) -> Revocations:
    if request.param == "memory":
        return Revocations(MemoryRevocationStore(clock=clock), clock=clock)
    return Revocations(request.getfixturevalue("redis_store"), clock=clock)


async def test_revoke_token_refuses_only_that_family(
    revocations: Revocations, make_verifier: Callable[..., TokenVerifier]
) -> None:
    """A one-session sign-out refuses that family's access and id tokens, not another session."""
    verifier = make_verifier(revocation=revocations)
    await verifier.verify(ALICE_1)
    await revocations.signed_out(ALICE_1)
    with pytest.raises(TokenRevokedError):
        await verifier.verify(ALICE_1)
    with pytest.raises(TokenRevokedError):
        await verifier.verify(ALICE_ID_1, token_use="id")
    assert (await verifier.verify(ALICE_2)).sub == claims()["sub"]
    await verifier.verify(BOB)


async def test_global_sign_out_refuses_older_tokens_not_a_new_sign_in(
    revocations: Revocations, make_verifier: Callable[..., TokenVerifier], clock: Clock
) -> None:
    """logout (everywhere) refuses the user's tokens issued before it, from any family, and
    accepts a sign-in made after it; other users are untouched."""
    verifier = make_verifier(revocation=revocations)
    clock.now = NOW + 100
    await revocations.signed_out(ALICE_1, everywhere=True)
    with pytest.raises(TokenRevokedError):
        await verifier.verify(ALICE_2)  # iat NOW - 10: before the sign-out
    later = sign(claims(origin_jti="family-9", iat=NOW + 100, auth_time=NOW + 100))
    await verifier.verify(later)
    await verifier.verify(BOB)


async def test_records_expire_with_the_tokens(clock: Clock) -> None:
    """A record lives the token's lifetime (exp - iat: 3610 s) plus leeway, from the sign-out."""
    store = MemoryRevocationStore(clock=clock)
    await Revocations(store, clock=clock).signed_out(ALICE_1)
    key = f"{POOL_ID}:family:family-1"
    clock.now = NOW + 3610 + 5 - 1
    assert await store.get_many([key]) == [1]
    clock.now = NOW + 3610 + 5 + 1
    assert await store.get_many([key]) == [None]


async def test_redis_keys_expire_with_the_token(redis_url: str, clock: Clock) -> None:
    """In Redis the record's TTL is the token's lifetime plus leeway, and a second record
    keeps the larger value and the longer life."""
    client = redis.asyncio.from_url(redis_url)
    try:
        await client.flushdb()
        store = RedisRevocationStore(client, prefix="t:", clock=clock)
        await Revocations(store, clock=clock).signed_out(ALICE_1, everywhere=True)
        ttl = await client.pttl(f"t:{POOL_ID}:family:family-1")
        assert 3614_000 <= ttl <= 3615_000
        await store.add("k", 5, NOW + 100)
        await store.add("k", 3, NOW + 10)
        assert await store.get_many(["k", "missing"]) == [5, None]
        assert await client.pttl("t:k") > 90_000
    finally:
        await client.aclose()


async def test_unreachable_store_is_a_network_error(
    make_verifier: Callable[..., TokenVerifier],
) -> None:
    """A Redis that does not answer gives NetworkError (the guards' 503), never a pass."""
    dead = RedisRevocationStore.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=1)
    verifier = make_verifier(revocation=Revocations(dead))
    with pytest.raises(NetworkError) as caught:
        await verifier.verify(ALICE_1)
    assert ALICE_1 not in str(caught.value)
    with pytest.raises(NetworkError):
        await Revocations(dead).signed_out(ALICE_1)
    await dead.aclose()


async def test_verify_sync_checks_revocations(
    make_verifier: Callable[..., TokenVerifier], clock: Clock
) -> None:
    """verify_sync runs the revocation check too."""
    revocations = Revocations(clock=clock)
    verifier = make_verifier(revocation=revocations)
    await revocations.signed_out(ALICE_1)
    with pytest.raises(TokenRevokedError):
        verifier.verify_sync(ALICE_1)
    verifier.verify_sync(ALICE_2)


class FakePool:
    """Answers GetUser (``profile``) from a set of revoked tokens, counting the calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.revoked: set[str] = set()
        self.down = False

    async def profile(self, *, auth: str) -> Any:
        self.calls += 1
        if self.down:
            raise NetworkError("no answer")
        if auth in self.revoked:
            raise NotAuthorizedError("Access Token has been revoked")
        return {}


async def test_cognito_check_asks_once_per_interval(
    make_verifier: Callable[..., TokenVerifier], clock: Clock
) -> None:
    """The strict mode asks Cognito once per token per interval, and sees a revocation at
    the next ask; a refusal is remembered without asking again."""
    pool = FakePool()
    verifier = make_verifier(revocation=CognitoRevocationCheck(pool, interval=30, clock=clock))
    for _ in range(3):
        await verifier.verify(ALICE_1)
    assert pool.calls == 1
    pool.revoked.add(ALICE_1)
    clock.now += 29
    await verifier.verify(ALICE_1)
    assert pool.calls == 1
    clock.now += 2
    with pytest.raises(TokenRevokedError):
        await verifier.verify(ALICE_1)
    with pytest.raises(TokenRevokedError):
        await verifier.verify(ALICE_1)
    assert pool.calls == 2
    await verifier.verify(ALICE_ID_1, token_use="id")  # id tokens cannot be asked about
    assert pool.calls == 2


async def test_cognito_check_failure_is_not_cached(
    make_verifier: Callable[..., TokenVerifier], clock: Clock
) -> None:
    """Cognito not answering is a NetworkError each time, never a cached pass."""
    pool = FakePool()
    pool.down = True
    verifier = make_verifier(revocation=CognitoRevocationCheck(pool, clock=clock))
    for _ in range(2):
        with pytest.raises(NetworkError):
            await verifier.verify(ALICE_1)
    assert pool.calls == 2
