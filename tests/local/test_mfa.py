"""MFA with teeth: SMS codes from the outbox and TOTP against per-user random secrets."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalPool

from .conftest import PASSWORD, error_code, srp_login

PHONE = "+15555550100"


@pytest.fixture
def mfa_pool(make_pool: Any) -> LocalPool:
    """A pool with optional SMS and TOTP MFA."""
    return make_pool(mfa="OPTIONAL")  # type: ignore[no-any-return]


def _signed_in_user(public: Any, pool: LocalPool, username: str = "alice") -> str:
    pool.create_user(username, PASSWORD, {"phone_number": PHONE, "phone_number_verified": "true"})
    return str(srp_login(public, pool, username)["AuthenticationResult"]["AccessToken"])


def _respond(public: Any, pool: LocalPool, step: dict[str, Any], name: str, **answers: str) -> Any:
    return public.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName=name,
        Session=step["Session"],
        ChallengeResponses={
            "USERNAME": step["ChallengeParameters"].get("USER_ID_FOR_SRP", "alice"),
            **answers,
        },
    )


def _enable_totp(public: Any, token: str) -> str:
    secret = str(public.associate_software_token(AccessToken=token)["SecretCode"])
    public.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).now())
    public.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    return secret


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_sms_mfa_code_checked(mfa_pool: LocalPool, public: Any) -> None:
    """SMS MFA sends a code; a wrong one is CodeMismatchException, the right one signs in."""
    token = _signed_in_user(public, mfa_pool)
    public.set_user_mfa_preference(
        AccessToken=token, SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    step = srp_login(public, mfa_pool, "alice")
    assert step["ChallengeName"] == "SMS_MFA"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"].endswith("0100")
    assert step["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    message = mfa_pool.outbox.wait_for(username="alice", purpose="sms_mfa")
    assert message.destination == PHONE and message.medium == "SMS"
    with pytest.raises(ClientError) as excinfo:
        _respond(public, mfa_pool, step, "SMS_MFA", SMS_MFA_CODE=_other(message.code))
    assert error_code(excinfo) == "CodeMismatchException"
    done = _respond(public, mfa_pool, step, "SMS_MFA", SMS_MFA_CODE=message.code)
    assert "AccessToken" in done["AuthenticationResult"]


def test_sms_mfa_session_dies_after_three_wrong_codes(mfa_pool: LocalPool, public: Any) -> None:
    """Three wrong SMS codes end the session; the right code no longer works on it."""
    token = _signed_in_user(public, mfa_pool)
    public.set_user_mfa_preference(
        AccessToken=token, SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    step = srp_login(public, mfa_pool, "alice")
    code = mfa_pool.outbox.wait_for(purpose="sms_mfa").code
    for _ in range(3):
        with pytest.raises(ClientError):
            _respond(public, mfa_pool, step, "SMS_MFA", SMS_MFA_CODE=_other(code))
    with pytest.raises(ClientError) as excinfo:
        _respond(public, mfa_pool, step, "SMS_MFA", SMS_MFA_CODE=code)
    assert error_code(excinfo) == "NotAuthorizedException"


def test_totp_secret_is_random_per_user(mfa_pool: LocalPool, public: Any) -> None:
    """AssociateSoftwareToken hands each user its own random base32 secret."""
    first = public.associate_software_token(AccessToken=_signed_in_user(public, mfa_pool, "ann"))
    second = public.associate_software_token(AccessToken=_signed_in_user(public, mfa_pool, "ben"))
    assert first["SecretCode"] != second["SecretCode"]
    assert len(first["SecretCode"]) >= 16


def test_verify_software_token_wrong_code(mfa_pool: LocalPool, public: Any) -> None:
    """VerifySoftwareToken with a wrong code is EnableSoftwareTokenMFAException."""
    token = _signed_in_user(public, mfa_pool)
    secret = public.associate_software_token(AccessToken=token)["SecretCode"]
    with pytest.raises(ClientError) as excinfo:
        public.verify_software_token(AccessToken=token, UserCode=_other(pyotp.TOTP(secret).now()))
    assert error_code(excinfo) == "EnableSoftwareTokenMFAException"
    with pytest.raises(ClientError) as excinfo:
        public.set_user_mfa_preference(
            AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True}
        )
    assert error_code(excinfo) == "InvalidParameterException"


def test_totp_challenge_checked(mfa_pool: LocalPool, public: Any) -> None:
    """With TOTP enabled sign-in asks SOFTWARE_TOKEN_MFA; wrong code refused, right code passes."""
    token = _signed_in_user(public, mfa_pool)
    secret = _enable_totp(public, token)
    user = public.get_user(AccessToken=token)
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    step = srp_login(public, mfa_pool, "alice")
    assert step["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    code = pyotp.TOTP(secret).now()
    with pytest.raises(ClientError) as excinfo:
        _respond(public, mfa_pool, step, "SOFTWARE_TOKEN_MFA", SOFTWARE_TOKEN_MFA_CODE=_other(code))
    assert error_code(excinfo) == "CodeMismatchException"
    done = _respond(public, mfa_pool, step, "SOFTWARE_TOKEN_MFA", SOFTWARE_TOKEN_MFA_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]


def test_select_mfa_type(mfa_pool: LocalPool, public: Any) -> None:
    """With SMS and TOTP both on and no preference, sign-in asks SELECT_MFA_TYPE."""
    token = _signed_in_user(public, mfa_pool)
    secret = _enable_totp(public, token)
    public.set_user_mfa_preference(
        AccessToken=token,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    step = srp_login(public, mfa_pool, "alice")
    assert step["ChallengeName"] == "SELECT_MFA_TYPE"
    chosen = _respond(public, mfa_pool, step, "SELECT_MFA_TYPE", ANSWER="SOFTWARE_TOKEN_MFA")
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    done = _respond(
        public,
        mfa_pool,
        chosen,
        "SOFTWARE_TOKEN_MFA",
        SOFTWARE_TOKEN_MFA_CODE=pyotp.TOTP(secret).now(),
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_mfa_setup_during_sign_in(make_pool: Any, public: Any) -> None:
    """MFA ON without a phone: MFA_SETUP, then Associate/Verify with sessions, then tokens
    (docs/cognito-facts.md#totp-setup)."""
    local = make_pool(mfa="ON")
    local.create_user("alice", PASSWORD)
    step = srp_login(public, local, "alice")
    assert step["ChallengeName"] == "MFA_SETUP"
    associated = public.associate_software_token(Session=step["Session"])
    assert associated["Session"] != step["Session"]
    totp = pyotp.TOTP(associated["SecretCode"])
    with pytest.raises(ClientError) as excinfo:
        public.verify_software_token(Session=associated["Session"], UserCode=_other(totp.now()))
    assert error_code(excinfo) == "EnableSoftwareTokenMFAException"
    verified = public.verify_software_token(Session=associated["Session"], UserCode=totp.now())
    assert verified["Status"] == "SUCCESS"
    done = public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "alice"},
    )
    assert "AccessToken" in done["AuthenticationResult"]
    assert srp_login(public, local, "alice")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_set_user_settings_legacy_sms(mfa_pool: LocalPool, public: Any) -> None:
    """SetUserSettings with SMS MFAOptions turns SMS MFA on and shows in GetUser."""
    token = _signed_in_user(public, mfa_pool)
    options = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    public.set_user_settings(AccessToken=token, MFAOptions=options)
    user = public.get_user(AccessToken=token)
    assert user["MFAOptions"] == options
    assert "SMS_MFA" in user["UserMFASettingList"]
    assert srp_login(public, mfa_pool, "alice")["ChallengeName"] == "SMS_MFA"
    public.set_user_settings(AccessToken=token, MFAOptions=[])
    assert "MFAOptions" not in public.get_user(AccessToken=token)
    with pytest.raises(ClientError) as excinfo:
        public.set_user_settings(
            AccessToken=token, MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}]
        )
    assert error_code(excinfo) == "InvalidParameterException"
