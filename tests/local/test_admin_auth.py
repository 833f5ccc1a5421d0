"""Server-side sign-in against the strict local Cognito: AdminInitiateAuth
(ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, REFRESH_TOKEN_AUTH) and
AdminRespondToAuthChallenge, plus the disabled / reset / temporary-password states at every
sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalPool

from ._srp_client import secret_hash
from .conftest import PASSWORD, error_code, error_message, password_login, srp_login, srp_start

PHONE = "+15555550100"


def admin_login(
    pool: LocalPool,
    username: str,
    password: str = PASSWORD,
    flow: str = "ADMIN_USER_PASSWORD_AUTH",
    client: LocalPool | None = None,
    **extra: str,
) -> dict[str, Any]:
    """AdminInitiateAuth with USERNAME/PASSWORD (and SECRET_HASH for a client with a secret)."""
    client = client or pool
    params = {"USERNAME": username, "PASSWORD": password, **extra}
    if client.client_secret and "SECRET_HASH" not in extra:
        params["SECRET_HASH"] = secret_hash(client.client_secret, username, client.client_id)
    return dict(
        pool.admin.admin_initiate_auth(
            UserPoolId=pool.user_pool_id,
            ClientId=client.client_id,
            AuthFlow=flow,
            AuthParameters=params,
        )
    )


def admin_respond(
    pool: LocalPool, step: dict[str, Any], username: str, **answers: str
) -> dict[str, Any]:
    """AdminRespondToAuthChallenge to ``step``."""
    responses = {"USERNAME": username, **answers}
    if pool.client_secret:
        responses["SECRET_HASH"] = secret_hash(pool.client_secret, username, pool.client_id)
    return dict(
        pool.admin.admin_respond_to_auth_challenge(
            UserPoolId=pool.user_pool_id,
            ClientId=pool.client_id,
            ChallengeName=step["ChallengeName"],
            Session=step["Session"],
            ChallengeResponses=responses,
        )
    )


def _refused(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(*args, **kwargs)
    return error_code(excinfo), error_message(excinfo)


@pytest.mark.parametrize("flow", ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"])
def test_password_flows_give_tokens(pool: LocalPool, public: Any, flow: str) -> None:
    """The right password gives tokens the user APIs accept; both names of the flow work."""
    pool.create_user("alice", PASSWORD)
    result = admin_login(pool, "alice", flow=flow)["AuthenticationResult"]
    assert public.get_user(AccessToken=result["AccessToken"])["Username"] == "alice"


def test_wrong_password_and_unknown_user(pool: LocalPool) -> None:
    """A wrong password is NotAuthorizedException, an unknown user UserNotFoundException."""
    pool.create_user("alice", PASSWORD)
    assert _refused(admin_login, pool, "alice", "Wr0ng-password!") == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    assert _refused(admin_login, pool, "nobody") == (
        "UserNotFoundException",
        "User does not exist.",
    )


def test_client_must_allow_the_admin_flow(pool: LocalPool, server: Any) -> None:
    """A client without ALLOW_ADMIN_USER_PASSWORD_AUTH refuses both names of the flow."""
    narrow = server.create_client(
        pool.user_pool_id, explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    pool.create_user("alice", PASSWORD)
    for flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
        assert _refused(admin_login, pool, "alice", flow=flow, client=narrow) == (
            "InvalidParameterException",
            "Auth flow not enabled for this client",
        )


def test_user_flows_are_not_admin_flows(pool: LocalPool) -> None:
    """USER_PASSWORD_AUTH belongs to InitiateAuth: AdminInitiateAuth refuses it."""
    pool.create_user("alice", PASSWORD)
    code, _ = _refused(admin_login, pool, "alice", flow="USER_PASSWORD_AUTH")
    assert code == "InvalidParameterException"


def test_secret_hash_required_and_checked(make_pool: Any) -> None:
    """A client with a secret needs SECRET_HASH, over the username and client id."""
    pool = make_pool(client_secret=True)
    pool.create_user("alice", PASSWORD)
    assert "AuthenticationResult" in admin_login(pool, "alice")
    code, message = _refused(
        pool.admin.admin_initiate_auth,
        UserPoolId=pool.user_pool_id,
        ClientId=pool.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert (code, message) == (
        "NotAuthorizedException",
        f"Client {pool.client_id} is configured with secret but SECRET_HASH was not received",
    )
    wrong = secret_hash(pool.client_secret, "bob", pool.client_id)
    assert _refused(admin_login, pool, "alice", SECRET_HASH=wrong) == (
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {pool.client_id}",
    )


def test_new_password_required_then_tokens(make_pool: Any) -> None:
    """An AdminCreateUser user gets NEW_PASSWORD_REQUIRED; AdminRespondToAuthChallenge with a
    new password under the policy signs in (a weak one is refused first)."""
    pool = make_pool(client_secret=True)
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="alice",
        TemporaryPassword="Temp0rary-pass!",
        MessageAction="SUPPRESS",
    )
    step = admin_login(pool, "alice", "Temp0rary-pass!")
    assert step["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    code, _ = _refused(admin_respond, pool, step, "alice", NEW_PASSWORD="weak")
    assert code == "InvalidPasswordException"
    done = admin_respond(pool, step, "alice", NEW_PASSWORD="N3w-password!")
    assert "AccessToken" in done["AuthenticationResult"]
    assert "AuthenticationResult" in admin_login(pool, "alice", "N3w-password!")


def test_set_password_not_permanent_forces_a_change_at_every_sign_in(
    pool: LocalPool, public: Any
) -> None:
    """AdminSetUserPassword(Permanent=False): SRP and admin sign-in get NEW_PASSWORD_REQUIRED;
    Permanent=True: tokens."""
    pool.create_user("alice", PASSWORD)
    pool.admin.admin_set_user_password(
        UserPoolId=pool.user_pool_id, Username="alice", Password="Temp0rary-pass!", Permanent=False
    )
    assert srp_login(public, pool, "alice", "Temp0rary-pass!")["ChallengeName"] == (
        "NEW_PASSWORD_REQUIRED"
    )
    assert admin_login(pool, "alice", "Temp0rary-pass!")["ChallengeName"] == (
        "NEW_PASSWORD_REQUIRED"
    )
    pool.admin.admin_set_user_password(
        UserPoolId=pool.user_pool_id, Username="alice", Password="Perm4nent-pass!", Permanent=True
    )
    assert "AuthenticationResult" in admin_login(pool, "alice", "Perm4nent-pass!")
    assert _refused(admin_login, pool, "alice", "Temp0rary-pass!")[0] == "NotAuthorizedException"


def test_reset_requires_the_forgot_password_code(pool: LocalPool, public: Any) -> None:
    """After AdminResetUserPassword every sign-in gets PasswordResetRequiredException; the
    outbox code with ConfirmForgotPassword sets a new password."""
    pool.create_user("alice", PASSWORD, {"email": "a@example.com", "email_verified": "true"})
    pool.admin.admin_reset_user_password(UserPoolId=pool.user_pool_id, Username="alice")
    expected = ("PasswordResetRequiredException", "Password reset required for the user")
    assert _refused(admin_login, pool, "alice") == expected
    assert _refused(srp_start, public, pool, "alice") == expected
    assert _refused(password_login, public, pool, "alice") == expected
    code = pool.outbox.last(username="alice", purpose="forgot_password").code
    public.confirm_forgot_password(
        ClientId=pool.client_id, Username="alice", ConfirmationCode=code, Password="N3w-password!"
    )
    assert "AuthenticationResult" in admin_login(pool, "alice", "N3w-password!")
    public.forgot_password(ClientId=pool.client_id, Username="alice")
    code = pool.outbox.last(username="alice", purpose="forgot_password").code
    public.confirm_forgot_password(
        ClientId=pool.client_id, Username="alice", ConfirmationCode=code, Password="Th1rd-pass!"
    )
    assert "AuthenticationResult" in admin_login(pool, "alice", "Th1rd-pass!")


def test_unconfirmed_user(pool: LocalPool, public: Any) -> None:
    """A signed-up, unconfirmed user: UserNotConfirmedException after the right password."""
    public.sign_up(ClientId=pool.client_id, Username="alice", Password=PASSWORD)
    assert _refused(admin_login, pool, "alice") == (
        "UserNotConfirmedException",
        "User is not confirmed.",
    )
    assert _refused(admin_login, pool, "alice", "Wr0ng-password!")[0] == "NotAuthorizedException"


def test_disabled_user_is_refused_at_every_sign_in(pool: LocalPool, public: Any) -> None:
    """USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH (user and admin) and
    ADMIN_USER_PASSWORD_AUTH all say "User is disabled."."""
    pool.create_user("alice", PASSWORD)
    refresh = password_login(public, pool, "alice")["AuthenticationResult"]["RefreshToken"]
    pool.admin.admin_disable_user(UserPoolId=pool.user_pool_id, Username="alice")
    disabled = ("NotAuthorizedException", "User is disabled.")
    assert _refused(srp_start, public, pool, "alice") == disabled
    assert _refused(password_login, public, pool, "alice") == disabled
    assert _refused(admin_login, pool, "alice") == disabled
    assert (
        _refused(
            public.initiate_auth,
            ClientId=pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh},
        )
        == disabled
    )
    assert (
        _refused(
            pool.admin.admin_initiate_auth,
            UserPoolId=pool.user_pool_id,
            ClientId=pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh},
        )
        == disabled
    )


def test_admin_refresh(pool: LocalPool, public: Any) -> None:
    """AdminInitiateAuth REFRESH_TOKEN_AUTH (or its old name, REFRESH_TOKEN) gives new
    tokens, no new refresh token; InitiateAuth takes both names too."""
    pool.create_user("alice", PASSWORD)
    refresh = admin_login(pool, "alice")["AuthenticationResult"]["RefreshToken"]
    for flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        renewed = pool.admin.admin_initiate_auth(
            UserPoolId=pool.user_pool_id,
            ClientId=pool.client_id,
            AuthFlow=flow,
            AuthParameters={"REFRESH_TOKEN": refresh},
        )["AuthenticationResult"]
        assert "AccessToken" in renewed
        assert "RefreshToken" not in renewed
        by_user = public.initiate_auth(
            ClientId=pool.client_id, AuthFlow=flow, AuthParameters={"REFRESH_TOKEN": refresh}
        )
        assert "AccessToken" in by_user["AuthenticationResult"]


def test_client_of_another_pool_is_refused(pool: LocalPool, make_pool: Any) -> None:
    """The ClientId must belong to UserPoolId."""
    other = make_pool()
    pool.create_user("alice", PASSWORD)
    code, _ = _refused(admin_login, pool, "alice", client=other)
    assert code == "ResourceNotFoundException"


def test_sms_mfa_through_admin_respond(make_pool: Any, public: Any) -> None:
    """An SMS-MFA user gets SMS_MFA from AdminInitiateAuth; a wrong code is refused, the outbox
    code signs in, and a used session is refused."""
    pool = make_pool(mfa="OPTIONAL")
    pool.create_user("alice", PASSWORD, {"phone_number": PHONE, "phone_number_verified": "true"})
    token = admin_login(pool, "alice")["AuthenticationResult"]["AccessToken"]
    public.set_user_mfa_preference(
        AccessToken=token, SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    step = admin_login(pool, "alice")
    assert step["ChallengeName"] == "SMS_MFA"
    code = pool.outbox.last(username="alice", purpose="sms_mfa").code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert _refused(admin_respond, pool, step, "alice", SMS_MFA_CODE=wrong)[0] == (
        "CodeMismatchException"
    )
    done = admin_respond(pool, step, "alice", SMS_MFA_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]
    assert _refused(admin_respond, pool, step, "alice", SMS_MFA_CODE=code)[0] == (
        "NotAuthorizedException"
    )


def test_mfa_on_without_factor_sets_up_totp_through_admin_respond(
    make_pool: Any, public: Any
) -> None:
    """MFA ON, no factor, no phone or e-mail: MFA_SETUP; the TOTP set up with the session's
    AssociateSoftwareToken / VerifySoftwareToken, then AdminRespondToAuthChallenge signs in."""
    import pyotp

    pool = make_pool(mfa="ON")
    pool.create_user("alice", PASSWORD)
    step = admin_login(pool, "alice")
    assert step["ChallengeName"] == "MFA_SETUP"
    associated = public.associate_software_token(Session=step["Session"])
    secret = associated["SecretCode"]
    verified = public.verify_software_token(
        Session=associated["Session"], UserCode=pyotp.TOTP(secret).now()
    )
    done = admin_respond(pool, {**step, "Session": verified["Session"]}, "alice")
    assert "AccessToken" in done["AuthenticationResult"]
    again = admin_login(pool, "alice")
    assert again["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
