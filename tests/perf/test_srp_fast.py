"""The gmpy2 SRP path: byte-identical to pycognito's pure path, chosen as documented."""

from __future__ import annotations

import base64
import importlib
import importlib.util
import secrets
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_user_pool import _srp_fast
from cognito_user_pool._srp import SrpSession
from cognito_user_pool._srp_fast import (
    SRP_MODE_ENV,
    accelerated_srp_class,
    pure_srp_class,
    srp_class,
)

HAVE_GMPY2 = importlib.util.find_spec("gmpy2") is not None
needs_gmpy2 = pytest.mark.skipif(
    not HAVE_GMPY2, reason="gmpy2 is not installed (the `fast` extra): nothing to compare"
)

_POOL_ID = "us-east-1_BenchPool"
_MOMENT = datetime(2026, 3, 1, 9, 5, 7, tzinfo=timezone.utc)
_N_HEX_PREFIX = "FFFFFFFFFFFFFFFFC90FDAA2"


def _gmpy2() -> Any:
    return importlib.import_module("gmpy2")


def _n() -> int:
    from pycognito.aws_srp import N_HEX, hex_to_long

    return int(hex_to_long(N_HEX))


def _session(monkeypatch: pytest.MonkeyPatch, mode: str, small_a: int) -> SrpSession:
    """An SrpSession on the given path whose random ``a`` is ``small_a``."""
    monkeypatch.setenv(SRP_MODE_ENV, mode)
    monkeypatch.setattr(_srp_fast, "draw_secret_exponent", lambda: small_a)
    return SrpSession(
        pool_id=_POOL_ID,
        client_id="client123",
        username="alice@example.com",
        password="correct horse battery staple",
        client_secret="the-secret",
        clock=lambda: _MOMENT,
    )


def _challenge(b: int, salt: str) -> dict[str, str]:
    return {
        "USER_ID_FOR_SRP": "3f1c2a7e-0000-4000-8000-00000000abcd",
        "USERNAME": "3f1c2a7e-0000-4000-8000-00000000abcd",
        "SALT": salt,
        "SRP_B": f"{b:x}",
        "SECRET_BLOCK": base64.b64encode(b"\x01" * 700).decode(),
    }


def _both(
    monkeypatch: pytest.MonkeyPatch, small_a: int, b: int, salt: str
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    out = []
    for mode in ("pure", "fast"):
        srp = _session(monkeypatch, mode, small_a)
        out.append(
            (
                type(srp._srp).__name__,
                srp.srp_a,
                srp.auth_parameters(),
                srp.password_verifier_responses(_challenge(b, salt)),
            )
        )
    return out[0], out[1]


def test_pure_mode_is_pycognitos_class_with_the_short_exponent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """COGNITO_USER_POOL_SRP=pure selects pycognito's AWSSRP, changed in its draw of ``a``
    only (``generate_random_small_a``)."""
    from pycognito.aws_srp import AWSSRP

    monkeypatch.setenv(SRP_MODE_ENV, "pure")
    assert srp_class() is pure_srp_class()
    assert srp_class().__bases__ == (AWSSRP,)
    changed = {name for name in vars(srp_class()) if not name.startswith("__")}
    assert changed == {"generate_random_small_a"}


def test_default_follows_gmpy2_availability(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the variable, the fast class is used exactly when gmpy2 is installed."""
    from pycognito.aws_srp import AWSSRP

    monkeypatch.delenv(SRP_MODE_ENV, raising=False)
    chosen = srp_class()
    assert (chosen is not pure_srp_class()) == HAVE_GMPY2
    assert issubclass(chosen, AWSSRP)


def test_fast_mode_without_gmpy2_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """COGNITO_USER_POOL_SRP=fast without gmpy2 is an ImportError, not a silent fallback."""
    import sys

    from cognito_user_pool import _srp_fast

    # A None entry in sys.modules makes `import gmpy2` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "gmpy2", None)
    _srp_fast.gmpy2_available.cache_clear()
    _srp_fast.accelerated_srp_class.cache_clear()
    try:
        monkeypatch.setenv(SRP_MODE_ENV, "fast")
        with pytest.raises(ImportError):
            srp_class()
        monkeypatch.delenv(SRP_MODE_ENV)
        assert srp_class() is pure_srp_class()
    finally:
        _srp_fast.gmpy2_available.cache_clear()
        _srp_fast.accelerated_srp_class.cache_clear()


@needs_gmpy2
def test_fast_class_holds_gmp_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The accelerated class stores N, g, k, a and A as gmpy2.mpz."""
    from pycognito.aws_srp import AWSSRP

    gmpy2 = _gmpy2()
    monkeypatch.setenv(SRP_MODE_ENV, "fast")
    srp = _session(monkeypatch, "fast", 123456789)._srp
    assert isinstance(srp, AWSSRP)
    for name in ("big_n", "val_g", "val_k", "small_a_value", "large_a_value"):
        assert type(getattr(srp, name)) is type(gmpy2.mpz(1)), name
    assert srp.val_g == 2 and int(srp.val_g) == 2
    assert srp.big_n == _n()
    assert srp.large_a_value == pow(2, 123456789, _n())
    assert f"{srp.big_n:X}".startswith(_N_HEX_PREFIX)
    assert accelerated_srp_class() is accelerated_srp_class()


@needs_gmpy2
def test_fast_maths_lets_gmp_release_the_gil_and_restores_the_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both exponentiating methods run with ``allow_release_gil``; the caller's context,
    other settings included, is back as it was afterwards."""
    import pycognito.aws_srp as aws_srp

    gmpy2 = _gmpy2()
    seen: dict[str, bool] = {}

    class Spy(accelerated_srp_class()):  # type: ignore[misc]
        def calculate_a(self) -> Any:
            seen["calculate_a"] = gmpy2.get_context().allow_release_gil
            return super().calculate_a()

    real_hkdf = aws_srp.compute_hkdf

    def spy_hkdf(ikm: bytes, salt: bytes) -> bytes:
        seen["authentication_key"] = gmpy2.get_context().allow_release_gil
        return bytes(real_hkdf(ikm, salt))

    monkeypatch.setattr(aws_srp, "compute_hkdf", spy_hkdf)
    with gmpy2.context(gmpy2.get_context(), precision=77):
        srp = Spy(username="u", password="p", pool_id=_POOL_ID, client_id="c", client=object())
        assert gmpy2.get_context().allow_release_gil is False
        srp.get_password_authentication_key("u", "p", pow(2, 99, _n()), "ab" * 16)
        assert gmpy2.get_context().allow_release_gil is False
        assert gmpy2.get_context().precision == 77
    assert seen == {"calculate_a": True, "authentication_key": True}


@needs_gmpy2
def test_hex_formatting_is_identical() -> None:
    """pad_hex, long_to_hex and calculate_u give the same strings for mpz and int."""
    from pycognito.aws_srp import calculate_u, long_to_hex, pad_hex

    gmpy2 = _gmpy2()
    n = _n()
    samples = [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x8000, n - 1, n, 2**3071, secrets.randbelow(n)]
    for value in samples:
        big = gmpy2.mpz(value)
        assert long_to_hex(big) == long_to_hex(value)
        assert pad_hex(big) == pad_hex(value)
    a, b = secrets.randbelow(n), secrets.randbelow(n)
    assert calculate_u(gmpy2.mpz(a), b) == calculate_u(a, b)


@needs_gmpy2
def test_same_a_salt_and_b_give_byte_identical_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the same a, salt and B, both paths produce the same SRP_A and PASSWORD_VERIFIER."""
    n = _n()
    small_a = secrets.randbits(1024)
    b = pow(2, secrets.randbits(1024), n)
    pure, fast = _both(monkeypatch, small_a, b, secrets.token_hex(16))
    assert pure[0] == "ShortExponentAWSSRP" and fast[0] == "GmpAWSSRP"
    assert pure[1:] == fast[1:]


@needs_gmpy2
def test_negative_intermediate_is_reduced_identically(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small B makes B - k*g^x negative; both paths reduce it the same way."""
    pure, fast = _both(monkeypatch, secrets.randbits(1024), 5, "00ff")
    assert pure[1:] == fast[1:]


@needs_gmpy2
@settings(max_examples=25, deadline=None)
@given(
    small_a=st.integers(min_value=1, max_value=2**1024 - 1),
    b=st.integers(min_value=1, max_value=2**3072 - 1),
    salt=st.binary(min_size=1, max_size=32).map(bytes.hex),
)
def test_paths_agree_for_any_inputs(small_a: int, b: int, salt: str) -> None:
    """For any a, B and salt (B mod N != 0), both paths give byte-identical answers."""
    if b % _n() == 0:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        pure, fast = _both(monkeypatch, small_a, b, salt)
    assert pure[1:] == fast[1:]
