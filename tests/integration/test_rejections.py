"""What Cognito refuses, refused: wrong passwords and codes, through the library, against the
strict local Cognito (plain moto would accept them all). Each asserts the exact AWS code."""

from __future__ import annotations

import time

import boto3
import pyotp
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from cognito_user_pool import (
    AsyncUserPool,
    Challenge,
    CodeMismatchError,
    CognitoError,
    ExpiredCodeError,
    NotAuthorizedError,
    Tokens,
)
from cognito_user_pool.local import LocalCognito

from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio


def _other_code(code: str) -> str:
    """A six-digit code guaranteed to differ from ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_wrong_password_is_refused(backend: Backend, pool: AsyncUserPool) -> None:
    """An SRP proof made with a wrong password gives NotAuthorizedException."""
    backend.create_confirmed_user("alice")
    with pytest.raises(NotAuthorizedError) as info:
        await pool.login(username="alice", password="Wr0ng-Passw0rd!")
    assert info.value.code == "NotAuthorizedException"
    assert "Wr0ng-Passw0rd!" not in str(info.value)
    assert isinstance(await pool.login(username="alice", password=PASSWORD), Tokens)


async def test_wrong_and_reused_confirmation_codes(backend: Backend, pool: AsyncUserPool) -> None:
    """A wrong sign-up code is a CodeMismatch; a superseded one is expired; a used one fails."""
    await pool.signup(username="bob", password=PASSWORD, attributes={"email": "b@example.com"})
    first = backend.code("bob", "signup")
    with pytest.raises(CodeMismatchError) as info:
        await pool.signup_confirm(username="bob", confirmation_code=_other_code(first))
    assert info.value.code == "CodeMismatchException"

    await pool.signup_resend(username="bob")
    newest = backend.code("bob", "signup")
    if newest != first:
        with pytest.raises(ExpiredCodeError) as expired:
            await pool.signup_confirm(username="bob", confirmation_code=first)
        assert expired.value.code == "ExpiredCodeException"
    await pool.signup_confirm(username="bob", confirmation_code=newest)
    # Used: the account is confirmed, and AWS refuses a second confirmation.
    with pytest.raises(CognitoError) as reused:
        await pool.signup_confirm(username="bob", confirmation_code=newest)
    assert reused.value.code in {"NotAuthorizedException", "ExpiredCodeException"}


async def test_wrong_forgot_password_code(backend: Backend, pool: AsyncUserPool) -> None:
    """A wrong reset code gives CodeMismatchException and leaves the password unchanged."""
    backend.create_confirmed_user("carol", email="c@example.com", email_verified="true")
    await pool.password_forgot(username="carol")
    code = backend.code("carol", "forgot_password")
    with pytest.raises(CodeMismatchError) as info:
        await pool.password_reset(
            username="carol", password_reset_code=_other_code(code), new_password="N3w-Pass!"
        )
    assert info.value.code == "CodeMismatchException"
    assert isinstance(await pool.login(username="carol", password=PASSWORD), Tokens)


async def test_wrong_attribute_code(backend: Backend, pool: AsyncUserPool) -> None:
    """A wrong attribute-verification code gives CodeMismatchException."""
    backend.create_confirmed_user("dave", email="d@example.com", email_verified="true")
    tokens = await pool.login(username="dave", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    await pool.profile_edit(attributes={"email": "d2@example.com"}, auth=tokens)
    code = backend.code("dave", "verify_attribute")
    with pytest.raises(CodeMismatchError) as info:
        await pool.profile_attribute_confirm(
            attribute="email", confirmation_code=_other_code(code), auth=tokens
        )
    assert info.value.code == "CodeMismatchException"
    await pool.profile_attribute_confirm(attribute="email", confirmation_code=code, auth=tokens)
    profile = await pool.profile(auth=tokens)
    assert profile.get("email_verified") == "true"


async def test_wrong_sms_mfa_code(backend: Backend, pool: AsyncUserPool) -> None:
    """A wrong SMS code gives CodeMismatchException; the right one then signs in."""
    backend.create_confirmed_user("erin", phone_number="+14155550123")
    tokens = await pool.login(username="erin", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    await pool.set_mfa(enable_mfa=True, auth=tokens)
    challenge = await pool.login(username="erin", password=PASSWORD)
    assert isinstance(challenge, Challenge) and challenge.name == "SMS_MFA"
    code = backend.code("erin", "sms_mfa")
    with pytest.raises(CodeMismatchError) as info:
        await pool.login_mfa(username="erin", login_session=challenge, mfa_code=_other_code(code))
    assert info.value.code == "CodeMismatchException"
    # The bare session string still works: the pool kept it after the mismatch.
    done = await pool.login_mfa(username="erin", login_session=challenge.session, mfa_code=code)
    assert isinstance(done, Tokens)


async def test_wrong_totp_code(backend: Backend, pool: AsyncUserPool) -> None:
    """A wrong authenticator-app code gives CodeMismatchException; the right one signs in."""
    backend.create_confirmed_user("fay")
    tokens = await pool.login(username="fay", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    # TOTP set-up is not one of the seventeen flows: do it with a raw unsigned client.
    public = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=backend.local.endpoint_url,
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
    )
    secret = public.associate_software_token(AccessToken=tokens.access_token)["SecretCode"]
    totp = pyotp.TOTP(secret)
    public.verify_software_token(AccessToken=tokens.access_token, UserCode=totp.now())
    public.set_user_mfa_preference(
        AccessToken=tokens.access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    public.close()
    challenge = await pool.login(username="fay", password=PASSWORD)
    assert isinstance(challenge, Challenge) and challenge.name == "SOFTWARE_TOKEN_MFA"
    with pytest.raises(CodeMismatchError) as info:
        await pool.login_mfa(
            username="fay", login_session=challenge, mfa_code=_other_code(totp.now())
        )
    assert info.value.code == "CodeMismatchException"
    done = await pool.login_mfa(username="fay", login_session=challenge, mfa_code=totp.now())
    assert isinstance(done, Tokens)


async def test_answered_session_cannot_be_replayed(backend: Backend, pool: AsyncUserPool) -> None:
    """A challenge session is single-use: answering it twice is refused."""
    backend.create_confirmed_user("gus", phone_number="+14155550124")
    tokens = await pool.login(username="gus", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    await pool.set_mfa(enable_mfa=True, auth=tokens)
    challenge = await pool.login(username="gus", password=PASSWORD)
    assert isinstance(challenge, Challenge)
    code = backend.code("gus", "sms_mfa")
    assert isinstance(
        await pool.login_mfa(username="gus", login_session=challenge, mfa_code=code), Tokens
    )
    with pytest.raises(NotAuthorizedError):
        await pool.login_mfa(username="gus", login_session=challenge, mfa_code=code)


async def test_revoked_access_token_is_refused_by_message(
    backend: Backend, pool: AsyncUserPool
) -> None:
    """After logout, Cognito says the access token has been revoked."""
    backend.create_confirmed_user("hal")
    tokens = await pool.login(username="hal", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    await pool.logout(auth=tokens)
    with pytest.raises(NotAuthorizedError) as info:
        await pool.profile(auth=tokens)
    assert "revoked" in info.value.message.lower()


async def test_an_expired_access_token_is_refused(
    backend: Backend, pool: AsyncUserPool, local_cognito_server: LocalCognito
) -> None:
    """An access token past its ``exp``, sent through AsyncUserPool, is refused with AWS's
    message; the same call with the same token worked a moment before."""
    backend.create_confirmed_user("ed")
    tokens = await pool.login(username="ed", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    assert (await pool.profile(auth=tokens)).username == "ed"
    past_exp = tokens.access_token_expires_at - time.time() + 1
    local_cognito_server.advance_time(past_exp)
    try:
        with pytest.raises(NotAuthorizedError) as info:
            await pool.profile(auth=tokens)
    finally:
        local_cognito_server.advance_time(-past_exp)
    assert info.value.message == "Access Token has expired"


@pytest.mark.parametrize("srp_path", ["pure", "fast"])
async def test_both_srp_paths_pass_the_strict_verifier(
    backend: Backend, pool: AsyncUserPool, monkeypatch: pytest.MonkeyPatch, srp_path: str
) -> None:
    """pycognito's pure maths and the gmpy2 path each prove the right password only."""
    monkeypatch.setenv("COGNITO_USER_POOL_SRP", srp_path)
    backend.create_confirmed_user("ivy")
    with pytest.raises(NotAuthorizedError):
        await pool.login(username="ivy", password="Wr0ng-Passw0rd!")
    assert isinstance(await pool.login(username="ivy", password=PASSWORD), Tokens)
