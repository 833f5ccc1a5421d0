"""``devices list|show|remember|forget``: the signed-in user's devices.

A device is confirmed and remembered by ``login --remember-device``, which keeps its secrets
(its key, group key and random password) in the device file, beside the token file unless
``--devices`` says otherwise (mode 0600, like the token file). These commands show and change
what Cognito knows; ``show``, ``remember`` and ``forget`` act on the device of that file when
no DEVICE_KEY is given. Device keys are identifiers, not secrets; the group key and the
password are never printed.
"""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console

from cognito_user_pool import Device

from ._command import Call, Report, pool_command
from ._common import epoch
from ._root import cli

__all__ = ["devices", "devices_forget", "devices_list", "devices_remember", "devices_show"]

_key_argument = click.argument("device_key", required=False)


@cli.group()
def devices() -> None:
    """The signed-in user's devices: list, show, remember, forget (`login
    --remember-device` confirms one)."""


def _device_json(device: Device) -> dict[str, Any]:
    return {
        "device_key": device.device_key,
        "name": device.name,
        "remembered": device.remembered,
        "created": epoch(device.created),
        "last_modified": epoch(device.last_modified),
        "last_authenticated": epoch(device.last_authenticated),
    }


def _status(device: Device) -> str:
    if device.remembered is None:
        return "tracked"
    return "remembered" if device.remembered else "not remembered"


def _line(device: Device) -> str:
    """One device on one line, its key first and whole (to copy into another command)."""
    last = device.last_authenticated
    when = f", last sign-in {last:%Y-%m-%d %H:%M}" if last else ""
    name = f" {device.name!r}" if device.name else ""
    return f"{device.device_key}{name}: {_status(device)}{when}"


@pool_command(devices, "list", flows=["list_devices"], tokens=True, devices=True)
def devices_list(call: Call) -> Report:
    """List the user's devices (ListDevices, every page)."""
    listed = call.pool.list_devices(auth=call.auth())

    def human(c: Console) -> None:
        c.print(f"{len(listed)} device(s)" + (":" if listed else "."))
        for device in listed:
            c.print(_line(device))

    return Report({"devices": [_device_json(d) for d in listed]}, human)


@pool_command(devices, "show", flows=["get_device"], tokens=True, devices=True)
@_key_argument
def devices_show(call: Call, device_key: str | None) -> Report:
    """Show DEVICE_KEY (GetDevice); by default, the device of the device file."""
    device = call.pool.get_device(auth=call.auth(), device_key=device_key)
    return Report(_device_json(device), lambda c: c.print(_line(device)))


@pool_command(
    devices, "remember", flows=["get_device", "update_device_status"], tokens=True, devices=True
)
@_key_argument
@click.option(
    "--off",
    is_flag=True,
    help="Stop remembering it: it stays tracked, and its sign-ins ask for MFA again.",
)
def devices_remember(call: Call, device_key: str | None, off: bool) -> Report:
    """Remember DEVICE_KEY, so that its sign-ins skip MFA, or with --off stop remembering
    it (UpdateDeviceStatus); by default, the device of the device file."""
    auth = call.auth()
    if device_key is None:
        device_key = call.pool.get_device(auth=auth).device_key
    call.pool.update_device_status(auth=auth, device_key=device_key, remembered=not off)
    return Report(
        {"device_key": device_key, "remembered": not off},
        lambda c: c.print(
            f"Device {device_key} "
            + ("no longer remembered: MFA is asked again." if off else "remembered.")
        ),
    )


@pool_command(devices, "forget", flows=["forget_device"], tokens=True, devices=True)
@_key_argument
def devices_forget(call: Call, device_key: str | None) -> Report:
    """Forget DEVICE_KEY (ForgetDevice): its next sign-in asks for MFA again. By default,
    the device of the device file, which then drops its secrets too."""
    call.pool.forget_device(auth=call.auth(), device_key=device_key)
    which = f"Device {device_key}" if device_key else f"The device of {call.device_file}"
    return Report(
        {"device_key": device_key, "forgotten": True},
        lambda c: c.print(f"{which} forgotten; its next sign-in asks for MFA."),
    )
