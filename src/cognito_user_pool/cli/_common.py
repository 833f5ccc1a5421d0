"""What every CLI command shares: hidden secrets, the token file, output, exit codes.

Secrets (passwords, codes, tokens, the client secret) never come from argv and never reach
the output unless the user asks for tokens with ``--show-tokens``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console

from cognito_user_pool import (
    CodeDeliveryDetails,
    CognitoError,
    InvalidParameterError,
    PoolConfig,
    Tokens,
    UserPool,
)

__all__ = [
    "MFA_METHODS",
    "NOT_OFFERED",
    "TOKEN_FILE_FORMAT",
    "Output",
    "PoolSettings",
    "SecretReader",
    "delivery_json",
    "device_file_beside",
    "epoch",
    "parse_attributes",
    "read_token_file",
    "saved_fields",
    "tokens_json",
    "write_private_file",
    "write_token_file",
]

TOKEN_FILE_FORMAT = "cognito-user-pool/tokens@1"
_TOKEN_KEYS = ("access_token", "id_token", "refresh_token")

# The error codes of an operation the pool does not offer (its feature plan lacks it, or the
# endpoint does not know it): `mfa status` and the demo then do without GetUserAuthFactors.
NOT_OFFERED = frozenset(
    {
        "FeatureUnavailableInTierException",
        "OperationNotEnabledException",
        "UnknownOperationException",
        "InvalidAction",
    }
)
# The MFA methods by the names the commands take (`mfa prefer totp`, a SELECT_MFA_TYPE answer),
# and Cognito's name for each.
MFA_METHODS = {"sms": "SMS_MFA", "totp": "SOFTWARE_TOKEN_MFA", "email": "EMAIL_OTP"}


class SecretReader:
    """Reads secrets from hidden prompts (on stderr, so ``--json`` stdout stays clean), or
    one per line from stdin with ``--password-stdin``; and, the same way but visibly, the
    other answers a sign-in may ask for (an MFA method, an e-mail address)."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def _line(self, label: str) -> str:
        line = sys.stdin.readline()  # click's runner and shells alike swap sys.stdin
        value = line.rstrip("\r\n")
        if not value:
            raise click.UsageError(f"--password-stdin: no {label.lower()} on stdin")
        return value

    def read(self, label: str, *, confirm: bool = False) -> str:
        """One secret; ``confirm`` asks twice on a terminal (never on stdin).

        :raises click.UsageError: stdin ended or gave an empty line.
        """
        if self.from_stdin:
            return self._line(label)
        return click.prompt(label, hide_input=True, confirmation_prompt=confirm, err=True)

    def answer(self, label: str) -> str:
        """One answer that is not a secret (an e-mail address), echoed at the prompt.

        :raises click.UsageError: stdin ended or gave an empty line.
        """
        if self.from_stdin:
            return self._line(label)
        return str(click.prompt(label, err=True)).strip()

    def choose_mfa(self, label: str, offered: tuple[str, ...]) -> str:
        """One of the MFA types ``offered`` (Cognito's names), chosen by its short name
        (``sms``, ``totp``, ``email``) or by Cognito's; returns Cognito's name.

        :raises click.UsageError: on stdin, a line that names none of them.
        """
        names = {short: aws for short, aws in MFA_METHODS.items() if aws in offered}
        names.update({aws.lower(): aws for aws in offered})
        known = set(MFA_METHODS.values())
        shown = [short for short in MFA_METHODS if short in names]
        shown += [aws.lower() for aws in offered if aws not in known]
        if self.from_stdin:
            value = self._line(label).strip().lower()
            if value not in names:
                raise click.UsageError(
                    f"--password-stdin: {label.lower()} must be one of {', '.join(shown)}"
                )
            return names[value]
        choice = click.prompt(label, type=click.Choice(shown, case_sensitive=False), err=True)
        return names[str(choice).lower()]


@dataclass(frozen=True)
class PoolSettings:
    """Where the pool is: flags first, then the environment, then the token file."""

    user_pool_id: str | None
    client_id: str | None
    region: str | None
    endpoint_url: str | None
    ask_client_secret: bool

    def with_defaults(self, saved: Mapping[str, Any] | None) -> PoolSettings:
        """Fill what flags and environment left unset from a token file's pool fields."""
        if not saved:
            return self

        def pick(current: str | None, key: str) -> str | None:
            value = saved.get(key)
            return current if current else (value if isinstance(value, str) else None)

        return PoolSettings(
            user_pool_id=pick(self.user_pool_id, "user_pool_id"),
            client_id=pick(self.client_id, "client_id"),
            region=pick(self.region, "region"),
            endpoint_url=pick(self.endpoint_url, "endpoint_url"),
            ask_client_secret=self.ask_client_secret,
        )

    def config(self, secrets: SecretReader) -> PoolConfig:
        """The pool's ``PoolConfig``; the client secret comes from COGNITO_CLIENT_SECRET or,
        with ``--ask-client-secret``, a hidden prompt.

        :raises click.UsageError: a missing or malformed setting (exit code 2).
        """
        if not self.user_pool_id:
            raise click.UsageError("no user pool: pass --pool-id or set COGNITO_USER_POOL_ID")
        if not self.client_id:
            raise click.UsageError("no app client: pass --client-id or set COGNITO_CLIENT_ID")
        secret: str | None = os.environ.get("COGNITO_CLIENT_SECRET") or None
        if self.ask_client_secret:
            secret = secrets.read("App client secret")
        try:
            return PoolConfig(
                self.user_pool_id,
                self.client_id,
                client_secret=secret,
                region=self.region or None,
                endpoint_url=self.endpoint_url or None,
            )
        except InvalidParameterError as exc:
            # The message names the field, never its value.
            raise click.UsageError(exc.message) from None

    def build(self, secrets: SecretReader) -> UserPool:
        """A blocking ``UserPool`` for one command; its portal starts on the first call and
        the command closes it (so no close-at-exit hook is needed)."""
        config = self.config(secrets)
        return UserPool(
            config.user_pool_id, config.client_id, close_at_exit=False, **config.options()
        )


def require_local() -> Any:
    """The ``cognito_user_pool.local`` package with its server loaded, or a usage error that
    names the missing ``[local]`` extra (the package itself loads its modules lazily)."""
    try:
        import moto  # noqa: F401  (the extra's core; the local package imports it late)

        from cognito_user_pool import local
        from cognito_user_pool.local import _ops, _server  # noqa: F401  (pyotp, werkzeug...)
    except ImportError as exc:
        raise click.ClickException(
            f"the local Cognito needs the [local] extra ({exc.name} is missing): "
            "pip install 'cognito-user-pool[local,cli]'"
        ) from None
    return local


def saved_fields(config: PoolConfig) -> dict[str, str | None]:
    """The pool's non-secret settings, stored beside the tokens."""
    return {
        "user_pool_id": config.user_pool_id,
        "client_id": config.client_id,
        "region": config.region,
        "endpoint_url": config.endpoint_url,
    }


class Output:
    """Human output through rich, or one JSON document on stdout with ``--json``."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        # Created per command: click's test runner swaps sys.stdout per invocation.
        self.console = Console(highlight=False, soft_wrap=True)

    def result(self, data: Mapping[str, Any], human: Callable[[Console], None]) -> None:
        """Print the command's result: ``data`` as JSON, or ``human(console)``."""
        if self.as_json:
            click.echo(json.dumps(data, indent=2))
        else:
            human(self.console)

    def fail(self, exc: CognitoError) -> NoReturn:
        """Cognito said no: ``<code>: <message>`` on stderr (and an error document on stdout
        with ``--json``), exit code 1."""
        click.echo(f"{exc.code}: {exc.message}", err=True)
        if self.as_json:
            click.echo(json.dumps({"error": {"code": exc.code, "message": exc.message}}, indent=2))
        raise click.exceptions.Exit(1)

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn a ``CognitoError`` raised inside the block into exit code 1."""
        try:
            yield
        except CognitoError as exc:
            self.fail(exc)


def delivery_json(details: CodeDeliveryDetails | None) -> dict[str, str | None] | None:
    """``{"destination", "medium", "attribute"}`` (the destination is masked by Cognito)."""
    if details is None:
        return None
    return {
        "destination": details.destination,
        "medium": details.delivery_medium,
        "attribute": details.attribute_name,
    }


def where_sent(details: CodeDeliveryDetails | None) -> str:
    """`` to a***@e*** (EMAIL)`` for a message, or ``""`` when Cognito said nothing of where
    the code went (the destination is masked by Cognito)."""
    if details is None or not details.destination:
        return ""
    return f" to {details.destination} ({details.delivery_medium or 'EMAIL'})"


def epoch(when: datetime | None) -> int | None:
    """A time as epoch seconds, as every JSON document of the CLI has them."""
    return None if when is None else int(when.timestamp())


def tokens_json(tokens: Tokens, *, show: bool) -> dict[str, Any]:
    """Expiry times always; the tokens themselves only when ``show`` (``--show-tokens``)."""
    data: dict[str, Any] = {
        "token_type": tokens.token_type,
        "access_token_expires_at": tokens.access_token_expires_at,
        "id_token_expires_at": tokens.id_token_expires_at,
    }
    if show:
        data["tokens"] = {
            "access_token": tokens.access_token,
            "id_token": tokens.id_token,
            "refresh_token": tokens.refresh_token,
        }
    return data


def write_token_file(
    path: Path, tokens: Tokens, *, username: str | None, pool: Mapping[str, str | None]
) -> None:
    """Write the tokens as JSON, readable by the owner only (``write_private_file``)."""
    data = {
        "format": TOKEN_FILE_FORMAT,
        **pool,
        "username": username,
        "token_type": tokens.token_type,
        "access_token": tokens.access_token,
        "id_token": tokens.id_token,
        "refresh_token": tokens.refresh_token,
        "access_token_expires_at": tokens.access_token_expires_at,
        "id_token_expires_at": tokens.id_token_expires_at,
    }
    write_private_file(path, json.dumps(data, indent=2) + "\n")


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by the owner only (mode 0600).

    The file is written beside its target with mode 0600 from the start, then renamed over
    it, so the secrets in it are never readable by others, not even for a moment.
    """
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def device_file_beside(token_file: Path) -> Path:
    """Where the CLI keeps remembered devices by default: beside the token file, with the
    same name and ``.devices.json`` (``alice.json`` -> ``alice.devices.json``)."""
    return token_file.expanduser().with_suffix(".devices.json")


def read_token_file(path: Path) -> dict[str, Any]:
    """Read a token file written by ``--save``.

    :raises click.BadParameter: not a token file (exit code 2); the message never quotes
        the file's content.
    """
    try:
        data = json.loads(path.expanduser().read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.BadParameter(
            f"cannot read a token file at {str(path)!r} ({type(exc).__name__})",
            param_hint="--tokens",
        ) from None
    if not isinstance(data, dict) or data.get("format") != TOKEN_FILE_FORMAT:
        raise click.BadParameter(
            f"{str(path)!r} is not a token file written by --save", param_hint="--tokens"
        )
    for key in _TOKEN_KEYS[:2]:
        if not isinstance(data.get(key), str) or not data[key]:
            raise click.BadParameter(f"{str(path)!r} has no {key}", param_hint="--tokens")
    return data


def parse_attributes(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-a NAME=VALUE`` options as a mapping.

    :raises click.BadParameter: a pair without ``=`` or without a name (exit code 2).
    """
    attributes: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--attribute")
        attributes[name] = value
    return attributes
