"""A fault-injecting HTTP proxy on 127.0.0.1, between a pool and the strict local Cognito.

It speaks just enough HTTP/1.1 for botocore's requests (a Content-Length body, keep-alive on
the client side) and opens one upstream connection per request (``Connection: close``), so
that each request can be faulted on its own. Faults are armed per operation (read from
``X-Amz-Target``) and used up one request at a time; every other request passes through.

It counts what it saw: requests per operation, and the client connections open at once
(``max_open``), which the load test holds against the pool's ``max_pool_connections``.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import socket
import struct
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

__all__ = ["Fault", "FaultProxy", "running_proxy"]

_TARGET_PREFIX = "awscognitoidentityproviderservice."


class Fault(enum.Enum):
    """What the proxy does to one request instead of passing it through."""

    RESET_BEFORE = "reset before forwarding"
    RESET_AFTER = "reset after the server answered"
    STALL_AFTER = "stall after forwarding, past the client's read timeout"
    HTTP_500_AFTER = "HTTP 500 after forwarding"
    HTML_200 = "HTML 200 instead of forwarding (a captive portal)"
    NULL_BODY = "a null body after forwarding"
    EMPTY_OBJECT = "an empty JSON object after forwarding"
    TRUNCATED = "half the body, then the connection closes"
    TRICKLE = "the answer in small pieces, slowly"
    THROTTLE = "TooManyRequestsException instead of forwarding"

    @property
    def forwards(self) -> bool:
        """Whether the request reaches the server."""
        return self not in (Fault.RESET_BEFORE, Fault.HTML_200, Fault.THROTTLE)


@dataclass
class _Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class FaultProxy:
    """Forwards to ``upstream`` (``host``, ``port``); ``url`` is where clients connect."""

    upstream: tuple[str, int]
    url: str = ""
    seen: Counter[str] = field(default_factory=Counter)
    forwarded: Counter[str] = field(default_factory=Counter)
    open_connections: int = 0
    max_open: int = 0
    trickle_chunk: int = 64
    trickle_delay: float = 0.01
    _armed: dict[str, list[Fault]] = field(default_factory=dict)
    _handlers: set[asyncio.Task[None]] = field(default_factory=set)
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    def arm(self, operation: str, *faults: Fault) -> None:
        """Fault the next requests for ``operation``, one fault each, in order."""
        self._armed.setdefault(operation.lower(), []).extend(faults)

    async def wait_seen(self, operation: str, count: int) -> None:
        """Return once ``count`` requests for ``operation`` have arrived."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: self.seen[operation.lower()] >= count)

    def disarm(self) -> None:
        """Forget faults not used yet."""
        self._armed.clear()

    def reset_counts(self) -> None:
        """Start counting requests and connections from zero."""
        self.seen.clear()
        self.forwarded.clear()
        self.max_open = self.open_connections

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.open_connections += 1
        self.max_open = max(self.max_open, self.open_connections)
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.open_connections -= 1
            self._handlers.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Handle one request; False when the client connection is done."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return False
        lines = head.decode("latin-1").split("\r\n")
        headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if line]
        length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
        body = await reader.readexactly(length)
        target = next((v for k, v in headers if k.lower() == "x-amz-target"), "")
        operation = target.lower().removeprefix(_TARGET_PREFIX)
        self.seen[operation] += 1
        async with self._arrived:
            self._arrived.notify_all()
        armed = self._armed.get(operation)
        fault = armed.pop(0) if armed else None

        if fault is Fault.RESET_BEFORE:
            _reset(writer)
            return False
        if fault is Fault.THROTTLE:
            await _answer(writer, _aws_error(400, "TooManyRequestsException", "Rate exceeded"))
            return True
        if fault is Fault.HTML_200:
            page = b"<html><body>Please accept the terms to use this network.</body></html>"
            await _answer(writer, _Response(200, "OK", [("Content-Type", "text/html")], page))
            return True

        # The server answers only to its own Host (a DNS-rebinding guard): name it.
        host = f"Host: {self.upstream[0]}:{self.upstream[1]}"
        upstream_head = [lines[0], host, "Connection: close"]
        upstream_head += [
            f"{k}: {v}" for k, v in headers if k.lower() not in ("connection", "host")
        ]
        request = ("\r\n".join(upstream_head) + "\r\n\r\n").encode()
        response = await self._forward(request + body)
        self.forwarded[operation] += 1

        if fault is None:
            await _answer(writer, response)
        elif fault is Fault.RESET_AFTER:
            _reset(writer)
            return False
        elif fault is Fault.STALL_AFTER:
            # Wait for the client to give up (it closes the connection after its read
            # timeout), so that nothing is left running after the test.
            await reader.read()
            return False
        elif fault is Fault.HTTP_500_AFTER:
            await _answer(writer, _aws_error(500, "InternalErrorException", "Internal error"))
        elif fault is Fault.NULL_BODY:
            await _answer(writer, _replace_body(response, b"null"))
        elif fault is Fault.EMPTY_OBJECT:
            await _answer(writer, _replace_body(response, b"{}"))
        elif fault is Fault.TRUNCATED:
            raw = _encode(response)
            writer.write(raw[: len(raw) - max(1, len(response.body) // 2)])
            await writer.drain()
            writer.close()
            return False
        elif fault is Fault.TRICKLE:
            raw = _encode(response)
            for start in range(0, len(raw), self.trickle_chunk):
                writer.write(raw[start : start + self.trickle_chunk])
                await writer.drain()
                await asyncio.sleep(self.trickle_delay)
        return True

    async def _forward(self, request: bytes) -> _Response:
        reader, writer = await asyncio.open_connection(*self.upstream)
        try:
            writer.write(request)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
        head, _, body = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        _, status, reason = [*status_line.split(" ", 2), ""][:3]
        headers = [
            (k.strip(), v.strip())
            for k, v in (line.split(":", 1) for line in header_lines)
            if k.strip().lower() not in ("connection", "transfer-encoding")
        ]
        return _Response(int(status), reason, headers, body)


@contextlib.asynccontextmanager
async def running_proxy(upstream_url: str) -> AsyncIterator[FaultProxy]:
    """A proxy in front of ``upstream_url`` (``http://host:port``) while the block runs."""
    host, port = upstream_url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    proxy = FaultProxy((host, int(port)))
    server = await asyncio.start_server(proxy._serve, "127.0.0.1", 0)
    bound = server.sockets[0].getsockname()
    proxy.url = f"http://127.0.0.1:{bound[1]}"
    try:
        yield proxy
    finally:
        server.close()
        for task in list(proxy._handlers):
            task.cancel()
        if proxy._handlers:
            await asyncio.wait(list(proxy._handlers))
        await server.wait_closed()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a dropped connection looks to the client."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _aws_error(status: int, code: str, message: str) -> _Response:
    body = json.dumps({"__type": code, "message": message}).encode()
    return _Response(status, "Error", [("Content-Type", "application/x-amz-json-1.1")], body)


def _replace_body(response: _Response, body: bytes) -> _Response:
    return _Response(response.status, response.reason, response.headers, body)


def _encode(response: _Response) -> bytes:
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(response.body))))
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head.encode("latin-1") + b"\r\n" + response.body


async def _answer(writer: asyncio.StreamWriter, response: _Response) -> None:
    writer.write(_encode(response))
    await writer.drain()
