"""Where a remembered device's secrets live: the ``DeviceStore`` protocol, an in-memory store
(the default) and a file store (one JSON file, mode 0600, atomic writes) for the CLI.

A device's secrets are its key, its group key and the random password whose verifier
``confirm_device`` registered with Cognito (docs/cognito-facts.md#device-srp). With them,
``login`` answers DEVICE_SRP_AUTH, so a remembered device skips MFA; whoever holds them can
skip a user's MFA, so a store should be as private as a refresh token. Entries are keyed by
user pool id and the pool's internal username (the ``username`` claim of the access token).

No I/O on the event loop: the file store reads and writes in a worker thread.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import anyio.to_thread

__all__ = ["DeviceSecrets", "DeviceStore", "FileDeviceStore", "MemoryDeviceStore"]


@dataclass(frozen=True, slots=True)
class DeviceSecrets:
    """What a device needs to sign in with device SRP. Only the key shows in ``repr``.

    :ivar device_key: the device's key, from ``Tokens.new_device``.
    :ivar device_group_key: the user's device group key, from the same place.
    :ivar device_password: the random password ``confirm_device`` made for the device.
    """

    device_key: str
    device_group_key: str = field(repr=False)
    device_password: str = field(repr=False)

    def to_json(self) -> dict[str, str]:
        """The secrets as a JSON object (for stores that write them somewhere)."""
        return {
            "device_key": self.device_key,
            "device_group_key": self.device_group_key,
            "device_password": self.device_password,
        }

    @classmethod
    def from_json(cls, data: object) -> DeviceSecrets:
        """Read what ``to_json`` wrote.

        :raises ValueError: when ``data`` is not such an object (the message names no value).
        """
        if not isinstance(data, dict):
            raise ValueError("a device entry is not a JSON object")
        values = [data.get(name) for name in ("device_key", "device_group_key", "device_password")]
        if not all(isinstance(value, str) and value for value in values):
            raise ValueError("a device entry lacks one of its three strings")
        key, group, password = (str(value) for value in values)
        return cls(device_key=key, device_group_key=group, device_password=password)


@runtime_checkable
class DeviceStore(Protocol):
    """Keeps each user's remembered device, per user pool. The application chooses one:
    ``MemoryDeviceStore`` (the default, one per pool object), ``FileDeviceStore``, or its
    own (a database row next to the user's session, an encrypted cookie...).

    Failures may be raised as any exception: the flows report them as
    ``UnexpectedError`` (its message names only the exception's type).
    """

    async def get(self, pool_id: str, username: str) -> DeviceSecrets | None:
        """The user's device, or ``None``."""
        ...

    async def put(self, pool_id: str, username: str, secrets: DeviceSecrets) -> None:
        """Keep ``secrets`` as the user's device, replacing any other."""
        ...

    async def delete(self, pool_id: str, username: str) -> None:
        """Forget the user's device; nothing happens if there is none."""
        ...


class MemoryDeviceStore:
    """Devices kept in this process only: they are gone when it exits.

    Usage::

        pool = AsyncUserPool(pool_id, client_id)
        pool.device_store = MemoryDeviceStore()  # what a pool starts with
    """

    def __init__(self) -> None:
        self._devices: dict[tuple[str, str], DeviceSecrets] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(devices={len(self._devices)})"

    async def get(self, pool_id: str, username: str) -> DeviceSecrets | None:
        """The user's device, or ``None``."""
        return self._devices.get((pool_id, username))

    async def put(self, pool_id: str, username: str, secrets: DeviceSecrets) -> None:
        """Keep ``secrets`` as the user's device."""
        self._devices[(pool_id, username)] = secrets

    async def delete(self, pool_id: str, username: str) -> None:
        """Forget the user's device."""
        self._devices.pop((pool_id, username), None)


class FileDeviceStore:
    """Devices kept in one JSON file that only its owner can read (mode 0600).

    Each change writes a new file beside the old one and renames it over it, so a crash
    leaves the old file or the new one, never half of one. Threads of one process share
    the file safely through one store object; processes writing the same file at once
    are not coordinated (the last rename wins).

    Usage::

        pool.device_store = FileDeviceStore("~/.config/cognito-user-pool/devices.json")

    :param path: the file; ``~`` is expanded. Its folder is created (mode 0700) if missing.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = Path(path).expanduser()
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The file the devices are kept in."""
        return self._path

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self._path)!r})"

    async def get(self, pool_id: str, username: str) -> DeviceSecrets | None:
        """The user's device, or ``None`` (also when the file does not exist yet)."""
        return await anyio.to_thread.run_sync(self._get, pool_id, username)

    async def put(self, pool_id: str, username: str, secrets: DeviceSecrets) -> None:
        """Keep ``secrets`` as the user's device (one atomic rewrite of the file)."""
        await anyio.to_thread.run_sync(self._change, pool_id, username, secrets)

    async def delete(self, pool_id: str, username: str) -> None:
        """Forget the user's device (the file is rewritten only if it had one)."""
        await anyio.to_thread.run_sync(self._change, pool_id, username, None)

    def _get(self, pool_id: str, username: str) -> DeviceSecrets | None:
        with self._lock:
            entry = self._read().get(pool_id, {}).get(username)
        return None if entry is None else DeviceSecrets.from_json(entry)

    def _change(self, pool_id: str, username: str, secrets: DeviceSecrets | None) -> None:
        with self._lock:
            pools = self._read()
            users = pools.setdefault(pool_id, {})
            if secrets is None:
                if users.pop(username, None) is None:
                    return
                if not users:
                    del pools[pool_id]
            else:
                users[username] = secrets.to_json()
            self._write(pools)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        data = json.loads(text)
        pools = data.get("devices") if isinstance(data, dict) else None
        if not isinstance(pools, dict) or not all(isinstance(u, dict) for u in pools.values()):
            raise ValueError(f"{self._path} is not a device store file")
        return pools

    def _write(self, pools: dict[str, dict[str, Any]]) -> None:
        folder = self._path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file with mode 0600, so the secrets are never readable by others,
        # not even between the write and the rename.
        fd, temporary = tempfile.mkstemp(prefix=f".{self._path.name}.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump({"version": 1, "devices": pools}, file, indent=1, sort_keys=True)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self._path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
