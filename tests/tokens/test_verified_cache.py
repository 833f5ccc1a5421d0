"""TokenVerifier's memory of verified tokens: the same token again skips the RSA check, and
nothing else: the clock, the token use, the key set, the revocation check and the policy
still decide at every call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from cognito_user_pool import (
    InsufficientClaimsError,
    InvalidParameterError,
    TokenExpiredError,
    TokenRevokedError,
    TokenVerifier,
    WrongTokenUseError,
)
from cognito_user_pool._verify import TokenVerifier as _Verifier

from .conftest import NOW, Clock, JwksServer, claims, sign

pytestmark = pytest.mark.anyio


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the whole checks (signature and claims) the verifiers make."""
    made: list[str] = []
    whole = _Verifier._check

    def counting(self: _Verifier, parsed: Any, key: Any, token_use: str) -> Any:
        made.append(token_use)
        return whole(self, parsed, key, token_use)

    monkeypatch.setattr(_Verifier, "_check", counting)
    return made


async def test_the_same_token_again_skips_the_whole_check(
    make_verifier: Callable[..., TokenVerifier], checks: list[str]
) -> None:
    verifier = make_verifier()
    token = sign(claims())
    first = await verifier.verify(token)
    again = await verifier.verify(token)
    assert verifier.verify_sync(token) == first == again
    assert checks == ["access"]
    other = sign(claims(sub="5f1c0a52-0000-4000-8000-000000000002"))
    await verifier.verify(other)
    assert checks == ["access", "access"]


async def test_the_token_itself_is_never_kept(make_verifier: Callable[..., TokenVerifier]) -> None:
    verifier = make_verifier()
    token = sign(claims())
    await verifier.verify(token)
    kept = verifier._verified._entries
    assert len(kept) == 1
    (digest, kind), _ = next(iter(kept.items()))
    assert isinstance(digest, bytes) and len(digest) == 32 and kind == "access"
    assert token not in repr(kept) and token.encode() not in repr(kept).encode()
    for part in token.split("."):
        assert part not in repr(kept)


async def test_a_remembered_token_still_expires(
    make_verifier: Callable[..., TokenVerifier], clock: Clock, checks: list[str]
) -> None:
    """The leeway boundary holds on the remembered path too: refused from exp + leeway on,
    and dropped."""
    verifier = make_verifier(leeway=5)
    token = sign(claims(exp=NOW + 60))
    await verifier.verify(token)
    clock.now = NOW + 64.999
    await verifier.verify(token)
    assert checks == ["access"]
    clock.now = NOW + 65
    with pytest.raises(TokenExpiredError):
        await verifier.verify(token)
    with pytest.raises(TokenExpiredError):
        verifier.verify_sync(token)
    assert len(verifier._verified) == 0


async def test_the_token_use_is_part_of_the_key(
    make_verifier: Callable[..., TokenVerifier],
) -> None:
    verifier = make_verifier()
    token = sign(claims())
    await verifier.verify(token, "access")
    with pytest.raises(WrongTokenUseError):
        await verifier.verify(token, "id")


async def test_a_new_key_set_checks_again(
    make_verifier: Callable[..., TokenVerifier],
    clock: Clock,
    jwks_server: JwksServer,
    checks: list[str],
) -> None:
    """Past the key set's TTL the token goes through the whole check again, with the keys
    fetched anew; then it is remembered again."""
    verifier = make_verifier(jwks_ttl=300)
    token = sign(claims(exp=NOW + 10_000))
    await verifier.verify(token)
    clock.now = NOW + 300
    await verifier.verify(token)
    await verifier.verify(token)
    assert checks == ["access", "access"]
    assert jwks_server.requests == 2


class _Switch:
    """A revocation check that refuses every token once switched on."""

    def __init__(self) -> None:
        self.revoked = False
        self.calls = 0

    async def check(self, claims: Mapping[str, Any], token: str) -> None:
        self.calls += 1
        if self.revoked:
            raise TokenRevokedError("signed out")


async def test_revocation_is_checked_at_every_call_and_ends_the_entry(
    make_verifier: Callable[..., TokenVerifier], checks: list[str]
) -> None:
    switch = _Switch()
    verifier = make_verifier(revocation=switch)
    token = sign(claims())
    await verifier.verify(token)
    await verifier.verify(token)
    assert (switch.calls, checks) == (2, ["access"])
    switch.revoked = True
    with pytest.raises(TokenRevokedError):
        await verifier.verify(token)
    assert len(verifier._verified) == 0
    with pytest.raises(TokenRevokedError):
        verifier.verify_sync(token)


async def test_the_policy_of_each_call_applies(
    make_verifier: Callable[..., TokenVerifier], checks: list[str]
) -> None:
    verifier = make_verifier()
    token = sign(claims())
    await verifier.verify(token)
    with pytest.raises(InsufficientClaimsError):
        await verifier.verify(token, groups="no-such-group")

    async def refuse(claims: Any) -> bool:
        return False

    with pytest.raises(InsufficientClaimsError):
        await verifier.verify(token, check=refuse)
    assert checks == ["access"]


async def test_the_cache_is_bounded_and_drops_the_least_recently_used(
    make_verifier: Callable[..., TokenVerifier], checks: list[str]
) -> None:
    verifier = make_verifier(cache_size=2)
    first, second, third = (sign(claims(jti=str(n))) for n in range(3))
    for token in (first, second, first, third):
        await verifier.verify(token)
    assert len(verifier._verified) == 2
    assert len(checks) == 3
    await verifier.verify(first)  # kept: used more recently than second
    assert len(checks) == 3
    await verifier.verify(second)  # dropped: checked again
    assert len(checks) == 4


async def test_size_zero_remembers_nothing(
    make_verifier: Callable[..., TokenVerifier], checks: list[str]
) -> None:
    verifier = make_verifier(cache_size=0)
    token = sign(claims())
    await verifier.verify(token)
    verifier.verify_sync(token)
    assert checks == ["access", "access"]
    assert len(verifier._verified) == 0


@pytest.mark.parametrize("size", [-1, True, 2.0, "8", None])
def test_cache_size_is_checked(make_verifier: Callable[..., TokenVerifier], size: object) -> None:
    with pytest.raises(InvalidParameterError) as info:
        make_verifier(cache_size=size)
    assert info.value.field == "cache_size"


def test_cache_size_refusal_says_what_is_wanted(
    make_verifier: Callable[..., TokenVerifier],
) -> None:
    with pytest.raises(InvalidParameterError) as info:
        make_verifier(cache_size=-1)
    assert info.value.message == "cache_size must be an integer, 0 or more"


async def test_a_revoked_token_is_refused_when_nothing_was_remembered(
    make_verifier: Callable[..., TokenVerifier],
) -> None:
    """Forgetting a revoked token that was never remembered (cache_size=0, or evicted) is
    no error: the refusal is the revocation's."""
    switch = _Switch()
    switch.revoked = True
    verifier = make_verifier(revocation=switch, cache_size=0)
    with pytest.raises(TokenRevokedError):
        await verifier.verify(sign(claims()))
    with pytest.raises(TokenRevokedError):
        verifier.verify_sync(sign(claims(jti="other")))


async def test_a_new_token_with_a_known_key_takes_no_fetch_path(
    make_verifier: Callable[..., TokenVerifier], monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/tokens.md: while the key set is fresh, verifying a token is CPU only, with no
    lock and no fetch machinery; here, for tokens the verifier has not seen, whose key it
    holds."""
    verifier = make_verifier()
    await verifier.verify(sign(claims()))

    def no_fetch(*args: Any) -> Any:
        raise AssertionError("the fetch path was taken for a cached key")

    monkeypatch.setattr(verifier, "_key_after_fetch", no_fetch)
    monkeypatch.setattr(verifier, "_key_after_fetch_sync", no_fetch)
    await verifier.verify(sign(claims(jti="second")))
    verifier.verify_sync(sign(claims(jti="third")))
