"""A signed-in user's MFA: which methods are on, and SMS MFA on or off (the Node library's pair)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _validate as v
from .._types import MfaSettings
from ._base import FlowBase, UserAuth
from ._blocking import blocking
from ._registry import flow

__all__ = ["MfaBlocking", "MfaFlows", "mfa_settings"]


class MfaFlows(FlowBase):
    """get_mfa, set_mfa."""

    @flow
    async def get_mfa(
        self,
        *,
        auth: UserAuth,
    ) -> MfaSettings | None:
        """The user's MFA methods and the preferred one; ``None`` when MFA is off."""
        token = await self._access_token(auth)
        return mfa_settings(await self._call("GetUser", AccessToken=token))

    @flow
    async def set_mfa(
        self,
        *,
        auth: UserAuth,
        enable_mfa: bool,
    ) -> None:
        """Turn SMS MFA on (and preferred) or off (SetUserMFAPreference; the legacy
        SetUserSettings is deprecated by AWS). The user needs a phone number first.
        """
        enable_mfa = v.boolean(enable_mfa, "enable_mfa")
        token = await self._access_token(auth)
        await self._call(
            "SetUserMFAPreference",
            AccessToken=token,
            SMSMfaSettings={"Enabled": enable_mfa, "PreferredMfa": enable_mfa},
        )


class MfaBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    get_mfa = blocking(MfaFlows.get_mfa)
    set_mfa = blocking(MfaFlows.set_mfa)


def mfa_settings(response: Mapping[str, Any]) -> MfaSettings | None:
    """Modern ``UserMFASettingList`` first; the legacy ``MFAOptions`` (SMS only) as fallback."""
    enabled = [str(name) for name in response.get("UserMFASettingList") or ()]
    if not enabled:
        for option in response.get("MFAOptions") or ():
            if option.get("DeliveryMedium") == "SMS" and "SMS_MFA" not in enabled:
                enabled.append("SMS_MFA")
    if not enabled:
        return None
    preferred = response.get("PreferredMfaSetting")
    return MfaSettings(enabled=tuple(enabled), preferred=str(preferred) if preferred else None)
