"""Cognito's answers checked where they come in: an HTTP 2xx that is not Cognito's is an error.

botocore takes any 2xx for a success. Its JSON parser turns a body that is not JSON into
``{"message": body}`` and an operation without required output into an empty result, so a
captive portal's HTML page passes for GlobalSignOut or ChangePassword done; a ``null`` body
breaks the parser with an AttributeError (``BaseJSONParser._parse_body_as_json`` in
``botocore/parsers.py``). The check runs on botocore's ``before-parse`` event, before that
parser, and raises :class:`MalformedResponseError` for:

- a content type other than JSON. Cognito speaks AWS JSON 1.1 (``jsonVersion`` in botocore's
  service model), whose answers carry ``application/x-amz-json-1.1`` (Smithy's awsJson1_1
  specification); plain ``application/json`` is accepted too, as some emulators send it;
- a body that is not a JSON object. An empty body is read as ``{}``: Smithy's protocol tests
  (``AwsJson11ServiceRespondsWithNoPayload``) require clients to accept one;
- an object without a member that botocore's model of the operation marks required
  (``SignUpResponse``: ``UserConfirmed``, ``UserSub``; ``GetUserResponse``: ``Username``,
  ``UserAttributes``), read from ``operation_model.output_shape.required_members``.

Error answers (3xx and up) are left to botocore and ``map_client_errors``. Messages name the
operation, the content type and the missing member names, never the body, which may hold
tokens.
"""

from __future__ import annotations

import json
from typing import Any

from ._errors import MalformedResponseError

__all__ = ["check_answer", "install"]


def install(client: Any) -> None:
    """Check every answer ``client`` receives before botocore parses it."""
    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register(f"before-parse.{service}", check_answer)


def check_answer(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
    """botocore's ``before-parse`` event: raise MalformedResponseError for a 2xx answer that
    is not Cognito's.

    :raises MalformedResponseError: wrong content type, not a JSON object, or a required
        member missing.
    """
    status = response_dict["status_code"]
    if status >= 300:
        return
    operation = operation_model.name
    headers = response_dict.get("headers") or {}
    media_type = str(headers.get("content-type", "")).split(";")[0].strip().lower()
    json_version = operation_model.service_model.metadata.get("jsonVersion", "1.1")
    if media_type not in (f"application/x-amz-json-{json_version}", "application/json"):
        raise MalformedResponseError(
            f"{operation}: the HTTP {status} answer is not Cognito's "
            f"(content type {media_type or 'missing'}, not JSON): a proxy or captive portal "
            "may stand between this client and Cognito"
        )
    body = response_dict.get("body") or b"{}"
    try:
        answer = json.loads(body)
    except ValueError:  # UnicodeDecodeError is one
        raise MalformedResponseError(
            f"{operation}: the HTTP {status} answer is not valid JSON (cut short, or not Cognito's)"
        ) from None
    if not isinstance(answer, dict):
        raise MalformedResponseError(
            f"{operation}: the HTTP {status} answer is a JSON {_json_type(answer)}, not the "
            "object Cognito sends"
        )
    output = operation_model.output_shape
    missing = [name for name in (output.required_members if output else ()) if name not in answer]
    if missing:
        raise MalformedResponseError(
            f"{operation}: the HTTP {status} answer lacks {', '.join(missing)}, which "
            "Cognito always sends"
        )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "array"
