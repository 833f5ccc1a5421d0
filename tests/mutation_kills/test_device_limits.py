"""The device flows' limits at their edges, their messages, and the device key a rotating
refresh sends (mutation found no test reading them)."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_user_pool import AsyncUserPool, DeviceSecrets, InvalidParameterError, MemoryDeviceStore

from .test_device_restore import DEVICE, POOL_ID, TOKEN

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
    store = MemoryDeviceStore()
    await store.put(POOL_ID, "alice", DeviceSecrets(DEVICE["DeviceKey"], "-group", "pw"))
    pool.device_store = store
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
