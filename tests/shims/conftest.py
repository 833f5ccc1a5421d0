"""Fixtures for the sync and callback shims: one moto server per run, a fresh pool per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from cognito_user_pool import CallbackUserPool, UserPool

from ._helpers import PASSWORD


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Cognito:
    """A fresh user pool and SRP app client on the moto server, and its admin client."""

    url: str
    admin: Any
    pool_id: str
    client_id: str
    opened: list[Any] = field(default_factory=list)

    def pool_data(self, **extra: Any) -> dict[str, Any]:
        return {
            "UserPoolId": self.pool_id,
            "ClientId": self.client_id,
            "endpoint": self.url,
            **extra,
        }

    def callback_pool(self, **options: Any) -> CallbackUserPool:
        # max_attempts=1: moto answers missing operations with HTTP 500, which would be retried.
        wrapper = CallbackUserPool(self.pool_data(), max_attempts=1, **options)
        self.opened.append(wrapper)
        return wrapper

    def sync_pool(self) -> UserPool:
        pool = UserPool(self.pool_id, self.client_id, endpoint_url=self.url, max_attempts=1)
        self.opened.append(pool)
        return pool

    def create_user(
        self,
        username: str | None = None,
        password: str = PASSWORD,
        *,
        permanent: bool = True,
        phone: bool = False,
    ) -> str:
        """A confirmed user with an email (and a phone number); the username is returned."""
        username = username or f"user-{uuid.uuid4().hex[:8]}"
        attributes = [{"Name": "email", "Value": f"{username}@example.com"}]
        if phone:
            attributes.append({"Name": "phone_number", "Value": "+14155550100"})
        self.admin.admin_create_user(
            UserPoolId=self.pool_id,
            Username=username,
            TemporaryPassword=password,
            UserAttributes=attributes,
            MessageAction="SUPPRESS",
        )
        if permanent:
            self.admin.admin_set_user_password(
                UserPoolId=self.pool_id, Username=username, Password=password, Permanent=True
            )
        return username


@pytest.fixture
def cognito(moto_url: str) -> Iterator[Cognito]:
    admin = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=moto_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    pool_id = admin.create_user_pool(
        PoolName=f"shims-{uuid.uuid4().hex[:8]}", MfaConfiguration="OPTIONAL"
    )["UserPool"]["Id"]
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="shims",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    env = Cognito(moto_url, admin, pool_id, client_id)
    yield env
    for opened in reversed(env.opened):
        opened.close()
    admin.close()


@pytest.fixture
def wrapper(cognito: Cognito) -> CallbackUserPool:
    return cognito.callback_pool()


@pytest.fixture
def offline() -> Iterator[CallbackUserPool]:
    """A wrapper whose endpoint answers nothing, for checks made before any request."""
    wrapper = CallbackUserPool(
        {"UserPoolId": "us-east-1_AbC123", "ClientId": "client1", "endpoint": "http://127.0.0.1:9"},
        max_attempts=1,
    )
    yield wrapper
    wrapper.close()


@pytest.fixture
def pool(cognito: Cognito) -> Iterator[UserPool]:
    with cognito.sync_pool() as opened:
        yield opened


@pytest.fixture(scope="session")
def local_server(local_cognito_server: Any) -> Any:
    """The strict local Cognito (real SRP and code checks), from the package's pytest plugin.

    No skip if it cannot start: its rejection tests would silently vanish.
    """
    return local_cognito_server


@pytest.fixture
def local_pool(local_server: Any) -> Iterator[Any]:
    """A fresh strict pool (SMS MFA optional) with its own outbox of codes."""
    created = local_server.create_pool(mfa="OPTIONAL")
    yield created
    local_server.delete_pool(created.user_pool_id)
