"""GetUserAuthFactors on the strict server: the user's MFA settings as GetUser shows them,
and the factors configured for sign-in, in the shape botocore's model gives the operation."""

from __future__ import annotations

from typing import Any

import botocore.session
import pyotp
import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalPool

from .conftest import PASSWORD, error_code, error_message, password_login

EMAIL = "alice@example.com"
PHONE = "+15555550100"


def _token(public: Any, pool: LocalPool, **attrs: str) -> str:
    pool.create_user("alice", PASSWORD, attrs)
    return str(password_login(public, pool, "alice")["AuthenticationResult"]["AccessToken"])


def test_a_password_user(pool: LocalPool, public: Any) -> None:
    """No MFA: the username, an empty setting list, no preference, and PASSWORD only."""
    token = _token(public, pool, email=EMAIL)
    factors = public.get_user_auth_factors(AccessToken=token)
    assert factors["Username"] == "alice"
    assert factors["UserMFASettingList"] == []
    assert "PreferredMfaSetting" not in factors
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD"]


def test_every_mfa_factor(make_pool: Any, public: Any) -> None:
    """SMS, TOTP and e-mail MFA on, e-mail preferred: all listed as GetUser lists them, and
    configured as SMS_OTP, SOFTWARE_TOKEN and EMAIL_OTP after PASSWORD."""
    local = make_pool(mfa="OPTIONAL", email_mfa=True)
    token = _token(public, local, email=EMAIL, phone_number=PHONE)
    secret = public.associate_software_token(AccessToken=token)["SecretCode"]
    public.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).now())
    public.set_user_mfa_preference(
        AccessToken=token,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    factors = public.get_user_auth_factors(AccessToken=token)
    assert factors["UserMFASettingList"] == ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
    assert factors["PreferredMfaSetting"] == "EMAIL_OTP"
    assert factors["ConfiguredUserAuthFactors"] == [
        "PASSWORD",
        "EMAIL_OTP",
        "SMS_OTP",
        "SOFTWARE_TOKEN",
    ]
    user = public.get_user(AccessToken=token)
    assert user["UserMFASettingList"] == factors["UserMFASettingList"]
    assert user["PreferredMfaSetting"] == factors["PreferredMfaSetting"]


def test_first_factors_follow_the_sign_in_policy(make_pool: Any, public: Any) -> None:
    """A pool whose sign-in policy allows EMAIL_OTP first lists it for a user with an e-mail
    address, not for one without."""
    policies = {
        "PasswordPolicy": {"MinimumLength": 8},
        "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]},
    }
    local = make_pool(pool_config={"Policies": policies})
    token = _token(public, local, email=EMAIL)
    configured = public.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"]
    assert configured == ["PASSWORD", "EMAIL_OTP"]
    local.create_user("bob", PASSWORD)
    bob = password_login(public, local, "bob")["AuthenticationResult"]["AccessToken"]
    assert public.get_user_auth_factors(AccessToken=bob)["ConfiguredUserAuthFactors"] == [
        "PASSWORD"
    ]


def test_the_answer_fits_botocores_model(make_pool: Any, public: Any) -> None:
    """Every key is in botocore's output shape and every factor in its AuthFactorType enum."""
    local = make_pool(mfa="OPTIONAL", email_mfa=True)
    token = _token(public, local, email=EMAIL)
    public.set_user_mfa_preference(
        AccessToken=token, EmailMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    factors = public.get_user_auth_factors(AccessToken=token)
    model = botocore.session.get_session().get_service_model("cognito-idp")
    output = model.operation_model("GetUserAuthFactors").output_shape
    assert set(factors) - {"ResponseMetadata"} == set(output.members)
    enum = output.members["ConfiguredUserAuthFactors"].member.enum
    assert set(factors["ConfiguredUserAuthFactors"]) <= set(enum)


def test_needs_a_valid_access_token(pool: LocalPool, public: Any) -> None:
    """A token the server never issued is refused as every user API refuses it."""
    with pytest.raises(ClientError) as excinfo:
        public.get_user_auth_factors(AccessToken="not-a-token")
    assert (error_code(excinfo), error_message(excinfo)) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )
