"""Typed, immutable results of the flows. Tokens and sessions never show in ``repr``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode

from ._errors import InvalidParameterError

__all__ = [
    "MFA_TYPES",
    "AdminUser",
    "Attribute",
    "AuthEvent",
    "AuthFactors",
    "Challenge",
    "CodeDeliveryDetails",
    "Device",
    "DeviceMetadata",
    "Group",
    "MfaSettings",
    "Passkey",
    "ProfileEditResult",
    "RefreshToken",
    "SignUpConfirmation",
    "SignUpResult",
    "Tokens",
    "TotpSecret",
    "UserProfile",
]

# The second factors a user can have, under the names Cognito's challenges and
# SELECT_MFA_TYPE's ANSWER use (docs/cognito-facts.md#mfa-settings).
MFA_TYPES = ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")

# The challenges answered with a code, and the ChallengeResponses key the code goes under.
MFA_CODE_CHALLENGES = {
    "SMS_MFA": "SMS_MFA_CODE",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
    "SMS_OTP": "SMS_OTP_CODE",
}


@dataclass(frozen=True, slots=True)
class Tokens:
    """The tokens of a signed-in user.

    ``*_expires_at`` are epoch seconds, each read from that token's own ``exp`` claim.
    ``refresh_token`` is kept from the previous tokens when Cognito does not send a new one.
    ``new_device`` is the device Cognito just started tracking (pools with device tracking
    on): confirm it with ``confirm_device`` to remember it. ``username`` is the pool's
    internal username, read from the id token (``cognito:username``) when the tokens came
    from Cognito: the user may have signed in with an alias (an e-mail address, say).
    """

    access_token: str = field(repr=False)
    id_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    access_token_expires_at: int
    id_token_expires_at: int
    token_type: str = "Bearer"
    new_device: DeviceMetadata | None = None
    username: str | None = None


@dataclass(frozen=True, slots=True)
class DeviceMetadata:
    """A device Cognito tracks for a user, as sign-in announced it (``NewDeviceMetadata``).

    Not secret by itself (the device's secret is the random password ``confirm_device``
    makes), but the group key stays out of ``repr``.

    :ivar device_key: the device's key (``<region>_<uuid>``).
    :ivar device_group_key: the user's device group, part of the device SRP maths.
    """

    device_key: str
    device_group_key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Device:
    """A user's device as GetDevice and ListDevices describe it.

    :ivar device_key: the device's key.
    :ivar name: the name given at ``confirm_device`` (``device_name`` attribute), if any.
    :ivar remembered: whether the device is remembered (it then skips MFA at sign-in);
        ``None`` when Cognito did not say.
    :ivar attributes: every ``DeviceAttributes`` entry, by name.
    :ivar created: when the device was first confirmed.
    :ivar last_modified: when its status last changed.
    :ivar last_authenticated: when the user last signed in with it.
    """

    device_key: str
    name: str | None = None
    remembered: bool | None = None
    attributes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    created: datetime | None = None
    last_modified: datetime | None = None
    last_authenticated: datetime | None = None


@dataclass(frozen=True, slots=True)
class Passkey:
    """A passkey of the signed-in user, as ListWebAuthnCredentials describes it.

    :ivar credential_id: the credential's id (base64url), for ``delete_web_authn_credential``.
    :ivar relying_party_id: the domain the passkey is bound to.
    :ivar created: when it was registered.
    :ivar friendly_name: the name Cognito gave it (often the authenticator's), if any.
    :ivar attachment: ``platform`` (built into the device) or ``cross-platform`` (a
        security key, a phone), when the authenticator said.
    :ivar transports: how the browser can reach it (``internal``, ``usb``, ``nfc``,
        ``ble``, ``hybrid``...).
    """

    credential_id: str
    relying_party_id: str
    created: datetime | None = None
    friendly_name: str | None = None
    attachment: str | None = None
    transports: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """A refresh token alone, as ``auth`` for a signed-in flow: the flow gets a fresh access
    token first (one more request), as the Node library did with ``refreshToken``.

    :ivar token: the refresh token.
    :ivar id_token: the id token issued with it (expired is fine), if you have it: with an
        app client secret, Cognito wants the internal username it carries.
    """

    token: str = field(repr=False)
    id_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Challenge:
    """Cognito wants one more step before it hands out tokens.

    :ivar name: Cognito's challenge name (``SMS_MFA``, ``SOFTWARE_TOKEN_MFA``, ``EMAIL_OTP``,
        ``SELECT_MFA_TYPE``, ``MFA_SETUP``, ``NEW_PASSWORD_REQUIRED``, ``CUSTOM_CHALLENGE``,
        ``SELECT_CHALLENGE``, ``EMAIL_OTP``, ``SMS_OTP``, ``WEB_AUTHN``).
    :ivar session: pass it back as ``login_session``; it is single-use and expires in minutes.
    :ivar username: the pool's internal username, which every answer must use.
    :ivar parameters: Cognito's ``ChallengeParameters`` (code destination, required attributes).
    :ivar available: for ``SELECT_CHALLENGE``, the factors the user may choose from
        (Cognito's ``AvailableChallenges``: ``EMAIL_OTP``, ``SMS_OTP``, ``PASSWORD``,
        ``PASSWORD_SRP``, ``WEB_AUTHN``); empty otherwise.
    """

    name: str
    session: str = field(repr=False)
    username: str
    parameters: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    available: tuple[str, ...] = ()

    @property
    def next_step(self) -> str:
        """The Node library's name for this step: ``MFA_AUTH`` for an SMS code, else ``name``."""
        return "MFA_AUTH" if self.name == "SMS_MFA" else self.name

    @property
    def credential_request_options(self) -> dict[str, Any] | None:
        """For ``WEB_AUTHN``, the options to hand to the browser's ``navigator.credentials.get``
        (Cognito's ``CREDENTIAL_REQUEST_OPTIONS``, a ``PublicKeyCredentialRequestOptionsJSON``
        object: ``PublicKeyCredential.parseRequestOptionsFromJSON`` reads it); a new dict
        each time, ``None`` for other challenges or when it is not a JSON object."""
        raw = self.parameters.get("CREDENTIAL_REQUEST_OPTIONS")
        if not raw:
            return None
        try:
            options = json.loads(raw)
        except ValueError:
            return None
        return options if isinstance(options, dict) else None

    @property
    def mfa_types(self) -> tuple[str, ...]:
        """The MFA types to choose from (``SELECT_MFA_TYPE``: ``MFAS_CAN_CHOOSE``) or to set
        up (``MFA_SETUP``: ``MFAS_CAN_SETUP``); empty for other challenges."""
        raw = self.parameters.get("MFAS_CAN_CHOOSE") or self.parameters.get("MFAS_CAN_SETUP")
        if not raw:
            return ()
        try:
            listed = json.loads(raw)
        except ValueError:
            return ()
        return tuple(str(t) for t in listed) if isinstance(listed, list) else ()


@dataclass(frozen=True, slots=True)
class TotpSecret:
    """A new authenticator-app secret from AssociateSoftwareToken, to show to the user once.

    :ivar secret_code: the base32 secret; the authenticator app derives its codes from it.
    :ivar session: during sign-in (``MFA_SETUP``), the session to pass on as
        ``login_session``; ``None`` for a signed-in user's enrolment.
    :ivar username: during sign-in, the pool's internal username; else ``None``.
    """

    secret_code: str = field(repr=False)
    session: str | None = field(default=None, repr=False)
    username: str | None = None

    def otpauth_uri(self, *, issuer: str, account: str) -> str:
        """The ``otpauth://totp/...`` URI that authenticator apps read from a QR code.

        Built as Google Authenticator's Key Uri Format describes it
        (https://github.com/google/google-authenticator/wiki/Key-Uri-Format): the label is
        ``issuer:account``, each part percent-encoded (a space is ``%20``, never ``+``), and
        the issuer is repeated as the ``issuer`` parameter; Cognito's TOTP is the default
        SHA1, 6 digits, 30 seconds, so those parameters are left out.

        :param issuer: your application's or company's name, shown in the app.
        :param account: the user's name or e-mail address, shown under it.
        """
        for value, name in ((issuer, "issuer"), (account, "account")):
            if not isinstance(value, str) or not value.strip() or ":" in value:
                raise InvalidParameterError(
                    f"{name} must be non-empty text without ':'", field=name
                )
        label = f"{quote(issuer, safe='')}:{quote(account, safe='@')}"
        query = urlencode({"secret": self.secret_code, "issuer": issuer}, quote_via=quote)
        return f"otpauth://totp/{label}?{query}"


@dataclass(frozen=True, slots=True)
class AuthFactors:
    """What GetUserAuthFactors says a user can sign in with.

    :ivar username: the pool's internal username.
    :ivar mfa: the MFA methods on and the preferred one, or ``None`` when MFA is off.
    :ivar configured: the factors configured for sign-in (``PASSWORD``, ``EMAIL_OTP``,
        ``SMS_OTP``, ``WEB_AUTHN``).
    """

    username: str
    mfa: MfaSettings | None
    configured: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CodeDeliveryDetails:
    """Where Cognito sent a code: the (masked) destination, the medium and the attribute."""

    destination: str | None
    delivery_medium: str | None
    attribute_name: str | None

    @classmethod
    def from_aws(cls, data: Mapping[str, Any] | None) -> CodeDeliveryDetails | None:
        """Read botocore's ``CodeDeliveryDetails``; ``None`` when Cognito sent nothing."""
        if not data:
            return None
        return cls(
            destination=data.get("Destination"),
            delivery_medium=data.get("DeliveryMedium"),
            attribute_name=data.get("AttributeName"),
        )


@dataclass(frozen=True, slots=True)
class SignUpResult:
    """What SignUp answered: whether the user is already confirmed, its sub, the code's way."""

    username: str
    user_confirmed: bool
    user_sub: str | None
    code_delivery_details: CodeDeliveryDetails | None


@dataclass(frozen=True, slots=True)
class SignUpConfirmation:
    """What ConfirmSignUp answered: the user is confirmed, and, from pools and app clients
    that allow choice-based sign-in, a ``session`` that ``user_auth(username=...,
    session=...)`` exchanges for tokens once, within minutes, without asking again.

    :ivar username: the username as given to ``signup_confirm``.
    :ivar session: the sign-in session, or ``None`` when Cognito sent none.
    """

    username: str
    session: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Attribute:
    """One user attribute."""

    name: str
    value: str

    def to_aws(self) -> dict[str, str]:
        """The ``{"Name": .., "Value": ..}`` form Cognito and the Node library use."""
        return {"Name": self.name, "Value": self.value}


@dataclass(frozen=True, slots=True)
class UserProfile:
    """A user as GetUser sees it: the username, the attributes and the MFA settings."""

    username: str
    attributes: tuple[Attribute, ...]
    mfa: MfaSettings | None

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of attribute ``name``, or ``default``."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute.value
        return default

    def as_dict(self) -> dict[str, str]:
        """The attributes as a plain ``{name: value}`` dict."""
        return {a.name: a.value for a in self.attributes}

    def to_aws(self) -> list[dict[str, str]]:
        """The attributes as ``[{"Name": .., "Value": ..}]``, the Node library's shape."""
        return [a.to_aws() for a in self.attributes]


@dataclass(frozen=True, slots=True)
class MfaSettings:
    """The MFA methods a user has on (``SMS_MFA``, ``SOFTWARE_TOKEN_MFA``, ``EMAIL_OTP``)."""

    enabled: tuple[str, ...]
    preferred: str | None


@dataclass(frozen=True, slots=True)
class ProfileEditResult:
    """What a profile edit did: the attributes updated, those deleted, those skipped
    (``phone_number``, which has a flow of its own), and where verification codes went."""

    updated: tuple[str, ...]
    deleted: tuple[str, ...]
    code_delivery_details: tuple[CodeDeliveryDetails, ...] = ()
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AdminUser(UserProfile):
    """A user as the admin operations see it (AdminGetUser, ListUsers, AdminCreateUser): the
    profile's username, attributes and MFA settings, and what only an admin sees.

    :ivar enabled: ``False`` once ``admin_disable_user``: the user cannot sign in.
    :ivar status: Cognito's ``UserStatus`` (``CONFIRMED``, ``UNCONFIRMED``,
        ``FORCE_CHANGE_PASSWORD``, ``RESET_REQUIRED``, ``EXTERNAL_PROVIDER``...), if sent.
    :ivar created: when the user was created.
    :ivar last_modified: when the user was last changed.
    """

    enabled: bool = True
    status: str | None = None
    created: datetime | None = None
    last_modified: datetime | None = None

    @classmethod
    def from_aws(cls, data: Mapping[str, Any]) -> AdminUser:
        """Read botocore's ``UserType`` (``Attributes``) or ``AdminGetUserResponse``
        (``UserAttributes``, ``UserMFASettingList``, ``PreferredMfaSetting``)."""
        raw = data.get("Attributes", data.get("UserAttributes")) or []
        attributes = tuple(Attribute(str(a["Name"]), str(a.get("Value", ""))) for a in raw)
        enabled_mfa = tuple(str(m) for m in data.get("UserMFASettingList") or ())
        preferred = data.get("PreferredMfaSetting")
        mfa = MfaSettings(enabled_mfa, preferred) if enabled_mfa or preferred else None
        return cls(
            username=str(data["Username"]),
            attributes=attributes,
            mfa=mfa,
            enabled=bool(data.get("Enabled", True)),
            status=data.get("UserStatus"),
            created=data.get("UserCreateDate"),
            last_modified=data.get("UserLastModifiedDate"),
        )


@dataclass(frozen=True, slots=True)
class Group:
    """A group of the pool (botocore's ``GroupType``).

    :ivar name: the group's name.
    :ivar description: what the group is for, if set.
    :ivar precedence: which group's IAM role wins when a user is in several (lower wins).
    :ivar role_arn: the IAM role its members receive through identity pools, if set.
    """

    name: str
    description: str | None = None
    precedence: int | None = None
    role_arn: str | None = None
    created: datetime | None = None
    last_modified: datetime | None = None

    @classmethod
    def from_aws(cls, data: Mapping[str, Any]) -> Group:
        """Read botocore's ``GroupType``."""
        return cls(
            name=str(data["GroupName"]),
            description=data.get("Description"),
            precedence=data.get("Precedence"),
            role_arn=data.get("RoleArn"),
            created=data.get("CreationDate"),
            last_modified=data.get("LastModifiedDate"),
        )


@dataclass(frozen=True, slots=True)
class AuthEvent:
    """One sign-in or other auth event of a user, recorded by threat protection
    (botocore's ``AuthEventType``).

    :ivar event_id: the event's id (for feedback).
    :ivar event_type: ``SignIn``, ``SignUp``, ``ForgotPassword``, ``PasswordChange``...
    :ivar response: ``Pass``, ``Fail`` or ``InProgress``.
    :ivar risk_level: ``Low``, ``Medium`` or ``High``, if rated.
    :ivar risk_decision: ``NoRisk``, ``AccountTakeover`` or ``Block``, if rated.
    """

    event_id: str | None
    event_type: str | None
    created: datetime | None = None
    response: str | None = None
    risk_level: str | None = None
    risk_decision: str | None = None
    ip_address: str | None = None
    device_name: str | None = None

    @classmethod
    def from_aws(cls, data: Mapping[str, Any]) -> AuthEvent:
        """Read botocore's ``AuthEventType``."""
        risk = data.get("EventRisk") or {}
        context = data.get("EventContextData") or {}
        return cls(
            event_id=data.get("EventId"),
            event_type=data.get("EventType"),
            created=data.get("CreationDate"),
            response=data.get("EventResponse"),
            risk_level=risk.get("RiskLevel"),
            risk_decision=risk.get("RiskDecision"),
            ip_address=context.get("IpAddress"),
            device_name=context.get("DeviceName"),
        )
