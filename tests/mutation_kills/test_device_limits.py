"""The device flows' limits at their edges, their messages, and the device key a rotating
refresh sends (mutation found no test reading them)."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_user_pool import (
    AsyncUserPool,
    Challenge,
    DeviceSecrets,
    InvalidParameterError,
    MemoryDeviceStore,
    NotAuthorizedError,
    UnexpectedResponseError,
)

from .test_device_restore import DEVICE, POOL_ID, TOKEN, _segment

pytestmark = pytest.mark.anyio


def _recording_pool(
    answer: dict[str, Any],
) -> tuple[AsyncUserPool, list[tuple[str, dict[str, Any]]]]:
    pool = AsyncUserPool(POOL_ID, "client1", endpoint_url="http://127.0.0.1:9")
    sent: list[tuple[str, dict[str, Any]]] = []

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append((operation, params))
        return answer

    pool._call = call  # type: ignore[method-assign]
    return pool, sent


async def _alices_device() -> MemoryDeviceStore:
    """A device store that remembers one device of alice's."""
    store = MemoryDeviceStore()
    await store.put(POOL_ID, "alice", DeviceSecrets(DEVICE["DeviceKey"], "-group", "pw"))
    return store


async def test_a_device_name_of_1024_characters_is_the_longest() -> None:
    pool, sent = _recording_pool({"UserConfirmationNecessary": False})
    pool.device_store = MemoryDeviceStore()
    await pool.confirm_device(auth=TOKEN, device=DEVICE, device_name="n" * 1024)
    assert sent[0][1]["DeviceName"] == "n" * 1024
    for bad, message in [
        ("n" * 1025, "device_name must be Unicode text of at most 1024 characters"),
        ("", "device_name must be a non-empty string"),
    ]:
        with pytest.raises(InvalidParameterError) as info:
            await pool.confirm_device(auth=TOKEN, device=DEVICE, device_name=bad)
        assert (info.value.field, info.value.message) == ("device_name", message)
    await pool.aclose()


async def test_sixty_devices_per_page_is_the_most() -> None:
    pool, sent = _recording_pool({"Devices": []})
    assert await pool.list_devices(auth=TOKEN, limit=60) == ()
    assert sent[0][1]["Limit"] == 60
    with pytest.raises(InvalidParameterError) as info:
        await pool.list_devices(auth=TOKEN, limit=61)
    assert info.value.message == "limit must be at most 60"
    await pool.aclose()


async def test_no_stored_device_says_to_pass_one() -> None:
    pool, _ = _recording_pool({})
    pool.device_store = MemoryDeviceStore()
    with pytest.raises(InvalidParameterError) as info:
        await pool.get_device(auth=TOKEN)
    assert info.value.message == (
        "device_key: this pool's device_store keeps no device for this user; pass one"
    )
    await pool.aclose()


async def test_a_rotating_refresh_sends_the_remembered_device_key() -> None:
    """GetTokensFromRefreshToken carries DeviceKey for a user whose device the store keeps
    (pools that track devices want it: docs/cognito-facts.md#refreshing-tokens)."""
    pool = AsyncUserPool(
        POOL_ID, "client1", endpoint_url="http://127.0.0.1:9", refresh_token_rotation=True
    )
    pool.device_store = await _alices_device()
    sent: list[dict[str, Any]] = []

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        assert operation == "GetTokensFromRefreshToken"
        sent.append(params)
        return {"AuthenticationResult": {"AccessToken": TOKEN, "IdToken": TOKEN}}

    pool._call = call  # type: ignore[method-assign]
    await pool.refresh_session(refresh_token="refresh", access_token=TOKEN)
    assert sent == [
        {"ClientId": "client1", "RefreshToken": "refresh", "DeviceKey": DEVICE["DeviceKey"]}
    ]
    await pool.aclose()


def _verifier_challenge(username: str) -> dict[str, str]:
    from pycognito.aws_srp import N_HEX

    return {
        "SALT": "a1b2c3",
        "SRP_B": format(pow(2, 12345, int(N_HEX, 16)), "x"),
        "SECRET_BLOCK": "c2VjcmV0",
        "USERNAME": username,
    }


def _answering_pool(
    *answers: dict[str, Any] | Exception,
) -> tuple[AsyncUserPool, list[tuple[str, dict[str, Any]]]]:
    """A pool whose calls get Cognito's ``answers`` in turn (an exception is raised)."""
    pool, sent = _recording_pool({})
    queue = list(answers)

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append((operation, params))
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    pool._call = call  # type: ignore[method-assign]
    return pool, sent


async def _answer(
    response: dict[str, Any], *answers: dict[str, Any] | Exception
) -> list[tuple[str, dict[str, Any]]]:
    """Run answer_device_challenge for alice@example.com against Cognito's ``answers``."""
    from cognito_user_pool._flows.devices import answer_device_challenge
    from cognito_user_pool._srp import SrpSession

    pool, sent = _answering_pool(*answers)
    srp = SrpSession(POOL_ID, "client1", "alice@example.com", "pw")
    secrets = DeviceSecrets("us-east-1_dev", "-grp", "device-pw")
    try:
        await answer_device_challenge(pool, srp, response, "alice@example.com", secrets)
    finally:
        await pool.aclose()
    return sent


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [({"USERNAME": "internal-uuid"}, "internal-uuid"), (None, "alice@example.com")],
)
async def test_the_device_challenge_is_answered_for_the_user_cognito_names(
    parameters: dict[str, str] | None, expected: str
) -> None:
    """DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER answer for the user Cognito's challenge
    names (the internal name), or the one the caller had when it names none."""
    response: dict[str, Any] = {"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s1"}
    if parameters is not None:
        response["ChallengeParameters"] = parameters
    verifier = {
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": "s2",
        "ChallengeParameters": _verifier_challenge(expected),
    }
    sent = await _answer(response, verifier, {"AuthenticationResult": {}})
    assert [params["ChallengeResponses"]["USERNAME"] for _, params in sent] == [expected] * 2
    assert [params["Session"] for _, params in sent] == ["s1", "s2"]
    sent = await _answer({"ChallengeName": "DEVICE_SRP_AUTH"}, verifier, {})
    assert sent[0][1]["Session"] == ""


@pytest.mark.parametrize(
    "first",
    [
        {"ChallengeName": "SMS_MFA", "Session": "s2"},
        {"ChallengeName": "DEVICE_PASSWORD_VERIFIER"},
    ],
)
async def test_an_answer_without_the_device_challenge_is_unexpected(first: dict[str, Any]) -> None:
    with pytest.raises(UnexpectedResponseError) as info:
        await _answer({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s1"}, first)
    assert info.value.message == "Cognito answered DEVICE_SRP_AUTH with no device challenge"


async def test_a_refused_device_proof_says_what_to_do() -> None:
    verifier = {
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": "s2",
        "ChallengeParameters": _verifier_challenge("internal-uuid"),
    }
    refusal = NotAuthorizedError("Incorrect username or password.")
    with pytest.raises(NotAuthorizedError) as info:
        await _answer({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s1"}, verifier, refusal)
    assert info.value.message == (
        "Cognito refused the remembered device's proof (DEVICE_PASSWORD_VERIFIER): the "
        "device store's secret does not match the device, or the sign-in took too long; "
        "forget_device, or delete the entry from the device store, to sign in with MFA"
    )
    assert info.value.__cause__ is refusal


async def test_a_passkey_id_is_base64url_of_at_most_131072_characters() -> None:
    """DeleteWebAuthnCredential's CredentialId: the longest is sent, anything else is named."""
    pool, sent = _recording_pool({})
    await pool.delete_web_authn_credential(auth=TOKEN, credential_id="A" * 131072)
    assert sent[0][1]["CredentialId"] == "A" * 131072
    wrong = (
        "credential_id must be a passkey's id (base64url, as list_web_authn_credentials gives it)"
    )
    for bad, message in [
        ("A" * 131073, wrong),
        ("a+b/", wrong),
        ("", "credential_id must be a non-empty string"),
    ]:
        with pytest.raises(InvalidParameterError) as info:
            await pool.delete_web_authn_credential(auth=TOKEN, credential_id=bad)
        assert (info.value.field, info.value.message) == ("credential_id", message)
    assert len(sent) == 1
    await pool.aclose()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (["CredentialId"], "Cognito described a passkey that is not an object"),
        ({"CredentialId": "", "RelyingPartyId": "example.com"}, "without"),
        ({"CredentialId": 5, "RelyingPartyId": "example.com"}, "without"),
        ({"CredentialId": "AAEC"}, "without"),
    ],
)
def test_a_passkey_description_without_its_id_is_unexpected(raw: object, message: str) -> None:
    from cognito_user_pool._flows.passkeys import passkey_from_aws

    with pytest.raises(UnexpectedResponseError) as info:
        passkey_from_aws(raw)
    if message == "without":
        message = "Cognito described a passkey without its id"
    assert info.value.message == message


def test_a_passkey_description_is_read_member_by_member() -> None:
    """ListWebAuthnCredentials' WebAuthnCredentialDescription: every member in its place, a
    creation time as botocore parses it (a datetime) or as a number of seconds."""
    from datetime import datetime, timezone

    from cognito_user_pool import Passkey
    from cognito_user_pool._flows.passkeys import passkey_from_aws

    parsed = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    full = {
        "CredentialId": "AAEC",
        "RelyingPartyId": "example.com",
        "CreatedAt": parsed,
        "FriendlyCredentialName": "Laptop",
        "AuthenticatorAttachment": "platform",
        "AuthenticatorTransports": ["internal", "hybrid"],
    }
    assert passkey_from_aws(full) == Passkey(
        credential_id="AAEC",
        relying_party_id="example.com",
        created=parsed,
        friendly_name="Laptop",
        attachment="platform",
        transports=("internal", "hybrid"),
    )
    seconds = passkey_from_aws({**full, "CreatedAt": 1_764_493_200.5})
    assert seconds.created == datetime.fromtimestamp(1_764_493_200.5).astimezone()


@pytest.mark.parametrize(
    "odd",
    [
        {"CreatedAt": float("nan"), "FriendlyCredentialName": "", "AuthenticatorAttachment": ""},
        {"CreatedAt": "yesterday", "FriendlyCredentialName": 5, "AuthenticatorAttachment": 7},
    ],
)
def test_unusable_passkey_members_are_left_out(odd: dict[str, object]) -> None:
    from cognito_user_pool._flows.passkeys import passkey_from_aws

    passkey = passkey_from_aws({"CredentialId": "AAEC", "RelyingPartyId": "example.com", **odd})
    assert (passkey.created, passkey.friendly_name, passkey.attachment) == (None, None, None)
    assert passkey.transports == ()


async def test_a_refresh_finds_the_remembered_device_by_the_id_tokens_user() -> None:
    """The id token alone names the user whose device the store keeps; a malformed access
    token is refused under its own name."""
    claims = {"cognito:username": "alice", "exp": 2_000_000_000}
    id_token = f"{_segment({'alg': 'RS256'})}.{_segment(claims)}.c2ln"
    pool = AsyncUserPool(
        POOL_ID, "client1", endpoint_url="http://127.0.0.1:9", refresh_token_rotation=True
    )
    pool.device_store = await _alices_device()
    sent: list[dict[str, Any]] = []

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append(params)
        return {"AuthenticationResult": {"AccessToken": TOKEN, "IdToken": id_token}}

    pool._call = call  # type: ignore[method-assign]
    await pool.refresh_session(refresh_token="refresh", id_token=id_token)
    assert sent[0]["DeviceKey"] == DEVICE["DeviceKey"]
    with pytest.raises(InvalidParameterError) as info:
        await pool.refresh_session(refresh_token="refresh", access_token="")
    assert info.value.field == "access_token"
    await pool.aclose()


async def test_a_refresh_token_auth_sends_the_remembered_device_key() -> None:
    """REFRESH_TOKEN_AUTH carries DEVICE_KEY among its AuthParameters."""
    pool = AsyncUserPool(
        POOL_ID, "client1", endpoint_url="http://127.0.0.1:9", refresh_token_rotation=False
    )
    pool.device_store = await _alices_device()
    sent: list[dict[str, Any]] = []

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append(params)
        return {"AuthenticationResult": {"AccessToken": TOKEN, "IdToken": TOKEN}}

    pool._call = call  # type: ignore[method-assign]
    await pool.refresh_session(refresh_token="refresh", access_token=TOKEN)
    assert sent[0]["AuthParameters"] == {
        "REFRESH_TOKEN": "refresh",
        "DEVICE_KEY": DEVICE["DeviceKey"],
    }
    await pool.aclose()


def _id_token(**claims: object) -> str:
    return f"{_segment({'alg': 'RS256'})}.{_segment({'exp': 2_000_000_000, **claims})}.c2ln"


async def test_a_detected_rotation_keeps_the_device_key_and_moves_the_owner() -> None:
    """REFRESH_TOKEN_AUTH refused for rotation: GetTokensFromRefreshToken is tried with the
    remembered device's key. The new refresh token inherits the owner (its id token names
    no user here) and the old one is forgotten."""
    from cognito_user_pool import CognitoError
    from cognito_user_pool._flows._base import _fingerprint

    pool = AsyncUserPool(POOL_ID, "client1", endpoint_url="http://127.0.0.1:9")
    pool.device_store = await _alices_device()
    pool._refresh_owners.put(_fingerprint("refresh-1"), "alice")
    sent: list[tuple[str, dict[str, Any]]] = []

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append((operation, params))
        if operation == "InitiateAuth":
            raise CognitoError(
                "Refresh token rotation is enabled for this client",
                code="InvalidParameterException",
            )
        return {
            "AuthenticationResult": {
                "AccessToken": _id_token(),
                "IdToken": _id_token(),
                "RefreshToken": "refresh-2",
            }
        }

    pool._call = call  # type: ignore[method-assign]
    tokens = await pool.refresh_session(refresh_token="refresh-1")
    assert tokens.refresh_token == "refresh-2"
    assert sent[1] == (
        "GetTokensFromRefreshToken",
        {"ClientId": "client1", "RefreshToken": "refresh-1", "DeviceKey": DEVICE["DeviceKey"]},
    )
    assert pool._refresh_owner("refresh-2", None, None) == "alice"
    assert pool._refresh_owner("refresh-1", None, None) is None
    await pool.aclose()


async def test_a_refresh_that_keeps_its_token_keeps_its_owner() -> None:
    from cognito_user_pool._flows._base import _fingerprint

    pool = AsyncUserPool(POOL_ID, "client1", endpoint_url="http://127.0.0.1:9")
    pool._refresh_owners.put(_fingerprint("refresh-1"), "alice")

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        return {"AuthenticationResult": {"AccessToken": _id_token(), "IdToken": _id_token()}}

    pool._call = call  # type: ignore[method-assign]
    tokens = await pool.refresh_session(refresh_token="refresh-1")
    assert tokens.refresh_token == "refresh-1"
    assert pool._refresh_owner("refresh-1", None, None) == "alice"
    await pool.aclose()


async def test_a_refresh_answered_without_tokens_is_unexpected() -> None:
    pool = AsyncUserPool(POOL_ID, "client1", endpoint_url="http://127.0.0.1:9")

    async def call(operation: str, /, **params: Any) -> dict[str, Any]:
        return {"ChallengeName": "SMS_MFA"}

    pool._call = call  # type: ignore[method-assign]
    with pytest.raises(UnexpectedResponseError) as info:
        await pool.refresh_session(refresh_token="refresh-1", access_token=TOKEN)
    assert info.value.message == "Cognito answered the refresh without tokens"
    await pool.aclose()


async def test_a_stored_device_answers_only_when_cognito_asks() -> None:
    """The stored device's key goes with the password proof; DEVICE_SRP_AUTH is answered
    only when Cognito asks for it (a pool that no longer tracks devices asks for none)."""
    pool, sent = _answering_pool(
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": "s1",
            "ChallengeParameters": {**_verifier_challenge("alice"), "USER_ID_FOR_SRP": "alice"},
        },
        {"ChallengeName": "SMS_MFA", "Session": "s2" * 10, "ChallengeParameters": {}},
    )
    pool.device_store = await _alices_device()
    try:
        challenge = await pool.login(username="alice", password="pw")
    finally:
        await pool.aclose()
    assert isinstance(challenge, Challenge) and challenge.name == "SMS_MFA"
    assert [params.get("ChallengeName") for _, params in sent] == [None, "PASSWORD_VERIFIER"]
    assert sent[1][1]["ChallengeResponses"]["DEVICE_KEY"] == DEVICE["DeviceKey"]
