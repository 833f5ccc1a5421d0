"""Clients this project did not write (pycognito, plain boto3) and this library, against the
strict server: what AWS accepts works, what AWS refuses is refused."""

from __future__ import annotations

import base64
import json
import secrets
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP

from cognito_user_pool import NotAuthorizedError, Tokens
from cognito_user_pool.local import LocalCognito, LocalPool

from ._srp_client import secret_hash
from .conftest import PASSWORD, error_code, error_message, srp_login, srp_start

NEW_PASSWORD = "Fresh-horse-2!"
INCORRECT = "Incorrect username or password."
# pycognito calls datetime.utcnow(), deprecated from Python 3.12 on; the warning is not ours.
pycognito_warnings = pytest.mark.filterwarnings("ignore::DeprecationWarning:pycognito.*")


@pytest.fixture(params=[False, True], ids=["no-secret", "client-secret"])
def app(request: pytest.FixtureRequest, make_pool: Any) -> LocalPool:
    """A fresh pool whose app client has, or has not, a client secret."""
    return make_pool(client_secret=request.param)  # type: ignore[no-any-return]


@pytest.fixture
def admin(server: LocalCognito) -> Iterator[Any]:
    """An admin client as an app builds one: boto3 signing with dummy credentials."""
    client = boto3.client(
        "cognito-idp",
        region_name=server.region,
        endpoint_url=server.endpoint_url,
        aws_access_key_id="dummy",
        aws_secret_access_key="dummy",
        config=Config(retries={"total_max_attempts": 1}),
    )
    yield client
    client.close()


@pytest.fixture
def pycognito_user(
    server: LocalCognito, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[LocalPool, str], Cognito]]:
    """Factory for pycognito ``Cognito`` objects configured as an app configures them.

    The endpoint comes from ``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`` and the keys from
    ``COGNITO_JWKS`` (pycognito's own setting): given ``endpoint_url`` itself, pycognito would
    expect tokens issued by ``{endpoint}/{pool}``, while this server, like AWS, writes
    ``https://cognito-idp.{region}.amazonaws.com/{pool}`` into ``iss``.
    """
    monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", server.endpoint_url)
    made: list[Cognito] = []

    def make(local: LocalPool, username: str) -> Cognito:
        url = f"{local.endpoint_url}/{local.user_pool_id}/.well-known/jwks.json"
        with urllib.request.urlopen(url) as response:  # noqa: S310 - our loopback server
            monkeypatch.setenv("COGNITO_JWKS", response.read().decode())
        user = Cognito(
            local.user_pool_id,
            local.client_id,
            username=username,
            client_secret=local.client_secret,
        )
        made.append(user)
        return user

    yield make
    for user in made:
        user.client.close()


# ---- pycognito ---------------------------------------------------------------------------


@pycognito_warnings
def test_pycognito_session_calls(app: LocalPool, pycognito_user: Any) -> None:
    """pycognito signs in, reads the user, renews its access token and changes the password."""
    app.create_user("alice", PASSWORD, {"email": "alice@example.com"})
    user = pycognito_user(app, "alice")
    user.authenticate(PASSWORD)
    assert user.get_user().email == "alice@example.com"
    first = user.access_token
    user.renew_access_token()
    assert user.access_token != first
    user.change_password(PASSWORD, NEW_PASSWORD)
    again = pycognito_user(app, "alice")
    again.authenticate(NEW_PASSWORD)
    assert again.access_claims["username"] == "alice"


@pycognito_warnings
def test_pycognito_wrong_password_refused(app: LocalPool, pycognito_user: Any) -> None:
    """pycognito with a wrong password gets AWS's NotAuthorizedException, no Session error."""
    app.create_user("alice", PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        pycognito_user(app, "alice").authenticate("Wr0ng-password!")
    assert error_code(excinfo) == "NotAuthorizedException"
    assert error_message(excinfo) == INCORRECT


@pycognito_warnings
def test_pycognito_awssrp_authenticate_user(
    app: LocalPool, server: LocalCognito, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pycognito's lower-level AWSSRP.authenticate_user gets tokens with the right password."""
    app.create_user("alice", PASSWORD)
    monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", server.endpoint_url)
    client = boto3.client("cognito-idp", region_name=app.region)
    try:
        srp = AWSSRP(
            username="alice",
            password=PASSWORD,
            pool_id=app.user_pool_id,
            client_id=app.client_id,
            client=client,
            client_secret=app.client_secret,
        )
        assert "AccessToken" in srp.authenticate_user()["AuthenticationResult"]
    finally:
        client.close()


# ---- PASSWORD_VERIFIER answered without Session, as pycognito does -------------------------


def _answer(
    public: Any, local: LocalPool, responses: dict[str, str], client_id: str | None = None
) -> Any:
    """RespondToAuthChallenge(PASSWORD_VERIFIER) with no Session, the way pycognito sends it."""
    return public.respond_to_auth_challenge(
        ClientId=client_id or local.client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=responses,
    )


def test_sessionless_answer_signs_in(pool: LocalPool, public: Any) -> None:
    """A right proof without Session signs in: the SECRET_BLOCK names the exchange."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    result = _answer(public, pool, srp.responses(started["ChallengeParameters"]))
    assert "AccessToken" in result["AuthenticationResult"]


def test_sessionless_forged_block_refused(pool: LocalPool, public: Any) -> None:
    """A SECRET_BLOCK this server never issued is refused, even with a live exchange around."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    forged = base64.b64encode(secrets.token_bytes(1024)).decode()
    responses = srp.responses(started["ChallengeParameters"], secret_block=forged)
    responses["PASSWORD_CLAIM_SECRET_BLOCK"] = forged
    with pytest.raises(ClientError) as excinfo:
        _answer(public, pool, responses)
    assert (error_code(excinfo), error_message(excinfo)) == ("NotAuthorizedException", INCORRECT)


def test_sessionless_block_single_use(pool: LocalPool, public: Any) -> None:
    """A SECRET_BLOCK answers once: replaying a successful answer is refused."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    responses = srp.responses(started["ChallengeParameters"])
    _answer(public, pool, responses)
    with pytest.raises(ClientError) as excinfo:
        _answer(public, pool, responses)
    assert error_code(excinfo) == "NotAuthorizedException"


def test_sessionless_wrong_proof_spends_the_block(pool: LocalPool, public: Any) -> None:
    """A wrong password spends the exchange: the right proof on the same block is refused."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    params = started["ChallengeParameters"]
    with pytest.raises(ClientError) as excinfo:
        _answer(public, pool, srp.responses(params, password="Wr0ng-password!"))
    assert error_message(excinfo) == INCORRECT
    with pytest.raises(ClientError) as excinfo:
        _answer(public, pool, srp.responses(params))
    assert error_code(excinfo) == "NotAuthorizedException"


def test_sessionless_block_bound_to_client(
    server: LocalCognito, pool: LocalPool, public: Any
) -> None:
    """Another app client of the same pool cannot answer an exchange it did not start."""
    pool.create_user("alice", PASSWORD)
    other = server.create_client(pool.user_pool_id)
    srp, started = srp_start(public, pool, "alice")
    with pytest.raises(ClientError) as excinfo:
        _answer(
            public,
            pool,
            srp.responses(started["ChallengeParameters"]),
            client_id=other.client_id,
        )
    assert error_code(excinfo) == "NotAuthorizedException"


def test_sessionless_block_bound_to_user(pool: LocalPool, public: Any) -> None:
    """An answer naming another user than the exchange's is refused."""
    pool.create_user("alice", PASSWORD)
    pool.create_user("bob", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    responses = srp.responses(started["ChallengeParameters"])
    responses["USERNAME"] = "bob"
    with pytest.raises(ClientError) as excinfo:
        _answer(public, pool, responses)
    assert (error_code(excinfo), error_message(excinfo)) == ("NotAuthorizedException", INCORRECT)


def test_sessionless_block_expires(
    server: LocalCognito, pool: LocalPool, public: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SECRET_BLOCK older than the client's AuthSessionValidity (3 min) is refused."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    monkeypatch.setattr(server._strict, "time_offset", 181)
    with pytest.raises(ClientError) as excinfo:
        _answer(public, pool, srp.responses(started["ChallengeParameters"]))
    assert error_code(excinfo) == "NotAuthorizedException"


# ---- challenge answers that name the user by an alias (docs/cognito-facts.md#internal-username)


@pytest.fixture
def email_pool(make_pool: Any) -> LocalPool:
    """E-mail-as-username, client secret, SMS MFA always on."""
    return make_pool(client_secret=True, username_attributes=["email"], mfa="ON")  # type: ignore[no-any-return]


def _sms_step(public: Any, local: LocalPool, email: str) -> tuple[str, dict[str, Any], str]:
    """Sign ``email`` in up to the SMS_MFA challenge: (internal username, challenge, code)."""
    internal = local.create_user(email, PASSWORD, {"phone_number": "+15555550100"})
    step = srp_login(public, local, email)
    assert step["ChallengeName"] == "SMS_MFA"
    return internal, step, local.outbox.wait_for(username=internal, purpose="sms_mfa").code


def _answer_sms(
    public: Any, local: LocalPool, step: dict[str, Any], code: str, name: str, hashed: str
) -> Any:
    """Answer SMS_MFA with USERNAME ``name`` and a SECRET_HASH over ``hashed``."""
    assert local.client_secret is not None
    return public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="SMS_MFA",
        Session=step["Session"],
        ChallengeResponses={
            "USERNAME": name,
            "SMS_MFA_CODE": code,
            "SECRET_HASH": secret_hash(local.client_secret, hashed, local.client_id),
        },
    )


def test_sms_answer_with_internal_username(email_pool: LocalPool, public: Any) -> None:
    """SMS_MFA answered with the internal username (hash over it) signs in."""
    internal, step, code = _sms_step(public, email_pool, "ann@example.com")
    result = _answer_sms(public, email_pool, step, code, internal, internal)
    assert "AccessToken" in result["AuthenticationResult"]


def test_sms_answer_with_alias(email_pool: LocalPool, public: Any) -> None:
    """SMS_MFA answered with the e-mail (hash over the e-mail), as the Node library does."""
    _, step, code = _sms_step(public, email_pool, "ann@example.com")
    result = _answer_sms(public, email_pool, step, code, "ann@example.com", "ann@example.com")
    assert "AccessToken" in result["AuthenticationResult"]


def test_sms_answer_with_another_users_name_refused(email_pool: LocalPool, public: Any) -> None:
    """Another user's e-mail (with a hash over it) cannot answer this user's challenge."""
    email_pool.create_user("bob@example.com", PASSWORD)
    _, step, code = _sms_step(public, email_pool, "ann@example.com")
    with pytest.raises(ClientError) as excinfo:
        _answer_sms(public, email_pool, step, code, "bob@example.com", "bob@example.com")
    assert (error_code(excinfo), error_message(excinfo)) == ("NotAuthorizedException", INCORRECT)


@pytest.mark.parametrize("sent", ["alias", "internal"])
def test_sms_answer_hash_over_other_name_refused(
    email_pool: LocalPool, public: Any, sent: str
) -> None:
    """A SECRET_HASH over the other name than the USERNAME sent is refused."""
    internal, step, code = _sms_step(public, email_pool, "ann@example.com")
    name, hashed = (
        ("ann@example.com", internal) if sent == "alias" else (internal, "ann@example.com")
    )
    with pytest.raises(ClientError) as excinfo:
        _answer_sms(public, email_pool, step, code, name, hashed)
    assert error_code(excinfo) == "NotAuthorizedException"
    assert error_message(excinfo).startswith("Unable to verify secret hash")


@pytest.mark.parametrize("pool_kind", ["username_attributes", "alias_attributes"])
def test_new_password_answer_with_alias(make_pool: Any, public: Any, pool_kind: str) -> None:
    """NEW_PASSWORD_REQUIRED answered with the e-mail as USERNAME sets the password."""
    local: LocalPool = make_pool(client_secret=True, **{pool_kind: ["email"]})
    assert local.client_secret is not None
    username = "ann@example.com" if pool_kind == "username_attributes" else "ann"
    local.admin.admin_create_user(
        UserPoolId=local.user_pool_id,
        Username=username,
        TemporaryPassword="Temp-pass1!",
        UserAttributes=[
            {"Name": "email", "Value": "ann@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    step = srp_login(public, local, "ann@example.com", "Temp-pass1!")
    assert step["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=step["Session"],
        ChallengeResponses={
            "USERNAME": "ann@example.com",
            "NEW_PASSWORD": NEW_PASSWORD,
            "SECRET_HASH": secret_hash(local.client_secret, "ann@example.com", local.client_id),
        },
    )
    assert "AccessToken" in done["AuthenticationResult"]
    assert (
        "AccessToken"
        in srp_login(public, local, "ann@example.com", NEW_PASSWORD)["AuthenticationResult"]
    )


# ---- plain boto3 -------------------------------------------------------------------------


def _hash(local: LocalPool, username: str, key: str = "SecretHash") -> dict[str, str]:
    """``{key: SECRET_HASH}`` when the app client has a secret, else nothing."""
    if local.client_secret is None:
        return {}
    return {key: secret_hash(local.client_secret, username, local.client_id)}


def test_boto3_sign_up_and_confirm(app: LocalPool, public: Any, admin: Any) -> None:
    """boto3 SignUp, then ConfirmSignUp: a wrong code refused, the outbox code accepted."""
    signed_up = public.sign_up(
        ClientId=app.client_id,
        Username="carl",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "carl@example.com"}],
        **_hash(app, "carl"),
    )
    assert signed_up["UserConfirmed"] is False
    assert signed_up["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = app.outbox.wait_for(username="carl", purpose="signup").code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    confirm = {"ClientId": app.client_id, "Username": "carl", **_hash(app, "carl")}
    with pytest.raises(ClientError) as excinfo:
        public.confirm_sign_up(ConfirmationCode=wrong, **confirm)
    assert error_code(excinfo) == "CodeMismatchException"
    public.confirm_sign_up(ConfirmationCode=code, **confirm)
    user = admin.admin_get_user(UserPoolId=app.user_pool_id, Username="carl")
    assert user["UserStatus"] == "CONFIRMED"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email_verified"] == "true"


def test_boto3_password_and_refresh_auth(app: LocalPool, public: Any) -> None:
    """boto3 USER_PASSWORD_AUTH (right and wrong password) and REFRESH_TOKEN_AUTH."""
    app.create_user("dora", PASSWORD)
    login = {"ClientId": app.client_id, "AuthFlow": "USER_PASSWORD_AUTH"}
    with pytest.raises(ClientError) as excinfo:
        public.initiate_auth(
            AuthParameters={
                "USERNAME": "dora",
                "PASSWORD": "Wr0ng!",
                **_hash(app, "dora", "SECRET_HASH"),
            },
            **login,
        )
    assert (error_code(excinfo), error_message(excinfo)) == ("NotAuthorizedException", INCORRECT)
    tokens = public.initiate_auth(
        AuthParameters={
            "USERNAME": "dora",
            "PASSWORD": PASSWORD,
            **_hash(app, "dora", "SECRET_HASH"),
        },
        **login,
    )["AuthenticationResult"]
    refreshed = public.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={
            "REFRESH_TOKEN": tokens["RefreshToken"],
            **_hash(app, "dora", "SECRET_HASH"),
        },
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert public.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "dora"


def test_boto3_signed_admin_calls(app: LocalPool, admin: Any, public: Any) -> None:
    """Admin calls signed with dummy credentials create, read, update and sign in a user."""
    admin.admin_create_user(
        UserPoolId=app.user_pool_id,
        Username="erin",
        TemporaryPassword="Temp-pass1!",
        MessageAction="SUPPRESS",
    )
    admin.admin_set_user_password(
        UserPoolId=app.user_pool_id, Username="erin", Password=PASSWORD, Permanent=True
    )
    admin.admin_update_user_attributes(
        UserPoolId=app.user_pool_id,
        Username="erin",
        UserAttributes=[{"Name": "email", "Value": "erin@example.com"}],
    )
    user = admin.admin_get_user(UserPoolId=app.user_pool_id, Username="erin")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email", "Value": "erin@example.com"} in user["UserAttributes"]
    listed = admin.list_users(UserPoolId=app.user_pool_id)["Users"]
    assert [u["Username"] for u in listed] == ["erin"]
    result = admin.admin_initiate_auth(
        UserPoolId=app.user_pool_id,
        ClientId=app.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "erin",
            "PASSWORD": PASSWORD,
            **_hash(app, "erin", "SECRET_HASH"),
        },
    )
    claims = result["AuthenticationResult"]["AccessToken"].split(".")[1]
    payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert payload["username"] == "erin"


# ---- this library ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_library_login_profile_refresh(app: LocalPool) -> None:
    """AsyncUserPool logs in, reads the profile, refreshes; a wrong password is refused."""
    app.create_user("fay", PASSWORD, {"email": "fay@example.com"})
    async with app.pool() as pool:
        with pytest.raises(NotAuthorizedError):
            await pool.login(username="fay", password="Wr0ng-password!")
        tokens = await pool.login(username="fay", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        profile = await pool.profile(auth=tokens)
        assert (profile.username, profile.get("email")) == ("fay", "fay@example.com")
        assert tokens.refresh_token is not None
        refreshed = await pool.refresh_session(
            refresh_token=tokens.refresh_token, id_token=tokens.id_token
        )
        assert refreshed.access_token != tokens.access_token
        assert (await pool.profile(auth=refreshed)).username == "fay"
