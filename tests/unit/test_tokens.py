"""Reading token claims and building Tokens from Cognito's AuthenticationResult."""

from __future__ import annotations

import pytest
from joserfc import jwk, jwt

from cognito_user_pool import TokenError, Tokens
from cognito_user_pool._tokens import internal_username, tokens_from_result, unverified_claims

_KEY = jwk.RSAKey.generate_key(2048)


def _token(**claims: object) -> str:
    return jwt.encode({"alg": "RS256", "kid": "k"}, claims, _KEY)


def test_each_expiry_comes_from_its_own_token() -> None:
    """access and id expiries are read from their own exp claims (the Node bug is not copied)."""
    result = {
        "AccessToken": _token(exp=1_800_000_000, username="u1"),
        "IdToken": _token(exp=1_800_003_600, **{"cognito:username": "u1"}),
        "RefreshToken": "opaque-refresh",
    }
    tokens = tokens_from_result(result)
    assert tokens.access_token_expires_at == 1_800_000_000
    assert tokens.id_token_expires_at == 1_800_003_600
    assert tokens.refresh_token == "opaque-refresh"


def test_refresh_keeps_the_previous_refresh_token() -> None:
    """Without a RefreshToken in the answer, the previous one is kept."""
    result = {"AccessToken": _token(exp=1), "IdToken": _token(exp=2)}
    assert tokens_from_result(result, previous_refresh_token="old").refresh_token == "old"
    rotated = {**result, "RefreshToken": "new"}
    assert tokens_from_result(rotated, previous_refresh_token="old").refresh_token == "new"


@pytest.mark.parametrize("bad", ["not-a-jwt", "a.b.c", _token(sub="x")])
def test_unreadable_token_is_a_token_error_without_the_token(bad: str) -> None:
    """A token that is not a JWT with exp gives TokenError, and the message hides it."""
    with pytest.raises(TokenError) as info:
        tokens_from_result({"AccessToken": bad, "IdToken": _token(exp=1)})
    assert bad not in str(info.value)


def test_internal_username_prefers_cognito_username() -> None:
    """The id token's cognito:username, else the access token's username."""
    assert internal_username(_token(**{"cognito:username": "abc-123"})) == "abc-123"
    assert internal_username(_token(username="def-456")) == "def-456"
    assert internal_username(_token(sub="x")) is None
    with pytest.raises(TokenError) as info:  # named as "token" unless the caller says
        internal_username("not-a-jwt")
    assert info.value.message.startswith("token ")
    with pytest.raises(TokenError) as info:
        unverified_claims("not-a-jwt")
    assert info.value.message.startswith("token ")


def test_tokens_repr_hides_every_token() -> None:
    """repr(Tokens) shows expiries, never a token."""
    tokens = Tokens("access-secret", "id-secret", "refresh-secret", 1, 2)
    text = repr(tokens)
    assert "secret" not in text
    assert "access_token_expires_at=1" in text


def test_each_payload_is_read_once_and_the_username_comes_from_the_id_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 19: a login's tokens are decoded once each (the id token gives its expiry and
    the internal username, which a sign-in with an alias does not know)."""
    from cognito_user_pool import _tokens

    read: list[str] = []
    real = _tokens.unverified_claims

    def counting(token: str, field: str = "token") -> dict[str, object]:
        read.append(field)
        return real(token, field)

    monkeypatch.setattr(_tokens, "unverified_claims", counting)
    result = {
        "AccessToken": _token(exp=1, username="5f1c-internal"),
        "IdToken": _token(exp=2, **{"cognito:username": "5f1c-internal", "email": "a@x.io"}),
    }
    tokens = tokens_from_result(result)
    assert sorted(read) == ["AccessToken", "IdToken"]
    assert tokens.username == "5f1c-internal"
    assert tokens_from_result({**result, "IdToken": _token(exp=2)}).username is None


def test_a_challenge_names_the_user_cognito_names_or_the_one_given() -> None:
    from cognito_user_pool import UnexpectedResponseError
    from cognito_user_pool._tokens import tokens_or_challenge

    named = {"ChallengeName": "SMS_MFA", "Session": "s", "ChallengeParameters": {"USERNAME": "u1"}}
    assert tokens_or_challenge(named, "typed").username == "u1"
    unnamed = {"ChallengeName": "SMS_MFA", "Session": "s"}
    assert tokens_or_challenge(unnamed, "typed").username == "typed"
    for answer in ({}, {"ChallengeName": "SMS_MFA"}, {"Session": "s"}):
        with pytest.raises(UnexpectedResponseError) as info:
            tokens_or_challenge(answer, "typed")
        assert info.value.message == "Cognito answered with neither tokens nor a challenge"
