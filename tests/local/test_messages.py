"""The table of AWS's messages (local/_messages.py) is what clients see, entry by entry."""

from __future__ import annotations

import base64
import re
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalCognito, LocalPool
from cognito_user_pool.local._messages import MESSAGES, POLICY_CLAUSES

from ._srp_client import secret_hash
from .conftest import PASSWORD, error_code, error_message, password_login, srp_login, srp_start

Call = Callable[[], Any]


@dataclass
class World:
    """What a scenario may use: the server, an unsigned client and a pool factory."""

    server: LocalCognito
    public: Any
    make_pool: Callable[..., LocalPool]

    def signed_in(self, local: LocalPool, username: str) -> dict[str, Any]:
        """A confirmed user's AuthenticationResult."""
        local.create_user(username, PASSWORD, {"email": f"{username}@example.com"})
        return dict(password_login(self.public, local, username)["AuthenticationResult"])

    def sign_up(self, local: LocalPool, username: str, password: str = PASSWORD) -> None:
        """SignUp with an e-mail, so that a code is sent."""
        self.public.sign_up(
            ClientId=local.client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
        )


# Each scenario sets the stage and returns the call that must fail, with the fields its
# message is rendered with. One per table entry: test_every_message_has_a_scenario.
Scenario = Callable[[World], tuple[Call, dict[str, str]]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str) -> Callable[[Scenario], Scenario]:
    """Register the scenario that makes the server answer with ``MESSAGES[name]``."""

    def register(function: Scenario) -> Scenario:
        SCENARIOS[name] = function
        return function

    return register


def _other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@scenario("INCORRECT_CREDENTIALS")
def _wrong_password(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("alice", PASSWORD)
    return lambda: password_login(w.public, local, "alice", "Wr0ng-password!"), {}


@scenario("USER_NOT_FOUND")
def _unknown_user(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    return lambda: password_login(w.public, local, "nobody"), {}


@scenario("USER_NOT_CONFIRMED")
def _unconfirmed(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    w.sign_up(local, "alice")
    return lambda: password_login(w.public, local, "alice"), {}


@scenario("USER_DISABLED")
def _disabled(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("alice", PASSWORD)
    local.admin.admin_disable_user(UserPoolId=local.user_pool_id, Username="alice")
    return lambda: password_login(w.public, local, "alice"), {}


@scenario("PASSWORD_RESET_REQUIRED")
def _reset_required(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("alice", PASSWORD, {"email": "a@example.com", "email_verified": "true"})
    local.admin.admin_reset_user_password(UserPoolId=local.user_pool_id, Username="alice")
    return lambda: password_login(w.public, local, "alice"), {}


@scenario("FLOW_NOT_ENABLED")
def _flow_off(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    srp_only = w.server.create_client(
        local.user_pool_id, explicit_auth_flows=["ALLOW_USER_SRP_AUTH"]
    )
    local.create_user("alice", PASSWORD)
    return lambda: password_login(w.public, srp_only, "alice"), {"flow": "USER_PASSWORD_AUTH"}


@scenario("TIMESTAMP_FORMAT")
def _french_timestamp(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("alice", PASSWORD)
    return lambda: srp_login(
        w.public, local, "alice", timestamp="dim. nov. 1 05:03:09 UTC 2026"
    ), {}


@scenario("SECRET_HASH_MISSING")
def _no_secret_hash(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool(client_secret=True)
    call = lambda: w.public.initiate_auth(  # noqa: E731
        ClientId=local.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    return call, {"client_id": local.client_id}


@scenario("SECRET_HASH_WRONG")
def _wrong_secret_hash(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool(client_secret=True)
    call = lambda: w.public.initiate_auth(  # noqa: E731
        ClientId=local.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "alice",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": secret_hash("not-the-secret", "alice", local.client_id),
        },
    )
    return call, {"client_id": local.client_id}


@scenario("SESSION_MISSING")
def _no_session(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    call = lambda: w.public.respond_to_auth_challenge(  # noqa: E731
        ClientId=local.client_id,
        ChallengeName="SMS_MFA",
        ChallengeResponses={"USERNAME": "alice", "SMS_MFA_CODE": "123456"},
    )
    return call, {}


def _verifier_answer(w: World, local: LocalPool, client_id: str | None = None) -> Call:
    """A prepared PASSWORD_VERIFIER answer (with Session) for a fresh user ``alice``."""
    local.create_user("alice", PASSWORD)
    srp, started = srp_start(w.public, local, "alice")
    kwargs = {
        "ClientId": client_id or local.client_id,
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": started["Session"],
        "ChallengeResponses": srp.responses(started["ChallengeParameters"]),
    }
    return lambda: w.public.respond_to_auth_challenge(**kwargs)


@scenario("SESSION_USED")
def _session_replayed(w: World) -> tuple[Call, dict[str, str]]:
    answer = _verifier_answer(w, w.make_pool())
    answer()
    return answer, {}


@scenario("SESSION_EXPIRED")
def _session_expired(w: World) -> tuple[Call, dict[str, str]]:
    answer = _verifier_answer(w, w.make_pool())

    def late() -> Any:
        w.server.advance_time(181)
        try:
            return answer()
        finally:
            w.server.advance_time(-181)

    return late, {}


@scenario("SESSION_INVALID")
def _session_other_client(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    other = w.server.create_client(local.user_pool_id)
    return _verifier_answer(w, local, client_id=other.client_id), {}


@scenario("USER_EXISTS")
def _taken_username(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    w.sign_up(local, "bob")
    return lambda: w.sign_up(local, "bob"), {}


@scenario("ATTRIBUTE_USERNAME_EXISTS")
def _taken_email(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool(username_attributes=["email"])
    local.create_user("bob@example.com", PASSWORD)
    call = lambda: w.public.sign_up(  # noqa: E731
        ClientId=local.client_id, Username="bob@example.com", Password=PASSWORD
    )
    return call, {"attribute": "email"}


@scenario("ADMIN_USER_EXISTS")
def _admin_taken_username(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("bob", PASSWORD)
    call = lambda: local.admin.admin_create_user(  # noqa: E731
        UserPoolId=local.user_pool_id, Username="bob", MessageAction="SUPPRESS"
    )
    return call, {}


@scenario("ALIAS_EXISTS")
def _taken_alias(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool(alias_attributes=["email"])
    local.create_user("ann", PASSWORD, {"email": "shared@example.com", "email_verified": "true"})
    token = w.signed_in(local, "bob")["AccessToken"]
    call = lambda: w.public.update_user_attributes(  # noqa: E731
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": "shared@example.com"}]
    )
    return call, {"attribute": "email"}


@scenario("USERNAME_CLIENT_NOT_FOUND")
def _forgot_unknown(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    return lambda: w.public.forgot_password(ClientId=local.client_id, Username="nobody"), {}


@scenario("CANNOT_CONFIRM")
def _confirm_confirmed(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("alice", PASSWORD)
    call = lambda: w.public.confirm_sign_up(  # noqa: E731
        ClientId=local.client_id, Username="alice", ConfirmationCode="123456"
    )
    return call, {"status": "CONFIRMED"}


@scenario("ALREADY_CONFIRMED")
def _resend_confirmed(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("alice", PASSWORD, {"email": "a@example.com"})
    return lambda: w.public.resend_confirmation_code(ClientId=local.client_id, Username="alice"), {}


def _confirm(w: World, local: LocalPool, code: str) -> Call:
    return lambda: w.public.confirm_sign_up(
        ClientId=local.client_id, Username="alice", ConfirmationCode=code
    )


@scenario("WRONG_CODE")
def _wrong_sign_up_code(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    w.sign_up(local, "alice")
    code = local.outbox.wait_for(username="alice", purpose="signup").code
    return _confirm(w, local, _other_code(code)), {}


@scenario("EXPIRED_CODE")
def _superseded_code(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    w.sign_up(local, "alice")
    first = local.outbox.wait_for(username="alice", purpose="signup").code
    w.public.resend_confirmation_code(ClientId=local.client_id, Username="alice")
    return _confirm(w, local, first), {}


@scenario("WRONG_MFA_CODE")
def _wrong_sms_code(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool(mfa="ON")
    local.create_user("alice", PASSWORD, {"phone_number": "+15555550100"})
    step = srp_login(w.public, local, "alice")
    code = local.outbox.wait_for(username="alice", purpose="sms_mfa").code
    call = lambda: w.public.respond_to_auth_challenge(  # noqa: E731
        ClientId=local.client_id,
        ChallengeName="SMS_MFA",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", "SMS_MFA_CODE": _other_code(code)},
    )
    return call, {}


@scenario("TOTP_ENABLE_MISMATCH")
def _wrong_totp_setup_code(w: World) -> tuple[Call, dict[str, str]]:
    token = w.signed_in(w.make_pool(mfa="OPTIONAL"), "alice")["AccessToken"]
    secret = w.public.associate_software_token(AccessToken=token)["SecretCode"]
    wrong = _other_code(pyotp.TOTP(secret).now())
    return lambda: w.public.verify_software_token(AccessToken=token, UserCode=wrong), {}


@scenario("RESET_NOT_POSSIBLE")
def _reset_without_channel(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("alice", PASSWORD)
    return lambda: w.public.forgot_password(ClientId=local.client_id, Username="alice"), {}


@scenario("ACCESS_TOKEN_REVOKED")
def _revoked_access(w: World) -> tuple[Call, dict[str, str]]:
    token = w.signed_in(w.make_pool(), "alice")["AccessToken"]
    w.public.global_sign_out(AccessToken=token)
    return lambda: w.public.get_user(AccessToken=token), {}


@scenario("ACCESS_TOKEN_EXPIRED")
def _expired_access(w: World) -> tuple[Call, dict[str, str]]:
    token = w.signed_in(w.make_pool(), "alice")["AccessToken"]

    def late() -> Any:
        w.server.advance_time(3601)
        try:
            return w.public.get_user(AccessToken=token)
        finally:
            w.server.advance_time(-3601)

    return late, {}


@scenario("INVALID_ACCESS_TOKEN")
def _id_token_as_access(w: World) -> tuple[Call, dict[str, str]]:
    token = w.signed_in(w.make_pool(), "alice")["IdToken"]
    return lambda: w.public.get_user(AccessToken=token), {}


def _refresh(w: World, local: LocalPool, token: str) -> Call:
    return lambda: w.public.initiate_auth(
        ClientId=local.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": token},
    )


@scenario("REFRESH_TOKEN_REVOKED")
def _revoked_refresh(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    tokens = w.signed_in(local, "alice")
    w.public.global_sign_out(AccessToken=tokens["AccessToken"])
    return _refresh(w, local, tokens["RefreshToken"]), {}


@scenario("INVALID_REFRESH_TOKEN")
def _garbage_refresh(w: World) -> tuple[Call, dict[str, str]]:
    return _refresh(w, w.make_pool(), "not-a-refresh-token"), {}


@scenario("PASSWORD_POLICY_SIGN_UP")
def _short_sign_up_password(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    return lambda: w.sign_up(local, "alice", "Sh0rt!"), {"clause": "Password not long enough"}


@scenario("PASSWORD_POLICY_ADMIN_CREATE")
def _lowercase_temporary_password(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    call = lambda: local.admin.admin_create_user(  # noqa: E731
        UserPoolId=local.user_pool_id,
        Username="alice",
        TemporaryPassword="lower-case-1",
        MessageAction="SUPPRESS",
    )
    return call, {"clause": "Password must have uppercase characters"}


@scenario("PASSWORD_POLICY")
def _change_to_weak_password(w: World) -> tuple[Call, dict[str, str]]:
    token = w.signed_in(w.make_pool(), "alice")["AccessToken"]
    call = lambda: w.public.change_password(  # noqa: E731
        AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="NoSymbols123"
    )
    return call, {"clause": "Password must have symbol characters"}


# ---- custom authentication (tests/local/test_custom_auth.py covers it further) ---------------


def _custom_auth(w: World, define: Any) -> Call:
    from cognito_user_pool.local import CustomAuthTriggers

    triggers = CustomAuthTriggers(define=define, create=lambda e: e, verify=lambda e: e)
    local = w.make_pool(triggers=triggers)
    local.create_user("alice", PASSWORD)
    return lambda: w.public.initiate_auth(
        ClientId=local.client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "alice"}
    )


@scenario("CUSTOM_AUTH_NOT_CONFIGURED")
def _custom_auth_without_triggers(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    local.create_user("alice", PASSWORD)
    return lambda: w.public.initiate_auth(
        ClientId=local.client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "alice"}
    ), {}


@scenario("LAMBDA_FAILED")
def _raising_define_trigger(w: World) -> tuple[Call, dict[str, str]]:
    def define(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("no challenge today")

    return _custom_auth(w, define), {"flow": "DefineAuthChallenge", "clause": "no challenge today"}


@scenario("LAMBDA_OUTPUT")
def _define_trigger_returning_nothing(w: World) -> tuple[Call, dict[str, str]]:
    return _custom_auth(w, lambda event: None), {}


@pytest.fixture
def world(server: LocalCognito, public: Any, make_pool: Any) -> World:
    """The server, an unsigned client and the per-test pool factory."""
    return World(server, public, make_pool)


def test_every_message_has_a_scenario() -> None:
    """Each table entry is provoked by a scenario below, so none goes untested."""
    assert sorted(SCENARIOS) == sorted(MESSAGES)


# Parametrized by the table, not by SCENARIOS: a scenario registered further down this file
# (after this line runs) is found at run time; one missing fails here too.
@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_clients_see_the_table(world: World, name: str) -> None:
    """A boto3 client gets exactly the table's code and message."""
    call, fields = SCENARIOS[name](world)
    with pytest.raises(ClientError) as excinfo:
        call()
    assert (error_code(excinfo), error_message(excinfo)) == (
        MESSAGES[name].code,
        MESSAGES[name].render(**fields),
    )


def test_issue_examples_read_as_aws_sends_them() -> None:
    """The messages issue 12 quotes from AWS are in the table word for word."""
    examples = {
        "USER_EXISTS": "User already exists",
        "INCORRECT_CREDENTIALS": "Incorrect username or password.",
        "USER_NOT_FOUND": "User does not exist.",
        "WRONG_CODE": "Invalid verification code provided, please try again.",
        "EXPIRED_CODE": "Invalid code provided, please request a code again.",
        "USER_NOT_CONFIRMED": "User is not confirmed.",
        "ACCESS_TOKEN_REVOKED": "Access Token has been revoked",
    }
    assert {name: MESSAGES[name].render() for name in examples} == examples
    assert MESSAGES["CANNOT_CONFIRM"].render(status="CONFIRMED") == (
        "User cannot be confirmed. Current status is CONFIRMED"
    )
    assert MESSAGES["PASSWORD_POLICY_SIGN_UP"].render(clause=POLICY_CLAUSES["TOO_SHORT"].text) == (
        "Password did not conform with policy: Password not long enough"
    )


def test_every_entry_cites_a_source() -> None:
    """Each message and policy clause names the public page or thread its text comes from."""
    sources = [m.source for m in MESSAGES.values()] + [c.source for c in POLICY_CLAUSES.values()]
    assert all(re.fullmatch(r"https://\S+", source) for source in sources)


def test_templates_take_no_secret() -> None:
    """Message templates only take fields that are never secret (ids, names, states)."""
    fields = {
        name
        for message in MESSAGES.values()
        for _, name, _, _ in string.Formatter().parse(message.text)
        if name
    }
    assert fields <= {"client_id", "attribute", "status", "flow", "clause"}


# ---- the password policy, clause by clause and operation by operation ---------------------

# A password that breaks exactly one rule of the default policy, per clause.
_BREAKS = {
    "TOO_SHORT": "Sh0rt-1",
    "NEEDS_UPPERCASE": "lower-case-1",
    "NEEDS_LOWERCASE": "UPPER-CASE-1",
    "NEEDS_NUMBER": "No-digits-here",
    "NEEDS_SYMBOL": "NoSymbols123",
}


@pytest.mark.parametrize("clause", sorted(POLICY_CLAUSES))
def test_each_policy_clause(world: World, clause: str) -> None:
    """SignUp with a password breaking one rule names that rule, in AWS's words."""
    local = world.make_pool()
    with pytest.raises(ClientError) as excinfo:
        world.sign_up(local, "alice", _BREAKS[clause])
    assert error_code(excinfo) == "InvalidPasswordException"
    assert error_message(excinfo) == MESSAGES["PASSWORD_POLICY_SIGN_UP"].render(
        clause=POLICY_CLAUSES[clause].text
    )


def test_a_policy_without_a_minimum_length_wants_8_characters(world: World) -> None:
    """PasswordPolicyType's MinimumLength is optional; AWS's default is 8."""
    policy = {"RequireSymbols": False}
    local = world.make_pool(pool_config={"Policies": {"PasswordPolicy": policy}})
    world.sign_up(local, "alice", "Eight8ch")
    with pytest.raises(ClientError) as excinfo:
        world.sign_up(local, "bob", "Seven7c")
    assert error_message(excinfo).endswith("Password not long enough")


_KINDS = ("RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols")


def test_a_policy_that_requires_no_kind_of_character_wants_none(world: World) -> None:
    """Each Require* member set to false is honoured: six lower-case letters pass."""
    policy = {"MinimumLength": 6, **dict.fromkeys(_KINDS, False)}
    local = world.make_pool(pool_config={"Policies": {"PasswordPolicy": policy}})
    world.sign_up(local, "alice", "abcdef")


def test_policy_of_the_pool_applies(world: World) -> None:
    """A pool's own policy counts: 12 characters, no symbol needed, and a space is a symbol."""
    policy = {"MinimumLength": 12, "RequireSymbols": False}
    local = world.make_pool(pool_config={"Policies": {"PasswordPolicy": policy}})
    with pytest.raises(ClientError) as excinfo:
        world.sign_up(local, "alice", "Only11Chars")
    assert error_message(excinfo).endswith("Password not long enough")
    world.sign_up(local, "alice", "NoSymbols1234")
    strict = world.make_pool()
    world.sign_up(strict, "bob", "Has space 12A")
    with pytest.raises(ClientError) as excinfo:
        world.sign_up(strict, "carl", " Trailing12A ")
    assert error_message(excinfo).endswith("Password must have symbol characters")


def _new_password_step(w: World, local: LocalPool) -> Call:
    local.admin.admin_create_user(
        UserPoolId=local.user_pool_id,
        Username="nina",
        TemporaryPassword="Temp-pass1!",
        MessageAction="SUPPRESS",
    )
    step = srp_login(w.public, local, "nina", "Temp-pass1!")
    return lambda: w.public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "nina", "NEW_PASSWORD": "weak"},
    )


def _forgot_step(w: World, local: LocalPool) -> Call:
    local.create_user("olga", PASSWORD, {"email": "o@example.com", "email_verified": "true"})
    w.public.forgot_password(ClientId=local.client_id, Username="olga")
    code = local.outbox.wait_for(username="olga", purpose="forgot_password").code
    return lambda: w.public.confirm_forgot_password(
        ClientId=local.client_id, Username="olga", ConfirmationCode=code, Password="weak"
    )


def _admin_set_step(w: World, local: LocalPool) -> Call:
    local.create_user("pia", PASSWORD)
    return lambda: local.admin.admin_set_user_password(
        UserPoolId=local.user_pool_id, Username="pia", Password="weak", Permanent=True
    )


@pytest.mark.parametrize(
    "step", [_new_password_step, _forgot_step, _admin_set_step], ids=lambda f: f.__name__
)
def test_password_changes_use_the_does_not_conform_wording(
    world: World, step: Callable[[World, LocalPool], Call]
) -> None:
    """NEW_PASSWORD_REQUIRED, ConfirmForgotPassword and AdminSetUserPassword say "does not
    conform to policy", not moto's "does not confirm to the configured password policy"."""
    call = step(world, world.make_pool())
    with pytest.raises(ClientError) as excinfo:
        call()
    assert error_code(excinfo) == "InvalidPasswordException"
    assert error_message(excinfo) == "Password does not conform to policy: Password not long enough"


def test_no_secret_in_messages(world: World) -> None:
    """A refused proof, code or token never comes back inside the error message."""
    local = world.make_pool(client_secret=True)
    assert local.client_secret is not None
    local.create_user("alice", PASSWORD)
    srp, started = srp_start(world.public, local, "alice")
    block = started["ChallengeParameters"]["SECRET_BLOCK"]
    wrong_proof = srp.responses(started["ChallengeParameters"], password="Wr0ng-pass!")
    garbage = base64.b64encode(secrets.token_bytes(48)).decode()
    answers: list[Call] = [
        lambda: world.public.respond_to_auth_challenge(
            ClientId=local.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=wrong_proof,
        ),
        lambda: world.public.initiate_auth(
            ClientId=local.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": garbage, "SECRET_HASH": garbage},
        ),
        lambda: world.public.get_user(AccessToken=garbage),
    ]
    secrets_sent = {block, garbage, local.client_secret, wrong_proof["PASSWORD_CLAIM_SIGNATURE"]}
    for answer in answers:
        with pytest.raises(ClientError) as excinfo:
            answer()
        assert not any(s in str(excinfo.value.response) for s in secrets_sent)


# ---- admin operations (tests/local/test_admin_*.py cover them further) ------------------------


@scenario("ADMIN_FLOW_NOT_ENABLED")
def _admin_flow_off(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    srp_only = w.server.create_client(
        local.user_pool_id, explicit_auth_flows=["ALLOW_USER_SRP_AUTH"]
    )
    local.create_user("alice", PASSWORD)
    return lambda: local.admin.admin_initiate_auth(
        UserPoolId=local.user_pool_id,
        ClientId=srp_only.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    ), {}


@scenario("FILTER_PARSE")
def _unquoted_filter(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    return lambda: local.admin.list_users(UserPoolId=local.user_pool_id, Filter="email = a"), {}


@scenario("FILTER_ATTRIBUTE")
def _custom_attribute_filter(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    return lambda: local.admin.list_users(
        UserPoolId=local.user_pool_id, Filter='custom:tier = "gold"'
    ), {"attribute": "custom:tier"}


@scenario("GROUP_NOT_FOUND")
def _unknown_group(w: World) -> tuple[Call, dict[str, str]]:
    local = w.make_pool()
    return lambda: local.admin.get_group(UserPoolId=local.user_pool_id, GroupName="nope"), {}
