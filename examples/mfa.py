"""SMS MFA from the user's side: turn it on, then answer every challenge until tokens come.

    python3 -m pip install '.[local]' && python3 examples/mfa.py

``login`` returns ``Tokens`` or a ``Challenge``, and any answer can itself return another
challenge (an MFA code after a new password, for instance), so real code loops. Here the
"user" reads the SMS code from the local Cognito's outbox; in an app you would ask for it.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio

from cognito_user_pool import AsyncUserPool, Challenge, CodeMismatchError, Tokens
from cognito_user_pool.local import LocalCognito

PASSWORD = "Corr3ct-Horse!"


async def sign_in(
    pool: AsyncUserPool,
    username: str,
    *,
    read_code: Callable[[], str],
    new_password: Callable[[], str] | None = None,
) -> Tokens:
    """Log in and answer challenges until Cognito hands out tokens."""
    result = await pool.login(username=username, password=PASSWORD)
    while isinstance(result, Challenge):
        print(f"  Cognito asks for {result.name} ({result.next_step} in the Node library)")
        if result.name == "NEW_PASSWORD_REQUIRED" and new_password is not None:
            result = await pool.login_new_password_required(
                username=username, login_session=result, new_password=new_password()
            )
        else:  # SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP: all answered the same way
            result = await pool.login_mfa(
                username=username, login_session=result, mfa_code=read_code()
            )
    return result


async def main() -> None:
    with LocalCognito(mfa="OPTIONAL") as local:
        async with local.pool() as pool:
            local.default.create_user("dora", PASSWORD, {"phone_number": "+14155550199"})
            tokens = await pool.login(username="dora", password=PASSWORD)
            assert isinstance(tokens, Tokens)
            await pool.set_mfa(enable_mfa=True, auth=tokens)
            print("SMS MFA on:", await pool.get_mfa(auth=tokens))

            def sms_code() -> str:
                return local.outbox.last(username="dora", purpose="sms_mfa").code

            challenge = await pool.login(username="dora", password=PASSWORD)
            assert isinstance(challenge, Challenge)
            wrong = "111111" if sms_code() != "111111" else "222222"
            try:
                await pool.login_mfa(username="dora", login_session=challenge, mfa_code=wrong)
            except CodeMismatchError as err:
                print("a wrong code is refused:", err.code)

            tokens = await sign_in(pool, "dora", read_code=sms_code)
            print("signed in with MFA; access token expires at", tokens.access_token_expires_at)

            await pool.set_mfa(enable_mfa=False, auth=tokens)
            print("SMS MFA off:", await pool.get_mfa(auth=tokens))


if __name__ == "__main__":
    anyio.run(main)
