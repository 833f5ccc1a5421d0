"""``mfa on|off|status``: the signed-in user's SMS MFA."""

from __future__ import annotations

from ._command import Call, Report, pool_command
from ._root import cli

__all__ = ["mfa", "mfa_off", "mfa_on", "mfa_status"]


@cli.group()
def mfa() -> None:
    """SMS MFA of the signed-in user: on, off, status."""


def _switch(call: Call, enable: bool) -> Report:
    call.pool.set_mfa(enable_mfa=enable, auth=call.auth())
    return Report(
        {"sms_mfa": enable},
        lambda c: c.print(f"SMS MFA {'on (and preferred)' if enable else 'off'}."),
    )


@pool_command(mfa, "on", flows=["set_mfa"], tokens=True)
def mfa_on(call: Call) -> Report:
    """Turn SMS MFA on and make it preferred (needs a phone number)."""
    return _switch(call, True)


@pool_command(mfa, "off", flows=["set_mfa"], tokens=True)
def mfa_off(call: Call) -> Report:
    """Turn SMS MFA off."""
    return _switch(call, False)


@pool_command(mfa, "status", flows=["get_mfa"], tokens=True)
def mfa_status(call: Call) -> Report:
    """Show the MFA methods enabled and the preferred one."""
    settings = call.pool.get_mfa(auth=call.auth())
    enabled = list(settings.enabled) if settings else []
    preferred = settings.preferred if settings else None
    return Report(
        {"enabled": enabled, "preferred": preferred},
        lambda c: c.print(
            f"MFA: {', '.join(enabled)} (preferred: {preferred})" if enabled else "MFA: off"
        ),
    )
