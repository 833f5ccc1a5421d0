"""Passkeys on the strict server, with plain boto3 and the software authenticator: registration
(StartWebAuthnRegistration, CompleteWebAuthnRegistration), ListWebAuthnCredentials,
DeleteWebAuthnCredential, sign-in with USER_AUTH's WEB_AUTHN (preferred, or chosen in
SELECT_CHALLENGE), the pool's WebAuthnConfiguration, and each refusal, proved by a request AWS
would refuse (a tampered signature, challenge, origin or relying party, a replay, another
user's credential, ...)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import ed25519
from fido2.cose import EdDSA
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from cognito_user_pool.local import LocalCognito, LocalPool, SoftAuthenticator

from ._srp_client import secret_hash
from .conftest import PASSWORD, error_code, error_message, password_login, public_client

PASSKEYS = ("PASSWORD", "WEB_AUTHN")
SESSION_USED = "Invalid session for the user, session can only be used once."


@pytest.fixture
def local(make_pool: Any) -> LocalPool:
    """A pool that allows passkeys first, with alice (password only, for now)."""
    pool: LocalPool = make_pool(first_auth_factors=PASSKEYS)
    pool.create_user("alice", PASSWORD)
    return pool


def _refused(call: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_code(excinfo), error_message(excinfo)


def _token(public: Any, local: LocalPool, username: str = "alice") -> str:
    return str(password_login(public, local, username)["AuthenticationResult"]["AccessToken"])


def _options(public: Any, token: str) -> dict[str, Any]:
    return dict(public.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"])


def _complete(public: Any, token: str, credential: Any) -> Any:
    return public.complete_web_authn_registration(AccessToken=token, Credential=credential)


def _register(public: Any, token: str, authenticator: SoftAuthenticator) -> str:
    """A whole registration; returns the new credential's id."""
    credential = authenticator.create(_options(public, token))
    _complete(public, token, credential)
    return str(credential["id"])


def _start(public: Any, local: LocalPool, username: str = "alice", **auth: str) -> Any:
    params = {"USERNAME": username, **auth}
    if local.client_secret:
        params["SECRET_HASH"] = secret_hash(local.client_secret, username, local.client_id)
    return public.initiate_auth(
        ClientId=local.client_id, AuthFlow="USER_AUTH", AuthParameters=params
    )


def _respond(
    public: Any, local: LocalPool, step: Any, username: str = "alice", **answers: Any
) -> Any:
    responses = {"USERNAME": username, **answers}
    if local.client_secret:
        responses["SECRET_HASH"] = secret_hash(local.client_secret, username, local.client_id)
    return public.respond_to_auth_challenge(
        ClientId=local.client_id,
        ChallengeName=step["ChallengeName"],
        Session=step["Session"],
        ChallengeResponses=responses,
    )


def _request(step: Any) -> dict[str, Any]:
    assert step["ChallengeName"] == "WEB_AUTHN"
    return dict(json.loads(step["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]))


def _passkey_start(public: Any, local: LocalPool, username: str = "alice") -> Any:
    step = _start(public, local, username, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert step["ChallengeName"] == "WEB_AUTHN", step
    return step


def _answer(
    public: Any, local: LocalPool, step: Any, assertion: Any, username: str = "alice"
) -> Any:
    return _respond(public, local, step, username, CREDENTIAL=json.dumps(assertion))


def _sign_in(
    public: Any, local: LocalPool, authenticator: SoftAuthenticator, username: str = "alice"
) -> dict[str, Any]:
    step = _passkey_start(public, local, username)
    answer = _answer(public, local, step, authenticator.get(_request(step)), username)
    return dict(answer["AuthenticationResult"])


def _registered(public: Any, local: LocalPool, **options: Any) -> SoftAuthenticator:
    """alice with one passkey."""
    authenticator = SoftAuthenticator(**options)
    _register(public, _token(public, local), authenticator)
    return authenticator


# ---- tampering with what the authenticator made (fido2's constructors, no hand-made CBOR) --------


def _client_data(credential: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(websafe_decode(credential["response"]["clientDataJSON"])))


def _with_client_data(credential: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {**_client_data(credential), **changes}
    rebuilt = CollectedClientData.create(**data)
    return {**credential, "response": {**credential["response"], "clientDataJSON": rebuilt.b64}}


def _with_attestation(
    credential: dict[str, Any],
    *,
    fmt: str | None = None,
    credential_id: bytes | None = None,
    public_key: Any = None,
) -> dict[str, Any]:
    """The registration with its attestation object rebuilt: another format, credential id or
    public key ("none" attestation signs nothing, so only the checks can refuse it)."""
    attestation = AttestationObject(websafe_decode(credential["response"]["attestationObject"]))
    auth_data = attestation.auth_data
    attested = auth_data.credential_data
    assert attested is not None
    new_id = credential_id if credential_id is not None else attested.credential_id
    rebuilt = AuthenticatorData.create(
        auth_data.rp_id_hash,
        auth_data.flags,
        auth_data.counter,
        AttestedCredentialData.create(
            attested.aaguid, new_id, public_key if public_key is not None else attested.public_key
        ),
    )
    encoded = websafe_encode(AttestationObject.create(fmt or attestation.fmt, rebuilt, {}))
    return {
        **credential,
        "id": websafe_encode(new_id),
        "rawId": websafe_encode(new_id),
        "response": {**credential["response"], "attestationObject": encoded},
    }


def _flip(value: str, index: int = -1) -> str:
    raw = bytearray(websafe_decode(value))
    raw[index] ^= 0x01
    return websafe_encode(bytes(raw))


# ---- registration --------------------------------------------------------------------------------


def test_a_passkey_is_registered_and_signs_in(local: LocalPool, public: Any) -> None:
    """Register a passkey, then InitiateAuth USER_AUTH preferring WEB_AUTHN gives the WEB_AUTHN
    challenge, and the authenticator's answer gives tokens that work."""
    authenticator = _registered(public, local)
    step = _passkey_start(public, local)
    assert set(step["ChallengeParameters"]) == {"CREDENTIAL_REQUEST_OPTIONS"}
    request = _request(step)
    assert request["rpId"] == "localhost"
    assert [c["id"] for c in request["allowCredentials"]] == authenticator.credential_ids
    assert request["userVerification"] == "preferred"
    tokens = _answer(public, local, step, authenticator.get(request))["AuthenticationResult"]
    assert public.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"


def test_select_challenge_offers_and_answers_web_authn(local: LocalPool, public: Any) -> None:
    """Without a preference, WEB_AUTHN is among AvailableChallenges once alice has a passkey;
    ANSWER=WEB_AUTHN gives the WEB_AUTHN challenge, whose answer signs her in."""
    before = _start(public, local)
    assert before["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    authenticator = _registered(public, local)
    step = _start(public, local)
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]
    chosen = _respond(public, local, step, ANSWER="WEB_AUTHN")
    answer = _answer(public, local, chosen, authenticator.get(_request(chosen)))
    assert "AccessToken" in answer["AuthenticationResult"]


def test_a_client_secret_needs_secret_hash_in_the_answer(make_pool: Any, public: Any) -> None:
    """With a client secret, the WEB_AUTHN answer needs SECRET_HASH like every other one."""
    local = make_pool(first_auth_factors=PASSKEYS, client_secret=True)
    local.create_user("alice", PASSWORD)
    authenticator = _registered(public, local)
    step = _passkey_start(public, local)
    assertion = json.dumps(authenticator.get(_request(step)))
    unsigned = lambda: public.respond_to_auth_challenge(  # noqa: E731
        ClientId=local.client_id,
        ChallengeName="WEB_AUTHN",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "alice", "CREDENTIAL": assertion},
    )
    assert _refused(unsigned)[0] == "NotAuthorizedException"
    answer = _respond(public, local, step, CREDENTIAL=assertion)
    assert "AccessToken" in answer["AuthenticationResult"]


def test_the_creation_options(make_pool: Any, public: Any) -> None:
    """CredentialCreationOptions: the pool's relying party and name, alice's handle (her sub)
    and name, a discoverable credential with the pool's user verification, ES256 offered, the
    5-minute timeout, and her passkeys excluded."""
    local = make_pool(
        first_auth_factors=PASSKEYS,
        name="shop-users",
        web_authn_relying_party_id="example.com",
        web_authn_user_verification="required",
    )
    local.create_user("alice", PASSWORD)
    token = _token(public, local)
    sub = public.get_user(AccessToken=token)["UserAttributes"]
    sub = next(a["Value"] for a in sub if a["Name"] == "sub")
    options = _options(public, token)
    assert options["rp"] == {"id": "example.com", "name": "shop-users"}
    assert options["user"] == {
        "id": websafe_encode(sub.encode()),
        "name": "alice",
        "displayName": "alice",
    }
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]
    assert options["timeout"] == 300_000
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["excludeCredentials"] == []
    assert len(websafe_decode(options["challenge"])) >= 16
    credential_id = _register(public, token, SoftAuthenticator(origin="https://example.com"))
    again = _options(public, token)
    assert [c["id"] for c in again["excludeCredentials"]] == [credential_id]
    assert again["challenge"] != options["challenge"]


def test_an_e_mail_pool_names_the_user_by_e_mail(make_pool: Any, public: Any) -> None:
    """Where users sign in with their e-mail (the username is a uuid), the options name them by
    it."""
    local = make_pool(first_auth_factors=PASSKEYS, username_attributes=["email"])
    local.create_user("carol@example.com", PASSWORD, {"email": "carol@example.com"})
    token = _token(public, local, "carol@example.com")
    assert _options(public, token)["user"]["name"] == "carol@example.com"


def test_registration_needs_web_authn_allowed(make_pool: Any, public: Any) -> None:
    """A pool whose sign-in policy leaves WEB_AUTHN out refuses both registration steps with
    WebAuthnNotEnabledException."""
    local = make_pool()
    local.create_user("alice", PASSWORD)
    token = _token(public, local)
    refusal = ("WebAuthnNotEnabledException", "Passkeys are not enabled for this user pool.")
    assert _refused(lambda: _options(public, token)) == refusal
    assert _refused(lambda: _complete(public, token, {"id": "x"})) == refusal


def test_registration_checks_the_access_token(
    local: LocalPool, public: Any, server: LocalCognito, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The passkey operations refuse a revoked, an expired and a made-up access token, as
    every user API does."""
    local.create_user("bob", PASSWORD)
    revoked = _token(public, local)
    public.global_sign_out(AccessToken=revoked)
    assert _refused(lambda: _options(public, revoked)) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    expired = _token(public, local, "bob")
    monkeypatch.setattr(server._strict, "time_offset", 3601)
    for call in (
        lambda: _options(public, expired),
        lambda: _complete(public, expired, {"id": "x"}),
        lambda: public.list_web_authn_credentials(AccessToken=expired),
        lambda: public.delete_web_authn_credential(AccessToken=expired, CredentialId="x"),
    ):
        assert _refused(call) == ("NotAuthorizedException", "Access Token has expired")
    assert _refused(lambda: _options(public, "not-a-token"))[0] == "NotAuthorizedException"


def test_complete_needs_a_pending_start(local: LocalPool, public: Any) -> None:
    """CompleteWebAuthnRegistration with no registration under way, or once it succeeded (the
    same credential sent again): WebAuthnChallengeNotFoundException."""
    token = _token(public, local)
    authenticator = SoftAuthenticator()
    code, _ = _refused(lambda: _complete(public, token, {"id": "x"}))
    assert code == "WebAuthnChallengeNotFoundException"
    credential = authenticator.create(_options(public, token))
    _complete(public, token, credential)
    code, _ = _refused(lambda: _complete(public, token, credential))
    assert code == "WebAuthnChallengeNotFoundException"
    assert len(public.list_web_authn_credentials(AccessToken=token)["Credentials"]) == 1


def test_an_expired_registration_challenge(
    local: LocalPool, public: Any, server: LocalCognito, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registration challenge lives 5 minutes (the options' timeout)."""
    token = _token(public, local)
    credential = SoftAuthenticator().create(_options(public, token))
    monkeypatch.setattr(server._strict, "time_offset", 301)
    code, _ = _refused(lambda: _complete(public, token, credential))
    assert code == "WebAuthnChallengeNotFoundException"


def test_a_new_start_replaces_the_challenge(local: LocalPool, public: Any) -> None:
    """One registration per user at a time: a second start replaces the first challenge, whose
    credential is then refused; a failed completion leaves the current one usable."""
    token = _token(public, local)
    authenticator = SoftAuthenticator()
    first = authenticator.create(_options(public, token))
    second = authenticator.create(_options(public, token))
    assert _refused(lambda: _complete(public, token, first))[0] == (
        "WebAuthnChallengeNotFoundException"
    )
    _complete(public, token, second)
    listed = public.list_web_authn_credentials(AccessToken=token)["Credentials"]
    assert [c["CredentialId"] for c in listed] == [second["id"]]


def test_a_tampered_registration_challenge(local: LocalPool, public: Any) -> None:
    """A clientDataJSON whose challenge is not the one handed out:
    WebAuthnChallengeNotFoundException."""
    token = _token(public, local)
    credential = SoftAuthenticator().create(_options(public, token))
    forged = _with_client_data(credential, challenge=websafe_encode(b"\x01" * 32))
    code, _ = _refused(lambda: _complete(public, token, forged))
    assert code == "WebAuthnChallengeNotFoundException"
    _complete(public, token, credential)


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://localhost.evil.example", "http://127.0.0.1:3000", "null"],
)
def test_a_registration_from_another_origin(local: LocalPool, public: Any, origin: str) -> None:
    """A page outside the relying party's domain: WebAuthnOriginNotAllowedException."""
    token = _token(public, local)
    credential = SoftAuthenticator(origin=origin).create(_options(public, token))
    code, _ = _refused(lambda: _complete(public, token, credential))
    assert code == "WebAuthnOriginNotAllowedException"


@pytest.mark.parametrize("origin", ["http://localhost:3000", "https://localhost:8443"])
def test_localhost_pages_may_register(local: LocalPool, public: Any, origin: str) -> None:
    """With the relying party localhost, http://localhost and https://localhost pages, on any
    port, may register."""
    _register(public, _token(public, local), SoftAuthenticator(origin=origin))


def test_a_credential_for_another_relying_party(local: LocalPool, public: Any) -> None:
    """A credential made for another relying party id (its rpIdHash), from an allowed page:
    WebAuthnRelyingPartyMismatchException."""
    token = _token(public, local)
    options = _options(public, token)
    options["rp"]["id"] = "example.com"
    credential = SoftAuthenticator().create(options)
    code, _ = _refused(lambda: _complete(public, token, credential))
    assert code == "WebAuthnRelyingPartyMismatchException"


def test_an_assertion_is_no_registration(local: LocalPool, public: Any) -> None:
    """A clientDataJSON of type webauthn.get is not the answer to a registration:
    InvalidParameterException."""
    token = _token(public, local)
    credential = SoftAuthenticator().create(_options(public, token))
    forged = _with_client_data(credential, type="webauthn.get")
    assert _refused(lambda: _complete(public, token, forged)) == (
        "InvalidParameterException",
        "Credential is not the answer to a registration.",
    )


def test_another_app_client_cannot_complete(
    local: LocalPool, public: Any, server: LocalCognito
) -> None:
    """The registration belongs to the app client whose token started it: a token of another
    client of the pool gets WebAuthnClientMismatchException."""
    other = server.create_client(local.user_pool_id)
    token = _token(public, local)
    other_token = _token(public, other)
    credential = SoftAuthenticator().create(_options(public, token))
    code, _ = _refused(lambda: _complete(public, other_token, credential))
    assert code == "WebAuthnClientMismatchException"
    _complete(public, token, credential)


def test_user_verification_required(make_pool: Any, public: Any) -> None:
    """With UserVerification required, a passkey that does not verify the user is refused at
    registration (WebAuthnCredentialNotSupportedException) and at sign-in
    (NotAuthorizedException); one that does works."""
    local = make_pool(first_auth_factors=PASSKEYS, web_authn_user_verification="required")
    local.create_user("alice", PASSWORD)
    token = _token(public, local)
    weak = SoftAuthenticator(user_verified=False)
    code, message = _refused(lambda: _complete(public, token, weak.create(_options(public, token))))
    assert code == "WebAuthnCredentialNotSupportedException"
    assert "user verification" in message
    strong = SoftAuthenticator()
    _register(public, token, strong)
    step = _passkey_start(public, local)
    assert _request(step)["userVerification"] == "required"
    strong.user_verified = False
    code, _ = _refused(lambda: _answer(public, local, step, strong.get(_request(step))))
    assert code == "NotAuthorizedException"
    strong.user_verified = True
    assert "AccessToken" in _sign_in(public, local, strong)


def test_preferred_verification_takes_presence_alone(local: LocalPool, public: Any) -> None:
    """With UserVerification preferred (the default), a passkey that only checks presence
    registers and signs in."""
    authenticator = _registered(public, local, user_verified=False)
    assert "AccessToken" in _sign_in(public, local, authenticator)


def test_an_unsupported_algorithm(local: LocalPool, public: Any) -> None:
    """An Ed25519 credential (neither ES256 nor RS256): WebAuthnCredentialNotSupportedException."""
    token = _token(public, local)
    credential = SoftAuthenticator().create(_options(public, token))
    public_key = ed25519.Ed25519PrivateKey.generate().public_key()
    key = EdDSA.from_cryptography_key(public_key)  # type: ignore[no-untyped-call]
    forged = _with_attestation(credential, public_key=key)
    code, message = _refused(lambda: _complete(public, token, forged))
    assert code == "WebAuthnCredentialNotSupportedException"
    assert "algorithm" in message


def test_an_unknown_attestation_format(local: LocalPool, public: Any) -> None:
    """An attestation format no one can verify: WebAuthnCredentialNotSupportedException."""
    token = _token(public, local)
    credential = SoftAuthenticator().create(_options(public, token))
    forged = _with_attestation(credential, fmt="homemade")
    code, message = _refused(lambda: _complete(public, token, forged))
    assert code == "WebAuthnCredentialNotSupportedException"
    assert "format" in message


def test_an_unverifiable_attestation(local: LocalPool, public: Any) -> None:
    """A "packed" attestation without its signature: WebAuthnCredentialNotSupportedException
    (py_webauthn's verdict, after every check this server makes itself passed)."""
    token = _token(public, local)
    credential = SoftAuthenticator().create(_options(public, token))
    forged = _with_attestation(credential, fmt="packed")
    code, message = _refused(lambda: _complete(public, token, forged))
    assert code == "WebAuthnCredentialNotSupportedException"
    assert "attestation cannot be verified" in message


def test_a_registration_without_a_credential(local: LocalPool, public: Any) -> None:
    """An attestation whose authenticator data holds no credential (no AT flag):
    InvalidParameterException."""
    token = _token(public, local)
    credential = SoftAuthenticator().create(_options(public, token))
    attestation = AttestationObject(websafe_decode(credential["response"]["attestationObject"]))
    auth_data = attestation.auth_data
    bare = AuthenticatorData.create(
        auth_data.rp_id_hash, auth_data.flags & ~AuthenticatorData.FLAG.AT, auth_data.counter
    )
    encoded = websafe_encode(AttestationObject.create("none", bare, {}))
    forged = {**credential, "response": {**credential["response"], "attestationObject": encoded}}
    assert _refused(lambda: _complete(public, token, forged))[0] == "InvalidParameterException"


@pytest.mark.parametrize(
    "credential",
    [
        {"id": "x"},
        ["not", "an", "object"],
        {"id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "AA"}},
    ],
)
def test_a_malformed_credential(local: LocalPool, public: Any, credential: Any) -> None:
    """A Credential that is no RegistrationResponseJSON: InvalidParameterException."""
    token = _token(public, local)
    _options(public, token)
    assert _refused(lambda: _complete(public, token, credential))[0] == (
        "InvalidParameterException"
    )


def test_a_credential_cannot_be_registered_twice(local: LocalPool, public: Any) -> None:
    """A credential id already registered in the pool (here alice's, sent for bob) is refused:
    InvalidParameterException."""
    local.create_user("bob", PASSWORD)
    alice_id = _register(public, _token(public, local), SoftAuthenticator())
    bob = _token(public, local, "bob")
    credential = SoftAuthenticator().create(_options(public, bob))
    forged = _with_attestation(credential, credential_id=websafe_decode(alice_id))
    code, message = _refused(lambda: _complete(public, bob, forged))
    assert code == "InvalidParameterException"
    assert "already registered" in message
    assert public.list_web_authn_credentials(AccessToken=bob)["Credentials"] == []


def test_the_twenty_first_passkey(local: LocalPool, public: Any) -> None:
    """A user has at most 20 passkeys: the 21st registration is refused at its start with
    LimitExceededException; deleting one makes room."""
    token = _token(public, local)
    authenticator = SoftAuthenticator()
    for _ in range(20):
        _register(public, token, authenticator)
    assert _refused(lambda: _options(public, token))[0] == "LimitExceededException"
    public.delete_web_authn_credential(
        AccessToken=token, CredentialId=authenticator.credential_ids[0]
    )
    _register(public, token, authenticator)


# ---- listing and deleting ------------------------------------------------------------------------


def test_listing_pages_through_the_passkeys(local: LocalPool, public: Any) -> None:
    """ListWebAuthnCredentials: each passkey once, oldest first, with its description;
    MaxResults pages them, tokens carry on, and a page size over 20 is refused."""
    token = _token(public, local)
    authenticator = SoftAuthenticator()
    for _ in range(5):
        _register(public, token, authenticator)
    seen: list[dict[str, Any]] = []
    pages = 0
    request: dict[str, Any] = {"AccessToken": token, "MaxResults": 2}
    while True:
        page = public.list_web_authn_credentials(**request)
        pages += 1
        seen.extend(page["Credentials"])
        if "NextToken" not in page:
            break
        request["NextToken"] = page["NextToken"]
    assert pages == 3
    assert [c["CredentialId"] for c in seen] == authenticator.credential_ids
    first = seen[0]
    assert first["RelyingPartyId"] == "localhost"
    assert first["FriendlyCredentialName"] == "Passkey"
    assert first["AuthenticatorAttachment"] == "platform"
    assert first["AuthenticatorTransports"] == ["internal"]
    assert first["CreatedAt"].year >= 2024
    everything = public.list_web_authn_credentials(AccessToken=token)
    assert len(everything["Credentials"]) == 5 and "NextToken" not in everything
    code, _ = _refused(lambda: public.list_web_authn_credentials(AccessToken=token, MaxResults=21))
    assert code == "InvalidParameterException"
    code, _ = _refused(
        lambda: public.list_web_authn_credentials(AccessToken=token, NextToken="garbage")
    )
    assert code == "InvalidParameterException"


def test_a_page_token_belongs_to_its_user(local: LocalPool, public: Any) -> None:
    """bob cannot carry on alice's listing with her token."""
    local.create_user("bob", PASSWORD)
    token = _token(public, local)
    authenticator = SoftAuthenticator()
    for _ in range(2):
        _register(public, token, authenticator)
    page = public.list_web_authn_credentials(AccessToken=token, MaxResults=1)
    bob = _token(public, local, "bob")
    code, _ = _refused(
        lambda: public.list_web_authn_credentials(AccessToken=bob, NextToken=page["NextToken"])
    )
    assert code == "InvalidParameterException"


def test_deleting_a_passkey(local: LocalPool, public: Any) -> None:
    """DeleteWebAuthnCredential forgets the passkey: it is no longer listed, WEB_AUTHN is no
    longer offered, and an unknown (or already deleted) id is ResourceNotFoundException."""
    authenticator = _registered(public, local)
    token = _token(public, local)
    credential_id = authenticator.credential_ids[0]
    code, _ = _refused(
        lambda: public.delete_web_authn_credential(AccessToken=token, CredentialId="unknown")
    )
    assert code == "ResourceNotFoundException"
    public.delete_web_authn_credential(AccessToken=token, CredentialId=credential_id)
    assert public.list_web_authn_credentials(AccessToken=token)["Credentials"] == []
    step = _start(public, local, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    assert "WEB_AUTHN" not in step["AvailableChallenges"]
    code, _ = _refused(
        lambda: public.delete_web_authn_credential(AccessToken=token, CredentialId=credential_id)
    )
    assert code == "ResourceNotFoundException"


def test_a_deleted_passkey_cannot_finish_a_sign_in(local: LocalPool, public: Any) -> None:
    """A sign-in started before the passkey was deleted is refused at its answer."""
    authenticator = _registered(public, local)
    step = _passkey_start(public, local)
    assertion = authenticator.get(_request(step))
    public.delete_web_authn_credential(
        AccessToken=_token(public, local), CredentialId=authenticator.credential_ids[0]
    )
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"


def test_one_user_cannot_delete_anothers_passkey(local: LocalPool, public: Any) -> None:
    """bob naming alice's credential gets ResourceNotFoundException; hers stays."""
    local.create_user("bob", PASSWORD)
    authenticator = _registered(public, local)
    bob = _token(public, local, "bob")
    credential_id = authenticator.credential_ids[0]
    code, _ = _refused(
        lambda: public.delete_web_authn_credential(AccessToken=bob, CredentialId=credential_id)
    )
    assert code == "ResourceNotFoundException"
    assert "AccessToken" in _sign_in(public, local, authenticator)


# ---- sign-in refusals ----------------------------------------------------------------------------


def test_a_tampered_signature(local: LocalPool, public: Any) -> None:
    """An assertion whose signature was changed: NotAuthorizedException, and the session is
    spent."""
    authenticator = _registered(public, local)
    step = _passkey_start(public, local)
    assertion = authenticator.get(_request(step))
    assertion["response"]["signature"] = _flip(assertion["response"]["signature"], 10)
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"
    honest = authenticator.get(_request(step))
    assert _refused(lambda: _answer(public, local, step, honest)) == (
        "NotAuthorizedException",
        SESSION_USED,
    )


def test_tampered_client_data_and_authenticator_data(local: LocalPool, public: Any) -> None:
    """Changing a byte of the signed authenticatorData, or the origin in clientDataJSON, breaks
    the assertion: NotAuthorizedException."""
    authenticator = _registered(public, local)
    step = _passkey_start(public, local)
    assertion = authenticator.get(_request(step))
    assertion["response"]["authenticatorData"] = _flip(assertion["response"]["authenticatorData"])
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"
    step = _passkey_start(public, local)
    assertion = authenticator.get(_request(step))
    client_data = json.loads(websafe_decode(assertion["response"]["clientDataJSON"]))
    client_data["origin"] = "http://localhost:1234"
    assertion["response"]["clientDataJSON"] = websafe_encode(json.dumps(client_data).encode())
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"


def test_an_assertion_over_another_challenge(local: LocalPool, public: Any) -> None:
    """A correctly signed assertion over a challenge that is not the session's:
    NotAuthorizedException."""
    authenticator = _registered(public, local)
    step = _passkey_start(public, local)
    request = _request(step)
    request["challenge"] = websafe_encode(b"\x02" * 32)
    assertion = authenticator.get(request)
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:3000"])
def test_a_sign_in_from_another_origin(local: LocalPool, public: Any, origin: str) -> None:
    """A correctly signed assertion made on a page outside the relying party:
    NotAuthorizedException."""
    authenticator = _registered(public, local)
    elsewhere = SoftAuthenticator.from_json(authenticator.to_json())
    elsewhere.origin = origin
    step = _passkey_start(public, local)
    assertion = elsewhere.get(_request(step))
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"


def test_replays_are_refused(local: LocalPool, public: Any) -> None:
    """The same answer twice on one session meets "session can only be used once"; on a new
    session it signs the wrong challenge: NotAuthorizedException."""
    authenticator = _registered(public, local)
    step = _passkey_start(public, local)
    assertion = authenticator.get(_request(step))
    _answer(public, local, step, assertion)
    assert _refused(lambda: _answer(public, local, step, assertion)) == (
        "NotAuthorizedException",
        SESSION_USED,
    )
    fresh = _passkey_start(public, local)
    assert _refused(lambda: _answer(public, local, fresh, assertion))[0] == (
        "NotAuthorizedException"
    )


def test_a_cloned_authenticator_is_refused(local: LocalPool, public: Any) -> None:
    """A copy of an authenticator whose counter fell behind (the signature counter did not
    increase) is refused: NotAuthorizedException."""
    authenticator = _registered(public, local)
    clone = SoftAuthenticator.from_json(authenticator.to_json())
    assert "AccessToken" in _sign_in(public, local, authenticator)
    step = _passkey_start(public, local)
    assert _refused(lambda: _answer(public, local, step, clone.get(_request(step))))[0] == (
        "NotAuthorizedException"
    )
    assert "AccessToken" in _sign_in(public, local, authenticator)


def test_an_unknown_credential(local: LocalPool, public: Any) -> None:
    """A passkey that was made but never registered: NotAuthorizedException."""
    _registered(public, local)
    stranger = SoftAuthenticator()
    stranger.create(_options(public, _token(public, local)))
    step = _passkey_start(public, local)
    request = {**_request(step), "allowCredentials": []}
    assertion = stranger.get(request)
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"


def test_another_users_passkey(local: LocalPool, public: Any) -> None:
    """bob's registered passkey answering alice's challenge: NotAuthorizedException."""
    local.create_user("bob", PASSWORD)
    _registered(public, local)
    bobs = SoftAuthenticator()
    _register(public, _token(public, local, "bob"), bobs)
    step = _passkey_start(public, local)
    assertion = bobs.get({**_request(step), "allowCredentials": []})
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"
    assert "AccessToken" in _sign_in(public, local, bobs, "bob")


def test_a_user_handle_of_someone_else(local: LocalPool, public: Any) -> None:
    """An assertion from alice's passkey that names another user handle:
    NotAuthorizedException."""
    authenticator = _registered(public, local)
    step = _passkey_start(public, local)
    assertion = authenticator.get(_request(step))
    assertion["response"]["userHandle"] = websafe_encode(b"someone-else")
    assert _refused(lambda: _answer(public, local, step, assertion))[0] == "NotAuthorizedException"


@pytest.mark.parametrize("credential", ["not json", "[1, 2]", None])
def test_a_malformed_answer(local: LocalPool, public: Any, credential: str | None) -> None:
    """CREDENTIAL missing or not a JSON object: InvalidParameterException."""
    _registered(public, local)
    step = _passkey_start(public, local)
    answers = {} if credential is None else {"CREDENTIAL": credential}
    assert _refused(lambda: _respond(public, local, step, **answers))[0] == (
        "InvalidParameterException"
    )


def test_a_user_without_passkeys_gets_the_list(local: LocalPool, public: Any) -> None:
    """Preferring WEB_AUTHN without a passkey gives SELECT_CHALLENGE without it, as any
    unusable preference; answering WEB_AUTHN there is refused."""
    step = _start(public, local, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    code, _ = _refused(lambda: _respond(public, local, step, ANSWER="WEB_AUTHN"))
    assert code == "InvalidParameterException"


def test_passkeys_are_not_offered_with_mfa(make_pool: Any, public: Any) -> None:
    """A user with an MFA factor on, or any user of a pool whose MFA is ON, is not offered
    WEB_AUTHN (passkey MFA is not available here)."""
    local = make_pool(first_auth_factors=PASSKEYS, mfa="OPTIONAL")
    local.create_user("alice", PASSWORD, {"phone_number": "+15555550100"})
    authenticator = _registered(public, local)
    assert "AccessToken" in _sign_in(public, local, authenticator)
    token = _token(public, local)
    public.set_user_mfa_preference(
        AccessToken=token, SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    step = _start(public, local, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert "WEB_AUTHN" not in step["AvailableChallenges"]


def test_a_pool_that_stops_allowing_passkeys(local: LocalPool, public: Any) -> None:
    """Once UpdateUserPool takes WEB_AUTHN out of the sign-in policy, a registered passkey is
    neither offered nor a configured factor, and no new one can be registered; the passkey is
    still listed."""
    _registered(public, local)
    local.admin.update_user_pool(
        UserPoolId=local.user_pool_id,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]}},
    )
    chosen = _start(public, local, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert chosen["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    token = _token(public, local)
    factors = public.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"]
    assert factors == ["PASSWORD"]
    assert len(public.list_web_authn_credentials(AccessToken=token)["Credentials"]) == 1
    assert _refused(lambda: _options(public, token))[0] == "WebAuthnNotEnabledException"


def test_get_user_auth_factors_lists_a_passkey(local: LocalPool, public: Any) -> None:
    """GetUserAuthFactors shows WEB_AUTHN once the user has a passkey, and not after it is
    deleted."""
    token = _token(public, local)

    def factors() -> list[str]:
        return list(public.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"])

    assert factors() == ["PASSWORD"]
    credential_id = _register(public, token, SoftAuthenticator())
    assert factors() == ["PASSWORD", "WEB_AUTHN"]
    public.delete_web_authn_credential(AccessToken=token, CredentialId=credential_id)
    assert factors() == ["PASSWORD"]


# ---- the pool's WebAuthnConfiguration ------------------------------------------------------------


def test_the_pool_mfa_config_shows_and_sets_the_passkey_settings(
    local: LocalPool, public: Any
) -> None:
    """GetUserPoolMfaConfig shows WebAuthnConfiguration; SetUserPoolMfaConfig with only it
    changes it and leaves MFA alone; a passkey of the old relying party no longer signs in."""
    admin, pool_id = local.admin, local.user_pool_id
    shown = admin.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert shown["WebAuthnConfiguration"] == {
        "RelyingPartyId": "localhost",
        "UserVerification": "preferred",
    }
    authenticator = _registered(public, local)
    answer = admin.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        WebAuthnConfiguration={"RelyingPartyId": "example.com", "UserVerification": "required"},
    )
    expected = {"RelyingPartyId": "example.com", "UserVerification": "required"}
    assert answer["WebAuthnConfiguration"] == expected
    shown = admin.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert shown["WebAuthnConfiguration"] == expected
    assert shown["MfaConfiguration"] == "OFF"
    step = _start(public, local, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert "WEB_AUTHN" not in step["AvailableChallenges"]
    token = _token(public, local)
    assert _options(public, token)["rp"]["id"] == "example.com"
    assert len(public.list_web_authn_credentials(AccessToken=token)["Credentials"]) == 1
    new_id = _register(public, token, SoftAuthenticator(origin="https://login.example.com"))
    allowed = _request(_passkey_start(public, local))["allowCredentials"]
    assert [c["id"] for c in allowed] == [new_id] != authenticator.credential_ids


def test_mfa_and_passkey_settings_are_set_apart(make_pool: Any) -> None:
    """A SetUserPoolMfaConfig without WebAuthnConfiguration changes MFA and keeps the passkey
    settings; one with only WebAuthnConfiguration keeps MFA."""
    local = make_pool(first_auth_factors=PASSKEYS, web_authn_relying_party_id="example.com")
    answer = local.admin.set_user_pool_mfa_config(
        UserPoolId=local.user_pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    assert answer["MfaConfiguration"] == "OPTIONAL"
    assert answer["WebAuthnConfiguration"]["RelyingPartyId"] == "example.com"
    # And the other way round: only WebAuthnConfiguration, MFA stays as it was. A member left
    # out takes its default.
    answer = local.admin.set_user_pool_mfa_config(
        UserPoolId=local.user_pool_id, WebAuthnConfiguration={"UserVerification": "required"}
    )
    assert answer["MfaConfiguration"] == "OPTIONAL"
    assert answer["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert answer["WebAuthnConfiguration"] == {
        "RelyingPartyId": "localhost",
        "UserVerification": "required",
    }


@pytest.mark.parametrize(
    "configuration",
    [
        {"RelyingPartyId": "https://example.com"},
        {"RelyingPartyId": "example.com:443"},
        {"RelyingPartyId": "Example.com"},
        {"RelyingPartyId": "127.0.0.1"},
        {"RelyingPartyId": "a" * 128},
        {"UserVerification": "discouraged"},
    ],
)
def test_a_bad_web_authn_configuration(local: LocalPool, configuration: dict[str, str]) -> None:
    """A relying party id that is no domain name, or another user verification:
    InvalidParameterException, and nothing changes."""
    code, _ = _refused(
        lambda: local.admin.set_user_pool_mfa_config(
            UserPoolId=local.user_pool_id, WebAuthnConfiguration=configuration
        )
    )
    assert code == "InvalidParameterException"
    shown = local.admin.get_user_pool_mfa_config(UserPoolId=local.user_pool_id)
    assert shown["WebAuthnConfiguration"]["RelyingPartyId"] == "localhost"


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"web_authn_relying_party_id": "https://example.com"}, "web_authn_relying_party_id"),
        ({"web_authn_user_verification": "always"}, "web_authn_user_verification"),
    ],
)
def test_the_options_are_checked(options: dict[str, str], option: str) -> None:
    """LocalCognito refuses a bad passkey option before starting, naming it."""
    with pytest.raises(ValueError, match=option):
        LocalCognito(**options)  # type: ignore[arg-type]


def test_the_command_line_flags() -> None:
    """--web-authn-relying-party-id and --web-authn-user-verification reach LocalCognito; a bad
    value is a usage error naming the flag."""
    from cognito_user_pool.local._options import OptionValueError, check, normalise

    options = normalise(
        {"web_authn_relying_party_id": "example.com", "web_authn_user_verification": "required"}
    )
    assert options["web_authn_relying_party_id"] == "example.com"
    assert normalise({})["web_authn_user_verification"] == "preferred"
    check(options)
    with pytest.raises(OptionValueError, match="--web-authn-relying-party-id"):
        check(normalise({"web_authn_relying_party_id": "http://example.com"}))
    with pytest.raises(OptionValueError, match="--web-authn-user-verification"):
        normalise({"web_authn_user_verification": "sometimes"})


# ---- the state file ------------------------------------------------------------------------------


def test_passkeys_survive_a_restart(tmp_path: Path) -> None:
    """The passkey (its public key and counter) and the pool's passkey settings are kept in the
    state file: after a restart the same authenticator signs in, and a stale copy of it is still
    refused."""
    state = tmp_path / "state.json"
    authenticator = SoftAuthenticator(origin="https://app.example.com")
    with LocalCognito(
        state=state, first_auth_factors=PASSKEYS, web_authn_relying_party_id="example.com"
    ) as first:
        first.default.create_user("alice", PASSWORD)
        public = public_client(first.default)
        try:
            _register(public, _token(public, first.default), authenticator)
            stale = SoftAuthenticator.from_json(authenticator.to_json())
            assert "AccessToken" in _sign_in(public, first.default, authenticator)
        finally:
            public.close()
    saved = json.loads(state.read_text())
    (pool,) = saved["pools"]
    assert pool["web_authn"] == {"RelyingPartyId": "example.com", "UserVerification": "preferred"}
    (alice,) = pool["users"]
    assert [p["credential_id"] for p in alice["passkeys"]] == authenticator.credential_ids
    assert "private" not in json.dumps(alice["passkeys"])
    with LocalCognito(state=state) as second:
        local = second.default
        public = public_client(local)
        try:
            step = _passkey_start(public, local)
            assert _request(step)["rpId"] == "example.com"
            assert _refused(lambda: _answer(public, local, step, stale.get(_request(step))))[0] == (
                "NotAuthorizedException"
            )
            assert "AccessToken" in _sign_in(public, local, authenticator)
        finally:
            public.close()


# ---- the origin rule and the authenticator itself ------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "rp_id", "allowed"),
    [
        ("https://example.com", "example.com", True),
        ("https://login.example.com", "example.com", True),
        ("https://a.b.example.com:8443", "example.com", True),
        ("http://example.com", "example.com", False),
        ("https://badexample.com", "example.com", False),
        ("https://example.com.evil.test", "example.com", False),
        ("https://example.com/path", "example.com", False),
        ("https://user@example.com", "example.com", False),
        ("https://example.com:notaport", "example.com", False),
        ("http://localhost", "localhost", True),
        ("http://localhost:5173", "localhost", True),
        ("https://localhost", "localhost", True),
        ("http://localhost:3000", "example.com", False),
        ("http://app.localhost", "localhost", False),
        ("ftp://example.com", "example.com", False),
        (" https://example.com", "example.com", False),
        ("", "localhost", False),
    ],
)
def test_the_origin_rule(origin: str, rp_id: str, allowed: bool) -> None:
    """https on the relying party or a subdomain, any port; http only for localhost."""
    from cognito_user_pool.local._web_authn_config import origin_allowed

    assert origin_allowed(origin, rp_id) is allowed


def test_the_soft_authenticator_speaks_webauthn_json() -> None:
    """py_webauthn, on its own, verifies what the authenticator makes: a registration and an
    assertion, with the Level 3 members a browser adds."""
    from webauthn import (
        generate_authentication_options,
        generate_registration_options,
        options_to_json,
        verify_authentication_response,
        verify_registration_response,
    )

    authenticator = SoftAuthenticator(origin="https://example.com")
    creation = generate_registration_options(
        rp_id="example.com", rp_name="shop", user_id=b"u-1", user_name="alice"
    )
    credential = authenticator.create(json.loads(options_to_json(creation)))
    assert credential["type"] == "public-key"
    assert credential["authenticatorAttachment"] == "platform"
    assert credential["clientExtensionResults"] == {}
    response = credential["response"]
    assert response["publicKeyAlgorithm"] == -7
    assert response["transports"] == ["internal"]
    registered = verify_registration_response(
        credential=credential,
        expected_challenge=creation.challenge,
        expected_rp_id="example.com",
        expected_origin="https://example.com",
        require_user_verification=True,
    )
    request = generate_authentication_options(rp_id="example.com")
    assertion = authenticator.get({"publicKey": json.loads(options_to_json(request))})
    assert websafe_decode(assertion["response"]["userHandle"]) == b"u-1"
    verified = verify_authentication_response(
        credential=assertion,
        expected_challenge=request.challenge,
        expected_rp_id="example.com",
        expected_origin="https://example.com",
        credential_public_key=registered.credential_public_key,
        credential_current_sign_count=0,
        require_user_verification=True,
    )
    assert verified.new_sign_count == 1
    auth_data = AuthenticatorData(websafe_decode(assertion["response"]["authenticatorData"]))
    assert auth_data.rp_id_hash == hashlib.sha256(b"example.com").digest()


def test_the_soft_authenticator_keeps_its_keys_secret_and_portable() -> None:
    """Its repr shows no key; to_json/from_json carry the credentials across; text that is not
    its document is refused without quoting it."""
    authenticator = SoftAuthenticator(origin="https://example.com", user_verified=False)
    authenticator.create(
        {
            "rp": {"id": "example.com", "name": "shop"},
            "user": {"id": websafe_encode(b"u"), "name": "a", "displayName": "a"},
            "challenge": websafe_encode(b"c" * 16),
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        }
    )
    text = authenticator.to_json()
    key = json.loads(text)["credentials"][0]["private_key"]
    assert key not in repr(authenticator)
    assert repr(authenticator) == "SoftAuthenticator(origin='https://example.com', credentials=1)"
    copy = SoftAuthenticator.from_json(text)
    assert copy.credential_ids == authenticator.credential_ids
    assert copy.origin == "https://example.com" and copy.user_verified is False
    broken = json.loads(text)
    broken["credentials"][0]["private_key"] = key[:-4]
    for bad, why in (
        ("{}", "format"),
        ("[]", "format"),
        ("not json", "not JSON"),
        (text.replace('"version": 1', '"version": 2'), "version"),
        (json.dumps(broken), "malformed"),
    ):
        with pytest.raises(ValueError, match=why) as excinfo:
            SoftAuthenticator.from_json(bad)
        assert key[:-4] not in str(excinfo.value)


def test_the_soft_authenticator_refuses_what_it_cannot_answer() -> None:
    """No credential for the relying party, options without ES256, or no options at all:
    ValueError."""
    authenticator = SoftAuthenticator()
    request = {"challenge": websafe_encode(b"c" * 16), "rpId": "localhost"}
    with pytest.raises(ValueError, match="no credential for localhost"):
        authenticator.get(request)
    with pytest.raises(ValueError, match="ES256"):
        authenticator.create(
            {
                "rp": {"id": "localhost", "name": "p"},
                "user": {"id": "dQ", "name": "a", "displayName": "a"},
                "challenge": "Yw",
                "pubKeyCredParams": [{"type": "public-key", "alg": -257}],
            }
        )
    with pytest.raises(ValueError, match="CredentialCreationOptions"):
        authenticator.create({"nothing": True})
    with pytest.raises(ValueError, match="CredentialRequestOptions"):
        authenticator.get({"nothing": True})
