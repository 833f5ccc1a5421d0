"""The checks of ``LocalCognito``'s options that need no running server: each raises an
:class:`OptionError` naming the option at fault, before anything starts (``_server``)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from . import _moto_internals as mi
from ._errors import OptionError
from ._web_authn_config import WebAuthnSettings, check_relying_party_id, check_user_verification

__all__ = [
    "Validity",
    "check_email_mfa",
    "check_free",
    "rotation",
    "seconds",
    "state_path",
    "web_authn_settings",
]

Validity = int | timedelta | None


def seconds(value: Validity) -> int | None:
    """A token validity option in seconds (None: the app client's default)."""
    if value is None:
        return None
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


def rotation(grace: object) -> int | None:
    """``refresh_token_rotation``: None, or a grace period of 0 to 60 seconds
    (API_RefreshTokenRotationType)."""
    if grace is None:
        return None
    if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace <= 60:
        raise OptionError(
            "refresh_token_rotation",
            "refresh_token_rotation is None (no rotation) or a grace period of 0 to 60 seconds",
        )
    return grace


def check_email_mfa(mfa: str, email_mfa: bool) -> None:
    """E-mail MFA is an MFA factor: AWS refuses it with MFA ``OFF`` (local/_ops/mfa.py)."""
    if email_mfa and mfa == "OFF":
        raise OptionError("email_mfa", "email_mfa needs mfa='OPTIONAL' or mfa='ON'")


def web_authn_settings(relying_party_id: object, user_verification: object) -> WebAuthnSettings:
    """``web_authn_relying_party_id`` and ``web_authn_user_verification`` as the pool's
    passkey settings (``WebAuthnConfiguration``)."""
    try:
        rp_id = check_relying_party_id(relying_party_id)
    except ValueError as exc:
        raise OptionError(
            "web_authn_relying_party_id", f"web_authn_relying_party_id: {exc}"
        ) from None
    try:
        verification = check_user_verification(user_verification)
    except ValueError as exc:
        raise OptionError(
            "web_authn_user_verification", f"web_authn_user_verification: {exc}"
        ) from None
    return WebAuthnSettings(rp_id, verification)


def state_path(state: str | os.PathLike[str] | None) -> Path | None:
    """The state file's path, checked for what can be checked before starting."""
    if state is None:
        return None
    path = Path(state).expanduser().absolute()
    if path.is_dir():
        raise OptionError("state", f"{path} is a directory, not a file")
    if not path.parent.is_dir():
        raise OptionError("state", f"the directory of the state file does not exist: {path.parent}")
    return path


def check_free(pool_id: str | None, client_id: str | None) -> None:
    """Fixed ids must not be taken: moto's backend is shared by the whole process."""
    if pool_id is not None and mi.find_pool(pool_id) is not None:
        raise OptionError("pool_id", f"a user pool {pool_id} already exists in this process")
    if client_id is not None and mi.find_client_pool(client_id) is not None:
        raise OptionError("client_id", "an app client with that id already exists in this process")
