"""Install the strict layer into moto's cognito-idp response handler, scoped and reversible.

Choice (documented in docs/local-cognito.md): we wrap ``CognitoIdpResponse._dispatch``
while at least one LocalCognito runs (patch on the first start, restore on the last stop),
and the wrapper only acts on requests that arrived on one of *our* servers' ports. Requests
from ``mock_aws`` (no server port) or from any other moto server in the process go straight
to moto's original code, so other moto users see stock moto even while we run.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

from . import _moto_internals as mi
from ._errors import ServiceError
from ._messages import replace_moto
from ._strict import DELEGATE, StrictCognito

__all__ = ["active_ports", "install", "uninstall"]

# Called with (action, (status, headers, body)) after each cognito-idp request on the port.
Observer = Callable[[str, tuple[int, Any, Any]], None]

_lock = threading.Lock()
_by_port: dict[int, StrictCognito] = {}
_observers: dict[int, Observer] = {}
_saved: dict[str, Any] = {}  # "had_own": whether the class defined _dispatch itself
# moto's own dispatch, kept after uninstall so a request already in flight can finish.
_original: list[Any] = []


def _request_port(request: Any) -> int | None:
    environ = getattr(request, "environ", None) or {}
    port = environ.get("SERVER_PORT")
    try:
        return int(port) if port is not None else None
    except ValueError:
        return None


def _json_response(status: int, payload: dict[str, Any], error: str | None = None) -> Any:
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "x-amzn-RequestId": str(uuid.uuid4()),
    }
    if error is not None:
        headers["x-amzn-ErrorType"] = error
    return status, headers, json.dumps(payload, default=_json_default)


def _json_default(value: Any) -> Any:
    # moto's models hold datetimes; AWS JSON sends timestamps as epoch seconds.
    timestamp = getattr(value, "timestamp", None)
    if callable(timestamp):
        return timestamp()
    return str(value)


def _dispatch(self: Any, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
    port = _request_port(request) or -1
    strict = _by_port.get(port)
    original = _original[0]
    if strict is None:
        return original(self, request, full_url, headers)
    self.setup_class(request, full_url, headers)
    action = self._get_action()
    response = _answer(self, strict, action)
    observer = _observers.get(port)
    if observer is not None:
        # Before the response leaves: a client that saw it can count on what it changed
        # (LocalCognito saves its state file here).
        observer(action, response)
    return response


def _answer(self: Any, strict: StrictCognito, action: str) -> Any:
    if action not in strict.handlers:
        return self.call_action()
    try:
        result = strict.handle(action, self.body)
    except ServiceError as exc:
        return _json_response(exc.status, {"__type": exc.code, "message": exc.message}, exc.code)
    except mi.moto_error_classes() as exc:
        code, message, status = mi.moto_error_fields(exc)
        # moto's texts are not AWS's (its UsernameExistsException says just the username).
        message = replace_moto(action, code, message)
        return _json_response(status, {"__type": code, "message": message}, code)
    if result is DELEGATE:
        return self.call_action()
    return _json_response(200, result)


def install(port: int, strict: StrictCognito, observer: Observer | None = None) -> None:
    """Route requests arriving on ``port`` through ``strict``; patch moto on first use.

    :param observer: called after each cognito-idp request on ``port`` with the action and
        the response; it must not raise.
    """
    with _lock:
        if not _by_port:
            cls = mi.response_class()
            _saved["had_own"] = "_dispatch" in vars(cls)
            _saved["own"] = vars(cls).get("_dispatch")
            _original[:] = [cls._dispatch]
            cls._dispatch = _dispatch
            mi.install_key_cache()
        _by_port[port] = strict
        if observer is not None:
            _observers[port] = observer


def uninstall(port: int) -> None:
    """Stop routing ``port``; restore moto's handler when no LocalCognito is left."""
    with _lock:
        _by_port.pop(port, None)
        _observers.pop(port, None)
        if not _by_port and "had_own" in _saved:
            cls = mi.response_class()
            if _saved["had_own"]:
                cls._dispatch = _saved["own"]
            else:
                del cls._dispatch
            mi.uninstall_key_cache()
            _saved.clear()


def active_ports() -> list[int]:
    """Ports currently routed through a strict layer (for tests and diagnostics)."""
    with _lock:
        return sorted(_by_port)
