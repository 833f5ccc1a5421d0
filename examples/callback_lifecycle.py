"""Node-style callbacks: the user lifecycle as a chain of ``method(params, callback)`` calls.

Against the strict local Cognito started in-process (``pip install '.[local]'``):

    python3 examples/callback_lifecycle.py

Or against a real pool, for an existing user: set COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID,
COGNITO_USERNAME and COGNITO_PASSWORD (and COGNITO_ENDPOINT_URL for another endpoint).

Each callback starts the next call, as Node code did; leaving ``with`` waits for the whole
chain, since calls made by callbacks belong to the work in flight.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from cognito_user_pool import CallbackUserPool, CognitoError

PASSWORD = "Corr3ct-Horse!"


def run(
    wrapper: CallbackUserPool,
    username: str,
    password: str,
    code_for: Callable[[str], str] | None,
) -> None:
    """signup (local only) -> signupConfirm -> login -> profile -> profileEdit -> refreshSession
    -> passwordChange -> logout, each step started by the previous step's callback."""
    session: dict[str, Any] = {"username": username}

    def failed(step: str, err: CognitoError) -> None:
        print(f"{step} failed: {err.code}: {err.message}")

    def on_signup(err: CognitoError | None, data: Any) -> None:
        if err:
            return failed("signup", err)
        print("signup: userConfirmed =", data["userConfirmed"])
        assert code_for is not None
        params = {"username": username, "confirmationCode": code_for(username)}
        wrapper.signupConfirm(params, on_confirm)

    def on_confirm(err: CognitoError | None, data: Any) -> None:
        if err:
            return failed("signupConfirm", err)
        print("signupConfirm:", data)
        wrapper.login({"username": username, "password": password + "x"}, on_wrong_login)

    def on_wrong_login(err: CognitoError | None, data: Any) -> None:
        print("login with a wrong password:", err.code if err else "accepted?!")
        wrapper.login({"username": username, "password": password}, on_login)

    def on_login(err: CognitoError | None, data: Any) -> None:
        if err:
            return failed("login", err)
        if "nextStep" in data:
            return print("login: Cognito wants", data["nextStep"], "- stopping here")
        print("login: access token expires at", data["accessTokenExpiresAt"])
        session.update(idToken=data["idToken"], accessToken=data["accessToken"])
        session["refreshToken"] = data["refreshToken"]
        wrapper.profile({k: session[k] for k in ("username", "accessToken")}, on_profile)

    def on_profile(err: CognitoError | None, data: Any) -> None:
        if err:
            return failed("profile", err)
        print("profile:", {a["Name"]: a["Value"] for a in data}.get("email"))
        params = {"attributes": [{"Name": "name", "Value": "Alice"}], "username": username}
        wrapper.profileEdit({**params, "accessToken": session["accessToken"]}, on_edit)

    def on_edit(err: CognitoError | None, data: Any) -> None:
        if err:
            return failed("profileEdit", err)
        print("profileEdit:", data)
        params = {"username": username, "refreshToken": session["refreshToken"]}
        wrapper.refreshSession(params, on_refresh)

    def on_refresh(err: CognitoError | None, data: Any) -> None:
        if err:
            return failed("refreshSession", err)
        print("refreshSession: new access token expires at", data["accessTokenExpiresAt"])
        session["accessToken"] = data["accessToken"]
        if code_for is None:  # a real user's password is left alone
            wrapper.logout({"accessToken": session["accessToken"]}, on_logout)
            return
        params = {"oldPassword": password, "newPassword": password + "2"}
        wrapper.passwordChange({**params, "accessToken": session["accessToken"]}, on_change)

    def on_change(err: CognitoError | None, data: Any) -> None:
        if err:
            return failed("passwordChange", err)
        print("passwordChange:", data)
        wrapper.logout({"username": username, "accessToken": session["accessToken"]}, on_logout)

    def on_logout(err: CognitoError | None, data: Any) -> None:
        print("logout:", err.code if err else data)

    if code_for is None:
        wrapper.login({"username": username, "password": password}, on_login)
    else:
        attributes = [{"Name": "email", "Value": f"{username}@example.com"}]
        params = {"username": username, "password": password, "attributes": attributes}
        wrapper.signup(params, on_signup)


def main() -> None:
    if os.environ.get("COGNITO_USER_POOL_ID"):
        env_data = {
            "UserPoolId": os.environ["COGNITO_USER_POOL_ID"],
            "ClientId": os.environ["COGNITO_CLIENT_ID"],
        }
        if os.environ.get("COGNITO_ENDPOINT_URL"):
            env_data["endpoint"] = os.environ["COGNITO_ENDPOINT_URL"]
        with CallbackUserPool(env_data) as wrapper:
            run(wrapper, os.environ["COGNITO_USERNAME"], os.environ["COGNITO_PASSWORD"], None)
        return

    from cognito_user_pool.local import LocalCognito

    with LocalCognito() as local:
        data: dict[str, Any] = {
            "UserPoolId": local.user_pool_id,
            "ClientId": local.client_id,
            "Paranoia": 7,
            "endpoint": local.endpoint_url,
        }

        def code_for(username: str) -> str:
            # A real pool e-mails this code; the local one keeps it in its outbox.
            return local.outbox.wait_for(username=username, purpose="signup").code

        with CallbackUserPool(data) as wrapper:
            run(wrapper, "alice", PASSWORD, code_for)
        print("closed: every callback has run")


if __name__ == "__main__":
    main()
