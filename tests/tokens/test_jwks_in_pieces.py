"""A JWKS that arrives in several TCP pieces is read whole, and one past the size limit is
refused: aiohttp's ``read(n)`` hands back *up to* n bytes, whatever has arrived, so reading
once cut a slow or large key set and refused it as "not JSON"."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cognito_user_pool import JwksFetchError, TokenVerifier

from .conftest import KEY, POOL_ID, claims, sign

pytestmark = pytest.mark.anyio


def _serve_in_two_pieces(body: bytes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            half = len(body) // 2
            self.wfile.write(body[:half])
            self.wfile.flush()
            time.sleep(0.2)  # the rest arrives later, as over a slow network
            self.wfile.write(body[half:])

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host!s}:{port}/{POOL_ID}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def slow_jwks() -> Iterator[Callable[[bytes], str]]:
    servers: list[Iterator[str]] = []

    def start(body: bytes) -> str:
        server = _serve_in_two_pieces(body)
        servers.append(server)
        return next(server)

    yield start
    for server in servers:
        next(server, None)


def _jwks(padding: int) -> bytes:
    """The test key set, padded to a given size before the keys, so that any cut is not JSON."""
    return json.dumps({"padding": "x" * padding, "keys": [KEY.as_dict(private=False)]}).encode()


async def test_a_jwks_in_two_pieces_is_read_whole(
    make_verifier: Callable[..., TokenVerifier], slow_jwks: Callable[[bytes], str]
) -> None:
    """A key set of 100 KiB whose second half comes 0.2 s later still verifies tokens."""
    verifier = make_verifier(jwks_url=slow_jwks(_jwks(100 * 1024)))
    assert (await verifier.verify(sign(claims()))).sub == claims()["sub"]


async def test_a_jwks_past_the_limit_is_refused_as_too_large(
    make_verifier: Callable[..., TokenVerifier], slow_jwks: Callable[[bytes], str]
) -> None:
    """Past 256 KiB, in pieces or not, the answer is not a key set: refused as too large."""
    url = slow_jwks(_jwks(300 * 1024))
    verifier = make_verifier(jwks_url=url)
    with pytest.raises(JwksFetchError) as info:
        await verifier.verify(sign(claims()))
    assert info.value.message == f"the JWKS at {url} is too large"
