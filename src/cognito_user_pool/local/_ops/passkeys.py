"""Passkeys: StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials
and DeleteWebAuthnCredential, each for the user of an access token
(docs/cognito-facts.md#passkeys). Sign-in with a passkey is ``_user_auth``'s WEB_AUTHN.

A registration is one pending challenge per user: StartWebAuthnRegistration replaces any
earlier one, it lives :data:`_web_authn.REGISTRATION_TTL` seconds (the options' ``timeout``)
and a successful CompleteWebAuthnRegistration spends it; a failed one leaves it, so the
page can try again. The messages of the refusals are local guesses (AWS does not publish
them); the codes are the ones botocore's model lists for each operation.
"""

from __future__ import annotations

from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState
from .._user_state import Passkey, PendingPasskey, UserState
from ._common import authenticate, require
from ._paging import limit, page
from ._registry import Params, Result, operation
from ._sign_in_policy import allowed_first_factors
from ._web_authn import (
    MAX_PASSKEYS,
    REGISTRATION_TTL,
    registration_options,
    usable_passkeys,
    verify_registration,
)

__all__ = [
    "complete_web_authn_registration",
    "delete_web_authn_credential",
    "list_web_authn_credentials",
    "start_web_authn_registration",
]

# A passkey's FriendlyCredentialName: "An automatically-generated friendly name" (the botocore
# model); AWS's names are not documented, so every passkey here gets this plain one.
DEFAULT_NAME = "Passkey"


def _enabled(st: StrictState, params: Params) -> tuple[mi.MotoPool, mi.MotoUser, UserState, str]:
    """The access token's pool, user, the user's state and app client; WEB_AUTHN must be one
    of the pool's ``AllowedFirstAuthFactors``."""
    pool, user, claims = authenticate(st, params.get("AccessToken"))
    if "WEB_AUTHN" not in allowed_first_factors(pool):
        raise ServiceError(
            "WebAuthnNotEnabledException", "Passkeys are not enabled for this user pool."
        )
    return pool, user, st.user_state(pool, user), str(claims.get("client_id", ""))


def _sign_in_name(pool: mi.MotoPool, user: mi.MotoUser) -> str:
    """The name a user knows themselves by: the e-mail or phone number in pools that sign in
    with one (where the username is a uuid), else the username."""
    for attribute in pool.config.get("UsernameAttributes") or []:
        value = user.attributes.get(str(attribute))
        if value:
            return value
    return user.username


@operation("StartWebAuthnRegistration")
def start_web_authn_registration(st: StrictState, params: Params) -> Result:
    """StartWebAuthnRegistration: ``CredentialCreationOptions`` for the pool's relying party
    (rp name: the pool's name), the user (``id``: the user handle, ``name`` and
    ``displayName``: the sign-in name), a fresh challenge, the user's passkeys excluded.

    A user who has :data:`_web_authn.MAX_PASSKEYS` already is refused here, before an
    authenticator makes a key that could not be registered: LimitExceededException.
    """
    pool, user, state, client_id = _enabled(st, params)
    if len(state.passkeys) >= MAX_PASSKEYS:
        raise ServiceError(
            "LimitExceededException",
            f"The user has the maximum number of passkeys ({MAX_PASSKEYS}).",
        )
    # The pool's name, one of the attributes check_internals() checks (_POOL_ATTRS).
    pool_name = str(pool.raw.name)
    name = _sign_in_name(pool, user)
    options, challenge = registration_options(
        pool_name, user, name, st.web_authn_settings(pool.id), usable_passkeys(st, pool, user)
    )
    state.pending_passkey = PendingPasskey(
        challenge=challenge, client_id=client_id, expires_at=st.clock() + REGISTRATION_TTL
    )
    return {"CredentialCreationOptions": options}


@operation("CompleteWebAuthnRegistration")
def complete_web_authn_registration(st: StrictState, params: Params) -> Result:
    """CompleteWebAuthnRegistration: the ``Credential`` (RegistrationResponseJSON) verified
    against the pending registration (``_web_authn.verify_registration``), then kept.

    No pending registration, or an expired or spent one: WebAuthnChallengeNotFoundException
    ("the challenge from StartWebAuthn registration has expired", the botocore model). An
    access token of another app client than the one that started it:
    WebAuthnClientMismatchException (its description in the botocore model). A credential id
    already registered in the pool: InvalidParameterException (WebAuthn's registration step
    "Verify that the credentialId is not yet registered").
    """
    pool, _, state, client_id = _enabled(st, params)
    credential = require(params, "Credential")
    pending = state.pending_passkey
    if pending is None or pending.expires_at <= st.clock():
        state.pending_passkey = None
        raise ServiceError(
            "WebAuthnChallengeNotFoundException", "The registration challenge was not found."
        )
    if pending.client_id != client_id:
        raise ServiceError(
            "WebAuthnClientMismatchException",
            "The access token is not from the app client that started the registration.",
        )
    settings = st.web_authn_settings(pool.id)
    new = verify_registration(credential, pending, settings)
    taken = any(
        p.credential_id == new.credential_id
        for key, other in st.users.items()
        if key[0] == pool.id
        for p in other.passkeys
    )
    if taken:
        raise ServiceError("InvalidParameterException", "The credential is already registered.")
    state.pending_passkey = None
    state.passkeys.append(
        Passkey(
            credential_id=new.credential_id,
            public_key=new.public_key,
            sign_count=new.sign_count,
            relying_party_id=settings.relying_party_id,
            name=DEFAULT_NAME,
            transports=new.transports,
            attachment=new.attachment,
            created=st.clock(),
        )
    )
    return {}


def _description(passkey: Passkey) -> Result:
    """A passkey as WebAuthnCredentialDescription."""
    described: Result = {
        "CredentialId": passkey.credential_id,
        "FriendlyCredentialName": passkey.name,
        "RelyingPartyId": passkey.relying_party_id,
        "AuthenticatorTransports": list(passkey.transports),
        "CreatedAt": passkey.created,
    }
    if passkey.attachment is not None:
        described["AuthenticatorAttachment"] = passkey.attachment
    return described


def _order(passkey: Passkey) -> str:
    # Registration order; the credential id makes the key unique (two in one clock tick).
    return f"{passkey.created:020.6f}|{passkey.credential_id}"


@operation("ListWebAuthnCredentials")
def list_web_authn_credentials(st: StrictState, params: Params) -> Result:
    """ListWebAuthnCredentials: the user's passkeys, oldest first; ``MaxResults`` 0 to 20
    (the botocore model; 0 or absent: 20), ``NextToken`` as the other local listings
    (``_paging``: tokens tied to the user, right while passkeys come and go)."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    size = limit(params, "MaxResults", maximum=MAX_PASSKEYS)
    passkeys = st.user_state(pool, user).passkeys
    scope = f"ListWebAuthnCredentials|{pool.id}|{user.username}"
    chunk, token = page(passkeys, _order, params.get("NextToken"), size, scope)
    result: Result = {"Credentials": [_description(p) for p in chunk]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("DeleteWebAuthnCredential")
def delete_web_authn_credential(st: StrictState, params: Params) -> Result:
    """DeleteWebAuthnCredential: forget one of the user's passkeys; a credential id the user
    does not have is ResourceNotFoundException (the botocore model lists it)."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    credential_id = require(params, "CredentialId")
    state = st.user_state(pool, user)
    kept = [p for p in state.passkeys if p.credential_id != credential_id]
    if len(kept) == len(state.passkeys):
        raise ServiceError("ResourceNotFoundException", "The passkey credential was not found.")
    state.passkeys = kept
    return {}
