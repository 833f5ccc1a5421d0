"""Custom authentication (``AuthFlow=CUSTOM_AUTH``) on the strict server, driven by Python
callables as the define / create / verify auth challenge triggers: a magic-code flow, the
"SRP first" variant, ClientMetadata, the trigger events' shape, and the refusals."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import CustomAuthTriggers, LocalCognito, LocalPool

from ._srp_client import SrpClient, secret_hash
from .conftest import PASSWORD, error_code, error_message, public_client

Event = dict[str, Any]
EMAIL = "alice@example.com"


class MagicCode:
    """A magic-code sign-in in three triggers: create keeps a random code in the private
    parameters (and "sends" it to :attr:`sent`), verify compares, define allows ``tries``
    wrong answers. With ``SRP_A`` first, the password comes before the code."""

    def __init__(self, tries: int = 3) -> None:
        self.tries = tries
        self.sent: list[str] = []
        self.events: list[Event] = []

    def define(self, event: Event) -> Event:
        self.events.append(event)
        session = event["request"]["session"]
        response = event["response"]
        response.update(issueTokens=False, failAuthentication=False)
        last = session[-1] if session else None
        codes = [s for s in session if s["challengeName"] == "CUSTOM_CHALLENGE"]
        if last is not None and last["challengeName"] == "SRP_A":
            response["challengeName"] = "PASSWORD_VERIFIER"
        elif (
            last is not None
            and last["challengeName"] == "PASSWORD_VERIFIER"
            and not last["challengeResult"]
        ):
            response["failAuthentication"] = True
        elif (
            last is not None
            and last["challengeName"] == "CUSTOM_CHALLENGE"
            and last["challengeResult"]
        ):
            response["issueTokens"] = True
        elif len(codes) >= self.tries:
            response["failAuthentication"] = True
        else:
            response["challengeName"] = "CUSTOM_CHALLENGE"
        return event

    def create(self, event: Event) -> Event:
        self.events.append(event)
        code = f"{secrets.randbelow(10**6):06d}"
        self.sent.append(code)
        event["response"]["publicChallengeParameters"] = {"delivery": "email"}
        event["response"]["privateChallengeParameters"] = {"code": code}
        event["response"]["challengeMetadata"] = f"CODE-{len(self.sent)}"
        return event

    def verify(self, event: Event) -> Event:
        self.events.append(event)
        request = event["request"]
        event["response"]["answerCorrect"] = (
            request["challengeAnswer"] == request["privateChallengeParameters"]["code"]
        )
        return event

    @property
    def triggers(self) -> CustomAuthTriggers:
        return CustomAuthTriggers(define=self.define, create=self.create, verify=self.verify)

    def of(self, source: str) -> list[Event]:
        """The events of one trigger, by triggerSource prefix (Define, Create, Verify)."""
        return [e for e in self.events if e["triggerSource"].startswith(source)]


@pytest.fixture
def magic() -> MagicCode:
    return MagicCode()


@pytest.fixture
def custom_pool(make_pool: Any, magic: MagicCode) -> LocalPool:
    """A pool whose custom-auth triggers are ``magic``'s; alice has an e-mail address."""
    local: LocalPool = make_pool(triggers=magic.triggers)
    local.create_user("alice", PASSWORD, {"email": EMAIL, "email_verified": "true"})
    return local


def _start(public: Any, local: LocalPool, username: str = "alice", **extra: Any) -> Any:
    auth = {"USERNAME": username, **extra.pop("auth", {})}
    if local.client_secret:
        auth["SECRET_HASH"] = secret_hash(local.client_secret, username, local.client_id)
    return public.initiate_auth(
        ClientId=local.client_id, AuthFlow="CUSTOM_AUTH", AuthParameters=auth, **extra
    )


def _answer(public: Any, local: LocalPool, step: Any, answer: str, **extra: Any) -> Any:
    responses = {"USERNAME": step["ChallengeParameters"]["USERNAME"], "ANSWER": answer}
    if local.client_secret:
        responses["SECRET_HASH"] = secret_hash(
            local.client_secret, responses["USERNAME"], local.client_id
        )
    return public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=step["Session"],
        ChallengeResponses=responses,
        **extra,
    )


def _refused(call: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_code(excinfo), error_message(excinfo)


# ---- the magic-code flow ------------------------------------------------------------------


def test_right_code_signs_in(public: Any, custom_pool: LocalPool, magic: MagicCode) -> None:
    """define -> create -> CUSTOM_CHALLENGE; the code -> verify -> define -> tokens."""
    step = _start(public, custom_pool)
    assert step["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert step["ChallengeParameters"] == {"delivery": "email", "USERNAME": "alice"}
    assert step["Session"]
    assert "code" not in str(step["ChallengeParameters"])  # private parameters stay private
    done = _answer(public, custom_pool, step, magic.sent[-1])
    tokens = done["AuthenticationResult"]
    user = public.get_user(AccessToken=tokens["AccessToken"])
    assert user["Username"] == "alice"
    assert tokens["RefreshToken"] and tokens["IdToken"]


def test_events_have_the_shape_aws_sends(
    public: Any, custom_pool: LocalPool, magic: MagicCode
) -> None:
    """Each trigger gets AWS's common fields and its own request and response keys."""
    step = _start(public, custom_pool)
    _answer(public, custom_pool, step, magic.sent[-1])
    define, create, verify, define2 = magic.events
    for event in magic.events:
        assert event["userPoolId"] == custom_pool.user_pool_id
        assert event["region"] == custom_pool.region
        assert event["userName"] == "alice"
        assert event["callerContext"]["clientId"] == custom_pool.client_id
        assert event["version"] == "1"
        attributes = event["request"]["userAttributes"]
        assert attributes["email"] == EMAIL
        assert attributes["cognito:user_status"] == "CONFIRMED"
        assert attributes["sub"]
        assert "userNotFound" not in event["request"]  # only with PreventUserExistenceErrors
    assert define["triggerSource"] == "DefineAuthChallenge_Authentication"
    assert define["request"]["session"] == []
    assert create["triggerSource"] == "CreateAuthChallenge_Authentication"
    assert create["request"]["challengeName"] == "CUSTOM_CHALLENGE"
    assert verify["triggerSource"] == "VerifyAuthChallengeResponse_Authentication"
    assert verify["request"]["privateChallengeParameters"] == {"code": magic.sent[-1]}
    assert verify["request"]["challengeAnswer"] == magic.sent[-1]
    assert "session" not in verify["request"]
    assert define2["request"]["session"] == [
        {
            "challengeName": "CUSTOM_CHALLENGE",
            "challengeResult": True,
            "challengeMetadata": "CODE-1",
        }
    ]


def test_wrong_code_gets_a_new_challenge(
    public: Any, custom_pool: LocalPool, magic: MagicCode
) -> None:
    """A wrong answer goes to define, which asks for another challenge: a new code, a new
    session; the right new code then signs in."""
    first = _start(public, custom_pool)
    second = _answer(public, custom_pool, first, "000000" if magic.sent[-1] != "000000" else "1")
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert second["Session"] != first["Session"]
    assert len(magic.sent) == 2
    create = magic.of("Create")[-1]
    assert create["request"]["session"] == [
        {
            "challengeName": "CUSTOM_CHALLENGE",
            "challengeResult": False,
            "challengeMetadata": "CODE-1",
        }
    ]
    stale = magic.sent[0]
    if stale != magic.sent[1]:
        third = _answer(public, custom_pool, second, stale)  # the first code is no longer it
        assert third["ChallengeName"] == "CUSTOM_CHALLENGE"
        second = third
    done = _answer(public, custom_pool, second, magic.sent[-1])
    assert "AccessToken" in done["AuthenticationResult"]


def test_define_fails_after_three_wrong_answers(
    public: Any, custom_pool: LocalPool, magic: MagicCode
) -> None:
    step = _start(public, custom_pool)
    for _ in range(2):
        step = _answer(public, custom_pool, step, "wrong")
    assert _refused(lambda: _answer(public, custom_pool, step, "wrong")) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    assert len(magic.of("Define")[-1]["request"]["session"]) == 3


def test_session_is_single_use(public: Any, custom_pool: LocalPool, magic: MagicCode) -> None:
    step = _start(public, custom_pool)
    code = magic.sent[-1]
    assert "AuthenticationResult" in _answer(public, custom_pool, step, code)
    assert _refused(lambda: _answer(public, custom_pool, step, code)) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_answer_needs_answer(public: Any, custom_pool: LocalPool) -> None:
    step = _start(public, custom_pool)
    code, _ = _refused(
        lambda: public.respond_to_auth_challenge(
            ClientId=custom_pool.client_id,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=step["Session"],
            ChallengeResponses={"USERNAME": "alice"},
        )
    )
    assert code == "InvalidParameterException"


def test_answer_for_another_user_is_refused(
    public: Any, custom_pool: LocalPool, magic: MagicCode
) -> None:
    custom_pool.create_user("bob", PASSWORD)
    step = _start(public, custom_pool)
    forged = {**step, "ChallengeParameters": {"USERNAME": "bob"}}
    assert _refused(lambda: _answer(public, custom_pool, forged, magic.sent[-1]))[0] == (
        "NotAuthorizedException"
    )


# ---- SRP first ------------------------------------------------------------------------------


def _srp_first(public: Any, local: LocalPool, password: str = PASSWORD) -> tuple[SrpClient, Any]:
    srp = SrpClient(local.user_pool_id, local.client_id, "alice", password, local.client_secret)
    auth = {**srp.auth_parameters(), "CHALLENGE_NAME": "SRP_A"}
    step = public.initiate_auth(
        ClientId=local.client_id, AuthFlow="CUSTOM_AUTH", AuthParameters=auth
    )
    return srp, step


def _verifier(public: Any, local: LocalPool, srp: SrpClient, step: Any) -> Any:
    assert step["ChallengeName"] == "PASSWORD_VERIFIER"
    return public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=step["Session"],
        ChallengeResponses=srp.responses(step["ChallengeParameters"]),
    )


def test_srp_first_then_code(public: Any, custom_pool: LocalPool, magic: MagicCode) -> None:
    """define sees SRP_A and asks PASSWORD_VERIFIER; the proof's result joins the session;
    then the custom challenge; then tokens."""
    srp, step = _srp_first(public, custom_pool)
    assert step["ChallengeParameters"]["USER_ID_FOR_SRP"] == "alice"
    assert magic.of("Define")[0]["request"]["session"] == [
        {"challengeName": "SRP_A", "challengeResult": True, "challengeMetadata": None}
    ]
    assert magic.of("Create") == []
    challenge = _verifier(public, custom_pool, srp, step)
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert [s["challengeName"] for s in magic.of("Define")[-1]["request"]["session"]] == [
        "SRP_A",
        "PASSWORD_VERIFIER",
    ]
    assert magic.of("Define")[-1]["request"]["session"][1]["challengeResult"] is True
    done = _answer(public, custom_pool, challenge, magic.sent[-1])
    assert "AccessToken" in done["AuthenticationResult"]


def test_srp_first_wrong_password_is_refused_before_any_challenge(
    public: Any, custom_pool: LocalPool, magic: MagicCode
) -> None:
    srp, step = _srp_first(public, custom_pool, password="Wr0ng-password!")
    assert _refused(lambda: _verifier(public, custom_pool, srp, step)) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    assert magic.of("Define")[-1]["request"]["session"][-1] == {
        "challengeName": "PASSWORD_VERIFIER",
        "challengeResult": False,
        "challengeMetadata": None,
    }
    assert magic.of("Create") == [] and magic.sent == []


def test_srp_first_password_then_mfa(public: Any, make_pool: Any, magic: MagicCode) -> None:
    """After a proven password, issueTokens goes through the pool's MFA, as a password
    sign-in does; a passwordless custom sign-in gets no MFA."""
    local: LocalPool = make_pool(triggers=magic.triggers, mfa="ON")
    phone = {"phone_number": "+15555550100", "phone_number_verified": "true"}
    local.create_user("alice", PASSWORD, {"email": EMAIL, **phone})
    srp, step = _srp_first(public, local)
    challenge = _verifier(public, local, srp, step)
    after = _answer(public, local, challenge, magic.sent[-1])
    assert after["ChallengeName"] == "SMS_MFA"
    passwordless = _start(public, local)
    assert "AuthenticationResult" in _answer(public, local, passwordless, magic.sent[-1])


def test_srp_first_then_mfa_keeps_a_known_device(
    public: Any, make_pool: Any, magic: MagicCode
) -> None:
    """A DEVICE_KEY given with SRP_A follows the custom sign-in into its MFA step: the tokens
    after the code carry the known device's key and announce no new device."""
    from pycognito.aws_srp import generate_hash_device

    from cognito_user_pool._tokens import unverified_claims

    from .test_mfa import _respond as answer_mfa

    local: LocalPool = make_pool(triggers=magic.triggers, mfa="ON", remember_devices="always")
    phone = {"phone_number": "+15555550100", "phone_number_verified": "true"}
    local.create_user("alice", PASSWORD, {"email": EMAIL, **phone})

    def sign_in(**auth: str) -> dict[str, Any]:
        srp = SrpClient(local.user_pool_id, local.client_id, "alice", PASSWORD)
        step = public.initiate_auth(
            ClientId=local.client_id,
            AuthFlow="CUSTOM_AUTH",
            AuthParameters={**srp.auth_parameters(), "CHALLENGE_NAME": "SRP_A", **auth},
        )
        challenge = _verifier(public, local, srp, step)
        mfa = _answer(public, local, challenge, magic.sent[-1])
        assert mfa["ChallengeName"] == "SMS_MFA"
        code = local.outbox.last(username="alice", purpose="sms_mfa").code
        done = answer_mfa(public, local, mfa, "SMS_MFA", SMS_MFA_CODE=code)
        return dict(done["AuthenticationResult"])

    first = sign_in()
    key, group = (first["NewDeviceMetadata"][k] for k in ("DeviceKey", "DeviceGroupKey"))
    _, verifier = generate_hash_device(group, key)
    public.confirm_device(
        AccessToken=first["AccessToken"], DeviceKey=key, DeviceSecretVerifierConfig=verifier
    )
    again = sign_in(DEVICE_KEY=key)
    assert "NewDeviceMetadata" not in again
    assert unverified_claims(again["AccessToken"])["device_key"] == key


# ---- ClientMetadata ---------------------------------------------------------------------------


def test_client_metadata(public: Any, custom_pool: LocalPool, magic: MagicCode) -> None:
    """InitiateAuth's ClientMetadata is not passed to define and create (AWS: "doesn't pass
    ClientMetadata"); RespondToAuthChallenge's reaches verify, define and create."""
    step = _start(public, custom_pool, ClientMetadata={"app": "web"})
    assert all("clientMetadata" not in e["request"] for e in magic.events)
    before = len(magic.events)
    _answer(public, custom_pool, step, "wrong", ClientMetadata={"captcha": "ok"})
    later = magic.events[before:]
    assert [e["triggerSource"].split("_")[0] for e in later] == [
        "VerifyAuthChallengeResponse",
        "DefineAuthChallenge",
        "CreateAuthChallenge",
    ]
    assert all(e["request"]["clientMetadata"] == {"captcha": "ok"} for e in later)


# ---- refusals ---------------------------------------------------------------------------------


def test_pool_without_triggers_is_refused(public: Any, make_pool: Any) -> None:
    local: LocalPool = make_pool()
    local.create_user("alice", PASSWORD)
    assert _refused(lambda: _start(public, local)) == (
        "InvalidParameterException",
        "Custom auth lambda trigger is not configured for the user pool.",
    )


def test_set_triggers_on_an_existing_pool(public: Any, make_pool: Any, magic: MagicCode) -> None:
    local: LocalPool = make_pool()
    local.create_user("alice", PASSWORD)
    local.set_triggers(magic.triggers)
    step = _start(public, local)
    assert "AuthenticationResult" in _answer(public, local, step, magic.sent[-1])
    local.set_triggers(None)
    assert _refused(lambda: _start(public, local))[0] == "InvalidParameterException"
    with pytest.raises(TypeError):
        local.set_triggers(magic.define)  # type: ignore[arg-type]


def test_triggers_must_be_callable() -> None:
    with pytest.raises(TypeError):
        CustomAuthTriggers(define="define", create=print, verify=print)  # type: ignore[arg-type]


def test_client_without_custom_auth_is_refused(
    public: Any, server: LocalCognito, custom_pool: LocalPool
) -> None:
    srp_only = server.create_client(
        custom_pool.user_pool_id, explicit_auth_flows=["ALLOW_USER_SRP_AUTH"]
    )
    assert _refused(lambda: _start(public, srp_only)) == (
        "InvalidParameterException",
        "CUSTOM_AUTH flow not enabled for this client",
    )


def test_unknown_user(public: Any, custom_pool: LocalPool, magic: MagicCode) -> None:
    assert _refused(lambda: _start(public, custom_pool, "nobody")) == (
        "UserNotFoundException",
        "User does not exist.",
    )
    assert magic.events == []


def test_unknown_user_with_prevent_user_existence_errors(
    public: Any, custom_pool: LocalPool, magic: MagicCode
) -> None:
    """The triggers run with userNotFound=true, and no answer ever signs in."""
    custom_pool.admin.update_user_pool_client(
        UserPoolId=custom_pool.user_pool_id,
        ClientId=custom_pool.client_id,
        ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )
    step = _start(public, custom_pool, "nobody")
    assert step["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert step["ChallengeParameters"]["USERNAME"] == "nobody"
    define = magic.of("Define")[0]
    assert define["request"]["userNotFound"] is True
    assert define["request"]["userAttributes"] == {}
    assert _refused(lambda: _answer(public, custom_pool, step, magic.sent[-1])) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    assert _start(public, custom_pool)  # a real user: userNotFound is false
    assert magic.of("Define")[-1]["request"]["userNotFound"] is False


def test_disabled_user_is_refused(public: Any, custom_pool: LocalPool, magic: MagicCode) -> None:
    custom_pool.admin.admin_disable_user(UserPoolId=custom_pool.user_pool_id, Username="alice")
    assert _refused(lambda: _start(public, custom_pool)) == (
        "NotAuthorizedException",
        "User is disabled.",
    )
    assert magic.events == []


@pytest.mark.parametrize("which", ["define", "create", "verify"])
def test_a_raising_trigger(public: Any, make_pool: Any, magic: MagicCode, which: str) -> None:
    """An error in a trigger is UserLambdaValidationException naming it; the session it
    was answering is spent."""
    names = {
        "define": "DefineAuthChallenge",
        "create": "CreateAuthChallenge",
        "verify": "VerifyAuthChallengeResponse",
    }

    def broken(event: Event) -> Event:
        raise KeyError("challengeMetaData")

    triggers = CustomAuthTriggers(
        **{n: broken if n == which else getattr(magic, n) for n in ("define", "create", "verify")}
    )
    local: LocalPool = make_pool(triggers=triggers)
    local.create_user("alice", PASSWORD)
    expected = (
        "UserLambdaValidationException",
        f"{names[which]} failed with error 'challengeMetaData'.",
    )
    if which != "verify":
        assert _refused(lambda: _start(public, local)) == expected
        return
    step = _start(public, local)
    assert _refused(lambda: _answer(public, local, step, magic.sent[-1])) == expected
    assert _refused(lambda: _answer(public, local, step, magic.sent[-1]))[1] == (
        "Invalid session for the user, session can only be used once."
    )


@pytest.mark.parametrize(
    "answer",
    [
        None,
        {"response": None},
        {"response": {"issueTokens": "yes"}},
        {"response": {"challengeName": "SMS_MFA"}},
        {"response": {}},
    ],
    ids=["none", "no-response", "not-a-boolean", "unsupported-challenge", "nothing-decided"],
)
def test_malformed_define_answer(
    public: Any, make_pool: Any, magic: MagicCode, answer: Any
) -> None:
    triggers = CustomAuthTriggers(
        define=lambda event: answer, create=magic.create, verify=magic.verify
    )
    local: LocalPool = make_pool(triggers=triggers)
    local.create_user("alice", PASSWORD)
    assert _refused(lambda: _start(public, local)) == (
        "InvalidLambdaResponseException",
        "Unrecognizable lambda output",
    )


def test_malformed_create_and_verify_answers(public: Any, make_pool: Any, magic: MagicCode) -> None:
    def numbers(event: Event) -> Event:
        event["response"]["publicChallengeParameters"] = {"digits": 6}
        return event

    def maybe(event: Event) -> Event:
        event["response"]["answerCorrect"] = "yes"
        return event

    bad_create = make_pool(triggers=CustomAuthTriggers(magic.define, numbers, magic.verify))
    bad_create.create_user("alice", PASSWORD)
    assert _refused(lambda: _start(public, bad_create))[0] == "InvalidLambdaResponseException"
    bad_verify = make_pool(triggers=CustomAuthTriggers(magic.define, magic.create, maybe))
    bad_verify.create_user("alice", PASSWORD)
    step = _start(public, bad_verify)
    assert _refused(lambda: _answer(public, bad_verify, step, magic.sent[-1]))[0] == (
        "InvalidLambdaResponseException"
    )


def test_triggers_get_a_copy(public: Any, custom_pool: LocalPool, magic: MagicCode) -> None:
    """What a trigger does to its event after returning changes nothing on the server."""
    step = _start(public, custom_pool)
    magic.of("Define")[0]["request"]["session"].append({"challengeName": "forged"})
    _answer(public, custom_pool, step, magic.sent[-1])
    assert len(magic.of("Define")[-1]["request"]["session"]) == 1


# ---- secret hash and the admin API -----------------------------------------------------------


def test_client_secret(public: Any, make_pool: Any, magic: MagicCode) -> None:
    local: LocalPool = make_pool(triggers=magic.triggers, client_secret=True)
    assert local.client_secret is not None
    local.create_user("alice", PASSWORD)
    no_hash = lambda: public.initiate_auth(  # noqa: E731
        ClientId=local.client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "alice"}
    )
    assert _refused(no_hash) == (
        "NotAuthorizedException",
        f"Client {local.client_id} is configured with secret but SECRET_HASH was not received",
    )
    step = _start(public, local)
    unsigned = lambda: public.respond_to_auth_challenge(  # noqa: E731
        ClientId=local.client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": magic.sent[-1]},
    )
    assert _refused(unsigned)[0] == "NotAuthorizedException"
    assert "AuthenticationResult" in _answer(public, local, step, magic.sent[-1])


def test_admin_initiate_auth(custom_pool: LocalPool, magic: MagicCode) -> None:
    admin = custom_pool.admin
    step = admin.admin_initiate_auth(
        UserPoolId=custom_pool.user_pool_id,
        ClientId=custom_pool.client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "alice"},
    )
    assert step["ChallengeName"] == "CUSTOM_CHALLENGE"
    done = admin.admin_respond_to_auth_challenge(
        UserPoolId=custom_pool.user_pool_id,
        ClientId=custom_pool.client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": magic.sent[-1]},
        ClientMetadata={"via": "admin"},
    )
    assert "AccessToken" in done["AuthenticationResult"]
    assert magic.of("Verify")[-1]["request"]["clientMetadata"] == {"via": "admin"}


def test_email_as_username(public: Any, make_pool: Any, magic: MagicCode) -> None:
    """USERNAME may be the e-mail; the events and challenge carry the internal username."""
    local: LocalPool = make_pool(triggers=magic.triggers, username_attributes=["email"])
    internal = local.create_user(EMAIL, PASSWORD, {"email": EMAIL})
    step = _start(public, local, EMAIL)
    assert step["ChallengeParameters"]["USERNAME"] == internal
    assert magic.events[0]["userName"] == internal
    assert "AuthenticationResult" in _answer(public, local, step, magic.sent[-1])


def test_default_pool_triggers(magic: MagicCode) -> None:
    """``LocalCognito(triggers=...)`` gives the default pool its triggers."""
    with LocalCognito(triggers=magic.triggers) as local:
        default = local.default
        default.create_user("alice", PASSWORD)
        public = public_client(default)
        step = _start(public, default)
        assert "AuthenticationResult" in _answer(public, default, step, magic.sent[-1])
