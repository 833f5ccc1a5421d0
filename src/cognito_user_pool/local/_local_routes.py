"""The local server's own endpoints under ``/_local/``, answered before moto sees a request.

``GET /_local/outbox`` is the one place where the codes the server "sent" are shown to other
processes (an app's end-to-end tests, a script): the outbox as JSON, oldest first, with
optional ``username``, ``purpose`` and ``pool`` filters. The guard in front (``_guard``)
applies its Host and CORS rules to it and lets only loopback peers reach it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

from ._guard import LOCAL_PREFIX, OUTBOX_PATH, StartResponse, WsgiApp
from ._outbox import Outbox, OutboxMessage

__all__ = ["LOCAL_PREFIX", "OUTBOX_PATH", "LocalRoutes", "message_json"]

_FILTERS = ("username", "purpose", "pool")


def message_json(index: int, message: OutboxMessage) -> dict[str, Any]:
    """One outbox message as the endpoint shows it (``index``: its place in the outbox)."""
    return {
        "index": index,
        "pool_id": message.pool_id,
        "username": message.username,
        "destination": message.destination,
        "purpose": message.purpose,
        "attribute": message.attribute,
        "medium": message.medium,
        "code": message.code,
    }


class LocalRoutes:
    """WSGI middleware answering ``/_local/...`` and passing everything else to ``app``.

    :param app: moto's WSGI application.
    :param outbox: the server-wide outbox (every pool's messages).
    """

    def __init__(self, app: WsgiApp, outbox: Outbox) -> None:
        self.app = app
        self.outbox = outbox

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path != LOCAL_PREFIX and not path.startswith(LOCAL_PREFIX + "/"):
            return self.app(environ, start_response)
        if path.rstrip("/") != OUTBOX_PATH:
            return _reply(start_response, 404, _error("LocalCognitoNotFound", f"no {path} here"))
        method = environ.get("REQUEST_METHOD", "")
        if method not in ("GET", "HEAD"):
            return _reply(
                start_response,
                405,
                _error("LocalCognitoMethodNotAllowed", f"{OUTBOX_PATH} answers GET only"),
                [("Allow", "GET, HEAD")],
            )
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        problem = _query_problem(query)
        if problem is not None:
            return _reply(start_response, 400, _error("LocalCognitoBadRequest", problem))
        wanted = {name: values[0] for name, values in query.items()}
        messages = [
            message_json(index, message)
            for index, message in enumerate(self.outbox)
            if _matches(message, wanted)
        ]
        body = {"messages": messages}
        return _reply(start_response, 200, body, head=method == "HEAD")


def _query_problem(query: dict[str, list[str]]) -> str | None:
    unknown = sorted(set(query) - set(_FILTERS))
    if unknown:
        return f"unknown parameter(s) {', '.join(unknown)}; filters: {', '.join(_FILTERS)}"
    repeated = sorted(name for name, values in query.items() if len(values) > 1)
    if repeated:
        return f"parameter(s) given more than once: {', '.join(repeated)}"
    return None


def _matches(message: OutboxMessage, wanted: dict[str, str]) -> bool:
    # ``username`` also matches the destination, as Outbox.wait_for does: e-mail-as-username
    # pools can be asked by the address the user typed.
    username = wanted.get("username")
    return (
        (username is None or username in (message.username, message.destination))
        and wanted.get("purpose") in (None, message.purpose)
        and wanted.get("pool") in (None, message.pool_id)
    )


def _error(code: str, message: str) -> dict[str, str]:
    return {"__type": code, "message": message}


def _reply(
    start_response: StartResponse,
    status: int,
    payload: dict[str, Any],
    extra: list[tuple[str, str]] | None = None,
    *,
    head: bool = False,
) -> list[bytes]:
    body = json.dumps(payload).encode()
    reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        # Codes: never cached by a browser or a proxy, never sniffed as another type.
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        *(extra or []),
    ]
    start_response(f"{status} {reasons[status]}", headers)
    return [] if head else [body]
