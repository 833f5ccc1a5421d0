"""Id and access tokens with different lifetimes: each expiry must come from its own token.

With equal lifetimes, a client that reports one token's expiry for the other (the Node
library's ``idTokenExpiresAt`` was the access token's) cannot be told from a correct one.
Here the app client gives access tokens 10 minutes and id tokens 2 hours, set through
CreateUserPoolClient as an AWS administrator would (``TokenValidityUnits``; the ranges are in
docs/cognito-facts.md#token-lifetimes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from cognito_user_pool import AsyncUserPool, CallbackUserPool, Tokens
from cognito_user_pool._tokens import unverified_claims

from ..shims._helpers import ok
from .conftest import PASSWORD, Backend

ACCESS_SECONDS = 10 * 60
ID_SECONDS = 2 * 3600


@dataclass(frozen=True)
class Client:
    """An app client whose id and access tokens live for different times, and its user."""

    backend: Backend
    client_id: str
    username: str

    def pool(self) -> AsyncUserPool:
        """An ``AsyncUserPool`` on this app client."""
        return AsyncUserPool(
            self.backend.user_pool_id,
            self.client_id,
            endpoint_url=self.backend.local.endpoint_url,
            max_attempts=1,
        )

    def node_pool_data(self) -> dict[str, Any]:
        """The Node library's pool data for ``CallbackUserPool``."""
        return {
            "UserPoolId": self.backend.user_pool_id,
            "ClientId": self.client_id,
            "endpoint": self.backend.local.endpoint_url,
        }


@pytest.fixture
def client(backend: Backend) -> Client:
    """A second app client on a fresh pool: access tokens 10 minutes, id tokens 2 hours."""
    created = backend.admin.create_user_pool_client(
        UserPoolId=backend.user_pool_id,
        ClientName="lifetimes",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=10,
        IdTokenValidity=2,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours"},
    )
    backend.create_confirmed_user("lena", email="lena@example.com")
    return Client(backend, created["UserPoolClient"]["ClientId"], "lena")


def _lifetime(token: str) -> int:
    claims = unverified_claims(token)
    return int(claims["exp"]) - int(claims["iat"])


def _assert_own_expiries(access_token: str, id_token: str, access_at: int, id_at: int) -> None:
    """Each expiry is its own token's ``exp``, and the tokens really live for different times."""
    assert _lifetime(access_token) == ACCESS_SECONDS
    assert _lifetime(id_token) == ID_SECONDS
    assert access_at == unverified_claims(access_token)["exp"]
    assert id_at == unverified_claims(id_token)["exp"]


@pytest.mark.anyio
async def test_login_and_refresh_read_each_expiry_from_its_own_token(client: Client) -> None:
    """login and refresh_session give access_token_expires_at from the access token's exp and
    id_token_expires_at from the id token's, which here lie 110 minutes apart."""
    async with client.pool() as pool:
        tokens = await pool.login(username=client.username, password=PASSWORD)
        assert isinstance(tokens, Tokens)
        _assert_own_expiries(
            tokens.access_token,
            tokens.id_token,
            tokens.access_token_expires_at,
            tokens.id_token_expires_at,
        )
        assert tokens.refresh_token is not None
        refreshed = await pool.refresh_session(
            refresh_token=tokens.refresh_token, id_token=tokens.id_token
        )
        assert refreshed.access_token != tokens.access_token
        _assert_own_expiries(
            refreshed.access_token,
            refreshed.id_token,
            refreshed.access_token_expires_at,
            refreshed.id_token_expires_at,
        )


def test_callback_shim_reports_each_expiry_from_its_own_token(client: Client) -> None:
    """The Node shim's accessTokenExpiresAt and idTokenExpiresAt, after login and after
    refreshSession, are each their own token's exp (not the Node library's shared value)."""
    with CallbackUserPool(client.node_pool_data(), max_attempts=1) as wrapper:
        login = ok(wrapper.login, {"username": client.username, "password": PASSWORD})
        _assert_own_expiries(
            login["accessToken"],
            login["idToken"],
            login["accessTokenExpiresAt"],
            login["idTokenExpiresAt"],
        )
        refreshed = ok(
            wrapper.refreshSession,
            {
                "username": client.username,
                "refreshToken": login["refreshToken"],
                "idToken": login["idToken"],
            },
        )
        _assert_own_expiries(
            refreshed["accessToken"],
            refreshed["idToken"],
            refreshed["accessTokenExpiresAt"],
            refreshed["idTokenExpiresAt"],
        )
