"""A plain blocking script: the same flows through ``UserPool``, no ``async`` in sight.

    python3 -m pip install '.[local]' && python3 examples/sync_script.py

It starts the strict local Cognito in-process; point ``UserPool`` at your own pool with
``UserPool.from_env()`` (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, ...) to run it for real.
"""

from __future__ import annotations

from cognito_user_pool import CognitoError, Tokens, UserPool
from cognito_user_pool.local import LocalCognito

PASSWORD = "Corr3ct-Horse!"


def main() -> None:
    with (
        LocalCognito() as local,
        UserPool(local.user_pool_id, local.client_id, endpoint_url=local.endpoint_url) as pool,
    ):
        pool.signup(username="carol", password=PASSWORD, attributes={"email": "c@example.com"})
        code = local.outbox.last(username="carol", purpose="signup").code
        pool.signup_confirm(username="carol", confirmation_code=code)
        print("signed up and confirmed carol")

        try:
            pool.login(username="carol", password="not-her-password")
        except CognitoError as err:
            print("a wrong password is refused:", err.code)

        tokens = pool.login(username="carol", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        profile = pool.profile(auth=tokens)
        print("profile:", profile.as_dict())
        pool.logout(auth=tokens)
        print("logged out")


if __name__ == "__main__":
    main()
