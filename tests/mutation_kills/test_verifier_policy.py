"""What TokenVerifier's policy says when it refuses a valid token, where the mutation run
(``nox -s mutate -- verifier``) found no test reading it: the messages of the group, scope
and custom-check refusals, on both of ``verify``'s paths (with and without a custom or
revocation check); a call's override of one requirement keeping the others; the token
itself handed to the revocation check by ``verify_sync``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from cognito_user_pool import (
    InsufficientClaimsError,
    TokenRevokedError,
    TokenVerifier,
    UnexpectedError,
    VerifiedClaims,
)
from tests.tokens.conftest import claims, clock, jwks_server, make_verifier, sign

__all__ = ["clock", "jwks_server", "make_verifier"]

pytestmark = pytest.mark.anyio

# In groups admins and staff, with scopes openid and profile (tests/tokens/conftest.py).
TOKEN = sign(claims())


async def _accept_all(claims: VerifiedClaims) -> bool:
    return True


class _Revocations:
    """A revocation check that remembers the tokens it was asked about and revokes those
    listed."""

    def __init__(self, *revoked: str) -> None:
        self.revoked = set(revoked)
        self.asked: list[str] = []

    async def check(self, claims: Mapping[str, Any], token: str) -> None:
        self.asked.append(token)
        if token in self.revoked:
            raise TokenRevokedError("the token has been revoked")


@pytest.mark.parametrize(
    "extra",
    [{}, {"check": _accept_all}, {"revocation": _Revocations()}],
    ids=["policy alone", "with a custom check", "with a revocation check"],
)
@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ({"groups": ["billing", "ops"]}, "the token is in none of the required groups"),
        ({"scopes": "orders/write"}, "the token has none of the required scopes"),
    ],
    ids=["groups", "scopes"],
)
async def test_a_missing_group_or_scope_is_named(
    make_verifier: Callable[..., TokenVerifier],
    policy: dict[str, Any],
    message: str,
    extra: dict[str, Any],
) -> None:
    """A token outside the required groups or scopes is refused with the reason, the same
    whether or not a custom or revocation check runs too (``verify`` then takes another
    path), on both ``verify`` and ``verify_sync``."""
    verifier = make_verifier(**policy, **extra)
    with pytest.raises(InsufficientClaimsError) as info:
        await verifier.verify(TOKEN)
    assert (info.value.code, info.value.message) == ("CognitoUserPool.InsufficientClaims", message)
    with pytest.raises(InsufficientClaimsError) as info:
        verifier.verify_sync(TOKEN)
    assert info.value.message == message


async def test_the_custom_checks_refusal_and_failure_are_told_apart(
    make_verifier: Callable[..., TokenVerifier],
) -> None:
    """A check that says no refuses the token as such; a check that crashes is the app's
    bug, reported as an UnexpectedError naming the exception's type (never its message,
    which could quote the token), the exception kept as the cause for the traceback."""

    async def says_no(claims: VerifiedClaims) -> bool:
        return False

    async def crashes(claims: VerifiedClaims) -> bool:
        raise LookupError(TOKEN)

    verifier = make_verifier(check=says_no)
    with pytest.raises(InsufficientClaimsError) as refused:
        await verifier.verify(TOKEN)
    assert refused.value.message == "the custom check refused the token"
    with pytest.raises(UnexpectedError) as failed:
        verifier.verify_sync(TOKEN, check=crashes)
    assert failed.value.message == "the custom check failed (LookupError)"
    assert isinstance(failed.value.__cause__, LookupError)


async def test_a_calls_override_keeps_the_requirements_it_does_not_name(
    make_verifier: Callable[..., TokenVerifier],
) -> None:
    """``groups=`` on one call replaces the verifier's groups only: its scopes still apply,
    on both paths."""
    verifier = make_verifier(scopes="orders/write")
    with pytest.raises(InsufficientClaimsError) as info:
        verifier.verify_sync(TOKEN, groups="admins")
    assert info.value.message == "the token has none of the required scopes"
    with pytest.raises(InsufficientClaimsError) as info:
        await verifier.verify(TOKEN, groups="admins")
    assert info.value.message == "the token has none of the required scopes"
    assert verifier.verify_sync(TOKEN, groups="admins", scopes="profile").sub == claims()["sub"]


async def test_the_revocation_check_is_given_the_token(
    make_verifier: Callable[..., TokenVerifier],
) -> None:
    """A revocation check looks the token up (``Revocations`` by its hash, Cognito's by the
    token itself): ``verify_sync`` hands it the very token, as ``verify`` does, and a token
    it revokes is refused."""
    revocations = _Revocations(revoked := sign(claims(jti="revoked-one")))
    verifier = make_verifier(revocation=revocations)
    verifier.verify_sync(TOKEN)
    await verifier.verify(TOKEN)
    with pytest.raises(TokenRevokedError):
        verifier.verify_sync(revoked)
    assert revocations.asked == [TOKEN, TOKEN, revoked]
