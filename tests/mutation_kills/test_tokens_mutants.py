"""How Cognito's AuthenticationResult becomes ``Tokens``, where the mutation run
(``nox -s mutate``) found no test: the default token type, and which token or member an
unusable answer is blamed on."""

from __future__ import annotations

import pytest
from joserfc import jwk, jwt

from cognito_user_pool import TokenError
from cognito_user_pool._tokens import strict_json, tokens_from_result

_KEY = jwk.RSAKey.generate_key(2048)


def _token(**claims: object) -> str:
    return jwt.encode({"alg": "RS256", "kid": "k"}, claims, _KEY)


def test_the_token_type_defaults_to_bearer() -> None:
    """An answer without TokenType gives Bearer tokens; one with it keeps Cognito's word."""
    result = {"AccessToken": _token(exp=10), "IdToken": _token(exp=20)}
    assert tokens_from_result(result).token_type == "Bearer"
    assert tokens_from_result({**result, "TokenType": "DPoP"}).token_type == "DPoP"


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ({"IdToken": _token(exp=20)}, "Cognito's answer has no AccessToken"),
        ({"AccessToken": _token(exp=10)}, "Cognito's answer has no IdToken"),
        (
            {"AccessToken": _token(sub="x"), "IdToken": _token(exp=20)},
            "AccessToken has no numeric 'exp' claim",
        ),
        (
            {"AccessToken": _token(exp=10), "IdToken": _token(exp="soon")},
            "IdToken has no numeric 'exp' claim",
        ),
        (
            {"AccessToken": "not-a-jwt", "IdToken": _token(exp=20)},
            "AccessToken is not a readable JWT",
        ),
    ],
)
def test_an_unusable_answer_names_what_is_wrong(result: dict[str, str], message: str) -> None:
    """A missing token, or one without a usable exp, is a TokenError naming that member."""
    with pytest.raises(TokenError) as info:
        tokens_from_result(result)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"exp": NaN}', "NaN is not a JSON value"),
        ("[-Infinity]", "-Infinity is not a JSON value"),
        ('{"exp": 1e400}', "a JSON number out of range"),
    ],
)
def test_strict_json_says_what_is_not_json(text: str, message: str) -> None:
    """RFC 8259's refusals, each with its reason (the verifier and the token readers wrap
    them in their own errors)."""
    with pytest.raises(ValueError) as info:
        strict_json(text)
    assert str(info.value) == message


def test_strict_json_reads_ordinary_numbers() -> None:
    assert strict_json('{"exp": 1.5e3, "n": -0.25}') == {"exp": 1500.0, "n": -0.25}
