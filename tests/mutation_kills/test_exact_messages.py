"""Exact messages and fields, where mutation found that no test read them: what a multi-step
flow says it did, the configurations' reprs and environment, the admin client's and the
custom flows' refusals."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from cognito_user_pool import (
    AdminConfig,
    AsyncUserPool,
    AsyncUserPoolAdmin,
    CognitoError,
    InvalidParameterError,
    NotAuthorizedError,
    OutcomeUnknownError,
    PoolConfig,
    Tokens,
    UnexpectedResponseError,
    UserSession,
)
from cognito_user_pool import _validate as v
from cognito_user_pool._admin.groups import _group
from cognito_user_pool._admin.users import _names
from cognito_user_pool._flows._base import with_progress

pytestmark = pytest.mark.anyio

NOWHERE = "http://127.0.0.1:9"


def test_with_progress_says_what_was_and_was_not_done() -> None:
    refused = NotAuthorizedError("Refused")
    both = with_progress(refused, ("A",), ("B", "C"))
    assert both.message == ["NotAuthorizedException", "Refused (done: A; not done: B; C)"][1]
    assert (both.code, both.done, both.not_done) == ("NotAuthorizedException", ("A",), ("B", "C"))
    assert with_progress(refused, ("A", "B"), ()).message == "Refused (done: A; B)"
    assert (
        with_progress(refused, (), ("B",)).message == "Refused (nothing was changed; not done: B)"
    )
    assert with_progress(refused, (), ()).message == "Refused"
    lost = OutcomeUnknownError("Lost")
    unknown = with_progress(lost, ("A",), ("B", "C", "D"))
    assert isinstance(unknown, OutcomeUnknownError)
    assert unknown.message == "Lost (outcome unknown: B; done: A; not done: C; D)"
    assert (unknown.done, unknown.not_done) == (("A",), ("C", "D"))
    assert with_progress(lost, (), ("B",)).message == "Lost (outcome unknown: B)"
    several = with_progress(lost, ("A", "Z"), ("B",))
    assert several.message == "Lost (outcome unknown: B; done: A; Z)"
    nothing = with_progress(refused, (), ("B", "C"))
    assert nothing.message == "Refused (nothing was changed; not done: B; C)"
    # The code is the error's own, even where it is not its class's usual one.
    odd = with_progress(CognitoError("Odd", code="LimitExceededException"), ("A",), ())
    assert (type(odd), odd.code) == (CognitoError, "LimitExceededException")


def test_admin_config_describes_itself_without_secrets() -> None:
    bare = AdminConfig("eu-west-1_abc")
    assert bare.describe() == "user_pool_id='eu-west-1_abc', region='eu-west-1'"
    full = AdminConfig(
        "eu-west-1_abc",
        client_id="c1",
        client_secret="secret0123456789abcdefghij",
        endpoint_url=NOWHERE,
        aws_access_key_id="AKID",
        aws_secret_access_key="key",
    )
    assert full.describe() == (
        "user_pool_id='eu-west-1_abc', client_id='c1', region='eu-west-1', "
        f"endpoint_url={NOWHERE!r}, client_secret=***, credentials=***"
    )


def test_admin_config_from_env_reads_each_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "COGNITO_USER_POOL_ID": "eu-west-1_abc",
        "COGNITO_CLIENT_ID": "c1",
        "COGNITO_CLIENT_SECRET": "secret0123456789abcdefghij",
        "AWS_REGION": "us-west-2",
        "COGNITO_ENDPOINT_URL": NOWHERE,
    }
    config = AdminConfig.from_env(env)
    assert (config.user_pool_id, config.client_id, config.client_secret) == (
        "eu-west-1_abc",
        "c1",
        "secret0123456789abcdefghij",
    )
    assert (config.region, config.endpoint_url) == ("us-west-2", NOWHERE)
    blank = AdminConfig.from_env({**env, "COGNITO_CLIENT_ID": "", "COGNITO_CLIENT_SECRET": ""})
    assert (blank.client_id, blank.client_secret) == (None, None)
    with pytest.raises(InvalidParameterError) as info:
        AdminConfig.from_env({"COGNITO_USER_POOL_ID": ""})
    assert info.value.message == "environment variable COGNITO_USER_POOL_ID is not set"
    assert info.value.field == "COGNITO_USER_POOL_ID"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert AdminConfig.from_env() == config  # os.environ by default
    admin = AsyncUserPoolAdmin.from_env(env)
    assert admin.config == config
    other = {**env, "COGNITO_USER_POOL_ID": "eu-west-1_xyz"}  # the mapping given, not os.environ
    assert AsyncUserPoolAdmin.from_env(other).config == AdminConfig.from_env(other) != config
    assert AsyncUserPoolAdmin.from_config(config).config == config


def test_pool_config_from_env_names_the_missing_variable_and_reads_the_region() -> None:
    with pytest.raises(InvalidParameterError) as info:
        PoolConfig.from_env({"COGNITO_USER_POOL_ID": "us-east-1_abc"})
    assert info.value.field == "COGNITO_CLIENT_ID"
    assert info.value.message == "environment variable COGNITO_CLIENT_ID is not set"
    config = PoolConfig.from_env(
        {
            "COGNITO_USER_POOL_ID": "us-east-1_abc",
            "COGNITO_CLIENT_ID": "c",
            "AWS_REGION": "eu-west-1",
        }
    )
    assert config.region == "eu-west-1"
    assert config.client_secret is None and config.endpoint_url is None


@pytest.mark.parametrize(
    ("check", "value", "field", "message"),
    [
        (v.role_arn, "admins", "role_arn",
         "role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)"),
        (v.role_arn, 5, "role_arn", "role_arn must be a string, not int"),
        (v.role_arn, "x" * 2049, "role_arn", "role_arn must be at most 2048 characters"),
        (v.email, "not an address", "email", "email must be an e-mail address"),
        (v.email, 5, "email", "email must be a string, not int"),
        (v.email, "a@" + "b" * 2048, "email", "email must be at most 2048 characters"),
    ],
)  # fmt: skip
def test_checks_name_the_field_and_the_limit(
    check: Any, value: object, field: str, message: str
) -> None:
    with pytest.raises(InvalidParameterError) as info:
        check(value)
    assert (info.value.field, info.value.message) == (field, message)


def test_the_admin_helpers_refuse_with_their_messages() -> None:
    with pytest.raises(InvalidParameterError) as info:
        _names("email", "attribute_names")
    assert info.value.message == "attribute_names must be a list of attribute names"
    assert info.value.field == "attribute_names"
    with pytest.raises(UnexpectedResponseError) as answered:
        _group({}, "GetGroup")
    assert answered.value.message == "Cognito answered GetGroup without the group"


async def test_sign_in_without_a_client_id_says_what_to_give() -> None:
    admin = AsyncUserPoolAdmin("us-east-1_abc", endpoint_url=NOWHERE)
    with pytest.raises(InvalidParameterError) as info:
        await admin.admin_initiate_auth(username="alice", password="Passw0rd!")
    assert info.value.message == (
        "admin_initiate_auth signs in through an app client: make the admin client with "
        "client_id (and client_secret if the app client has one)"
    )
    await admin.aclose()


async def test_client_metadata_is_checked_with_its_message() -> None:
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url=NOWHERE)
    with pytest.raises(InvalidParameterError) as info:
        await pool.custom_auth(username="alice", client_metadata=["x"])  # type: ignore[arg-type]
    assert info.value.message == "client_metadata must be a mapping of strings to strings"
    assert info.value.field == "client_metadata"
    for bad in ({7: "v"}, {"k": 7}, {"": "v"}):  # each key and value is checked, as text
        with pytest.raises(InvalidParameterError) as info:
            await pool.custom_auth(username="alice", client_metadata=bad)  # type: ignore[arg-type]
        assert info.value.field == "client_metadata"
    sent: list[dict[str, Any]] = []

    async def fake_call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append(params)
        return {"ChallengeName": "CUSTOM_CHALLENGE", "Session": "s" * 40}

    pool._call = fake_call  # type: ignore[method-assign]
    await pool.custom_auth(username="alice", client_metadata={})
    await pool.custom_auth(username="alice", client_metadata={"k": "v"})
    assert "ClientMetadata" not in sent[0]  # empty: not sent
    assert sent[1]["ClientMetadata"] == {"k": "v"}
    await pool.aclose()


async def test_revoke_needs_a_pool_that_can_revoke() -> None:
    pool = SimpleNamespace()  # no revoke_token
    session = UserSession(pool, Tokens("a.b.c", "a.b.c", "r", 2**40, 2**40))
    with pytest.raises(InvalidParameterError) as info:
        await session.revoke()
    assert info.value.message == "this session's pool cannot revoke tokens (no revoke_token)"
    assert info.value.field == "pool"


async def test_revoke_sends_one_request_for_concurrent_calls_and_none_without_a_refresh_token() -> (
    None
):
    """Two revokes at once: the second, queued on the lock, finds the session signed out.
    Tokens without a refresh token are only marked signed out."""
    calls: list[Tokens] = []
    gate = anyio.Event()

    async def revoke_token(*, auth: Tokens) -> None:
        calls.append(auth)
        await gate.wait()

    pool = SimpleNamespace(revoke_token=revoke_token)
    session = UserSession(pool, Tokens("a.b.c", "a.b.c", "r", 2**40, 2**40))
    async with anyio.create_task_group() as tg:
        tg.start_soon(session.revoke)
        tg.start_soon(session.revoke)
        await anyio.wait_all_tasks_blocked()
        gate.set()
    assert len(calls) == 1
    assert session.signed_out

    bare = UserSession(pool, Tokens("a.b.c", "a.b.c", None, 2**40, 2**40))
    await bare.revoke()
    assert len(calls) == 1
    assert bare.signed_out


class _Proof:
    """An SRP session's stand-in: its PASSWORD_VERIFIER answer names ``internal``."""

    def __init__(self, internal: str) -> None:
        self.internal = internal

    def password_verifier_responses(self, parameters: Any) -> dict[str, str]:
        return {"USERNAME": self.internal, "PASSWORD_CLAIM_SIGNATURE": "sig"}


@pytest.mark.parametrize("session", [None, "", 7])
async def test_a_password_verifier_without_a_session_is_unexpected(session: object) -> None:
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url=NOWHERE)
    response = {"ChallengeName": "PASSWORD_VERIFIER", "Session": session}
    with pytest.raises(UnexpectedResponseError) as info:
        await pool._password_verifier(_Proof("u"), response, "alice")  # type: ignore[arg-type]
    assert info.value.message == "Cognito asked for PASSWORD_VERIFIER without a session"
    await pool.aclose()


@pytest.mark.parametrize(
    ("internal", "expected"), [("internal-uuid", "internal-uuid"), ("", "alice")]
)
async def test_a_password_verifier_answer_is_for_the_user_the_proof_names(
    internal: str, expected: str
) -> None:
    """The next challenge belongs to the internal user the proof names (or the typed one),
    and what the flow adds (ClientMetadata) goes with the answer."""
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url=NOWHERE)
    sent: list[dict[str, Any]] = []

    async def fake_call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append(params)
        return {"ChallengeName": "SMS_MFA", "Session": "s" * 40, "ChallengeParameters": {}}

    pool._call = fake_call  # type: ignore[method-assign]
    response = {"ChallengeName": "PASSWORD_VERIFIER", "Session": "p" * 40}
    challenge = await pool._password_verifier(
        _Proof(internal),  # type: ignore[arg-type]
        response,
        "alice",
        ClientMetadata={"k": "v"},
    )
    assert not isinstance(challenge, Tokens)
    assert challenge.username == expected
    assert sent[0]["ClientMetadata"] == {"k": "v"}
    await pool.aclose()


async def test_a_revoked_refresh_token_is_forgotten_with_its_owner() -> None:
    """What the pool learned at login for a refresh's SECRET_HASH goes once the token is
    revoked."""
    from cognito_user_pool import RefreshToken
    from cognito_user_pool._flows._base import _fingerprint

    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url=NOWHERE)

    async def fake_call(operation: str, /, **params: Any) -> dict[str, Any]:
        return {}

    pool._call = fake_call  # type: ignore[method-assign]
    pool._refresh_owners.put(_fingerprint("refresh-1"), "alice")
    pool._refresh_owners.put(_fingerprint("refresh-2"), "bob")
    await pool.revoke_token(auth=RefreshToken("refresh-1"))
    assert pool._refresh_owner("refresh-1", None, None) is None
    assert pool._refresh_owner("refresh-2", None, None) == "bob"
    await pool.aclose()


def test_resume_reads_each_kind_of_login_session() -> None:
    """_resume: an MFA_SETUP TotpSecret names its internal user (or the typed one), a
    signed-in user's TotpSecret or a forged Challenge is refused, and a bad username inside
    either is refused under login_session."""
    from cognito_user_pool import Challenge, TotpSecret

    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url=NOWHERE)
    session = "s" * 40
    setup = TotpSecret("SECRET", session=session, username="internal-uuid")
    assert pool._resume("alice", setup, None) == (session, "MFA_SETUP", "internal-uuid")
    unnamed = TotpSecret("SECRET", session=session)
    assert pool._resume("alice", unnamed, None) == (session, "MFA_SETUP", "alice")
    challenge = Challenge("SMS_MFA", session, "internal-uuid")
    assert pool._resume("alice", challenge, None) == (session, "SMS_MFA", "internal-uuid")
    refusals: list[tuple[object, str | None]] = [
        (
            TotpSecret("SECRET"),
            "login_session: this TotpSecret is a signed-in user's, not a sign-in's",
        ),
        (
            Challenge(None, session, "alice"),  # type: ignore[arg-type]
            "login_session is not a Challenge that login returned",
        ),
        (TotpSecret("SECRET", session=session, username="a\nb"), None),
        (Challenge("SMS_MFA", session, "a\nb"), None),
    ]
    for login_session, message in refusals:
        with pytest.raises(InvalidParameterError) as info:
            pool._resume("alice", login_session, None)  # type: ignore[arg-type]
        assert info.value.field == "login_session"
        if message is not None:
            assert info.value.message == message


def test_a_forgotten_session_is_no_longer_recalled() -> None:
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url=NOWHERE)
    pool._remember_session("s" * 40, "SMS_MFA", "alice")
    pool._remember_session("t" * 40, "SMS_MFA", "bob")
    pool._forget_session("s" * 40)
    assert pool._recall_session("s" * 40) is None
    assert pool._recall_session("t" * 40) == ("SMS_MFA", "bob")
