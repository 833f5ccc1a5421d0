"""The local Cognito's front door: a WSGI middleware in front of moto's app.

moto's server answers anyone: unsigned admin calls, ``/moto-api/`` (plaintext passwords in
``data.json``, ``reset`` wipes every pool), any ``Host`` (DNS rebinding) and any ``Origin``
(flask-cors reflects it). :class:`Guard` keeps the server its owner's, in one place:

1. ``Host`` must be this server's own loopback name or address with its port;
2. a request carrying an ``Origin`` must come from an origin the owner allowed (``cors=``);
   preflights are answered here, and moto's own CORS headers never leave the server;
3. ``/moto-api/`` answers only when asked for (``moto_api=True``);
4. the server's own ``/_local/`` endpoints (``GET /_local/outbox``: the codes it "sent")
   answer loopback peers only, judged by the connection's address (``REMOTE_ADDR``), not by
   ``Host``, which the client writes;
5. every request needs a SigV4-shaped ``Authorization`` header scoped to ``cognito-idp``,
   except the operations AWS itself does not sign (botocore's model says which), the
   public JWKS / OpenID documents and ``GET /_local/outbox``. Signatures are not verified
   (any credentials will do, as on moto), so this keeps browsers and mistakes out, not a
   process of the same user.

The server is built with the guard already in front (``_moto_internals.make_threaded_server``):
no request ever meets moto's app unguarded.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "LOCAL_PREFIX",
    "OUTBOX_PATH",
    "Guard",
    "GuardPolicy",
    "is_loopback",
    "is_loopback_peer",
    "normalize_origins",
    "unsigned_operations",
]

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
SIGNING_NAME = "cognito-idp"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_WILDCARDS = ("0.0.0.0", "::", "")  # noqa: S104 - names to recognise, not to bind
# moto sends any path starting like this (and /favicon.ico) to its moto_api backend
# (moto/moto_server/werkzeug_app.py, DomainDispatcherApplication.get_application).
_MOTO_API_PREFIX = "/moto-api"
# The server's own endpoints (local/_local_routes.py); moto never sees these paths.
LOCAL_PREFIX = "/_local"
OUTBOX_PATH = "/_local/outbox"
_PUBLIC_DOCUMENT = re.compile(r"^/[^/]+/\.well-known/(?:jwks\.json|openid-configuration)/?$")
_SCOPE = re.compile(r"^[^/\s]+/\d{8}/[a-z0-9-]+/(?P<service>[a-z0-9-]+)/aws4_request$")
_SIGNED_HEADERS = re.compile(r"^[a-z0-9-]+(?:;[a-z0-9-]+)*$")
_SIGNATURE = re.compile(r"^[0-9a-f]{64}$")
_HEADER_LIST = re.compile(r"^[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*$")
_EXPOSED = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date"

# What AWS answers a signed operation called without credentials. Code and status: the
# "Common Errors" page of every AWS API reference, Cognito's included (MissingAuthenticationToken,
# HTTP 403; e.g. awsdocs/aws-lambda-developer-guide doc_source/CommonErrors.md); the JSON
# __type and message as cognito-idp sends them: aws/aws-sdk-cpp#1622 (ListUsers unsigned:
# MissingAuthenticationTokenException), aws/aws-sdk-net-extensions-cognito#95 (ListUsers:
# "Missing Authentication Token").
_MISSING_TOKEN = (403, "MissingAuthenticationTokenException", "Missing Authentication Token")
# A header that is not SigV4: IncompleteSignature, HTTP 400 (the same Common Errors page);
# AWS's message also echoes the header back, which we leave out (it may hold a token).
_INCOMPLETE = "IncompleteSignatureException"
# Scoped to another service: smithy4s#1568, JuliaCloud/AWS.jl#334 show this exact answer
# (HTTP 400, the message ends with a space).
_WRONG_SERVICE = (
    400,
    "InvalidSignatureException",
    f"Credential should be scoped to correct service: '{SIGNING_NAME}'. ",
)


@functools.lru_cache(maxsize=1)
def unsigned_operations() -> frozenset[str]:
    """The cognito-idp operations AWS serves without a signature, from botocore's model.

    Older models say ``authtype: none``; newer ones list ``smithy.api#noAuth`` in ``auth``.
    Anything else, including an operation botocore does not know, must be signed.
    """
    import botocore.session  # a dependency of the core package; loaded once, when needed

    model = botocore.session.get_session().get_service_model(SIGNING_NAME)
    names = set()
    for name in model.operation_names:
        operation = model.operation_model(name)
        schemes = getattr(operation, "auth", None) or ()
        if operation.auth_type == "none" or "smithy.api#noAuth" in schemes:
            names.add(name)
    return frozenset(names)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a bind address or name) only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback_peer(remote_addr: str | None) -> bool:
    """Whether a connection's peer address (WSGI ``REMOTE_ADDR``) is this machine's loopback;
    an IPv4-mapped IPv6 address counts as its IPv4 address."""
    try:
        address = ipaddress.ip_address((remote_addr or "").strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool((mapped or address).is_loopback)


def normalize_origins(cors: str | Sequence[str] | None) -> frozenset[str]:
    """Validate the origins allowed to call the server from a browser (``scheme://host[:port]``).

    :raises ValueError: for ``*`` (reflecting every origin is what this guard prevents) or
        anything that is not a bare http(s) origin.
    """
    given = [cors] if isinstance(cors, str) else list(cors or ())
    origins = set()
    for origin in given:
        value = origin.strip().rstrip("/").lower()
        parts = urlsplit(value)
        if (
            value == "*"
            or parts.scheme not in ("http", "https")
            or not parts.netloc
            or parts.path
            or parts.query
            or parts.fragment
            or "@" in parts.netloc
        ):
            raise ValueError(
                f"cors origins are scheme://host[:port], e.g. http://localhost:3000: {origin!r}"
            )
        origins.add(value)
    return frozenset(origins)


@dataclass(frozen=True)
class GuardPolicy:
    """What the guard lets through, fixed when the server starts.

    :ivar bind_host: the address the server listens on.
    :ivar port: the port it listens on.
    :ivar cors_origins: browser origins allowed to call it (see :func:`normalize_origins`).
    :ivar moto_api: serve moto's ``/moto-api/`` endpoints.
    """

    bind_host: str
    port: int
    cors_origins: frozenset[str] = frozenset()
    moto_api: bool = False
    hosts: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = set(_LOOPBACK_NAMES)
        if self.bind_host not in _WILDCARDS:
            bare = self.bind_host.strip("[]").lower()
            names.add(f"[{bare}]" if ":" in bare else bare)
        hosts = {f"{name}:{self.port}" for name in names}
        if self.port == 80:  # clients leave the default port out of Host
            hosts |= names
        object.__setattr__(self, "hosts", frozenset(hosts))

    def host_allowed(self, host: str) -> bool:
        """Whether a request's ``Host`` names this server (DNS rebinding protection)."""
        host = host.lower()
        if host in self.hosts:
            return True
        if self.bind_host not in _WILDCARDS:
            return False
        # Bound to every interface, the server's addresses are not known here. An IP literal
        # is still safe: a rebinding attack needs the attacker's *name* in Host.
        name, sep, port = host.rpartition(":")
        if not sep or port != str(self.port):
            return False
        if name.startswith("[") and name.endswith("]"):
            name = name[1:-1]
        elif ":" in name:  # an IPv6 literal must be bracketed
            return False
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def own_origin(self, origin: str) -> bool:
        """Whether ``origin`` is this server itself (same-origin requests are not CORS)."""
        scheme, _, host = origin.partition("://")
        return scheme == "http" and host in self.hosts


class Guard:
    """The WSGI middleware; see the module docstring for the rules.

    :param app: moto's WSGI application.
    :param policy: what to let through.
    """

    def __init__(self, app: WsgiApp, policy: GuardPolicy) -> None:
        self.app = app
        self.policy = policy

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        policy = self.policy
        if not policy.host_allowed(environ.get("HTTP_HOST", "")):
            names = ", ".join(sorted(policy.hosts))
            return _refuse(
                start_response,
                (403, "LocalCognitoForbiddenHost", f"this server answers to Host {names} only"),
            )
        origin = environ.get("HTTP_ORIGIN", "").lower()
        cors = origin if origin in policy.cors_origins else None
        if origin and cors is None and not policy.own_origin(origin):
            return _refuse(
                start_response,
                (
                    403,
                    "LocalCognitoForbiddenOrigin",
                    "cross-origin requests need the origin allowed: cors=... / --cors ORIGIN",
                ),
            )
        if cors is not None and environ.get("REQUEST_METHOD") == "OPTIONS":
            return _preflight(cors, environ, start_response)
        refusal = self._refusal(environ)
        if refusal is not None:
            return _refuse(start_response, refusal, cors)
        return self.app(environ, _cors_start_response(start_response, cors))

    def _refusal(self, environ: dict[str, Any]) -> tuple[int, str, str] | None:
        path = environ.get("PATH_INFO", "")
        if (path == LOCAL_PREFIX or path.startswith(LOCAL_PREFIX + "/")) and not (
            is_loopback_peer(environ.get("REMOTE_ADDR"))
        ):
            return (
                403,
                "LocalCognitoForbiddenPeer",
                f"{LOCAL_PREFIX}/ answers clients on this machine (loopback) only",
            )
        if path.startswith(_MOTO_API_PREFIX) or path == "/favicon.ico":
            if self.policy.moto_api:
                return None
            return (
                403,
                "LocalCognitoMotoApiDisabled",
                "moto's /moto-api/ is off: start with moto_api=True / --moto-api",
            )
        authorization = environ.get("HTTP_AUTHORIZATION")
        if authorization is None:
            return None if _unsigned_allowed(environ, path) else _MISSING_TOKEN
        return _signature_problem(authorization, environ)


def _unsigned_allowed(environ: dict[str, Any], path: str) -> bool:
    method = environ.get("REQUEST_METHOD", "")
    if method in ("GET", "HEAD") and _PUBLIC_DOCUMENT.match(path):
        return True  # the JWKS and OpenID configuration are public on AWS too
    if method in ("GET", "HEAD") and path.rstrip("/") == OUTBOX_PATH:
        return True  # read by the developer's own scripts; loopback peers only (above)
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    operation = target[len(TARGET_PREFIX) :] if target.startswith(TARGET_PREFIX) else ""
    # Every cognito-idp operation is a POST to "/" (the JSON protocol): another path could
    # make moto route the request to another backend.
    return method == "POST" and path == "/" and operation in unsigned_operations()


def _signature_problem(authorization: str, environ: dict[str, Any]) -> tuple[int, str, str] | None:
    algorithm, _, rest = authorization.strip().partition(" ")
    params: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, value = part.strip().partition("=")
        if sep:
            params[key] = value
    missing = [
        f"Authorization header requires '{name}' parameter."
        for name in ("Credential", "Signature", "SignedHeaders")
        if not params.get(name)
    ]
    if not (environ.get("HTTP_X_AMZ_DATE") or environ.get("HTTP_DATE")):
        missing.append(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )
    if missing:
        return 400, _INCOMPLETE, " ".join(missing)
    scope = _SCOPE.match(params["Credential"])
    if (
        algorithm != "AWS4-HMAC-SHA256"
        or scope is None
        or not _SIGNED_HEADERS.match(params["SignedHeaders"])
        or not _SIGNATURE.match(params["Signature"])
    ):
        return 400, _INCOMPLETE, "The request signature does not conform to AWS standards."
    if scope["service"] != SIGNING_NAME:
        return _WRONG_SERVICE
    return None


def _cors_headers(origin: str | None) -> list[tuple[str, str]]:
    if origin is None:
        return []
    return [
        ("Access-Control-Allow-Origin", origin),
        ("Access-Control-Expose-Headers", _EXPOSED),
        ("Vary", "Origin"),
    ]


def _cors_start_response(start_response: StartResponse, origin: str | None) -> StartResponse:
    def filtered(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        # moto's app runs flask-cors, which reflects any Origin: drop its headers, add ours.
        kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
        return start_response(status, kept + _cors_headers(origin), exc_info)

    return filtered


def _preflight(origin: str, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
    requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "").strip()
    headers = [
        ("Access-Control-Allow-Origin", origin),
        ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
        ("Access-Control-Max-Age", "600"),
        ("Vary", "Origin"),
        ("Content-Length", "0"),
    ]
    if requested and _HEADER_LIST.match(requested):
        headers.append(("Access-Control-Allow-Headers", requested))
    start_response("204 No Content", headers)
    return [b""]


def _refuse(
    start_response: StartResponse, refusal: tuple[int, str, str], origin: str | None = None
) -> list[bytes]:
    status, code, message = refusal
    body = json.dumps({"__type": code, "message": message}).encode()
    reason = {400: "Bad Request", 403: "Forbidden"}[status]
    headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", str(uuid.uuid4())),
        ("x-amzn-ErrorType", code),
        *_cors_headers(origin),
    ]
    start_response(f"{status} {reason}", headers)
    return [body]
