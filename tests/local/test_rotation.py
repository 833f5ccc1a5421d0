"""Refresh-token rotation in the local Cognito, seen by boto3: GetTokensFromRefreshToken, the
grace period, REFRESH_TOKEN_AUTH refused for rotating clients, and the client option."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalCognito, LocalPool

from .conftest import PASSWORD, error_code, error_message, password_login


def _signed_in(public: Any, local: LocalPool, username: str = "alice") -> dict[str, Any]:
    local.create_user(username, PASSWORD, {"email": f"{username}@example.com"})
    return dict(password_login(public, local, username)["AuthenticationResult"])


def _get_tokens(public: Any, local: LocalPool, token: str, **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"ClientId": local.client_id, "RefreshToken": token, **extra}
    if local.client_secret and "ClientSecret" not in extra:
        params["ClientSecret"] = local.client_secret
    return dict(public.get_tokens_from_refresh_token(**params)["AuthenticationResult"])


def test_the_client_option_is_aws_setting(make_pool: Any) -> None:
    """refresh_token_rotation=N is RefreshTokenRotation ENABLED with N seconds of grace."""
    local = make_pool(refresh_token_rotation=7)
    client = local.admin.describe_user_pool_client(
        UserPoolId=local.user_pool_id, ClientId=local.client_id
    )["UserPoolClient"]
    assert client["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 7}
    plain = make_pool()
    client = plain.admin.describe_user_pool_client(
        UserPoolId=plain.user_pool_id, ClientId=plain.client_id
    )["UserPoolClient"]
    assert "RefreshTokenRotation" not in client


@pytest.mark.parametrize("grace", [-1, 61, True, 2.5, "10"])
def test_the_option_takes_0_to_60_seconds(make_pool: Any, grace: object) -> None:
    """Outside AWS's range (0 to 60 seconds) the option is refused, naming itself."""
    with pytest.raises(ValueError, match="refresh_token_rotation"):
        make_pool(refresh_token_rotation=grace)


def test_rotation_set_through_the_api_is_checked(make_pool: Any) -> None:
    """CreateUserPoolClient and UpdateUserPoolClient refuse a grace period over 60 s and
    an unknown Feature, as RefreshTokenRotationType allows neither."""
    local = make_pool()
    with pytest.raises(ClientError) as excinfo:
        local.admin.update_user_pool_client(
            UserPoolId=local.user_pool_id,
            ClientId=local.client_id,
            RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 61},
        )
    assert error_code(excinfo) == "InvalidParameterException"
    assert error_message(excinfo) == (
        "1 validation error detected: Value at 'refreshTokenRotation.retryGracePeriodSeconds' "
        "failed to satisfy constraint: Member must have value less than or equal to 60"
    )
    # 0 and 60 are the range's ends, both allowed.
    for grace in (0, 60):
        rotation = {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}
        local.admin.update_user_pool_client(
            UserPoolId=local.user_pool_id, ClientId=local.client_id, RefreshTokenRotation=rotation
        )
        client = local.admin.describe_user_pool_client(
            UserPoolId=local.user_pool_id, ClientId=local.client_id
        )["UserPoolClient"]
        assert client["RefreshTokenRotation"] == rotation
    with pytest.raises(ClientError) as excinfo:
        local.admin.create_user_pool_client(
            UserPoolId=local.user_pool_id,
            ClientName="x",
            RefreshTokenRotation={"Feature": "ON"},
        )
    assert error_code(excinfo) == "InvalidParameterException"


def test_a_rotating_client_refuses_refresh_token_auth(public: Any, make_pool: Any) -> None:
    """REFRESH_TOKEN_AUTH (and its old name REFRESH_TOKEN) is refused for a rotating client."""
    local = make_pool(refresh_token_rotation=0)
    tokens = _signed_in(public, local)
    for flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        with pytest.raises(ClientError) as excinfo:
            public.initiate_auth(
                ClientId=local.client_id,
                AuthFlow=flow,
                AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
            )
        assert error_code(excinfo) == "InvalidParameterException"
        assert error_message(excinfo) == f"{flow} flow not enabled for this client"


def test_rotation_issues_a_new_refresh_token_and_ends_the_old_after_grace(
    public: Any, make_pool: Any, server: LocalCognito
) -> None:
    """The old refresh token works during the grace period, then RefreshTokenReuseException;
    the new one keeps working."""
    local = make_pool(refresh_token_rotation=30)
    old = _signed_in(public, local)["RefreshToken"]
    first = _get_tokens(public, local, old)
    assert first["RefreshToken"] != old
    assert {"AccessToken", "IdToken", "ExpiresIn"} <= first.keys()
    public.get_user(AccessToken=first["AccessToken"])
    server.advance_time(29)
    try:
        retried = _get_tokens(public, local, old)  # a client-side retry, inside the grace
        assert retried["RefreshToken"] not in (old, first["RefreshToken"])
        server.advance_time(2)
        with pytest.raises(ClientError) as excinfo:
            _get_tokens(public, local, old)
        assert error_code(excinfo) == "RefreshTokenReuseException"
        newer = _get_tokens(public, local, first["RefreshToken"])
        assert newer["RefreshToken"] != first["RefreshToken"]
    finally:
        server.advance_time(-31)


def test_no_grace_period_ends_the_old_token_at_once(public: Any, make_pool: Any) -> None:
    """With RetryGracePeriodSeconds 0, the rotated token is refused straight away."""
    local = make_pool(refresh_token_rotation=0)
    old = _signed_in(public, local)["RefreshToken"]
    _get_tokens(public, local, old)
    with pytest.raises(ClientError) as excinfo:
        _get_tokens(public, local, old)
    assert error_code(excinfo) in ("RefreshTokenReuseException", "NotAuthorizedException")


def test_without_rotation_the_refresh_token_is_kept(public: Any, make_pool: Any) -> None:
    """For a client that does not rotate, GetTokensFromRefreshToken issues access and id
    tokens only, and the refresh token stays valid, as with REFRESH_TOKEN_AUTH."""
    local = make_pool()
    old = _signed_in(public, local)["RefreshToken"]
    result = _get_tokens(public, local, old)
    assert "RefreshToken" not in result
    _get_tokens(public, local, old)


def test_the_client_secret_is_required(public: Any, make_pool: Any) -> None:
    """GetTokensFromRefreshToken takes the raw ClientSecret of a client that has one."""
    local = make_pool(client_secret=True, refresh_token_rotation=10)
    old = _signed_in(public, local)["RefreshToken"]
    with pytest.raises(ClientError) as excinfo:
        _get_tokens(public, local, old, ClientSecret="w" * 51)
    assert error_code(excinfo) == "NotAuthorizedException"
    assert _get_tokens(public, local, old)["RefreshToken"] != old


def test_revoked_and_foreign_tokens_are_refused(public: Any, make_pool: Any) -> None:
    """A revoked refresh token, and one of another client, are refused as by
    REFRESH_TOKEN_AUTH."""
    local = make_pool(refresh_token_rotation=10)
    old = _signed_in(public, local)["RefreshToken"]
    public.revoke_token(ClientId=local.client_id, Token=old)
    with pytest.raises(ClientError) as excinfo:
        _get_tokens(public, local, old)
    assert error_message(excinfo) == "Refresh Token has been revoked"
    other = make_pool()
    with pytest.raises(ClientError) as excinfo:
        _get_tokens(public, other, _signed_in(public, local, "bob")["RefreshToken"])
    assert error_message(excinfo) == "Invalid Refresh Token."
