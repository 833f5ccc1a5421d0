"""Two worker processes behind one Redis: a sign-out handled by one is seen by the other."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.tokens.conftest import CLIENT_ID, POOL_ID, JwksServer, claims, sign

ROOT = Path(__file__).resolve().parents[2]


def _start_worker(redis_url: str, jwks_url: str) -> tuple[subprocess.Popen[str], str]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.revocation._worker", redis_url, jwks_url, POOL_ID, CLIENT_ID],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    port = worker.stdout.readline().strip()
    if not port.isdigit():
        worker.kill()
        worker.communicate()
        pytest.fail("a worker did not start")
    return worker, f"http://127.0.0.1:{port}"


@pytest.fixture
def workers(redis_url: str, jwks_server: JwksServer) -> Iterator[tuple[str, str]]:
    started = [_start_worker(redis_url, jwks_server.url) for _ in range(2)]
    yield started[0][1], started[1][1]
    for worker, _ in started:
        worker.terminate()
        worker.communicate(timeout=10)  # reaps it and closes its stdout


def _live_token(origin_jti: str, sub: str) -> str:
    now = int(time.time())
    return sign(claims(iat=now, auth_time=now, exp=now + 3600, origin_jti=origin_jti, sub=sub))


def test_logout_on_one_worker_is_a_401_on_the_other(workers: tuple[str, str]) -> None:
    """After worker A records a sign-out, worker B refuses that access token; another
    user's token still passes on B."""
    a, b = workers
    alice = {"Authorization": f"Bearer {_live_token('family-alice', 'sub-alice')}"}
    bob = {"Authorization": f"Bearer {_live_token('family-bob', 'sub-bob')}"}
    with httpx.Client(timeout=10) as http:
        assert http.get(f"{b}/me", headers=alice).status_code == 200
        assert http.post(f"{a}/logout", headers=alice).status_code == 200
        refused = http.get(f"{b}/me", headers=alice)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"] == "Bearer"
        assert http.get(f"{a}/me", headers=alice).status_code == 401
        assert http.get(f"{b}/me", headers=bob).status_code == 200
