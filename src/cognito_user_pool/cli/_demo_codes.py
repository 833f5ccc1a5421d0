"""Where the demo's codes come from: the local Cognito's outbox and pyotp, or, against a real
pool, the user typing them in from their mailbox, phone and authenticator app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import click

from cognito_user_pool import TotpSecret

from ._totp import show_totp_secret

__all__ = ["Authenticator", "CodeSource", "OutboxCodes", "PromptCodes"]

# A new authenticator app: each call gives its current code.
Authenticator = Callable[[], str]
# The name the demo's authenticator entries show above the account.
_ISSUER = "Cognito demo"


class CodeSource(Protocol):
    """Where the demo gets the codes Cognito sends, and authenticator-app codes."""

    how: str
    app_how: str

    def code(self, *, purpose: str, destination: str | None) -> str:
        """The newest code sent for ``purpose``."""

    def authenticator(self, secret: TotpSecret, *, account: str) -> Authenticator:
        """An authenticator app set up with the new ``secret``."""


class OutboxCodes:
    """Codes from the local Cognito's outbox (each message is taken once), and an
    authenticator app played by pyotp (the local extra's), which holds the secret unseen."""

    how = "read from the outbox"
    app_how = "made by pyotp from the secret, which is never shown"

    def __init__(self, outbox: Any) -> None:
        self._outbox = outbox

    def code(self, *, purpose: str, destination: str | None) -> str:
        """Wait (a few seconds at most) for the next message sent for ``purpose``."""
        message = self._outbox.wait_for(purpose=purpose, timeout=5.0)
        return str(message.code)

    def authenticator(self, secret: TotpSecret, *, account: str) -> Authenticator:
        """pyotp's TOTP on the secret: the codes an authenticator app would show."""
        import pyotp  # the local extra's, as is this code source

        totp = pyotp.TOTP(secret.secret_code)
        return lambda: str(totp.now())


class PromptCodes:
    """Codes typed in by the user, with a hidden prompt, for a real pool."""

    how = "typed in"
    app_how = "typed in from your authenticator app"

    def code(self, *, purpose: str, destination: str | None) -> str:
        """Ask for the code Cognito sent to ``destination``."""
        where = f" sent to {destination}" if destination else ""
        label = f"The {purpose.replace('_', ' ')} code{where}"
        return str(click.prompt(label, hide_input=True, err=True)).strip()

    def authenticator(self, secret: TotpSecret, *, account: str) -> Authenticator:
        """Show the secret once (a QR code and the URI, on stderr) for the user's app to
        scan; each code is then typed in from the app."""
        show_totp_secret(secret, issuer=_ISSUER, account=account)
        label = f"A new code from your authenticator app ({_ISSUER}: {account})"
        return lambda: str(click.prompt(label, hide_input=True, err=True)).strip()
