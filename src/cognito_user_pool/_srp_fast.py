"""The SRP class the flows use: pycognito's ``AWSSRP`` with a secret exponent of the size the
standards call for, and optionally its big numbers held as ``gmpy2.mpz``.

The secret exponent ``a`` is drawn with ``SECRET_EXPONENT_BITS`` bits from the OS CSPRNG
(``secrets``), not pycognito's 1024 (``get_random(128)``): see that constant for the sources.
Both classes below draw it so, the pure one and the GMP one.

The protocol code stays pycognito's. The GMP subclass only stores N, g, k, a and A as ``mpz``,
so the builtin ``pow(x, y, N)`` inside pycognito's own methods dispatches to GMP's powm,
which is several times faster than CPython's long arithmetic on 3072-bit numbers.
``f"{mpz:x}"`` formats exactly like ``f"{int:x}"``, so ``pad_hex``/``long_to_hex`` and every
hash input stay byte-identical (``tests/perf/test_srp_fast.py`` checks this against the pure
path). No arithmetic is written here: GMP does it all.

The accelerated class also lets GMP release the GIL while it exponentiates (gmpy2's
``allow_release_gil`` context option, set only around pycognito's two methods that do the
maths, then restored): a login's maths, which the flows run in a worker thread, then runs
beside the event loop and beside other logins instead of stalling them.

Neither path is constant-time: CPython's ``pow`` and GMP's ``mpz_powm`` both depend on the
secret exponent, as pycognito's own code always has.

Which class is used:

- ``COGNITO_USER_POOL_SRP=pure`` forces the pure class (tests, benchmarks);
- ``COGNITO_USER_POOL_SRP=fast`` requires gmpy2 and raises ``ImportError`` without it;
- anything else (the default) uses gmpy2 when it imports, else the pure class.

Nothing here is imported by ``import cognito_user_pool``: ``_srp`` asks for the class when the
first SRP exchange starts, and pycognito (which pulls boto3) and gmpy2 load only then.
"""

from __future__ import annotations

import functools
import importlib
import os
import secrets
from collections.abc import Callable
from typing import Any

__all__ = [
    "SECRET_EXPONENT_BITS",
    "SRP_MODE_ENV",
    "accelerated_srp_class",
    "draw_secret_exponent",
    "gmpy2_available",
    "pure_srp_class",
    "srp_class",
]

SRP_MODE_ENV = "COGNITO_USER_POOL_SRP"

# The size of the client's secret SRP exponent ``a``. Cognito's SRP group is the 3072-bit
# MODP group of RFC 3526 (group 15, generator 2), a safe-prime group, where a short exponent
# is as strong as the group: the best attack on a short exponent (Pollard's lambda) costs
# 2^(bits/2), so the exponent needs twice the group's strength in bits.
# - NIST SP 800-56A Rev. 3, 5.6.1.1.1 (safe-prime groups): the private key is drawn with
#   N bits, 2s <= N, where s is the group's maximum security strength, 128 for MODP-3072
#   (its Appendix D, with SP 800-57 Part 1's table 2): at least 256 bits.
# - RFC 7919, 5.2 "Short exponents" and Appendix A.2: at least 275 bits for ffdhe3072 (its
#   estimated strength 125 bits).
# - RFC 3526, section 8: for the 3072-bit group, 260 bits by its first strength estimate
#   (130), and 420 bits by its second, more conservative one (210).
# The largest, 420 bits, meets every one of them; it costs about a third of the 1024 bits
# pycognito draws in A = g^a (docs/performance.md#the-secret-exponent). The exponent of the
# session key, a + u*x, is about 512 bits long whatever a is.
SECRET_EXPONENT_BITS = 420


def draw_secret_exponent() -> int:
    """A fresh secret exponent ``a``: ``SECRET_EXPONENT_BITS`` random bits from the OS's
    CSPRNG (``secrets``), never 0 (pycognito's A != 0 check would then refuse it)."""
    while True:
        a = secrets.randbits(SECRET_EXPONENT_BITS)
        if a:
            return a


def _generate_random_small_a(self: Any) -> int:
    """pycognito's hook for drawing ``a`` (``AWSSRP.generate_random_small_a``), ours instead."""
    return draw_secret_exponent()


@functools.cache
def pure_srp_class() -> type[Any]:
    """pycognito's ``AWSSRP``, drawing ``a`` with ``SECRET_EXPONENT_BITS`` bits; nothing else
    changes."""
    from pycognito.aws_srp import AWSSRP

    namespace: dict[str, Any] = {
        "generate_random_small_a": _generate_random_small_a,
        "__doc__": "pycognito's AWSSRP, with a secret exponent of SECRET_EXPONENT_BITS bits.",
        "__module__": __name__,
    }
    return type("ShortExponentAWSSRP", (AWSSRP,), namespace)


# The attributes pycognito's AWSSRP does modular arithmetic with.
_BIG_NUMBERS = ("big_n", "val_g", "val_k", "small_a_value", "large_a_value")


@functools.cache
def gmpy2_available() -> bool:
    """True when gmpy2 (the ``fast`` extra) imports."""
    try:
        importlib.import_module("gmpy2")
    except ImportError:
        return False
    return True


class _Mpz:
    """A data descriptor that stores whatever is assigned to it as ``gmpy2.mpz``.

    pycognito's ``__init__`` assigns plain ints (``self.big_n = hex_to_long(N_HEX)``); going
    through this descriptor they become ``mpz`` without copying pycognito's code.
    """

    def __init__(self, mpz: Any) -> None:
        self._mpz = mpz
        self._slot = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._slot = f"_mpz_{name}"

    def __get__(self, obj: object, objtype: type[Any] | None = None) -> Any:
        if obj is None:
            return self
        return obj.__dict__[self._slot]

    def __set__(self, obj: object, value: Any) -> None:
        obj.__dict__[self._slot] = self._mpz(value)


def _releasing_the_gil(gmpy2: Any, method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` run under a copy of the thread's gmpy2 context that lets GMP drop the GIL."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with gmpy2.context(gmpy2.get_context(), allow_release_gil=True):
            return method(self, *args, **kwargs)

    return wrapper


@functools.cache
def accelerated_srp_class() -> type[Any]:
    """pycognito's ``AWSSRP`` with GMP arithmetic.

    :raises ImportError: gmpy2 is not installed (``pip install cognito-user-pool[fast]``).
    """
    gmpy2 = importlib.import_module("gmpy2")
    base = pure_srp_class()

    namespace: dict[str, Any] = {name: _Mpz(gmpy2.mpz) for name in _BIG_NUMBERS}
    # The two methods that exponentiate (A = g^a in __init__; S in the authentication key),
    # unchanged but for the GIL.
    for name in ("__init__", "get_password_authentication_key"):
        namespace[name] = _releasing_the_gil(gmpy2, getattr(base, name))
    namespace["__doc__"] = "pycognito's AWSSRP (short exponent), its arithmetic done by GMP."
    namespace["__module__"] = __name__
    return type("GmpAWSSRP", (base,), namespace)


def srp_class() -> type[Any]:
    """The ``AWSSRP`` class to use now, following ``COGNITO_USER_POOL_SRP`` (read per call,
    so tests and benchmarks can switch paths).

    :raises ImportError: ``COGNITO_USER_POOL_SRP=fast`` and gmpy2 is not installed.
    """
    mode = os.environ.get(SRP_MODE_ENV, "").strip().lower()
    if mode == "fast" or (mode != "pure" and gmpy2_available()):
        return accelerated_srp_class()
    return pure_srp_class()
