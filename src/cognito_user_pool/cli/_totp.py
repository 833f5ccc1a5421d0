"""Enrolling an authenticator app from the command line: the new secret shown as a QR code and
an ``otpauth://`` URI, then a code from the app asked for (again, on a terminal, when the app
was not set up in time).

This is the one place the CLI prints a secret without being asked for tokens: whoever enrols
an app must see the secret to scan it. It is written once, to stderr (where the prompts go),
never to stdout, so that a ``--json`` document never holds it, and it is never saved.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TypeVar

import click
from rich.console import Console
from rich.text import Text

from cognito_user_pool import EnableSoftwareTokenMFAError, InvalidParameterError, TotpSecret

from ._common import SecretReader

__all__ = [
    "DEFAULT_ISSUER",
    "account_label",
    "check_label",
    "confirm_with_app_code",
    "device_name_option",
    "issuer_option",
    "qr_code_text",
    "show_totp_secret",
]

# The name authenticator apps show above the account when --issuer is not given.
DEFAULT_ISSUER = "Cognito"
# On a terminal, a code the app made before it was set up (or mistyped) can be retyped.
_ATTEMPTS = 3
_BLOCKS = "\u2588\u2580\u2584"  # the characters of segno's compact terminal output

T = TypeVar("T")


def check_label(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An ``--issuer``/``--account`` the otpauth URI can carry (checked before any request)."""
    if value is not None and (not value.strip() or ":" in value):
        raise click.BadParameter("must be non-empty text without ':'")
    return value


def account_label(name: str) -> str:
    """A user name as the URI's account label (``:`` separates issuer and account there)."""
    return name.replace(":", "_")


issuer_option = click.option(
    "--issuer",
    default=DEFAULT_ISSUER,
    show_default=True,
    callback=check_label,
    help="The name the authenticator app shows for a new secret (your app's name).",
)
device_name_option = click.option(
    "--device-name",
    help="A name for the authenticator app, kept by Cognito (FriendlyDeviceName).",
)


def qr_code_text(uri: str) -> str:
    """``uri`` as a QR code of Unicode half blocks (segno's compact terminal output: a full
    block is a light module, a space a dark one), one line per two rows of modules."""
    try:
        import segno
    except ImportError:  # an install of the [cli] extra from before segno joined it
        raise click.ClickException(
            "showing a QR code needs segno: pip install 'cognito-user-pool[cli]'"
        ) from None
    buffer = io.StringIO()
    segno.make_qr(uri).terminal(out=buffer, compact=True)
    return buffer.getvalue().rstrip("\n")


def _can_draw(console: Console) -> bool:
    try:
        _BLOCKS.encode(console.encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def show_totp_secret(secret: TotpSecret, *, issuer: str, account: str) -> str:
    """Show a new secret on stderr, once: a QR code to scan and the ``otpauth://`` URI.

    :returns: the URI (for the caller's own checks; never print it again).
    :raises click.BadParameter: an ``--issuer`` the URI cannot carry (empty, or with ``:``).
    """
    try:
        uri = secret.otpauth_uri(issuer=issuer, account=account)
    except InvalidParameterError as exc:  # the message names the field, never the secret
        raise click.BadParameter(exc.message, param_hint=f"--{exc.field or 'issuer'}") from None
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print("Scan this QR code with your authenticator app:")
    if _can_draw(console):
        # Light modules white on black whatever the terminal's colours, so that the code is
        # not inverted on a light background (where there are no colours, as in a pipe, the
        # characters alone make it, as segno draws it).
        console.print(Text(qr_code_text(uri), style="bright_white on black"))
    else:
        console.print(f"(This terminal's encoding, {console.encoding}, cannot draw it.)")
    console.print("or add the account from this URI (it holds the secret):", markup=False)
    console.print(uri, markup=False)
    console.print(
        "The secret is shown this once: it is not saved, and not printed to stdout.",
        markup=False,
    )
    return uri


def confirm_with_app_code(
    secrets: SecretReader, attempt: Callable[[str], T], *, label: str = "Authenticator app code"
) -> T:
    """Ask for a code from the newly set-up app and pass it to ``attempt`` (which confirms
    it with Cognito). On a terminal, a code Cognito does not accept is asked for again, up to
    three times in all: the secret and the sign-in session stay good. From stdin, one try.

    :raises EnableSoftwareTokenMFAError: the last code was not accepted.
    """
    tries = 1 if secrets.from_stdin else _ATTEMPTS
    for left in range(tries - 1, -1, -1):
        code = secrets.read(label)
        try:
            return attempt(code)
        except EnableSoftwareTokenMFAError:
            if not left:
                raise
            click.echo(
                f"Cognito did not accept that code; type the app's current one "
                f"({left} {'try' if left == 1 else 'tries'} left).",
                err=True,
            )
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
