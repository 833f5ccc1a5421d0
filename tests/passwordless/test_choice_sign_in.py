"""Choice-based sign-in (USER_AUTH) end to end against the strict local Cognito, on the
three surfaces: e-mail and SMS one-time codes (a wrong code refused), SELECT_CHALLENGE,
the password with and without SRP, the sign-up session, and USER_PASSWORD_AUTH."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_user_pool import (
    CallbackUserPool,
    Challenge,
    CodeMismatchError,
    InvalidParameterError,
    NotAuthorizedError,
    SignUpConfirmation,
    Tokens,
    UserPool,
)
from cognito_user_pool.local import LocalPool

from ..shims._helpers import failed, ok

pytestmark = pytest.mark.anyio

PASSWORD = "Passw0rd!choice"
ALL = ("PASSWORD", "EMAIL_OTP", "SMS_OTP")
EMAIL = {"email": "ann@example.com", "email_verified": "true"}
PHONE = {"phone_number": "+14155550123", "phone_number_verified": "true"}
OTP_POOL = pytest.mark.local_cognito(first_auth_factors=ALL)


def _other(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@OTP_POOL
async def test_an_email_code_signs_in_and_a_wrong_one_is_refused(local_cognito: LocalPool) -> None:
    local_cognito.create_user("ann", PASSWORD, EMAIL)
    async with local_cognito.pool() as pool:
        challenge = await pool.user_auth(username="ann", preferred_challenge="EMAIL_OTP")
        assert isinstance(challenge, Challenge) and challenge.name == "EMAIL_OTP"
        assert challenge.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
        code = local_cognito.outbox.last(username="ann", purpose="email_otp").code
        with pytest.raises(CodeMismatchError):
            await pool.login_mfa(username="ann", login_session=challenge, mfa_code=_other(code))
        tokens = await pool.login_mfa(username="ann", login_session=challenge, mfa_code=code)
        assert isinstance(tokens, Tokens)
        assert (await pool.profile(auth=tokens)).get("email") == "ann@example.com"


@OTP_POOL
async def test_an_sms_code_signs_in(local_cognito: LocalPool) -> None:
    local_cognito.create_user("bob", PASSWORD, PHONE)
    async with local_cognito.pool() as pool:
        challenge = await pool.user_auth(username="bob", preferred_challenge="SMS_OTP")
        assert isinstance(challenge, Challenge) and challenge.name == "SMS_OTP"
        code = local_cognito.outbox.last(username="bob", purpose="sms_otp").code
        tokens = await pool.login_mfa(username="bob", login_session=challenge, mfa_code=code)
        assert isinstance(tokens, Tokens)


@OTP_POOL
async def test_the_user_chooses_among_the_available_factors(local_cognito: LocalPool) -> None:
    local_cognito.create_user("cat", PASSWORD, {**EMAIL, "email": "cat@example.com"})
    async with local_cognito.pool() as pool:
        choice = await pool.user_auth(username="cat")
        assert isinstance(choice, Challenge) and choice.name == "SELECT_CHALLENGE"
        assert {"EMAIL_OTP", "PASSWORD", "PASSWORD_SRP"} <= set(choice.available)
        assert "SMS_OTP" not in choice.available  # no verified phone
        with pytest.raises(NotAuthorizedError):
            await pool.select_challenge(
                username="cat", login_session=choice, answer="PASSWORD_SRP", password="Wr0ng!pw"
            )
        choice = await pool.user_auth(username="cat")
        assert isinstance(choice, Challenge)
        tokens = await pool.select_challenge(
            username="cat", login_session=choice, answer="PASSWORD_SRP", password=PASSWORD
        )
        assert isinstance(tokens, Tokens)
        choice = await pool.user_auth(username="cat")
        assert isinstance(choice, Challenge)
        emailed = await pool.select_challenge(
            username="cat", login_session=choice, answer="EMAIL_OTP"
        )
        assert isinstance(emailed, Challenge) and emailed.name == "EMAIL_OTP"
        code = local_cognito.outbox.last(username="cat", purpose="email_otp").code
        signed_in = await pool.login_mfa(username="cat", login_session=emailed, mfa_code=code)
        assert isinstance(signed_in, Tokens)


@OTP_POOL
@pytest.mark.parametrize("factor", ["PASSWORD", "PASSWORD_SRP"])
async def test_the_password_under_user_auth(local_cognito: LocalPool, factor: Any) -> None:
    local_cognito.create_user("dan", PASSWORD)
    async with local_cognito.pool() as pool:
        tokens = await pool.user_auth(username="dan", preferred_challenge=factor, password=PASSWORD)
        assert isinstance(tokens, Tokens)
        with pytest.raises(NotAuthorizedError):
            await pool.user_auth(username="dan", preferred_challenge=factor, password="Wr0ng!pw")


@pytest.mark.local_cognito(client_secret=True)
async def test_the_sign_up_session_signs_in_once(local_cognito: LocalPool) -> None:
    """ConfirmSignUp's Session is exchanged for tokens without another factor, once; with a
    client secret, so that SECRET_HASH goes with each request."""
    async with local_cognito.pool() as pool:
        await pool.signup(username="eve", password=PASSWORD, attributes={"email": "e@x.io"})
        code = local_cognito.outbox.last(username="eve", purpose="signup").code
        confirmed = await pool.signup_confirm(username="eve", confirmation_code=code)
        assert isinstance(confirmed, SignUpConfirmation) and confirmed.session
        assert confirmed.session not in repr(confirmed)
        tokens = await pool.user_auth(username="eve", session=confirmed.session)
        assert isinstance(tokens, Tokens)
        with pytest.raises(NotAuthorizedError):
            await pool.user_auth(username="eve", session=confirmed.session)


async def test_user_password_auth(local_cognito: LocalPool) -> None:
    local_cognito.create_user("fay", PASSWORD)
    async with local_cognito.pool() as pool:
        assert isinstance(await pool.user_password_auth(username="fay", password=PASSWORD), Tokens)
        with pytest.raises(NotAuthorizedError):
            await pool.user_password_auth(username="fay", password="Wr0ng!pw")


async def test_a_factor_the_pool_does_not_allow_leads_to_the_choice(
    local_cognito: LocalPool,
) -> None:
    """A pool that allows the password only: asked for an e-mail code, Cognito offers the
    choices the user has instead."""
    local_cognito.create_user("gus", PASSWORD, {**EMAIL, "email": "gus@example.com"})
    async with local_cognito.pool() as pool:
        choice = await pool.user_auth(username="gus", preferred_challenge="EMAIL_OTP")
        assert isinstance(choice, Challenge) and choice.name == "SELECT_CHALLENGE"
        assert "EMAIL_OTP" not in choice.available
        with pytest.raises(InvalidParameterError):
            await pool.select_challenge(username="gus", login_session=choice, answer="EMAIL_OTP")


@OTP_POOL
def test_the_blocking_pool_signs_in_with_an_email_code(local_cognito: LocalPool) -> None:
    local_cognito.create_user("hal", PASSWORD, {**EMAIL, "email": "hal@example.com"})
    with UserPool(
        local_cognito.user_pool_id, local_cognito.client_id, endpoint_url=local_cognito.endpoint_url
    ) as pool:
        challenge = pool.user_auth(username="hal", preferred_challenge="EMAIL_OTP")
        assert isinstance(challenge, Challenge)
        code = local_cognito.outbox.last(username="hal", purpose="email_otp").code
        with pytest.raises(CodeMismatchError):
            pool.login_mfa(username="hal", login_session=challenge, mfa_code=_other(code))
        assert isinstance(
            pool.login_mfa(username="hal", login_session=challenge, mfa_code=code), Tokens
        )


@OTP_POOL
def test_the_callback_pool_signs_in_with_an_email_code(local_cognito: LocalPool) -> None:
    local_cognito.create_user("ivy", PASSWORD, {**EMAIL, "email": "ivy@example.com"})
    wrapper = CallbackUserPool(
        {
            "UserPoolId": local_cognito.user_pool_id,
            "ClientId": local_cognito.client_id,
            "endpoint": local_cognito.endpoint_url,
        }
    )
    try:
        step = ok(wrapper.userAuth, {"username": "ivy", "preferredChallenge": "EMAIL_OTP"})
        assert step["nextStep"] == "EMAIL_OTP"
        code = local_cognito.outbox.last(username="ivy", purpose="email_otp").code
        err = failed(
            wrapper.loginMfa,
            {"username": "ivy", "loginSession": step["loginSession"], "mfaCode": _other(code)},
        )
        assert err.code == "CodeMismatchException"
        tokens = ok(
            wrapper.loginMfa,
            {"username": "ivy", "loginSession": step["loginSession"], "mfaCode": code},
        )
        assert tokens["accessToken"]
        choice = ok(wrapper.userAuth, {"username": "ivy"})
        assert choice["nextStep"] == "SELECT_CHALLENGE"
        assert "EMAIL_OTP" in choice["availableChallenges"]
        done = ok(
            wrapper.selectChallenge,
            {
                "username": "ivy",
                "loginSession": choice["loginSession"],
                "answer": "PASSWORD",
                "password": PASSWORD,
            },
        )
        assert done["accessToken"]
    finally:
        wrapper.close()
