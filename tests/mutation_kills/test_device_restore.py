"""confirm_device keeps the new device's secrets before ConfirmDevice is sent (its answer may
be lost), and puts the store back as it was when Cognito refuses: the earlier device, or none."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from cognito_user_pool import (
    AsyncUserPool,
    DeviceSecrets,
    MemoryDeviceStore,
    OutcomeUnknownError,
    ResourceNotFoundError,
)

pytestmark = pytest.mark.anyio

POOL_ID = "us-east-1_abc"
DEVICE = {"DeviceKey": "us-east-1_0a1b2c3d-0000", "DeviceGroupKey": "-abcdefghi"}
EARLIER = DeviceSecrets("us-east-1_earlier-1111", "-group", "earlier-password")


def _segment(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


TOKEN = f"{_segment({'alg': 'RS256'})}.{_segment({'username': 'alice', 'exp': 2_000_000_000})}.c2ln"


async def _confirm_refused(store: MemoryDeviceStore, error: Exception) -> None:
    pool = AsyncUserPool(POOL_ID, "client1", endpoint_url="http://127.0.0.1:9")
    pool.device_store = store

    async def refused(operation: str, /, **params: Any) -> dict[str, Any]:
        assert operation == "ConfirmDevice"
        # The new secrets are already kept when the request goes out.
        kept = await store.get(POOL_ID, "alice")
        assert kept is not None and kept.device_key == DEVICE["DeviceKey"]
        raise error

    pool._call = refused  # type: ignore[method-assign]
    with pytest.raises(type(error)):
        await pool.confirm_device(auth=TOKEN, device=DEVICE)
    await pool.aclose()


async def test_a_refused_confirmation_puts_the_earlier_device_back() -> None:
    store = MemoryDeviceStore()
    await store.put(POOL_ID, "alice", EARLIER)
    await _confirm_refused(store, ResourceNotFoundError("Device does not exist."))
    assert await store.get(POOL_ID, "alice") == EARLIER


async def test_a_refused_first_confirmation_leaves_no_device() -> None:
    store = MemoryDeviceStore()
    await _confirm_refused(store, ResourceNotFoundError("Device does not exist."))
    assert await store.get(POOL_ID, "alice") is None


async def test_a_lost_answer_keeps_the_new_device() -> None:
    """The device may be confirmed: only the new password can use it, so it stays."""
    store = MemoryDeviceStore()
    await store.put(POOL_ID, "alice", EARLIER)
    await _confirm_refused(store, OutcomeUnknownError("lost"))
    kept = await store.get(POOL_ID, "alice")
    assert kept is not None and kept.device_key == DEVICE["DeviceKey"]
