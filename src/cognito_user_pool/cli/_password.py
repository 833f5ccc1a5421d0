"""``password change|forgot|reset``."""

from __future__ import annotations

import click

from ._command import Call, Report, pool_command
from ._common import delivery_json, where_sent
from ._root import cli

__all__ = ["password", "password_change", "password_forgot", "password_reset"]


@cli.group()
def password() -> None:
    """Passwords: change (signed in), forgot, reset (with the emailed code)."""


@pool_command(password, "change", flows=["password_change"], tokens=True, stdin=True)
def password_change(call: Call) -> Report:
    """Change the signed-in user's password (the current and new ones are asked for)."""
    old = call.secrets.read("Current password")
    new = call.secrets.read("New password", confirm=True)
    call.pool.password_change(old_password=old, new_password=new, auth=call.auth())
    return Report({"changed": True}, lambda c: c.print("Password changed."))


@pool_command(password, "forgot", flows=["password_forgot"])
@click.argument("username")
def password_forgot(call: Call, username: str) -> Report:
    """Ask Cognito to send USERNAME a password-reset code."""
    details = call.pool.password_forgot(username=username)
    return Report(
        {"username": username, "code_delivery": delivery_json(details)},
        lambda c: c.print(
            "A reset code was sent"
            + where_sent(details)
            + f"; run `cognito-user-pool password reset {username}`."
        ),
    )


@pool_command(password, "reset", flows=["password_reset"], stdin=True)
@click.argument("username")
def password_reset(call: Call, username: str) -> Report:
    """Set USERNAME's new password with the reset code (both are asked for)."""
    code = call.secrets.read("Reset code")
    new = call.secrets.read("New password", confirm=True)
    call.pool.password_reset(username=username, password_reset_code=code, new_password=new)
    return Report(
        {"username": username, "reset": True},
        lambda c: c.print(f"New password set for {username}."),
    )
