"""A software passkey: the browser and the authenticator of a WebAuthn ceremony, in Python.

Tests of passkey registration and sign-in need someone to answer the options a pool hands
out, as ``navigator.credentials.create()`` / ``.get()`` would. :class:`SoftAuthenticator` does,
with ES256 keys it keeps itself, and returns the W3C JSON forms (RegistrationResponseJSON,
AuthenticationResponseJSON) that CompleteWebAuthnRegistration and the WEB_AUTHN challenge take.

It is built on Yubico's ``fido2`` (its WebAuthn data classes and COSE keys), while the local
Cognito verifies with Duo Labs' ``webauthn``: two independent implementations meet, so neither
can agree with itself on a mistake. (``soft-webauthn`` would do the same job, but its last
release pins ``fido2<2``, which pins ``cryptography<45``, which ``webauthn>=3`` cannot share.)

Unlike a browser it does not check that the options' relying party id fits its origin, nor
refuse the credentials of ``excludeCredentials``: a test can make what a browser would not
send, to see the pool refuse it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticationResponse,
    AuthenticatorAssertionResponse,
    AuthenticatorAttachment,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialRequestOptions,
    RegistrationResponse,
)

__all__ = ["SoftAuthenticator"]

_FORMAT = "cognito-user-pool/soft-authenticator"
_VERSION = 1
_ES256 = -7  # COSE algorithm id


@dataclass
class _Credential:
    """One discoverable credential: its id, relying party, user handle, key and counter."""

    credential_id: bytes
    rp_id: str
    user_handle: bytes
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    counter: int = 0

    def to_json(self) -> dict[str, Any]:
        der = self.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {
            "id": websafe_encode(self.credential_id),
            "rp_id": self.rp_id,
            "user_handle": websafe_encode(self.user_handle),
            "private_key": websafe_encode(der),
            "counter": self.counter,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> _Credential:
        key = serialization.load_der_private_key(websafe_decode(data["private_key"]), None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("a soft authenticator credential holds a P-256 key")
        counter = data["counter"]
        if not isinstance(counter, int) or isinstance(counter, bool) or counter < 0:
            raise ValueError("a soft authenticator credential's counter is a whole number")
        return cls(
            credential_id=websafe_decode(data["id"]),
            rp_id=str(data["rp_id"]),
            user_handle=websafe_decode(data["user_handle"]),
            private_key=key,
            counter=counter,
        )


def _public_key_options(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """The options themselves, also when wrapped as ``{"publicKey": {...}}`` (the shape of the
    argument of ``navigator.credentials.create()`` / ``.get()``)."""
    inner = options.get("publicKey")
    return inner if isinstance(inner, Mapping) else options


class SoftAuthenticator:
    """A passkey provider for tests: answers CredentialCreationOptions and
    CredentialRequestOptions (their JSON objects, base64url strings) the way a browser with a
    platform authenticator would, with discoverable ES256 (P-256) credentials, attestation
    ``none``, and the user present (UP) and, unless told otherwise, verified (UV).

    Example::

        authenticator = SoftAuthenticator(origin="http://localhost")
        options = client.start_web_authn_registration(AccessToken=token)
        credential = authenticator.create(options["CredentialCreationOptions"])
        client.complete_web_authn_registration(AccessToken=token, Credential=credential)
        ...
        request = json.loads(step["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
        answer = json.dumps(authenticator.get(request))

    :param origin: the origin of the page the "browser" reports in ``clientDataJSON``.
    :param user_verified: set the UV flag (the user gave a PIN or biometrics); False plays an
        authenticator that only checks presence.
    """

    def __init__(self, origin: str = "http://localhost", *, user_verified: bool = True) -> None:
        self.origin = origin
        self.user_verified = user_verified
        self._credentials: list[_Credential] = []

    def __repr__(self) -> str:
        return f"SoftAuthenticator(origin={self.origin!r}, credentials={len(self._credentials)})"

    @property
    def credential_ids(self) -> list[str]:
        """The ids (base64url) of the credentials it holds, oldest first."""
        return [websafe_encode(c.credential_id) for c in self._credentials]

    def _rp_id(self, given: str | None) -> str:
        # WebAuthn: without rp.id / rpId, the RP ID is the origin's effective domain.
        if given:
            return given
        host = urlsplit(self.origin).hostname
        if not host:
            raise ValueError("the options name no relying party and the origin has no host")
        return host

    def _flags(self) -> AuthenticatorData.FLAG:
        flags = AuthenticatorData.FLAG.UP
        if self.user_verified:
            flags |= AuthenticatorData.FLAG.UV
        return flags

    def create(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """Make a new credential, as ``navigator.credentials.create()``.

        :param options: a CredentialCreationOptions JSON object, as StartWebAuthnRegistration's
            ``CredentialCreationOptions`` (or wrapped as ``{"publicKey": ...}``).
        :returns: a RegistrationResponseJSON dict (W3C WebAuthn Level 3): ``id``, ``rawId``,
            ``type``, ``response`` (``clientDataJSON``, ``attestationObject``, ``transports``,
            ``publicKeyAlgorithm``, ``publicKey``, ``authenticatorData``),
            ``authenticatorAttachment`` ``"platform"`` and ``clientExtensionResults``.
        :raises ValueError: for options that are not CredentialCreationOptions, or that do
            not offer ES256.
        """
        try:
            parsed = PublicKeyCredentialCreationOptions.from_dict(_public_key_options(options))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not CredentialCreationOptions JSON: {exc}") from None
        if not any(p.alg == _ES256 for p in parsed.pub_key_cred_params):
            raise ValueError("the options do not offer ES256, the only algorithm it has")
        rp_id = self._rp_id(parsed.rp.id)
        key = ec.generate_private_key(ec.SECP256R1())
        credential = _Credential(secrets.token_bytes(32), rp_id, bytes(parsed.user.id), key)
        # fido2 leaves from_cryptography_key unannotated; it returns an ES256 (a CoseKey).
        cose_key = ES256.from_cryptography_key(key.public_key())  # type: ignore[no-untyped-call]
        attested = AttestedCredentialData.create(Aaguid.NONE, credential.credential_id, cose_key)
        auth_data = AuthenticatorData.create(
            hashlib.sha256(rp_id.encode()).digest(),
            self._flags() | AuthenticatorData.FLAG.AT,
            credential.counter,
            attested,
        )
        client_data = CollectedClientData.create(
            CollectedClientData.TYPE.CREATE, parsed.challenge, self.origin
        )
        response = RegistrationResponse(
            raw_id=credential.credential_id,
            response=AuthenticatorAttestationResponse(
                client_data=client_data,
                attestation_object=AttestationObject.create("none", auth_data, {}),
            ),
            authenticator_attachment=AuthenticatorAttachment.PLATFORM,
        )
        self._credentials.append(credential)
        document = dict(response)
        public_key = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        # The Level 3 members a browser adds, which fido2's response type leaves out.
        document["response"] = {
            **dict(document["response"]),
            "transports": ["internal"],
            "publicKeyAlgorithm": _ES256,
            "publicKey": websafe_encode(public_key),
            "authenticatorData": websafe_encode(auth_data),
        }
        return json.loads(json.dumps(document))  # type: ignore[no-any-return]

    def get(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """Sign in with a credential it holds, as ``navigator.credentials.get()``.

        The credential is the newest one for the options' ``rpId`` among
        ``allowCredentials`` (any of that relying party's when the list is empty); its counter
        goes up by one.

        :param options: a CredentialRequestOptions JSON object, as the WEB_AUTHN challenge's
            ``CREDENTIAL_REQUEST_OPTIONS`` once parsed (or wrapped as ``{"publicKey": ...}``).
        :returns: an AuthenticationResponseJSON dict: ``id``, ``rawId``, ``type``,
            ``response`` (``clientDataJSON``, ``authenticatorData``, ``signature``,
            ``userHandle``), ``authenticatorAttachment``, ``clientExtensionResults``.
        :raises ValueError: for options that are not CredentialRequestOptions, or when it
            holds no credential they allow.
        """
        try:
            parsed = PublicKeyCredentialRequestOptions.from_dict(_public_key_options(options))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not CredentialRequestOptions JSON: {exc}") from None
        rp_id = self._rp_id(parsed.rp_id)
        allowed = {bytes(d.id) for d in parsed.allow_credentials or []}
        candidates = [
            c
            for c in self._credentials
            if c.rp_id == rp_id and (not allowed or c.credential_id in allowed)
        ]
        if not candidates:
            raise ValueError(
                f"this authenticator holds no credential for {rp_id} that the options allow"
            )
        credential = candidates[-1]
        credential.counter += 1
        auth_data = AuthenticatorData.create(
            hashlib.sha256(rp_id.encode()).digest(), self._flags(), credential.counter
        )
        client_data = CollectedClientData.create(
            CollectedClientData.TYPE.GET, parsed.challenge, self.origin
        )
        signature = credential.private_key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        response = AuthenticationResponse(
            raw_id=credential.credential_id,
            response=AuthenticatorAssertionResponse(
                client_data=client_data,
                authenticator_data=auth_data,
                signature=signature,
                user_handle=credential.user_handle,
            ),
            authenticator_attachment=AuthenticatorAttachment.PLATFORM,
        )
        return json.loads(json.dumps(dict(response)))  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """Its credentials (private keys included: keep the text as a secret), origin and
        user-verification flag as JSON text, for :meth:`from_json` in another process."""
        return json.dumps(
            {
                "format": _FORMAT,
                "version": _VERSION,
                "origin": self.origin,
                "user_verified": self.user_verified,
                "credentials": [c.to_json() for c in self._credentials],
            }
        )

    @classmethod
    def from_json(cls, text: str) -> SoftAuthenticator:
        """The authenticator :meth:`to_json` wrote.

        :raises ValueError: for text that is not such a document.
        """
        try:
            data = json.loads(text)
        except ValueError:
            raise ValueError("not a SoftAuthenticator document: not JSON") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f'not a SoftAuthenticator document: no "format": "{_FORMAT}"')
        if data.get("version") != _VERSION:
            raise ValueError(f"a SoftAuthenticator document of a version other than {_VERSION}")
        try:
            authenticator = cls(str(data["origin"]), user_verified=bool(data["user_verified"]))
            authenticator._credentials = [_Credential.from_json(c) for c in data["credentials"]]
        except (KeyError, TypeError, ValueError) as exc:
            # The kind of problem only: the document holds private keys.
            raise ValueError(
                f"a malformed SoftAuthenticator document ({type(exc).__name__})"
            ) from None
        return authenticator
