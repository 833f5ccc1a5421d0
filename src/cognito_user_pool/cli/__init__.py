"""The ``cognito-user-pool`` command line (extra ``[cli]``), built on the public API only.

``cognito-user-pool demo`` runs every flow against an embedded strict local Cognito;
``cognito-user-pool local`` serves one in the foreground; the other commands act on a pool
given by flags or by the variables ``UserPool.from_env()`` reads, through the blocking
``UserPool``: one small function per command, grouped by area (``_signup``, ``_session``,
``_devices``, ``_passkeys``, ``_profile``, ``_account``, ``_mfa``, ``_password``), each
declared with ``@pool_command`` (``_command.py``), which adds the pool options, ``--json``
and the exit codes. ``admin`` (``_admin*``) does the same on the blocking ``UserPoolAdmin``
with IAM credentials, its commands declared with ``@admin_command`` (``_admin_command.py``).

Secrets never come from argv: passwords and codes are read with hidden prompts or from
stdin (``--password-stdin``), the client secret from ``COGNITO_CLIENT_SECRET`` or a hidden
prompt (``--ask-client-secret``). Tokens are written only with ``--save PATH`` (mode 0600)
and printed only with ``--show-tokens``. A new authenticator-app secret is shown once, as a
QR code and an ``otpauth://`` URI on stderr, to be scanned (``_totp``).

Exit codes: 0 ok, 1 Cognito said no (``<code>: <message>`` on stderr), 2 usage error.
"""

from __future__ import annotations

# Each command module adds its commands to the root group when imported.
from . import (
    _account,
    _admin,
    _demo,
    _devices,
    _local,
    _mfa,
    _passkeys,
    _password,
    _profile,
    _session,
    _signup,
)
from ._root import cli

__all__ = ["cli", "main"]

COMMAND_MODULES = (
    _signup,
    _session,
    _devices,
    _passkeys,
    _profile,
    _account,
    _mfa,
    _password,
    _demo,
    _local,
    _admin,
)


def main() -> None:
    """The console script's entry point."""
    cli(prog_name="cognito-user-pool")
