"""Token tests: RSA keys of our own, a counting JWKS server on 127.0.0.1, a moto server.

Forged and edge-case tokens are signed here with the tests' own keys and served from a tiny
JWKS server that counts its requests (caching and single flight are asserted on that count).
The good case also runs on tokens issued by a real moto server.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from joserfc import jws
from joserfc.jwk import RSAKey

from cognito_user_pool import TokenVerifier

POOL_ID = "us-east-1_TestPool1"
CLIENT_ID = "testclient123"
ISSUER = f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
KID = "test-key-1"
NOW = 1_800_000_000
PASSWORD = "Corr3ct-Horse!"

# RSA key generation costs tens of milliseconds: generate once per run.
KEY = RSAKey.generate_key(2048, parameters={"kid": KID})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": KID})
NEW_KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key-2"})


def b64(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims(token_use: str = "access", **overrides: Any) -> dict[str, Any]:
    """Cognito-shaped claims for a token of this test pool, valid at NOW."""
    base: dict[str, Any] = {
        "iss": ISSUER,
        "sub": "5f1c0a52-0000-4000-8000-000000000001",
        "token_use": token_use,
        "iat": NOW - 10,
        "auth_time": NOW - 10,
        "exp": NOW + 3600,
        "jti": "b3b3c3d0-aaaa-4bbb-8ccc-ddddeeeeffff",
        "cognito:groups": ["admins", "staff"],
    }
    if token_use == "access":
        base.update(client_id=CLIENT_ID, username="alice", scope="openid profile")
    else:
        base.update({"aud": CLIENT_ID, "cognito:username": "alice", "email": "a@example.com"})
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(
    payload: dict[str, Any] | str,
    *,
    key: RSAKey = KEY,
    kid: str | None = KID,
    **header: Any,
) -> str:
    """A compact RS256 JWS of ``payload`` (a dict, or raw text) with ``key``."""
    protected: dict[str, Any] = {"alg": "RS256", **header}
    if kid is not None:
        protected["kid"] = kid
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return jws.serialize_compact(protected, text, key, algorithms=["RS256"])


def unsigned(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A token assembled by hand, for algorithms joserfc rightly refuses to produce."""
    return f"{b64(json.dumps(header))}.{b64(json.dumps(payload))}.{b64(signature)}"


class Clock:
    """An injected clock: epoch seconds that tests move by hand."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class JwksServer:
    """A JWKS endpoint on 127.0.0.1 that counts its requests; keys, status, delay are settable."""

    url: str = ""
    keys: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    body: bytes | None = None
    delay: float = 0.0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def serve(self, *keys: RSAKey) -> None:
        self.keys = [k.as_dict(private=False) for k in keys]


def _handler(state: JwksServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.requests += 1
            if state.delay:
                time.sleep(state.delay)
            body = state.body if state.body is not None else json.dumps({"keys": state.keys})
            data = body if isinstance(body, bytes) else body.encode()
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a cancellation test): nothing to report

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output quiet

    return Handler


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    state = JwksServer()
    state.serve(KEY)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    state.url = f"http://{host!s}:{port}/{POOL_ID}/.well-known/jwks.json"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_verifier(jwks_server: JwksServer, clock: Clock) -> Callable[..., TokenVerifier]:
    """A verifier of the test pool reading keys from the counting server, on the fake clock."""

    def make(**kwargs: Any) -> TokenVerifier:
        kwargs.setdefault("jwks_url", jwks_server.url)
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("jwks_timeout", 5.0)
        return TokenVerifier(POOL_ID, CLIENT_ID, **kwargs)

    return make


@pytest.fixture
def verifier(make_verifier: Callable[..., TokenVerifier]) -> TokenVerifier:
    return make_verifier()


# -- moto -------------------------------------------------------------------------------


@dataclass
class MotoPool:
    """A fresh pool and app client on the run's moto server, with one confirmed user."""

    endpoint_url: str
    user_pool_id: str
    client_id: str
    username: str
    password: str = PASSWORD


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def moto_pool(moto_url: str) -> MotoPool:
    admin = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=moto_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    pool_id = admin.create_user_pool(PoolName="tokens")["UserPool"]["Id"]
    client_id = admin.create_user_pool_client(UserPoolId=pool_id, ClientName="app")[
        "UserPoolClient"
    ]["ClientId"]
    admin.sign_up(ClientId=client_id, Username="alice", Password=PASSWORD)
    admin.admin_confirm_sign_up(UserPoolId=pool_id, Username="alice")
    return MotoPool(moto_url, pool_id, client_id, "alice")
