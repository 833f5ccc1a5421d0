"""SRP known answers from an independent witness: AWS's own JavaScript client.

The vectors below were produced by ``amazon-cognito-identity-js`` 6.3.21 (npm), AWS's
JavaScript Cognito client, running its real ``CognitoUser.authenticateUser`` (USER_SRP_AUTH)
against a fake transport, with every random input fixed: the private ``a``
(``AuthenticationHelper.generateRandomSmallA``), the server's ``SRP_B``, ``SALT`` and
``SECRET_BLOCK``, and the clock. The script is ``tests/unit/srp_vector.js`` (not run in CI);
regenerate with::

    mkdir /tmp/srpvec && cd /tmp/srpvec && npm init -y
    npm install amazon-cognito-identity-js@6.3.21
    NODE_PATH=/tmp/srpvec/node_modules node tests/unit/srp_vector.js

Our side fixes ``a`` by replacing its one random source, ``_srp_fast.draw_secret_exponent``
(which ``generate_random_small_a`` calls), for both the pure path and the gmpy2 path, which
inherits that method. The vectors' ``a`` has the JavaScript client's 1024 bits: the maths
does not depend on the exponent's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from cognito_user_pool._srp import SrpSession
from cognito_user_pool._srp_fast import (
    SRP_MODE_ENV,
    accelerated_srp_class,
    gmpy2_available,
    srp_class,
)


@dataclass(frozen=True)
class _Vector:
    """One SRP exchange: the fixed inputs and what the JavaScript client answered."""

    name: str
    pool_id: str
    client_id: str
    username: str
    user_id_for_srp: str
    password: str
    small_a: str
    srp_b: str
    salt: str
    secret_block: str
    now: datetime
    # ACIJ's answers.
    srp_a: str
    hkdf_key: str
    timestamp: str
    signature: str


_VECTORS = (
    _Vector(
        name="ascii-msb-set",
        pool_id="us-east-1_KnownAns1",
        client_id="1example23456789clientid",
        username="alice@example.com",
        user_id_for_srp="6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
        password="Correct-Horse-9!",
        small_a=(
            "32da5f53c41b27471df5dc56ac4053bf53ee1c1d8bc5cfed34e2bc2e5d9f03cbaacb262c9d71badbe442167607dcfb22"
            "4bd1b46cde7ce7fea5344e79610716be0e26090cfeed80341865039edeef21a3ca815b5bd822f302efd926cc28116541"
            "62ea22115e44de7fd71f9eff55aca06ee9f477135cd5098c013c0946ef30c118"
        ),
        srp_b=(
            "ef999a0941871b5afe36901e04cdc300ccbbef9e2c0dedc2098e23b836a267dc141d5cbbf6ff7420623ea5f303ce4a9b"
            "db12f8495d75adc61e48c42530335e8529aa20fd4f89300cb709ae2f7cb104b4fa7e69c66a2e27bcfa5573f1b2682e70"
            "2ba54b81eb350e35f6c06d03acdd5275c43e6994b70971647c91084421be4e9fadaebedb4531c0ee7a3bbda88f2ae57e"
            "8d750bec510c2385fa8285ec43626dde2637be61a0c9e3a27c73c3b331c9ede1e839443b7f7840da5151227d1602eb90"
            "f52c34e91cc8ff9e4a8498860e6060d0e5a26bdffbe365a3dfd8b0200fabcb7d74d6d518e8c206443cbf61fae64f9f5e"
            "e1bc54fa238ff312f81104084f9bffd0780e2c0b3cd638376ebf7ed6fae418179a66bb3d753dc8d5b984677f3b79b14c"
            "1a77cea6115f83c22b65aae1e7018b837534bf686d076b4de40a154db8a05e529c75a1296f6002b01d35ff5f01d96ee5"
            "f2707fbe342a671637d818d1547bae468b0ffea9896390983054f7f61c64d04dcfff42bcb74ba6f235316fd4af19b0ab"
        ),
        salt="c3d4e5f6a7b8091a2b3c4d5e6f708192",
        secret_block=(
            "XjAeoRHEPZUe/QKY+B+nzjKtNpQ/DRBavCsiQYXct/v/bx1vNNBhw93pd/5lsSMV3Aw1Q9lCWVr5DDeOisuUyfw2CovQ1DKG"
            "I6e6k8SS1Lfq8spCYJ6zpuS6Dccb0ht9"
        ),
        now=datetime(2026, 3, 5, 7, 4, 9, tzinfo=timezone.utc),
        srp_a=(
            "5b54e3703c3a3e171bd6cc10165caf73deedf916210516ec2093f68fd90fd2d080c1e479a49c2d5679cdcee0449937f8"
            "c24d383b7d10d1ee1d5c634cec1695ae69641d270f6f79877a81db23d3c9ab8253abd7e880096c68b3a0908ed101aabb"
            "eb2445812a797301a9c22e4a89339ccef0ab5fc9a05c64a2af33c8258f3c1456210285100cf42f659cae8c0c97ea9e2f"
            "e0a695e27c619d6b16fc8d6ee8c72f206d3fa297b7f6051c4ddcc8b26a57ca0161a48a5bc6e7d917d55818be5bb483b3"
            "788ef0c881948667287fd2e7470b5dc5f1a1287598abed203ce38541e84de2874203f112913d1fea7a5003f0cf66241a"
            "5b288203d229ff56cf1c2ba4aba82884fa700f318a3bb4869795f4faf1269beabe81510df51edc129add755ada70cab7"
            "debd43403d239904c31b25b316dd8662cd5c4594f9feca53efa92e4592a1c05f032d9c8ad2cc45c5c1e1df079fd2cfe4"
            "ceee0132a12beed86903e5f8a6186322e0e6a763af9744cd4bef5403f3710f0ac765cb6b3eaa866df7296925af88d58a"
        ),
        hkdf_key="ddf4563af9eb25cdf0bac4fa9d4a1d17",
        timestamp="Thu Mar 5 07:04:09 UTC 2026",
        signature="ouoNsWUgNN1MGiwSsgEj2mEcFQEyMgIZOuDn8NL+wrU=",
    ),
    _Vector(
        name="utf8-odd-salt",
        pool_id="eu-west-1_AbC123xyz",
        client_id="7abcdefghijklmnopqrstuvwx",
        username="jörg",
        user_id_for_srp="jörg",
        password="pässwörd-Ω 2",
        small_a=(
            "c61296b198f1b23d95a8949ea4236833725fd6e0e0325605989cb6041dd7919bb9407f8f199fd9267bde3f6a76a810b1"
            "b81b7abbb0504b88f079fa365c461e3a420454d93096be76d39391237cc5aa65a331006c5325a03c75c5ac2ebcfc692f"
            "09690f88ec1ff0ac5502e0fe14fbd92d47572e000c4ea8e604852e890435550a"
        ),
        srp_b=(
            "600ca7284e79646e7f65234f8c0698cb805f176f40b11918439db5ced6c7e86c4ceadd4dee114b0db7aced131858eb1f"
            "84b1149b8845b7bb8daa16ef7f7f2d2914d28cb5457c188311e6a3460f2e85b341c9c8a33fa3a7aeeb02d2f95ef48ce1"
            "16223a2647fa2a3903c8084aaa553929e944ae83c45ea2363e017cddb87fbe6fd116903ebb93506babf69b73ce1af103"
            "f207d95bc5d0f30c8f135663b79d549cd028281b87d3763e8c43da919274e2fc507178c0053699a2e5b5b464537d0080"
            "8cff81457ece0a762049319973b647d165e79f213d9c235146abc4be9e68c9a3d1147321ae17a76bdce76a4ba0fe4622"
            "0849cf9b0c904696ae54170de86e9dfde8cbd809c1afb839a904fa36e6c39f31078650ee2746a71ef1762d8b058e6380"
            "09812eef5f217798720cf4c6de7dfd9d9ff35f4cea3685fbee46aabb9ee1c6088b90e35a4abd31ef04699edaab059ab4"
            "7b187ffd5cc035dea81c46c82a1929843a746d09b215b56210082cfab4e00d08ad7a388f68e881fcca5949791fa6f595"
        ),
        # 31 hex digits with a low first nibble: padded with one "0", not "00".
        salt="7a1b2c3d4e5f60718293a4b5c6d7e8f",
        secret_block=(
            "gyLpHBhc+0G4KMrejpt/eCET8pt7njoEQxfebW7aQUBDcTutcK1P2svxEZROnWTn4sybmLu2BFJ4I/T/SLA9o0c+4PwE71AI"
            "sHRD1plJEgDkItBpkpobnp8ZAup6GmlI"
        ),
        now=datetime(2026, 11, 29, 23, 59, 59, tzinfo=timezone.utc),
        srp_a=(
            "851ef9c9b02d0f06dbe748b11e928065b42e24455b66fdb421d8c68eb19418d38fce640f1b2d858fac94b081d8901188"
            "2c32a1a2e4a76655f533c808daabdf93bbcc07af980128ffea0452438665a9a814575f57fdb7640bd434201e15a64b33"
            "b94ba7a183c89272b14f4ff095c1403a3bbc8b196248c67bb1a5ad6a8a4e1885a8334fec3660b49986e86fb5fb727156"
            "b245fd948a5afd250f784e23c828559660a4adb0fd7f5f17139c3840edfb812500df38ed625b28902791b63d49923721"
            "f5efd22d2bd4a56fe72c5aed1c3f4ad876275b5ce62c4d58bf61ff2e7f70ecf6d50c1845b36646fb3233960359144d83"
            "d96832103661a43fb54b228889adaaa486094cc3456311dc53bbf365ac1e771c2608f0c6b7546b477d5038d3ab20c9a8"
            "fb1dcdc0652fe8ce787d528f7f58718337cea30237338f2885607582c6e3edbc921d231db5d211f86e46b599185570ce"
            "700d1afead3d2fd9e524d82922c934b48fcc2512f8f546edfdb2501948b869f46f28d312159f7d96709402c967297b58"
        ),
        hkdf_key="a21724ea3270cdfcd281391f1d9e6120",
        timestamp="Sun Nov 29 23:59:59 UTC 2026",
        signature="RDXl+zK56C4kWTz2B18uJlp9xb7xkxBZPtBJ82EiXIw=",
    ),
)


@pytest.fixture(params=["pure", "fast"])
def srp_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Selects the pure pycognito path or the gmpy2 path. gmpy2 comes with the test extra
    (through `fast`): without it the fast path's known answers fail rather than vanish."""
    mode: str = request.param
    assert mode == "pure" or gmpy2_available(), "gmpy2 (the `fast` extra) is not installed"
    monkeypatch.setenv(SRP_MODE_ENV, mode)
    # Guard the selection itself, so that both parameters cannot silently test one path.
    assert (srp_class() is accelerated_srp_class()) == (mode == "fast")
    return mode


def _fix_a(monkeypatch: pytest.MonkeyPatch, vector: _Vector) -> None:
    """Makes the draw of the private ``a`` return the vector's ``a``."""
    from cognito_user_pool import _srp_fast

    monkeypatch.setattr(_srp_fast, "draw_secret_exponent", lambda: int(vector.small_a, 16))


def _session(vector: _Vector) -> SrpSession:
    return SrpSession(
        pool_id=vector.pool_id,
        client_id=vector.client_id,
        username=vector.username,
        password=vector.password,
        clock=lambda: vector.now,
    )


def _challenge(vector: _Vector) -> dict[str, str]:
    return {
        "USER_ID_FOR_SRP": vector.user_id_for_srp,
        "USERNAME": vector.user_id_for_srp,
        "SRP_B": vector.srp_b,
        "SALT": vector.salt,
        "SECRET_BLOCK": vector.secret_block,
    }


@pytest.mark.parametrize("vector", _VECTORS, ids=lambda v: v.name)
def test_srp_a_matches_the_javascript_client(
    srp_path: str, vector: _Vector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For a fixed ``a``, SRP_A (in InitiateAuth's parameters too) is the JS client's exactly."""
    _fix_a(monkeypatch, vector)
    srp = _session(vector)
    assert srp.srp_a == vector.srp_a
    assert srp.auth_parameters()["SRP_A"] == vector.srp_a


@pytest.mark.parametrize("vector", _VECTORS, ids=lambda v: v.name)
def test_password_claim_matches_the_javascript_client(
    srp_path: str, vector: _Vector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For fixed ``a``, B, salt, secret block and clock, TIMESTAMP and the signature are the JS
    client's exactly."""
    _fix_a(monkeypatch, vector)
    answer = _session(vector).password_verifier_responses(_challenge(vector))
    assert answer["TIMESTAMP"] == vector.timestamp
    assert answer["PASSWORD_CLAIM_SECRET_BLOCK"] == vector.secret_block
    assert answer["PASSWORD_CLAIM_SIGNATURE"] == vector.signature


@pytest.mark.parametrize("vector", _VECTORS, ids=lambda v: v.name)
def test_hkdf_key_matches_the_javascript_client(
    srp_path: str, vector: _Vector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SRP class in use derives the JS client's HKDF key, which tells a maths fault from a
    fault in composing the signed message."""
    _fix_a(monkeypatch, vector)
    srp = srp_class()(
        username=vector.username,
        password=vector.password,
        pool_id=vector.pool_id,
        client_id=vector.client_id,
        client=object(),
    )
    key = srp.get_password_authentication_key(
        vector.user_id_for_srp, vector.password, int(vector.srp_b, 16), vector.salt
    )
    assert bytes(key).hex() == vector.hkdf_key
