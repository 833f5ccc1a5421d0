"""The whole user lifecycle, all seventeen flows, with the async API.

Runs against the strict local Cognito started in-process (no AWS account needed):

    python3 -m pip install '.[local]' && python3 examples/lifecycle.py

Codes that a real pool would e-mail or text are read from the local Cognito's outbox.
"""

from __future__ import annotations

import anyio

from cognito_user_pool import AsyncUserPool, Challenge, NotAuthorizedError, Tokens
from cognito_user_pool.local import LocalCognito

USERNAME = "alice"
PASSWORD = "Corr3ct-Horse!"


async def lifecycle(pool: AsyncUserPool, local: LocalCognito) -> None:
    """Sign up, log in, edit the profile, MFA on and off, passwords, log out."""
    outbox = local.outbox

    signed_up = await pool.signup(
        username=USERNAME, password=PASSWORD, attributes={"email": "alice@example.com"}
    )
    print("signup:", "confirmed" if signed_up.user_confirmed else "code sent")
    await pool.signup_resend(username=USERNAME)
    code = outbox.last(username=USERNAME, purpose="signup").code
    await pool.signup_confirm(username=USERNAME, confirmation_code=code)
    print("signup_confirm: ok (with the newest code from the outbox)")

    tokens = await pool.login(username=USERNAME, password=PASSWORD)
    assert isinstance(tokens, Tokens)
    print("login: tokens, access token expires at", tokens.access_token_expires_at)

    profile = await pool.profile(auth=tokens)
    print("profile:", profile.as_dict().get("email"))
    await pool.profile_edit(attributes={"name": "Alice", "nickname": "al"}, auth=tokens)
    await pool.profile_edit(attributes={"nickname": None}, auth=tokens)
    print("profile_edit: name set, nickname deleted")

    await pool.profile_edit(attributes={"email": "alice@example.org"}, auth=tokens)
    code = outbox.last(username=USERNAME, purpose="verify_attribute").code
    await pool.profile_attribute_confirm(attribute="email", confirmation_code=code, auth=tokens)
    print("profile_attribute_confirm: new e-mail verified")

    await pool.profile_edit_phone_number(phone_number="+14155550100", auth=tokens)
    await pool.set_mfa(enable_mfa=True, auth=tokens)
    print("get_mfa:", await pool.get_mfa(auth=tokens))

    challenge = await pool.login(username=USERNAME, password=PASSWORD)
    assert isinstance(challenge, Challenge)
    print("login: challenge", challenge.name)
    code = outbox.last(username=USERNAME, purpose="sms_mfa").code
    tokens = await pool.login_mfa(username=USERNAME, login_session=challenge, mfa_code=code)
    assert isinstance(tokens, Tokens)
    print("login_mfa: tokens")

    await pool.set_mfa(enable_mfa=False, auth=tokens)
    await pool.profile_edit_phone_number(phone_number=None, auth=tokens)
    print("set_mfa off, phone number removed; get_mfa:", await pool.get_mfa(auth=tokens))

    assert tokens.refresh_token is not None
    refreshed = await pool.refresh_session(refresh_token=tokens.refresh_token)
    print(
        "refresh_session: new access token, same refresh token:",
        refreshed.refresh_token == tokens.refresh_token,
    )

    await pool.password_change(old_password=PASSWORD, new_password="N3w-Passw0rd!", auth=refreshed)
    print("password_change: ok")
    await pool.password_forgot(username=USERNAME)
    code = outbox.last(username=USERNAME, purpose="forgot_password").code
    await pool.password_reset(
        username=USERNAME, password_reset_code=code, new_password="R3set-Passw0rd!"
    )
    print("password_reset: ok")

    await pool.logout(auth=refreshed)
    try:
        await pool.profile(auth=refreshed)
    except NotAuthorizedError as err:
        print("logout: the old access token is refused:", err.code)

    # NEW_PASSWORD_REQUIRED: a user created by an administrator.
    local.admin.admin_create_user(
        UserPoolId=local.user_pool_id,
        Username="bob",
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
    )
    challenge = await pool.login(username="bob", password="Temp-Passw0rd!")
    assert isinstance(challenge, Challenge)
    result = await pool.login_new_password_required(
        username="bob", login_session=challenge, new_password="B0b-Passw0rd!"
    )
    print("login_new_password_required:", type(result).__name__)


async def main() -> None:
    with LocalCognito(mfa="OPTIONAL") as local:
        async with local.pool() as pool:
            await lifecycle(pool, local)


if __name__ == "__main__":
    anyio.run(main)
