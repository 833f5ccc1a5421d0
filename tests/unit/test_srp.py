"""The SRP glue: timestamps, SECRET_HASH and the PASSWORD_VERIFIER answer, no network."""

from __future__ import annotations

import base64
import locale
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cognito_user_pool import SRPError
from cognito_user_pool._srp import SrpSession, cognito_timestamp, secret_hash

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


def test_timestamp_has_unpadded_day() -> None:
    """The day of month is not zero-padded; hours, minutes and seconds are."""
    moment = datetime(2025, 11, 1, 5, 3, 9, tzinfo=timezone.utc)
    assert cognito_timestamp(moment) == "Sat Nov 1 05:03:09 UTC 2025"


def test_timestamp_is_converted_to_utc() -> None:
    """A non-UTC datetime is converted, so the weekday and day are UTC's."""
    moment = datetime(2026, 3, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=5)))
    assert cognito_timestamp(moment) == "Sat Feb 28 20:00:00 UTC 2026"


def test_timestamp_is_utc_whatever_the_machines_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The conversion is to UTC, not to the machine's zone (CI machines run in UTC)."""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        moment = datetime(2026, 3, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=5)))
        assert cognito_timestamp(moment) == "Sat Feb 28 20:00:00 UTC 2026"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_timestamp_ignores_the_locale() -> None:
    """A non-English locale does not change the names."""
    moment = datetime(2026, 11, 29, 9, 0, 0, tzinfo=timezone.utc)
    saved = locale.setlocale(locale.LC_TIME)
    try:
        for candidate in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, candidate)
                break
            except locale.Error:
                continue
        assert cognito_timestamp(moment) == "Sun Nov 29 09:00:00 UTC 2026"
    finally:
        locale.setlocale(locale.LC_TIME, saved)


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1)))
def test_timestamp_matches_an_independent_rendering(moment: datetime) -> None:
    """For any instant, the timestamp equals a rendering built from the C-locale calendar."""
    aware = moment.replace(tzinfo=timezone.utc)
    expected = "{} {} {} {:02d}:{:02d}:{:02d} UTC {}".format(
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][aware.weekday()],
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
            aware.month - 1
        ],
        aware.day,
        aware.hour,
        aware.minute,
        aware.second,
        aware.year,
    )
    assert cognito_timestamp(aware) == expected


def test_secret_hash_matches_pycognito() -> None:
    """SECRET_HASH agrees with pycognito's independent implementation."""
    from pycognito.aws_srp import AWSSRP

    expected = AWSSRP.get_secret_hash("alice", "client123", "the-secret")
    assert secret_hash("alice", "client123", "the-secret") == expected
    # A known answer, so that a shared bug in both would still show.
    assert secret_hash("alice", "client123", "the-secret") == (
        "WrswzfVFYIDdXsdRz5bB1pYsRndCVvZxaDLnBlREgQY="  # openssl dgst -hmac
    )


def _challenge(**overrides: str) -> dict[str, str]:
    params = {
        "USER_ID_FOR_SRP": "alice",
        "USERNAME": "internal-uuid",
        "SALT": "a1b2c3d4e5f6",
        "SRP_B": format(pow(2, 12345, _N), "x"),
        "SECRET_BLOCK": base64.b64encode(b"secret-block-bytes").decode(),
    }
    params.update(overrides)
    return params


def test_answer_uses_the_internal_username_and_its_secret_hash() -> None:
    """USERNAME and SECRET_HASH in the answer use the challenge's internal username."""
    srp = SrpSession(
        pool_id="us-east-1_Pool1",
        client_id="client123",
        username="alice@example.com",
        password="pw",
        client_secret="the-secret",
        clock=lambda: datetime(2026, 11, 1, 5, 3, 9, tzinfo=timezone.utc),
    )
    assert srp.auth_parameters()["SECRET_HASH"] == secret_hash(
        "alice@example.com", "client123", "the-secret"
    )
    answer = srp.password_verifier_responses(_challenge())
    assert answer["USERNAME"] == "internal-uuid"
    assert answer["SECRET_HASH"] == secret_hash("internal-uuid", "client123", "the-secret")
    assert answer["TIMESTAMP"] == "Sun Nov 1 05:03:09 UTC 2026"
    assert answer["PASSWORD_CLAIM_SECRET_BLOCK"] == _challenge()["SECRET_BLOCK"]
    assert len(base64.b64decode(answer["PASSWORD_CLAIM_SIGNATURE"])) == 32


def test_password_is_hidden_from_repr() -> None:
    """An SRP session's repr shows neither password nor secret."""
    srp = SrpSession("us-east-1_P", "c", "alice", "hunter2-pw", client_secret="shh-secret")
    assert "hunter2-pw" not in repr(srp)
    assert "shh-secret" not in repr(srp)


@pytest.mark.parametrize("srp_b", [format(_N, "x"), format(2 * _N, "x"), "0"])
def test_unsafe_b_is_refused(srp_b: str) -> None:
    """B with B mod N == 0 would leak the key: refused with SRPError."""
    srp = SrpSession("us-east-1_P", "c", "alice", "pw")
    with pytest.raises(SRPError) as info:
        srp.password_verifier_responses(_challenge(SRP_B=srp_b))
    assert info.value.message == "the server's SRP_B is unsafe (B mod N == 0)"


def test_incomplete_challenge_is_refused() -> None:
    """A challenge without SALT is an SRPError, not a KeyError."""
    params = _challenge()
    del params["SALT"]
    with pytest.raises(SRPError) as info:
        SrpSession("us-east-1_P", "c", "alice", "pw").password_verifier_responses(params)
    assert info.value.message == "the PASSWORD_VERIFIER challenge is incomplete or malformed"


def test_a_is_fresh_for_each_session() -> None:
    """Each exchange draws a new secret a, so SRP_A differs every time."""
    first = SrpSession("us-east-1_P", "c", "alice", "pw").srp_a
    second = SrpSession("us-east-1_P", "c", "alice", "pw").srp_a
    assert first != second


_DEVICE = {"device_key": "us-east-1_dev", "device_group_key": "-grp", "device_password": "pw"}


@pytest.mark.parametrize("srp_b", [format(_N, "x"), format(2 * _N, "x"), "0"])
def test_unsafe_b_is_refused_for_a_device_too(srp_b: str) -> None:
    """The device's answer (DEVICE_PASSWORD_VERIFIER) refuses an unsafe B as the user's does,
    with its own message; B = 1 (not 0 mod N) is not refused by that check."""
    srp = SrpSession("us-east-1_P", "c", "alice", "pw")
    with pytest.raises(SRPError) as info:
        srp.device_verifier_responses(_challenge(SRP_B=srp_b), **_DEVICE)
    assert info.value.message == "the server's SRP_B is unsafe (B mod N == 0)"
    answer = srp.device_verifier_responses(_challenge(SRP_B="1"), **_DEVICE)
    assert answer["DEVICE_KEY"] == "us-east-1_dev"


def test_an_incomplete_device_challenge_is_refused_with_its_message() -> None:
    params = _challenge()
    del params["SECRET_BLOCK"]
    srp = SrpSession("us-east-1_P", "c", "alice", "pw")
    with pytest.raises(SRPError) as info:
        srp.device_verifier_responses(params, **_DEVICE)
    assert info.value.message == "the DEVICE_PASSWORD_VERIFIER challenge is incomplete or malformed"


@pytest.mark.parametrize("mode", ["pure", "fast"])
def test_the_secret_exponent_has_the_size_the_standards_call_for(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both paths draw ``a`` with SECRET_EXPONENT_BITS bits (420: NIST SP 800-56A Rev. 3,
    RFC 7919 and RFC 3526's bounds, docs/performance.md), not pycognito's 1024: every draw fits,
    the largest of 200 reaches the top ten bits (all below would happen once in 2^2000), and
    A = g^a is what the session sends."""
    from cognito_user_pool._srp_fast import SECRET_EXPONENT_BITS, SRP_MODE_ENV

    assert SECRET_EXPONENT_BITS == 420
    monkeypatch.setenv(SRP_MODE_ENV, mode)
    sizes = []
    for _ in range(200):
        session = SrpSession("us-east-1_abc", "client", "alice", "pw")
        a = int(session._srp.small_a_value)
        assert 0 < a < 2**SECRET_EXPONENT_BITS
        sizes.append(a.bit_length())
    assert max(sizes) >= SECRET_EXPONENT_BITS - 10
    assert int(session.srp_a, 16) == pow(2, a, _N)


def test_the_device_answer_names_the_internal_user_at_the_clocks_time() -> None:
    """USERNAME is the challenge's (the internal name, after an alias sign-in), or the typed
    one when the challenge names none; TIMESTAMP is the session clock's."""
    moment = datetime(2026, 3, 1, 7, 5, 9, tzinfo=timezone.utc)
    srp = SrpSession("us-east-1_P", "c", "alice@example.com", "pw", clock=lambda: moment)
    answer = srp.device_verifier_responses(_challenge(), **_DEVICE)
    assert answer["USERNAME"] == "internal-uuid"
    assert answer["TIMESTAMP"] == cognito_timestamp(moment) == "Sun Mar 1 07:05:09 UTC 2026"
    unnamed = _challenge()
    del unnamed["USERNAME"]
    assert srp.device_verifier_responses(unnamed, **_DEVICE)["USERNAME"] == "alice@example.com"


def test_a_malformed_device_secret_block_is_refused_with_its_message() -> None:
    srp = SrpSession("us-east-1_P", "c", "alice", "pw")
    with pytest.raises(SRPError) as info:
        srp.device_verifier_responses(_challenge(SECRET_BLOCK="abc"), **_DEVICE)
    assert info.value.message == "the server's SRP values are unsafe or malformed"


def test_a_malformed_secret_block_is_refused_with_its_message() -> None:
    srp = SrpSession("us-east-1_P", "c", "alice", "pw")
    with pytest.raises(SRPError) as info:
        srp.password_verifier_responses(_challenge(SECRET_BLOCK="abc"))
    assert info.value.message == "the server's SRP values are unsafe or malformed"


def test_an_unsafe_secret_is_an_srp_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """pycognito refuses a secret whose A is 0 mod N (a 1 in 2^3072 draw) with ValueError:
    the caller gets an SRPError that says to try again."""
    from cognito_user_pool import _srp_fast

    def refusing(**_: object) -> None:
        raise ValueError("Safety check for A failed")

    monkeypatch.setattr(_srp_fast, "srp_class", lambda: refusing)
    with pytest.raises(SRPError) as info:
        SrpSession("us-east-1_P", "c", "alice", "pw")
    assert info.value.message == "the SRP secret failed its safety check; try again"
    assert isinstance(info.value.__cause__, ValueError)
