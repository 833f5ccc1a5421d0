"""The device stores: memory and file (mode 0600, atomic rewrites), and the protocol."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cognito_user_pool import (
    DeviceMetadata,
    DeviceSecrets,
    DeviceStore,
    FileDeviceStore,
    MemoryDeviceStore,
)

pytestmark = pytest.mark.anyio

SECRETS = DeviceSecrets("us-east-1_0a1b", "-groupkey", "device-password")
POOL = "us-east-1_abc"


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> DeviceStore:
    if request.param == "memory":
        return MemoryDeviceStore()
    return FileDeviceStore(tmp_path / "sub" / "devices.json")


async def test_put_get_delete(store: DeviceStore) -> None:
    """Entries are per pool and user; put replaces, delete forgets (twice is harmless)."""
    assert isinstance(store, DeviceStore)
    assert await store.get(POOL, "alice") is None
    await store.put(POOL, "alice", SECRETS)
    assert await store.get(POOL, "alice") == SECRETS
    assert await store.get(POOL, "bob") is None
    assert await store.get("us-east-1_other", "alice") is None
    newer = DeviceSecrets("us-east-1_0c0d", "-groupkey", "other-password")
    await store.put(POOL, "alice", newer)
    assert await store.get(POOL, "alice") == newer
    await store.delete(POOL, "alice")
    await store.delete(POOL, "alice")
    assert await store.get(POOL, "alice") is None


def test_reprs_hide_secrets(tmp_path: Path) -> None:
    """Neither the group key nor the device password shows in any repr."""
    for text in (
        repr(SECRETS),
        repr(DeviceMetadata("us-east-1_0a1b", "-groupkey")),
        repr(MemoryDeviceStore()),
        repr(FileDeviceStore(tmp_path / "d.json")),
    ):
        assert "-groupkey" not in text and "device-password" not in text


async def test_file_store_is_private_and_survives(tmp_path: Path) -> None:
    """The file is mode 0600 in a 0700 folder, leaves no temporary file behind, and a new
    store object on the same path reads what the first wrote."""
    path = tmp_path / "state" / "devices.json"
    await FileDeviceStore(path).put(POOL, "alice", SECRETS)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert os.listdir(path.parent) == ["devices.json"]
    assert await FileDeviceStore(path).get(POOL, "alice") == SECRETS
    await FileDeviceStore(path).delete(POOL, "alice")
    assert json.loads(path.read_text())["devices"] == {}


async def test_file_store_refuses_a_foreign_file(tmp_path: Path) -> None:
    """A file that is not a device store is an error, not an empty store to overwrite."""
    path = tmp_path / "devices.json"
    path.write_text('["not", "a", "store"]')
    with pytest.raises(ValueError, match="not a device store"):
        await FileDeviceStore(path).put(POOL, "alice", SECRETS)
    assert path.read_text() == '["not", "a", "store"]'
    path.write_text(json.dumps({"devices": {POOL: {"alice": {"device_key": "k"}}}}))
    with pytest.raises(ValueError, match="lacks one"):
        await FileDeviceStore(path).get(POOL, "alice")
