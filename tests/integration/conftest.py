"""One moto server per test session, a fresh user pool and app client per test.

Plain moto accepts any SRP password and any code: tests here check what moto does check
(tokens, previous passwords, secret hashes, user existence) and the shapes of results.
Rejections of wrong passwords and codes are tested against the strict local Cognito.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from cognito_user_pool import AsyncUserPool

PASSWORD = "Corr3ct-Horse!"


@dataclass
class Backend:
    """A fresh pool on the session's moto server, and a signed admin client for set-up."""

    endpoint_url: str
    admin: Any
    user_pool_id: str
    client_id: str
    client_secret: str | None

    def pool(self, **kwargs: Any) -> AsyncUserPool:
        kwargs.setdefault("client_secret", self.client_secret)
        # moto answers operations it lacks with HTTP 500, which retries would repeat.
        kwargs.setdefault("max_attempts", 1)
        return AsyncUserPool(
            self.user_pool_id, self.client_id, endpoint_url=self.endpoint_url, **kwargs
        )

    def create_confirmed_user(
        self, username: str, password: str = PASSWORD, **attributes: str
    ) -> None:
        self.admin.sign_up(
            ClientId=self.client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
            **self._secret_hash(username),
        )
        self.admin.admin_confirm_sign_up(UserPoolId=self.user_pool_id, Username=username)

    def _secret_hash(self, username: str) -> dict[str, str]:
        from cognito_user_pool._srp import secret_hash

        if self.client_secret is None:
            return {}
        return {"SecretHash": secret_hash(username, self.client_id, self.client_secret)}


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def admin(moto_url: str) -> Any:
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=moto_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def make_backend(moto_url: str, admin: Any) -> Callable[..., Backend]:
    """Build a fresh pool; options go to CreateUserPool, ``secret`` to the app client."""

    def make(*, secret: bool = False, **pool_options: Any) -> Backend:
        pool_id = admin.create_user_pool(PoolName="test", **pool_options)["UserPool"]["Id"]
        client = admin.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", GenerateSecret=secret
        )["UserPoolClient"]
        return Backend(
            endpoint_url=moto_url,
            admin=admin,
            user_pool_id=pool_id,
            client_id=client["ClientId"],
            client_secret=client.get("ClientSecret"),
        )

    return make


@pytest.fixture
def backend(make_backend: Callable[..., Backend]) -> Backend:
    return make_backend()


@pytest.fixture
async def pool(backend: Backend) -> AsyncIterator[AsyncUserPool]:
    async with backend.pool() as opened:
        yield opened
