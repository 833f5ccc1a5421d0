"""What the strict layer keeps per user and per code, beside moto's models, and its JSON form.

The JSON form is what a state file (``LocalCognito(state=...)``) holds for each user: the SRP
verifier of the password (never the password), TOTP secrets, legacy MFA options, confirmed
devices and passkeys (their public keys); and for each pending code, the code and where it was
"sent". Reprs hide secrets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._srp_server import PasswordVerifier

__all__ = [
    "Code",
    "Device",
    "Passkey",
    "PendingPasskey",
    "UserState",
    "verifier_from_json",
    "verifier_to_json",
]


@dataclass
class Code:
    """A code that was "sent": the current one for (pool, user, purpose, attribute).

    :ivar destination: the address or number it went to (a restored code goes back to the
        outbox with it).
    """

    code: str = field(repr=False)
    expires_at: float
    used: bool = False
    destination: str = ""

    def to_json(self) -> dict[str, Any]:
        """The code's JSON form (without its key)."""
        return {"code": self.code, "expires_at": self.expires_at, "destination": self.destination}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Code:
        """Inverse of :meth:`to_json`; a restored code is pending (not used)."""
        return cls(
            code=_str(data, "code"),
            expires_at=float(data["expires_at"]),
            destination=_str(data, "destination"),
        )


@dataclass
class Device:
    """A confirmed device: its SRP verifier (ConfirmDevice's), name and timestamps."""

    key: str
    group_key: str
    verifier: int = field(repr=False)
    salt: int = field(repr=False)
    name: str
    remembered: bool
    created: float
    modified: float
    last_auth: float

    def to_json(self) -> dict[str, Any]:
        """The device's JSON form."""
        return {
            "key": self.key,
            "group_key": self.group_key,
            "salt": format(self.salt, "x"),
            "verifier": format(self.verifier, "x"),
            "name": self.name,
            "remembered": self.remembered,
            "created": self.created,
            "modified": self.modified,
            "last_auth": self.last_auth,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Device:
        """Inverse of :meth:`to_json`."""
        return cls(
            key=_str(data, "key"),
            group_key=_str(data, "group_key"),
            salt=int(_str(data, "salt"), 16),
            verifier=int(_str(data, "verifier"), 16),
            name=_str(data, "name"),
            remembered=bool(data["remembered"]),
            created=float(data["created"]),
            modified=float(data["modified"]),
            last_auth=float(data["last_auth"]),
        )


@dataclass
class Passkey:
    """A registered passkey (CompleteWebAuthnRegistration): what verifies its assertions.

    :ivar credential_id: the credential's id, base64url as the WebAuthn JSON forms carry it.
    :ivar public_key: the COSE public key the authenticator attested.
    :ivar sign_count: the authenticator's signature counter, as last seen.
    :ivar transports: the ``AuthenticatorTransports`` the browser reported.
    :ivar attachment: ``platform`` or ``cross-platform``, or None when not reported.
    :ivar created: when it was registered (epoch seconds).
    """

    credential_id: str
    public_key: bytes = field(repr=False)
    sign_count: int
    relying_party_id: str
    name: str
    transports: list[str]
    attachment: str | None
    created: float

    def to_json(self) -> dict[str, Any]:
        """The passkey's JSON form (its public key in hex)."""
        return {
            "credential_id": self.credential_id,
            "public_key": self.public_key.hex(),
            "sign_count": self.sign_count,
            "relying_party_id": self.relying_party_id,
            "name": self.name,
            "transports": list(self.transports),
            "attachment": self.attachment,
            "created": self.created,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Passkey:
        """Inverse of :meth:`to_json`."""
        count = data["sign_count"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("sign_count must be a counter")
        return cls(
            credential_id=_str(data, "credential_id"),
            public_key=bytes.fromhex(_str(data, "public_key")),
            sign_count=count,
            relying_party_id=_str(data, "relying_party_id"),
            name=_str(data, "name"),
            transports=[str(t) for t in data["transports"]],
            attachment=_optional_str(data, "attachment"),
            created=float(data["created"]),
        )


@dataclass
class PendingPasskey:
    """The registration StartWebAuthnRegistration began: its challenge, for the app client
    whose access token asked, until ``expires_at``. Not saved: a restart keeps no tokens."""

    challenge: bytes = field(repr=False)
    client_id: str
    expires_at: float


@dataclass
class UserState:
    """The strict layer's per-user state.

    :ivar verifier: the password's SRP verifier (None: the user has no password yet).
    :ivar placeholder: the random string moto holds in place of the password. moto's user
        model has a password field; it never holds the real password for long (see
        ``StrictState.set_password``), and a value other than this one is a password set
        behind the strict layer's back, adopted at the next check.
    :ivar pending_devices: device keys handed out at sign-in, not yet confirmed (not saved:
        they belong to tokens, which a restart does not keep).
    :ivar email_mfa: e-mail MFA switched on for the user (moto's user has no such field).
    :ivar passkeys: the user's registered passkeys, oldest first.
    :ivar pending_passkey: the registration under way, if any (not saved).
    """

    verifier: PasswordVerifier | None = field(default=None, repr=False)
    placeholder: str | None = field(default=None, repr=False)
    totp_pending: str | None = field(default=None, repr=False)
    totp_secret: str | None = field(default=None, repr=False)
    mfa_options: list[dict[str, str]] = field(default_factory=list)
    devices: dict[str, Device] = field(default_factory=dict)
    pending_devices: dict[str, str] = field(default_factory=dict)  # key -> group key
    email_mfa: bool = False
    passkeys: list[Passkey] = field(default_factory=list)
    pending_passkey: PendingPasskey | None = None

    def to_json(self) -> dict[str, Any]:
        """The user's strict state as JSON: no password, only its verifier."""
        return {
            "srp": verifier_to_json(self.verifier),
            "totp_secret": self.totp_secret,
            "totp_pending": self.totp_pending,
            "mfa_options": [dict(o) for o in self.mfa_options],
            "devices": [d.to_json() for d in self.devices.values()],
            "email_mfa": self.email_mfa,
            "passkeys": [p.to_json() for p in self.passkeys],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UserState:
        """Inverse of :meth:`to_json`."""
        devices = [Device.from_json(d) for d in data.get("devices") or []]
        return cls(
            verifier=verifier_from_json(data.get("srp")),
            totp_secret=_optional_str(data, "totp_secret"),
            totp_pending=_optional_str(data, "totp_pending"),
            mfa_options=[{str(k): str(v) for k, v in o.items()} for o in data["mfa_options"]],
            devices={d.key: d for d in devices},
            email_mfa=bool(data.get("email_mfa", False)),  # absent from older files: off
            passkeys=[Passkey.from_json(p) for p in data.get("passkeys") or []],  # likewise
        )


def verifier_to_json(verifier: PasswordVerifier | None) -> dict[str, str] | None:
    """``{"salt": hex, "verifier": hex}``, as AWS keeps a password (None: no password)."""
    if verifier is None:
        return None
    return {"salt": format(verifier.salt, "x"), "verifier": format(verifier.verifier, "x")}


def verifier_from_json(data: Any) -> PasswordVerifier | None:
    """Inverse of :func:`verifier_to_json`."""
    if data is None:
        return None
    return PasswordVerifier(
        salt=int(_str(data, "salt"), 16), verifier=int(_str(data, "verifier"), 16)
    )


def _str(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} must be a string")
    return value


def _optional_str(data: dict[str, Any], key: str) -> str | None:
    return None if data.get(key) is None else _str(data, key)
