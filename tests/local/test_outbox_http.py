"""``GET /_local/outbox``: the codes, for other processes on this machine only; and a server
that is guarded from its first request (issue 12, "A dev loop")."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from cognito_user_pool.local import LocalCognito, Outbox, OutboxMessage
from cognito_user_pool.local import _moto_internals as mi
from cognito_user_pool.local._guard import Guard, GuardPolicy
from cognito_user_pool.local._local_routes import LocalRoutes

from .test_guard import APP_ORIGIN, EVIL_ORIGIN, Reply, raw

PASSWORD = "Corr3ct-horse!"
_SIGV4 = (
    "AWS4-HMAC-SHA256 Credential=dummy/20260101/us-east-1/cognito-idp/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)


@pytest.fixture(scope="module")
def served() -> Iterator[LocalCognito]:
    """A server whose outbox holds a sign-up code for alice and one for bob."""
    with LocalCognito(cors=APP_ORIGIN) as local:
        for name in ("alice", "bob"):
            local.admin.sign_up(
                ClientId=local.client_id,
                Username=name,
                Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
            )
        yield local


def outbox(local: LocalCognito, query: str = "", **headers: str) -> Reply:
    """GET /_local/outbox with no signature, as a script would."""
    return raw(local, "GET", "/_local/outbox" + query, headers=headers)


# ---- over HTTP from loopback --------------------------------------------------------------


def test_outbox_lists_the_codes(served: LocalCognito) -> None:
    """From this machine, unsigned: every code sent, oldest first, with what the in-process
    outbox has."""
    reply = outbox(served)
    assert reply.status == 200, reply.text
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["cache-control"] == "no-store"
    messages = reply.body["messages"]
    assert [m["username"] for m in messages] == ["alice", "bob"]
    first = served.outbox[0]
    assert messages[0] == {
        "index": 0,
        "pool_id": served.user_pool_id,
        "username": "alice",
        "destination": "alice@example.com",
        "purpose": "signup",
        "attribute": "email",
        "medium": "EMAIL",
        "code": first.code,
    }


def test_outbox_filters(served: LocalCognito) -> None:
    """``username`` (or the destination), ``purpose`` and ``pool`` narrow the list; an unknown
    or repeated parameter is a 400, not a silently ignored filter."""
    by_name = outbox(served, "?username=bob").body["messages"]
    assert [m["username"] for m in by_name] == ["bob"]
    by_address = outbox(served, "?username=bob%40example.com&purpose=signup").body["messages"]
    assert by_address == by_name
    assert outbox(served, "?purpose=forgot_password").body["messages"] == []
    assert len(outbox(served, f"?pool={served.user_pool_id}").body["messages"]) == 2
    assert outbox(served, "?pool=us-east-1_Other1234").body["messages"] == []
    for query in ("?user=bob", "?username=bob&username=alice"):
        bad = outbox(served, query)
        assert bad.status == 400
        assert bad.body["__type"] == "LocalCognitoBadRequest"


def test_outbox_is_read_only_and_alone(served: LocalCognito) -> None:
    """Only GET (and HEAD) read it; other /_local/ paths are not moto's (an unsigned request
    is refused, a signed one is a 404 of the server's own)."""
    head = raw(served, "HEAD", "/_local/outbox")
    assert head.status == 200
    assert head.text == ""
    post = raw(served, "POST", "/_local/outbox", body=b"{}")
    assert post.status == 403  # unsigned, like every other request the guard does not list
    assert raw(served, "GET", "/_local/other").status == 403
    signed = {"Authorization": _SIGV4, "X-Amz-Date": "20260101T000000Z"}
    for path in ("/_local/other", "/_local"):
        missing = raw(served, "GET", path, headers=signed)
        assert missing.status == 404
        assert missing.body["__type"] == "LocalCognitoNotFound"


def test_outbox_keeps_the_host_and_cors_rules(served: LocalCognito) -> None:
    """A foreign Host (DNS rebinding) or a page from another origin is refused; the origin
    allowed with ``cors`` may read it, with CORS headers."""
    rebinding = outbox(served, Host=f"evil.example:{served.port}")
    assert rebinding.status == 403
    assert rebinding.body["__type"] == "LocalCognitoForbiddenHost"
    assert "code" not in rebinding.text
    foreign = outbox(served, Origin=EVIL_ORIGIN)
    assert foreign.status == 403
    assert foreign.body["__type"] == "LocalCognitoForbiddenOrigin"
    assert foreign.cors == {}
    preflight = raw(
        served,
        "OPTIONS",
        "/_local/outbox",
        headers={"Origin": EVIL_ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status == 403
    allowed = outbox(served, Origin=APP_ORIGIN)
    assert allowed.status == 200
    assert allowed.cors["access-control-allow-origin"] == APP_ORIGIN


# ---- loopback peers only (the WSGI app, with fake environs) ------------------------------


class _Moto:
    """Stands in for moto's app: records whether a request got through."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.calls += 1
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]


def _call(app: Any, remote_addr: str | None, path: str = "/_local/outbox") -> tuple[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "HTTP_HOST": "127.0.0.1:9229",
    }
    if remote_addr is not None:
        environ["REMOTE_ADDR"] = remote_addr
    seen: list[str] = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: seen.append(status)))
    return seen[0], json.loads(body)


def _app(moto: _Moto) -> Any:
    box = Outbox()
    box.send(OutboxMessage("alice", "alice@example.com", "signup", "123456", "email"))
    return Guard(LocalRoutes(moto, box), GuardPolicy("127.0.0.1", 9229))


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"])
def test_loopback_peers_read_the_outbox(peer: str) -> None:
    """A peer on this machine's loopback gets the codes (and the request never reaches moto)."""
    moto = _Moto()
    status, body = _call(_app(moto), peer)
    assert status == "200 OK"
    assert body["messages"][0]["code"] == "123456"
    assert moto.calls == 0


@pytest.mark.parametrize(
    "peer", ["192.168.1.20", "10.0.0.7", "::ffff:10.0.0.7", "fe80::1", "", None]
)
def test_other_peers_are_refused(peer: str | None) -> None:
    """Any other peer, even one sending this server's own Host, is refused without a code:
    what counts is the connection's address, not a header the client writes."""
    moto = _Moto()
    app = _app(moto)
    status, body = _call(app, peer)
    assert status.startswith("403")
    assert body["__type"] == "LocalCognitoForbiddenPeer"
    assert "123456" not in json.dumps(body)
    status, _ = _call(app, peer, "/_local/other")
    assert status.startswith("403")
    assert moto.calls == 0


def test_moto_paths_are_not_affected_by_the_peer_rule() -> None:
    """The peer rule is for /_local/ only: a signed request from elsewhere still reaches moto
    (the server listens beyond loopback only when its owner says so)."""
    moto = _Moto()
    app = _app(moto)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/us-east-1_AbCdE1234/.well-known/jwks.json",
        "HTTP_HOST": "127.0.0.1:9229",
        "REMOTE_ADDR": "192.168.1.20",
    }
    seen: list[str] = []
    app(environ, lambda status, headers, exc_info=None: seen.append(status))
    assert seen == ["200 OK"]
    assert moto.calls == 1


# ---- guarded from the first request -------------------------------------------------------


def test_the_server_is_guarded_before_it_serves() -> None:
    """A request that reaches the socket before the server starts serving meets the guard,
    not stock moto: the app is wrapped before the serving thread exists."""
    wrapped: list[int] = []

    def wrap(app: Any, port: int) -> Any:
        wrapped.append(port)
        return Guard(LocalRoutes(app, Outbox()), GuardPolicy("127.0.0.1", port))

    server = mi.make_threaded_server("127.0.0.1", 0, wrap)
    try:
        assert wrapped == [server.port]
        early = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        request = f"GET /moto-api/data.json HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n"
        early.sendall(request.encode())  # waits in the listen backlog
        server.start()
        response = http.client.HTTPResponse(early)
        response.begin()
        body = json.loads(response.read())
        early.close()
        assert response.status == 403
        assert body["__type"] == "LocalCognitoMotoApiDisabled"
    finally:
        server.close()
