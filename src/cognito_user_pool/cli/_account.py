"""``account delete``: the signed-in user deletes their own account (DeleteUser)."""

from __future__ import annotations

import click

from ._command import Call, Report, pool_command
from ._root import cli

__all__ = ["account", "account_delete"]


@cli.group()
def account() -> None:
    """The signed-in user's account: delete."""


@pool_command(account, "delete", flows=["delete_user"], tokens=True)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def account_delete(call: Call, yes: bool) -> Report:
    """Delete the signed-in user's account for good (DeleteUser): it cannot sign in again,
    and every token of it stops working. Asks first, unless --yes."""
    saved_user = call.saved.get("username")
    who = saved_user if isinstance(saved_user, str) and saved_user else "the signed-in user"
    if not yes:
        # Asked on stderr, so that --json stdout stays one document; "no" aborts (exit 1).
        click.confirm(
            f"Delete the account of {who} for good? This cannot be undone",
            abort=True,
            err=True,
        )
    call.pool.delete_user(auth=call.auth())
    return Report(
        {"deleted": True, "username": saved_user if isinstance(saved_user, str) else None},
        lambda c: c.print(
            f"The account of {who} is deleted; the tokens in {call.tokens_path} no longer work."
        ),
    )
