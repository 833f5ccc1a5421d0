"""Edge cases and refusals of the strict local Cognito, continued: MFA set-up and settings,
devices, tokens, admin reads, password recovery, sign-up codes, paging, the sign-in policy,
choice-based sign-in and passkey registration.

Each test asserts the exact AWS error code and the local message, plus what did not change.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from typing import Any

import boto3
import botocore
import pyotp
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from fido2.cose import CoseKey
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData
from pycognito.aws_srp import generate_hash_device

from cognito_user_pool.local import LocalCognito, LocalPool, SoftAuthenticator

from .conftest import PASSWORD, error_code, error_message, password_login, srp_login, srp_start

EMAIL = "alice@example.com"
PHONE = "+15555550100"
SESSION_USED = (
    "NotAuthorizedException",
    "Invalid session for the user, session can only be used once.",
)
SESSION_EXPIRED = ("NotAuthorizedException", "Invalid session for the user, session is expired.")
USER_DISABLED = ("NotAuthorizedException", "User is disabled.")


def refused(call: Callable[[], object]) -> tuple[str, str]:
    """The AWS error code and message of a call that must fail."""
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_code(excinfo), error_message(excinfo)


def unvalidated(local: LocalPool, *, signed: bool = True) -> Any:
    """A client that sends what botocore's model would refuse (AWS checks it too)."""
    options: dict[str, Any] = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "x"}
    config = Config(parameter_validation=False, retries={"total_max_attempts": 1})
    if not signed:
        options = {}
        config = config.merge(Config(signature_version=botocore.UNSIGNED))
    return boto3.client(
        "cognito-idp",
        region_name=local.region,
        endpoint_url=local.endpoint_url,
        config=config,
        **options,
    )


def signed_raw(local: LocalPool, operation: str, payload: dict[str, Any]) -> tuple[int, Any]:
    """A SigV4-signed (dummy credentials) call with a payload botocore could not serialize."""
    body = json.dumps(payload).encode()
    headers = {
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        "Content-Type": "application/x-amz-json-1.1",
    }
    request = AWSRequest("POST", local.endpoint_url + "/", data=body, headers=headers)
    SigV4Auth(Credentials("dummy", "dummy"), "cognito-idp", local.region).add_auth(request)
    port = int(local.endpoint_url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/", body=body, headers=dict(request.headers.items()))
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def _token(public: Any, local: LocalPool, username: str = "alice") -> str:
    return str(password_login(public, local, username)["AuthenticationResult"]["AccessToken"])


def _user(local: LocalPool, username: str = "alice") -> dict[str, Any]:
    return dict(local.admin.admin_get_user(UserPoolId=local.user_pool_id, Username=username))


# ---- TOTP set-up and MFA settings (mfa) -------------------------------------------------------


def _prefer_sms_then_drop_the_phone(local: LocalPool) -> None:
    """alice prefers SMS MFA, then loses the phone number it needs."""
    local.admin.admin_set_user_mfa_preference(
        UserPoolId=local.user_pool_id,
        Username="alice",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    local.admin.admin_delete_user_attributes(
        UserPoolId=local.user_pool_id, Username="alice", UserAttributeNames=["phone_number"]
    )


@pytest.mark.parametrize("given", ["neither", "both"])
def test_associate_needs_exactly_one_of_token_and_session(
    make_pool: Any, public: Any, given: str
) -> None:
    """AssociateSoftwareToken takes an AccessToken or a Session, not none, not both."""
    local: LocalPool = make_pool(mfa="ON")
    local.create_user("alice", PASSWORD)
    step = srp_login(public, local, "alice")
    assert step["ChallengeName"] == "MFA_SETUP"
    kwargs: dict[str, str] = {}
    if given == "both":
        local.admin.set_user_pool_mfa_config(UserPoolId=local.user_pool_id, MfaConfiguration="OFF")
        kwargs = {"AccessToken": _token(public, local), "Session": step["Session"]}
    assert refused(lambda: public.associate_software_token(**kwargs)) == (
        "InvalidParameterException",
        "Provide exactly one of AccessToken or Session.",
    )


def test_associate_with_a_spent_or_foreign_session(make_pool: Any, public: Any) -> None:
    """An MFA_SETUP session replaced by AssociateSoftwareToken is spent; a session of
    another challenge (PASSWORD_VERIFIER) is no set-up session: "session is expired"."""
    local: LocalPool = make_pool(mfa="ON")
    local.create_user("alice", PASSWORD)
    step = srp_login(public, local, "alice")
    renewed = public.associate_software_token(Session=step["Session"])
    assert refused(lambda: public.associate_software_token(Session=step["Session"])) == (
        SESSION_USED
    )
    _, started = srp_start(public, local, "alice")
    assert refused(lambda: public.associate_software_token(Session=started["Session"])) == (
        SESSION_EXPIRED
    )
    assert public.associate_software_token(Session=renewed["Session"])["SecretCode"]


def test_set_up_for_a_user_deleted_mid_sign_in(make_pool: Any, public: Any) -> None:
    """The MFA_SETUP session's user was deleted: UserNotFoundException."""
    local: LocalPool = make_pool(mfa="ON")
    local.create_user("alice", PASSWORD)
    step = srp_login(public, local, "alice")
    local.admin.admin_delete_user(UserPoolId=local.user_pool_id, Username="alice")
    assert refused(lambda: public.associate_software_token(Session=step["Session"])) == (
        "UserNotFoundException",
        "User does not exist.",
    )


def test_verify_without_associate(make_pool: Any, public: Any) -> None:
    """VerifySoftwareToken before any AssociateSoftwareToken: no secret to check against;
    TOTP stays off."""
    local: LocalPool = make_pool(mfa="OPTIONAL")
    local.create_user("alice", PASSWORD)
    token = _token(public, local)
    assert refused(lambda: public.verify_software_token(AccessToken=token, UserCode="123456")) == (
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA Not Found.",
    )
    assert public.get_user(AccessToken=token).get("UserMFASettingList", []) == []


def test_mfa_setup_answer_before_verify(make_pool: Any, public: Any) -> None:
    """MFA_SETUP answered (TOTP) before VerifySoftwareToken is refused; the session is not
    spent, and the set-up then completes."""
    local: LocalPool = make_pool(mfa="ON")
    local.create_user("alice", PASSWORD)
    step = srp_login(public, local, "alice")

    def answer(session: str) -> Any:
        return public.respond_to_auth_challenge(
            ClientId=local.client_id,
            ChallengeName="MFA_SETUP",
            Session=session,
            ChallengeResponses={"USERNAME": "alice"},
        )

    assert refused(lambda: answer(step["Session"])) == (
        "InvalidParameterException",
        "Call VerifySoftwareToken with this session before answering MFA_SETUP.",
    )
    associated = public.associate_software_token(Session=step["Session"])
    code = pyotp.TOTP(associated["SecretCode"]).now()
    verified = public.verify_software_token(Session=associated["Session"], UserCode=code)
    assert "AccessToken" in answer(verified["Session"])["AuthenticationResult"]


def test_totp_set_up_keeps_an_earlier_preference(make_pool: Any, public: Any) -> None:
    """A user whose preferred SMS MFA lost its phone number is sent to MFA_SETUP; setting up
    TOTP there does not replace the preference, and TOTP (the one usable factor) follows."""
    local: LocalPool = make_pool(mfa="ON")
    local.create_user("alice", PASSWORD, {"phone_number": PHONE, "phone_number_verified": "true"})
    step = srp_login(public, local, "alice")
    assert step["ChallengeName"] == "SMS_MFA"
    _prefer_sms_then_drop_the_phone(local)
    step = srp_login(public, local, "alice")
    assert step["ChallengeName"] == "MFA_SETUP"
    associated = public.associate_software_token(Session=step["Session"])
    totp = pyotp.TOTP(associated["SecretCode"])
    verified = public.verify_software_token(Session=associated["Session"], UserCode=totp.now())
    done = public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "alice"},
    )
    assert "AccessToken" in done["AuthenticationResult"]
    assert _user(local)["PreferredMfaSetting"] == "SMS_MFA"
    assert srp_login(public, local, "alice")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_email_set_up_keeps_an_earlier_preference(make_pool: Any, public: Any) -> None:
    """As for TOTP: e-mail MFA set up through MFA_SETUP (an EMAIL answer, then the code sent
    there) leaves the earlier preference as it was, and switches e-mail MFA on."""
    local: LocalPool = make_pool(mfa="ON", email_mfa=True)
    local.create_user("alice", PASSWORD, {"phone_number": PHONE, "phone_number_verified": "true"})
    _prefer_sms_then_drop_the_phone(local)
    step = srp_login(public, local, "alice")
    assert step["ChallengeName"] == "MFA_SETUP"
    challenge = public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="MFA_SETUP",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", "EMAIL": EMAIL},
    )
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    code = local.outbox.wait_for(username="alice", purpose="email_mfa").code
    done = public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="EMAIL_OTP",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "EMAIL_OTP_CODE": code},
    )
    assert "AccessToken" in done["AuthenticationResult"]
    user = _user(local)
    assert user["PreferredMfaSetting"] == "SMS_MFA"
    assert "EMAIL_OTP" in user["UserMFASettingList"]
    assert srp_login(public, local, "alice")["ChallengeName"] == "EMAIL_OTP"


def test_set_user_settings_needs_mfa_options(pool: LocalPool, public: Any) -> None:
    """SetUserSettings without MFAOptions (sent past botocore's own check) is refused."""
    pool.create_user("alice", PASSWORD)
    token = _token(public, pool)
    client = unvalidated(pool, signed=False)
    try:
        assert refused(lambda: client.set_user_settings(AccessToken=token)) == (
            "InvalidParameterException",
            "Missing required parameter MFAOptions",
        )
    finally:
        client.close()


def test_set_user_settings_needs_a_phone_number(make_pool: Any, public: Any) -> None:
    """SMS MFAOptions for a user without a phone number is refused; nothing is stored."""
    local: LocalPool = make_pool(mfa="OPTIONAL")
    local.create_user("alice", PASSWORD)
    token = _token(public, local)
    options = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    assert refused(lambda: public.set_user_settings(AccessToken=token, MFAOptions=options)) == (
        "InvalidParameterException",
        "User does not have delivery config set to turn on SMS_MFA",
    )
    user = public.get_user(AccessToken=token)
    assert "MFAOptions" not in user
    assert user.get("UserMFASettingList", []) == []


def test_web_authn_configuration_must_be_an_object(pool: LocalPool) -> None:
    """SetUserPoolMfaConfig's WebAuthnConfiguration as a string (raw JSON: botocore would
    not serialize it) is refused; the pool's settings stay as they were."""
    before = pool.admin.get_user_pool_mfa_config(UserPoolId=pool.user_pool_id)
    status, body = signed_raw(
        pool,
        "SetUserPoolMfaConfig",
        {"UserPoolId": pool.user_pool_id, "WebAuthnConfiguration": "localhost"},
    )
    assert status == 400
    assert body == {
        "__type": "InvalidParameterException",
        "message": "Invalid WebAuthnConfiguration.",
    }
    after = pool.admin.get_user_pool_mfa_config(UserPoolId=pool.user_pool_id)
    assert after["WebAuthnConfiguration"] == before["WebAuthnConfiguration"]


def test_an_unknown_mfa_configuration(make_pool: Any) -> None:
    """MfaConfiguration outside ON / OFF / OPTIONAL is refused (moto's text); the mode
    stays."""
    local: LocalPool = make_pool(mfa="OPTIONAL")
    assert refused(
        lambda: local.admin.set_user_pool_mfa_config(
            UserPoolId=local.user_pool_id,
            MfaConfiguration="SOMETIMES",
            SoftwareTokenMfaConfiguration={"Enabled": True},
        )
    ) == (
        "InvalidParameterException",
        "[MfaConfiguration] must be one of 'ON', 'OFF', or 'OPTIONAL'.",
    )
    config = local.admin.get_user_pool_mfa_config(UserPoolId=local.user_pool_id)
    assert config["MfaConfiguration"] == "OPTIONAL"


# ---- devices ----------------------------------------------------------------------------------


def _new_device(public: Any, local: LocalPool) -> tuple[dict[str, Any], str]:
    local.create_user("alice", PASSWORD)
    result = srp_login(public, local, "alice")["AuthenticationResult"]
    return dict(result["NewDeviceMetadata"]), str(result["AccessToken"])


@pytest.mark.parametrize(
    "config",
    [{"PasswordVerifier": "abc", "Salt": "abcd"}, {"PasswordVerifier": "abcd"}],
    ids=["not-base64", "no-salt"],
)
def test_confirm_device_with_a_malformed_verifier(
    make_pool: Any, public: Any, config: dict[str, str]
) -> None:
    """A DeviceSecretVerifierConfig that is not base64 or lacks its salt is refused; no
    device is remembered."""
    local: LocalPool = make_pool(remember_devices="always")
    meta, token = _new_device(public, local)
    assert refused(
        lambda: public.confirm_device(
            AccessToken=token, DeviceKey=meta["DeviceKey"], DeviceSecretVerifierConfig=config
        )
    ) == ("InvalidParameterException", "Invalid DeviceSecretVerifierConfig.")
    assert public.list_devices(AccessToken=token)["Devices"] == []


def test_update_device_status_to_an_unknown_status(make_pool: Any, public: Any) -> None:
    """DeviceRememberedStatus other than remembered / not_remembered is refused; the status
    stays."""
    local: LocalPool = make_pool(remember_devices="always")
    meta, token = _new_device(public, local)
    _, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    public.confirm_device(
        AccessToken=token, DeviceKey=meta["DeviceKey"], DeviceSecretVerifierConfig=verifier
    )
    assert refused(
        lambda: public.update_device_status(
            AccessToken=token, DeviceKey=meta["DeviceKey"], DeviceRememberedStatus="forgotten"
        )
    ) == ("InvalidParameterException", "Invalid DeviceRememberedStatus.")
    device = public.get_device(AccessToken=token, DeviceKey=meta["DeviceKey"])["Device"]
    attributes = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
    assert attributes["dev:device_remembered_status"] == "remembered"


# ---- tokens -----------------------------------------------------------------------------------


def _refresh(public: Any, local: LocalPool, token: str) -> Any:
    return public.initiate_auth(
        ClientId=local.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": token},
    )


def test_an_expired_refresh_token(server: LocalCognito, make_pool: Any, public: Any) -> None:
    """A refresh token past the client's RefreshTokenValidity: "Refresh Token has expired"."""
    local: LocalPool = make_pool(refresh_token_validity=3600)
    local.create_user("alice", PASSWORD)
    refresh = password_login(public, local, "alice")["AuthenticationResult"]["RefreshToken"]
    assert "AccessToken" in _refresh(public, local, refresh)["AuthenticationResult"]
    server.advance_time(3601)
    try:
        outcome = refused(lambda: _refresh(public, local, refresh))
    finally:
        server.advance_time(-3601)
    assert outcome == ("NotAuthorizedException", "Refresh Token has expired")


def test_revoke_token_when_revocation_is_off(pool: LocalPool, public: Any) -> None:
    """RevokeToken on a client with EnableTokenRevocation false is unsupported; the token
    still works."""
    pool.create_user("alice", PASSWORD)
    refresh = password_login(public, pool, "alice")["AuthenticationResult"]["RefreshToken"]
    pool.admin.update_user_pool_client(
        UserPoolId=pool.user_pool_id,
        ClientId=pool.client_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        EnableTokenRevocation=False,
    )
    assert refused(lambda: public.revoke_token(Token=refresh, ClientId=pool.client_id)) == (
        "UnsupportedOperationException",
        "Token revocation is not enabled.",
    )
    assert "AccessToken" in _refresh(public, pool, refresh)["AuthenticationResult"]


def test_revoke_token_of_another_client(server: LocalCognito, pool: LocalPool, public: Any) -> None:
    """A refresh token revoked through another app client of the same pool is refused as
    not issued to it; the token still works for its own client."""
    pool.create_user("alice", PASSWORD)
    refresh = password_login(public, pool, "alice")["AuthenticationResult"]["RefreshToken"]
    other = server.create_client(pool.user_pool_id)
    assert refused(lambda: public.revoke_token(Token=refresh, ClientId=other.client_id)) == (
        "UnauthorizedException",
        "Token was not issued to this client.",
    )
    assert "AccessToken" in _refresh(public, pool, refresh)["AuthenticationResult"]


# ---- admin reads and resets -------------------------------------------------------------------


def test_admin_reset_of_a_disabled_user(pool: LocalPool) -> None:
    """AdminResetUserPassword for a disabled user is refused: no code, status unchanged."""
    pool.create_user("alice", PASSWORD, {"email": EMAIL, "email_verified": "true"})
    pool.admin.admin_disable_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert (
        refused(
            lambda: pool.admin.admin_reset_user_password(
                UserPoolId=pool.user_pool_id, Username="alice"
            )
        )
        == USER_DISABLED
    )
    assert _user(pool)["UserStatus"] == "CONFIRMED"
    assert [m for m in pool.outbox if m.purpose == "forgot_password"] == []


def test_admin_get_user_shows_the_preference_and_mfa_options(make_pool: Any, public: Any) -> None:
    """AdminGetUser shows PreferredMfaSetting while one is set, and the legacy MFAOptions
    SetUserSettings stored."""
    local: LocalPool = make_pool(mfa="OPTIONAL")
    local.create_user("alice", PASSWORD, {"phone_number": PHONE, "phone_number_verified": "true"})
    token = _token(public, local)
    assert "PreferredMfaSetting" not in _user(local)
    assert _user(local).get("MFAOptions", []) == []
    public.set_user_mfa_preference(
        AccessToken=token, SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    assert _user(local)["PreferredMfaSetting"] == "SMS_MFA"
    options = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    public.set_user_settings(AccessToken=token, MFAOptions=options)
    assert _user(local)["MFAOptions"] == options
    public.set_user_mfa_preference(
        AccessToken=token, SMSMfaSettings={"Enabled": False, "PreferredMfa": False}
    )
    assert "PreferredMfaSetting" not in _user(local)


# ---- password recovery, attribute codes, sign-up codes ----------------------------------------


def test_forgot_password_in_an_admin_only_pool(make_pool: Any, public: Any) -> None:
    """A pool whose only recovery mechanism is admin_only: the user must ask an
    administrator; no code is sent."""
    recovery = {"RecoveryMechanisms": [{"Priority": 1, "Name": "admin_only"}]}
    local: LocalPool = make_pool(pool_config={"AccountRecoverySetting": recovery})
    local.create_user("alice", PASSWORD, {"email": EMAIL, "email_verified": "true"})
    assert refused(lambda: public.forgot_password(ClientId=local.client_id, Username="alice")) == (
        "NotAuthorizedException",
        "Contact administrator to reset password.",
    )
    assert [m for m in local.outbox if m.purpose == "forgot_password"] == []


def test_forgot_password_of_a_disabled_user(pool: LocalPool, public: Any) -> None:
    """ForgotPassword for a disabled user is refused; no code is sent."""
    pool.create_user("alice", PASSWORD, {"email": EMAIL, "email_verified": "true"})
    pool.admin.admin_disable_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert (
        refused(lambda: public.forgot_password(ClientId=pool.client_id, Username="alice"))
        == USER_DISABLED
    )
    assert [m for m in pool.outbox if m.purpose == "forgot_password"] == []


def test_verification_code_for_an_attribute_that_takes_none(pool: LocalPool, public: Any) -> None:
    """GetUserAttributeVerificationCode for an attribute other than email / phone_number."""
    pool.create_user("alice", PASSWORD, {"email": EMAIL, "name": "Alice"})
    token = _token(public, pool)
    assert refused(
        lambda: public.get_user_attribute_verification_code(AccessToken=token, AttributeName="name")
    ) == ("InvalidParameterException", "Invalid attribute name name.")
    assert len(pool.outbox) == 0


def test_resend_without_auto_verification(make_pool: Any, public: Any) -> None:
    """A pool that verifies nothing automatically sends no sign-up codes, so it cannot resend
    one."""
    local: LocalPool = make_pool(auto_verified_attributes=[])
    public.sign_up(
        ClientId=local.client_id,
        Username="bob",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    assert refused(
        lambda: public.resend_confirmation_code(ClientId=local.client_id, Username="bob")
    ) == ("InvalidParameterException", "Cannot resend codes. Auto verification not turned on.")
    assert len(local.outbox) == 0


# ---- paging and the sign-in policy ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10", "Limit must be an integer."),
        (True, "Limit must be an integer."),
        (
            -1,
            "1 validation error detected: Value '-1' at 'limit' failed to satisfy constraint: "
            "Member must have value greater than or equal to 0",
        ),
    ],
)
def test_list_users_limit_out_of_shape(pool: LocalPool, value: object, message: str) -> None:
    """ListUsers' Limit must be an integer from 0 to 60."""
    client = unvalidated(pool)
    try:
        assert refused(lambda: client.list_users(UserPoolId=pool.user_pool_id, Limit=value)) == (
            "InvalidParameterException",
            message,
        )
    finally:
        client.close()


def test_a_sign_in_policy_without_factors_keeps_the_default(pool: LocalPool, public: Any) -> None:
    """SignInPolicy without AllowedFirstAuthFactors is accepted: password only, as by
    default."""
    pool.create_user("alice", PASSWORD)
    pool.admin.update_user_pool(UserPoolId=pool.user_pool_id, Policies={"SignInPolicy": {}})
    step = public.initiate_auth(
        ClientId=pool.client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "alice"}
    )
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


_NOT_1_TO_4 = "AllowedFirstAuthFactors must list 1 to 4 authentication factors."


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        ([], _NOT_1_TO_4),
        (["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN", "PASSWORD"], _NOT_1_TO_4),
        ("PASSWORD", _NOT_1_TO_4),
        (["PASSWORD", "EMAIL_OTP", "PASSWORD"], "AllowedFirstAuthFactors lists a factor twice."),
        (["EMAIL_OTP"], "AllowedFirstAuthFactors must include PASSWORD."),
    ],
    ids=["none", "five", "not-a-list", "twice", "no-password"],
)
def test_a_sign_in_policy_with_too_few_or_many_factors(
    pool: LocalPool, factors: object, message: str
) -> None:
    """AllowedFirstAuthFactors lists 1 to 4 factors, each once; the pool's policy stays."""
    client = unvalidated(pool)
    policies = {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}
    try:
        assert refused(
            lambda: client.update_user_pool(UserPoolId=pool.user_pool_id, Policies=policies)
        ) == ("InvalidParameterException", message)
    finally:
        client.close()
    described = pool.admin.describe_user_pool(UserPoolId=pool.user_pool_id)["UserPool"]
    assert described.get("Policies", {}).get("SignInPolicy", {}).get(
        "AllowedFirstAuthFactors", ["PASSWORD"]
    ) == ["PASSWORD"]


# ---- choice-based sign-in (USER_AUTH) ---------------------------------------------------------


def _user_auth(public: Any, local: LocalPool, **extra: Any) -> Any:
    auth = {"USERNAME": "alice", **extra.pop("auth", {})}
    return public.initiate_auth(
        ClientId=local.client_id, AuthFlow="USER_AUTH", AuthParameters=auth, **extra
    )


def test_user_auth_for_a_user_who_must_reset(pool: LocalPool, public: Any) -> None:
    """USER_AUTH for a user in RESET_REQUIRED: PasswordResetRequiredException."""
    pool.create_user("alice", PASSWORD, {"email": EMAIL, "email_verified": "true"})
    pool.admin.admin_reset_user_password(UserPoolId=pool.user_pool_id, Username="alice")
    assert refused(lambda: _user_auth(public, pool)) == (
        "PasswordResetRequiredException",
        "Password reset required for the user",
    )


def test_the_sign_up_session_of_a_user_disabled_since(pool: LocalPool, public: Any) -> None:
    """ConfirmSignUp's Session used after the user was disabled: "User is disabled.", and
    the session is spent even once the user is enabled again."""
    public.sign_up(
        ClientId=pool.client_id,
        Username="alice",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": EMAIL}],
    )
    code = pool.outbox.wait_for(username="alice", purpose="signup").code
    session = public.confirm_sign_up(
        ClientId=pool.client_id, Username="alice", ConfirmationCode=code
    )["Session"]
    pool.admin.admin_disable_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert refused(lambda: _user_auth(public, pool, Session=session)) == USER_DISABLED
    pool.admin.admin_enable_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert refused(lambda: _user_auth(public, pool, Session=session)) == SESSION_USED


def test_select_challenge_keeps_the_device_key(make_pool: Any, public: Any) -> None:
    """InitiateAuth's DEVICE_KEY is kept by the SELECT_CHALLENGE session: a PASSWORD answer
    without it still leads to the device's DEVICE_SRP_AUTH challenge."""
    local: LocalPool = make_pool(remember_devices="always")
    meta, token = _new_device(public, local)
    _, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    public.confirm_device(
        AccessToken=token, DeviceKey=meta["DeviceKey"], DeviceSecretVerifierConfig=verifier
    )
    step = _user_auth(public, local, auth={"DEVICE_KEY": meta["DeviceKey"]})
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    answered = public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD},
    )
    assert answered["ChallengeName"] == "DEVICE_SRP_AUTH"


# ---- passkey registration ---------------------------------------------------------------------


def test_a_passkey_whose_public_key_cannot_be_read(make_pool: Any, public: Any) -> None:
    """A registration whose credential public key is not a readable COSE key (EC2 without
    its curve and coordinates): its algorithm is unknown, so it is not supported; nothing is
    registered."""
    local: LocalPool = make_pool(first_auth_factors=("PASSWORD", "WEB_AUTHN"))
    local.create_user("alice", PASSWORD)
    token = _token(public, local)
    options = public.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    credential = SoftAuthenticator().create(options)
    attestation = AttestationObject(websafe_decode(credential["response"]["attestationObject"]))
    auth_data = attestation.auth_data
    attested = auth_data.credential_data
    assert attested is not None
    broken_key = CoseKey({1: 2, 3: -7})  # kty EC2, alg ES256, nothing else
    rebuilt = AuthenticatorData.create(
        auth_data.rp_id_hash,
        auth_data.flags,
        auth_data.counter,
        AttestedCredentialData.create(attested.aaguid, attested.credential_id, broken_key),
    )
    encoded = websafe_encode(AttestationObject.create(attestation.fmt, rebuilt, {}))
    forged = {**credential, "response": {**credential["response"], "attestationObject": encoded}}
    assert refused(
        lambda: public.complete_web_authn_registration(AccessToken=token, Credential=forged)
    ) == ("WebAuthnCredentialNotSupportedException", "The credential's algorithm is not supported.")
    assert public.list_web_authn_credentials(AccessToken=token)["Credentials"] == []
