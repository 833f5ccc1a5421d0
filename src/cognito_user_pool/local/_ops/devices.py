"""Remembered devices: ConfirmDevice, GetDevice, ListDevices, ForgetDevice,
UpdateDeviceStatus, and AdminListDevices (docs/cognito-facts.md#remembered-devices)."""

from __future__ import annotations

import base64

from .._errors import ServiceError
from .._state import StrictState
from .._user_state import Device, UserState
from ._common import authenticate, find_pool, require, require_user
from ._paging import limit, page
from ._registry import Params, Result, operation

__all__ = [
    "admin_list_devices",
    "confirm_device",
    "forget_device",
    "get_device",
    "list_devices",
    "update_device_status",
]


def _device_json(device: Device) -> Result:
    return {
        "DeviceKey": device.key,
        "DeviceAttributes": [
            {"Name": "device_status", "Value": "valid"},
            {"Name": "device_name", "Value": device.name},
            {
                "Name": "dev:device_remembered_status",
                "Value": "remembered" if device.remembered else "not_remembered",
            },
        ],
        "DeviceCreateDate": device.created,
        "DeviceLastModifiedDate": device.modified,
        "DeviceLastAuthenticatedDate": device.last_auth,
    }


def _device(st: StrictState, params: Params) -> tuple[UserState, Device]:
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    key = require(params, "DeviceKey")
    state = st.user_state(pool, user)
    device = state.devices.get(key)
    if device is None:
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")
    return state, device


@operation("ConfirmDevice")
def confirm_device(st: StrictState, params: Params) -> Result:
    """ConfirmDevice: registers the device verifier for a key issued at sign-in
    (docs/cognito-facts.md#remembered-devices)."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    key = require(params, "DeviceKey")
    config = require(params, "DeviceSecretVerifierConfig")
    state = st.user_state(pool, user)
    group_key = state.pending_devices.pop(key, None)
    if group_key is None:
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")
    try:
        verifier = int.from_bytes(base64.b64decode(config["PasswordVerifier"]), "big")
        salt = int.from_bytes(base64.b64decode(config["Salt"]), "big")
    except (KeyError, ValueError, TypeError):
        raise ServiceError(
            "InvalidParameterException", "Invalid DeviceSecretVerifierConfig."
        ) from None
    prompt = bool(
        (pool.config.get("DeviceConfiguration") or {}).get("DeviceOnlyRememberedOnUserPrompt")
    )
    now = st.clock()
    state.devices[key] = Device(
        key=key,
        group_key=group_key,
        verifier=verifier,
        salt=salt,
        name=str(params.get("DeviceName") or ""),
        remembered=not prompt,
        created=now,
        modified=now,
        last_auth=now,
    )
    return {"UserConfirmationNecessary": prompt}


@operation("GetDevice")
def get_device(st: StrictState, params: Params) -> Result:
    """GetDevice."""
    _, device = _device(st, params)
    return {"Device": _device_json(device)}


@operation("ListDevices")
def list_devices(st: StrictState, params: Params) -> Result:
    """ListDevices, paginated by position."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    devices = sorted(st.user_state(pool, user).devices.values(), key=lambda d: d.created)
    start = int(params.get("PaginationToken") or 0)
    limit = int(params.get("Limit") or 60)
    page = devices[start : start + limit]
    result: Result = {"Devices": [_device_json(d) for d in page]}
    if start + limit < len(devices):
        result["PaginationToken"] = str(start + limit)
    return result


@operation("ForgetDevice")
def forget_device(st: StrictState, params: Params) -> Result:
    """ForgetDevice."""
    state, device = _device(st, params)
    del state.devices[device.key]
    return {}


@operation("UpdateDeviceStatus")
def update_device_status(st: StrictState, params: Params) -> Result:
    """UpdateDeviceStatus: remembered or not_remembered."""
    _, device = _device(st, params)
    status = params.get("DeviceRememberedStatus")
    if status not in ("remembered", "not_remembered"):
        raise ServiceError("InvalidParameterException", "Invalid DeviceRememberedStatus.")
    device.remembered = status == "remembered"
    device.modified = st.clock()
    return {}


@operation("AdminListDevices")
def admin_list_devices(st: StrictState, params: Params) -> Result:
    """AdminListDevices (moto: not implemented): the devices the user confirmed with
    ConfirmDevice, as ListDevices shows them, ``Limit`` 0..60 and ``PaginationToken``
    (API_AdminListDevices)."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    devices = list(st.user_state(pool, user).devices.values())
    chunk, token = page(
        devices,
        lambda d: f"{d.created:020.6f}|{d.key}",
        params.get("PaginationToken"),
        limit(params),
        f"AdminListDevices|{pool.id}|{user.username}",
    )
    result: Result = {"Devices": [_device_json(d) for d in chunk]}
    if token is not None:
        result["PaginationToken"] = token
    return result
