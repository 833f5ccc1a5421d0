"""Device operations moto lacks, and device SRP sign-in (docs/cognito-facts.md#device-srp,
docs/cognito-facts.md#remembered-devices)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, generate_hash_device

from cognito_user_pool.local import LocalPool

from ._srp_client import cognito_timestamp
from .conftest import PASSWORD, error_code, error_message, srp_login


@pytest.fixture
def device_pool(make_pool: Any) -> LocalPool:
    """A pool that always remembers devices."""
    return make_pool(remember_devices="always")  # type: ignore[no-any-return]


def _confirmed_device(
    public: Any, pool: LocalPool, name: str = "laptop"
) -> tuple[dict[str, Any], str, str]:
    pool.create_user("alice", PASSWORD)
    result = srp_login(public, pool, "alice")["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    # The shapes the local Cognito gives them: <region>_<uuid>, and "-" and nine letters.
    assert re.fullmatch(rf"{pool.region}_[0-9a-f-]{{36}}", meta["DeviceKey"])
    assert re.fullmatch(r"-[A-Za-z]{9}", meta["DeviceGroupKey"])
    password, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    confirmed = public.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=meta["DeviceKey"],
        DeviceSecretVerifierConfig=verifier,
        DeviceName=name,
    )
    assert confirmed["UserConfirmationNecessary"] is False
    return meta, password, result["AccessToken"]


def _attrs(device: dict[str, Any]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


def test_no_device_metadata_without_tracking(pool: LocalPool, public: Any) -> None:
    """Pools without device tracking hand out no NewDeviceMetadata."""
    pool.create_user("alice", PASSWORD)
    assert "NewDeviceMetadata" not in srp_login(public, pool, "alice")["AuthenticationResult"]


def test_confirm_get_list_update_forget(device_pool: LocalPool, public: Any) -> None:
    """ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus and ForgetDevice work together."""
    meta, _, token = _confirmed_device(public, device_pool)
    key = meta["DeviceKey"]
    device = public.get_device(AccessToken=token, DeviceKey=key)["Device"]
    assert device["DeviceKey"] == key
    assert _attrs(device)["device_name"] == "laptop"
    assert _attrs(device)["dev:device_remembered_status"] == "remembered"
    assert [d["DeviceKey"] for d in public.list_devices(AccessToken=token)["Devices"]] == [key]
    public.update_device_status(
        AccessToken=token, DeviceKey=key, DeviceRememberedStatus="not_remembered"
    )
    device = public.get_device(AccessToken=token, DeviceKey=key)["Device"]
    assert _attrs(device)["dev:device_remembered_status"] == "not_remembered"
    public.forget_device(AccessToken=token, DeviceKey=key)
    assert public.list_devices(AccessToken=token)["Devices"] == []
    with pytest.raises(ClientError) as excinfo:
        public.get_device(AccessToken=token, DeviceKey=key)
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_confirm_unknown_device_key(device_pool: LocalPool, public: Any) -> None:
    """ConfirmDevice with a key the server never issued is ResourceNotFoundException."""
    device_pool.create_user("alice", PASSWORD)
    token = srp_login(public, device_pool, "alice")["AuthenticationResult"]["AccessToken"]
    _, verifier = generate_hash_device("-group", "us-east-1_madeup")
    with pytest.raises(ClientError) as excinfo:
        public.confirm_device(
            AccessToken=token, DeviceKey="us-east-1_madeup", DeviceSecretVerifierConfig=verifier
        )
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_user_opt_in_needs_confirmation(make_pool: Any, public: Any) -> None:
    """With user opt-in, ConfirmDevice says UserConfirmationNecessary and stays not remembered."""
    local = make_pool(remember_devices="user_opt_in")
    local.create_user("alice", PASSWORD)
    result = srp_login(public, local, "alice")["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    _, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    confirmed = public.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=meta["DeviceKey"],
        DeviceSecretVerifierConfig=verifier,
    )
    assert confirmed["UserConfirmationNecessary"] is True
    device = public.get_device(AccessToken=result["AccessToken"], DeviceKey=meta["DeviceKey"])[
        "Device"
    ]
    assert _attrs(device)["dev:device_remembered_status"] == "not_remembered"


def _device_sign_in(
    public: Any, pool: LocalPool, meta: dict[str, Any], device_password: str
) -> Any:
    srp = AWSSRP(
        username="alice",
        password=PASSWORD,
        pool_id=pool.user_pool_id,
        client_id=pool.client_id,
        client=object(),
        device_key=meta["DeviceKey"],
        device_group_key=meta["DeviceGroupKey"],
        device_password=device_password,
    )
    started = public.initiate_auth(
        ClientId=pool.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.get_auth_params()
    )
    params = started["ChallengeParameters"]
    ts = cognito_timestamp()
    key = srp.get_password_authentication_key(
        params["USER_ID_FOR_SRP"], PASSWORD, int(params["SRP_B"], 16), params["SALT"]
    )
    msg = pool.user_pool_id.split("_")[1].encode() + params["USER_ID_FOR_SRP"].encode()
    msg += base64.b64decode(params["SECRET_BLOCK"]) + ts.encode()
    step = public.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=started["Session"],
        ChallengeResponses={
            "USERNAME": params["USERNAME"],
            "TIMESTAMP": ts,
            "DEVICE_KEY": meta["DeviceKey"],
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(
                hmac.new(key, msg, hashlib.sha256).digest()
            ).decode(),
        },
    )
    assert step["ChallengeName"] == "DEVICE_SRP_AUTH"
    step = public.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=step["Session"],
        ChallengeResponses={
            "USERNAME": "alice",
            "DEVICE_KEY": meta["DeviceKey"],
            "SRP_A": format(srp.large_a_value, "x"),
        },
    )
    assert step["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    params = step["ChallengeParameters"]
    ts = cognito_timestamp()
    key = srp.get_device_authentication_key(
        meta["DeviceGroupKey"],
        meta["DeviceKey"],
        device_password,
        int(params["SRP_B"], 16),
        params["SALT"],
    )
    msg = (
        meta["DeviceGroupKey"].encode()
        + meta["DeviceKey"].encode()
        + base64.b64decode(params["SECRET_BLOCK"])
        + ts.encode()
    )
    return public.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        Session=step["Session"],
        ChallengeResponses={
            "USERNAME": "alice",
            "DEVICE_KEY": meta["DeviceKey"],
            "TIMESTAMP": ts,
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(
                hmac.new(key, msg, hashlib.sha256).digest()
            ).decode(),
        },
    )


def test_device_srp_sign_in(device_pool: LocalPool, public: Any) -> None:
    """A remembered device completes DEVICE_SRP_AUTH with its registered verifier."""
    meta, device_password, _ = _confirmed_device(public, device_pool)
    result = _device_sign_in(public, device_pool, meta, device_password)["AuthenticationResult"]
    assert "AccessToken" in result and "NewDeviceMetadata" not in result


def test_device_srp_wrong_device_password(device_pool: LocalPool, public: Any) -> None:
    """A device proof made with another device password is refused."""
    meta, _, _ = _confirmed_device(public, device_pool)
    with pytest.raises(ClientError) as excinfo:
        _device_sign_in(public, device_pool, meta, "not-the-device-password")
    assert error_code(excinfo) == "NotAuthorizedException"


def test_forgotten_device_is_resource_not_found(device_pool: LocalPool, public: Any) -> None:
    """Signing in with a forgotten device key raises ResourceNotFoundException
    (docs/cognito-facts.md#remembered-devices)."""
    meta, device_password, token = _confirmed_device(public, device_pool)
    public.forget_device(AccessToken=token, DeviceKey=meta["DeviceKey"])
    with pytest.raises(ClientError) as excinfo:
        _device_sign_in(public, device_pool, meta, device_password)
    assert error_code(excinfo) == "ResourceNotFoundException"
    # The device operations name it so too.
    key = {"AccessToken": token, "DeviceKey": meta["DeviceKey"]}
    calls: list[Callable[[], object]] = [
        lambda: public.get_device(**key),
        lambda: public.forget_device(**key),
        lambda: public.update_device_status(**key, DeviceRememberedStatus="remembered"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as excinfo:
            call()
        assert (error_code(excinfo), error_message(excinfo)) == (
            "ResourceNotFoundException",
            "Device does not exist.",
        )
