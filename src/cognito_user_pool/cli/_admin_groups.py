"""``admin groups list|create|get|delete|add-user|remove-user|members``.

A group's name goes into its members' tokens (``cognito:groups``); its precedence and IAM
role matter to identity pools. Listings print a line per group or member, or with ``--json``
one JSON line each, as the pages arrive.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ._admin_command import AdminCall, Listing, admin_command, group_json, groups, user_json
from ._command import Report

__all__ = [
    "groups_add_user",
    "groups_create",
    "groups_delete",
    "groups_get",
    "groups_list",
    "groups_members",
    "groups_remove_user",
]

_name = click.argument("name")
_username = click.argument("username")


def _show_group(data: Mapping[str, Any]) -> Report:
    def human(c: Console) -> None:
        precedence = data["precedence"]
        c.print(
            f"{data['name']}" + (f" (precedence {precedence})" if precedence is not None else "")
        )
        if data["description"]:
            c.print(f"  {data['description']}")
        if data["role_arn"]:
            c.print(f"  role {data['role_arn']}")

    return Report(data, human)


def _groups_table(console: Console, items: Iterator[Mapping[str, Any]]) -> None:
    table = Table("name", "precedence", "description")
    count = 0
    for item in items:
        count += 1
        precedence = item["precedence"]
        table.add_row(
            item["name"], "" if precedence is None else str(precedence), item["description"] or ""
        )
    if count:
        console.print(table)
    console.print(f"{count} group(s).")


@admin_command(groups, "list", operations=["list_groups"])
@click.option(
    "--limit", type=click.IntRange(1, 60), help="Groups per request (1 to 60); all pages are read."
)
def groups_list(call: AdminCall, limit: int | None) -> Listing:
    """List the pool's groups (ListGroups, every page); --json: one JSON line per group."""
    return Listing((group_json(g) for g in call.admin.list_groups(limit=limit)), _groups_table)


@admin_command(groups, "create", operations=["create_group"])
@_name
@click.option("--description", help="What the group is for.")
@click.option(
    "--precedence",
    type=click.IntRange(min=0),
    help="Which group's role wins for a user in several (lower wins).",
)
@click.option("--role-arn", help="An IAM role for the members, through identity pools.")
def groups_create(
    call: AdminCall,
    name: str,
    description: str | None,
    precedence: int | None,
    role_arn: str | None,
) -> Report:
    """Create the group NAME (CreateGroup)."""
    group = call.admin.create_group(
        group_name=name, description=description, precedence=precedence, role_arn=role_arn
    )
    return _show_group(group_json(group))


@admin_command(groups, "get", operations=["get_group"])
@_name
def groups_get(call: AdminCall, name: str) -> Report:
    """Show the group NAME (GetGroup)."""
    return _show_group(group_json(call.admin.get_group(group_name=name)))


@admin_command(groups, "delete", operations=["delete_group"])
@_name
def groups_delete(call: AdminCall, name: str) -> Report:
    """Delete the group NAME (DeleteGroup); its members stay users of the pool."""
    call.admin.delete_group(group_name=name)
    return Report({"name": name, "deleted": True}, lambda c: c.print(f"Group {name} deleted."))


@admin_command(groups, "add-user", operations=["admin_add_user_to_group"])
@_name
@_username
def groups_add_user(call: AdminCall, name: str, username: str) -> Report:
    """Add USERNAME to the group NAME (AdminAddUserToGroup)."""
    call.admin.admin_add_user_to_group(username=username, group_name=name)
    return Report(
        {"name": name, "username": username, "member": True},
        lambda c: c.print(f"{username} added to {name}."),
    )


@admin_command(groups, "remove-user", operations=["admin_remove_user_from_group"])
@_name
@_username
def groups_remove_user(call: AdminCall, name: str, username: str) -> Report:
    """Remove USERNAME from the group NAME (AdminRemoveUserFromGroup)."""
    call.admin.admin_remove_user_from_group(username=username, group_name=name)
    return Report(
        {"name": name, "username": username, "member": False},
        lambda c: c.print(f"{username} removed from {name}."),
    )


@admin_command(groups, "members", operations=["list_users_in_group"])
@_name
def groups_members(call: AdminCall, name: str) -> Listing:
    """The users in the group NAME (ListUsersInGroup, every page); --json: one JSON line
    per user, as `admin users list` prints them."""

    def human(c: Console, items: Iterator[Mapping[str, Any]]) -> None:
        count = 0
        for item in items:
            count += 1
            c.print(item["username"])
        c.print(f"{count} member(s).")

    return Listing((user_json(u) for u in call.admin.list_users_in_group(group_name=name)), human)
