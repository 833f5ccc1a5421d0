"""A keep-alive stub of Cognito's JSON API for benchmarks, run in its own process.

moto closes the connection after every response and spends milliseconds of its own CPU per
request, so a benchmark against it measures moto. This stub answers the few operations the
benchmarks use with realistically sized payloads, prepared once at start-up, over kept-alive
HTTP/1.1 connections on 127.0.0.1, with an optional injected latency:

- ``POST /``: Cognito's JSON protocol, ``InitiateAuth`` (``USER_SRP_AUTH`` with a real
  3072-bit ``SRP_B``, ``REFRESH_TOKEN_AUTH``), ``RespondToAuthChallenge`` (~1 KB RS256
  access and id tokens, a ~1.7 KB refresh token) and ``GetUser`` (bench/stub_ops.py);
- ``GET /<pool id>/.well-known/jwks.json`` -> the signing key's public half;
- ``GET /bench/tokens`` -> the tokens, for verification benchmarks.

The key, the tokens (signed with joserfc) and the SRP values are made once, at start-up
(bench/stub_state.py). One server process listens on one port per requested latency.

Run it alone with ``python bench/stub.py --latency-ms 0 --latency-ms 50``; it prints one JSON
line (``{"ports": {"0": ..., "50": ...}, ...}``) once it listens, and stops on SIGTERM (or,
with ``--watch-stdin`` as the harness starts it, when its standard input closes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run as a script (the harness starts it so), this file's folder is on sys.path, not the root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.stub_ops import StubError, handle_operation  # noqa: E402
from bench.stub_state import POOL_ID, StubState, build_state  # noqa: E402

__all__ = ["StubInfo", "make_app", "run_stub", "stub_server"]

TARGET_PREFIX = "AWSCognitoIdentityProviderService."


def make_app(state: StubState, latency_s: float = 0.0) -> Any:
    """The aiohttp application: Cognito's JSON protocol on ``POST /`` plus two GETs."""
    from aiohttp import web

    jwks_body = json.dumps(state.jwks).encode()
    tokens_body = json.dumps(
        {
            "AccessToken": state.access_token,
            "IdToken": state.id_token,
            "RefreshToken": state.refresh_token,
            "Issuer": state.issuer,
            "Jwks": state.jwks,
        }
    ).encode()

    def _json(status: int, payload: bytes, error: str | None = None) -> Any:
        headers = {"x-amzn-RequestId": str(uuid.uuid4())}
        if error:
            headers["x-amzn-ErrorType"] = error
        return web.Response(
            status=status,
            body=payload,
            content_type="application/x-amz-json-1.1",
            headers=headers,
        )

    async def api(request: Any) -> Any:
        body = await request.read()
        if latency_s:
            await asyncio.sleep(latency_s)
        target = request.headers.get("X-Amz-Target", "")
        if not target.startswith(TARGET_PREFIX):
            return _json(400, b'{"__type":"UnknownOperationException"}', "UnknownOperation")
        try:
            payload = json.loads(body or b"{}")
            answer = handle_operation(state, target[len(TARGET_PREFIX) :], payload)
        except StubError as exc:
            error = json.dumps({"__type": exc.code, "message": exc.message}).encode()
            return _json(400, error, exc.code)
        except (ValueError, TypeError):
            return _json(400, b'{"__type":"SerializationException"}', "SerializationException")
        return _json(200, json.dumps(answer, separators=(",", ":")).encode())

    async def jwks(request: Any) -> Any:
        if latency_s:
            await asyncio.sleep(latency_s)
        return web.Response(body=jwks_body, content_type="application/json")

    async def tokens(request: Any) -> Any:
        return web.Response(body=tokens_body, content_type="application/json")

    app = web.Application()
    app.router.add_post("/", api)
    app.router.add_get(f"/{POOL_ID}/.well-known/jwks.json", jwks)
    app.router.add_get("/bench/tokens", tokens)
    return app


async def _serve(latencies_ms: list[float], watch_stdin: bool) -> None:
    from aiohttp import web

    state = build_state()
    runners = []
    ports: dict[str, int] = {}
    for latency in latencies_ms:
        # Big backlog: 200 connections arrive at once in the concurrency scenario.
        runner = web.AppRunner(make_app(state, latency / 1000.0), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        ports[f"{latency:g}"] = int(runner.addresses[-1][1])
        runners.append(runner)
    print(json.dumps({"ports": ports, "pid": os.getpid()}), flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if watch_stdin:
        # Stop when the parent goes away (its end of our stdin closes).
        loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.read(1) else None)
    await stop.wait()
    for runner in runners:
        await runner.cleanup()


def run_stub(latencies_ms: list[float], *, watch_stdin: bool = False) -> None:
    """Serve until SIGTERM (or, with ``watch_stdin``, until stdin closes)."""
    asyncio.run(_serve(latencies_ms, watch_stdin))


@dataclass(frozen=True)
class StubInfo:
    """A running stub: base URLs by latency and the process running it."""

    ports: dict[str, int]
    process: subprocess.Popen[str]

    def url(self, latency_ms: float = 0) -> str:
        """``http://127.0.0.1:<port>`` of the listener with that latency."""
        return f"http://127.0.0.1:{self.ports[f'{latency_ms:g}']}"


@contextmanager
def stub_server(latencies_ms: list[float] | None = None) -> Iterator[StubInfo]:
    """Start the stub in its own process; stop it on exit."""
    latencies = latencies_ms or [0.0]
    args = [sys.executable, str(Path(__file__).resolve())]
    for latency in latencies:
        args += ["--latency-ms", f"{latency:g}"]
    args.append("--watch-stdin")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and file
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark stub server did not start")
        yield StubInfo(ports=json.loads(line)["ports"], process=process)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``--latency-ms`` may repeat, one listening port per value."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, action="append", default=None)
    parser.add_argument("--watch-stdin", action="store_true", help="stop when stdin closes")
    args = parser.parse_args(argv)
    run_stub(args.latency_ms or [0.0], watch_stdin=args.watch_stdin)


if __name__ == "__main__":
    main()
