"""A pool's passkey settings (``WebAuthnConfiguration``: the relying party id and the user
verification it asks for) and the origins a passkey ceremony may come from.

Imported by ``_option_checks`` (``LocalCognito(web_authn_...)``), by the state and by the
operations (``_ops/passkeys``, ``_ops/_web_authn``); it needs nothing but the standard library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_RELYING_PARTY_ID",
    "USER_VERIFICATION",
    "WebAuthnSettings",
    "check_relying_party_id",
    "check_user_verification",
    "origin_allowed",
]

# A pool without a domain has no natural relying party here: localhost is what a page under
# development runs on (a local choice; AWS uses the pool's domain or RelyingPartyId).
DEFAULT_RELYING_PARTY_ID = "localhost"
# WebAuthnConfigurationType.UserVerification: "required" | "preferred" (the botocore model);
# "preferred" when not set (the API reference: "When preferred, your user pool doesn't require
# the use of authenticators with user verification but encourages it").
USER_VERIFICATION = ("required", "preferred")

# A host name as WebAuthn's RP ID must be: a domain, not an IP address, no scheme, port or path;
# RelyingPartyIdType allows 1 to 127 characters (the botocore model).
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_NUMERIC = re.compile(r"[0-9.]+")


@dataclass(frozen=True)
class WebAuthnSettings:
    """A pool's ``WebAuthnConfiguration``.

    :ivar relying_party_id: the domain passkeys are bound to (WebAuthn's RP ID).
    :ivar user_verification: ``"preferred"`` or ``"required"``.
    """

    relying_party_id: str = DEFAULT_RELYING_PARTY_ID
    user_verification: str = "preferred"

    def to_json(self) -> dict[str, str]:
        """The settings as ``GetUserPoolMfaConfig`` shows them (and the state file keeps)."""
        return {"RelyingPartyId": self.relying_party_id, "UserVerification": self.user_verification}

    @classmethod
    def from_json(cls, data: Any) -> WebAuthnSettings:
        """Inverse of :meth:`to_json`; None is the default settings.

        :raises ValueError: for values :func:`check_relying_party_id` or
            :func:`check_user_verification` refuse.
        """
        if data is None:
            return cls()
        return cls(
            check_relying_party_id(data["RelyingPartyId"]),
            check_user_verification(data["UserVerification"]),
        )


def check_relying_party_id(value: object) -> str:
    """A relying party id: a lowercase domain name (``example.com``, ``auth.example.com``,
    ``localhost``) of at most 127 characters, not an IP address.

    :raises ValueError: saying what a relying party id must be (no value quoted).
    """
    if value is None:
        return DEFAULT_RELYING_PARTY_ID
    if (
        not isinstance(value, str)
        or len(value) > 127
        or not _DOMAIN.fullmatch(value)
        or _NUMERIC.fullmatch(value)
    ):
        raise ValueError(
            "the relying party id must be a lowercase domain name of at most 127 characters, "
            "such as example.com or localhost"
        )
    return value


def check_user_verification(value: object) -> str:
    """``"preferred"`` (also for None) or ``"required"``.

    :raises ValueError: naming the two values.
    """
    if value is None:
        return "preferred"
    if value not in USER_VERIFICATION:
        raise ValueError("user verification is 'required' or 'preferred'")
    return str(value)


def origin_allowed(origin: object, relying_party_id: str) -> bool:
    """Whether a page at ``origin`` may use passkeys of ``relying_party_id``.

    WebAuthn's RP ID rule: the RP ID must be the origin's effective domain or a registrable
    suffix of it, so ``https://<rp_id>`` and ``https://<sub>.<rp_id>`` on any port; and, as
    browsers treat ``http://localhost`` as a secure context, ``http://localhost[:port]`` when
    the RP ID is ``localhost``. Anything else (another scheme, another domain, a path, user
    information, a malformed port) is refused.
    """
    if not isinstance(origin, str):
        return False
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    host = parts.hostname
    if (
        host is None
        or parts.path
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
        or origin != origin.strip()
    ):
        return False
    if parts.scheme == "https":
        return host == relying_party_id or host.endswith("." + relying_party_id)
    return parts.scheme == "http" and host == "localhost" == relying_party_id
