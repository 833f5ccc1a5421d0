"""Passkeys (WebAuthn): register one for the signed-in user (StartWebAuthnRegistration, then
CompleteWebAuthnRegistration with what the browser made), list and delete them, and answer
the ``WEB_AUTHN`` sign-in challenge with the browser's assertion.

The library never acts as an authenticator: it carries the JSON between the browser
(``navigator.credentials.create``/``get``) and Cognito, checked against the shapes of W3C
WebAuthn Level 3 (``RegistrationResponseJSON``, ``AuthenticationResponseJSON``, section 5.1)
before any request, so that a page's mistake is an ``InvalidParameterError`` that names the
member, not a refusal from Cognito. docs/passwordless.md shows the ceremony.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .. import _validate as v
from .._errors import InvalidParameterError, UnexpectedResponseError
from .._types import Challenge, Passkey, Tokens
from ._base import FlowBase, UserAuth
from ._blocking import blocking
from ._registry import flow

__all__ = ["PasskeysBlocking", "PasskeysFlows", "credential_json"]

# WebAuthn L3 5.1: the binary members of the JSON forms are Base64URLString, base64url
# without padding (RFC 4648 section 5); padding is tolerated, as browsers' decoders do.
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}", re.ASCII)
# The members each form must carry in ``response`` (AuthenticatorAttestationResponseJSON,
# AuthenticatorAssertionResponseJSON); ``userHandle`` and the rest are optional.
_RESPONSE_MEMBERS = {
    "registration": ("clientDataJSON", "attestationObject"),
    "assertion": ("clientDataJSON", "authenticatorData", "signature"),
}
# DeleteWebAuthnCredential's CredentialId (StringType): at most 131072 characters.
_MAX_CREDENTIAL_ID = 131072


def credential_json(value: object, field: str, form: str) -> dict[str, Any]:
    """A browser's ``PublicKeyCredential`` in JSON form (``credential.toJSON()``, or the JSON
    text of it), checked: ``form`` is ``registration`` or ``assertion``.

    :returns: a new dict of JSON values, the caller's object left untouched.
    :raises InvalidParameterError: not JSON, not an object, or a required member missing
        or of the wrong kind (the message names the member, never its value).
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InvalidParameterError(f"{field} is not JSON text", field=field) from None
    if not isinstance(value, Mapping):
        raise InvalidParameterError(
            f"{field} must be the browser's credential as a JSON object (credential.toJSON())",
            field=field,
        )
    try:
        # A copy made of JSON values only: what Cognito receives is what was checked.
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{field} holds values JSON cannot carry", field=field
        ) from None
    copy: dict[str, Any] = json.loads(text)
    if copy.get("type") != "public-key":
        raise InvalidParameterError(f'{field}.type must be "public-key"', field=field)
    for member in ("id", "rawId"):
        _base64url(copy.get(member), f"{field}.{member}", field)
    response = copy.get("response")
    if not isinstance(response, dict):
        raise InvalidParameterError(f"{field}.response must be an object", field=field)
    for member in _RESPONSE_MEMBERS[form]:
        _base64url(response.get(member), f"{field}.response.{member}", field)
    handle = response.get("userHandle")
    if handle is not None:
        _base64url(handle, f"{field}.response.userHandle", field)
    extensions = copy.get("clientExtensionResults")
    if extensions is not None and not isinstance(extensions, dict):
        raise InvalidParameterError(
            f"{field}.clientExtensionResults must be an object", field=field
        )
    attachment = copy.get("authenticatorAttachment")
    if attachment is not None and not isinstance(attachment, str):
        raise InvalidParameterError(
            f"{field}.authenticatorAttachment must be a string", field=field
        )
    return copy


def _base64url(value: object, member: str, field: str) -> None:
    if not isinstance(value, str) or not _BASE64URL.fullmatch(value):
        raise InvalidParameterError(f"{member} must be a base64url string", field=field)


def _credential_id(value: object) -> str:
    field = "credential_id"
    if not isinstance(value, str) or not value:
        raise InvalidParameterError(f"{field} must be a non-empty string", field=field)
    if len(value) > _MAX_CREDENTIAL_ID or not _BASE64URL.fullmatch(value):
        raise InvalidParameterError(
            f"{field} must be a passkey's id (base64url, as list_web_authn_credentials gives it)",
            field=field,
        )
    return value


def passkey_from_aws(raw: object) -> Passkey:
    """A ``Passkey`` from botocore's ``WebAuthnCredentialDescription``."""
    if not isinstance(raw, Mapping):
        raise UnexpectedResponseError("Cognito described a passkey that is not an object")
    credential_id = raw.get("CredentialId")
    rp = raw.get("RelyingPartyId")
    if not isinstance(credential_id, str) or not credential_id or not isinstance(rp, str):
        raise UnexpectedResponseError("Cognito described a passkey without its id")
    created = raw.get("CreatedAt")
    if isinstance(created, (int, float)) and math.isfinite(created):
        created = datetime.fromtimestamp(created).astimezone()
    name = raw.get("FriendlyCredentialName")
    attachment = raw.get("AuthenticatorAttachment")
    return Passkey(
        credential_id=credential_id,
        relying_party_id=rp,
        created=created if isinstance(created, datetime) else None,
        friendly_name=name if isinstance(name, str) and name else None,
        attachment=attachment if isinstance(attachment, str) and attachment else None,
        transports=tuple(str(t) for t in raw.get("AuthenticatorTransports") or ()),
    )


class PasskeysFlows(FlowBase):
    """start/complete_web_authn_registration, list/delete_web_authn_credential(s),
    login_web_authn."""

    @flow
    async def start_web_authn_registration(self, *, auth: UserAuth) -> dict[str, Any]:
        """Begin registering a passkey for the signed-in user (StartWebAuthnRegistration).

        :returns: Cognito's ``CredentialCreationOptions``, a new dict: the
            ``PublicKeyCredentialCreationOptionsJSON`` to hand to the page, which passes it
            to ``PublicKeyCredential.parseCreationOptionsFromJSON`` and
            ``navigator.credentials.create``. Starting again replaces it.
        :raises WebAuthnNotEnabledError: the pool does not offer passkeys.
        :raises WebAuthnConfigurationMissingError: the pool has no relying party.
        """
        token = await self._access_token(auth)
        response = await self._call("StartWebAuthnRegistration", AccessToken=token)
        options = response.get("CredentialCreationOptions")
        if not isinstance(options, dict):
            raise UnexpectedResponseError(
                "Cognito answered StartWebAuthnRegistration without creation options"
            )
        return dict(options)

    @flow
    async def complete_web_authn_registration(
        self, *, auth: UserAuth, credential: Mapping[str, Any] | str
    ) -> None:
        """Register the passkey the browser made (CompleteWebAuthnRegistration).

        :param credential: what ``navigator.credentials.create`` returned, as JSON
            (``credential.toJSON()``: a ``RegistrationResponseJSON``), an object or its text.
        :raises WebAuthnChallengeNotFoundError: no registration waits (start again).
        :raises WebAuthnOriginNotAllowedError: the page is not on the pool's domain.
        :raises WebAuthnRelyingPartyMismatchError: made for another relying party.
        """
        document = credential_json(credential, "credential", "registration")
        token = await self._access_token(auth)
        await self._call("CompleteWebAuthnRegistration", AccessToken=token, Credential=document)

    @flow
    async def list_web_authn_credentials(
        self, *, auth: UserAuth, limit: int | None = None
    ) -> tuple[Passkey, ...]:
        """Every passkey of the signed-in user (ListWebAuthnCredentials, all pages).

        :param limit: passkeys per request (AWS's ``MaxResults``, 1 to 20); every page is
            read whatever its value.
        """
        page = {}
        if limit is not None:
            page["MaxResults"] = v.page_size(limit, "limit", "ListWebAuthnCredentials")
        token = await self._access_token(auth)
        raw = await self._every_page(
            "ListWebAuthnCredentials", "Credentials", "NextToken", AccessToken=token, **page
        )
        return tuple(passkey_from_aws(passkey) for passkey in raw)

    @flow
    async def delete_web_authn_credential(self, *, auth: UserAuth, credential_id: str) -> None:
        """Delete one of the signed-in user's passkeys (DeleteWebAuthnCredential).

        :param credential_id: ``Passkey.credential_id``, from ``list_web_authn_credentials``.
        :raises ResourceNotFoundError: the user has no such passkey.
        """
        credential_id = _credential_id(credential_id)
        token = await self._access_token(auth)
        await self._call("DeleteWebAuthnCredential", AccessToken=token, CredentialId=credential_id)

    @flow
    async def login_web_authn(
        self, *, username: str, login_session: str | Challenge, credential: Mapping[str, Any] | str
    ) -> Tokens | Challenge:
        """Answer the ``WEB_AUTHN`` challenge with the browser's assertion
        (RespondToAuthChallenge).

        :param login_session: the ``WEB_AUTHN`` challenge that ``user_auth`` (with
            ``preferred_challenge="WEB_AUTHN"``) or ``select_challenge`` returned; its
            ``credential_request_options`` go to ``navigator.credentials.get``.
        :param credential: what ``navigator.credentials.get`` returned, as JSON
            (``credential.toJSON()``: an ``AuthenticationResponseJSON``), an object or its text.
        :returns: ``Tokens``, or the next ``Challenge``.
        :raises NotAuthorizedError: Cognito did not accept the assertion.
        """
        username = v.username(username)
        document = credential_json(credential, "credential", "assertion")
        session, name, internal = self._resume(username, login_session, "WEB_AUTHN")
        if name != "WEB_AUTHN":
            raise InvalidParameterError(
                f"login_session waits for {name}, not for a passkey", field="login_session"
            )
        answers = {
            "USERNAME": internal,
            "CREDENTIAL": json.dumps(document, separators=(",", ":")),
        }
        return await self._answer(name, session, internal, answers)


class PasskeysBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    start_web_authn_registration = blocking(PasskeysFlows.start_web_authn_registration)
    complete_web_authn_registration = blocking(PasskeysFlows.complete_web_authn_registration)
    list_web_authn_credentials = blocking(PasskeysFlows.list_web_authn_credentials)
    delete_web_authn_credential = blocking(PasskeysFlows.delete_web_authn_credential)
    login_web_authn = blocking(PasskeysFlows.login_web_authn)
