"""``admin users ...``: one user at a time, and the listing of them all.

Passwords (a temporary one for ``create``, a new one for ``set-password``) come from a
hidden prompt or stdin, never from argv, and are never printed; the rest are identifiers and
attributes, which an admin sees anyway.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any, Literal, cast

import click
from rich.console import Console
from rich.table import Table

from ._admin_command import AdminCall, Listing, admin_command, user_json, users
from ._command import Report
from ._common import parse_attributes

__all__ = [
    "users_confirm",
    "users_create",
    "users_delete",
    "users_disable",
    "users_enable",
    "users_get",
    "users_list",
    "users_reset_password",
    "users_set_password",
    "users_sign_out",
    "users_update",
]

_username = click.argument("username")
_attribute_help = "An attribute, NAME=VALUE (repeatable): email=ann@example.com, custom:team=x."


def _when(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{datetime.fromtimestamp(seconds, tz=timezone.utc):%Y-%m-%d %H:%M}"


def _users_table(console: Console, items: Iterator[Mapping[str, Any]]) -> None:
    table = Table("username", "status", "enabled", "email", "created")
    count = 0
    for item in items:
        count += 1
        attributes = item["attributes"]
        table.add_row(
            item["username"],
            item["status"] or "",
            "yes" if item["enabled"] else "no",
            attributes.get("email", ""),
            _when(item["created"]),
        )
    if count:
        console.print(table)
    console.print(f"{count} user(s).")


def _show_user(data: Mapping[str, Any]) -> Report:
    def human(c: Console) -> None:
        enabled = "enabled" if data["enabled"] else "disabled"
        c.print(f"{data['username']}: {data['status'] or 'unknown status'}, {enabled}")
        for name, value in sorted(data["attributes"].items()):
            c.print(f"  {name} = {value}")
        if data["mfa"]:
            c.print(f"  MFA: {', '.join(data['mfa']['enabled']) or 'off'}")
        c.print(f"  created {_when(data['created'])}")

    return Report(data, human)


@admin_command(users, "list", operations=["list_users"])
@click.option(
    "--filter",
    "filter_",
    metavar="EXPR",
    help='Only the users it matches: name = "value" or name ^= "prefix" (username, email, '
    "phone_number, name, given_name, family_name, preferred_username, status, sub...).",
)
@click.option(
    "--attribute",
    "attributes",
    multiple=True,
    metavar="NAME",
    help="Return this attribute (repeatable; default: all of them).",
)
@click.option(
    "--limit", type=click.IntRange(1, 60), help="Users per request (1 to 60); all pages are read."
)
def users_list(
    call: AdminCall, filter_: str | None, attributes: tuple[str, ...], limit: int | None
) -> Listing:
    """List the pool's users (ListUsers, every page): a table, or with --json one JSON line
    per user, printed as the pages arrive."""
    found = call.admin.list_users(
        filter=filter_, attributes_to_get=list(attributes) if attributes else None, limit=limit
    )
    return Listing((user_json(user) for user in found), _users_table)


@admin_command(users, "create", operations=["admin_create_user"])
@_username
@click.option(
    "--attribute", "attributes", multiple=True, metavar="NAME=VALUE", help=_attribute_help
)
@click.option(
    "--temporary-password-stdin",
    "password_stdin",
    is_flag=True,
    help="Read the temporary password from stdin (default: Cognito makes one).",
)
@click.option("--suppress", is_flag=True, help="Send no invitation (MessageAction SUPPRESS).")
@click.option(
    "--resend",
    is_flag=True,
    help="Send the invitation again to an existing user, with a new temporary password.",
)
@click.option(
    "--delivery",
    "mediums",
    multiple=True,
    type=click.Choice(["EMAIL", "SMS"], case_sensitive=False),
    help="How to send the invitation (repeatable; default EMAIL).",
)
@click.option(
    "--force-alias-creation", is_flag=True, help="Take the email/phone alias from its owner."
)
def users_create(
    call: AdminCall,
    username: str,
    attributes: tuple[str, ...],
    password_stdin: bool,
    suppress: bool,
    resend: bool,
    mediums: tuple[str, ...],
    force_alias_creation: bool,
) -> Report:
    """Create USERNAME in FORCE_CHANGE_PASSWORD and invite them (AdminCreateUser)."""
    if suppress and resend:
        raise click.UsageError("--suppress and --resend exclude each other")
    action: Literal["SUPPRESS", "RESEND"] | None = (
        "SUPPRESS" if suppress else "RESEND" if resend else None
    )
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")  # click's runner swaps sys.stdin
        if not password:
            raise click.UsageError("--temporary-password-stdin: no password on stdin")
    delivery = cast("list[Literal['EMAIL', 'SMS']]", [m.upper() for m in mediums]) or None
    user = call.admin.admin_create_user(
        username=username,
        attributes=parse_attributes(attributes) or None,
        temporary_password=password,
        message_action=action,
        desired_delivery_mediums=delivery,
        force_alias_creation=force_alias_creation,
    )
    return _show_user(user_json(user))


@admin_command(users, "get", operations=["admin_get_user"])
@_username
def users_get(call: AdminCall, username: str) -> Report:
    """Show USERNAME (or an alias): status, attributes, MFA (AdminGetUser)."""
    return _show_user(user_json(call.admin.admin_get_user(username=username)))


def _done(data: dict[str, Any], text: str) -> Report:
    return Report(data, lambda c: c.print(text))


@admin_command(users, "disable", operations=["admin_disable_user"])
@_username
def users_disable(call: AdminCall, username: str) -> Report:
    """Disable USERNAME: sign-in is refused until `enable` (AdminDisableUser)."""
    call.admin.admin_disable_user(username=username)
    return _done({"username": username, "enabled": False}, f"{username} disabled.")


@admin_command(users, "enable", operations=["admin_enable_user"])
@_username
def users_enable(call: AdminCall, username: str) -> Report:
    """Enable USERNAME again (AdminEnableUser)."""
    call.admin.admin_enable_user(username=username)
    return _done({"username": username, "enabled": True}, f"{username} enabled.")


@admin_command(users, "delete", operations=["admin_delete_user"])
@_username
@click.option("--yes", is_flag=True, help="Do not ask first.")
def users_delete(call: AdminCall, username: str, yes: bool) -> Report:
    """Delete USERNAME (AdminDeleteUser); asks first unless --yes."""
    if not yes:
        click.confirm(f"Delete the user {username}?", abort=True, err=True)
    call.admin.admin_delete_user(username=username)
    return _done({"username": username, "deleted": True}, f"{username} deleted.")


@admin_command(users, "reset-password", operations=["admin_reset_user_password"])
@_username
def users_reset_password(call: AdminCall, username: str) -> Report:
    """Reset USERNAME's password: Cognito sends a reset code, and sign-in is refused until
    the user sets a new password with it (AdminResetUserPassword)."""
    call.admin.admin_reset_user_password(username=username)
    return _done({"username": username, "reset": True}, f"{username} must reset the password.")


@admin_command(users, "set-password", operations=["admin_set_user_password"], stdin=True)
@_username
@click.option(
    "--permanent",
    is_flag=True,
    help="The user signs in with it (default: temporary, to be replaced at the next sign-in).",
)
def users_set_password(call: AdminCall, username: str, permanent: bool) -> Report:
    """Set USERNAME's password, asked twice with a hidden prompt or read from stdin
    (AdminSetUserPassword)."""
    password = call.secrets.read("New password", confirm=True)
    call.admin.admin_set_user_password(username=username, password=password, permanent=permanent)
    kind = "permanent" if permanent else "temporary"
    return _done(
        {"username": username, "permanent": permanent}, f"{username}: {kind} password set."
    )


@admin_command(users, "confirm", operations=["admin_confirm_sign_up"])
@_username
def users_confirm(call: AdminCall, username: str) -> Report:
    """Confirm USERNAME's sign-up without their code (AdminConfirmSignUp)."""
    call.admin.admin_confirm_sign_up(username=username)
    return _done({"username": username, "confirmed": True}, f"{username} confirmed.")


@admin_command(users, "sign-out", operations=["admin_user_global_sign_out"])
@_username
def users_sign_out(call: AdminCall, username: str) -> Report:
    """Sign USERNAME out everywhere: refresh tokens revoked (AdminUserGlobalSignOut)."""
    call.admin.admin_user_global_sign_out(username=username)
    return _done({"username": username, "signed_out": True}, f"{username} signed out everywhere.")


@admin_command(
    users, "update", operations=["admin_update_user_attributes", "admin_delete_user_attributes"]
)
@_username
@click.option(
    "--attribute", "attributes", multiple=True, metavar="NAME=VALUE", help=_attribute_help
)
@click.option(
    "--delete", "deleted", multiple=True, metavar="NAME", help="Delete this attribute (repeatable)."
)
def users_update(
    call: AdminCall, username: str, attributes: tuple[str, ...], deleted: tuple[str, ...]
) -> Report:
    """Set attributes of USERNAME (AdminUpdateUserAttributes) and delete others
    (AdminDeleteUserAttributes)."""
    values = parse_attributes(attributes)
    if not values and not deleted:
        raise click.UsageError("nothing to do: pass --attribute NAME=VALUE or --delete NAME")
    if values:
        call.admin.admin_update_user_attributes(username=username, attributes=values)
    if deleted:
        call.admin.admin_delete_user_attributes(username=username, attribute_names=list(deleted))
    data = {"username": username, "updated": sorted(values), "deleted": list(deleted)}
    return _done(
        data,
        f"{username}: updated {', '.join(sorted(values)) or 'nothing'}; "
        f"deleted {', '.join(deleted) or 'nothing'}.",
    )
