"""A keep-alive stub of Cognito's JSON API for benchmarks, run in its own process.

moto closes the connection after every response and spends milliseconds of its own CPU per
request, so a benchmark against it measures moto. This stub answers the few operations the
benchmarks use with realistically sized payloads, prepared once at start-up, over kept-alive
HTTP/1.1 connections on 127.0.0.1, with an optional injected latency:

- ``InitiateAuth`` ``USER_SRP_AUTH`` -> ``PASSWORD_VERIFIER`` with a real 3072-bit ``SRP_B``
  (``k*v + g^b mod N``), a salt and a ~1.2 KB ``SECRET_BLOCK``;
  ``REFRESH_TOKEN_AUTH`` -> new access and id tokens;
- ``RespondToAuthChallenge`` ``PASSWORD_VERIFIER`` -> ~1 KB RS256 access and id tokens and a
  ~1.7 KB refresh token (the SRP proof is checked for shape only, not verified);
- ``GetUser`` -> a user with a dozen attributes;
- ``GET /<pool id>/.well-known/jwks.json`` -> the signing key;
- ``GET /bench/tokens`` -> the tokens, for verification benchmarks.

The tokens are signed once, at start-up, with one RSA key made then (nothing secret is kept
in the repository); ``exp`` is ten years ahead and ``iss`` is the real Cognito issuer
``https://cognito-idp.<region>.amazonaws.com/<pool id>``, so token verifiers see AWS-shaped
tokens. One server process listens on one port per requested latency.

Run it alone with ``python bench/stub.py --latency-ms 0 --latency-ms 50``; it prints one JSON
line (``{"ports": {"0": ..., "50": ...}, ...}``) once it listens, and stops on SIGTERM (or,
with ``--watch-stdin`` as the harness starts it, when its standard input closes).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CLIENT_ID",
    "PASSWORD",
    "POOL_ID",
    "REGION",
    "USERNAME",
    "StubInfo",
    "StubState",
    "build_state",
    "handle_operation",
    "make_app",
    "run_stub",
]

REGION = "us-east-1"
POOL_ID = "us-east-1_BenchPool1"
CLIENT_ID = "4benchclient5678901234567a"
USERNAME = "bench.user@example.com"
PASSWORD = "Correct-Horse-Battery-9"  # the stub accepts any password: it checks no proof
SUB = "6c1b5f0e-8a3d-4e7b-9f21-3d5a7c9e1b42"
KID = "bench-rs256-1"
TARGET_PREFIX = "AWSCognitoIdentityProviderService."

# RFC 5054 appendix A, 3072-bit group, g = 2 (docs/cognito-facts.md#srp-arithmetic).
_N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
_G = 2


class StubError(Exception):
    """An AWS-style error answer: ``{"__type": code, "message": ...}`` with HTTP 400."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class StubState:
    """Everything the stub answers with, prepared once."""

    issuer: str
    jwks: dict[str, Any]
    access_token: str
    id_token: str
    refresh_token: str
    salt: str
    srp_b: str
    secret_block: str
    user_attributes: list[dict[str, str]]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint_b64url(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _pad_hex(value: int) -> str:
    text = f"{value:x}"
    if len(text) % 2:
        return "0" + text
    return "00" + text if text[0] in "89abcdef" else text


def _sign(private_key: Any, header: Mapping[str, Any], claims: Mapping[str, Any]) -> str:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    signing_input = (
        _b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64url(json.dumps(claims, separators=(",", ":")).encode())
    )
    signature = private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + _b64url(signature)


def build_state(
    region: str = REGION, pool_id: str = POOL_ID, client_id: str = CLIENT_ID
) -> StubState:
    """Make the signing key, the tokens and the SRP values the stub serves."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwks = {
        "keys": [
            {
                "alg": "RS256",
                "e": _uint_b64url(numbers.e),
                "kid": KID,
                "kty": "RSA",
                "n": _uint_b64url(numbers.n),
                "use": "sig",
            }
        ]
    }
    issuer = f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
    now = int(time.time())
    exp = now + 10 * 365 * 24 * 3600
    header = {"kid": KID, "alg": "RS256"}
    origin_jti = str(uuid.uuid4())
    access_claims = {
        "sub": SUB,
        "cognito:groups": ["bench-readers", "bench-writers"],
        "iss": issuer,
        "client_id": client_id,
        "origin_jti": origin_jti,
        "event_id": str(uuid.uuid4()),
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": now,
        "exp": exp,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "username": SUB,
    }
    id_claims = {
        "sub": SUB,
        "cognito:groups": ["bench-readers", "bench-writers"],
        "email_verified": True,
        "iss": issuer,
        "cognito:username": SUB,
        "origin_jti": origin_jti,
        "aud": client_id,
        "event_id": str(uuid.uuid4()),
        "token_use": "id",
        "auth_time": now,
        "name": "Bench User",
        "exp": exp,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "email": USERNAME,
    }
    # Cognito's refresh token is an opaque five-part JWE of about 1.7 KB.
    refresh_token = ".".join(
        [
            _b64url(b'{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}'),
            _b64url(os.urandom(256)),
            _b64url(os.urandom(12)),
            _b64url(os.urandom(1000)),
            _b64url(os.urandom(16)),
        ]
    )
    # A real B for a verifier v = g^x: B = k*v + g^b mod N.
    salt = secrets.token_hex(16)
    k = int(hashlib.sha256(bytes.fromhex(_pad_hex(_N) + _pad_hex(_G))).hexdigest(), 16)
    x = int(hashlib.sha256(os.urandom(32)).hexdigest(), 16)
    b = secrets.randbits(1024) % _N
    srp_b = (k * pow(_G, x, _N) + pow(_G, b, _N)) % _N
    attributes = {
        "sub": SUB,
        "email_verified": "true",
        "phone_number_verified": "false",
        "name": "Bench User",
        "given_name": "Bench",
        "family_name": "User",
        "locale": "en-GB",
        "zoneinfo": "Europe/London",
        "phone_number": "+447700900123",
        "email": USERNAME,
        "custom:tenant": "tenant-0042",
        "custom:plan": "enterprise",
    }
    return StubState(
        issuer=issuer,
        jwks=jwks,
        access_token=_sign(key, header, access_claims),
        id_token=_sign(key, header, id_claims),
        refresh_token=refresh_token,
        salt=salt,
        srp_b=f"{srp_b:x}",
        secret_block=base64.b64encode(os.urandom(900)).decode("ascii"),
        user_attributes=[{"Name": k_, "Value": v} for k_, v in attributes.items()],
    )


def _require(params: Mapping[str, Any], *names: str) -> None:
    for name in names:
        value = params.get(name)
        if not isinstance(value, str) or not value:
            raise StubError("InvalidParameterException", f"Missing required parameter {name}")


def _tokens(state: StubState, *, with_refresh: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "AccessToken": state.access_token,
        "ExpiresIn": 3600,
        "IdToken": state.id_token,
        "TokenType": "Bearer",
    }
    if with_refresh:
        result["RefreshToken"] = state.refresh_token
    return {"AuthenticationResult": result, "ChallengeParameters": {}}


def handle_operation(state: StubState, operation: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """The answer to one Cognito JSON operation.

    :raises StubError: for an unknown operation or a request Cognito would refuse.
    """
    if operation == "InitiateAuth":
        _require(body, "ClientId", "AuthFlow")
        params = body.get("AuthParameters") or {}
        flow = body["AuthFlow"]
        if flow == "USER_SRP_AUTH":
            _require(params, "USERNAME", "SRP_A")
            srp_a = int(params["SRP_A"], 16)
            if srp_a % _N == 0:
                raise StubError("NotAuthorizedException", "Invalid SRP_A")
            return {
                "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeParameters": {
                    "SALT": state.salt,
                    "SECRET_BLOCK": state.secret_block,
                    "SRP_B": state.srp_b,
                    "USERNAME": SUB,
                    "USER_ID_FOR_SRP": SUB,
                },
            }
        if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            _require(params, "REFRESH_TOKEN")
            if params["REFRESH_TOKEN"] != state.refresh_token:
                raise StubError("NotAuthorizedException", "Invalid Refresh Token")
            return _tokens(state, with_refresh=False)
        raise StubError("InvalidParameterException", f"Unsupported AuthFlow {flow}")
    if operation == "RespondToAuthChallenge":
        _require(body, "ClientId", "ChallengeName")
        if body["ChallengeName"] != "PASSWORD_VERIFIER":
            raise StubError("InvalidParameterException", "Unsupported challenge")
        answers = body.get("ChallengeResponses") or {}
        _require(
            answers,
            "USERNAME",
            "TIMESTAMP",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "PASSWORD_CLAIM_SIGNATURE",
        )
        if answers["PASSWORD_CLAIM_SECRET_BLOCK"] != state.secret_block:
            raise StubError("NotAuthorizedException", "Incorrect username or password.")
        if len(base64.b64decode(answers["PASSWORD_CLAIM_SIGNATURE"])) != 32:
            raise StubError("NotAuthorizedException", "Incorrect username or password.")
        return _tokens(state, with_refresh=True)
    if operation == "GetUser":
        _require(body, "AccessToken")
        if body["AccessToken"] != state.access_token:
            raise StubError("NotAuthorizedException", "Invalid Access Token")
        return {
            "Username": SUB,
            "UserAttributes": state.user_attributes,
            "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
            "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
        }
    raise StubError("InvalidAction", f"The stub does not implement {operation}")


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
