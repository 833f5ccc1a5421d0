"""Choice-based sign-in (``AuthFlow=USER_AUTH``) on the strict server: the pool's sign-in
policy, SELECT_CHALLENGE and each of its answers, e-mail and SMS one-time passwords from the
outbox, PASSWORD and PASSWORD_SRP, sign-in with ConfirmSignUp's Session, and the refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalCognito, LocalPool
from cognito_user_pool.local._messages import MESSAGES

from ._srp_client import SrpClient, secret_hash
from .conftest import PASSWORD, error_code, error_message, password_login, public_client

EMAIL = "alice@example.com"
PHONE = "+15555550100"
ALL = ("PASSWORD", "EMAIL_OTP", "SMS_OTP")
VERIFIED = {
    "email": EMAIL,
    "email_verified": "true",
    "phone_number": PHONE,
    "phone_number_verified": "true",
}


@pytest.fixture
def otp_pool(make_pool: Any) -> LocalPool:
    """A pool that allows PASSWORD, EMAIL_OTP and SMS_OTP first; alice has both verified."""
    local: LocalPool = make_pool(first_auth_factors=ALL)
    local.create_user("alice", PASSWORD, VERIFIED)
    return local


def _start(public: Any, local: LocalPool, username: str = "alice", **auth: str) -> Any:
    params = {"USERNAME": username, **auth}
    if local.client_secret:
        params["SECRET_HASH"] = secret_hash(local.client_secret, username, local.client_id)
    return public.initiate_auth(
        ClientId=local.client_id, AuthFlow="USER_AUTH", AuthParameters=params
    )


def _respond(public: Any, local: LocalPool, step: Any, **answers: str) -> Any:
    responses = {"USERNAME": "alice", **answers}
    if local.client_secret:
        responses["SECRET_HASH"] = secret_hash(local.client_secret, "alice", local.client_id)
    return public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName=step["ChallengeName"],
        Session=step["Session"],
        ChallengeResponses=responses,
    )


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _refused(call: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_code(excinfo), error_message(excinfo)


def _srp_finish(public: Any, local: LocalPool, step: Any, srp: SrpClient) -> Any:
    assert step["ChallengeName"] == "PASSWORD_VERIFIER"
    return public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=step["Session"],
        ChallengeResponses=srp.responses(step["ChallengeParameters"]),
    )


# ---- the sign-in policy -------------------------------------------------------------------


def test_the_pool_option_sets_the_sign_in_policy(otp_pool: LocalPool, pool: LocalPool) -> None:
    """``first_auth_factors`` is the pool's SignInPolicy, shown by DescribeUserPool with AWS's
    default password policy kept; without it the policy is AWS's default (password only)."""
    policies = otp_pool.admin.describe_user_pool(UserPoolId=otp_pool.user_pool_id)["UserPool"][
        "Policies"
    ]
    assert policies["SignInPolicy"] == {"AllowedFirstAuthFactors": list(ALL)}
    assert policies["PasswordPolicy"]["MinimumLength"] == 8
    plain = pool.admin.describe_user_pool(UserPoolId=pool.user_pool_id)["UserPool"]["Policies"]
    assert "SignInPolicy" not in plain


def test_the_default_client_allows_user_auth(otp_pool: LocalPool) -> None:
    """The local's app clients get ALLOW_USER_AUTH among their flows."""
    client = otp_pool.admin.describe_user_pool_client(
        UserPoolId=otp_pool.user_pool_id, ClientId=otp_pool.client_id
    )["UserPoolClient"]
    assert "ALLOW_USER_AUTH" in client["ExplicitAuthFlows"]


@pytest.mark.parametrize(
    "factors",
    [["EMAIL_OTP"], ["PASSWORD", "SOFTWARE_TOKEN"], ["PASSWORD", "PASSWORD"], ["PASSWORD", "X"]],
)
def test_create_user_pool_refuses_a_bad_sign_in_policy(pool: LocalPool, factors: list[str]) -> None:
    """PASSWORD must be allowed, SOFTWARE_TOKEN is no first factor, nothing twice."""
    code, _ = _refused(
        lambda: pool.admin.create_user_pool(
            PoolName="bad", Policies={"SignInPolicy": {"AllowedFirstAuthFactors": factors}}
        )
    )
    assert code == "InvalidParameterException"
    code, _ = _refused(
        lambda: pool.admin.update_user_pool(
            UserPoolId=pool.user_pool_id,
            Policies={"SignInPolicy": {"AllowedFirstAuthFactors": factors}},
        )
    )
    assert code == "InvalidParameterException"


def test_update_user_pool_changes_what_users_may_choose(pool: LocalPool, public: Any) -> None:
    """UpdateUserPool sets the policy, and the next sign-in offers the new factor; an update
    without it goes back to the default, as AWS's full-replace update does."""
    pool.create_user("alice", PASSWORD, VERIFIED)
    assert _start(public, pool)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
    pool.admin.update_user_pool(UserPoolId=pool.user_pool_id, Policies=policy)
    assert _start(public, pool)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    pool.admin.update_user_pool(UserPoolId=pool.user_pool_id)
    assert _start(public, pool)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


def test_the_option_is_checked(server: LocalCognito) -> None:
    """A factor AWS does not know, or a policy without PASSWORD, is refused before any pool."""
    with pytest.raises(ValueError, match="first_auth_factors"):
        server.create_pool(first_auth_factors=("EMAIL_OTP",))
    with pytest.raises(ValueError, match="first_auth_factors"):
        LocalCognito(first_auth_factors=("PASSWORD", "SOFTWARE_TOKEN"))


# ---- SELECT_CHALLENGE -----------------------------------------------------------------------


def test_select_challenge_lists_what_the_user_can_use(otp_pool: LocalPool, public: Any) -> None:
    """No PREFERRED_CHALLENGE: SELECT_CHALLENGE with every choice alice has, and nothing sent."""
    step = _start(public, otp_pool)
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    assert step["Session"]
    assert len(otp_pool.outbox) == 0


def test_unverified_addresses_are_not_offered(make_pool: Any, public: Any) -> None:
    """EMAIL_OTP needs a verified e-mail, SMS_OTP a verified phone number; preferring one the
    user cannot use gives the list instead, without it."""
    local = make_pool(first_auth_factors=ALL)
    local.create_user("alice", PASSWORD, {"email": EMAIL, "phone_number": PHONE})
    step = _start(public, local, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    assert len(local.outbox) == 0


def test_a_factor_the_pool_does_not_allow(pool: LocalPool, public: Any) -> None:
    """A pool with the default policy offers only the password choices; asking for EMAIL_OTP
    gets the list, and answering EMAIL_OTP is refused, with no code sent."""
    pool.create_user("alice", PASSWORD, VERIFIED)
    step = _start(public, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    code, message = _refused(lambda: _respond(public, pool, step, ANSWER="EMAIL_OTP"))
    assert code == "InvalidParameterException"
    assert "EMAIL_OTP" in message
    assert len(pool.outbox) == 0
    # The session is still good for an available choice.
    tokens = _respond(public, pool, step, ANSWER="PASSWORD", PASSWORD=PASSWORD)
    assert "AccessToken" in tokens["AuthenticationResult"]


def test_web_authn_is_never_available(otp_pool: LocalPool, public: Any) -> None:
    """No passkeys here: WEB_AUTHN is neither listed nor accepted."""
    step = _start(public, otp_pool, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert "WEB_AUTHN" not in step["AvailableChallenges"]
    code, _ = _refused(lambda: _respond(public, otp_pool, step, ANSWER="WEB_AUTHN"))
    assert code == "InvalidParameterException"


def test_an_unknown_preferred_challenge_is_refused(otp_pool: LocalPool, public: Any) -> None:
    """PREFERRED_CHALLENGE must be a first-factor challenge name."""
    code, _ = _refused(lambda: _start(public, otp_pool, PREFERRED_CHALLENGE="SMS_MFA"))
    assert code == "InvalidParameterException"


def test_select_password(otp_pool: LocalPool, public: Any) -> None:
    """ANSWER=PASSWORD with the password: tokens; a wrong one is refused as a wrong password."""
    step = _start(public, otp_pool)
    tokens = _respond(public, otp_pool, step, ANSWER="PASSWORD", PASSWORD=PASSWORD)
    assert tokens["AuthenticationResult"]["TokenType"] == "Bearer"
    step = _start(public, otp_pool)
    refused = _refused(
        lambda: _respond(public, otp_pool, step, ANSWER="PASSWORD", PASSWORD="Wr0ng-horse!")
    )
    assert refused == (MESSAGES["INCORRECT_CREDENTIALS"].code, "Incorrect username or password.")


def test_select_password_srp(otp_pool: LocalPool, public: Any) -> None:
    """ANSWER=PASSWORD_SRP with SRP_A: PASSWORD_VERIFIER, as USER_SRP_AUTH; a proof of the
    right password gives tokens, of a wrong one is refused."""
    srp = SrpClient(otp_pool.user_pool_id, otp_pool.client_id, "alice", PASSWORD)
    step = _respond(
        public, otp_pool, _start(public, otp_pool), ANSWER="PASSWORD_SRP", SRP_A=srp.srp_a
    )
    assert step["ChallengeParameters"]["USER_ID_FOR_SRP"] == "alice"
    assert "AccessToken" in _srp_finish(public, otp_pool, step, srp)["AuthenticationResult"]
    wrong = SrpClient(otp_pool.user_pool_id, otp_pool.client_id, "alice", "Wr0ng-horse!")
    step = _respond(
        public, otp_pool, _start(public, otp_pool), ANSWER="PASSWORD_SRP", SRP_A=wrong.srp_a
    )
    code, _ = _refused(lambda: _srp_finish(public, otp_pool, step, wrong))
    assert code == "NotAuthorizedException"


def test_select_a_code(otp_pool: LocalPool, public: Any) -> None:
    """ANSWER=EMAIL_OTP sends a code to the verified address and returns that challenge; the
    code signs alice in. The same with SMS_OTP to her phone."""
    step = _respond(public, otp_pool, _start(public, otp_pool), ANSWER="EMAIL_OTP")
    assert step["ChallengeName"] == "EMAIL_OTP"
    message = otp_pool.outbox.wait_for(username="alice", purpose="email_otp")
    assert (message.destination, message.medium) == (EMAIL, "EMAIL")
    tokens = _respond(public, otp_pool, step, EMAIL_OTP_CODE=message.code)
    assert "AccessToken" in tokens["AuthenticationResult"]
    step = _respond(public, otp_pool, _start(public, otp_pool), ANSWER="SMS_OTP")
    assert step["ChallengeName"] == "SMS_OTP"
    message = otp_pool.outbox.wait_for(username="alice", purpose="sms_otp")
    assert (message.destination, message.medium) == (PHONE, "SMS")
    assert (
        "AccessToken"
        in _respond(public, otp_pool, step, SMS_OTP_CODE=message.code)["AuthenticationResult"]
    )


def test_a_select_answer_needs_its_parameters(otp_pool: LocalPool, public: Any) -> None:
    """PASSWORD without PASSWORD, PASSWORD_SRP without SRP_A: missing parameters."""
    step = _start(public, otp_pool)
    assert _refused(lambda: _respond(public, otp_pool, step, ANSWER="PASSWORD")) == (
        "InvalidParameterException",
        "Missing required parameter PASSWORD",
    )
    assert _refused(lambda: _respond(public, otp_pool, step, ANSWER="PASSWORD_SRP")) == (
        "InvalidParameterException",
        "Missing required parameter SRP_A",
    )


# ---- one-time passwords -------------------------------------------------------------------


def test_email_otp_sign_in(otp_pool: LocalPool, public: Any) -> None:
    """PREFERRED_CHALLENGE=EMAIL_OTP: a code to the outbox and EMAIL_OTP with where it went;
    a wrong code is CodeMismatchException and the session stays; the right one gives tokens,
    and the answered session cannot be replayed."""
    step = _start(public, otp_pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert step["ChallengeName"] == "EMAIL_OTP"
    assert step["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "a***@e***",
    }
    code = otp_pool.outbox.wait_for(username="alice", purpose="email_otp").code
    assert _refused(lambda: _respond(public, otp_pool, step, EMAIL_OTP_CODE=_other(code))) == (
        MESSAGES["WRONG_MFA_CODE"].code,
        MESSAGES["WRONG_MFA_CODE"].text,
    )
    tokens = _respond(public, otp_pool, step, EMAIL_OTP_CODE=code)
    assert "RefreshToken" in tokens["AuthenticationResult"]
    replay = _refused(lambda: _respond(public, otp_pool, step, EMAIL_OTP_CODE=code))
    assert replay == (MESSAGES["SESSION_USED"].code, MESSAGES["SESSION_USED"].text)


def test_a_used_code_is_refused_on_a_new_session(otp_pool: LocalPool, public: Any) -> None:
    """A code that signed alice in is spent: on the next sign-in it is an expired code."""
    step = _start(public, otp_pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = otp_pool.outbox.wait_for(purpose="email_otp").code
    _respond(public, otp_pool, step, EMAIL_OTP_CODE=code)
    step = _start(public, otp_pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert _refused(lambda: _respond(public, otp_pool, step, EMAIL_OTP_CODE=code)) == (
        MESSAGES["EXPIRED_CODE"].code,
        MESSAGES["EXPIRED_CODE"].text,
    )


def test_wrong_codes_end_the_session(otp_pool: LocalPool, public: Any) -> None:
    """Three wrong codes end the session: the right code then meets a used session."""
    step = _start(public, otp_pool, PREFERRED_CHALLENGE="SMS_OTP")
    code = otp_pool.outbox.wait_for(purpose="sms_otp").code
    for _ in range(3):
        assert _refused(lambda: _respond(public, otp_pool, step, SMS_OTP_CODE=_other(code)))[0] == (
            "CodeMismatchException"
        )
    assert _refused(lambda: _respond(public, otp_pool, step, SMS_OTP_CODE=code))[0] == (
        "NotAuthorizedException"
    )


def test_an_expired_code_is_refused(otp_pool: LocalPool, public: Any, server: LocalCognito) -> None:
    """Past its lifetime (and the session's), the code no longer signs in."""
    step = _start(public, otp_pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = otp_pool.outbox.wait_for(purpose="email_otp").code
    server.advance_time(181)
    try:
        refused = _refused(lambda: _respond(public, otp_pool, step, EMAIL_OTP_CODE=code))
    finally:
        server.advance_time(-181)
    assert refused == (MESSAGES["SESSION_EXPIRED"].code, MESSAGES["SESSION_EXPIRED"].text)


def test_sms_otp_sign_in(otp_pool: LocalPool, public: Any) -> None:
    """PREFERRED_CHALLENGE=SMS_OTP: a text to the verified number, answered with SMS_OTP_CODE."""
    step = _start(public, otp_pool, PREFERRED_CHALLENGE="SMS_OTP")
    assert step["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": "+*******0100",
    }
    code = otp_pool.outbox.wait_for(username=PHONE, purpose="sms_otp").code
    with pytest.raises(ClientError):  # the e-mail key does not answer an SMS code
        _respond(public, otp_pool, step, EMAIL_OTP_CODE=code)
    tokens = _respond(public, otp_pool, step, SMS_OTP_CODE=code)
    assert "IdToken" in tokens["AuthenticationResult"]


def test_passwordless_is_not_offered_with_mfa(make_pool: Any, public: Any) -> None:
    """A user with MFA on gets only the password choices, and the password then meets MFA;
    in a pool whose MFA is ON nobody gets a one-time password."""
    local = make_pool(first_auth_factors=ALL, mfa="OPTIONAL")
    local.create_user("alice", PASSWORD, VERIFIED)
    local.admin.admin_set_user_mfa_preference(
        UserPoolId=local.user_pool_id,
        Username="alice",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    step = _start(public, local, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    mfa = _respond(public, local, step, ANSWER="PASSWORD", PASSWORD=PASSWORD)
    assert mfa["ChallengeName"] == "SMS_MFA"
    required = make_pool(first_auth_factors=ALL, mfa="ON")
    required.create_user("alice", PASSWORD, VERIFIED)
    assert _start(public, required)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


# ---- PASSWORD and PASSWORD_SRP as the preferred challenge ------------------------------------


def test_preferred_password(otp_pool: LocalPool, public: Any) -> None:
    """PREFERRED_CHALLENGE=PASSWORD with PASSWORD: tokens at once; a wrong password, or none,
    is refused."""
    tokens = _start(public, otp_pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert "AccessToken" in tokens["AuthenticationResult"]
    assert _refused(
        lambda: _start(public, otp_pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wr0ng-horse!")
    ) == ("NotAuthorizedException", "Incorrect username or password.")
    assert _refused(lambda: _start(public, otp_pool, PREFERRED_CHALLENGE="PASSWORD"))[0] == (
        "InvalidParameterException"
    )


def test_preferred_password_srp(otp_pool: LocalPool, public: Any) -> None:
    """PREFERRED_CHALLENGE=PASSWORD_SRP with SRP_A: PASSWORD_VERIFIER, then tokens."""
    srp = SrpClient(otp_pool.user_pool_id, otp_pool.client_id, "alice", PASSWORD)
    step = _start(public, otp_pool, PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=srp.srp_a)
    assert "AccessToken" in _srp_finish(public, otp_pool, step, srp)["AuthenticationResult"]


def test_admin_initiate_auth(otp_pool: LocalPool) -> None:
    """AdminInitiateAuth and AdminRespondToAuthChallenge run the same flow."""
    admin = otp_pool.admin
    step = admin.admin_initiate_auth(
        UserPoolId=otp_pool.user_pool_id,
        ClientId=otp_pool.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )
    code = otp_pool.outbox.wait_for(purpose="email_otp").code
    tokens = admin.admin_respond_to_auth_challenge(
        UserPoolId=otp_pool.user_pool_id,
        ClientId=otp_pool.client_id,
        ChallengeName="EMAIL_OTP",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", "EMAIL_OTP_CODE": code},
    )
    assert "AccessToken" in tokens["AuthenticationResult"]


# ---- sign-in after sign-up ----------------------------------------------------------------------


def _signed_up(public: Any, local: LocalPool, username: str = "bob") -> str:
    """SignUp and ConfirmSignUp: ConfirmSignUp's Session."""
    public.sign_up(
        ClientId=local.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    code = local.outbox.wait_for(username=username, purpose="signup").code
    confirmed = public.confirm_sign_up(
        ClientId=local.client_id, Username=username, ConfirmationCode=code
    )
    return str(confirmed["Session"])


def _with_session(public: Any, local: LocalPool, session: str, username: str = "bob") -> Any:
    return public.initiate_auth(
        ClientId=local.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": username},
        Session=session,
    )


def test_sign_in_with_the_confirm_sign_up_session(otp_pool: LocalPool, public: Any) -> None:
    """ConfirmSignUp's Session signs bob in directly, once; a second use is refused."""
    session = _signed_up(public, otp_pool)
    tokens = _with_session(public, otp_pool, session)
    assert "AccessToken" in tokens["AuthenticationResult"]
    assert _refused(lambda: _with_session(public, otp_pool, session)) == (
        MESSAGES["SESSION_USED"].code,
        MESSAGES["SESSION_USED"].text,
    )


def test_the_confirm_sign_up_session_expires(
    otp_pool: LocalPool, public: Any, server: LocalCognito
) -> None:
    """After the client's AuthSessionValidity (3 minutes by default) it is expired."""
    session = _signed_up(public, otp_pool)
    server.advance_time(181)
    try:
        refused = _refused(lambda: _with_session(public, otp_pool, session))
    finally:
        server.advance_time(-181)
    assert refused == (MESSAGES["SESSION_EXPIRED"].code, MESSAGES["SESSION_EXPIRED"].text)


def test_the_confirm_sign_up_session_is_bound(otp_pool: LocalPool, public: Any) -> None:
    """It signs in only the user who confirmed, and a challenge session is no such session."""
    session = _signed_up(public, otp_pool)
    assert _refused(lambda: _with_session(public, otp_pool, session, "alice")) == (
        MESSAGES["SESSION_INVALID"].code,
        MESSAGES["SESSION_INVALID"].text,
    )
    other = _start(public, otp_pool)["Session"]
    assert _refused(lambda: _with_session(public, otp_pool, other, "alice"))[0] == (
        "NotAuthorizedException"
    )


# ---- refusals ---------------------------------------------------------------------------------


def test_a_client_without_allow_user_auth(
    otp_pool: LocalPool, public: Any, server: LocalCognito
) -> None:
    """A client whose ExplicitAuthFlows lack ALLOW_USER_AUTH refuses the flow, in AWS's words."""
    srp_only = server.create_client(
        otp_pool.user_pool_id, explicit_auth_flows=["ALLOW_USER_SRP_AUTH"]
    )
    assert _refused(lambda: _start(public, srp_only)) == (
        "InvalidParameterException",
        "USER_AUTH flow not enabled for this client",
    )


def test_disabled_and_unconfirmed_users(otp_pool: LocalPool, public: Any) -> None:
    """A disabled user is refused, an unconfirmed one too, and an unknown one is not found."""
    otp_pool.admin.admin_disable_user(UserPoolId=otp_pool.user_pool_id, Username="alice")
    assert _refused(lambda: _start(public, otp_pool)) == (
        "NotAuthorizedException",
        "User is disabled.",
    )
    public.sign_up(ClientId=otp_pool.client_id, Username="carl", Password=PASSWORD)
    assert _refused(lambda: _start(public, otp_pool, "carl")) == (
        "UserNotConfirmedException",
        "User is not confirmed.",
    )
    assert _refused(lambda: _start(public, otp_pool, "nobody"))[0] == "UserNotFoundException"


def test_secret_hash_with_a_client_secret(make_pool: Any, public: Any) -> None:
    """A client with a secret needs SECRET_HASH in AuthParameters and in every answer."""
    local = make_pool(first_auth_factors=ALL, client_secret=True)
    local.create_user("alice", PASSWORD, VERIFIED)
    bare = lambda: public.initiate_auth(  # noqa: E731
        ClientId=local.client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "alice"}
    )
    assert _refused(bare) == (
        "NotAuthorizedException",
        f"Client {local.client_id} is configured with secret but SECRET_HASH was not received",
    )
    step = _start(public, local, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = local.outbox.wait_for(purpose="email_otp").code
    unsigned = lambda: public.respond_to_auth_challenge(  # noqa: E731
        ClientId=local.client_id,
        ChallengeName="EMAIL_OTP",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", "EMAIL_OTP_CODE": code},
    )
    assert _refused(unsigned)[0] == "NotAuthorizedException"
    assert (
        "AccessToken" in _respond(public, local, step, EMAIL_OTP_CODE=code)["AuthenticationResult"]
    )


def test_get_user_auth_factors_follows_the_policy(otp_pool: LocalPool, public: Any) -> None:
    """GetUserAuthFactors lists the first factors the pool allows and alice has."""
    token = password_login(public, otp_pool, "alice")["AuthenticationResult"]["AccessToken"]
    factors = public.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"]
    assert factors == ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]


# ---- the state file -----------------------------------------------------------------------------


def test_the_sign_in_policy_survives_a_restart(tmp_path: Path) -> None:
    """The policy is kept in the state file with the pool, and e-mail OTP works after it."""
    state = tmp_path / "state.json"
    with LocalCognito(state=state, first_auth_factors=("PASSWORD", "EMAIL_OTP")) as first:
        first.default.create_user("alice", PASSWORD, VERIFIED)
    with LocalCognito(state=state) as second:
        local = second.default
        policies = local.admin.describe_user_pool(UserPoolId=local.user_pool_id)["UserPool"][
            "Policies"
        ]
        assert policies["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}
        public = public_client(local)
        try:
            step = _start(public, local, PREFERRED_CHALLENGE="EMAIL_OTP")
            code = local.outbox.wait_for(purpose="email_otp").code
            tokens = _respond(public, local, step, EMAIL_OTP_CODE=code)
        finally:
            public.close()
        assert "AccessToken" in tokens["AuthenticationResult"]


def test_a_one_time_code_sign_in_keeps_the_device(make_pool: Any, public: Any) -> None:
    """USER_AUTH with a remembered device's DEVICE_KEY and an e-mail code: the tokens carry
    the device's key and announce no new device. In a pool that tracks no devices, a
    DEVICE_KEY is not the pool's and the tokens carry none."""
    from pycognito.aws_srp import generate_hash_device

    from cognito_user_pool._tokens import unverified_claims

    def with_code(local: LocalPool, device_key: str) -> dict[str, Any]:
        step = _start(public, local, PREFERRED_CHALLENGE="EMAIL_OTP", DEVICE_KEY=device_key)
        assert step["ChallengeName"] == "EMAIL_OTP"
        code = local.outbox.wait_for(username="alice", purpose="email_otp").code
        return dict(_respond(public, local, step, EMAIL_OTP_CODE=code)["AuthenticationResult"])

    local = make_pool(first_auth_factors=ALL, remember_devices="always")
    local.create_user("alice", PASSWORD, VERIFIED)
    first = password_login(public, local, "alice")["AuthenticationResult"]
    key, group = (first["NewDeviceMetadata"][k] for k in ("DeviceKey", "DeviceGroupKey"))
    _, verifier = generate_hash_device(group, key)
    public.confirm_device(
        AccessToken=first["AccessToken"], DeviceKey=key, DeviceSecretVerifierConfig=verifier
    )
    known = with_code(local, key)
    assert "NewDeviceMetadata" not in known
    assert unverified_claims(known["AccessToken"])["device_key"] == key

    untracked = make_pool(first_auth_factors=ALL)
    untracked.create_user("alice", PASSWORD, VERIFIED)
    result = with_code(untracked, key)
    assert "NewDeviceMetadata" not in result
    assert "device_key" not in unverified_claims(result["AccessToken"])


def test_the_sign_in_after_sign_up_announces_a_device(make_pool: Any, public: Any) -> None:
    """In a pool that tracks devices, the tokens of ConfirmSignUp's Session announce a new
    device, as every other sign-in's do."""
    local = make_pool(first_auth_factors=ALL, remember_devices="always")
    result = _with_session(public, local, _signed_up(public, local))["AuthenticationResult"]
    assert result["NewDeviceMetadata"]["DeviceKey"].startswith(local.region + "_")
