"""Typed usage of the sync and callback shims: never run, only checked by ``mypy --strict``.

Each flow keeps its exact signature and result type through ``UserPool``; a wrong keyword or
a wrong result type would fail the type check.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from cognito_user_pool import (
    CallbackUserPool,
    Challenge,
    CodeDeliveryDetails,
    CognitoError,
    MfaSettings,
    NodeCallback,
    ProfileEditResult,
    SignUpResult,
    Tokens,
    UserPool,
    UserProfile,
)


def sync_usage() -> None:
    with UserPool("eu-west-1_AbC123", "client1", max_attempts=1) as pool:
        signed: SignUpResult = pool.signup(username="alice", password="pw", attributes={})
        pool.signup_confirm(username="alice", confirmation_code="123456")
        resent: CodeDeliveryDetails | None = pool.signup_resend(username="alice")
        result: Tokens | Challenge = pool.login(username="alice", password="pw")
        if isinstance(result, Challenge):
            result = pool.login_mfa(username="alice", login_session=result, mfa_code="123456")
        if isinstance(result, Challenge):
            result = pool.login_new_password_required(
                username="alice", login_session=result.session, new_password="pw2"
            )
        if isinstance(result, Tokens):
            access: str = result.access_token
            expires: int = result.access_token_expires_at
            profile: UserProfile = pool.profile(auth=access)
            edited: ProfileEditResult = pool.profile_edit(
                attributes={"name": "Alice", "nickname": None}, auth=access
            )
            mfa: MfaSettings | None = pool.get_mfa(auth=access)
            pool.set_mfa(enable_mfa=False, auth=access)
            pool.profile_attribute_confirm(attribute="email", confirmation_code="1", auth=access)
            pool.profile_edit_phone_number(phone_number=None, auth=access)
            pool.password_change(old_password="pw", new_password="pw2", auth=access)
            fresh: Tokens = pool.refresh_session(refresh_token=result.refresh_token or "")
            pool.logout(auth=fresh)
            print(expires, profile, edited, mfa)
        forgot: CodeDeliveryDetails | None = pool.password_forgot(username="alice")
        pool.password_reset(username="alice", password_reset_code="1", new_password="pw3")
        print(signed, resent, forgot)
    pool.close()
    env_pool: UserPool = UserPool.from_env({"COGNITO_USER_POOL_ID": "eu-west-1_A"})
    env_pool.close()


def callback_usage() -> None:
    def on_login(err: CognitoError | None, data: Any) -> None:
        if err is not None:
            print(err.code, err.name, err.message)
        elif "nextStep" in data:
            print(data["nextStep"])

    callback: NodeCallback = on_login
    wrapper = CallbackUserPool({"UserPoolId": "eu-west-1_AbC123", "ClientId": "c", "Paranoia": 7})
    wrapper.login({"username": "alice", "password": "pw"}, callback)
    wrapper.loginMfa({"username": "alice", "loginSession": "s", "mfaCode": "1"}, on_login)
    future: Future[Any] = wrapper.profile({"accessToken": "t"})
    print(future.result(timeout=10))
    with CallbackUserPool({"UserPoolId": "eu-west-1_AbC123", "ClientId": "c"}) as other:
        other.signup({"username": "bob", "password": "pw"}, lambda err, data: None)
        sync_twin: UserPool = other.pool
        print(sync_twin)
    wrapper.close()


def wrong_usage_is_caught(pool: UserPool) -> None:
    pool.login(username="alice", pasword="typo")  # type: ignore[call-arg]
    tokens: Tokens = pool.login(username="a", password="b")  # type: ignore[assignment]
    print(tokens)
