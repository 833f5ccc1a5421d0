"""``whoami`` and ``profile edit|verify|resend-code|phone-number``: the signed-in user's
attributes."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from cognito_user_pool import ProfileEditResult

from ._command import Call, Report, pool_command
from ._common import delivery_json, parse_attributes, where_sent
from ._root import cli

__all__ = [
    "profile",
    "profile_edit",
    "profile_phone_number",
    "profile_resend_code",
    "profile_verify",
    "whoami",
]


@pool_command(cli, "whoami", flows=["profile"], tokens=True)
def whoami(call: Call) -> Report:
    """Show the signed-in user's profile (GetUser)."""
    user = call.pool.profile(auth=call.auth())

    def human(c: Console) -> None:
        table = Table(title=f"User {user.username}", title_justify="left")
        table.add_column("attribute")
        table.add_column("value")
        for attribute in user.attributes:
            table.add_row(attribute.name, attribute.value)
        c.print(table)
        mfa = user.mfa
        c.print(
            f"MFA: {', '.join(mfa.enabled)} (preferred: {mfa.preferred})" if mfa else "MFA: off"
        )

    return Report(
        {
            "username": user.username,
            "attributes": user.as_dict(),
            "mfa": (
                {"enabled": list(user.mfa.enabled), "preferred": user.mfa.preferred}
                if user.mfa
                else None
            ),
        },
        human,
    )


@cli.group()
def profile() -> None:
    """The signed-in user's attributes: edit, verify, resend-code, phone-number (`whoami`
    shows them)."""


def _edited(result: ProfileEditResult, hint: str = "") -> Report:
    """The report of an edit: what changed, and where verification codes went."""
    data: dict[str, Any] = {
        "updated": list(result.updated),
        "deleted": list(result.deleted),
        "skipped": list(result.skipped),
        "code_delivery": [delivery_json(d) for d in result.code_delivery_details],
    }

    def human(c: Console) -> None:
        if result.updated:
            c.print(f"Updated: {', '.join(result.updated)}.")
        if result.deleted:
            c.print(f"Deleted: {', '.join(result.deleted)}.")
        if result.skipped:
            c.print(f"Skipped: {', '.join(result.skipped)} (use `profile phone-number`).")
        for details in result.code_delivery_details:
            c.print(
                f"A verification code for {details.attribute_name} was sent to "
                f"{details.destination} ({details.delivery_medium}){hint}."
            )

    return Report(data, human)


@pool_command(profile, "edit", flows=["profile_edit"], tokens=True)
@click.option(
    "--attribute", "-a", "attributes", multiple=True, metavar="NAME=VALUE", help="Repeatable."
)
@click.option(
    "--delete", "-d", "deletes", multiple=True, metavar="NAME", help="Delete NAME (repeatable)."
)
def profile_edit(call: Call, attributes: tuple[str, ...], deletes: tuple[str, ...]) -> Report:
    """Update attributes (-a NAME=VALUE) and delete others (-d NAME); a new email is then
    verified with `profile verify email`. The phone number has its own command."""
    if not attributes and not deletes:
        raise click.UsageError("nothing to edit: pass -a NAME=VALUE or -d NAME")
    wanted: dict[str, str | None] = {**parse_attributes(attributes)}
    wanted.update(dict.fromkeys(deletes))
    result = call.pool.profile_edit(attributes=wanted, auth=call.auth())
    return _edited(result, "; run `cognito-user-pool profile verify NAME`")


@pool_command(profile, "verify", flows=["profile_attribute_confirm"], tokens=True, stdin=True)
@click.argument("attribute")
def profile_verify(call: Call, attribute: str) -> Report:
    """Verify ATTRIBUTE (email, phone_number) with the code Cognito sent (asked for)."""
    code = call.secrets.read("Verification code")
    call.pool.profile_attribute_confirm(
        attribute=attribute, confirmation_code=code, auth=call.auth()
    )
    return Report(
        {"attribute": attribute, "verified": True},
        lambda c: c.print(f"Verified {attribute}."),
    )


@pool_command(profile, "resend-code", flows=["get_user_attribute_verification_code"], tokens=True)
@click.argument("attribute")
def profile_resend_code(call: Call, attribute: str) -> Report:
    """Send ATTRIBUTE's verification code (email, phone_number) again, or for the first
    time; it replaces the previous one. Then run `profile verify ATTRIBUTE`."""
    details = call.pool.get_user_attribute_verification_code(attribute=attribute, auth=call.auth())
    return Report(
        {"attribute": attribute, "code_delivery": delivery_json(details)},
        lambda c: c.print(
            f"A verification code for {attribute} was sent{where_sent(details)}; "
            f"run `cognito-user-pool profile verify {attribute}`."
        ),
    )


@pool_command(profile, "phone-number", flows=["profile_edit_phone_number"], tokens=True)
@click.argument("number", required=False)
@click.option("--remove", is_flag=True, help="Turn SMS MFA off, then delete the phone number.")
def profile_phone_number(call: Call, number: str | None, remove: bool) -> Report:
    """Set the phone number to NUMBER (E.164, +14155550100), or --remove it (SMS MFA is
    turned off first: it cannot work without a number)."""
    if (number is None) == (not remove):
        raise click.UsageError("pass either NUMBER or --remove")
    result = call.pool.profile_edit_phone_number(phone_number=number, auth=call.auth())
    return _edited(result, "; run `cognito-user-pool profile verify phone_number`")
