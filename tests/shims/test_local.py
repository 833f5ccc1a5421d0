"""The shims against the strict local Cognito: what plain moto cannot prove (passwords, codes,
and the operations it lacks)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cognito_user_pool import CallbackUserPool, NotAuthorizedError, UserPool

from ._helpers import PASSWORD, failed, ok


def pool_data(local_pool: Any) -> dict[str, Any]:
    data = {
        "UserPoolId": local_pool.user_pool_id,
        "ClientId": local_pool.client_id,
        "endpoint": local_pool.endpoint_url,
    }
    if local_pool.client_secret:
        data["ClientSecret"] = local_pool.client_secret
    return data


@pytest.fixture
def strict(local_pool: Any) -> Iterator[CallbackUserPool]:
    with CallbackUserPool(pool_data(local_pool), max_attempts=1) as wrapper:
        yield wrapper


def signed_up(strict: CallbackUserPool, local_pool: Any, username: str) -> None:
    """A user signed up with an email, its code still waiting in the outbox."""
    ok(
        strict.signup,
        {
            "username": username,
            "password": PASSWORD,
            "attributes": [{"Name": "email", "Value": f"{username}@example.com"}],
        },
    )


def test_wrong_password_is_refused(local_pool: Any, strict: CallbackUserPool):
    """A wrong SRP password reaches the callback as NotAuthorizedException, and raises in sync."""
    username = local_pool.create_user("walt", PASSWORD)
    err = failed(strict.login, {"username": username, "password": PASSWORD + "x"})
    assert err.code == err.name == "NotAuthorizedException"
    with UserPool.from_config(strict.pool.config) as pool, pytest.raises(NotAuthorizedError):
        pool.login(username=username, password=PASSWORD + "x")
    assert set(ok(strict.login, {"username": username, "password": PASSWORD})) >= {"accessToken"}


def test_signup_resend_and_confirm_with_real_codes(local_pool: Any, strict: CallbackUserPool):
    """signupResend sends a new code; a wrong code is refused; the newest code confirms."""
    signed_up(strict, local_pool, "sam")
    local_pool.outbox.wait_for(username="sam", purpose="signup")
    resent = ok(strict.signupResend, {"username": "sam"})
    assert set(resent) == {"CodeDeliveryDetails"}
    assert resent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = local_pool.outbox.wait_for(username="sam", purpose="signup").code
    wrong = "000000" if code != "000000" else "111111"
    err = failed(strict.signupConfirm, {"username": "sam", "confirmationCode": wrong})
    assert err.code in {"CodeMismatchException", "ExpiredCodeException"}
    assert ok(strict.signupConfirm, {"username": "sam", "confirmationCode": code}) == "SUCCESS"


def test_attribute_confirm_and_delete(local_pool: Any, strict: CallbackUserPool):
    """profileEdit sends a code for a new email, profileAttributeConfirm verifies it, and an
    empty value deletes an attribute."""
    username = local_pool.create_user("vera", PASSWORD, {"email": "vera@example.com"})
    signed_in = {"username": username}
    login = ok(strict.login, {"username": username, "password": PASSWORD})
    signed_in.update(idToken=login["idToken"], accessToken=login["accessToken"])

    edit = {"attributes": {"email": "vera2@example.com", "name": "Vera"}, **signed_in}
    assert ok(strict.profileEdit, edit) == "SUCCESS"
    code = local_pool.outbox.wait_for(purpose="verify_attribute").code
    confirm = {"attribute": "email", "confirmationCode": code, **signed_in}
    assert ok(strict.profileAttributeConfirm, confirm) == "SUCCESS"
    profile = ok(strict.profile, signed_in)
    assert {"Name": "email_verified", "Value": "true"} in profile

    assert ok(strict.profileEdit, {"attributes": {"name": None}, **signed_in}) == "SUCCESS"
    assert not any(a["Name"] == "name" for a in ok(strict.profile, signed_in))


def test_password_forgot_and_reset_with_the_real_code(local_pool: Any, strict: CallbackUserPool):
    """passwordReset accepts only the code passwordForgot sent; the new password then works."""
    verified = {"email": "pat@example.com", "email_verified": "true"}
    username = local_pool.create_user("pat", PASSWORD, verified)
    forgot = ok(strict.passwordForgot, {"username": username})
    assert forgot["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = local_pool.outbox.wait_for(purpose="forgot_password").code
    new_password = PASSWORD + "2"
    reset = {"username": username, "passwordResetCode": code, "newPassword": new_password}
    assert ok(strict.passwordReset, reset) == "SUCCESS"
    assert "accessToken" in ok(strict.login, {"username": username, "password": new_password})
    assert failed(strict.login, {"username": username, "password": PASSWORD}).code == (
        "NotAuthorizedException"
    )


def test_sms_mfa_with_the_real_code(local_pool: Any, strict: CallbackUserPool):
    """With SMS MFA on, login asks for MFA_AUTH; a wrong code fails, the sent code signs in."""
    username = local_pool.create_user(
        "mia", PASSWORD, {"email": "mia@example.com", "phone_number": "+14155550100"}
    )
    login = ok(strict.login, {"username": username, "password": PASSWORD})
    signed_in = {"username": username, "accessToken": login["accessToken"]}
    assert ok(strict.setMfa, {"enableMfa": True, **signed_in}) == "SUCCESS"
    assert ok(strict.getMfa, signed_in) == [
        {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}
    ]

    step = ok(strict.login, {"username": username, "password": PASSWORD})
    assert step["nextStep"] == "MFA_AUTH"
    code = local_pool.outbox.wait_for(purpose="sms_mfa").code
    wrong = {"username": username, "loginSession": step["loginSession"], "mfaCode": "000000"}
    if code != "000000":
        assert failed(strict.loginMfa, wrong).code == "CodeMismatchException"
        step = ok(strict.login, {"username": username, "password": PASSWORD})
        code = local_pool.outbox.wait_for(purpose="sms_mfa").code
    answer = {"username": username, "loginSession": step["loginSession"], "mfaCode": code}
    assert "accessToken" in ok(strict.loginMfa, answer)


def test_client_secret_pool(local_server: Any):
    """With ClientSecret in the pool data, sign-up, login and refresh carry a valid SECRET_HASH."""
    secret_pool = local_server.create_pool(client_secret=True)
    try:
        with CallbackUserPool(pool_data(secret_pool), max_attempts=1) as wrapper:
            username = secret_pool.create_user("sue", PASSWORD)
            login = ok(wrapper.login, {"username": username, "password": PASSWORD})
            refresh = {"username": username, "refreshToken": login["refreshToken"]}
            assert "accessToken" in ok(wrapper.refreshSession, refresh)
    finally:
        local_server.delete_pool(secret_pool.user_pool_id)


@pytest.mark.parametrize("phone", ["absent", None], ids=["absent", "null"])
def test_phone_number_absent_or_null_removes_it(
    local_pool: Any, strict: CallbackUserPool, phone: str | None
):
    """profileEditPhoneNumber without phone_number, or with null, turns SMS MFA off and deletes
    the number, as the Node library documents; a number in params still sets it."""
    username = local_pool.create_user("phil", PASSWORD, {"phone_number": "+14155550100"})
    login = ok(strict.login, {"username": username, "password": PASSWORD})
    signed_in = {"username": username, "accessToken": login["accessToken"]}
    assert ok(strict.setMfa, {"enableMfa": True, **signed_in}) == "SUCCESS"
    assert ok(strict.getMfa, signed_in) is not None

    params: dict[str, Any] = dict(signed_in)
    if phone is None:
        params["phone_number"] = None
    assert ok(strict.profileEditPhoneNumber, params) == "SUCCESS"
    assert ok(strict.getMfa, signed_in) is None
    assert all(a["Name"] != "phone_number" for a in ok(strict.profile, signed_in))

    number = {"phone_number": "+14155550111", **signed_in}
    assert ok(strict.profileEditPhoneNumber, number) == "SUCCESS"
    assert {"Name": "phone_number", "Value": "+14155550111"} in ok(strict.profile, signed_in)
