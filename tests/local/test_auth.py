"""Sign-in through the strict server: SRP, passwords, sessions, SECRET_HASH, refresh."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalPool

from ._srp_client import SrpClient, secret_hash
from .conftest import PASSWORD, error_code, error_message, password_login, srp_login, srp_start


def test_srp_right_password_gets_tokens(pool: LocalPool, public: Any) -> None:
    """A correct SRP proof yields access, id and refresh tokens."""
    pool.create_user("alice", PASSWORD)
    result = srp_login(public, pool, "alice")["AuthenticationResult"]
    assert {"AccessToken", "IdToken", "RefreshToken"} <= result.keys()
    assert result["ExpiresIn"] == 3600


def test_srp_wrong_password_refused(pool: LocalPool, public: Any) -> None:
    """A proof made with the wrong password gets NotAuthorizedException."""
    pool.create_user("alice", PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        srp_login(public, pool, "alice", "Wr0ng-password!")
    assert error_code(excinfo) == "NotAuthorizedException"
    assert error_message(excinfo) == "Incorrect username or password."


def test_srp_challenge_parameters_are_real(pool: LocalPool, public: Any) -> None:
    """SALT and SRP_B are big hex numbers, not uuids, and SECRET_BLOCK is base64."""
    pool.create_user("alice", PASSWORD)
    _, started = srp_start(public, pool, "alice")
    params = started["ChallengeParameters"]
    assert int(params["SRP_B"], 16).bit_length() > 3000
    assert int(params["SALT"], 16) > 0
    assert len(params["SECRET_BLOCK"]) > 100


def test_user_id_for_srp_plain_pool(pool: LocalPool, public: Any) -> None:
    """In a plain-username pool USER_ID_FOR_SRP and USERNAME are the username."""
    pool.create_user("alice", PASSWORD)
    _, started = srp_start(public, pool, "alice")
    assert started["ChallengeParameters"]["USER_ID_FOR_SRP"] == "alice"
    assert started["ChallengeParameters"]["USERNAME"] == "alice"


def test_user_id_for_srp_email_pool(make_pool: Any, public: Any) -> None:
    """With email as username, USER_ID_FOR_SRP and USERNAME are the internal uuid (the sub)."""
    local = make_pool(username_attributes=["email"])
    internal = local.create_user("carol@example.com", PASSWORD, {"email_verified": "true"})
    client = public
    _, started = srp_start(client, local, "carol@example.com")
    params = started["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == internal == params["USERNAME"]
    assert internal != "carol@example.com"
    sub = {
        a["Name"]: a["Value"]
        for a in local.admin.admin_get_user(UserPoolId=local.user_pool_id, Username=internal)[
            "UserAttributes"
        ]
    }["sub"]
    assert internal == sub
    result = srp_login(client, local, "carol@example.com")
    assert "AccessToken" in result["AuthenticationResult"]


def test_alias_pool_signs_in_with_verified_email(make_pool: Any, public: Any) -> None:
    """In an alias pool a verified e-mail works and USER_ID_FOR_SRP is the real username."""
    local = make_pool(alias_attributes=["email"])
    local.create_user("dave", PASSWORD, {"email": "dave@example.com", "email_verified": "true"})
    client = public
    _, started = srp_start(client, local, "dave@example.com")
    assert started["ChallengeParameters"]["USER_ID_FOR_SRP"] == "dave"
    assert "AccessToken" in srp_login(client, local, "dave@example.com")["AuthenticationResult"]


@pytest.mark.parametrize(
    ("timestamp", "code"),
    [
        ("Sun Nov 01 05:03:09 UTC 2026", "NotAuthorizedException"),
        ("Mon Nov 1 05:03:09 UTC 2026", "NotAuthorizedException"),
        ("dim. nov. 1 05:03:09 UTC 2026", "InvalidParameterException"),
    ],
)
def test_srp_timestamp_format_checked(
    pool: LocalPool, public: Any, timestamp: str, code: str
) -> None:
    """Padded day or wrong weekday: NotAuthorized; non-English: InvalidParameter
    (docs/cognito-facts.md#srp-timestamp)."""
    pool.create_user("alice", PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        srp_login(public, pool, "alice", timestamp=timestamp)
    assert error_code(excinfo) == code


def test_srp_tampered_secret_block_refused(pool: LocalPool, public: Any) -> None:
    """Echoing a secret block other than the one sent is refused."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    responses = srp.responses(started["ChallengeParameters"])
    responses["PASSWORD_CLAIM_SECRET_BLOCK"] = "AAAA" + responses["PASSWORD_CLAIM_SECRET_BLOCK"][4:]
    with pytest.raises(ClientError) as excinfo:
        public.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=started["Session"],
            ChallengeResponses=responses,
        )
    assert error_code(excinfo) == "NotAuthorizedException"


def test_session_is_single_use(pool: LocalPool, public: Any) -> None:
    """A PASSWORD_VERIFIER session cannot be replayed, even with a valid proof."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    responses = srp.responses(started["ChallengeParameters"])
    kwargs = {
        "ClientId": pool.client_id,
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": started["Session"],
        "ChallengeResponses": responses,
    }
    public.respond_to_auth_challenge(**kwargs)
    with pytest.raises(ClientError) as excinfo:
        public.respond_to_auth_challenge(**kwargs)
    assert error_code(excinfo) == "NotAuthorizedException"
    assert "only be used once" in error_message(excinfo)


def test_unknown_session_refused(pool: LocalPool, public: Any) -> None:
    """A made-up session is refused with NotAuthorizedException."""
    pool.create_user("alice", PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        public.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session="x" * 40,
            ChallengeResponses={"USERNAME": "alice"},
        )
    assert error_code(excinfo) == "NotAuthorizedException"


def test_expired_session_refused(
    server: Any, pool: LocalPool, public: Any, monkeypatch: Any
) -> None:
    """A session older than AuthSessionValidity (3 min) is refused."""
    pool.create_user("alice", PASSWORD)
    srp, started = srp_start(public, pool, "alice")
    monkeypatch.setattr(server._strict, "time_offset", 181)
    with pytest.raises(ClientError) as excinfo:
        public.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=started["Session"],
            ChallengeResponses=srp.responses(started["ChallengeParameters"]),
        )
    assert error_code(excinfo) == "NotAuthorizedException"
    assert "expired" in error_message(excinfo)


def test_unknown_user_at_initiate(pool: LocalPool, public: Any) -> None:
    """InitiateAuth for a user that does not exist raises UserNotFoundException."""
    with pytest.raises(ClientError) as excinfo:
        srp_start(public, pool, "nobody")
    assert error_code(excinfo) == "UserNotFoundException"


def test_password_auth_checks_password(pool: LocalPool, public: Any) -> None:
    """USER_PASSWORD_AUTH accepts the right password and refuses a wrong one."""
    pool.create_user("alice", PASSWORD)
    assert "AccessToken" in password_login(public, pool, "alice")["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        password_login(public, pool, "alice", "Wr0ng-password!")
    assert error_code(excinfo) == "NotAuthorizedException"


def test_unconfirmed_user_cannot_sign_in(pool: LocalPool, public: Any) -> None:
    """A signed-up but unconfirmed user gets UserNotConfirmedException after the proof."""
    public.sign_up(
        ClientId=pool.client_id,
        Username="eve",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "eve@example.com"}],
    )
    with pytest.raises(ClientError) as excinfo:
        srp_login(public, pool, "eve")
    assert error_code(excinfo) == "UserNotConfirmedException"


def test_new_password_required_then_srp_with_new_password(pool: LocalPool, public: Any) -> None:
    """An admin-created user answers NEW_PASSWORD_REQUIRED; the new password works with SRP."""
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="frank",
        TemporaryPassword="Temp-pass1!",
        MessageAction="SUPPRESS",
    )
    first = srp_login(public, pool, "frank", "Temp-pass1!")
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    params = first["ChallengeParameters"]
    assert (params["USER_ID_FOR_SRP"], params["requiredAttributes"]) == ("frank", "[]")
    assert "sub" not in json.loads(params["userAttributes"])  # the attributes, bar sub
    done = public.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={
            "USERNAME": "frank",
            "NEW_PASSWORD": "Brand-new-pass1!",
            "userAttributes.name": "Frank",
        },
    )
    assert "AccessToken" in done["AuthenticationResult"]
    with pytest.raises(ClientError):
        srp_login(public, pool, "frank", "Temp-pass1!")
    assert (
        "AccessToken"
        in srp_login(public, pool, "frank", "Brand-new-pass1!")["AuthenticationResult"]
    )


def test_invitation_in_outbox(pool: LocalPool, public: Any) -> None:
    """AdminCreateUser without a temporary password "sends" a generated one that works."""
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="gina",
        UserAttributes=[{"Name": "email", "Value": "gina@example.com"}],
    )
    invitation = pool.outbox.wait_for(username="gina", purpose="invitation")
    assert invitation.destination == "gina@example.com"
    first = srp_login(public, pool, "gina", invitation.code)
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_secret_hash_required_and_checked(make_pool: Any, public: Any) -> None:
    """With a client secret, a missing or wrong SECRET_HASH is refused; the right one passes."""
    local = make_pool(client_secret=True)
    local.create_user("alice", PASSWORD)
    client = public
    srp = SrpClient(local.user_pool_id, local.client_id, "alice", PASSWORD)  # no secret
    with pytest.raises(ClientError) as excinfo:
        client.initiate_auth(
            ClientId=local.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.auth_parameters()
        )
    assert error_code(excinfo) == "NotAuthorizedException"
    params = dict(srp.auth_parameters(), SECRET_HASH=secret_hash("wrong", "alice", local.client_id))
    with pytest.raises(ClientError) as excinfo:
        client.initiate_auth(
            ClientId=local.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params
        )
    assert "Unable to verify secret hash" in error_message(excinfo)
    # The challenge response needs it too.
    good, started = srp_start(client, local, "alice")
    responses = good.responses(started["ChallengeParameters"])
    del responses["SECRET_HASH"]
    with pytest.raises(ClientError) as excinfo:
        client.respond_to_auth_challenge(
            ClientId=local.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=started["Session"],
            ChallengeResponses=responses,
        )
    assert error_code(excinfo) == "NotAuthorizedException"
    assert "AccessToken" in srp_login(client, local, "alice")["AuthenticationResult"]


def test_refresh_token_auth(make_pool: Any, public: Any) -> None:
    """REFRESH_TOKEN_AUTH issues new tokens; its SECRET_HASH is over the internal username."""
    local = make_pool(client_secret=True, username_attributes=["email"])
    internal = local.create_user("hal@example.com", PASSWORD)
    client = public
    tokens = srp_login(client, local, "hal@example.com")["AuthenticationResult"]
    params = {
        "REFRESH_TOKEN": tokens["RefreshToken"],
        "SECRET_HASH": secret_hash(local.client_secret, "hal@example.com", local.client_id),
    }
    with pytest.raises(ClientError) as excinfo:
        client.initiate_auth(
            ClientId=local.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=params
        )
    assert error_code(excinfo) == "NotAuthorizedException"
    params["SECRET_HASH"] = secret_hash(local.client_secret, internal, local.client_id)
    refreshed = client.initiate_auth(
        ClientId=local.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=params
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert client.get_user(AccessToken=refreshed["AccessToken"])["Username"] == internal
    params["REFRESH_TOKEN"] = "not-a-token"
    with pytest.raises(ClientError) as excinfo:
        client.initiate_auth(
            ClientId=local.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=params
        )
    assert error_message(excinfo) == "Invalid Refresh Token."


def test_disabled_user_refused(pool: LocalPool, public: Any) -> None:
    """A disabled user cannot start a sign-in."""
    pool.create_user("ivy", PASSWORD)
    pool.admin.admin_disable_user(UserPoolId=pool.user_pool_id, Username="ivy")
    with pytest.raises(ClientError) as excinfo:
        srp_login(public, pool, "ivy")
    assert error_message(excinfo) == "User is disabled."


def test_admin_initiate_auth_checks_password(pool: LocalPool) -> None:
    """AdminInitiateAuth goes through the same strict password check."""
    pool.create_user("jay", PASSWORD)
    kwargs = {
        "UserPoolId": pool.user_pool_id,
        "ClientId": pool.client_id,
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
    }
    ok = pool.admin.admin_initiate_auth(
        **kwargs, AuthParameters={"USERNAME": "jay", "PASSWORD": PASSWORD}
    )
    assert "AccessToken" in ok["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        pool.admin.admin_initiate_auth(
            **kwargs, AuthParameters={"USERNAME": "jay", "PASSWORD": "nope"}
        )
    assert error_code(excinfo) == "NotAuthorizedException"


def test_id_token_claims(make_pool: Any, public: Any) -> None:
    """The id token carries the email claim, boolean email_verified and cognito:username."""
    import base64
    import json

    local = make_pool(username_attributes=["email"])
    internal = local.create_user("kim@example.com", PASSWORD, {"email_verified": "true"})
    client = public
    tokens = srp_login(client, local, "kim@example.com")["AuthenticationResult"]
    payload = tokens["IdToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["email"] == "kim@example.com"
    assert claims["email_verified"] is True
    assert claims["cognito:username"] == internal
    assert claims["aud"] == local.client_id
    assert claims["exp"] > datetime.now(timezone.utc).timestamp()
