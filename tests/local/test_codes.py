"""Codes that are really checked: sign-up, resend, forgotten password, attribute verification."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalPool

from ._srp_client import secret_hash
from .conftest import PASSWORD, error_code, error_message, srp_login

EXPIRED = "Invalid code provided, please request a code again."


def _sign_up(public: Any, pool: LocalPool, username: str = "alice", **extra: Any) -> dict[str, Any]:
    return dict(
        public.sign_up(
            ClientId=pool.client_id,
            Username=username,
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
            **extra,
        )
    )


def _confirm(
    public: Any, pool: LocalPool, code: str, username: str = "alice", **extra: Any
) -> None:
    public.confirm_sign_up(
        ClientId=pool.client_id, Username=username, ConfirmationCode=code, **extra
    )


def test_sign_up_sends_code_and_confirms(pool: LocalPool, public: Any) -> None:
    """SignUp puts a 6-digit code in the outbox; the right code confirms and verifies email."""
    result = _sign_up(public, pool)
    assert result["UserConfirmed"] is False
    assert result["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    message = pool.outbox.wait_for(username="alice", purpose="signup")
    assert message.destination == "alice@example.com"
    assert message.attribute == "email"
    assert len(message.code) == 6 and message.code.isdigit()
    _confirm(public, pool, message.code)
    user = pool.admin.admin_get_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    assert "AccessToken" in srp_login(public, pool, "alice")["AuthenticationResult"]


def test_wrong_sign_up_code(pool: LocalPool, public: Any) -> None:
    """A wrong confirmation code is CodeMismatchException and the user stays unconfirmed."""
    _sign_up(public, pool)
    real = pool.outbox.wait_for(purpose="signup").code
    wrong = "000000" if real != "000000" else "111111"
    with pytest.raises(ClientError) as excinfo:
        _confirm(public, pool, wrong)
    assert error_code(excinfo) == "CodeMismatchException"
    user = pool.admin.admin_get_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert user["UserStatus"] == "UNCONFIRMED"


def test_reused_sign_up_code(pool: LocalPool, public: Any) -> None:
    """Confirming twice with the same code fails: the user is no longer UNCONFIRMED."""
    _sign_up(public, pool)
    code = pool.outbox.wait_for(purpose="signup").code
    _confirm(public, pool, code)
    with pytest.raises(ClientError) as excinfo:
        _confirm(public, pool, code)
    assert error_code(excinfo) == "NotAuthorizedException"
    assert error_message(excinfo) == "User cannot be confirmed. Current status is CONFIRMED"


def test_resend_supersedes_old_code(pool: LocalPool, public: Any) -> None:
    """ResendConfirmationCode sends a new code; the old one is ExpiredCodeException."""
    _sign_up(public, pool)
    old = pool.outbox.wait_for(purpose="signup").code
    resent = public.resend_confirmation_code(ClientId=pool.client_id, Username="alice")
    assert resent["CodeDeliveryDetails"]["AttributeName"] == "email"
    new = pool.outbox.wait_for(purpose="signup").code
    assert new != old
    with pytest.raises(ClientError) as excinfo:
        _confirm(public, pool, old)
    assert error_code(excinfo) == "ExpiredCodeException"
    assert error_message(excinfo) == EXPIRED
    _confirm(public, pool, new)


def test_resend_for_confirmed_user(pool: LocalPool, public: Any) -> None:
    """ResendConfirmationCode for a confirmed user is InvalidParameterException."""
    pool.create_user("bob", PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        public.resend_confirmation_code(ClientId=pool.client_id, Username="bob")
    assert error_code(excinfo) == "InvalidParameterException"


def test_resend_for_unknown_user(pool: LocalPool, public: Any) -> None:
    """ResendConfirmationCode for an unknown user is UserNotFoundException."""
    with pytest.raises(ClientError) as excinfo:
        public.resend_confirmation_code(ClientId=pool.client_id, Username="ghost")
    assert error_code(excinfo) == "UserNotFoundException"


def test_sign_up_secret_hash(make_pool: Any, public: Any) -> None:
    """With a client secret, SignUp, ConfirmSignUp and Resend need the SecretHash."""
    local = make_pool(client_secret=True)
    with pytest.raises(ClientError) as excinfo:
        _sign_up(public, local)
    assert error_code(excinfo) == "NotAuthorizedException"
    good = secret_hash(local.client_secret, "alice", local.client_id)
    _sign_up(public, local, SecretHash=good)
    code = local.outbox.wait_for(purpose="signup").code
    with pytest.raises(ClientError) as excinfo:
        _confirm(public, local, code, SecretHash=secret_hash("nope", "alice", local.client_id))
    assert error_code(excinfo) == "NotAuthorizedException"
    with pytest.raises(ClientError):
        public.resend_confirmation_code(ClientId=local.client_id, Username="alice")
    _confirm(public, local, code, SecretHash=good)


def test_with_both_auto_verified_the_code_goes_by_sms(make_pool: Any, public: Any) -> None:
    """A pool that auto-verifies e-mail and phone sends the sign-up code by SMS to a user who
    has both; to the e-mail of a user with no phone."""
    local = make_pool(auto_verified_attributes=["email", "phone_number"])
    both = public.sign_up(
        ClientId=local.client_id,
        Username="alice",
        Password=PASSWORD,
        UserAttributes=[
            {"Name": "phone_number", "Value": "+14155550123"},
            {"Name": "email", "Value": "alice@example.com"},
        ],
    )
    assert both["CodeDeliveryDetails"]["DeliveryMedium"] == "SMS"
    assert both["CodeDeliveryDetails"]["AttributeName"] == "phone_number"
    mail = _sign_up(public, local, "bob")
    assert mail["CodeDeliveryDetails"]["AttributeName"] == "email"


def test_no_auto_verification_no_code(make_pool: Any, public: Any) -> None:
    """Without auto-verified attributes SignUp sends nothing and any code is a mismatch."""
    local = make_pool(auto_verified_attributes=[])
    result = _sign_up(public, local)
    assert "CodeDeliveryDetails" not in result
    assert len(local.outbox) == 0
    with pytest.raises(ClientError) as excinfo:
        _confirm(public, local, "123456")
    assert error_code(excinfo) == "CodeMismatchException"


def test_forgot_password_flow(pool: LocalPool, public: Any) -> None:
    """ForgotPassword sends a code; the right code sets the new password, a reuse is expired."""
    pool.create_user("carol", PASSWORD, {"email": "carol@example.com", "email_verified": "true"})
    details = public.forgot_password(ClientId=pool.client_id, Username="carol")
    assert details["CodeDeliveryDetails"]["AttributeName"] == "email"
    code = pool.outbox.wait_for(username="carol", purpose="forgot_password").code
    new_password = "Another-pass1!"
    public.confirm_forgot_password(
        ClientId=pool.client_id, Username="carol", ConfirmationCode=code, Password=new_password
    )
    assert "AccessToken" in srp_login(public, pool, "carol", new_password)["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        public.confirm_forgot_password(
            ClientId=pool.client_id, Username="carol", ConfirmationCode=code, Password=PASSWORD
        )
    assert error_code(excinfo) == "ExpiredCodeException"


def test_wrong_forgot_password_code(pool: LocalPool, public: Any) -> None:
    """A wrong reset code is CodeMismatchException and the password is unchanged."""
    pool.create_user("carol", PASSWORD, {"email": "carol@example.com", "email_verified": "true"})
    public.forgot_password(ClientId=pool.client_id, Username="carol")
    real = pool.outbox.wait_for(purpose="forgot_password").code
    wrong = "999999" if real != "999999" else "888888"
    with pytest.raises(ClientError) as excinfo:
        public.confirm_forgot_password(
            ClientId=pool.client_id,
            Username="carol",
            ConfirmationCode=wrong,
            Password="Another-pass1!",
        )
    assert error_code(excinfo) == "CodeMismatchException"
    assert "AccessToken" in srp_login(public, pool, "carol")["AuthenticationResult"]


def test_forgot_password_needs_verified_channel(pool: LocalPool, public: Any) -> None:
    """Without a verified email or phone, ForgotPassword is InvalidParameterException."""
    pool.create_user("dan", PASSWORD, {"email": "dan@example.com"})
    with pytest.raises(ClientError) as excinfo:
        public.forgot_password(ClientId=pool.client_id, Username="dan")
    assert error_code(excinfo) == "InvalidParameterException"


def test_admin_reset_then_sign_in_requires_reset(pool: LocalPool, public: Any) -> None:
    """AdminResetUserPassword sends a code and sign-in says PasswordResetRequiredException."""
    pool.create_user("erin", PASSWORD, {"email": "erin@example.com", "email_verified": "true"})
    pool.admin.admin_reset_user_password(UserPoolId=pool.user_pool_id, Username="erin")
    code = pool.outbox.wait_for(username="erin", purpose="forgot_password").code
    with pytest.raises(ClientError) as excinfo:
        srp_login(public, pool, "erin")
    assert error_code(excinfo) == "PasswordResetRequiredException"
    public.confirm_forgot_password(
        ClientId=pool.client_id, Username="erin", ConfirmationCode=code, Password="Reset-pass1!"
    )
    assert "AccessToken" in srp_login(public, pool, "erin", "Reset-pass1!")["AuthenticationResult"]


def _tokens(public: Any, pool: LocalPool, username: str) -> str:
    return str(srp_login(public, pool, username)["AuthenticationResult"]["AccessToken"])


def test_attribute_verification(pool: LocalPool, public: Any) -> None:
    """GetUserAttributeVerificationCode + VerifyUserAttribute set email_verified to true."""
    pool.create_user("fay", PASSWORD, {"email": "fay@example.com"})
    token = _tokens(public, pool, "fay")
    details = public.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    assert details["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    message = pool.outbox.wait_for(username="fay", purpose="verify_attribute")
    assert message.attribute == "email"
    public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=message.code)
    attrs = {a["Name"]: a["Value"] for a in public.get_user(AccessToken=token)["UserAttributes"]}
    assert attrs["email_verified"] == "true"


def test_wrong_attribute_verification_code(pool: LocalPool, public: Any) -> None:
    """A wrong attribute-verification code is CodeMismatchException."""
    pool.create_user("fay", PASSWORD, {"email": "fay@example.com"})
    token = _tokens(public, pool, "fay")
    public.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    real = pool.outbox.wait_for(purpose="verify_attribute").code
    wrong = "123123" if real != "123123" else "321321"
    with pytest.raises(ClientError) as excinfo:
        public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=wrong)
    assert error_code(excinfo) == "CodeMismatchException"
    attrs = {a["Name"]: a["Value"] for a in public.get_user(AccessToken=token)["UserAttributes"]}
    assert attrs.get("email_verified") != "true"


def test_update_email_sends_verification(pool: LocalPool, public: Any) -> None:
    """Changing an auto-verified email unverifies it and sends a code for the new address."""
    pool.create_user("gus", PASSWORD, {"email": "gus@example.com", "email_verified": "true"})
    token = _tokens(public, pool, "gus")
    result = public.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": "gus2@example.com"}]
    )
    assert result["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    message = pool.outbox.wait_for(username="gus", purpose="verify_attribute")
    assert message.destination == "gus2@example.com"
    attrs = {a["Name"]: a["Value"] for a in public.get_user(AccessToken=token)["UserAttributes"]}
    assert attrs["email_verified"] == "false"


def test_delete_user_attributes(pool: LocalPool, public: Any) -> None:
    """DeleteUserAttributes removes the attribute; an unknown one is InvalidParameterException."""
    pool.create_user("hank", PASSWORD, {"name": "Hank", "email": "hank@example.com"})
    token = _tokens(public, pool, "hank")
    public.delete_user_attributes(AccessToken=token, UserAttributeNames=["name"])
    attrs = {a["Name"] for a in public.get_user(AccessToken=token)["UserAttributes"]}
    assert "name" not in attrs and "email" in attrs
    with pytest.raises(ClientError) as excinfo:
        public.delete_user_attributes(AccessToken=token, UserAttributeNames=["nickname"])
    assert error_code(excinfo) == "InvalidParameterException"


def test_outbox_last_and_filters(pool: LocalPool, public: Any) -> None:
    """outbox.last() returns the newest match; messages() filters; wait_for times out."""
    _sign_up(public, pool, "ann")
    _sign_up(public, pool, "ben")
    public.resend_confirmation_code(ClientId=pool.client_id, Username="ann")
    assert [m.username for m in pool.outbox.messages(purpose="signup")] == ["ann", "ben", "ann"]
    assert pool.outbox.last(username="ann").code == pool.outbox[2].code
    with pytest.raises(LookupError):
        pool.outbox.last(purpose="sms_mfa")
    with pytest.raises(TimeoutError):
        pool.outbox.wait_for(purpose="sms_mfa", timeout=0.05)


def test_outbox_is_per_pool(make_pool: Any, public: Any) -> None:
    """Each pool's outbox holds only its own messages."""
    first, second = make_pool(), make_pool()
    _sign_up(public, first, "ann")
    assert len(first.outbox) == 1
    assert len(second.outbox) == 0
