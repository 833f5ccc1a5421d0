"""Glue over ``pycognito.aws_srp``: SECRET_HASH, Cognito's timestamp, the PASSWORD_VERIFIER answer,
and device SRP (ConfirmDevice's verifier, the DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER answers).

Pure: no I/O, no aiobotocore, no anyio, so the maths can be tested alone. The SRP group
arithmetic is pycognito's; this module only feeds it and composes the signed message, with
a timestamp built here rather than pycognito's (which uses the deprecated ``utcnow()``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ._errors import SRPError

__all__ = [
    "SrpSession",
    "cognito_timestamp",
    "device_verifier",
    "secret_hash",
]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """``base64(HMAC_SHA256(client_secret, username + client_id))``, which Cognito wants
    from app clients that have a secret."""
    digest = hmac.new(
        client_secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def cognito_timestamp(moment: datetime | None = None) -> str:
    """Cognito's TIMESTAMP: ``Sun Nov 1 05:03:09 UTC 2026``: English, UTC, day not padded.

    Built from fixed name tables, never ``strftime``, so the locale cannot change it.
    """
    now = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return (
        f"{_WEEKDAYS[now.weekday()]} {_MONTHS[now.month - 1]} {now.day} "
        f"{now.hour:02d}:{now.minute:02d}:{now.second:02d} UTC {now.year}"
    )


def device_verifier(device_group_key: str, device_key: str) -> tuple[str, dict[str, str]]:
    """A new random device password and the ``DeviceSecretVerifierConfig`` (``Salt``,
    ``PasswordVerifier``, base64) that ConfirmDevice registers for it: pycognito's
    ``generate_hash_device`` (x = H(salt | H(group key | device key | ":" | password))).

    The password is the device's secret: keep it in the device store, show it nowhere.
    """
    from pycognito.aws_srp import generate_hash_device

    password, config = generate_hash_device(device_group_key, device_key)
    return str(password), {str(k): str(v) for k, v in config.items()}


def _signature(key: bytes, group: str, user_id: str, block: bytes, timestamp: str) -> str:
    """``PASSWORD_CLAIM_SIGNATURE``: HMAC-SHA256 over group | user id | block | timestamp."""
    message = group.encode("utf-8") + user_id.encode("utf-8") + block + timestamp.encode("utf-8")
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


class _NoClient:
    """Stands in for the boto3 client pycognito would otherwise build per instance."""


@dataclass
class SrpSession:
    """One SRP exchange: the client's secret ``a`` and public ``A``, then the answer to
    Cognito's PASSWORD_VERIFIER challenge.

    :param clock: returns "now" for the TIMESTAMP; injectable for tests.
    """

    pool_id: str
    client_id: str
    username: str
    password: str = field(repr=False)
    client_secret: str | None = field(default=None, repr=False)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc), repr=False)
    _srp: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Imported here: pycognito pulls boto3 and requests, which `import cognito_user_pool`
        # should not pay for. srp_class() is pycognito's AWSSRP with a shorter secret exponent
        # (_srp_fast.SECRET_EXPONENT_BITS), GMP-backed when the `fast` extra is installed
        # (COGNITO_USER_POOL_SRP=pure forces the pure one).
        from ._srp_fast import srp_class

        aws_srp = srp_class()
        try:
            # Computing A = g^a mod N happens here, and pycognito checks A mod N != 0.
            self._srp = aws_srp(
                username=self.username,
                password=self.password,
                pool_id=self.pool_id,
                client_id=self.client_id,
                client=_NoClient(),
            )
        except ValueError as exc:  # a 1 in 2^3072 draw (tests force it)
            raise SRPError("the SRP secret failed its safety check; try again") from exc

    @property
    def srp_a(self) -> str:
        """``SRP_A`` for InitiateAuth: the client's public value in hex."""
        from pycognito.aws_srp import long_to_hex

        return str(long_to_hex(self._srp.large_a_value))

    def auth_parameters(self) -> dict[str, str]:
        """AuthParameters for ``InitiateAuth(USER_SRP_AUTH)``."""
        params = {"USERNAME": self.username, "SRP_A": self.srp_a}
        if self.client_secret is not None:
            params["SECRET_HASH"] = secret_hash(self.username, self.client_id, self.client_secret)
        return params

    def password_verifier_responses(self, challenge: Mapping[str, str]) -> dict[str, str]:
        """ChallengeResponses for PASSWORD_VERIFIER.

        The maths uses ``USER_ID_FOR_SRP``; ``USERNAME`` and its SECRET_HASH use the pool's
        internal username from the challenge, not what the user typed.

        :raises SRPError: when the challenge lacks a field or its B would make the exchange
            unsafe.
        """
        from pycognito.aws_srp import N_HEX, hex_to_long

        try:
            user_id_for_srp = challenge["USER_ID_FOR_SRP"]
            salt_hex = challenge["SALT"]
            srp_b = hex_to_long(challenge["SRP_B"])
            secret_block = challenge["SECRET_BLOCK"]
        except (KeyError, ValueError) as exc:
            raise SRPError("the PASSWORD_VERIFIER challenge is incomplete or malformed") from exc
        if srp_b % hex_to_long(N_HEX) == 0:
            raise SRPError("the server's SRP_B is unsafe (B mod N == 0)")
        internal_username = challenge.get("USERNAME") or self.username
        try:
            key = self._srp.get_password_authentication_key(
                user_id_for_srp, self.password, srp_b, salt_hex
            )
            # Not validate=True: plain moto sends a uuid here, which decodes once its
            # hyphens are dropped; AWS and the local Cognito send proper base64.
            secret_block_bytes = base64.b64decode(secret_block)
        except ValueError as exc:
            # pycognito raises ValueError for u == 0; b64decode for a malformed block.
            raise SRPError("the server's SRP values are unsafe or malformed") from exc
        timestamp = cognito_timestamp(self.clock())
        pool_name = self.pool_id.split("_", 1)[1]
        signature = _signature(key, pool_name, user_id_for_srp, secret_block_bytes, timestamp)
        responses = {
            "TIMESTAMP": timestamp,
            "USERNAME": internal_username,
            "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
            "PASSWORD_CLAIM_SIGNATURE": signature,
        }
        if self.client_secret is not None:
            responses["SECRET_HASH"] = secret_hash(
                internal_username, self.client_id, self.client_secret
            )
        return responses

    def device_srp_responses(self, internal_username: str, device_key: str) -> dict[str, str]:
        """ChallengeResponses for DEVICE_SRP_AUTH: the same ``A`` as the password step
        (as pycognito and Amplify send it), with the device key."""
        responses = {"USERNAME": internal_username, "DEVICE_KEY": device_key, "SRP_A": self.srp_a}
        if self.client_secret is not None:
            responses["SECRET_HASH"] = secret_hash(
                internal_username, self.client_id, self.client_secret
            )
        return responses

    def device_verifier_responses(
        self,
        challenge: Mapping[str, str],
        *,
        device_key: str,
        device_group_key: str,
        device_password: str,
    ) -> dict[str, str]:
        """ChallengeResponses for DEVICE_PASSWORD_VERIFIER: the PASSWORD_VERIFIER fields,
        signed with the device's key (pycognito's ``get_device_authentication_key``) over
        group key | device key | block | timestamp, plus ``DEVICE_KEY``.

        :raises SRPError: when the challenge lacks a field or its B would make the exchange
            unsafe.
        """
        from pycognito.aws_srp import N_HEX, hex_to_long

        try:
            salt_hex = challenge["SALT"]
            srp_b = hex_to_long(challenge["SRP_B"])
            secret_block = challenge["SECRET_BLOCK"]
        except (KeyError, ValueError) as exc:
            raise SRPError(
                "the DEVICE_PASSWORD_VERIFIER challenge is incomplete or malformed"
            ) from exc
        if srp_b % hex_to_long(N_HEX) == 0:
            raise SRPError("the server's SRP_B is unsafe (B mod N == 0)")
        internal_username = challenge.get("USERNAME") or self.username
        try:
            key = self._srp.get_device_authentication_key(
                device_group_key, device_key, device_password, srp_b, salt_hex
            )
            secret_block_bytes = base64.b64decode(secret_block)
        except ValueError as exc:
            raise SRPError("the server's SRP values are unsafe or malformed") from exc
        timestamp = cognito_timestamp(self.clock())
        responses = {
            "TIMESTAMP": timestamp,
            "USERNAME": internal_username,
            "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
            "PASSWORD_CLAIM_SIGNATURE": _signature(
                key, device_group_key, device_key, secret_block_bytes, timestamp
            ),
            "DEVICE_KEY": device_key,
        }
        if self.client_secret is not None:
            responses["SECRET_HASH"] = secret_hash(
                internal_username, self.client_id, self.client_secret
            )
        return responses
