"""The state file of ``LocalCognito(state=...)`` / ``local --state FILE``.

One JSON document keeps a server's pools across restarts: their settings (passkey settings
included), app clients (ids, secrets, settings), groups, users (attributes, status, groups, MFA
settings, TOTP secrets, confirmed devices, passkeys) and pending codes. Passwords are never
written: a user's password is kept as AWS keeps it, an SRP salt and verifier (``"srp"``), and
every check the server makes works from that (``StrictState.password_matches``).

The file is replaced atomically (a temporary file in the same directory, fsync, rename) and
created with mode 0600: it holds client secrets, TOTP secrets and pending codes. A file that
is not JSON, not a state file, malformed, or of a newer format version raises
:class:`StateFileError`, with nothing started and nothing overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import _moto_internals as mi
from ._outbox import Outbox
from ._strict import StrictCognito
from ._web_authn_config import WebAuthnSettings

__all__ = ["FORMAT", "VERSION", "StateFileError", "capture", "read", "restore", "write"]

FORMAT = "cognito-user-pool/local-state"
# Bump when a reader of the current version would misread a new file; a reader refuses
# versions above its own rather than guess.
VERSION = 1


class StateFileError(Exception):
    """A state file that cannot be used: unreadable, not JSON, not a local Cognito state
    file, malformed, or written by a newer version. The message names the file and what is
    wrong, never a secret."""


def read(path: Path) -> dict[str, Any] | None:
    """The state file's document, checked for its format and version; None if there is none.

    :raises StateFileError: see the class.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise StateFileError(f"cannot read the state file {path}: {reason}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", "?")
        raise StateFileError(
            f"the state file {path} is not valid JSON (line {line}); fix it, or delete it "
            "to start afresh"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateFileError(
            f'{path} is not a local Cognito state file (it has no "format": "{FORMAT}")'
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StateFileError(f'the state file {path} has no valid "version"')
    if version > VERSION:
        raise StateFileError(
            f"the state file {path} has format version {version}, newer than this "
            f"cognito-user-pool reads ({VERSION}): upgrade it, or use another file"
        )
    default = data.get("default")
    if not isinstance(data.get("pools"), list) or not (
        default is None
        or (isinstance(default, dict) and {"pool_id", "client_id"} <= default.keys())
    ):
        raise StateFileError(f"the state file {path} is malformed (pools, default)")
    if not isinstance(data.get("region"), str):
        raise StateFileError(f"the state file {path} is malformed (region)")
    return data


def write(path: Path, text: str) -> None:
    """Replace ``path`` atomically with ``text`` (a document from :func:`capture`, as JSON),
    mode 0600.

    :raises OSError: when the directory is not writable, the disk is full, ...
    """
    directory = path.parent
    # mkstemp creates the file 0600 whatever the umask; the rename keeps that mode, so a
    # looser existing file is replaced, never reused.
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; not possible (nor needed) on Windows.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def capture(
    strict: StrictCognito, region: str, pool_ids: list[str], default: tuple[str, str] | None
) -> dict[str, Any]:
    """The state document of these pools (those still in moto; deleted ones are left out).

    :param default: the default pool's ``(pool_id, client_id)``, if any.
    """
    pools = []
    with strict.lock:
        for pool_id in pool_ids:
            pool = mi.find_pool(pool_id)
            if pool is None:
                continue
            data = mi.export_pool(pool)
            users, codes = strict.export_pool(pool)
            for user in data["users"]:
                user.update(users.get(user["username"], {}))
            data["codes"] = codes
            data["web_authn"] = strict.web_authn_settings(pool.id).to_json()
            pools.append(data)
    kept = {p["id"] for p in pools}
    return {
        "format": FORMAT,
        "version": VERSION,
        "region": region,
        "default": (
            {"pool_id": default[0], "client_id": default[1]}
            if default is not None and default[0] in kept
            else None
        ),
        "pools": pools,
    }


def restore(strict: StrictCognito, document: dict[str, Any], path: Path) -> list[str]:
    """Rebuild every pool of a document read by :func:`read`; all or nothing.

    Each pool gets its own outbox (``strict.pool_outbox``), and its pending codes are
    "sent" to it again.

    :returns: the restored pool ids, in the file's order.
    :raises StateFileError: for malformed content, or a pool or app client id that already
        exists in this process (another server restored the same file).
    """
    restored: list[str] = []
    current = "?"
    try:
        with strict.lock:
            for entry in document["pools"]:
                current = str(entry.get("id", "?")) if isinstance(entry, dict) else "?"
                pool = mi.import_pool(entry)
                restored.append(pool.id)
                strict.attach_pool_outbox(pool.id, Outbox())
                users = {str(u["username"]): u for u in entry["users"]}
                strict.import_pool(pool, users, list(entry["codes"]))
                # Absent from files written before passkeys: the default settings.
                strict.set_web_authn(pool.id, WebAuthnSettings.from_json(entry.get("web_authn")))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        for pool_id in restored:
            strict.detach_pool(pool_id)
            mi.delete_pool(pool_id)
        raise StateFileError(_restore_problem(path, current, exc)) from None
    default = document["default"]
    if default is not None and default["pool_id"] not in restored:
        raise StateFileError(f"the state file {path} names a default pool it does not hold")
    return restored


def _restore_problem(path: Path, pool_id: str, exc: Exception) -> str:
    where = f"the state file {path}, pool {pool_id}"
    if isinstance(exc, ValueError) and "already exists in this process" in str(exc):
        # Our own message, with ids only: another LocalCognito here restored the same file.
        return f"cannot restore {where}: {exc}"
    if isinstance(exc, KeyError):
        return f"{where} is malformed: {exc.args[0]!r} is missing"
    # Other messages could quote a value from the file (a secret): name the kind only.
    return f"{where} is malformed ({type(exc).__name__})"
