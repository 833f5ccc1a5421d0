"""The library's AsyncUserPool against the strict local Cognito, end to end."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest

from cognito_user_pool import (
    CodeMismatchError,
    ExpiredCodeError,
    NotAuthorizedError,
)
from cognito_user_pool._types import Challenge, Tokens
from cognito_user_pool.local import LocalPool

from .conftest import PASSWORD

pytestmark = pytest.mark.anyio


async def test_signup_confirm_login(make_pool: Any) -> None:
    """signup -> code from the outbox -> signup_confirm -> SRP login, with a client secret."""
    local = make_pool(client_secret=True)
    async with local.pool() as pool:
        await pool.signup(
            username="alice", password=PASSWORD, attributes={"email": "a@example.com"}
        )
        first = local.outbox.wait_for(username="alice", purpose="signup").code
        await pool.signup_resend(username="alice")
        second = local.outbox.wait_for(username="alice", purpose="signup").code
        with pytest.raises(ExpiredCodeError):
            await pool.signup_confirm(username="alice", confirmation_code=first)
        wrong = f"{(int(second) + 1) % 1_000_000:06d}"
        with pytest.raises(CodeMismatchError):
            await pool.signup_confirm(username="alice", confirmation_code=wrong)
        await pool.signup_confirm(username="alice", confirmation_code=second)
        tokens = await pool.login(username="alice", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        with pytest.raises(NotAuthorizedError):
            await pool.login(username="alice", password="Wr0ng-password!")


async def test_email_pool_login_and_refresh(make_pool: Any) -> None:
    """In an email-as-username pool with a secret, login and refresh both pass the strict checks."""
    local: LocalPool = make_pool(client_secret=True, username_attributes=["email"])
    local.create_user("bea@example.com", PASSWORD, {"email_verified": "true"})
    async with local.pool() as pool:
        tokens = await pool.login(username="bea@example.com", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        assert tokens.refresh_token is not None
        refreshed = await pool.refresh_session(refresh_token=tokens.refresh_token)
        assert refreshed.access_token != tokens.access_token


async def test_totp_login(make_pool: Any, public: Any) -> None:
    """login returns a SOFTWARE_TOKEN_MFA Challenge; login_mfa with a pyotp code finishes it."""
    local: LocalPool = make_pool(mfa="OPTIONAL")
    local.create_user("cy", PASSWORD)
    token = srp_access_token(local, "cy")
    code_secret = public.associate_software_token(AccessToken=token)["SecretCode"]
    public.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(code_secret).now())
    public.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    async with local.pool() as pool:
        step = await pool.login(username="cy", password=PASSWORD)
        assert isinstance(step, Challenge)
        with pytest.raises(CodeMismatchError):
            await pool.login_mfa(
                username="cy",
                login_session=step,
                mfa_code="000000" if pyotp.TOTP(code_secret).now() != "000000" else "111111",
            )
        done = await pool.login_mfa(
            username="cy", login_session=step, mfa_code=pyotp.TOTP(code_secret).now()
        )
        assert isinstance(done, Tokens)


def srp_access_token(local: LocalPool, username: str) -> str:
    """An access token via ADMIN_USER_PASSWORD_AUTH (set-up only)."""
    result = local.admin.admin_initiate_auth(
        UserPoolId=local.user_pool_id,
        ClientId=local.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    return str(result["AuthenticationResult"]["AccessToken"])
