"""``signup``, ``confirm``, ``resend``: registering a user."""

from __future__ import annotations

import click

from ._command import Call, Report, pool_command
from ._common import delivery_json, parse_attributes, where_sent
from ._root import cli

__all__ = ["confirm", "resend", "signup"]


@pool_command(cli, "signup", flows=["signup"], stdin=True)
@click.argument("username")
@click.option("--email", help="The email attribute.")
@click.option("--phone-number", help="The phone_number attribute (E.164).")
@click.option(
    "--attribute", "-a", "attributes", multiple=True, metavar="NAME=VALUE", help="Repeatable."
)
def signup(
    call: Call,
    username: str,
    email: str | None,
    phone_number: str | None,
    attributes: tuple[str, ...],
) -> Report:
    """Register USERNAME (the password is asked for); Cognito sends a confirmation code."""
    attrs = parse_attributes(attributes)
    if email:
        attrs["email"] = email
    if phone_number:
        attrs["phone_number"] = phone_number
    password = call.secrets.read("Password", confirm=True)
    result = call.pool.signup(username=username, password=password, attributes=attrs)
    details = result.code_delivery_details
    return Report(
        {
            "username": result.username,
            "user_confirmed": result.user_confirmed,
            "user_sub": result.user_sub,
            "code_delivery": delivery_json(details),
        },
        lambda c: c.print(
            f"Signed up {result.username}"
            + (" (confirmed)." if result.user_confirmed else ".")
            + (
                f" A confirmation code was sent to {details.destination} "
                f"({details.delivery_medium}); run `cognito-user-pool confirm {username}`."
                if details
                else ""
            )
        ),
    )


@pool_command(cli, "confirm", flows=["signup_confirm"], stdin=True)
@click.argument("username")
def confirm(call: Call, username: str) -> Report:
    """Confirm USERNAME's sign-up with the code Cognito sent (asked for)."""
    code = call.secrets.read("Confirmation code")
    call.pool.signup_confirm(username=username, confirmation_code=code)
    return Report(
        {"username": username, "confirmed": True},
        lambda c: c.print(f"Confirmed {username}."),
    )


@pool_command(cli, "resend", flows=["signup_resend"])
@click.argument("username")
def resend(call: Call, username: str) -> Report:
    """Send USERNAME's sign-up confirmation code again."""
    details = call.pool.signup_resend(username=username)
    return Report(
        {"username": username, "code_delivery": delivery_json(details)},
        lambda c: c.print("A new confirmation code was sent" + f"{where_sent(details)}."),
    )
