"""The shape of an ``admin`` command: ``@admin_command`` does what every one of them shares.

An admin command is a small function that takes an :class:`AdminCall` (the blocking
``UserPoolAdmin``, the secret reader) and its own arguments, calls one or a few admin
operations and returns a :class:`Report` (one JSON document) or a :class:`Listing` (JSON
lines, one per item, printed as the pages arrive). The decorator adds the pool options of
every command (``pool_options``; the app client is optional here), ``--json`` and, on
request, ``--password-stdin``; builds the admin client, whose IAM credentials come from
botocore's chain (``AWS_ACCESS_KEY_ID``..., ``AWS_PROFILE``), never from argv; turns a
``CognitoError`` into exit code 1; and records which admin operations each command calls,
so that a test can check every one of ``ADMIN_OPERATIONS`` has a command.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import click
from rich.console import Console

from cognito_user_pool import (
    AdminConfig,
    AdminUser,
    CognitoError,
    Group,
    InvalidParameterError,
    UserPoolAdmin,
)

from ._command import Report, json_option, pool_options, settings_from, subgroup
from ._common import Output, PoolSettings, SecretReader, epoch
from ._root import cli

__all__ = [
    "AdminCall",
    "Listing",
    "admin",
    "admin_command",
    "admin_config",
    "covered_operations",
    "group_json",
    "operations_by_module",
    "user_json",
]


@cli.group()
def admin() -> None:
    """Manage the pool's users and groups with IAM credentials (botocore's chain:
    AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a role): users, groups, import."""


# `admin users` and `admin groups` are known by their whole path, like `mfa totp`.
users = subgroup(admin, "users", "The pool's users: list, create, get, change, delete.")
groups = subgroup(admin, "groups", "The pool's groups and their members.")


@dataclass(frozen=True)
class Listing:
    """What a listing command prints: with ``--json`` one JSON line per item of ``items``,
    written as each arrives (pages are fetched as they are read, so nothing is collected);
    else ``human(console, items)``, which may collect them (a table needs every row)."""

    items: Iterator[Mapping[str, Any]]
    human: Callable[[Console, Iterator[Mapping[str, Any]]], None]


@dataclass(frozen=True)
class AdminCall:
    """What an admin command's function gets: the admin client (opened on its first
    operation), the secret reader, and the output (for progress bars)."""

    admin: UserPoolAdmin
    secrets: SecretReader
    out: Output


def admin_config(settings: PoolSettings, secrets: SecretReader) -> AdminConfig:
    """The admin client's configuration: the pool id is required; the app client (for
    ``admin users login`` only) and its secret (COGNITO_CLIENT_SECRET or
    ``--ask-client-secret``) are optional. Credentials are left to botocore's chain.

    :raises click.UsageError: no pool id, or a malformed setting (exit code 2).
    """
    if not settings.user_pool_id:
        raise click.UsageError("no user pool: pass --pool-id or set COGNITO_USER_POOL_ID")
    secret: str | None = None
    if settings.client_id:
        secret = os.environ.get("COGNITO_CLIENT_SECRET") or None
        if settings.ask_client_secret:
            secret = secrets.read("App client secret")
    elif settings.ask_client_secret:
        raise click.UsageError("--ask-client-secret needs an app client: pass --client-id")
    try:
        return AdminConfig(
            settings.user_pool_id,
            client_id=settings.client_id or None,
            client_secret=secret,
            region=settings.region or None,
            endpoint_url=settings.endpoint_url or None,
        )
    except InvalidParameterError as exc:
        # The message names the field, never its value.
        raise click.UsageError(exc.message) from None


def _stdin_option() -> click.Option:
    return click.Option(
        ["--password-stdin", "--stdin", "from_stdin"],
        is_flag=True,
        help="Read the passwords (and codes) this command asks for from stdin, one per "
        "line, in prompt order, instead of hidden prompts.",
    )


# Command path ("admin users list") -> its module and the admin operations it calls.
_COVERAGE: dict[str, tuple[str, tuple[str, ...]]] = {}


def _print_lines(items: Iterable[Mapping[str, Any]]) -> None:
    for item in items:
        click.echo(json.dumps(item, separators=(",", ":")))


def _fail_in_listing(out: Output, exc: CognitoError) -> None:
    """As ``Output.fail``, but the error document is one JSON line like the items."""
    click.echo(f"{exc.code}: {exc.message}", err=True)
    if out.as_json:
        click.echo(json.dumps({"error": {"code": exc.code, "message": exc.message}}))
    raise click.exceptions.Exit(1)


def admin_command(
    group: click.Group, name: str, *, operations: Iterable[str], stdin: bool = False
) -> Callable[[Callable[..., Report | Listing]], Callable[..., Report | Listing]]:
    """Register ``function(call, **own_arguments) -> Report | Listing`` as ``group``'s
    command ``name``: its own click parameters first, then ``--password-stdin`` (with
    ``stdin``), the pool options and ``--json``.

    :param operations: the ``UserPoolAdmin`` operations it calls (a test checks the list).
    """
    operations = tuple(operations)

    def decorate(function: Callable[..., Report | Listing]) -> Callable[..., Report | Listing]:
        def callback(*, as_json: bool, **params: Any) -> None:
            out = Output(as_json)
            settings = settings_from(params)
            reader = SecretReader(params.pop("from_stdin", False))
            config = admin_config(settings, reader)
            client = UserPoolAdmin(config.user_pool_id, close_at_exit=False, **config.options())
            call = AdminCall(client, reader, out)
            listing = False
            with contextlib.closing(client):
                try:
                    result = function(call, **params)
                    if isinstance(result, Listing):
                        # Pages are fetched here, as the items are printed.
                        listing = True
                        if as_json:
                            _print_lines(result.items)
                        else:
                            result.human(out.console, result.items)
                        return
                except CognitoError as exc:
                    if listing:
                        _fail_in_listing(out, exc)
                    out.fail(exc)
            out.result(result.data, result.human)
            exit_code = getattr(result, "exit_code", 0)
            if exit_code:
                raise click.exceptions.Exit(exit_code)

        own = list(reversed(getattr(function, "__click_params__", [])))
        shared = [*([_stdin_option()] if stdin else []), *pool_options(), json_option()]
        group.add_command(
            click.Command(
                name, callback=callback, params=own + shared, help=inspect.getdoc(function)
            )
        )
        path = f"admin {name}" if group is admin else f"admin {group.name} {name}"
        _COVERAGE[path] = (function.__module__, operations)
        return function

    return decorate


def covered_operations() -> dict[str, tuple[str, ...]]:
    """Each admin command (``"admin users list"``) and the operations it declares."""
    return {path: ops for path, (_, ops) in _COVERAGE.items()}


def operations_by_module() -> dict[str, set[str]]:
    """Each admin command module and the operations its commands declare."""
    modules: dict[str, set[str]] = {}
    for module, ops in _COVERAGE.values():
        modules.setdefault(module, set()).update(ops)
    return modules


def user_json(user: AdminUser) -> dict[str, Any]:
    """``{"username", "status", "enabled", "attributes", "mfa", "created", "last_modified"}``."""
    mfa = None
    if user.mfa is not None:
        mfa = {"enabled": list(user.mfa.enabled), "preferred": user.mfa.preferred}
    return {
        "username": user.username,
        "status": user.status,
        "enabled": user.enabled,
        "attributes": user.as_dict(),
        "mfa": mfa,
        "created": epoch(user.created),
        "last_modified": epoch(user.last_modified),
    }


def group_json(group: Group) -> dict[str, Any]:
    """``{"name", "description", "precedence", "role_arn", "created", "last_modified"}``."""
    return {
        "name": group.name,
        "description": group.description,
        "precedence": group.precedence,
        "role_arn": group.role_arn,
        "created": epoch(group.created),
        "last_modified": epoch(group.last_modified),
    }
