"""Edge cases and refusals of the strict local Cognito that the other tests leave out: the
guard's host and signature rules, sign-in (SRP_A, challenge names, users gone mid-flow,
devices), custom authentication's corner cases, and state-file restores.

Each test asserts the exact AWS error code and the local message, plus what did not change.
"""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from pycognito.aws_srp import N_HEX, generate_hash_device

from cognito_user_pool.local import CustomAuthTriggers, LocalCognito, LocalPool, StateFileError
from cognito_user_pool.local._guard import GuardPolicy, is_loopback, is_loopback_peer

from ._srp_client import SrpClient
from .conftest import PASSWORD, error_code, error_message, password_login, srp_login, srp_start

Event = dict[str, Any]
APP_ORIGIN = "http://app.example:3000"
INCORRECT = ("NotAuthorizedException", "Incorrect username or password.")
SESSION_USED = (
    "NotAuthorizedException",
    "Invalid session for the user, session can only be used once.",
)


def refused(call: Callable[[], object]) -> tuple[str, str]:
    """The AWS error code and message of a call that must fail."""
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_code(excinfo), error_message(excinfo)


class Reply:
    """Status, lower-cased headers and JSON body of one raw HTTP exchange."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.getheaders()}
        raw = response.read()
        self.body: Any = json.loads(raw) if raw.strip().startswith(b"{") else None


def raw(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> Reply:
    """One request sent exactly as given."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        return Reply(conn.getresponse())
    finally:
        conn.close()


# ---- the guard ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def open_server() -> Iterator[LocalCognito]:
    """A server on ``localhost`` that allows one browser origin and serves /moto-api/."""
    with LocalCognito(
        default_pool=False, host="localhost", cors=APP_ORIGIN, moto_api=True
    ) as local:
        yield local


def test_localhost_is_loopback_and_names_are_not() -> None:
    """``is_loopback`` (which decides whether starting the server warns) takes ``localhost``
    and loopback addresses only; a host name is not an address. Called directly: binding a
    non-loopback name is not possible here."""
    assert is_loopback("localhost") and is_loopback("LOCALHOST")
    assert is_loopback("127.0.0.2") and is_loopback("[::1]")
    assert not is_loopback("example.org")
    assert not is_loopback("10.0.0.1")
    # A peer's address, bracketed or not.
    assert is_loopback_peer("[::1]") and is_loopback_peer("::ffff:127.0.0.1")
    assert not is_loopback_peer("[2001:db8::1]") and not is_loopback_peer(None)


def test_a_server_on_localhost_starts_without_warning(caplog: pytest.LogCaptureFixture) -> None:
    """Bound to ``localhost``, the server is loopback-only: no "other machines" warning, and
    its loopback-only endpoint answers."""
    with (
        caplog.at_level(logging.WARNING, logger="cognito_user_pool.local._server"),
        LocalCognito(default_pool=False, host="localhost") as local,
    ):
        reply = raw(local.port, "GET", "/_local/outbox")
    assert reply.status == 200
    assert not any("other machines" in r.getMessage() for r in caplog.records)


def test_port_80_hosts_may_leave_the_port_out() -> None:
    """On port 80 clients send ``Host: localhost`` without the port; both forms are the
    server's own names, other ports are not. (GuardPolicy directly: binding port 80 needs
    privileges.)"""
    policy = GuardPolicy(bind_host="127.0.0.1", port=80)
    assert policy.host_allowed("localhost") and policy.host_allowed("localhost:80")
    assert policy.host_allowed("127.0.0.1")
    assert not policy.host_allowed("localhost:8080")
    assert not policy.host_allowed("evil.example")
    other = GuardPolicy(bind_host="127.0.0.1", port=8080)
    assert not other.host_allowed("localhost")


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("10.1.2.3:4566", True),
        ("[fe80::1]:4566", True),
        ("LOCALHOST:4566", True),
        ("evil.example:4566", False),  # a name: DNS rebinding
        ("10.1.2.3", False),  # no port
        ("10.1.2.3:4567", False),  # another port
        ("fe80::1:4566", False),  # an IPv6 literal must be bracketed
        ("[not-an-ip]:4566", False),
    ],
)
def test_a_wildcard_bind_takes_ip_literals_with_its_port(host: str, allowed: bool) -> None:
    """Bound to every interface the server's addresses are unknown: any IP literal with the
    server's port is taken, no other name. (GuardPolicy directly: the test must not listen
    on every interface.)"""
    assert GuardPolicy(bind_host="0.0.0.0", port=4566).host_allowed(host) is allowed  # noqa: S104


def test_a_specific_bind_address_takes_only_itself() -> None:
    """Bound to one address, that address and the loopback names are the only hosts."""
    policy = GuardPolicy(bind_host="10.0.0.5", port=4566)
    assert policy.host_allowed("10.0.0.5:4566")
    assert not policy.host_allowed("10.0.0.6:4566")


def test_moto_api_answers_when_asked_for(open_server: LocalCognito) -> None:
    """With moto_api=True a /moto-api/ path reaches moto (GET data.json only: reset would
    wipe every pool of the process)."""
    pool = open_server.create_pool()
    try:
        reply = raw(open_server.port, "GET", "/moto-api/data.json")
        assert reply.status == 200
        assert reply.body is not None and "cognitoidp" in reply.body
        assert pool.user_pool_id in json.dumps(reply.body["cognitoidp"])
    finally:
        open_server.delete_pool(pool.user_pool_id)


def test_a_signature_of_another_algorithm_is_incomplete(server: LocalCognito) -> None:
    """A header with every SigV4 part but another algorithm (or a malformed scope) does not
    conform: IncompleteSignatureException, HTTP 400."""
    credential = "AKIDEXAMPLE/20240101/us-east-1/cognito-idp/aws4_request"
    headers = {
        "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUsers",
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Date": "20240101T000000Z",
    }
    signature = "0" * 64
    for authorization in (
        f"AWS4-HMAC-SHA1 Credential={credential}, SignedHeaders=host, Signature={signature}",
        f"AWS4-HMAC-SHA256 Credential=bad, SignedHeaders=host, Signature={signature}",
        f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=Host;, Signature={signature}",
        f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host, Signature=xyz",
    ):
        reply = raw(
            server.port,
            "POST",
            "/",
            b'{"UserPoolId": "us-east-1_none"}',
            {**headers, "Authorization": authorization},
        )
        assert reply.status == 400, authorization
        assert reply.body == {
            "__type": "IncompleteSignatureException",
            "message": "The request signature does not conform to AWS standards.",
        }


def _preflight(local: LocalCognito, requested: str) -> Reply:
    return raw(
        local.port,
        "OPTIONS",
        "/",
        headers={
            "Origin": APP_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": requested,
        },
    )


@pytest.mark.parametrize("requested", ["", "x-amz-target;evil", "x-amz-target, <script>"])
def test_a_preflight_echoes_only_well_formed_header_lists(
    open_server: LocalCognito, requested: str
) -> None:
    """An allowed origin's preflight is answered, but a requested header list that is empty
    or not a list of header names is not echoed back."""
    reply = _preflight(open_server, requested)
    assert reply.status == 204
    assert reply.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "access-control-allow-headers" not in reply.headers
    good = _preflight(open_server, "content-type, x-amz-target")
    assert good.headers["access-control-allow-headers"] == "content-type, x-amz-target"


# ---- clients and access tokens (_common) ------------------------------------------------------


def test_an_unknown_client_id(public: Any) -> None:
    """A ClientId of no pool: ResourceNotFoundException naming it."""
    client_id = "0123456789abcdefghijklmnop"
    assert refused(
        lambda: public.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        )
    ) == ("ResourceNotFoundException", f"User pool client {client_id} does not exist.")


def _unvalidated_public(local: LocalCognito) -> Any:
    """An unsigned client that sends what botocore's model would refuse."""
    return boto3.client(
        "cognito-idp",
        region_name=local.region,
        endpoint_url=local.endpoint_url,
        config=Config(
            signature_version=botocore.UNSIGNED,
            parameter_validation=False,
            retries={"total_max_attempts": 1},
        ),
    )


def test_an_empty_access_token(server: LocalCognito) -> None:
    """GetUser with an empty AccessToken: the parameter is missing."""
    client = _unvalidated_public(server)
    try:
        assert refused(lambda: client.get_user(AccessToken="")) == (
            "InvalidParameterException",
            "Missing required parameter AccessToken",
        )
    finally:
        client.close()


def test_the_access_token_of_a_deleted_pool(server: LocalCognito, public: Any) -> None:
    """A token whose pool is gone is no longer a valid access token."""
    local = server.create_pool()
    local.create_user("alice", PASSWORD)
    token = password_login(public, local, "alice")["AuthenticationResult"]["AccessToken"]
    assert public.get_user(AccessToken=token)["Username"] == "alice"
    server.delete_pool(local.user_pool_id)
    assert refused(lambda: public.get_user(AccessToken=token)) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )


def test_a_forged_access_token(pool: LocalPool, public: Any) -> None:
    """A well-formed access token this server never issued (claims copied, signature
    changed) is invalid."""
    pool.create_user("alice", PASSWORD)
    token = password_login(public, pool, "alice")["AuthenticationResult"]["AccessToken"]
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{'A' * len(signature)}"
    assert refused(lambda: public.get_user(AccessToken=forged)) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )
    assert public.get_user(AccessToken=token)["Username"] == "alice"


def test_a_user_disabled_mid_sign_in_gets_no_tokens(pool: LocalPool, public: Any) -> None:
    """A user disabled between InitiateAuth and the PASSWORD_VERIFIER answer is refused at
    the answer ("a deactivated user can't sign in": API reference, AdminDisableUser), and the
    session is spent; enabled again, the user signs in."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    pool.admin.admin_disable_user(UserPoolId=pool.user_pool_id, Username="alice")

    def answer() -> object:
        return public.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=started["Session"],
            ChallengeResponses=srp.responses(started["ChallengeParameters"]),
        )

    assert refused(answer) == ("NotAuthorizedException", "User is disabled.")
    pool.admin.admin_enable_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert refused(answer) == SESSION_USED
    assert "AccessToken" in srp_login(public, pool, "alice")["AuthenticationResult"]


# ---- sign-in (auth) ---------------------------------------------------------------------------


def test_legacy_admin_no_srp_auth_allows_the_admin_password_flow(
    server: LocalCognito, pool: LocalPool, public: Any
) -> None:
    """A client with the legacy ``ADMIN_NO_SRP_AUTH`` allows ADMIN_USER_PASSWORD_AUTH (its
    ALLOW_ name) but not USER_PASSWORD_AUTH."""
    pool.create_user("alice", PASSWORD)
    legacy = server.create_client(pool.user_pool_id, explicit_auth_flows=["ADMIN_NO_SRP_AUTH"])
    done = pool.admin.admin_initiate_auth(
        UserPoolId=pool.user_pool_id,
        ClientId=legacy.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert "AccessToken" in done["AuthenticationResult"]
    assert refused(lambda: password_login(public, legacy, "alice")) == (
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client",
    )


@pytest.mark.parametrize(
    ("srp_a", "message"),
    [
        ("not-hex", "SRP_A is not hexadecimal"),
        ("0", "SRP_A mod N cannot be 0"),
        (N_HEX, "SRP_A mod N cannot be 0"),
    ],
)
def test_a_bad_srp_a(pool: LocalPool, public: Any, srp_a: str, message: str) -> None:
    """SRP_A must be a hex number that is not a multiple of N; no session is started."""
    pool.create_user("alice", PASSWORD)
    assert refused(
        lambda: public.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "alice", "SRP_A": srp_a},
        )
    ) == ("InvalidParameterException", message)


def test_admin_respond_names_another_pool(
    server: LocalCognito, pool: LocalPool, public: Any
) -> None:
    """AdminRespondToAuthChallenge with a UserPoolId that is not the client's pool: the
    client does not exist there; the session is still good for the right pool."""
    other = server.create_pool()
    try:
        pool.create_user("alice", PASSWORD)
        srp, started = srp_start(public, pool, "alice")
        responses = srp.responses(started["ChallengeParameters"])
        call = {
            "ClientId": pool.client_id,
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": started["Session"],
            "ChallengeResponses": responses,
        }
        assert refused(
            lambda: pool.admin.admin_respond_to_auth_challenge(
                UserPoolId=other.user_pool_id, **call
            )
        ) == ("ResourceNotFoundException", f"User pool client {pool.client_id} does not exist.")
        done = pool.admin.admin_respond_to_auth_challenge(UserPoolId=pool.user_pool_id, **call)
        assert "AccessToken" in done["AuthenticationResult"]
    finally:
        server.delete_pool(other.user_pool_id)


def test_an_answer_under_another_challenge_name(pool: LocalPool, public: Any) -> None:
    """A PASSWORD_VERIFIER session answered as SMS_MFA is refused without spending it."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    responses = srp.responses(started["ChallengeParameters"])

    def answer(name: str) -> Any:
        return public.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName=name,
            Session=started["Session"],
            ChallengeResponses=responses,
        )

    assert refused(lambda: answer("SMS_MFA")) == (
        "InvalidParameterException",
        "Invalid challenge name SMS_MFA for this session.",
    )
    assert "AccessToken" in answer("PASSWORD_VERIFIER")["AuthenticationResult"]


def test_a_user_deleted_mid_sign_in(pool: LocalPool, public: Any) -> None:
    """The session's user was deleted: UserNotFoundException, and the session is spent."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    responses = srp.responses(started["ChallengeParameters"])
    pool.admin.admin_delete_user(UserPoolId=pool.user_pool_id, Username="alice")

    def answer() -> Any:
        return public.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=started["Session"],
            ChallengeResponses=responses,
        )

    assert refused(answer) == ("UserNotFoundException", "User does not exist.")
    pool.create_user("alice", PASSWORD)  # the same name again: the session stays spent
    assert refused(answer) == SESSION_USED


def test_new_password_required_needs_the_new_password(pool: LocalPool, public: Any) -> None:
    """A NEW_PASSWORD_REQUIRED answer without NEW_PASSWORD is refused and the session kept."""
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="alice",
        TemporaryPassword=PASSWORD,
        MessageAction="SUPPRESS",
    )
    step = password_login(public, pool, "alice")
    assert step["ChallengeName"] == "NEW_PASSWORD_REQUIRED"

    def answer(**extra: str) -> Any:
        return public.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=step["Session"],
            ChallengeResponses={"USERNAME": "alice", **extra},
        )

    assert refused(answer) == (
        "InvalidParameterException",
        "Missing required parameter NEW_PASSWORD",
    )
    assert refused(lambda: answer(NEW_PASSWORD="")) == (
        "InvalidParameterException",
        "Missing required parameter NEW_PASSWORD",
    )
    assert "AccessToken" in answer(NEW_PASSWORD="N3w-horse-staple!")["AuthenticationResult"]


def _device(public: Any, local: LocalPool) -> tuple[str, str]:
    """alice with a confirmed device: (its key, alice's access token)."""
    local.create_user("alice", PASSWORD)
    result = srp_login(public, local, "alice")["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    _, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    public.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=meta["DeviceKey"],
        DeviceSecretVerifierConfig=verifier,
    )
    return str(meta["DeviceKey"]), str(result["AccessToken"])


def _device_step(public: Any, local: LocalPool, device_key: str) -> Any:
    step = public.initiate_auth(
        ClientId=local.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD, "DEVICE_KEY": device_key},
    )
    assert step["ChallengeName"] == "DEVICE_SRP_AUTH"
    return step


@pytest.mark.parametrize(
    ("which", "expected"),
    [
        ("other-key", ("ResourceNotFoundException", "Device does not exist.")),
        ("zero-a", ("InvalidParameterException", "SRP_A mod N cannot be 0")),
    ],
)
def test_device_srp_auth_refusals(
    make_pool: Any, public: Any, which: str, expected: tuple[str, str]
) -> None:
    """DEVICE_SRP_AUTH answered for a device key other than the session's, or with an SRP_A
    that is a multiple of N; either way the session is spent."""
    local: LocalPool = make_pool(remember_devices="always")
    device_key, _ = _device(public, local)
    step = _device_step(public, local, device_key)
    other = f"{local.region}_00000000-0000-0000-0000-000000000000"
    responses = {
        "USERNAME": "alice",
        "DEVICE_KEY": other if which == "other-key" else device_key,
        "SRP_A": "0" if which == "zero-a" else "abc123",
    }

    def answer() -> Any:
        return public.respond_to_auth_challenge(
            ClientId=local.client_id,
            ChallengeName="DEVICE_SRP_AUTH",
            Session=step["Session"],
            ChallengeResponses=responses,
        )

    assert refused(answer) == expected
    assert refused(answer) == SESSION_USED


def test_password_verifier_without_session_and_a_block_that_is_not_base64(
    pool: LocalPool, public: Any
) -> None:
    """PASSWORD_VERIFIER may come without Session (the SECRET_BLOCK names the exchange); a
    block that is not base64 names none: Incorrect username or password."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    responses = srp.responses(started["ChallengeParameters"])
    bad = {**responses, "PASSWORD_CLAIM_SECRET_BLOCK": "%%% not base64 %%%"}
    assert (
        refused(
            lambda: public.respond_to_auth_challenge(
                ClientId=pool.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=bad
            )
        )
        == INCORRECT
    )
    done = public.respond_to_auth_challenge(
        ClientId=pool.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_password_moto_holds_is_adopted(pool: LocalPool, public: Any) -> None:
    """A password set in moto's user by a path the strict layer does not own (none today;
    moto's own operations could) becomes the user's verifier at the next check, and moto is
    left with a placeholder again."""
    from cognito_user_pool.local._ops._common import find_pool, find_user

    pool.create_user("alice", PASSWORD)
    user = find_user(find_pool(pool.user_pool_id), "alice")
    assert user is not None and user.password != PASSWORD
    user.password = "Moto-set-pass-1!"
    assert refused(lambda: password_login(public, pool, "alice")) == INCORRECT
    assert user.password not in ("Moto-set-pass-1!", PASSWORD)
    assert (
        "AccessToken"
        in srp_login(public, pool, "alice", "Moto-set-pass-1!")["AuthenticationResult"]
    )


# ---- custom authentication --------------------------------------------------------------------


class Magic:
    """Minimal define / create / verify triggers: SRP first when asked, then one code."""

    def __init__(self, *, public: Any = None, metadata: Any = None, private: bool = True) -> None:
        self.public, self.metadata, self.private = public, metadata, private
        self.events: list[Event] = []

    def define(self, event: Event) -> Event:
        self.events.append(event)
        session = event["request"]["session"]
        last = session[-1] if session else None
        response = event["response"]
        response.update(issueTokens=False, failAuthentication=False)
        if last is not None and last["challengeName"] == "SRP_A":
            response["challengeName"] = "PASSWORD_VERIFIER"
        elif last is not None and last["challengeName"] == "CUSTOM_CHALLENGE":
            response["issueTokens"] = bool(last["challengeResult"])
            response["failAuthentication"] = not last["challengeResult"]
        else:
            response["challengeName"] = "CUSTOM_CHALLENGE"
        return event

    def create(self, event: Event) -> Event:
        self.events.append(event)
        event["response"]["publicChallengeParameters"] = self.public
        event["response"]["privateChallengeParameters"] = {"code": "424242"}
        event["response"]["challengeMetadata"] = self.metadata
        return event

    def verify(self, event: Event) -> Event:
        self.events.append(event)
        request = event["request"]
        event["response"]["answerCorrect"] = request["challengeAnswer"] == "424242"
        return event

    @property
    def triggers(self) -> CustomAuthTriggers:
        return CustomAuthTriggers(define=self.define, create=self.create, verify=self.verify)


def _custom_start(public: Any, local: LocalPool, username: str = "alice", **auth: str) -> Any:
    return public.initiate_auth(
        ClientId=local.client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": username, **auth},
    )


def _custom_answer(public: Any, local: LocalPool, step: Any, username: str, answer: str) -> Any:
    return public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": username, "ANSWER": answer},
    )


def _prevent_existence_errors(local: LocalPool) -> None:
    local.admin.update_user_pool_client(
        UserPoolId=local.user_pool_id,
        ClientId=local.client_id,
        ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )


def test_create_without_public_parameters(make_pool: Any, public: Any) -> None:
    """A create trigger that leaves publicChallengeParameters null: the challenge carries
    USERNAME only, and the sign-in still completes."""
    magic = Magic(public=None)
    local: LocalPool = make_pool(triggers=magic.triggers)
    local.create_user("alice", PASSWORD)
    step = _custom_start(public, local)
    assert step["ChallengeParameters"] == {"USERNAME": "alice"}
    done = _custom_answer(public, local, step, "alice", "424242")
    assert "AccessToken" in done["AuthenticationResult"]


def test_create_with_metadata_that_is_not_text(make_pool: Any, public: Any) -> None:
    """challengeMetadata must be a string: a number is an unrecognizable lambda output."""
    magic = Magic(public={"hint": "mail"}, metadata=7)
    local: LocalPool = make_pool(triggers=magic.triggers)
    local.create_user("alice", PASSWORD)
    assert refused(lambda: _custom_start(public, local)) == (
        "InvalidLambdaResponseException",
        "Unrecognizable lambda output",
    )


def test_custom_auth_of_an_unconfirmed_user(make_pool: Any, public: Any) -> None:
    """An unconfirmed user is refused before any trigger runs."""
    magic = Magic()
    local: LocalPool = make_pool(triggers=magic.triggers)
    local.create_user("alice", PASSWORD)
    public.sign_up(
        ClientId=local.client_id,
        Username="bob",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    assert refused(lambda: _custom_start(public, local, "bob")) == (
        "UserNotConfirmedException",
        "User is not confirmed.",
    )
    assert magic.events == []


def test_srp_first_for_a_user_not_found(make_pool: Any, public: Any) -> None:
    """PreventUserExistenceErrors on, SRP first for a user that does not exist: define asks
    PASSWORD_VERIFIER, which is refused as wrong credentials (no SRP exchange is started)."""
    magic = Magic()
    local: LocalPool = make_pool(triggers=magic.triggers)
    _prevent_existence_errors(local)
    srp = SrpClient(local.user_pool_id, local.client_id, "nobody", PASSWORD)
    auth = {**srp.auth_parameters(), "CHALLENGE_NAME": "SRP_A"}
    assert refused(lambda: _custom_start(public, local, **auth)) == INCORRECT
    assert len(magic.events) == 1
    assert magic.events[0]["request"]["userNotFound"] is True


def test_srp_first_with_a_non_english_timestamp(make_pool: Any, public: Any) -> None:
    """The SRP-first PASSWORD_VERIFIER answer with a TIMESTAMP not in English:
    InvalidParameterException with AWS's wording; define never hears of it."""
    magic = Magic()
    local: LocalPool = make_pool(triggers=magic.triggers)
    local.create_user("alice", PASSWORD)
    srp = SrpClient(local.user_pool_id, local.client_id, "alice", PASSWORD)
    auth = {**srp.auth_parameters(), "CHALLENGE_NAME": "SRP_A"}
    step = _custom_start(public, local, **auth)
    assert step["ChallengeName"] == "PASSWORD_VERIFIER"
    defined = len([e for e in magic.events if "session" in e["request"]])
    responses = srp.responses(
        step["ChallengeParameters"], timestamp="dim. nov. 1 05:03:09 UTC 2026"
    )
    assert refused(
        lambda: public.respond_to_auth_challenge(
            ClientId=local.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=step["Session"],
            ChallengeResponses=responses,
        )
    ) == (
        "InvalidParameterException",
        "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english",
    )
    assert len([e for e in magic.events if "session" in e["request"]]) == defined


def test_an_unknown_users_answer_under_another_name(make_pool: Any, public: Any) -> None:
    """PreventUserExistenceErrors on: the answer for a user not found must name that same
    user; another name is wrong credentials, and verify is not called."""
    magic = Magic(public={"hint": "mail"})
    local: LocalPool = make_pool(triggers=magic.triggers)
    local.create_user("alice", PASSWORD)
    _prevent_existence_errors(local)
    step = _custom_start(public, local, "nobody")
    assert step["ChallengeParameters"]["USERNAME"] == "nobody"
    before = len(magic.events)
    assert refused(lambda: _custom_answer(public, local, step, "alice", "424242")) == INCORRECT
    assert len(magic.events) == before
    assert refused(lambda: _custom_answer(public, local, step, "nobody", "424242")) == INCORRECT


# ---- state files ------------------------------------------------------------------------------


def _saved(path: Path) -> dict[str, Any]:
    """A state file with alice (a password) and a pending sign-up code for bob."""
    with LocalCognito(state=path) as local:
        local.default.create_user("alice", PASSWORD)
        client = boto3.client(
            "cognito-idp",
            region_name=local.region,
            endpoint_url=local.endpoint_url,
            config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}),
        )
        client.sign_up(
            ClientId=local.client_id,
            Username="bob",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        )
        client.close()
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_a_code_of_an_unknown_purpose_is_refused(tmp_path: Path) -> None:
    """A pending code whose purpose this server does not know makes the file malformed."""
    path = tmp_path / "state.json"
    document = _saved(path)
    document["pools"][0]["codes"][0]["purpose"] = "telepathy"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(StateFileError, match=r"is malformed \(ValueError\)"):
        LocalCognito(state=path).start()


def test_a_code_of_a_user_no_longer_there_is_dropped(tmp_path: Path) -> None:
    """A pending code for a user the file does not hold is skipped; the others come back."""
    path = tmp_path / "state.json"
    document = _saved(path)
    codes = document["pools"][0]["codes"]
    assert [c["username"] for c in codes] == ["bob"]
    codes.append({**codes[0], "username": "ghost", "code": "123456"})
    path.write_text(json.dumps(document), encoding="utf-8")
    with LocalCognito(state=path) as local:
        assert [m.username for m in local.default.outbox] == ["bob"]


def test_a_user_without_a_password_cannot_sign_in(tmp_path: Path) -> None:
    """A user whose saved state holds no password verifier: any password is wrong."""
    path = tmp_path / "state.json"
    document = _saved(path)
    for user in document["pools"][0]["users"]:
        if user["username"] == "alice":
            user["srp"] = None
    path.write_text(json.dumps(document), encoding="utf-8")
    with LocalCognito(state=path) as local:
        client = boto3.client(
            "cognito-idp",
            region_name=local.region,
            endpoint_url=local.endpoint_url,
            config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}),
        )
        try:
            assert refused(lambda: password_login(client, local.default, "alice")) == INCORRECT
        finally:
            client.close()


def test_a_new_code_never_repeats_a_superseded_one(
    pool: LocalPool, public: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resent code is drawn again while it equals a superseded one (the random source is
    replaced here so that the second draw repeats the first)."""
    import secrets

    draws = iter([111111, 111111, 222222])
    real = secrets.randbelow

    def randbelow(n: int) -> int:
        return next(draws, None) or real(n)

    monkeypatch.setattr(secrets, "randbelow", randbelow)
    public.sign_up(
        ClientId=pool.client_id,
        Username="bob",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    assert pool.outbox.wait_for(username="bob", purpose="signup").code == "111111"
    public.resend_confirmation_code(ClientId=pool.client_id, Username="bob")
    monkeypatch.setattr(secrets, "randbelow", real)
    codes = [m.code for m in pool.outbox if m.username == "bob"]
    assert codes == ["111111", "222222"]
    assert refused(
        lambda: public.confirm_sign_up(
            ClientId=pool.client_id, Username="bob", ConfirmationCode="111111"
        )
    ) == ("ExpiredCodeException", "Invalid code provided, please request a code again.")
    public.confirm_sign_up(ClientId=pool.client_id, Username="bob", ConfirmationCode="222222")
