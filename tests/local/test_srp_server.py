"""The server-side SRP verifier against pycognito's client maths (no network)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from cognito_user_pool.local._srp_server import (
    G,
    InvalidTimestampError,
    K,
    N,
    SrpChallenge,
    TimestampRejectedError,
    compute_verifier,
    pad_hex,
    parse_timestamp,
)

from ._srp_client import SrpClient, cognito_timestamp

POOL_ID = "us-east-1_AbCdEf123"
GROUP = "AbCdEf123"
# k for Cognito's group, as amazon-cognito-identity-js and pycognito compute it.
K_HEX = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"


def _challenge(user_id: str = "alice", password: str = "Secret-pass1") -> SrpChallenge:
    salt = 0x1F2E3D4C5B6A79880123456789ABCDEF
    return SrpChallenge(
        group=GROUP,
        user_id=user_id,
        salt=salt,
        verifier=compute_verifier(GROUP, user_id, password, salt),
    )


def _params(challenge: SrpChallenge, user_id: str = "alice") -> dict[str, str]:
    return {
        "SRP_B": challenge.srp_b_hex,
        "SALT": challenge.salt_hex,
        "SECRET_BLOCK": challenge.secret_block_b64,
        "USER_ID_FOR_SRP": user_id,
        "USERNAME": user_id,
    }


def _client(password: str = "Secret-pass1", username: str = "alice") -> SrpClient:
    return SrpClient(POOL_ID, "client", username, password)


def test_k_known_answer() -> None:
    """k = H(padHex(N) | padHex(g)) equals the value every Cognito client uses."""
    assert format(K, "x") == K_HEX


def test_group_parameters() -> None:
    """N is the 3072-bit RFC 5054 prime and g is 2."""
    assert N.bit_length() == 3072
    assert G == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0x7F, "7f"),
        (0x80, "0080"),
        (0x123, "0123"),
        (0x8FF, "08ff"),
        ("abc", "0abc"),
        ("ff", "00ff"),
    ],
)
def test_pad_hex_is_signed_magnitude(value: int | str, expected: str) -> None:
    """padHex: odd length gets 0, a high first nibble gets 00
    (docs/cognito-facts.md#srp-arithmetic)."""
    assert pad_hex(value) == expected


def test_right_password_passes() -> None:
    """A proof built by pycognito with the right password verifies."""
    challenge, client = _challenge(), _client()
    ts = cognito_timestamp()
    signature = client.signature(_params(challenge), ts)
    assert challenge.verify(client.srp_a, challenge.secret_block_b64, ts, signature)


def test_wrong_password_fails() -> None:
    """A proof made with another password does not verify."""
    challenge, client = _challenge(), _client("Wrong-pass1")
    ts = cognito_timestamp()
    signature = client.signature(_params(challenge), ts)
    assert not challenge.verify(client.srp_a, challenge.secret_block_b64, ts, signature)


def test_changed_timestamp_fails() -> None:
    """The timestamp is part of the signed message."""
    challenge, client = _challenge(), _client()
    now = datetime.now(timezone.utc)
    signature = client.signature(_params(challenge), cognito_timestamp(now))
    other = cognito_timestamp(now - timedelta(seconds=1))
    assert not challenge.verify(client.srp_a, challenge.secret_block_b64, other, signature)


def test_changed_secret_block_fails() -> None:
    """A proof over another secret block fails, and so does echoing another block."""
    challenge, client = _challenge(), _client()
    ts = cognito_timestamp()
    forged_block = _challenge().secret_block_b64
    signature = client.signature(_params(challenge), ts, secret_block=forged_block)
    assert not challenge.verify(client.srp_a, challenge.secret_block_b64, ts, signature)
    good = client.signature(_params(challenge), ts)
    assert not challenge.verify(client.srp_a, forged_block, ts, good)


def test_proof_for_another_user_fails() -> None:
    """A proof computed for another USER_ID_FOR_SRP (same password) fails."""
    challenge, client = _challenge("alice"), _client()
    ts = cognito_timestamp()
    signature = client.signature(_params(challenge), ts, user_id="bob")
    assert not challenge.verify(client.srp_a, challenge.secret_block_b64, ts, signature)


def test_stale_timestamp_fails() -> None:
    """A correctly signed but ten-minute-old timestamp is refused."""
    challenge, client = _challenge(), _client()
    ts = cognito_timestamp(datetime.now(timezone.utc) - timedelta(minutes=10))
    signature = client.signature(_params(challenge), ts)
    assert not challenge.verify(client.srp_a, challenge.secret_block_b64, ts, signature)


def test_zero_a_is_refused() -> None:
    """A = 0 (mod N) would let anyone in; the key derivation refuses it."""
    with pytest.raises(ValueError, match="SRP_A"):
        _challenge().session_key(format(N, "x"))


def test_timestamp_unpadded_day_parses() -> None:
    """The documented example parses to the right instant."""
    assert parse_timestamp("Sun Nov 1 05:03:09 UTC 2026") == datetime(
        2026, 11, 1, 5, 3, 9, tzinfo=timezone.utc
    )


@pytest.mark.parametrize(
    "text",
    ["Sun Nov 01 05:03:09 UTC 2026", "Mon Nov 1 05:03:09 UTC 2026", "Sun Feb 30 05:03:09 UTC 2026"],
)
def test_timestamp_padded_day_or_wrong_weekday_rejected(text: str) -> None:
    """Padded days and weekdays that do not match the date are NotAuthorized material
    (docs/cognito-facts.md#srp-timestamp)."""
    with pytest.raises(TimestampRejectedError):
        parse_timestamp(text)


@pytest.mark.parametrize(
    "text", ["dim. nov. 1 05:03:09 UTC 2026", "Sun Nov 1 05:03:09 GMT 2026", "2026-11-01T05:03:09Z"]
)
def test_timestamp_non_english_is_invalid(text: str) -> None:
    """Non-English or differently shaped timestamps are InvalidParameter material
    (docs/cognito-facts.md#srp-timestamp)."""
    with pytest.raises(InvalidTimestampError, match="in english"):
        parse_timestamp(text)


def test_repr_hides_secrets() -> None:
    """The challenge's repr shows neither b, v nor the secret block."""
    challenge = _challenge()
    text = repr(challenge)
    assert challenge.secret_block_b64 not in text
    assert str(challenge.verifier) not in text
    assert "verifier" not in text


@pytest.mark.parametrize(
    "x",
    [0, 1, 2, 255, 256, (1 << 256) - 1, 1 << 255, 0x1234_5678_9ABC_DEF0 << 100, 1 << 256, 7 << 300],
)
def test_fixed_base_powers_equal_pow(x: int) -> None:
    """The verifier's fixed-base table gives pow(g, x, N) at every window's edge, and the
    exponents beyond its 256 bits fall back to pow itself."""
    from cognito_user_pool.local._srp_server import G, N, g_pow

    assert g_pow(x) == pow(G, x, N)


def test_fixed_base_powers_equal_pow_on_random_exponents() -> None:
    import secrets

    from cognito_user_pool.local._srp_server import G, N, g_pow

    for _ in range(50):
        x = secrets.randbits(256)
        assert g_pow(x) == pow(G, x, N)
