"""Passkey ceremonies, checked with py_webauthn (Duo Labs' ``webauthn``): the options a
registration and a sign-in hand out, and the verification of what the authenticator answered.

py_webauthn does the verifying (signatures, attestation statements, counters); the checks here
before it only sort a failure into the code AWS answers with
(docs/cognito-facts.md#passkeys): the challenge (WebAuthnChallengeNotFoundException), the page's
origin (WebAuthnOriginNotAllowedException, ``_web_authn_config.origin_allowed``), the relying
party (WebAuthnRelyingPartyMismatchException), an algorithm, attestation or missing user
verification this pool does not take (WebAuthnCredentialNotSupportedException), a document that
is no RegistrationResponseJSON (InvalidParameterException). The messages are local guesses:
AWS does not publish them. None quotes the challenge, a key or the credential.

The operations are in ``passkeys`` (registration) and ``_user_auth`` (sign-in).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    decode_credential_public_key,
    parse_attestation_object,
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationFormat,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from .._user_state import Passkey, PendingPasskey
from .._web_authn_config import WebAuthnSettings, origin_allowed

__all__ = [
    "ALGORITHMS",
    "MAX_PASSKEYS",
    "REGISTRATION_TTL",
    "NewPasskey",
    "registration_options",
    "request_options",
    "usable_passkeys",
    "user_handle",
    "verify_assertion",
    "verify_registration",
]

REGISTRATION_TTL = 300  # seconds a StartWebAuthnRegistration challenge lives (its timeout)
# ES256 and RS256, what platform authenticators and security keys use (WebAuthn Level 3 also
# suggests Ed25519); AWS does not document its list, so this one is a local choice.
ALGORITHMS = [
    COSEAlgorithmIdentifier.ECDSA_SHA_256,
    COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256,
]
# Passkeys per user: AWS's quota is not published; 20 is a guess, the largest page of
# ListWebAuthnCredentials (MaxResults, botocore model), so a user's passkeys fit in one page.
MAX_PASSKEYS = 20
# What py_webauthn can verify; anything else is a provider this pool does not support.
_FORMATS = frozenset(fmt.value for fmt in AttestationFormat)

# What parsing a malformed document can raise, besides py_webauthn's own errors (a base64url or
# CBOR value of the wrong kind reaches the standard library).
_MALFORMED = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError)
_BAD_CREDENTIAL = (
    "InvalidParameterException",
    "Credential is not a valid RegistrationResponseJSON.",
)
_NOT_SUPPORTED = "WebAuthnCredentialNotSupportedException"
# The one refusal of a passkey sign-in that fails (a local guess): it says nothing of what.
_SIGN_IN_REFUSED = ("NotAuthorizedException", "Invalid passkey credential.")


def user_handle(user: mi.MotoUser) -> bytes:
    """The user's WebAuthn user handle (``user.id``): the bytes of the ``sub``, stable for
    the user's life and no secret (at most 64 bytes, as WebAuthn asks)."""
    return user.sub.encode()


def usable_passkeys(st: StrictState, pool: mi.MotoPool, user: mi.MotoUser) -> list[Passkey]:
    """The user's passkeys for the pool's relying party as it is now (a passkey registered
    for an earlier relying party id can no longer sign in)."""
    rp_id = st.web_authn_settings(pool.id).relying_party_id
    return [p for p in st.user_state(pool, user).passkeys if p.relying_party_id == rp_id]


def _descriptors(passkeys: list[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in passkeys]


def registration_options(
    pool_name: str,
    user: mi.MotoUser,
    display_name: str,
    settings: WebAuthnSettings,
    passkeys: list[Passkey],
) -> tuple[dict[str, Any], bytes]:
    """StartWebAuthnRegistration's ``CredentialCreationOptions`` (a CredentialCreationOptions
    JSON object) and its challenge: a discoverable credential (``residentKey`` required) for
    the pool's relying party, excluding the user's passkeys already there."""
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=settings.relying_party_id,
        rp_name=pool_name,
        user_id=user_handle(user),
        user_name=display_name,
        user_display_name=display_name,
        challenge=challenge,
        timeout=REGISTRATION_TTL * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement(settings.user_verification),
        ),
        exclude_credentials=_descriptors(passkeys),
        supported_pub_key_algs=list(ALGORITHMS),
    )
    document: dict[str, Any] = json.loads(options_to_json(options))
    return document, challenge


@dataclass(frozen=True)
class NewPasskey:
    """What a verified registration gives: the credential and what the browser said of it."""

    credential_id: str
    public_key: bytes
    sign_count: int
    transports: list[str]
    attachment: str | None


def verify_registration(
    credential: Any, pending: PendingPasskey, settings: WebAuthnSettings
) -> NewPasskey:
    """Check CompleteWebAuthnRegistration's ``Credential`` against the pending registration.

    :raises ServiceError: with AWS's code for what is wrong (see the module docstring).
    """
    if not isinstance(credential, dict):
        raise ServiceError(*_BAD_CREDENTIAL)
    try:
        parsed = parse_registration_credential_json(credential)
        client_data = parse_client_data_json(parsed.response.client_data_json)
        attestation = parse_attestation_object(parsed.response.attestation_object)
    except _MALFORMED:
        raise ServiceError(*_BAD_CREDENTIAL) from None
    if client_data.type != "webauthn.create":
        raise ServiceError(
            "InvalidParameterException", "Credential is not the answer to a registration."
        )
    if not secrets.compare_digest(client_data.challenge, pending.challenge):
        raise ServiceError(
            "WebAuthnChallengeNotFoundException", "The registration challenge was not found."
        )
    if not origin_allowed(client_data.origin, settings.relying_party_id):
        raise ServiceError(
            "WebAuthnOriginNotAllowedException",
            "The credential's origin is not allowed for the relying party.",
        )
    expected_hash = hashlib.sha256(settings.relying_party_id.encode()).digest()
    if attestation.auth_data.rp_id_hash != expected_hash:
        raise ServiceError(
            "WebAuthnRelyingPartyMismatchException",
            "The credential is for another relying party.",
        )
    _check_supported(attestation, settings)
    try:
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=pending.challenge,
            expected_rp_id=settings.relying_party_id,
            expected_origin=client_data.origin,
            require_user_verification=settings.user_verification == "required",
            supported_pub_key_algs=list(ALGORITHMS),
        )
    except _MALFORMED:
        raise ServiceError(
            _NOT_SUPPORTED, "The credential's attestation cannot be verified."
        ) from None
    transports = [t.value for t in parsed.response.transports or []]
    attachment = parsed.authenticator_attachment
    return NewPasskey(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=transports,
        attachment=None if attachment is None else attachment.value,
    )


def _check_supported(attestation: Any, settings: WebAuthnSettings) -> None:
    """An algorithm, an attestation format or a missing user verification the pool does not
    take: "passkey credentials from an unsupported device or provider" (the botocore model's
    WebAuthnCredentialNotSupportedException); "When required, users can only register ...
    with passkeys that are capable of user verification" (WebAuthnConfigurationType)."""
    data = attestation.auth_data.attested_credential_data
    if data is None:
        raise ServiceError(*_BAD_CREDENTIAL)
    try:
        algorithm = decode_credential_public_key(data.credential_public_key).alg
    except _MALFORMED:
        algorithm = None
    if algorithm not in ALGORITHMS:
        raise ServiceError(_NOT_SUPPORTED, "The credential's algorithm is not supported.")
    if not isinstance(attestation.fmt, str) or attestation.fmt not in _FORMATS:
        raise ServiceError(_NOT_SUPPORTED, "The credential's attestation format is not supported.")
    if settings.user_verification == "required" and not attestation.auth_data.flags.uv:
        raise ServiceError(_NOT_SUPPORTED, "The user pool requires user verification.")


def request_options(
    settings: WebAuthnSettings, passkeys: list[Passkey], timeout_seconds: int
) -> tuple[str, bytes]:
    """The WEB_AUTHN challenge's ``CREDENTIAL_REQUEST_OPTIONS`` (a CredentialRequestOptions
    JSON object, as text) for the user's passkeys, and its challenge."""
    challenge = secrets.token_bytes(32)
    options = generate_authentication_options(
        rp_id=settings.relying_party_id,
        challenge=challenge,
        timeout=timeout_seconds * 1000,
        allow_credentials=_descriptors(passkeys),
        user_verification=UserVerificationRequirement(settings.user_verification),
    )
    return options_to_json(options), challenge


def verify_assertion(
    credential: Any,
    challenge: bytes,
    settings: WebAuthnSettings,
    passkeys: list[Passkey],
    handle: bytes,
) -> Passkey:
    """Check a WEB_AUTHN answer's ``CREDENTIAL`` (AuthenticationResponseJSON text) and move the
    passkey's counter on.

    :returns: the passkey that signed.
    :raises ServiceError: InvalidParameterException for text that is no JSON object;
        NotAuthorizedException for anything else (an unknown or another user's credential, a
        bad signature, another challenge or origin, a counter that went back).
    """
    try:
        document = json.loads(credential)
    except (TypeError, ValueError):
        document = None
    if not isinstance(document, dict):
        raise ServiceError("InvalidParameterException", "CREDENTIAL is not a JSON object.")
    try:
        parsed = parse_authentication_credential_json(document)
        client_data = parse_client_data_json(parsed.response.client_data_json)
    except _MALFORMED:
        raise ServiceError(*_SIGN_IN_REFUSED) from None
    passkey = next((p for p in passkeys if p.credential_id == parsed.id), None)
    returned_handle = parsed.response.user_handle
    if (
        passkey is None
        or not origin_allowed(client_data.origin, settings.relying_party_id)
        or (returned_handle is not None and returned_handle != handle)
    ):
        raise ServiceError(*_SIGN_IN_REFUSED)
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=settings.relying_party_id,
            expected_origin=client_data.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=settings.user_verification == "required",
        )
    except _MALFORMED:
        raise ServiceError(*_SIGN_IN_REFUSED) from None
    passkey.sign_count = verified.new_sign_count
    return passkey
