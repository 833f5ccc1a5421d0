"""Remembered devices: confirm the device a sign-in announced (ConfirmDevice, with a device
verifier), remember it or not (UpdateDeviceStatus), list, get and forget devices; and the
device step of ``login`` (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER), with which a
remembered device skips MFA (docs/cognito-facts.md#device-srp, #remembered-devices).

The device's secrets live in the pool's ``device_store`` (``_devices.DeviceStore``): a
``MemoryDeviceStore`` unless the application sets another.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

import anyio.to_thread

from .. import _validate as v
from .._devices import DeviceSecrets, DeviceStore, MemoryDeviceStore
from .._errors import (
    CognitoError,
    InvalidParameterError,
    NotAuthorizedError,
    ResourceNotFoundError,
    UnexpectedError,
    UnexpectedResponseError,
)
from .._srp import SrpSession, device_verifier
from .._tokens import internal_username
from .._types import Device, DeviceMetadata, Tokens
from ._base import FlowBase, UserAuth
from ._blocking import blocking
from ._registry import flow

__all__ = [
    "DevicesBlocking",
    "DevicesFlows",
    "answer_device_challenge",
    "device_from_aws",
    "device_store_of",
    "forget_stored_device",
    "stored_device",
    "stored_device_key",
]

T = TypeVar("T")

# botocore's DeviceKeyType: 1 to 55 characters, "[\w-]+_[0-9a-f-]+" (Java's ASCII \w).
_DEVICE_KEY = re.compile(r"[\w-]+_[0-9a-f-]+", re.ASCII)
_MAX_DEVICE_KEY = 55
# DeviceNameType: 1 to 1024 characters.
_MAX_DEVICE_NAME = 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
# The DeviceAttributes entries read into Device's own fields.
_NAME_ATTRIBUTE = "device_name"
_REMEMBERED_ATTRIBUTE = "dev:device_remembered_status"


class DevicesFlows(FlowBase):
    """confirm_device, update_device_status, list_devices, get_device, forget_device."""

    _device_store: DeviceStore  # set by the property's setter, or on first use

    @property
    def device_store(self) -> DeviceStore:
        """Where this pool keeps its users' device secrets; a ``MemoryDeviceStore`` until
        you set another (``FileDeviceStore``, or your own ``DeviceStore``)."""
        return device_store_of(self)

    @device_store.setter
    def device_store(self, store: DeviceStore) -> None:
        if not isinstance(store, DeviceStore):
            raise InvalidParameterError(
                "device_store must have async get, put and delete (a DeviceStore)",
                field="device_store",
            )
        self._device_store = store

    @flow
    async def confirm_device(
        self,
        *,
        auth: UserAuth,
        device: DeviceMetadata | Tokens | Mapping[str, str],
        device_name: str | None = None,
    ) -> bool:
        """Confirm the device a sign-in announced (ConfirmDevice), with a verifier of a new
        random device password; the key, group key and password go to ``device_store``, so
        that the next ``login`` of this user signs in with the device.

        :param auth: who is signed in (the sign-in that announced the device).
        :param device: ``tokens.new_device``, the ``Tokens`` themselves, or AWS's
            ``NewDeviceMetadata`` mapping (``DeviceKey``, ``DeviceGroupKey``).
        :param device_name: a name to show in ``list_devices`` (1 to 1024 characters).
        :returns: ``UserConfirmationNecessary``: ``True`` when the pool remembers devices
            only if the user agrees (then call ``update_device_status(remembered=True)``);
            ``False`` when it is remembered already.
        :raises ResourceNotFoundError: Cognito does not know this device key.
        """
        metadata = _metadata(device)
        name = {} if device_name is None else {"DeviceName": _device_name(device_name)}
        token = await self._access_token(auth)
        username = _username(token)
        password, config = await anyio.to_thread.run_sync(
            device_verifier, metadata.device_group_key, metadata.device_key
        )
        secrets = DeviceSecrets(metadata.device_key, metadata.device_group_key, password)
        store = device_store_of(self)
        pool_id = self._config.user_pool_id
        previous = await _guarded(store.get(pool_id, username))
        # Kept before the request: if its answer is lost, the device may be confirmed, and
        # only this password can use it.
        await _guarded(store.put(pool_id, username, secrets))
        try:
            response = await self._call(
                "ConfirmDevice",
                AccessToken=token,
                DeviceKey=metadata.device_key,
                DeviceSecretVerifierConfig=config,
                **name,
            )
        except CognitoError as exc:
            if exc.code != "CognitoUserPool.OutcomeUnknown":
                await _restore(store, pool_id, username, previous)
            raise
        return bool(response.get("UserConfirmationNecessary", False))

    @flow
    async def update_device_status(
        self, *, auth: UserAuth, device_key: str, remembered: bool
    ) -> None:
        """Remember a device (it then skips MFA at sign-in) or stop remembering it
        (UpdateDeviceStatus). A device not remembered is still tracked and listed.

        :raises ResourceNotFoundError: the user has no such device.
        """
        device_key = _device_key(device_key)
        remembered = v.boolean(remembered, "remembered")
        token = await self._access_token(auth)
        status = "remembered" if remembered else "not_remembered"
        await self._call(
            "UpdateDeviceStatus",
            AccessToken=token,
            DeviceKey=device_key,
            DeviceRememberedStatus=status,
        )

    @flow
    async def list_devices(self, *, auth: UserAuth, limit: int | None = None) -> tuple[Device, ...]:
        """Every device of the signed-in user (ListDevices, all pages).

        :param limit: devices per request (AWS's ``Limit``, 1 to 60); every page is read
            whatever its value.
        """
        page = {} if limit is None else {"Limit": v.page_size(limit, "limit", "ListDevices")}
        token = await self._access_token(auth)
        raw = await self._every_page(
            "ListDevices", "Devices", "PaginationToken", AccessToken=token, **page
        )
        return tuple(device_from_aws(device) for device in raw)

    @flow
    async def get_device(self, *, auth: UserAuth, device_key: str | None = None) -> Device:
        """One device of the signed-in user (GetDevice).

        :param device_key: the device; by default, the one ``device_store`` keeps for the user.
        :raises InvalidParameterError: no ``device_key`` and none in the store.
        :raises ResourceNotFoundError: the user has no such device.
        """
        device_key = None if device_key is None else _device_key(device_key)
        token = await self._access_token(auth)
        key = device_key or await self._stored_key(token)
        response = await self._call("GetDevice", AccessToken=token, DeviceKey=key)
        raw = response.get("Device")
        if not isinstance(raw, Mapping):
            raise UnexpectedResponseError("Cognito answered GetDevice without a device")
        return device_from_aws(raw)

    @flow
    async def forget_device(self, *, auth: UserAuth, device_key: str | None = None) -> None:
        """Forget a device (ForgetDevice): its next sign-in asks for MFA again. When it is
        the device ``device_store`` keeps for the user, the store forgets it too.

        :param device_key: the device; by default, the one ``device_store`` keeps.
        :raises InvalidParameterError: no ``device_key`` and none in the store.
        :raises ResourceNotFoundError: the user has no such device (a stored one is then
            dropped from the store all the same).
        """
        device_key = None if device_key is None else _device_key(device_key)
        token = await self._access_token(auth)
        username = _username(token)
        store = device_store_of(self)
        pool_id = self._config.user_pool_id
        stored = await _guarded(store.get(pool_id, username))
        key = device_key or await self._stored_key(token)
        is_stored = stored is not None and stored.device_key == key
        try:
            await self._call("ForgetDevice", AccessToken=token, DeviceKey=key)
        except ResourceNotFoundError:
            if is_stored:
                await _guarded(store.delete(pool_id, username))
            raise
        if is_stored:
            await _guarded(store.delete(pool_id, username))

    async def _stored_key(self, token: str) -> str:
        stored = await stored_device(self, _username(token))
        if stored is None:
            raise InvalidParameterError(
                "device_key: this pool's device_store keeps no device for this user; pass one",
                field="device_key",
            )
        return stored.device_key


class DevicesBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    confirm_device = blocking(DevicesFlows.confirm_device)
    update_device_status = blocking(DevicesFlows.update_device_status)
    list_devices = blocking(DevicesFlows.list_devices)
    get_device = blocking(DevicesFlows.get_device)
    forget_device = blocking(DevicesFlows.forget_device)

    @property
    def device_store(self) -> DeviceStore:
        """The device store of the pool underneath (see ``AsyncUserPool.device_store``)."""
        store: DeviceStore = getattr(self, "_pool").device_store  # noqa: B009
        return store

    @device_store.setter
    def device_store(self, store: DeviceStore) -> None:
        getattr(self, "_pool").device_store = store  # noqa: B009


# ---- the device step of login --------------------------------------------------------------


def device_store_of(pool: FlowBase) -> DeviceStore:
    """The pool's device store, a ``MemoryDeviceStore`` made on first use."""
    store: DeviceStore | None = getattr(pool, "_device_store", None)
    if store is None:
        store = MemoryDeviceStore()
        pool._device_store = store  # type: ignore[attr-defined]
    return store


async def stored_device(pool: FlowBase, username: str) -> DeviceSecrets | None:
    """The device the pool's store keeps for ``username`` (an internal name or an alias)."""
    store = device_store_of(pool)
    return await _guarded(store.get(pool._config.user_pool_id, username))


async def forget_stored_device(pool: FlowBase, username: str) -> None:
    """Drop ``username``'s device from the store (Cognito no longer knows it)."""
    store = device_store_of(pool)
    await _guarded(store.delete(pool._config.user_pool_id, username))


async def answer_device_challenge(
    pool: FlowBase,
    srp: SrpSession,
    response: Mapping[str, Any],
    internal: str,
    secrets: DeviceSecrets,
) -> dict[str, Any]:
    """Answer DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER with the device's secrets;
    returns Cognito's last answer (tokens, or an MFA challenge for a device not remembered).

    :raises NotAuthorizedError: Cognito refused the device's proof.
    """
    config = pool._config
    parameters = response.get("ChallengeParameters") or {}
    internal = str(parameters.get("USERNAME") or internal)
    first = await pool._call(
        "RespondToAuthChallenge",
        ClientId=config.client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=str(response.get("Session") or ""),
        ChallengeResponses=srp.device_srp_responses(internal, secrets.device_key),
    )
    if first.get("ChallengeName") != "DEVICE_PASSWORD_VERIFIER" or not first.get("Session"):
        raise UnexpectedResponseError("Cognito answered DEVICE_SRP_AUTH with no device challenge")
    answers = await anyio.to_thread.run_sync(
        functools.partial(
            srp.device_verifier_responses,
            first.get("ChallengeParameters") or {},
            device_key=secrets.device_key,
            device_group_key=secrets.device_group_key,
            device_password=secrets.device_password,
        )
    )
    try:
        return await pool._call(
            "RespondToAuthChallenge",
            ClientId=config.client_id,
            ChallengeName="DEVICE_PASSWORD_VERIFIER",
            Session=str(first["Session"]),
            ChallengeResponses=answers,
        )
    except NotAuthorizedError as exc:
        raise NotAuthorizedError(
            "Cognito refused the remembered device's proof (DEVICE_PASSWORD_VERIFIER): the "
            "device store's secret does not match the device, or the sign-in took too long; "
            "forget_device, or delete the entry from the device store, to sign in with MFA"
        ) from exc


# ---- helpers ---------------------------------------------------------------------------------


async def _guarded(call: Awaitable[T]) -> T:
    """A device store's call, its failures reported as ``UnexpectedError`` (the message
    names only the exception's type: a store's message might quote a secret)."""
    try:
        return await call
    except CognitoError:
        raise
    except Exception as exc:
        raise UnexpectedError(f"the device store failed ({type(exc).__name__})") from exc


async def _restore(
    store: DeviceStore, pool_id: str, username: str, previous: DeviceSecrets | None
) -> None:
    """Put back what the store held before a ConfirmDevice that Cognito refused."""
    if previous is None:
        await _guarded(store.delete(pool_id, username))
    else:
        await _guarded(store.put(pool_id, username, previous))


def _username(token: str) -> str:
    name = internal_username(token, "auth")
    if name is None:
        raise InvalidParameterError("auth: the access token names no user", field="auth")
    return name


def _device_key(value: object, field: str = "device_key") -> str:
    if not isinstance(value, str):
        raise InvalidParameterError(
            f"{field} must be a string, not {type(value).__name__}", field=field
        )
    if not 1 <= len(value) <= _MAX_DEVICE_KEY or not _DEVICE_KEY.fullmatch(value):
        raise InvalidParameterError(
            f"{field} must be a device key such as 'us-east-1_0a1b2c3d-...' "
            f"(at most {_MAX_DEVICE_KEY} characters)",
            field=field,
        )
    return value


def _device_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidParameterError("device_name must be a non-empty string", field="device_name")
    if len(value) > _MAX_DEVICE_NAME or _SURROGATE.search(value):
        raise InvalidParameterError(
            f"device_name must be Unicode text of at most {_MAX_DEVICE_NAME} characters",
            field="device_name",
        )
    return value


def _metadata(device: object) -> DeviceMetadata:
    """``device`` as ``DeviceMetadata``, from any of the forms ``confirm_device`` takes."""
    if isinstance(device, Tokens):
        if device.new_device is None:
            raise InvalidParameterError(
                "device: these tokens announce no new device (the pool does not track "
                "devices, or the sign-in used a remembered one)",
                field="device",
            )
        device = device.new_device
    if isinstance(device, Mapping):
        key, group = device.get("DeviceKey"), device.get("DeviceGroupKey")
    elif isinstance(device, DeviceMetadata):
        key, group = device.device_key, device.device_group_key
    else:
        raise InvalidParameterError(
            "device must be tokens.new_device, the Tokens, or a NewDeviceMetadata mapping",
            field="device",
        )
    key = _device_key(key, "device")
    if not isinstance(group, str) or not group or _SURROGATE.search(group):
        raise InvalidParameterError("device: the device group key is missing", field="device")
    return DeviceMetadata(device_key=key, device_group_key=group)


def _date(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def device_from_aws(raw: Mapping[str, Any]) -> Device:
    """A ``Device`` from botocore's ``DeviceType``."""
    key = raw.get("DeviceKey")
    if not isinstance(key, str) or not key:
        raise UnexpectedResponseError("Cognito described a device without its key")
    attributes = {
        str(a.get("Name")): str(a.get("Value", ""))
        for a in raw.get("DeviceAttributes") or ()
        if isinstance(a, Mapping) and a.get("Name")
    }
    status = attributes.get(_REMEMBERED_ATTRIBUTE)
    return Device(
        device_key=key,
        name=attributes.get(_NAME_ATTRIBUTE) or None,
        remembered=None if status is None else status == "remembered",
        attributes=MappingProxyType(attributes),
        created=_date(raw.get("DeviceCreateDate")),
        last_modified=_date(raw.get("DeviceLastModifiedDate")),
        last_authenticated=_date(raw.get("DeviceLastAuthenticatedDate")),
    )


async def stored_device_key(pool: FlowBase, username: str | None) -> str | None:
    """The key of ``username``'s device in the pool's store, for a refresh's ``DEVICE_KEY``
    (pools that track devices want it: docs/cognito-facts.md#refreshing-tokens)."""
    if username is None:
        return None
    stored = await stored_device(pool, username)
    return None if stored is None else stored.device_key
