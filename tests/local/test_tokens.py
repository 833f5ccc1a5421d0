"""Tokens with teeth: expiry, GlobalSignOut, RevokeToken, DeleteUser, ChangePassword."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalCognito, LocalPool

from ._srp_client import secret_hash
from .conftest import PASSWORD, error_code, error_message, srp_login


def _login(public: Any, pool: LocalPool, username: str = "alice") -> dict[str, Any]:
    return dict(srp_login(public, pool, username)["AuthenticationResult"])


def _refresh(public: Any, pool: LocalPool, refresh_token: str) -> Any:
    return public.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )


def test_expired_access_token(server: LocalCognito, pool: LocalPool, public: Any) -> None:
    """An access token past its exp is refused with "Access Token has expired"."""
    pool.create_user("alice", PASSWORD)
    token = _login(public, pool)["AccessToken"]
    assert public.get_user(AccessToken=token)["Username"] == "alice"
    server.advance_time(3601)
    try:
        with pytest.raises(ClientError) as excinfo:
            public.get_user(AccessToken=token)
    finally:
        server.advance_time(-3601)
    assert error_code(excinfo) == "NotAuthorizedException"
    assert error_message(excinfo) == "Access Token has expired"


def test_token_validity_option(make_pool: Any, public: Any) -> None:
    """access_token_validity sets ExpiresIn and the JWT exp."""
    local = make_pool(access_token_validity=300)
    local.create_user("alice", PASSWORD)
    assert _login(public, local)["ExpiresIn"] == 300


def test_global_sign_out_revokes_access_and_refresh(pool: LocalPool, public: Any) -> None:
    """After GlobalSignOut, user APIs say revoked and REFRESH_TOKEN_AUTH is refused
    (docs/cognito-facts.md#sign-out-and-revocation)."""
    pool.create_user("alice", PASSWORD)
    first, second = _login(public, pool), _login(public, pool)
    public.global_sign_out(AccessToken=first["AccessToken"])
    for tokens in (first, second):
        with pytest.raises(ClientError) as excinfo:
            public.get_user(AccessToken=tokens["AccessToken"])
        assert error_message(excinfo) == "Access Token has been revoked"
        with pytest.raises(ClientError) as excinfo:
            _refresh(public, pool, tokens["RefreshToken"])
        assert error_code(excinfo) == "NotAuthorizedException"
        assert error_message(excinfo) == "Refresh Token has been revoked"
    calls: tuple[Callable[[str], Any], ...] = (
        lambda t: public.update_user_attributes(
            AccessToken=t, UserAttributes=[{"Name": "name", "Value": "x"}]
        ),
        lambda t: public.change_password(
            AccessToken=t, PreviousPassword=PASSWORD, ProposedPassword="New-pass1!"
        ),
        lambda t: public.set_user_mfa_preference(AccessToken=t, SMSMfaSettings={"Enabled": False}),
        lambda t: public.global_sign_out(AccessToken=t),
    )
    for call in calls:
        with pytest.raises(ClientError) as excinfo:
            call(first["AccessToken"])
        assert error_message(excinfo) == "Access Token has been revoked"
    assert "AccessToken" in _login(public, pool)


def test_admin_global_sign_out(make_pool: Any, public: Any) -> None:
    """AdminUserGlobalSignOut by e-mail revokes the tokens of an email-username user."""
    local = make_pool(username_attributes=["email"])
    local.create_user("bo@example.com", PASSWORD)
    tokens = _login(public, local, "bo@example.com")
    local.admin.admin_user_global_sign_out(UserPoolId=local.user_pool_id, Username="bo@example.com")
    with pytest.raises(ClientError) as excinfo:
        public.get_user(AccessToken=tokens["AccessToken"])
    assert error_message(excinfo) == "Access Token has been revoked"


def test_refresh_works_before_sign_out(pool: LocalPool, public: Any) -> None:
    """REFRESH_TOKEN_AUTH returns fresh access and id tokens and no refresh token
    (docs/cognito-facts.md#refreshing-tokens)."""
    pool.create_user("alice", PASSWORD)
    refreshed = _refresh(public, pool, _login(public, pool)["RefreshToken"])["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert public.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "alice"


def test_revoke_token(make_pool: Any, public: Any) -> None:
    """RevokeToken kills one refresh token and its access tokens, not another session's."""
    local = make_pool(client_secret=True)
    local.create_user("alice", PASSWORD)
    first, second = _login(public, local), _login(public, local)
    with pytest.raises(ClientError) as excinfo:
        public.revoke_token(
            Token=first["RefreshToken"],
            ClientId=local.client_id,
            ClientSecret="wrong-secret-of-24-chars-x",
        )
    assert error_code(excinfo) == "NotAuthorizedException"
    with pytest.raises(ClientError) as excinfo:
        public.revoke_token(
            Token=first["AccessToken"], ClientId=local.client_id, ClientSecret=local.client_secret
        )
    assert error_code(excinfo) == "UnsupportedTokenTypeException"
    public.revoke_token(
        Token=first["RefreshToken"], ClientId=local.client_id, ClientSecret=local.client_secret
    )
    with pytest.raises(ClientError) as excinfo:
        public.get_user(AccessToken=first["AccessToken"])
    assert error_message(excinfo) == "Access Token has been revoked"
    with pytest.raises(ClientError) as excinfo:
        public.initiate_auth(
            ClientId=local.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={
                "REFRESH_TOKEN": first["RefreshToken"],
                "SECRET_HASH": secret_hash(local.client_secret, "alice", local.client_id),
            },
        )
    assert error_message(excinfo) == "Refresh Token has been revoked"
    assert public.get_user(AccessToken=second["AccessToken"])["Username"] == "alice"


def test_delete_user(pool: LocalPool, public: Any) -> None:
    """DeleteUser removes the user and its tokens."""
    pool.create_user("alice", PASSWORD)
    token = _login(public, pool)["AccessToken"]
    public.delete_user(AccessToken=token)
    with pytest.raises(ClientError) as excinfo:
        pool.admin.admin_get_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert error_code(excinfo) == "UserNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        public.get_user(AccessToken=token)
    assert error_code(excinfo) == "NotAuthorizedException"


def test_change_password(pool: LocalPool, public: Any) -> None:
    """ChangePassword needs the previous password; the new one then works with SRP."""
    pool.create_user("alice", PASSWORD)
    token = _login(public, pool)["AccessToken"]
    with pytest.raises(ClientError) as excinfo:
        public.change_password(
            AccessToken=token, PreviousPassword="Wr0ng-pass!", ProposedPassword="New-pass1!"
        )
    assert error_code(excinfo) == "NotAuthorizedException"
    with pytest.raises(ClientError) as excinfo:
        public.change_password(
            AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="weak"
        )
    assert error_code(excinfo) == "InvalidPasswordException"
    public.change_password(
        AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="New-pass1!"
    )
    with pytest.raises(ClientError):
        srp_login(public, pool, "alice")
    assert "AccessToken" in srp_login(public, pool, "alice", "New-pass1!")["AuthenticationResult"]


def test_garbage_access_token(pool: LocalPool, public: Any) -> None:
    """A token the server never issued is NotAuthorizedException "Invalid Access Token"."""
    with pytest.raises(ClientError) as excinfo:
        public.get_user(AccessToken="a.b.c")
    assert error_message(excinfo) == "Invalid Access Token"


def test_disabled_user_token_refused(pool: LocalPool, public: Any) -> None:
    """After AdminDisableUser the user's access token no longer works."""
    pool.create_user("alice", PASSWORD)
    token = _login(public, pool)["AccessToken"]
    pool.admin.admin_disable_user(UserPoolId=pool.user_pool_id, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        public.get_user(AccessToken=token)
    assert error_message(excinfo) == "User is disabled."
