"""The server side of Cognito's SRP-6a variant, written from the facts in
docs/cognito-facts.md#srp-arithmetic, docs/cognito-facts.md#device-srp and
docs/cognito-facts.md#srp-timestamp.

This module is an independent witness of the client's maths: it must never import
``cognito_user_pool._srp`` or pycognito. Only hashlib/hmac/secrets are used; the
modular arithmetic is Python's ``pow`` (and a fixed-base table for ``g^x``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

__all__ = [
    "G",
    "InvalidTimestampError",
    "K",
    "N",
    "PasswordVerifier",
    "SrpChallenge",
    "TimestampRejectedError",
    "compute_k",
    "compute_verifier",
    "g_pow",
    "hash_hex",
    "pad_hex",
    "parse_timestamp",
]

# RFC 5054 appendix A, 3072-bit group; Cognito uses it with g = 2.
_N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(_N_HEX, 16)
G = 2
_INFO = b"Caldera Derived Key\x01"


def pad_hex(value: int | str) -> str:
    """Signed-magnitude hex: even length, and a leading ``00`` when the top bit is set
    (docs/cognito-facts.md#srp-arithmetic)."""
    text = value if isinstance(value, str) else format(value, "x")
    if len(text) % 2 == 1:
        return "0" + text
    if text[0] in "89abcdefABCDEF":
        return "00" + text
    return text


def hash_hex(hex_text: str) -> str:
    """SHA-256 of the bytes a hex string spells, as 64 hex digits."""
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


def compute_k() -> int:
    """``k = H(padHex(N) | padHex(g))`` with the minimal signed forms
    (docs/cognito-facts.md#srp-arithmetic)."""
    return int(hash_hex(pad_hex(N) + pad_hex(G)), 16)


K = compute_k()


def compute_verifier(group: str, user_id: str, password: str, salt: int) -> int:
    """``v = g^x`` with ``x = H(pad(salt) | H(group | user_id | ":" | password))``.

    :param group: the pool name (part of the pool id after ``_``), or a device group key.
    :param user_id: USER_ID_FOR_SRP, or a device key.
    """
    inner = hashlib.sha256(f"{group}{user_id}:{password}".encode()).hexdigest()
    x = int(hash_hex(pad_hex(salt) + inner), 16)
    return g_pow(x)


# g^x for the 256-bit exponents of verifiers, by fixed-base windows: g is fixed, so the
# powers g^(d * 2^(8i)) are computed once (8,192 numbers, ~3 MB, on first use) and g^x is the
# product of one per byte of x: 32 multiplications instead of ~300 for pow(). AdminCreateUser
# makes a verifier per user; this keeps a 2,500-user import fast.
_WINDOW_BITS = 8
_WINDOWS = 256 // _WINDOW_BITS


@functools.cache
def _g_table() -> tuple[tuple[int, ...], ...]:
    rows = []
    base = G
    for _ in range(_WINDOWS):
        row = [1]
        for _ in range((1 << _WINDOW_BITS) - 1):
            row.append(row[-1] * base % N)
        rows.append(tuple(row))
        base = row[-1] * base % N  # base^(2^w)
    return tuple(rows)


def g_pow(x: int) -> int:
    """``g^x mod N``; exponents of up to 256 bits use the fixed-base table."""
    if not 0 <= x < 1 << 256:
        return pow(G, x, N)
    table = _g_table()
    result = 1
    mask = (1 << _WINDOW_BITS) - 1
    for row in table:
        digit = x & mask
        if digit:
            result = result * row[digit] % N
        x >>= _WINDOW_BITS
    return result


_N_BYTES = (N.bit_length() + 7) // 8


@dataclass(frozen=True)
class PasswordVerifier:
    """What the server keeps of a password, as AWS does: a salt and ``v = g^x mod N``.

    The password itself is never kept: SRP proofs are checked against ``verifier``, and a
    password sent in clear (USER_PASSWORD_AUTH, ChangePassword) is checked by computing
    its verifier with the same salt. Neither value shows in the repr.

    :ivar salt: 128 random bits, renewed with every new password.
    :ivar verifier: ``g^x mod N`` for ``x = H(pad(salt) | H(group | user_id | ":" | password))``.
    """

    salt: int = field(repr=False)
    verifier: int = field(repr=False)

    @classmethod
    def create(cls, group: str, user_id: str, password: str) -> PasswordVerifier:
        """A verifier for a new password, with a fresh random salt.

        :param group: the pool name (the part of the pool id after ``_``).
        :param user_id: USER_ID_FOR_SRP (the internal username).
        """
        salt = int.from_bytes(secrets.token_bytes(16), "big")
        return cls(salt, compute_verifier(group, user_id, password, salt))

    def matches(self, group: str, user_id: str, password: str) -> bool:
        """Whether ``password`` is the one this verifier was made from (constant-time compare)."""
        candidate = compute_verifier(group, user_id, password, self.salt)
        return hmac.compare_digest(
            candidate.to_bytes(_N_BYTES, "big"), self.verifier.to_bytes(_N_BYTES, "big")
        )

    def challenge(self, group: str, user_id: str) -> SrpChallenge:
        """A new SRP exchange against this verifier."""
        return SrpChallenge(group=group, user_id=user_id, salt=self.salt, verifier=self.verifier)


class TimestampRejectedError(ValueError):
    """A well-formed English timestamp that Cognito refuses (padded day, wrong weekday, stale)."""


class InvalidTimestampError(ValueError):
    """A timestamp that is not ``EEE MMM d HH:mm:ss UTC yyyy`` in English."""


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SHAPE = re.compile(r"(\S+) (\S+) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S+) (\d{4})")


def parse_timestamp(text: str) -> datetime:
    """Parse Cognito's TIMESTAMP the way the service judges it
    (docs/cognito-facts.md#srp-timestamp).

    :raises InvalidTimestampError: not English or not the right shape (InvalidParameterException).
    :raises TimestampRejectedError: zero-padded day or a weekday that does not match the date
        (NotAuthorizedException).
    """
    match = _SHAPE.fullmatch(text)
    if match is None:
        raise InvalidTimestampError(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english"
        )
    day_name, month_name, day, hh, mm, ss, zone, year = match.groups()
    if day_name not in _DAYS or month_name not in _MONTHS or zone != "UTC":
        raise InvalidTimestampError(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english"
        )
    if day.startswith("0") or "  " in text:
        raise TimestampRejectedError("zero-padded day")
    try:
        when = datetime(
            int(year),
            _MONTHS.index(month_name) + 1,
            int(day),
            int(hh),
            int(mm),
            int(ss),
            tzinfo=timezone.utc,
        )
    except ValueError as exc:
        raise TimestampRejectedError("no such date") from exc
    if _DAYS[when.weekday()] != day_name:
        raise TimestampRejectedError("weekday does not match the date")
    return when


@dataclass
class SrpChallenge:
    """One server-side SRP exchange: holds ``b`` and ``B`` until the client's proof arrives.

    The repr hides every secret (``b``, ``v``, the secret block).
    """

    group: str
    user_id: str
    salt: int
    verifier: int = field(repr=False)
    secret_block: bytes = field(default_factory=lambda: secrets.token_bytes(1024), repr=False)
    # RFC 5054 asks for at least 256 random bits; more only slows the tests down.
    _b: int = field(default_factory=lambda: secrets.randbits(256) | 1 << 255, repr=False)
    big_b: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.big_b = (K * self.verifier + pow(G, self._b, N)) % N
        if self.big_b == 0:  # pragma: no cover - probability 2**-3072
            raise ValueError("B mod N is zero")

    @property
    def srp_b_hex(self) -> str:
        """``SRP_B`` as Cognito sends it (plain hex)."""
        return format(self.big_b, "x")

    @property
    def salt_hex(self) -> str:
        """``SALT`` as Cognito sends it (plain hex)."""
        return format(self.salt, "x")

    @property
    def secret_block_b64(self) -> str:
        """``SECRET_BLOCK`` as Cognito sends it (base64)."""
        return base64.b64encode(self.secret_block).decode()

    def session_key(self, srp_a_hex: str) -> bytes:
        """The 16-byte HKDF key both sides derive from ``S`` and ``u``
        (docs/cognito-facts.md#srp-arithmetic).

        :raises ValueError: for ``A mod N == 0`` or ``u == 0``.
        """
        big_a = int(srp_a_hex, 16)
        if big_a % N == 0:
            raise ValueError("SRP_A mod N is zero")
        u = int(hash_hex(pad_hex(big_a) + pad_hex(self.big_b)), 16)
        if u == 0:
            raise ValueError("u is zero")
        s = pow(big_a * pow(self.verifier, u, N), self._b, N)
        prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(s)), hashlib.sha256)
        return hmac.new(prk.digest(), _INFO, hashlib.sha256).digest()[:16]

    def expected_signature(self, srp_a_hex: str, timestamp: str) -> str:
        """The PASSWORD_CLAIM_SIGNATURE a client that knows the password sends."""
        key = self.session_key(srp_a_hex)
        message = (
            self.group.encode() + self.user_id.encode() + self.secret_block + timestamp.encode()
        )
        return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()

    def verify(
        self,
        srp_a_hex: str,
        secret_block_b64: str,
        timestamp: str,
        signature_b64: str,
        *,
        now: datetime | None = None,
        max_skew: timedelta = timedelta(minutes=5),
    ) -> bool:
        """Check a client's proof; ``False`` for any mismatch (wrong password, block, user, time).

        :raises InvalidTimestampError: for a non-English or malformed TIMESTAMP.
        """
        try:
            when = parse_timestamp(timestamp)
        except TimestampRejectedError:
            return False
        current = now or datetime.now(timezone.utc)
        if abs(current - when) > max_skew:
            return False
        try:
            given_block = base64.b64decode(secret_block_b64, validate=True)
            expected = self.expected_signature(srp_a_hex, timestamp)
        except ValueError:
            return False
        if not hmac.compare_digest(given_block, self.secret_block):
            return False
        return hmac.compare_digest(expected.encode(), signature_b64.encode())
