"""The contenders: this library's three surfaces, pycognito, and the raw aiobotocore floor.

Every contender talks to the same stub. Async contenders share one event loop (an
``LoopRunner`` owned by the caller); a batch of ``n`` operations runs inside one
coroutine so that starting the loop is not counted per operation.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import AsyncExitStack
from typing import Any, TypeVar

from bench.stub_state import CLIENT_ID, PASSWORD, POOL_ID, REGION, USERNAME

__all__ = [
    "FloorClient",
    "LoopRunner",
    "OursAsync",
    "PycognitoUser",
    "ThreadLocalPycognito",
    "async_batch",
    "have_gmpy2",
    "set_srp_mode",
    "sync_batch",
]

SRP_MODE_ENV = "COGNITO_USER_POOL_SRP"
T = TypeVar("T")


def have_gmpy2() -> bool:
    """True when the ``fast`` extra (gmpy2) is installed."""
    return importlib.util.find_spec("gmpy2") is not None


class LoopRunner:
    """One event loop kept open across batches (``LoopRunner`` needs Python 3.11)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` to completion on the loop."""
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        """Finish async generators and the default executor, then close the loop."""
        try:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
        finally:
            self.loop.close()

    def __enter__(self) -> LoopRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def set_srp_mode(mode: str) -> None:
    """Force this library's SRP path (``pure`` or ``fast``) for the next logins."""
    os.environ[SRP_MODE_ENV] = mode


def sync_batch(op: Callable[[], Any]) -> Callable[[int], Sequence[float]]:
    """A batch function running the blocking ``op`` ``n`` times."""

    def batch(n: int) -> list[float]:
        walls = []
        for _ in range(n):
            start = time.perf_counter()
            op()
            walls.append(time.perf_counter() - start)
        return walls

    return batch


def async_batch(
    runner: LoopRunner, op: Callable[[], Awaitable[Any]], before: Callable[[], None] | None = None
) -> Callable[[int], Sequence[float]]:
    """A batch function awaiting ``op()`` ``n`` times, one after the other, on ``runner``."""

    async def many(n: int) -> list[float]:
        walls = []
        for _ in range(n):
            start = time.perf_counter()
            await op()
            walls.append(time.perf_counter() - start)
        return walls

    def batch(n: int) -> list[float]:
        if before is not None:
            before()
        walls: list[float] = runner.run(many(n))
        return walls

    return batch


class OursAsync:
    """One ``AsyncUserPool`` against the stub."""

    def __init__(self, runner: LoopRunner, url: str, **options: Any) -> None:
        from cognito_user_pool import AsyncUserPool

        self.runner = runner
        self.pool = AsyncUserPool(POOL_ID, CLIENT_ID, endpoint_url=url, **options)
        runner.run(self.pool.__aenter__())

    async def login(self) -> Any:
        """An SRP login."""
        return await self.pool.login(username=USERNAME, password=PASSWORD)

    def close(self) -> None:
        """Close the pool."""
        self.runner.run(self.pool.aclose())


class _NoClient:
    """pycognito's AWSSRP wants a client it never uses here."""


class FloorClient:
    """Raw aiobotocore: the same client configuration, the same SRP maths, no library layer."""

    def __init__(self, runner: LoopRunner, url: str, max_pool_connections: int = 100) -> None:
        self.runner = runner
        self.stack = AsyncExitStack()
        self.client: Any = runner.run(self._open(url, max_pool_connections))

    async def _open(self, url: str, max_pool_connections: int) -> Any:
        from aiobotocore.config import AioConfig
        from aiobotocore.session import get_session
        from botocore import UNSIGNED

        config = AioConfig(
            signature_version=UNSIGNED,
            region_name=REGION,
            retries={"mode": "standard", "total_max_attempts": 3},
            max_pool_connections=max_pool_connections,
            connect_timeout=10.0,
            read_timeout=30.0,
        )
        return await self.stack.enter_async_context(
            get_session().create_client(
                "cognito-idp", region_name=REGION, endpoint_url=url, config=config
            )
        )

    async def login(self, srp_class: type[Any]) -> dict[str, Any]:
        """USER_SRP_AUTH then PASSWORD_VERIFIER, the maths inline on the loop."""
        srp = srp_class(
            username=USERNAME,
            password=PASSWORD,
            pool_id=POOL_ID,
            client_id=CLIENT_ID,
            client=_NoClient(),
        )
        auth = srp.get_auth_params()
        first = await self.client.initiate_auth(
            AuthFlow="USER_SRP_AUTH", ClientId=CLIENT_ID, AuthParameters=auth
        )
        answers = srp.process_challenge(first["ChallengeParameters"], auth)
        result: dict[str, Any] = await self.client.respond_to_auth_challenge(
            ClientId=CLIENT_ID, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answers
        )
        return result

    async def get_user(self, access_token: str) -> dict[str, Any]:
        """GetUser."""
        result: dict[str, Any] = await self.client.get_user(AccessToken=access_token)
        return result

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        """REFRESH_TOKEN_AUTH."""
        result: dict[str, Any] = await self.client.initiate_auth(
            AuthFlow="REFRESH_TOKEN_AUTH",
            ClientId=CLIENT_ID,
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
        return result

    def close(self) -> None:
        """Close the client."""
        self.runner.run(self.stack.aclose())


class PycognitoUser:
    """pycognito at its best: one ``Cognito`` object and its boto3 client reused, the JWKS
    preloaded (so no HTTP fetch of the keys), the client pointed at the stub.

    ``authenticate`` and ``renew_access_token`` always verify both tokens (PyJWT, RS256): that
    cost is part of pycognito's figures.
    """

    def __init__(self, url: str, jwks: dict[str, Any]) -> None:
        import boto3
        from botocore import UNSIGNED
        from botocore.config import Config
        from pycognito import Cognito

        config = Config(signature_version=UNSIGNED)
        self.cognito = Cognito(POOL_ID, CLIENT_ID, username=USERNAME, botocore_config=config)
        self.cognito.client = boto3.client(
            "cognito-idp", endpoint_url=url, region_name=REGION, config=config
        )
        self.cognito.pool_jwk = jwks

    def login(self) -> None:
        """``Cognito.authenticate(password)``."""
        self.cognito.authenticate(PASSWORD)

    def get_user(self) -> Any:
        """``Cognito.get_user()``."""
        return self.cognito.get_user()

    def refresh(self) -> None:
        """``Cognito.renew_access_token()``."""
        self.cognito.renew_access_token()

    def close(self) -> None:
        """Close the boto3 client's connections."""
        self.cognito.client.close()


class ThreadLocalPycognito:
    """One ``PycognitoUser`` per worker thread: a ``Cognito`` object holds one user's tokens,
    so threads cannot share it."""

    def __init__(self, url: str, jwks: dict[str, Any]) -> None:
        self.url = url
        self.jwks = jwks
        self.local = threading.local()
        self.all: list[PycognitoUser] = []
        self.lock = threading.Lock()

    def get(self) -> PycognitoUser:
        """This thread's contender."""
        user: PycognitoUser | None = getattr(self.local, "user", None)
        if user is None:
            user = PycognitoUser(self.url, self.jwks)
            user.login()
            self.local.user = user
            with self.lock:
                self.all.append(user)
        return user

    def close(self) -> None:
        """Close every thread's client."""
        for user in self.all:
            user.close()
