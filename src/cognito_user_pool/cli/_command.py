"""The one shape of a pool command: ``@pool_command`` does the steps every command shares.

A command is a small function that takes a :class:`Call` (the open pool, the secret reader,
the token file) and its own arguments, calls one or a few flows of the blocking
``UserPool`` and returns a :class:`Report` (the ``--json`` document and the human text).
The decorator adds the pool options, ``--json`` and, on request, ``--tokens`` and
``--password-stdin``; builds the pool; turns a ``CognitoError`` into exit code 1 (usage
errors stay click's exit code 2); closes the pool; prints the report. It also records which
flows each command calls, so that a test can check every flow has a command.
"""

from __future__ import annotations

import contextlib
import inspect
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from cognito_user_pool import FileDeviceStore, PoolConfig, RefreshToken, UserAuth, UserPool

from ._common import (
    Output,
    PoolSettings,
    SecretReader,
    device_file_beside,
    read_token_file,
    saved_fields,
    write_token_file,
)

__all__ = [
    "ROOT",
    "Call",
    "Report",
    "covered_flows",
    "flows_by_module",
    "json_option",
    "pool_command",
    "pool_options",
    "settings_from",
    "subgroup",
]

# The access token is refreshed first when it expires within this many seconds.
_EXPIRY_MARGIN = 30
# The root group's name: its commands are named alone ("login"), others "mfa on".
ROOT = "cli"


def json_option() -> click.Option:
    """``--json``."""
    return click.Option(
        ["--json", "as_json"], is_flag=True, help="Print one JSON document (see docs/cli.md)."
    )


def pool_options() -> list[click.Option]:
    """--pool-id, --client-id, --region, --endpoint-url, --ask-client-secret (each command
    gets its own objects: click keeps state on them)."""
    return [
        click.Option(
            ["--pool-id"], envvar="COGNITO_USER_POOL_ID", show_envvar=True, help="User pool id."
        ),
        click.Option(
            ["--client-id"], envvar="COGNITO_CLIENT_ID", show_envvar=True, help="App client id."
        ),
        click.Option(
            ["--region"],
            envvar="AWS_REGION",
            show_envvar=True,
            help="AWS region (default: the pool id's prefix).",
        ),
        click.Option(
            ["--endpoint-url"],
            envvar="COGNITO_ENDPOINT_URL",
            show_envvar=True,
            help="A custom endpoint, such as a local Cognito.",
        ),
        click.Option(
            ["--ask-client-secret"],
            is_flag=True,
            help="Ask for the app client secret with a hidden prompt "
            "(else COGNITO_CLIENT_SECRET is used, if set).",
        ),
    ]


def _stdin_option() -> click.Option:
    return click.Option(
        ["--password-stdin", "--stdin", "from_stdin"],
        is_flag=True,
        help="Read the secrets this command asks for (password, code, new password, ...) "
        "from stdin, one per line, in prompt order, instead of hidden prompts.",
    )


def _devices_option() -> click.Option:
    return click.Option(
        ["--devices", "devices_path"],
        type=click.Path(dir_okay=False, path_type=Path),
        help="The remembered-device file (JSON, mode 0600; default: beside the token "
        "file, NAME.devices.json).",
    )


def _tokens_option() -> click.Option:
    return click.Option(
        ["--tokens", "tokens_path"],
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="A token file written by `login --save`.",
    )


# Command path ("mfa on") -> its module and the flows it calls; filled by @pool_command.
_COVERAGE: dict[str, tuple[str, tuple[str, ...]]] = {}
# A nested group -> its path under the root ("mfa totp"); filled by subgroup().
_GROUP_PATHS: dict[click.Group, str] = {}


def subgroup(parent: click.Group, name: str, help_text: str) -> click.Group:
    """A group of commands inside ``parent`` (``mfa totp``), known by its whole path."""
    group = click.Group(name, help=help_text)
    parent.add_command(group)
    _GROUP_PATHS[group] = f"{_GROUP_PATHS.get(parent, parent.name)} {name}"
    return group


@dataclass(frozen=True)
class Report:
    """What a command prints: ``data`` with ``--json``, else ``human(console)``."""

    data: Mapping[str, Any]
    human: Callable[[Console], None]


@dataclass(frozen=True)
class Call:
    """What a command's function gets: the pool (opened on its first flow), the secret
    reader, with ``--tokens`` the token file and its path, and for the commands that use
    remembered devices the device file (``--devices``, else beside the token file)."""

    pool: UserPool
    secrets: SecretReader
    saved: Mapping[str, Any]
    tokens_path: Path | None
    device_file: Path | None = None

    def use_device_file(self, path: Path) -> None:
        """Keep this pool's device secrets in ``path`` (a ``FileDeviceStore``, mode 0600)."""
        self.pool.device_store = FileDeviceStore(path)

    @property
    def config(self) -> PoolConfig:
        """The pool's configuration (for the token file's pool fields)."""
        return self.pool.config

    def auth(self) -> UserAuth:
        """Who is signed in, for a user flow: the saved access token while it is fresh, else
        fresh tokens from the refresh token, written back to the token file, so that a
        client that rotates refresh tokens keeps a refresh token that still works."""
        expires = self.saved.get("access_token_expires_at")
        refresh = self.saved.get("refresh_token")
        fresh = not isinstance(expires, int) or expires > time.time() + _EXPIRY_MARGIN
        if fresh or not isinstance(refresh, str) or not refresh:
            return str(self.saved["access_token"])
        id_token = self.saved.get("id_token")
        if self.tokens_path is None:
            return RefreshToken(refresh, id_token=id_token)
        tokens = self.pool.refresh_session(
            refresh_token=refresh, id_token=id_token if isinstance(id_token, str) else None
        )
        username = self.saved.get("username")
        write_token_file(
            self.tokens_path,
            tokens,
            username=username if isinstance(username, str) else None,
            pool=saved_fields(self.config),
        )
        return tokens


def settings_from(params: dict[str, Any]) -> PoolSettings:
    """Take the pool options out of a command's keyword arguments."""
    return PoolSettings(
        user_pool_id=params.pop("pool_id"),
        client_id=params.pop("client_id"),
        region=params.pop("region"),
        endpoint_url=params.pop("endpoint_url"),
        ask_client_secret=params.pop("ask_client_secret"),
    )


def pool_command(
    group: click.Group,
    name: str,
    *,
    flows: Iterable[str],
    tokens: bool = False,
    stdin: bool = False,
    devices: bool = False,
) -> Callable[[Callable[..., Report]], Callable[..., Report]]:
    """Register ``function(call, **own_arguments) -> Report`` as ``group``'s command ``name``.

    The function's own click arguments and options (decorators below this one) come first,
    then ``--tokens`` (with ``tokens``), ``--devices`` (with ``devices``: the pool keeps its
    device secrets in that file, by default the one beside ``--tokens``),
    ``--password-stdin`` (with ``stdin``), the pool options and ``--json``.

    :param flows: the ``UserPool`` flows the command calls (a test checks the list).
    """
    flows = tuple(flows)

    def decorate(function: Callable[..., Report]) -> Callable[..., Report]:
        def callback(*, as_json: bool, **params: Any) -> None:
            out = Output(as_json)
            settings = settings_from(params)
            reader = SecretReader(params.pop("from_stdin", False))
            tokens_path: Path | None = params.pop("tokens_path", None)
            saved: Mapping[str, Any] = {}
            if tokens_path is not None:
                saved = read_token_file(tokens_path)
                settings = settings.with_defaults(saved)
            device_file: Path | None = params.pop("devices_path", None)
            if devices and device_file is None and tokens_path is not None:
                device_file = device_file_beside(tokens_path)
            pool = settings.build(reader)
            call = Call(pool, reader, saved, tokens_path, device_file)
            if device_file is not None:
                call.use_device_file(device_file)
            # Prompts come before the first flow: the pool's portal starts only then.
            with contextlib.closing(pool), out.errors():
                report = function(call, **params)
            out.result(report.data, report.human)

        own = list(reversed(getattr(function, "__click_params__", [])))
        shared = [
            *([_tokens_option()] if tokens else []),
            *([_devices_option()] if devices else []),
            *([_stdin_option()] if stdin else []),
            *pool_options(),
            json_option(),
        ]
        help_text = inspect.getdoc(function)
        group.add_command(
            click.Command(name, callback=callback, params=own + shared, help=help_text)
        )
        path = name if group.name == ROOT else f"{_GROUP_PATHS.get(group, group.name)} {name}"
        _COVERAGE[path] = (function.__module__, flows)
        return function

    return decorate


def covered_flows() -> dict[str, tuple[str, ...]]:
    """Each pool command (``"mfa on"``) and the flows it declares it calls."""
    return {path: flows for path, (_, flows) in _COVERAGE.items()}


def flows_by_module() -> dict[str, set[str]]:
    """Each command module and the flows its commands declare."""
    modules: dict[str, set[str]] = {}
    for module, flows in _COVERAGE.values():
        modules.setdefault(module, set()).update(flows)
    return modules
