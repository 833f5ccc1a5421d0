"""Sign-outs made through the pool reach its ``revocations`` listener: ``logout`` records the
user (everything issued before), ``revoke_token`` the one session's family, so a verifier
sharing the ``Revocations`` refuses those tokens before they expire; a failing listener says
that Cognito signed the user out all the same."""

from __future__ import annotations

import pytest

from cognito_user_pool import (
    CognitoRevocationCheck,
    MemoryRevocationStore,
    Revocations,
    TokenRevokedError,
    Tokens,
    UnexpectedError,
)
from cognito_user_pool._tokens import unverified_claims

from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio


async def _refused(revocations: Revocations, token: str) -> bool:
    try:
        await revocations.check(unverified_claims(token), token)
    except TokenRevokedError:
        return True
    return False


async def test_logout_and_revoke_token_are_recorded(backend: Backend) -> None:
    """revoke_token refuses its own session's tokens only; logout refuses all of them."""
    revocations = Revocations(MemoryRevocationStore())
    backend.create_confirmed_user("rhea")
    async with backend.pool(revocations=revocations) as pool:
        first = await pool.login(username="rhea", password=PASSWORD)
        second = await pool.login(username="rhea", password=PASSWORD)
        assert isinstance(first, Tokens) and isinstance(second, Tokens)
        await pool.revoke_token(auth=first)
        assert await _refused(revocations, first.access_token)
        assert await _refused(revocations, first.id_token)
        assert not await _refused(revocations, second.access_token)
        await pool.logout(auth=second)
        assert await _refused(revocations, second.access_token)


class _Broken:
    """A listener whose store is down."""

    async def signed_out(self, *tokens: str, everywhere: bool = False) -> None:
        raise ConnectionError("the store is down")


async def test_a_failing_listener_says_the_sign_out_was_done(backend: Backend) -> None:
    """Cognito signed the user out; the error says so (done) and names what was not done."""
    backend.create_confirmed_user("remy")
    async with backend.pool(revocations=_Broken()) as pool:
        tokens = await pool.login(username="remy", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        with pytest.raises(UnexpectedError) as info:
            await pool.logout(auth=tokens)
    assert info.value.done == ("GlobalSignOut",)
    assert info.value.not_done and "revocations" in info.value.not_done[0]
    assert "store is down" not in info.value.message


async def test_the_strict_check_asks_the_local_cognito(backend: Backend) -> None:
    """CognitoRevocationCheck against the strict local Cognito: a working access token passes,
    the same token after a sign-out made elsewhere (another pool object, no listener) is
    refused, and so is a session revoked with RevokeToken."""
    backend.create_confirmed_user("rory")
    async with backend.pool() as pool, backend.pool() as elsewhere:
        check = CognitoRevocationCheck(pool, interval=0)
        one = await pool.login(username="rory", password=PASSWORD)
        two = await pool.login(username="rory", password=PASSWORD)
        assert isinstance(one, Tokens) and isinstance(two, Tokens)
        await check.check(unverified_claims(one.access_token), one.access_token)
        await elsewhere.revoke_token(auth=one)
        with pytest.raises(TokenRevokedError):
            await check.check(unverified_claims(one.access_token), one.access_token)
        await check.check(unverified_claims(two.access_token), two.access_token)
        await elsewhere.logout(auth=two)
        with pytest.raises(TokenRevokedError):
            await check.check(unverified_claims(two.access_token), two.access_token)
