"""What the benchmark stub answers with: the pool's names, its signing key, tokens and SRP values.

Everything is made once, by :func:`build_state`, when the stub starts. The tokens are RS256
JWTs signed with joserfc by an RSA key generated then (nothing secret is kept in the
repository); the JWKS the stub serves is that key's public half, so any verifier that fetches
it (the library's ``TokenVerifier``, pycognito, joserfc) accepts the tokens. ``exp`` is ten
years ahead and ``iss`` is the real Cognito issuer,
``https://cognito-idp.<region>.amazonaws.com/<pool id>``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CLIENT_ID",
    "KID",
    "PASSWORD",
    "POOL_ID",
    "REGION",
    "SRP_G",
    "SRP_N",
    "SUB",
    "USERNAME",
    "StubState",
    "build_state",
]

REGION = "us-east-1"
POOL_ID = "us-east-1_BenchPool1"
CLIENT_ID = "4benchclient5678901234567a"
USERNAME = "bench.user@example.com"
PASSWORD = "Correct-Horse-Battery-9"  # the stub accepts any password: it checks no proof
SUB = "6c1b5f0e-8a3d-4e7b-9f21-3d5a7c9e1b42"
KID = "bench-rs256-1"

# RFC 5054 appendix A, 3072-bit group, g = 2 (docs/cognito-facts.md#srp-arithmetic).
SRP_N = int(
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
SRP_G = 2


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


def _pad_hex(value: int) -> str:
    text = f"{value:x}"
    if len(text) % 2:
        return "0" + text
    return "00" + text if text[0] in "89abcdef" else text


def _claims(issuer: str, client_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The access and id token claims, in the order and shape Cognito issues them."""
    now = int(time.time())
    exp = now + 10 * 365 * 24 * 3600
    origin_jti = str(uuid.uuid4())
    groups = ["bench-readers", "bench-writers"]
    access = {
        "sub": SUB,
        "cognito:groups": groups,
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
    ident = {
        "sub": SUB,
        "cognito:groups": groups,
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
    return access, ident


def _srp_b() -> tuple[str, str]:
    """A salt and a real B for a verifier v = g^x: B = k*v + g^b mod N."""
    salt = secrets.token_hex(16)
    k = int(hashlib.sha256(bytes.fromhex(_pad_hex(SRP_N) + _pad_hex(SRP_G))).hexdigest(), 16)
    x = int(hashlib.sha256(os.urandom(32)).hexdigest(), 16)
    b = secrets.randbits(1024) % SRP_N
    srp_b = (k * pow(SRP_G, x, SRP_N) + pow(SRP_G, b, SRP_N)) % SRP_N
    return salt, f"{srp_b:x}"


def build_state(
    region: str = REGION, pool_id: str = POOL_ID, client_id: str = CLIENT_ID
) -> StubState:
    """Make the signing key, the tokens and the SRP values the stub serves."""
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048, parameters={"kid": KID, "alg": "RS256", "use": "sig"})
    issuer = f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
    access_claims, id_claims = _claims(issuer, client_id)
    # Cognito's header is {"kid", "alg"} only: no "typ", hence default_type=None.
    header = {"kid": KID, "alg": "RS256"}
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
    salt, srp_b = _srp_b()
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
        jwks={"keys": [dict(key.as_dict(private=False))]},
        access_token=jwt.encode(header, access_claims, key, default_type=None),
        id_token=jwt.encode(header, id_claims, key, default_type=None),
        refresh_token=refresh_token,
        salt=salt,
        srp_b=srp_b,
        secret_block=base64.b64encode(os.urandom(900)).decode("ascii"),
        user_attributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
    )
