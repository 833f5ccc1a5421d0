"""Passkeys end to end against the strict local Cognito, on the three surfaces: a passkey
registered (the local package's software authenticator plays the browser; py_webauthn
verifies in the server), listed, used to sign in through USER_AUTH and SELECT_CHALLENGE, a
tampered assertion refused, deleted; and the JSON carried as the browser gives it."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from cognito_user_pool import (
    CallbackUserPool,
    Challenge,
    NotAuthorizedError,
    Passkey,
    ResourceNotFoundError,
    Tokens,
    UserPool,
    WebAuthnChallengeNotFoundError,
    WebAuthnError,
    WebAuthnNotEnabledError,
    WebAuthnOriginNotAllowedError,
)
from cognito_user_pool.local import LocalPool, SoftAuthenticator

from ..shims._helpers import failed, ok

pytestmark = pytest.mark.anyio

PASSWORD = "Passw0rd!passkey"
ORIGIN = "http://localhost"
PASSKEY_POOL = pytest.mark.local_cognito(first_auth_factors=("PASSWORD", "WEB_AUTHN"))


def _tampered(assertion: dict[str, Any], member: str = "signature") -> dict[str, Any]:
    """The assertion with the last bit of one of its response's members flipped."""
    response = dict(assertion["response"])
    raw = bytearray(base64.urlsafe_b64decode(response[member] + "=="))
    raw[-1] ^= 1
    response[member] = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return {**assertion, "response": response}


async def _register(pool: Any, tokens: Tokens, authenticator: SoftAuthenticator) -> str:
    options = await pool.start_web_authn_registration(auth=tokens)
    assert options["rp"]["id"] == "localhost"
    credential = authenticator.create(options)
    await pool.complete_web_authn_registration(auth=tokens, credential=credential)
    return str(credential["id"])


@PASSKEY_POOL
async def test_a_passkey_registers_signs_in_and_a_tampered_one_is_refused(
    local_cognito: LocalPool,
) -> None:
    local_cognito.create_user("ann", PASSWORD)
    authenticator = SoftAuthenticator(origin=ORIGIN)
    async with local_cognito.pool() as pool:
        tokens = await pool.login(username="ann", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        credential_id = await _register(pool, tokens, authenticator)
        listed = await pool.list_web_authn_credentials(auth=tokens)
        assert [p.credential_id for p in listed] == [credential_id]
        assert isinstance(listed[0], Passkey) and listed[0].relying_party_id == "localhost"
        assert "WEB_AUTHN" in (await pool.get_user_auth_factors(auth=tokens)).configured

        for member in ("signature", "authenticatorData", "clientDataJSON"):
            challenge = await pool.user_auth(username="ann", preferred_challenge="WEB_AUTHN")
            assert isinstance(challenge, Challenge) and challenge.name == "WEB_AUTHN"
            options = challenge.credential_request_options
            assert options is not None and options["rpId"] == "localhost"
            with pytest.raises(NotAuthorizedError):
                await pool.login_web_authn(
                    username="ann",
                    login_session=challenge,
                    credential=_tampered(authenticator.get(options), member),
                )

        challenge = await pool.user_auth(username="ann", preferred_challenge="WEB_AUTHN")
        assert isinstance(challenge, Challenge)
        assert challenge.credential_request_options is not None
        assertion = authenticator.get(challenge.credential_request_options)
        signed_in = await pool.login_web_authn(
            username="ann", login_session=challenge, credential=json.dumps(assertion)
        )
        assert isinstance(signed_in, Tokens)
        assert (await pool.profile(auth=signed_in)).username == "ann"
        with pytest.raises(NotAuthorizedError):  # the same assertion, the session used up
            await pool.login_web_authn(
                username="ann", login_session=challenge, credential=assertion
            )

        await pool.delete_web_authn_credential(auth=tokens, credential_id=credential_id)
        assert await pool.list_web_authn_credentials(auth=tokens) == ()
        with pytest.raises(ResourceNotFoundError):
            await pool.delete_web_authn_credential(auth=tokens, credential_id=credential_id)
        # Without a passkey, WEB_AUTHN cannot be used: Cognito offers the choice instead.
        choice = await pool.user_auth(username="ann", preferred_challenge="WEB_AUTHN")
        assert isinstance(choice, Challenge) and choice.name == "SELECT_CHALLENGE"
        assert "WEB_AUTHN" not in choice.available


@PASSKEY_POOL
async def test_select_challenge_offers_the_passkey(local_cognito: LocalPool) -> None:
    local_cognito.create_user("bob", PASSWORD)
    authenticator = SoftAuthenticator(origin=ORIGIN)
    async with local_cognito.pool() as pool:
        tokens = await pool.login(username="bob", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        await _register(pool, tokens, authenticator)
        choice = await pool.user_auth(username="bob")
        assert isinstance(choice, Challenge) and "WEB_AUTHN" in choice.available
        challenge = await pool.select_challenge(
            username="bob", login_session=choice, answer="WEB_AUTHN"
        )
        assert isinstance(challenge, Challenge) and challenge.name == "WEB_AUTHN"
        assert challenge.credential_request_options is not None
        assertion = authenticator.get(challenge.credential_request_options)
        tokens = await pool.login_web_authn(
            username="bob", login_session=challenge, credential=assertion
        )
        assert isinstance(tokens, Tokens)


@PASSKEY_POOL
async def test_registration_refusals(local_cognito: LocalPool) -> None:
    """A page on another origin, and a registration replaced by a newer one, are refused
    with AWS's codes, each a WebAuthnError."""
    local_cognito.create_user("cat", PASSWORD)
    async with local_cognito.pool() as pool:
        tokens = await pool.login(username="cat", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        options = await pool.start_web_authn_registration(auth=tokens)
        elsewhere = SoftAuthenticator(origin="https://evil.example").create(options)
        with pytest.raises(WebAuthnOriginNotAllowedError) as origin:
            await pool.complete_web_authn_registration(auth=tokens, credential=elsewhere)
        assert isinstance(origin.value, WebAuthnError)
        stale = SoftAuthenticator(origin=ORIGIN).create(options)
        await pool.start_web_authn_registration(auth=tokens)  # replaces the first
        with pytest.raises(WebAuthnChallengeNotFoundError):
            await pool.complete_web_authn_registration(auth=tokens, credential=stale)
        assert await pool.list_web_authn_credentials(auth=tokens) == ()


async def test_a_pool_without_passkeys_refuses_to_register(local_cognito: LocalPool) -> None:
    local_cognito.create_user("dan", PASSWORD)
    async with local_cognito.pool() as pool:
        tokens = await pool.login(username="dan", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        with pytest.raises(WebAuthnNotEnabledError):
            await pool.start_web_authn_registration(auth=tokens)


@PASSKEY_POOL
def test_the_blocking_pool_registers_and_signs_in(local_cognito: LocalPool) -> None:
    local_cognito.create_user("eve", PASSWORD)
    authenticator = SoftAuthenticator(origin=ORIGIN)
    with UserPool(
        local_cognito.user_pool_id, local_cognito.client_id, endpoint_url=local_cognito.endpoint_url
    ) as pool:
        tokens = pool.login(username="eve", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        options = pool.start_web_authn_registration(auth=tokens)
        pool.complete_web_authn_registration(auth=tokens, credential=authenticator.create(options))
        (passkey,) = pool.list_web_authn_credentials(auth=tokens, limit=1)
        challenge = pool.user_auth(username="eve", preferred_challenge="WEB_AUTHN")
        assert isinstance(challenge, Challenge)
        assert challenge.credential_request_options is not None
        assertion = authenticator.get(challenge.credential_request_options)
        with pytest.raises(NotAuthorizedError):
            pool.login_web_authn(
                username="eve", login_session=challenge, credential=_tampered(assertion)
            )
        challenge = pool.user_auth(username="eve", preferred_challenge="WEB_AUTHN")
        assert isinstance(challenge, Challenge)
        assert challenge.credential_request_options is not None
        signed_in = pool.login_web_authn(
            username="eve",
            login_session=challenge,
            credential=authenticator.get(challenge.credential_request_options),
        )
        assert isinstance(signed_in, Tokens)
        pool.delete_web_authn_credential(auth=tokens, credential_id=passkey.credential_id)


@PASSKEY_POOL
def test_the_callback_pool_registers_and_signs_in(local_cognito: LocalPool) -> None:
    local_cognito.create_user("fay", PASSWORD)
    authenticator = SoftAuthenticator(origin=ORIGIN)
    wrapper = CallbackUserPool(
        {
            "UserPoolId": local_cognito.user_pool_id,
            "ClientId": local_cognito.client_id,
            "endpoint": local_cognito.endpoint_url,
        }
    )
    try:
        tokens = ok(wrapper.login, {"username": "fay", "password": PASSWORD})
        signed = {"username": "fay", "accessToken": tokens["accessToken"]}
        options = ok(wrapper.startWebAuthnRegistration, signed)
        credential = authenticator.create(options)
        assert ok(wrapper.completeWebAuthnRegistration, {**signed, "credential": credential}) == (
            "SUCCESS"
        )
        (listed,) = ok(wrapper.listWebAuthnCredentials, signed)
        assert listed["credentialId"] == credential["id"]
        step = ok(wrapper.userAuth, {"username": "fay", "preferredChallenge": "WEB_AUTHN"})
        assert step["nextStep"] == "WEB_AUTHN"
        assertion = authenticator.get(step["credentialRequestOptions"])
        err = failed(
            wrapper.loginWebAuthn,
            {
                "username": "fay",
                "loginSession": step["loginSession"],
                "credential": _tampered(assertion),
            },
        )
        assert err.code == "NotAuthorizedException"
        step = ok(wrapper.userAuth, {"username": "fay", "preferredChallenge": "WEB_AUTHN"})
        assertion = authenticator.get(step["credentialRequestOptions"])
        done = ok(
            wrapper.loginWebAuthn,
            {"username": "fay", "loginSession": step["loginSession"], "credential": assertion},
        )
        assert done["accessToken"]
        assert (
            ok(wrapper.deleteWebAuthnCredential, {**signed, "credentialId": credential["id"]})
            == "SUCCESS"
        )
        err = failed(wrapper.deleteWebAuthnCredential, {**signed, "credentialId": credential["id"]})
        assert err.code == "ResourceNotFoundException"
    finally:
        wrapper.close()
