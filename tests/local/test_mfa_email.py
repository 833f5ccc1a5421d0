"""E-mail MFA on the strict server: the pool option and AWS's rules for it, the user's
preference, the EMAIL_OTP challenge with codes from the outbox, SELECT_MFA_TYPE with e-mail
among the choices, and e-mail MFA set up inside a sign-in (MFA_SETUP)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalCognito, LocalPool

from .conftest import (
    PASSWORD,
    error_code,
    error_message,
    password_login,
    public_client,
    srp_login,
)

EMAIL = "alice@example.com"
PHONE = "+15555550100"
NO_SES = (
    "Cannot set EmailMfaConfiguration when user pool EmailConfiguration contains an "
    "EmailSendingAccount of COGNITO_DEFAULT.Update the value of EmailSendingAccount"
)
LITE = "The following feature is not available for the LITE pricing tier configured: Email MFA"


@pytest.fixture
def email_pool(make_pool: Any) -> LocalPool:
    """A pool with optional MFA by SMS, TOTP and e-mail."""
    return make_pool(mfa="OPTIONAL", email_mfa=True)  # type: ignore[no-any-return]


def _token(public: Any, pool: LocalPool, username: str = "alice", **attrs: str) -> str:
    """A new user with ``attrs``, signed in (no MFA yet): its access token."""
    pool.create_user(username, PASSWORD, attrs)
    return str(password_login(public, pool, username)["AuthenticationResult"]["AccessToken"])


def _prefer(public: Any, token: str, **settings: dict[str, bool]) -> None:
    public.set_user_mfa_preference(AccessToken=token, **settings)


def _respond(public: Any, pool: LocalPool, step: dict[str, Any], **answers: str) -> Any:
    return public.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName=step["ChallengeName"],
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", **answers},
    )


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _email_user(public: Any, pool: LocalPool) -> str:
    """alice, with e-mail MFA on and preferred: her access token."""
    token = _token(public, pool, email=EMAIL)
    _prefer(public, token, EmailMfaSettings={"Enabled": True, "PreferredMfa": True})
    return token


def _attributes(public: Any, token: str) -> dict[str, str]:
    user = public.get_user(AccessToken=token)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


# ---- the pool ----------------------------------------------------------------------------


def test_the_pool_option_configures_what_aws_requires(email_pool: LocalPool) -> None:
    """``email_mfa=True`` gives the pool the Essentials plan, an SES e-mail configuration and
    an EmailMfaConfiguration that GetUserPoolMfaConfig shows."""
    admin = email_pool.admin
    described = admin.describe_user_pool(UserPoolId=email_pool.user_pool_id)["UserPool"]
    assert described["UserPoolTier"] == "ESSENTIALS"
    assert described["EmailConfiguration"]["EmailSendingAccount"] == "DEVELOPER"
    config = admin.get_user_pool_mfa_config(UserPoolId=email_pool.user_pool_id)
    assert config["EmailMfaConfiguration"] == {}
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}


def test_the_pool_option_needs_mfa(make_pool: Any) -> None:
    """``email_mfa`` with MFA off is refused before any pool is made."""
    with pytest.raises(ValueError, match="email_mfa needs mfa"):
        make_pool(email_mfa=True)
    with pytest.raises(ValueError, match="email_mfa needs mfa"):
        LocalCognito(email_mfa=True)


def test_email_mfa_needs_an_ses_configuration(pool: LocalPool) -> None:
    """SetUserPoolMfaConfig refuses EmailMfaConfiguration on a pool that sends e-mail with
    Cognito's default, with AWS's words."""
    with pytest.raises(ClientError) as excinfo:
        pool.admin.set_user_pool_mfa_config(
            UserPoolId=pool.user_pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={}
        )
    assert (error_code(excinfo), error_message(excinfo)) == ("InvalidParameterException", NO_SES)
    config = pool.admin.get_user_pool_mfa_config(UserPoolId=pool.user_pool_id)
    assert "EmailMfaConfiguration" not in config


def test_email_mfa_needs_the_essentials_plan(make_pool: Any) -> None:
    """On the Lite plan SetUserPoolMfaConfig answers FeatureUnavailableInTierException."""
    ses = {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:1:identity/a"}
    lite = make_pool(pool_config={"UserPoolTier": "LITE", "EmailConfiguration": ses})
    with pytest.raises(ClientError) as excinfo:
        lite.admin.set_user_pool_mfa_config(
            UserPoolId=lite.user_pool_id, MfaConfiguration="ON", EmailMfaConfiguration={}
        )
    assert error_code(excinfo) == "FeatureUnavailableInTierException"
    assert error_message(excinfo) == LITE


def test_mfa_off_refuses_any_factor(email_pool: LocalPool) -> None:
    """MFA OFF with a factor configured, or ON/OPTIONAL with none, is refused."""
    admin, pool_id = email_pool.admin, email_pool.user_pool_id
    with pytest.raises(ClientError) as excinfo:
        admin.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration="OFF", EmailMfaConfiguration={}
        )
    assert "can't turn off MFA and configure an MFA together" in error_message(excinfo)
    with pytest.raises(ClientError) as excinfo:
        admin.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL")
    assert "can't disable all MFAs" in error_message(excinfo)
    assert admin.get_user_pool_mfa_config(UserPoolId=pool_id)["EmailMfaConfiguration"] == {}


def test_each_call_sets_every_factor(email_pool: LocalPool) -> None:
    """The e-mail template round-trips; a later call without EmailMfaConfiguration turns
    e-mail MFA off, and then e-mail MFA cannot be switched on for a user."""
    admin, pool_id = email_pool.admin, email_pool.user_pool_id
    template = {"Subject": "Your code", "Message": "Code: {####}"}
    answer = admin.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="ON", EmailMfaConfiguration=template
    )
    assert answer["EmailMfaConfiguration"] == template
    assert admin.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "ON"
    admin.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    config = admin.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert "EmailMfaConfiguration" not in config and "SmsMfaConfiguration" not in config


# ---- the user's preference ---------------------------------------------------------------


def test_preference_shows_in_get_user(email_pool: LocalPool, public: Any) -> None:
    """Email MFA switched on and preferred shows in GetUser; switched off, it and the
    preference go."""
    token = _email_user(public, email_pool)
    user = public.get_user(AccessToken=token)
    assert user["UserMFASettingList"] == ["EMAIL_OTP"]
    assert user["PreferredMfaSetting"] == "EMAIL_OTP"
    _prefer(public, token, EmailMfaSettings={"Enabled": False, "PreferredMfa": False})
    user = public.get_user(AccessToken=token)
    assert user["UserMFASettingList"] == []
    assert "PreferredMfaSetting" not in user


def test_email_mfa_refused_on_a_pool_without_it(make_pool: Any, public: Any) -> None:
    """A pool without e-mail MFA refuses to switch it on for a user; switching it off passes."""
    local = make_pool(mfa="OPTIONAL")
    token = _token(public, local, email=EMAIL)
    with pytest.raises(ClientError) as excinfo:
        _prefer(public, token, EmailMfaSettings={"Enabled": True})
    assert error_code(excinfo) == "InvalidParameterException"
    _prefer(public, token, EmailMfaSettings={"Enabled": False})
    assert public.get_user(AccessToken=token)["UserMFASettingList"] == []


def test_email_mfa_refused_on_the_lite_plan(make_pool: Any, public: Any) -> None:
    """On the Lite plan the user's e-mail MFA is refused as the pool's is."""
    local = make_pool(mfa="OPTIONAL", pool_config={"UserPoolTier": "LITE"})
    token = _token(public, local, email=EMAIL)
    with pytest.raises(ClientError) as excinfo:
        _prefer(public, token, EmailMfaSettings={"Enabled": True})
    assert (error_code(excinfo), error_message(excinfo)) == (
        "FeatureUnavailableInTierException",
        LITE,
    )


def test_email_mfa_needs_an_email_address(email_pool: LocalPool, public: Any) -> None:
    """A user without an e-mail address cannot switch e-mail MFA on."""
    token = _token(public, email_pool, phone_number=PHONE)
    with pytest.raises(ClientError) as excinfo:
        _prefer(public, token, EmailMfaSettings={"Enabled": True})
    assert error_message(excinfo) == "User does not have delivery config set to turn on EMAIL_OTP"


def test_totp_before_verification_gets_aws_words(email_pool: LocalPool, public: Any) -> None:
    """TOTP switched on before VerifySoftwareToken: AWS's "delivery config" message."""
    token = _token(public, email_pool, email=EMAIL)
    with pytest.raises(ClientError) as excinfo:
        _prefer(public, token, SoftwareTokenMfaSettings={"Enabled": True})
    assert error_message(excinfo) == (
        "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
    )


def test_preferring_needs_one_enabled_factor(email_pool: LocalPool, public: Any) -> None:
    """Preferring a factor switched off, or two factors, is refused and changes nothing."""
    token = _token(public, email_pool, email=EMAIL, phone_number=PHONE)
    with pytest.raises(ClientError) as excinfo:
        _prefer(public, token, EmailMfaSettings={"Enabled": False, "PreferredMfa": True})
    assert error_code(excinfo) == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        _prefer(
            public,
            token,
            EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
            SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
    assert error_code(excinfo) == "InvalidParameterException"
    user = public.get_user(AccessToken=token)
    assert user["UserMFASettingList"] == [] and "PreferredMfaSetting" not in user


# ---- EMAIL_OTP at sign-in ----------------------------------------------------------------


def test_email_otp_challenge_and_code(email_pool: LocalPool, public: Any) -> None:
    """Sign-in asks EMAIL_OTP with the masked address; the outbox holds the code; a wrong
    code is AWS's CodeMismatchException, the right one signs in and verifies the address."""
    token = _email_user(public, email_pool)
    step = srp_login(public, email_pool, "alice")
    assert step["ChallengeName"] == "EMAIL_OTP"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "a***@e***"
    message = email_pool.outbox.wait_for(username="alice", purpose="email_mfa")
    assert (message.destination, message.medium, message.attribute) == (EMAIL, "EMAIL", "email")
    with pytest.raises(ClientError) as excinfo:
        _respond(public, email_pool, step, EMAIL_OTP_CODE=_other(message.code))
    assert (error_code(excinfo), error_message(excinfo)) == (
        "CodeMismatchException",
        "Invalid code or auth state for the user.",
    )
    assert _attributes(public, token).get("email_verified") != "true"
    done = _respond(public, email_pool, step, EMAIL_OTP_CODE=message.code)
    assert "AccessToken" in done["AuthenticationResult"]
    assert _attributes(public, token)["email_verified"] == "true"


def test_used_and_superseded_codes_are_expired(email_pool: LocalPool, public: Any) -> None:
    """A used code does not sign in again, nor does a code a later sign-in superseded; the
    answered session is spent."""
    _email_user(public, email_pool)
    first = password_login(public, email_pool, "alice")
    used = email_pool.outbox.wait_for(purpose="email_mfa").code
    _respond(public, email_pool, first, EMAIL_OTP_CODE=used)
    with pytest.raises(ClientError) as excinfo:
        _respond(public, email_pool, first, EMAIL_OTP_CODE=used)
    assert error_message(excinfo) == "Invalid session for the user, session can only be used once."
    second = password_login(public, email_pool, "alice")
    with pytest.raises(ClientError) as excinfo:
        _respond(public, email_pool, second, EMAIL_OTP_CODE=used)
    assert error_code(excinfo) == "ExpiredCodeException"
    superseded = email_pool.outbox.wait_for(purpose="email_mfa").code  # second's, never used
    third = password_login(public, email_pool, "alice")
    with pytest.raises(ClientError) as excinfo:
        _respond(public, email_pool, third, EMAIL_OTP_CODE=superseded)
    assert error_code(excinfo) == "ExpiredCodeException"


def test_expired_session_and_three_wrong_codes(
    email_pool: LocalPool, public: Any, server: LocalCognito
) -> None:
    """An EMAIL_OTP session ends when it expires, and after three wrong codes."""
    _email_user(public, email_pool)
    step = password_login(public, email_pool, "alice")
    code = email_pool.outbox.wait_for(purpose="email_mfa").code
    server.advance_time(181)
    try:
        with pytest.raises(ClientError) as excinfo:
            _respond(public, email_pool, step, EMAIL_OTP_CODE=code)
    finally:
        server.advance_time(-181)
    assert error_message(excinfo) == "Invalid session for the user, session is expired."
    step = password_login(public, email_pool, "alice")
    code = email_pool.outbox.last(purpose="email_mfa").code
    for _ in range(3):
        with pytest.raises(ClientError):
            _respond(public, email_pool, step, EMAIL_OTP_CODE=_other(code))
    with pytest.raises(ClientError) as excinfo:
        _respond(public, email_pool, step, EMAIL_OTP_CODE=code)
    assert error_code(excinfo) == "NotAuthorizedException"


def test_mfa_required_sends_to_the_address_the_user_has(make_pool: Any, public: Any) -> None:
    """MFA ON, no factor switched on, an e-mail address and no phone: EMAIL_OTP, no set-up."""
    local = make_pool(mfa="ON", email_mfa=True)
    local.create_user("alice", PASSWORD, {"email": EMAIL})
    step = password_login(public, local, "alice")
    assert step["ChallengeName"] == "EMAIL_OTP"
    code = local.outbox.wait_for(purpose="email_mfa").code
    assert (
        "AccessToken" in _respond(public, local, step, EMAIL_OTP_CODE=code)["AuthenticationResult"]
    )


def test_sms_mfa_verifies_the_phone_number(email_pool: LocalPool, public: Any) -> None:
    """The first MFA by SMS marks the phone number verified, as e-mail MFA does the address
    (developer guide, "SMS and email message MFA")."""
    token = _token(public, email_pool, phone_number=PHONE)
    _prefer(public, token, SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    step = password_login(public, email_pool, "alice")
    code = email_pool.outbox.wait_for(purpose="sms_mfa").code
    assert _attributes(public, token).get("phone_number_verified") != "true"
    _respond(public, email_pool, step, SMS_MFA_CODE=code)
    assert _attributes(public, token)["phone_number_verified"] == "true"


# ---- SELECT_MFA_TYPE ---------------------------------------------------------------------


def _all_factors(public: Any, pool: LocalPool) -> tuple[str, str]:
    """alice with SMS, TOTP and e-mail MFA on, none preferred: (token, TOTP secret)."""
    token = _token(public, pool, email=EMAIL, phone_number=PHONE)
    secret = str(public.associate_software_token(AccessToken=token)["SecretCode"])
    public.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).now())
    off = {"Enabled": True, "PreferredMfa": False}
    _prefer(public, token, SMSMfaSettings=off, SoftwareTokenMfaSettings=off, EmailMfaSettings=off)
    return token, secret


def test_select_among_three_then_email(email_pool: LocalPool, public: Any) -> None:
    """Three factors and no preference: SELECT_MFA_TYPE lists all three; ANSWER EMAIL_OTP
    leads to the EMAIL_OTP challenge, whose code signs in."""
    _all_factors(public, email_pool)
    step = password_login(public, email_pool, "alice")
    assert step["ChallengeName"] == "SELECT_MFA_TYPE"
    assert step["ChallengeParameters"]["MFAS_CAN_CHOOSE"] == (
        '["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]'
    )
    chosen = _respond(public, email_pool, step, ANSWER="EMAIL_OTP")
    assert chosen["ChallengeName"] == "EMAIL_OTP"
    code = email_pool.outbox.wait_for(purpose="email_mfa").code
    done = _respond(public, email_pool, chosen, EMAIL_OTP_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]


def test_select_answers_email_mfa_and_the_others(email_pool: LocalPool, public: Any) -> None:
    """The API reference's ``EMAIL_MFA`` picks e-mail too; TOTP and SMS are still offered."""
    _, secret = _all_factors(public, email_pool)
    step = password_login(public, email_pool, "alice")
    assert _respond(public, email_pool, step, ANSWER="EMAIL_MFA")["ChallengeName"] == "EMAIL_OTP"
    step = password_login(public, email_pool, "alice")
    totp = _respond(public, email_pool, step, ANSWER="SOFTWARE_TOKEN_MFA")
    done = _respond(public, email_pool, totp, SOFTWARE_TOKEN_MFA_CODE=pyotp.TOTP(secret).now())
    assert "AccessToken" in done["AuthenticationResult"]
    step = password_login(public, email_pool, "alice")
    assert _respond(public, email_pool, step, ANSWER="SMS_MFA")["ChallengeName"] == "SMS_MFA"


def test_select_among_two_refuses_the_third(email_pool: LocalPool, public: Any) -> None:
    """SMS and e-mail on: MFAS_CAN_CHOOSE lists those two, and ANSWER must be one of them."""
    token = _token(public, email_pool, email=EMAIL, phone_number=PHONE)
    on = {"Enabled": True, "PreferredMfa": False}
    _prefer(public, token, SMSMfaSettings=on, EmailMfaSettings=on)
    step = password_login(public, email_pool, "alice")
    assert step["ChallengeParameters"]["MFAS_CAN_CHOOSE"] == '["SMS_MFA", "EMAIL_OTP"]'
    with pytest.raises(ClientError) as excinfo:
        _respond(public, email_pool, step, ANSWER="SOFTWARE_TOKEN_MFA")
    assert error_code(excinfo) == "InvalidParameterException"
    assert _respond(public, email_pool, step, ANSWER="EMAIL_OTP")["ChallengeName"] == "EMAIL_OTP"


def test_preferred_email_skips_the_choice(email_pool: LocalPool, public: Any) -> None:
    """With SMS and e-mail on and e-mail preferred, sign-in goes straight to EMAIL_OTP."""
    token = _token(public, email_pool, email=EMAIL, phone_number=PHONE)
    _prefer(
        public,
        token,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    assert password_login(public, email_pool, "alice")["ChallengeName"] == "EMAIL_OTP"


# ---- MFA_SETUP ---------------------------------------------------------------------------


@pytest.fixture
def required(make_pool: Any) -> LocalPool:
    """MFA required, SMS, TOTP and e-mail offered; alice has neither phone nor e-mail."""
    local: LocalPool = make_pool(mfa="ON", email_mfa=True)
    local.create_user("alice", PASSWORD)
    return local


def test_mfa_setup_by_email(required: LocalPool, public: Any) -> None:
    """MFA_SETUP lists every factor of the pool; answered with EMAIL, an EMAIL_OTP challenge
    goes to that address, and its code signs in with e-mail MFA on for the next sign-in."""
    step = password_login(public, required, "alice")
    assert step["ChallengeName"] == "MFA_SETUP"
    assert step["ChallengeParameters"]["MFAS_CAN_SETUP"] == (
        '["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]'
    )
    otp = _respond(public, required, step, EMAIL="new@example.org")
    assert otp["ChallengeName"] == "EMAIL_OTP"
    assert otp["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "n***@e***"
    message = required.outbox.wait_for(purpose="email_mfa")
    assert message.destination == "new@example.org"
    with pytest.raises(ClientError) as excinfo:
        _respond(public, required, otp, EMAIL_OTP_CODE=_other(message.code))
    assert error_code(excinfo) == "CodeMismatchException"
    done = _respond(public, required, otp, EMAIL_OTP_CODE=message.code)
    token = done["AuthenticationResult"]["AccessToken"]
    user = public.get_user(AccessToken=token)
    assert user["UserMFASettingList"] == ["EMAIL_OTP"]
    assert user["PreferredMfaSetting"] == "EMAIL_OTP"
    attrs = _attributes(public, token)
    assert (attrs["email"], attrs["email_verified"]) == ("new@example.org", "true")
    assert password_login(public, required, "alice")["ChallengeName"] == "EMAIL_OTP"


def test_mfa_setup_by_email_unfinished_changes_nothing(required: LocalPool, public: Any) -> None:
    """Until the code is right, the user has neither the address nor e-mail MFA; an address
    that is not one is refused."""
    step = password_login(public, required, "alice")
    with pytest.raises(ClientError) as excinfo:
        _respond(public, required, step, EMAIL="not-an-address")
    assert error_code(excinfo) == "InvalidParameterException"
    _respond(public, required, step, EMAIL="new@example.org")
    required.outbox.wait_for(purpose="email_mfa")
    user = required.admin.admin_get_user(UserPoolId=required.user_pool_id, Username="alice")
    assert "email" not in {a["Name"] for a in user["UserAttributes"]}
    assert password_login(public, required, "alice")["ChallengeName"] == "MFA_SETUP"


def test_mfa_setup_by_email_needs_the_pool_option(make_pool: Any, public: Any) -> None:
    """Without e-mail MFA on the pool, MFA_SETUP offers no EMAIL_OTP and refuses EMAIL."""
    local = make_pool(mfa="ON")
    local.create_user("alice", PASSWORD)
    step = password_login(public, local, "alice")
    assert step["ChallengeParameters"]["MFAS_CAN_SETUP"] == '["SMS_MFA", "SOFTWARE_TOKEN_MFA"]'
    with pytest.raises(ClientError) as excinfo:
        _respond(public, local, step, EMAIL="new@example.org")
    assert error_code(excinfo) == "InvalidParameterException"


def test_mfa_setup_by_totp_still_works(required: LocalPool, public: Any) -> None:
    """In the same pool, TOTP set-up through the session still signs in."""
    step = password_login(public, required, "alice")
    associated = public.associate_software_token(Session=step["Session"])
    totp = pyotp.TOTP(associated["SecretCode"])
    verified = public.verify_software_token(Session=associated["Session"], UserCode=totp.now())
    done = _respond(public, required, {"ChallengeName": "MFA_SETUP", **verified})
    assert "AccessToken" in done["AuthenticationResult"]
    assert password_login(public, required, "alice")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


# ---- restarts ----------------------------------------------------------------------------


def test_email_mfa_survives_a_restart(tmp_path: Path) -> None:
    """A state file keeps the pool's e-mail MFA and the user's switch."""
    state = tmp_path / "state.json"
    with LocalCognito(state=state, mfa="OPTIONAL", email_mfa=True) as first:
        client = public_client(first.default)
        _email_user(client, first.default)
        client.close()
    with LocalCognito(state=state) as second:
        config = second.admin.get_user_pool_mfa_config(UserPoolId=second.user_pool_id)
        assert config["EmailMfaConfiguration"] == {}
        client = public_client(second.default)
        assert password_login(client, second.default, "alice")["ChallengeName"] == "EMAIL_OTP"
        client.close()
