"""A client-side SRP helper for tests, built on pycognito's maths (never on local's).

pycognito's ``process_challenge`` uses the deprecated ``datetime.utcnow()``, which the
warnings-as-errors config would turn into a failure, so the signature is built here from
``get_password_authentication_key``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone
from typing import Any

from pycognito.aws_srp import AWSSRP

__all__ = ["SrpClient", "cognito_timestamp", "secret_hash"]

_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def cognito_timestamp(now: datetime | None = None) -> str:
    """``EEE MMM d HH:mm:ss UTC yyyy`` in English, day unpadded
    (docs/cognito-facts.md#srp-timestamp)."""
    now = now or datetime.now(timezone.utc)
    return (
        f"{_DAYS[now.weekday()]} {_MONTHS[now.month - 1]} {now.day} {now:%H:%M:%S} UTC {now.year}"
    )


def secret_hash(secret: str, username: str, client_id: str) -> str:
    """SECRET_HASH (docs/cognito-facts.md#secret-hash)."""
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class SrpClient:
    """One SRP login attempt for ``username``/``password``."""

    def __init__(
        self,
        pool_id: str,
        client_id: str,
        username: str,
        password: str,
        client_secret: str | None = None,
    ) -> None:
        self.pool_id = pool_id
        self.client_id = client_id
        self.username = username
        self.password = password
        self.client_secret = client_secret
        self.srp = AWSSRP(
            username=username,
            password=password,
            pool_id=pool_id,
            client_id=client_id,
            client=object(),
            client_secret=client_secret,
        )

    @property
    def srp_a(self) -> str:
        """SRP_A as hex."""
        return format(self.srp.large_a_value, "x")

    def auth_parameters(self) -> dict[str, str]:
        """AuthParameters for USER_SRP_AUTH."""
        params = {"USERNAME": self.username, "SRP_A": self.srp_a}
        if self.client_secret:
            params["SECRET_HASH"] = secret_hash(self.client_secret, self.username, self.client_id)
        return params

    def signature(
        self,
        challenge: dict[str, str],
        timestamp: str,
        *,
        password: str | None = None,
        user_id: str | None = None,
        secret_block: str | None = None,
    ) -> str:
        """PASSWORD_CLAIM_SIGNATURE for a PASSWORD_VERIFIER challenge."""
        uid = user_id or challenge["USER_ID_FOR_SRP"]
        key = self.srp.get_password_authentication_key(
            uid, password or self.password, int(challenge["SRP_B"], 16), challenge["SALT"]
        )
        block = base64.b64decode(secret_block or challenge["SECRET_BLOCK"])
        message = self.pool_id.split("_")[1].encode() + uid.encode() + block + timestamp.encode()
        return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()

    def responses(self, challenge: dict[str, str], **overrides: Any) -> dict[str, str]:
        """ChallengeResponses for PASSWORD_VERIFIER; overrides tamper with single fields."""
        timestamp = overrides.pop("timestamp", None) or cognito_timestamp()
        sign_ts = overrides.pop("sign_timestamp", None) or timestamp
        out = {
            "USERNAME": challenge["USERNAME"],
            "TIMESTAMP": timestamp,
            "PASSWORD_CLAIM_SECRET_BLOCK": challenge["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": self.signature(challenge, sign_ts, **overrides),
        }
        if self.client_secret:
            out["SECRET_HASH"] = secret_hash(
                self.client_secret, challenge["USERNAME"], self.client_id
            )
        return out
