"""Hostile input is refused before the network with InvalidParameterError, by the limits
Cognito publishes (botocore's service model), and nothing Cognito accepts is refused."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_user_pool import (
    AsyncUserPool,
    CognitoError,
    InvalidParameterError,
    PoolConfig,
    TokenVerifier,
    UserPool,
    _config,
)
from cognito_user_pool import _validate as v
from cognito_user_pool._validate import _limits, _model, _shape

TOKEN = "aaaa.bbbb.cccc"  # shaped like a JWT, as an access token must be
SESSION = "s" * 40  # challenge sessions are 20 to 4096 characters (SessionType)
SURROGATE = "\ud800"

# Each case: flow, keyword arguments, the field the error must name, the hostile text.
REFUSED: list[tuple[str, dict[str, Any], str]] = [
    ("signup", {"username": "al ice", "password": "Passw0rd!"}, "username"),
    ("signup", {"username": "alice\n", "password": "Passw0rd!"}, "username"),
    ("signup", {"username": "al\x00ice", "password": "Passw0rd!"}, "username"),
    ("signup", {"username": "al\tice", "password": "Passw0rd!"}, "username"),
    ("signup", {"username": "alice\u00a0", "password": "Passw0rd!"}, "username"),
    ("signup", {"username": "\u200balice", "password": "Passw0rd!"}, "username"),
    ("signup", {"username": "x" * 129, "password": "Passw0rd!"}, "username"),
    ("signup", {"username": "alice", "password": "x" * 257}, "password"),
    ("signup", {"username": "alice", "password": "Passw0rd!", "attributes": {"e mail": "x"}},
     "attributes name"),
    ("signup", {"username": "alice", "password": "Passw0rd!", "attributes": {"name": "x" * 2049}},
     "attributes"),
    ("signup", {"username": "alice", "password": "Passw0rd!",
                "attributes": {"name": f"A{SURROGATE}"}}, "attributes"),
    ("login", {"username": f"al{SURROGATE}ice", "password": "Passw0rd!"}, "username"),
    ("login", {"username": "alice", "password": f"Passw0rd{SURROGATE}"}, "password"),
    ("login", {"username": "alice", "password": " Passw0rd!"}, "password"),
    ("login", {"username": "alice", "password": "Passw0rd! "}, "password"),
    ("login", {"username": "alice", "password": "two\nlines"}, "password"),
    ("signup_confirm", {"username": "alice", "confirmation_code": f"12{SURROGATE}34"},
     "confirmation_code"),
    ("signup_confirm", {"username": "alice", "confirmation_code": "1" * 2049},
     "confirmation_code"),
    ("signup_resend", {"username": "\x00"}, "username"),
    ("login_mfa", {"username": "alice", "login_session": SESSION[:-1] + SURROGATE,
                   "mfa_code": "123456"}, "login_session"),
    ("login_mfa", {"username": "alice", "login_session": "s" * 19, "mfa_code": "123456"},
     "login_session"),
    ("login_mfa", {"username": "alice", "login_session": "s" * 4097, "mfa_code": "123456"},
     "login_session"),
    ("login_mfa", {"username": "alice", "login_session": SESSION, "mfa_code": "123456",
                   "challenge_name": []}, "challenge_name"),
    ("login_new_password_required", {"username": "alice", "login_session": SESSION,
                                     "new_password": f"N3w{SURROGATE}"}, "new_password"),
    ("refresh_session", {"refresh_token": "abc def"}, "refresh_token"),
    ("refresh_session", {"refresh_token": f"abc{SURROGATE}"}, "refresh_token"),
    ("refresh_session", {"refresh_token": "abc", "id_token": f"a.b.{SURROGATE}"}, "id_token"),
    ("logout", {"auth": "aaaa.bb bb.cccc"}, "auth"),
    ("logout", {"auth": f"aaaa.bbbb.{SURROGATE}"}, "auth"),
    ("profile_edit", {"attributes": {"custom:a\nb": "x"}, "auth": TOKEN}, "attributes name"),
    ("profile_edit_phone_number", {"phone_number": "+1\u0664\u0661\u0665\u0665\u0665",
                                   "auth": TOKEN}, "phone_number"),
    ("profile_attribute_confirm", {"attribute": "e mail", "confirmation_code": "1",
                                   "auth": TOKEN}, "attribute"),
    ("profile_attribute_confirm", {"attribute": "email", "confirmation_code": SURROGATE,
                                   "auth": TOKEN}, "confirmation_code"),
    ("password_change", {"old_password": f"Old{SURROGATE}", "new_password": "N3w-Passw0rd",
                         "auth": TOKEN}, "old_password"),
    ("password_forgot", {"username": "a\u2028b"}, "username"),
    ("password_reset", {"username": "alice", "password_reset_code": SURROGATE,
                        "new_password": "N3w-Passw0rd"}, "password_reset_code"),
]  # fmt: skip

# What Cognito accepts, and so must reach it: aliases, non-ASCII names, pass phrases.
ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("signup", {"username": "José", "password": "correct horse battery staple"}),
    ("signup", {"username": "用户名", "password": "pässwörd-Ω1"}),
    ("signup", {"username": "😀user", "password": "x"}),
    ("password_forgot", {"username": "a.b+c@example.com"}),
    ("password_forgot", {"username": "+14155550100"}),
    ("signup_resend", {"username": "o'brien_(x)"}),
    ("login_mfa", {"username": "alice", "login_session": "s" * 20, "mfa_code": "123456"}),
    ("profile_edit", {"attributes": {"custom:équipe": "Bleus", "name": "Zoë"}, "auth": TOKEN}),
    ("refresh_session", {"refresh_token": "eyJj.abc-_=.x"}),
]


class Reached(Exception):
    """Raised by the stubbed ``_call``: the request would have gone out."""


def _pool(reached: list[str] | None = None) -> AsyncUserPool:
    """A pool whose endpoint is a closed port and whose ``_call`` records and stops."""
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        if reached is None:
            pytest.fail(f"{operation} was sent for input that must be refused first")
        reached.append(operation)
        raise Reached(operation)

    pool._call = call  # type: ignore[method-assign]
    return pool


def _hostile_text(kwargs: dict[str, Any]) -> list[str]:
    """The values a message must not quote (attribute names are not secrets: it may)."""
    texts = [v for v in kwargs.values() if isinstance(v, str) and v not in (TOKEN, "alice")]
    for value in kwargs.values():
        if isinstance(value, dict):
            texts += [str(x) for x in value.values()]
    return [t for t in texts if len(t) > 2]


@pytest.mark.anyio
@pytest.mark.parametrize(("flow", "kwargs", "field"), REFUSED, ids=[c[0] for c in REFUSED])
async def test_hostile_input_is_refused_before_the_network(
    flow: str, kwargs: dict[str, Any], field: str
) -> None:
    """InvalidParameterError naming the field, without quoting the value, and no request
    (no client opened, the stubbed _call never reached)."""
    pool = _pool()
    with pytest.raises(InvalidParameterError) as info:
        await getattr(pool, flow)(**kwargs)
    assert info.value.field == field
    for text in _hostile_text(kwargs):
        assert text not in str(info.value) and text not in repr(info.value)
    assert pool._client is None
    await pool.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize(("flow", "kwargs"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
async def test_what_cognito_accepts_goes_out(flow: str, kwargs: dict[str, Any]) -> None:
    """Aliases, non-ASCII usernames and attribute names, pass phrases with spaces, a
    20-character session: each reaches the request."""
    reached: list[str] = []
    pool = _pool(reached)
    with pytest.raises(Reached):
        await getattr(pool, flow)(**kwargs)
    assert reached
    await pool.aclose()


def test_the_blocking_pool_refuses_before_the_network() -> None:
    """UserPool (on a closed port) raises the same InvalidParameterError, not a NetworkError."""
    with UserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9") as pool:
        for flow, kwargs, field in REFUSED[:3] + REFUSED[11:13]:
            with pytest.raises(InvalidParameterError) as info:
                getattr(pool, flow)(**kwargs)
            assert info.value.field == field


# -- numbers ---------------------------------------------------------------------------

NOT_FINITE: list[Any] = [math.nan, math.inf, -math.inf, 10**400]


@pytest.mark.parametrize("option", ["connect_timeout", "read_timeout"])
@pytest.mark.parametrize("value", NOT_FINITE, ids=["nan", "inf", "-inf", "10**400"])
def test_pool_timeouts_must_be_finite(option: str, value: Any) -> None:
    """A NaN timeout passes ``<= 0`` and then breaks every call: it is refused up front, by
    PoolConfig and by each pool class."""
    with pytest.raises(InvalidParameterError) as info:
        options: dict[str, Any] = {option: value}
        PoolConfig("us-east-1_abc", "client1", **options)
    assert info.value.field == option
    for cls in (AsyncUserPool, UserPool):
        with pytest.raises(InvalidParameterError):
            cls("us-east-1_abc", "client1", **options)


@pytest.mark.parametrize("option", ["leeway", "jwks_ttl", "jwks_refetch_interval", "jwks_timeout"])
@pytest.mark.parametrize("value", NOT_FINITE, ids=["nan", "inf", "-inf", "10**400"])
def test_verifier_options_must_be_finite(option: str, value: Any) -> None:
    """TokenVerifier refuses NaN and infinite leeways, TTLs and timeouts."""
    with pytest.raises(InvalidParameterError) as info:
        options: dict[str, Any] = {option: value}
        TokenVerifier("us-east-1_abc", "client1", **options)
    assert info.value.field == option


# -- the model -------------------------------------------------------------------------


def test_every_checked_member_is_in_the_model_and_translates() -> None:
    """Each member the checks read exists in botocore's model, and each of its patterns is
    in the translated subset (a model update that leaves it fails here, not for users)."""
    names = set()
    for key in v.members():
        shape = _model.live_member(*key)
        names.add(shape.name)
        for pattern in shape.patterns:
            _shape.translate(pattern)
    assert {"UsernameType", "PasswordType", "ConfirmationCodeType", "SessionType"} <= names
    assert {"TokenModelType", "AttributeNameType", "CustomAttributeNameType"} <= names


def test_the_written_limits_are_the_models() -> None:
    """_limits.py is what the installed botocore's model says, member for member; when a
    botocore upgrade changes it, regenerate: python -m cognito_user_pool._validate._model."""
    with open(_limits.__file__, encoding="utf-8") as written:
        assert written.read() == _model.render(v.members())


JAVA_CASES = [
    (r"[\S]+", "a\u00a0b", True),  # Java's \s is ASCII: a no-break space is not white space
    (r"[\S]+", "a\x0bb", False),  # \x0B is
    (r"[\w+]+", "clïent", False),  # Java's \w is ASCII
    (r"[\w-]+_[0-9a-zA-Z]+", "us-east-1_Ab9", True),
    (r"[A-Za-z0-9-_=.]+", "a-b_c=.d", True),  # "-" after a range is a literal
    (r"^[\S]+.*[\S]+$", "a b", True),
    (r"^[\S]+.*[\S]+$", "a \u2028 b", False),  # "." stops at Java's line terminators
    (r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "e\u0301+1@x", True),
    (r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "", False),
    (r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "a\u200b", False),  # Cf
    (r"[\p{L}]+", "a\u0378", True),  # unassigned here (Cn): the service may know it
    (r"[\p{L}]+", "a\u0301", False),  # an assigned mark is not a letter
    (r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+", "a b\tc", True),
    (r"[^a]+", "bc", True),  # a negated class
    (r"[^a]+", "ba", False),
    (r"[XY]+", "XY", True),
    (r"[zs-v]+", "zt", True),  # "s" after a plain character starts a range, not an escape
    (r"[\.a]+", "a.", True),  # the character after an escaped one is read
    (r"[\p{Lu}]+", "AB", True),  # a two-letter category
    (r"[\p{Lu}]+", "Ab", False),
    (r"[\p{L}]+", "}", False),  # the category's braces are not in the class
    (r"[a-]+", "a-", True),  # a "-" before "]" is a character, not a range
    (r"[a-]+", "b", False),
    (r"[ab]+", "aX", False),
    (r"a\$", "a$", True),  # an escaped $ at the end is a character, not the anchor
    (r"ab$", "ab", True),
    (r"a.c+d", "abccd", True),  # after "." and a quantifier, the next character is read
    (r"a.c+d", "abcc", False),
]


@pytest.mark.parametrize(("pattern", "value", "expected"), JAVA_CASES)
def test_translation_keeps_java_meaning(pattern: str, value: str, expected: bool) -> None:
    """The translated pattern matches the whole value as java.util.regex would."""
    assert _shape.translate(pattern)(value) is expected


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"[ab", "unterminated class"),
        (r"[a[b]]", "nested classes and intersections are not translated"),
        (r"[a&&b]", "nested classes and intersections are not translated"),
        (r"[\P{L}]+", "category 'L' is not translated"),
        (r"[\p{IsAlphabetic}]+", "category 'IsAlphabetic' is not translated"),
        (r"[\w-z]+", "a range cannot start at a class escape"),
        (r"a[\p{L}]+", "a category class must be the whole pattern"),
        (r"a+?", "lazy, possessive or dangling quantifier"),
        (r"(ab)+", "'(' is not translated"),
        ("[a-", "pattern ends inside a class"),
        (r"\Qa\E", "escape \\Q is not translated"),
    ],
)
def test_an_untranslated_construct_is_named(pattern: str, message: str) -> None:
    """What the generator's author reads when botocore brings a pattern outside the subset."""
    with pytest.raises(_shape.UnsupportedPattern) as info:
        _shape.translate(pattern)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "pattern", [r"(ab)+", r"a(?=b)", r"[\P{L}]+", r"[a&&b]", r"[\p{IsAlphabetic}]+", r"a+?",
                r"[\p{L}]*x", r"a{2}", r"[^\p{L}]+", r"\Qa\E"],
)  # fmt: skip
def test_constructs_outside_the_subset_are_not_guessed(pattern: str) -> None:
    """Anything outside the translated subset raises UnsupportedPattern, and a member with
    such a pattern is then not checked by pattern at all (never refused by a guess)."""
    with pytest.raises(_shape.UnsupportedPattern):
        _shape.translate(pattern)
    shape = _shape.Shape("X", 0, None, (pattern,), None)
    assert shape.matches("anything at all")


IDS = st.text(alphabet=st.sampled_from("aZ09_-+ ïé.\u00a0"), max_size=140)


@settings(max_examples=200, deadline=None)
@given(IDS)
def test_config_client_id_follows_the_model(text: str) -> None:
    """PoolConfig's client_id check (it cannot import _validate) accepts exactly what
    ClientIdType does."""
    shape = _model.live_member("InitiateAuth", "ClientId")
    expected = shape.min <= len(text) <= (shape.max or 0) and shape.matches(text)
    assert (_config._CLIENT_ID.fullmatch(text) is not None) is expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ09_-+ ï."), min_size=20, max_size=70))
def test_config_client_secret_follows_the_model(text: str) -> None:
    """PoolConfig's client_secret check accepts exactly what ClientSecretType does (the
    member RevokeToken and GetTokensFromRefreshToken send it in)."""
    shape = _model.live_member("RevokeToken", "ClientSecret")
    expected = shape.min <= len(text) <= (shape.max or 0) and shape.matches(text)
    assert (_config._CLIENT_SECRET.fullmatch(text) is not None) is expected


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["us-east-1", "eu-west-3", "x", ""]), IDS)
def test_config_pool_id_is_within_the_model(region: str, rest: str) -> None:
    """Every user_pool_id PoolConfig accepts is one UserPoolIdType accepts."""
    text = f"{region}_{rest}"
    try:
        PoolConfig(text, "client1")
    except InvalidParameterError:
        return
    shape = _model.live_member("AdminGetUser", "UserPoolId")
    assert shape.min <= len(text) <= (shape.max or 0) and shape.matches(text)


def test_checks_read_no_model_at_run_time() -> None:
    """The checks cost no botocore import and no model parsing (which would stall the event
    loop of a first call by 60 to 90 ms): neither is loaded after they run."""
    code = (
        "import sys, cognito_user_pool\n"
        "from cognito_user_pool import _validate as v\n"
        "v.username('alice'); v.password('a b c'); v.session('s' * 20)\n"
        "v.attributes({'custom:team': 'x'}); v.token('a.b.c', 'auth')\n"
        "loaded = [m for m in sys.modules if m.startswith('botocore') or m.endswith('_model')]\n"
        "print(sorted(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_one_of_refuses_every_type() -> None:
    """one_of (for a flow's challenge_name) refuses unhashable and non-string values with
    InvalidParameterError, not TypeError."""
    bad: object
    for bad in ([], {}, 5, None, "SMS"):
        with pytest.raises(InvalidParameterError):
            v.one_of(bad, "challenge_name", {"SMS_MFA"})
    assert v.one_of("SMS_MFA", "challenge_name", {"SMS_MFA"}) == "SMS_MFA"


def test_errors_are_cognito_errors() -> None:
    """InvalidParameterError is a CognitoError with AWS's code."""
    assert issubclass(InvalidParameterError, CognitoError)
    assert InvalidParameterError("x").code == "InvalidParameterException"
