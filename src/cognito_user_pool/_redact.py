"""Secrets taken out of the log records of botocore and the HTTP libraries under it.

At DEBUG, botocore logs every request and answer whole: ``botocore.endpoint`` the request
dict with its JSON body ("Making request for ... with params"), ``botocore.parsers`` the raw
answer ("Response body"). Passwords, codes, tokens and challenge sessions would reach
whatever handler the application configured. :func:`install` puts one
:class:`RedactingFilter` on each logger that can carry a body, a header or a URL: a logger's
filters run on every record it makes before any handler sees it (``Logger.handle``), so this
holds for every handler, the root's and ones added later included.

Redacted, wherever they sit (dicts, JSON bodies, ``repr``s, header lines, query strings):
the members that botocore's cognito-idp model marks ``sensitive``; keys that name a
secret (password, secret, token, session, code...); and every JWT-shaped string.
"""

from __future__ import annotations

import ast
import functools
import json
import logging
import re
import threading
from collections.abc import Mapping
from typing import Any

__all__ = ["REDACTED", "RedactingFilter", "install"]

REDACTED = "<redacted>"
_REDACTED_BYTES = REDACTED.encode()
_SERVICE = "cognito-idp"
# What a record that could not be redacted says instead, so that it is kept but holds nothing.
_WITHHELD = "[log record withheld: cognito-user-pool could not redact it]"

# Loggers whose records can hold a request or an answer (body, headers or URL), found by
# reading each library's logging calls (botocore 1.43, aiobotocore 3.10, urllib3 2.8,
# aiohttp 3.14, httpx/httpcore and their httpx2/httpcore2 forks). Named one by one: a
# logger's filters see only the records made on that logger, never its children's
# (Python docs, logging, "Filter Objects"). aiobotocore logs through botocore's loggers.
_LOGGERS = (
    "botocore.endpoint",  # the request dict and body; the prepared request and its headers
    "botocore.parsers",  # "Response headers", "Response body"
    "botocore.auth",  # the SigV4 canonical request (x-amz-security-token) and signature
    "botocore.handlers",  # parsed answers and bodies of errors sent with status 200
    "botocore.utils",  # container and instance metadata answers (credentials)
    "botocore.credentials",
    "aiobotocore.credentials",
    "botocore.hooks",  # event names and their handlers
    "botocore.httpsession",  # exceptions of the HTTP layer, aiobotocore's too
    "botocore.regions",
    "aiobotocore.regions",  # endpoint parameters
    "urllib3.connectionpool",  # request lines, query strings included
    "urllib3.util.retry",
    "aiohttp.client",
    "aiohttp.internal",  # cookies
    "httpx",
    "httpx2",  # "HTTP Request: <method> <url>"
    *(  # trace lines that hold the answer's headers
        f"{package}.{part}"
        for package in ("httpcore", "httpcore2")
        for part in ("http11", "http2", "connection", "proxy", "socks")
    ),
)
# Not "cognito_user_pool": the package's own lines hold no secret by design, and its tests
# must be able to see one if a line ever did.
# Loggers of these packages that exist when a pool opens get the filter too, so that a
# logger these libraries add later is covered as well.
_FAMILIES = tuple(sorted({name.split(".")[0] for name in _LOGGERS}))

# Key words that name a secret, matched in a key lowered with its separators removed, so
# that "SMS_MFA_CODE", "x-amz-security-token" and "PreviousPassword" all match.
_SECRET_WORDS = (
    "password",
    "passwd",
    "secret",
    "token",
    "session",
    "authorization",
    "cookie",
    "signature",
    "credential",
    "apikey",
    "privatekey",
    "answer",
)
# Keys that contain such a word but hold no secret; redacting them would only hide context.
_NOT_SECRET = frozenset({"tokentype", "errorcode", "statuscode", "httpstatuscode"})
# Redaction goes this deep into nested values, then treats the rest as text.
_MAX_DEPTH = 24

# The text patterns, compiled on first use (see _pattern).
_PATTERNS = {
    # A str or bytes literal as repr() writes it, in single quotes: holding a backslash, its
    # content is escaped one level deeper than the text around it (JSON inside a bytes
    # repr), so it is decoded, redacted and written again rather than matched as it stands.
    # Only the escapes repr() writes are allowed, so that literal_eval never warns.
    "literal": r"(?<!\w)b?'(?:[^'\\\n]|\\[\\'\"nrt]|\\x[0-9a-fA-F]{2})*'",
    "jwt": r"(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}",
    # 'Key': 'value', "Key": b"value", 'Key', 'value' (header tuples), key='value' (reprs).
    "quoted_pair": r"""(?P<kq>['"])(?P<key>[^'"\\\s]{1,128})(?P=kq)\s*[:=,]\s*b?"""
    r"""(?P<vq>['"])(?P<value>(?:\\.|(?!(?P=vq))[^\\])*)(?P=vq)""",
    # <SessionToken>...</SessionToken> in XML answers (STS, for credentials).
    "xml_element": r"<(?P<key>[A-Za-z][\w.-]{0,127})>(?P<value>[^<]*)</(?P=key)>",
    # Header lines ("x-amz-security-token:..."), and botocore's "Signature:\n<value>".
    "header_line": r"(?m)^(?P<key>[A-Za-z][\w-]{0,127}):[ \t]*(?:\r?\n)?(?P<value>[^\r\n]+)",
    # key=value in query strings, form bodies and header parameters (Signature=...).
    "bare_pair": r"(?<![\w.-])(?P<key>[A-Za-z_][\w.-]{0,127})=(?P<value>[^&\s'\",;<>()\[\]{}]+)",
    "aws_error_code": r"[A-Z][A-Za-z0-9.]*(?:Exception|Error|Fault)",
    "separators": r"[^a-z0-9]",
}


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    """A compiled text pattern. Lazily: compiling them all takes milliseconds, and the first
    pool opens on the event loop, where nothing needs them until a DEBUG record comes."""
    return re.compile(_PATTERNS[name])


@functools.lru_cache(maxsize=2048)
def _normal(key: str) -> str:
    """``key`` lowered, separators removed: the form every key rule compares."""
    return _pattern("separators").sub("", key.lower())


class _Shown:
    """What a foreign object prints as once redacted: its redacted ``str`` and ``repr``."""

    __slots__ = ("_repr", "_str")

    def __init__(self, text: str, representation: str) -> None:
        self._str = text
        self._repr = representation

    def __str__(self) -> str:
        return self._str

    def __repr__(self) -> str:
        return self._repr


def _blank(value: Any) -> Any:
    """``value`` with every leaf replaced, its shape (keys, lengths of lists) kept."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (bytes, bytearray)):
        return _REDACTED_BYTES
    if isinstance(value, Mapping):
        return {key: _blank(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_blank(item) for item in value]
    return REDACTED


class _Rules:
    """The redaction rules: secret key names (the model's and the generic ones) and text
    patterns. Every method returns its argument itself when there was nothing to redact."""

    def __init__(self, sensitive_names: frozenset[str]) -> None:
        self.sensitive_names = sensitive_names

    def secret_pair(self, key: object, value: object) -> bool:
        """Whether ``value``, found under ``key``, is a secret."""
        if isinstance(key, (bytes, bytearray)):
            key = bytes(key).decode("latin-1")
        if not isinstance(key, str):
            return False
        name = _normal(key)
        if name in self.sensitive_names:
            return True
        if name in _NOT_SECRET:
            return False
        if (
            name == "code"
            and isinstance(value, str)
            and _pattern("aws_error_code").fullmatch(value)
        ):
            # botocore's parsed errors: {"Error": {"Code": "CodeMismatchException"}}.
            return False
        return name.endswith("code") or any(word in name for word in _SECRET_WORDS)

    def value(self, value: Any, depth: int = 0) -> Any:
        """``value`` with its secrets replaced; containers are copied only when changed."""
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, str):
            return self.text(value, depth)
        if isinstance(value, (bytes, bytearray)):
            return self._bytes(bytes(value), depth)
        if depth >= _MAX_DEPTH:
            return self._opaque(value)
        if isinstance(value, Mapping):
            return self._mapping(value, depth)
        if isinstance(value, (list, tuple)):
            items = [self.value(item, depth + 1) for item in value]
            if all(new is old for new, old in zip(items, value, strict=True)):
                return value
            return tuple(items) if isinstance(value, tuple) else items
        return self._opaque(value)

    def _mapping(self, value: Mapping[Any, Any], depth: int) -> Any:
        out: dict[Any, Any] = {}
        changed = False
        for key, item in value.items():
            new = _blank(item) if self.secret_pair(key, item) else self.value(item, depth + 1)
            changed = changed or new is not item
            out[key] = new
        return out if changed else value

    def _bytes(self, value: bytes, depth: int) -> bytes:
        try:
            text, encoding = value.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = value.decode("latin-1"), "latin-1"
        redacted = self.text(text, depth)
        return value if redacted is text else redacted.encode(encoding, "replace")

    def _opaque(self, value: Any) -> Any:
        """A foreign object (a prepared request, headers...): judged by what it prints."""
        try:
            representation, text = repr(value), str(value)
        except Exception:
            return _Shown("<unprintable>", "<unprintable>")
        if text == representation:  # most objects: str() is repr(), redacted once
            text = representation
        new_repr = self.text(representation)
        new_text = new_repr if text is representation else self.text(text)
        if new_repr is representation and new_text is text:
            return value
        return _Shown(new_text, new_repr)

    def text(self, text: str, depth: int = 0) -> str:
        """``text`` redacted: as JSON when it is JSON, else by the text patterns."""
        if text.lstrip()[:1] in ("{", "[") and depth < _MAX_DEPTH:
            try:
                parsed = json.loads(text)
            except (ValueError, RecursionError):
                pass
            else:
                redacted = self.value(parsed, depth + 1)
                return text if redacted is parsed else json.dumps(redacted, ensure_ascii=False)
        return self._patterns(text, depth)

    def _patterns(self, text: str, depth: int) -> str:
        new = text
        if "\\" in text and depth < _MAX_DEPTH:
            new = _pattern("literal").sub(lambda match: self._literal(match[0], depth), new)
        new = _pattern("jwt").sub(REDACTED, new)
        for name in ("quoted_pair", "xml_element", "header_line", "bare_pair"):
            new = _pattern(name).sub(self._keyed, new)
        return text if new == text else new

    def _literal(self, literal: str, depth: int) -> str:
        if "\\" not in literal:
            return literal
        try:
            value = ast.literal_eval(literal)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return literal
        redacted = self.value(value, depth + 1)
        return literal if redacted is value else repr(redacted)

    def _keyed(self, match: re.Match[str]) -> str:
        """A pattern's match with its ``value`` group replaced, if its ``key`` is secret."""
        if match["value"] in ("", REDACTED) or not self.secret_pair(match["key"], match["value"]):
            return match[0]
        start, end = match.span("value")
        return match[0][: start - match.start()] + REDACTED + match[0][end - match.start() :]


class RedactingFilter(logging.Filter):
    """Rewrites each record in place with its secrets replaced by ``<redacted>``; never drops
    a record, never raises.

    The arguments are redacted one by one, so the record keeps its template and stays
    formattable; when the formatted message still matches a pattern (a secret split between
    the template and an argument, or a message formatted by the library itself), the record
    gets the redacted message as its template and no arguments.
    """

    def __init__(self, rules: _Rules) -> None:
        super().__init__()
        self._rules = rules

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            self._redact(record)
        except Exception:
            # A bug here must neither lose the record nor let a secret through.
            record.msg, record.args, record.exc_text = _WITHHELD, (), None
            record.exc_info = record.stack_info = None
        return True

    def _redact(self, record: logging.LogRecord) -> None:
        rules = self._rules
        msg = record.msg if isinstance(record.msg, str) else rules.value(record.msg)
        args = rules.value(record.args) if record.args else record.args
        try:
            message = str(msg) % args if args else str(msg)
        except (TypeError, ValueError, KeyError):
            # A record that logging cannot format either: its handleError prints msg and
            # args, so both are redacted, and the record is left as broken as it came.
            record.msg, record.args = rules.text(str(msg)), args
        else:
            redacted = rules.text(message)
            if redacted is message:
                record.msg, record.args = msg, args
            else:
                record.msg, record.args = redacted, ()
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            redacted = rules.text(text)
            if redacted is not text:
                record.exc_text = redacted
        elif record.exc_text:
            record.exc_text = rules.text(record.exc_text)
        if record.stack_info:
            record.stack_info = rules.text(record.stack_info)


_lock = threading.Lock()
_filter: RedactingFilter | None = None
_loggers_seen = -1


def install(session: Any = None) -> None:
    """Put the redacting filter on every logger that can carry a secret (idempotent, thread
    safe, cheap after the first call).

    :param session: the botocore (or aiobotocore) session whose loader already holds the
        cognito-idp model; without it the model is read from botocore's data files.
    """
    global _filter, _loggers_seen
    manager = logging.Logger.manager
    if _filter is not None and len(manager.loggerDict) == _loggers_seen:
        return
    with _lock:
        if _filter is None:
            _filter = RedactingFilter(_Rules(_sensitive_member_names(session)))
        names = [
            name
            for name in list(manager.loggerDict)
            if name.split(".")[0] in _FAMILIES
            and isinstance(manager.loggerDict.get(name), logging.Logger)
        ]
        for name in {*_LOGGERS, *names}:
            logging.getLogger(name).addFilter(_filter)  # addFilter skips a filter it has
        _loggers_seen = len(manager.loggerDict)


def _sensitive_member_names(session: Any) -> frozenset[str]:
    """The (normalised) names of the cognito-idp members whose shape botocore's model marks
    ``sensitive``, directly or through a list or map of such shapes."""
    try:
        if session is None:
            from botocore.loaders import create_loader

            loader, api_version = create_loader(), None
        else:
            # The very call botocore's ClientCreator makes, so the session's loader cache
            # answers it (botocore.client._load_service_model).
            loader = session.get_component("data_loader")
            api_version = session.get_config_variable("api_versions").get(_SERVICE, None)
        model = loader.load_service_model(_SERVICE, "service-2", api_version=api_version)
        shapes: dict[str, Any] = model["shapes"]
    except Exception:
        logging.getLogger("cognito_user_pool").warning(
            "botocore's %s model could not be read: log redaction uses key names only",
            _SERVICE,
        )
        return frozenset()
    sensitive = {name for name, shape in shapes.items() if shape.get("sensitive")}
    containers = {  # list -> its member's shape, map -> its value's shape
        name: shape.get("member", shape.get("value", {})).get("shape")
        for name, shape in shapes.items()
        if shape.get("type") in ("list", "map")
    }
    grew = True
    while grew:  # lists and maps of sensitive shapes are sensitive too
        grew = False
        for name, inner in containers.items():
            if inner in sensitive and name not in sensitive:
                sensitive.add(name)
                grew = True
    return frozenset(
        _normal(member_name)
        for shape in shapes.values()
        for member_name, member in shape.get("members", {}).items()
        if member.get("sensitive") or member.get("shape") in sensitive
    )
