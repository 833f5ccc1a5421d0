"""Fixtures for the strict local Cognito tests: one server per session, fresh pools per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore
import pytest
from botocore.config import Config

from cognito_user_pool.local import LocalCognito, LocalPool

from ._srp_client import SrpClient

PASSWORD = "Corr3ct-horse!"


@pytest.fixture(scope="session")
def server() -> Iterator[LocalCognito]:
    """One strict local Cognito for the whole test session."""
    with LocalCognito(default_pool=False) as local:
        yield local


@pytest.fixture
def make_pool(server: LocalCognito) -> Iterator[Any]:
    """Factory for fresh pools, deleted after the test."""
    created: list[str] = []

    def make(**options: Any) -> LocalPool:
        pool = server.create_pool(**options)
        created.append(pool.user_pool_id)
        return pool

    yield make
    for pool_id in created:
        server.delete_pool(pool_id)


@pytest.fixture
def pool(make_pool: Any) -> LocalPool:
    """A plain-username pool without client secret or MFA."""
    return make_pool()  # type: ignore[no-any-return]


def public_client(local: LocalPool) -> Any:
    """An unsigned cognito-idp client (the user-facing API needs no AWS credentials)."""
    return boto3.client(
        "cognito-idp",
        region_name=local.region,
        endpoint_url=local.endpoint_url,
        config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}),
    )


@pytest.fixture(scope="session")
def public(server: LocalCognito) -> Iterator[Any]:
    """One unsigned client for the session: every pool lives behind the same endpoint."""
    client = boto3.client(
        "cognito-idp",
        region_name=server.region,
        endpoint_url=server.endpoint_url,
        config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}),
    )
    yield client
    client.close()


def error_code(excinfo: pytest.ExceptionInfo[Any]) -> str:
    """The AWS error code of a botocore ClientError."""
    return str(excinfo.value.response["Error"]["Code"])


def error_message(excinfo: pytest.ExceptionInfo[Any]) -> str:
    """The AWS error message of a botocore ClientError."""
    return str(excinfo.value.response["Error"]["Message"])


def srp_start(
    public: Any, local: LocalPool, username: str, password: str = PASSWORD
) -> tuple[SrpClient, dict[str, Any]]:
    """InitiateAuth USER_SRP_AUTH; returns the SRP helper and the raw response."""
    srp = SrpClient(local.user_pool_id, local.client_id, username, password, local.client_secret)
    response = public.initiate_auth(
        ClientId=local.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.auth_parameters()
    )
    return srp, response


def srp_login(
    public: Any, local: LocalPool, username: str, password: str = PASSWORD, **tamper: Any
) -> dict[str, Any]:
    """A complete SRP login; ``tamper`` is passed to SrpClient.responses."""
    srp, started = srp_start(public, local, username, password)
    return dict(
        public.respond_to_auth_challenge(
            ClientId=local.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=started["Session"],
            ChallengeResponses=srp.responses(started["ChallengeParameters"], **tamper),
        )
    )


def password_login(
    public: Any, local: LocalPool, username: str, password: str = PASSWORD
) -> dict[str, Any]:
    """InitiateAuth USER_PASSWORD_AUTH."""
    params = {"USERNAME": username, "PASSWORD": password}
    if local.client_secret:
        from ._srp_client import secret_hash

        params["SECRET_HASH"] = secret_hash(local.client_secret, username, local.client_id)
    return dict(
        public.initiate_auth(
            ClientId=local.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params
        )
    )


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio only."""
    return "asyncio"
