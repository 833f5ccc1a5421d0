"""``passkeys register|list|delete``, and the browser side of ``login --with passkey``.

A passkey is made and used by a browser (``navigator.credentials.create``/``get``): these
commands carry its JSON. By default they print the options for the browser on stderr and
read the browser's credential JSON (``credential.toJSON()``) from stdin. With
``--soft-authenticator FILE`` the local Cognito's software authenticator
(``cognito_user_pool.local.SoftAuthenticator``, the ``[local]`` extra) plays the browser
and keeps its private keys in FILE (mode 0600): for trying passkeys against the local
Cognito, never a substitute for a user's authenticator.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from cognito_user_pool import Passkey

from ._command import Call, Report, pool_command
from ._common import epoch, require_local, write_private_file
from ._root import cli

__all__ = [
    "Browser",
    "browser_options",
    "passkeys",
    "passkeys_delete",
    "passkeys_list",
    "passkeys_register",
]

# The origin the software authenticator reports by default: the local Cognito's relying
# party is "localhost", and http://localhost is a secure context for browsers.
_LOCAL_ORIGIN = "http://localhost"


class Browser:
    """Where the credential JSON comes from: stdin (the default), or the software
    authenticator of ``--soft-authenticator FILE``."""

    def __init__(self, soft_file: Path | None, origin: str) -> None:
        self.soft_file = soft_file
        self.origin = origin

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        """A new credential for ``options`` (creation options), as ``credential.toJSON()``."""
        return self._ask(options, "create", "navigator.credentials.create")

    def get(self, options: dict[str, Any]) -> dict[str, Any]:
        """An assertion for ``options`` (request options), as ``credential.toJSON()``."""
        return self._ask(options, "get", "navigator.credentials.get")

    def _ask(self, options: dict[str, Any], verb: str, api: str) -> dict[str, Any]:
        if self.soft_file is None:
            return _from_stdin(options, api)
        local = require_local()
        path = self.soft_file.expanduser()
        if path.exists():
            authenticator = local.SoftAuthenticator.from_json(path.read_text(encoding="utf-8"))
        else:
            authenticator = local.SoftAuthenticator(origin=self.origin)
        try:
            made: dict[str, Any] = getattr(authenticator, verb)(options)
        except ValueError as exc:
            raise click.ClickException(f"the software authenticator: {exc}") from None
        # Kept after every use: a new key, or a signature counter that moved on.
        write_private_file(path, authenticator.to_json())
        return made


def _from_stdin(options: dict[str, Any], api: str) -> dict[str, Any]:
    """Show ``options`` on stderr, then read one JSON object from stdin (line by line, until
    what was read parses), so that a pasted credential and a piped one both work."""
    click.echo(f"Options for {api} (JSON):", err=True)
    click.echo(json.dumps(options, indent=2), err=True)
    click.echo("Paste the browser's credential.toJSON() as JSON:", err=True)
    text = ""
    for line in sys.stdin:  # click's runner and shells alike swap sys.stdin
        text += line
        try:
            value = json.loads(text)
        except ValueError:
            continue
        if not isinstance(value, dict):
            raise click.UsageError("the credential must be a JSON object")
        return value
    raise click.UsageError("stdin ended before a whole JSON credential was read")


def browser_options(function: Any) -> Any:
    """``--soft-authenticator FILE`` and ``--origin``, for the commands that need a browser."""
    function = click.option(
        "--origin",
        default=_LOCAL_ORIGIN,
        show_default=True,
        help="With --soft-authenticator: the page origin it reports (a new FILE only).",
    )(function)
    return click.option(
        "--soft-authenticator",
        "soft_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Let the local Cognito's software authenticator play the browser, its keys in "
        "this file (mode 0600; made if missing). For the local Cognito and tests only.",
    )(function)


@cli.group()
def passkeys() -> None:
    """The signed-in user's passkeys: register, list, delete (`login --with passkey`
    signs in with one)."""


def _passkey_json(passkey: Passkey) -> dict[str, Any]:
    return {
        "credential_id": passkey.credential_id,
        "relying_party_id": passkey.relying_party_id,
        "friendly_name": passkey.friendly_name,
        "attachment": passkey.attachment,
        "transports": list(passkey.transports),
        "created": epoch(passkey.created),
    }


def _line(passkey: Passkey) -> str:
    """One passkey on one line, its id first and whole (to copy into `passkeys delete`)."""
    name = f" {passkey.friendly_name!r}" if passkey.friendly_name else ""
    when = f", registered {passkey.created:%Y-%m-%d %H:%M}" if passkey.created else ""
    return f"{passkey.credential_id}{name}: for {passkey.relying_party_id}{when}"


@pool_command(
    passkeys,
    "register",
    flows=["start_web_authn_registration", "complete_web_authn_registration"],
    tokens=True,
)
@browser_options
def passkeys_register(call: Call, soft_file: Path | None, origin: str) -> Report:
    """Register a passkey for the signed-in user: Cognito's creation options go to the
    browser (printed on stderr), whose credential JSON is read from stdin
    (StartWebAuthnRegistration, then CompleteWebAuthnRegistration)."""
    auth = call.auth()
    options = call.pool.start_web_authn_registration(auth=auth)
    credential = Browser(soft_file, origin).create(options)
    call.pool.complete_web_authn_registration(auth=auth, credential=credential)
    credential_id = str(credential.get("id"))
    return Report(
        {"registered": True, "credential_id": credential_id},
        lambda c: c.print(
            f"Passkey {credential_id} registered: `login --with passkey` signs in with it."
        ),
    )


@pool_command(passkeys, "list", flows=["list_web_authn_credentials"], tokens=True)
def passkeys_list(call: Call) -> Report:
    """List the user's passkeys (ListWebAuthnCredentials, every page)."""
    listed = call.pool.list_web_authn_credentials(auth=call.auth())

    def human(c: Console) -> None:
        c.print(f"{len(listed)} passkey(s)" + (":" if listed else "."))
        for passkey in listed:
            c.print(_line(passkey))

    return Report({"passkeys": [_passkey_json(p) for p in listed]}, human)


@pool_command(passkeys, "delete", flows=["delete_web_authn_credential"], tokens=True)
@click.argument("credential_id")
def passkeys_delete(call: Call, credential_id: str) -> Report:
    """Delete the passkey CREDENTIAL_ID (DeleteWebAuthnCredential)."""
    call.pool.delete_web_authn_credential(auth=call.auth(), credential_id=credential_id)
    return Report(
        {"credential_id": credential_id, "deleted": True},
        lambda c: c.print(f"Passkey {credential_id} deleted: it no longer signs in."),
    )
