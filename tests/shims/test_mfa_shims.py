"""MFA on the blocking and callback surfaces, against the strict local Cognito: TOTP enrolment
and sign-in (a wrong code refused), and MFA_SETUP inside a sign-in, each step in the shape
that surface uses (typed results for ``UserPool``; Node-style data with ``nextStep`` for
``CallbackUserPool``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pyotp
import pytest

from cognito_user_pool import (
    CallbackUserPool,
    Challenge,
    CodeMismatchError,
    EnableSoftwareTokenMFAError,
    Tokens,
    UserPool,
)

from ._helpers import PASSWORD, failed, ok
from .test_local import pool_data


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def strict(local_pool: Any) -> Iterator[CallbackUserPool]:
    with CallbackUserPool(pool_data(local_pool), max_attempts=1) as wrapper:
        yield wrapper


@pytest.fixture
def required_pool(local_server: Any) -> Iterator[Any]:
    """A fresh strict pool that requires MFA (SMS and TOTP configured)."""
    created = local_server.create_pool(mfa="ON")
    yield created
    local_server.delete_pool(created.user_pool_id)


def test_blocking_totp_enrolment_and_sign_in(local_pool: Any) -> None:
    """UserPool: enrol an app (a wrong code refused), turn TOTP on, sign in with its code."""
    username = local_pool.create_user("bo", PASSWORD)
    with UserPool.from_config(local_pool.pool().config) as pool:
        tokens = pool.login(username=username, password=PASSWORD)
        assert isinstance(tokens, Tokens)
        secret = pool.associate_software_token(auth=tokens)
        totp = pyotp.TOTP(secret.secret_code)
        with pytest.raises(EnableSoftwareTokenMFAError):
            pool.verify_software_token(auth=tokens, user_code=_wrong(totp.now()))
        pool.verify_software_token(auth=tokens, user_code=totp.now())
        pool.set_user_mfa_preference(auth=tokens, software_token_mfa=True)
        challenge = pool.login(username=username, password=PASSWORD)
        assert isinstance(challenge, Challenge) and challenge.name == "SOFTWARE_TOKEN_MFA"
        done = pool.login_mfa(username=username, login_session=challenge, mfa_code=totp.now())
        assert isinstance(done, Tokens)


def test_callback_totp_enrolment_and_sign_in(local_pool: Any, strict: CallbackUserPool) -> None:
    """CallbackUserPool: the same with Node names and shapes; the sign-in's next step is
    ``SOFTWARE_TOKEN_MFA``, answered by loginMfa with its challengeName."""
    username = local_pool.create_user("cy", PASSWORD)
    login = ok(strict.login, {"username": username, "password": PASSWORD})
    signed_in = {"accessToken": login["accessToken"]}
    secret = ok(strict.associateSoftwareToken, signed_in)
    assert set(secret) == {"secretCode", "session", "username"} and secret["session"] is None
    totp = pyotp.TOTP(secret["secretCode"])
    err = failed(strict.verifySoftwareToken, {**signed_in, "userCode": _wrong(totp.now())})
    assert err.code == "EnableSoftwareTokenMFAException"
    assert ok(strict.verifySoftwareToken, {**signed_in, "userCode": totp.now()}) == "SUCCESS"
    preference = {**signed_in, "softwareTokenMfa": True, "preferred": "SOFTWARE_TOKEN_MFA"}
    assert ok(strict.setUserMFAPreference, preference) == "SUCCESS"
    assert ok(strict.getMfa, signed_in) == [
        {"DeliveryMedium": "SOFTWARE_TOKEN", "AttributeName": None}
    ]

    step = ok(strict.login, {"username": username, "password": PASSWORD})
    assert step["nextStep"] == "SOFTWARE_TOKEN_MFA"
    answer = {"username": username, "loginSession": step["loginSession"]}
    err = failed(strict.loginMfa, {**answer, "mfaCode": _wrong(totp.now())})
    assert err.code == "CodeMismatchException"
    assert "accessToken" in ok(strict.loginMfa, {**answer, "mfaCode": totp.now()})


def test_callback_mfa_setup_during_sign_in(required_pool: Any) -> None:
    """A pool that requires MFA: login's next step is MFA_SETUP with the methods to set up;
    associateSoftwareToken with the loginSession hands a secret and a new session, and
    loginMfaSetup with the app's code signs in."""
    username = required_pool.create_user("di", PASSWORD)
    with CallbackUserPool(pool_data(required_pool), max_attempts=1) as wrapper:
        step = ok(wrapper.login, {"username": username, "password": PASSWORD})
        assert step["nextStep"] == "MFA_SETUP"
        assert "SOFTWARE_TOKEN_MFA" in step["mfaTypes"]
        secret = ok(wrapper.associateSoftwareToken, {"loginSession": step["loginSession"]})
        assert secret["session"] and secret["session"] != step["loginSession"]
        totp = pyotp.TOTP(secret["secretCode"])
        setup = {"username": username, "loginSession": secret["session"]}
        err = failed(wrapper.loginMfaSetup, {**setup, "mfaCode": _wrong(totp.now())})
        assert err.code == "EnableSoftwareTokenMFAException"
        assert "accessToken" in ok(wrapper.loginMfaSetup, {**setup, "mfaCode": totp.now()})


@pytest.fixture
def email_pool(local_server: Any) -> Iterator[Any]:
    """A fresh strict pool with SMS, TOTP and e-mail MFA, optional."""
    created = local_server.create_pool(mfa="OPTIONAL", email_mfa=True)
    yield created
    local_server.delete_pool(created.user_pool_id)


def test_blocking_select_then_email_code(email_pool: Any) -> None:
    """UserPool: a user with SMS, TOTP and e-mail on chooses at SELECT_MFA_TYPE; each choice
    leads to its code (a wrong e-mail code refused)."""
    username = email_pool.create_user(
        "ed",
        PASSWORD,
        {"email": "ed@example.com", "email_verified": "true", "phone_number": "+14155550111"},
    )
    with UserPool.from_config(email_pool.pool().config) as pool:
        tokens = pool.login(username=username, password=PASSWORD)
        assert isinstance(tokens, Tokens)
        secret = pool.associate_software_token(auth=tokens)
        totp = pyotp.TOTP(secret.secret_code)
        pool.verify_software_token(auth=tokens, user_code=totp.now())
        pool.set_user_mfa_preference(
            auth=tokens, sms_mfa=True, software_token_mfa=True, email_mfa=True
        )
        codes: dict[str, Callable[[], str]] = {
            "SOFTWARE_TOKEN_MFA": totp.now,
            "SMS_MFA": lambda: email_pool.outbox.last(username=username, purpose="sms_mfa").code,
            "EMAIL_OTP": lambda: (
                email_pool.outbox.last(username=username, purpose="email_mfa").code
            ),
        }
        for choice, code in codes.items():
            challenge = pool.login(username=username, password=PASSWORD)
            assert isinstance(challenge, Challenge) and challenge.name == "SELECT_MFA_TYPE"
            assert set(challenge.mfa_types) == set(codes)
            step = pool.login_select_mfa_type(
                username=username, login_session=challenge, mfa_type=choice
            )
            assert isinstance(step, Challenge) and step.name == choice
            if choice == "EMAIL_OTP":
                with pytest.raises(CodeMismatchError):
                    pool.login_mfa(username=username, login_session=step, mfa_code=_wrong(code()))
            done = pool.login_mfa(username=username, login_session=step, mfa_code=code())
            assert isinstance(done, Tokens)


def test_callback_select_email_and_new_password_into_mfa(
    email_pool: Any, local_server: Any
) -> None:
    """CallbackUserPool: SELECT_MFA_TYPE offers the methods as ``mfaTypes``; choosing e-mail
    gives an EMAIL_OTP step whose outbox code signs in (a wrong one refused). A user created
    by an administrator sets a new password and continues into MFA_SETUP."""
    username = email_pool.create_user(
        "fi", PASSWORD, {"email": "fi@example.com", "email_verified": "true"}
    )
    with CallbackUserPool(pool_data(email_pool), max_attempts=1) as wrapper:
        login = ok(wrapper.login, {"username": username, "password": PASSWORD})
        signed_in = {"accessToken": login["accessToken"]}
        secret = ok(wrapper.associateSoftwareToken, signed_in)
        totp = pyotp.TOTP(secret["secretCode"])
        ok(wrapper.verifySoftwareToken, {**signed_in, "userCode": totp.now()})
        both = {**signed_in, "softwareTokenMfa": True, "emailMfa": True}
        assert ok(wrapper.setUserMFAPreference, both) == "SUCCESS"
        step = ok(wrapper.login, {"username": username, "password": PASSWORD})
        assert step["nextStep"] == "SELECT_MFA_TYPE"
        assert set(step["mfaTypes"]) == {"SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}
        choice = {"username": username, "loginSession": step["loginSession"]}
        step = ok(wrapper.loginSelectMfaType, {**choice, "mfaType": "EMAIL_OTP"})
        assert step["nextStep"] == "EMAIL_OTP"
        code = email_pool.outbox.last(username=username, purpose="email_mfa").code
        answer = {"username": username, "loginSession": step["loginSession"]}
        err = failed(wrapper.loginMfa, {**answer, "mfaCode": _wrong(code)})
        assert err.code == "CodeMismatchException"
        assert "accessToken" in ok(wrapper.loginMfa, {**answer, "mfaCode": code})

    required = local_server.create_pool(mfa="ON")
    try:
        required.admin.admin_create_user(
            UserPoolId=required.user_pool_id,
            Username="gil",
            TemporaryPassword="Temp-Passw0rd!",
            MessageAction="SUPPRESS",
        )
        with CallbackUserPool(pool_data(required), max_attempts=1) as wrapper:
            first = ok(wrapper.login, {"username": "gil", "password": "Temp-Passw0rd!"})
            assert first["nextStep"] == "NEW_PASSWORD_REQUIRED"
            answer = {"username": "gil", "loginSession": first["loginSession"]}
            step = ok(wrapper.loginNewPasswordRequired, {**answer, "newPassword": PASSWORD})
            assert step["nextStep"] == "MFA_SETUP"
    finally:
        local_server.delete_pool(required.user_pool_id)
