"""``local``: a strict local Cognito in the foreground (``cognito_user_pool.local.serve``).

The options come from ``local/_options.py``'s ``OPTIONS``, as do
``python -m cognito_user_pool.local``'s (argparse: the ``local`` package does not need click).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

# Only the option table: the local package's other modules load on first use (see its
# __init__), so `cognito-user-pool --help` works without the [local] extra.
from ..local import _options
from ._command import json_option
from ._common import require_local
from ._root import cli

__all__ = ["local"]


def _json(f: Any) -> Any:
    f.__click_params__ = [json_option(), *getattr(f, "__click_params__", [])]
    return f


def _click_option(option: _options.Option) -> click.Option:
    """One entry of ``OPTIONS`` as a click option."""
    kind: Any = None
    if option.kind == "int":
        kind = click.IntRange(*option.bounds) if option.bounds is not None else int
    elif option.choices:
        kind = click.Choice(option.choices)
    return click.Option(
        [option.flag, option.name],
        type=kind,
        default=option.default,
        is_flag=option.kind == "flag",
        multiple=option.repeatable,
        metavar=option.metavar,
        show_default=option.show_default,
        help=option.help,
    )


def _table_options(f: Any) -> Any:
    f.__click_params__ = [
        *getattr(f, "__click_params__", []),
        *(_click_option(option) for option in reversed(_options.OPTIONS)),
    ]
    return f


@cli.command()
@_table_options
@_json
def local(as_json: bool, **values: Any) -> None:
    """Run a strict local Cognito in the foreground until Ctrl-C.

    Prints the environment to point an app at it, then every code it "sends" (a mail
    catcher: codes and the throwaway local client secret are shown on purpose). With
    --json, stdout gets one JSON object per line: a "ready" event, then "code" events.
    With --state FILE, pools, users and pending codes survive a restart, ids included;
    other programs on this machine read the codes at GET /_local/outbox.
    """
    local_cognito = require_local()
    try:
        options = _options.normalise(values)
        _options.check(options)  # LocalCognito's checks, before anything starts
    except _options.OptionValueError as exc:
        raise click.BadParameter(exc.message, param_hint=exc.option) from None
    if not as_json:
        local_cognito.serve(out=sys.stdout, **options)
        return

    def emit(data: dict[str, Any]) -> None:
        click.echo(json.dumps(data))

    def ready(running: Any) -> None:
        emit(
            {
                "event": "ready",
                "endpoint_url": running.endpoint_url,
                "region": running.region,
                "user_pool_id": running.user_pool_id,
                "client_id": running.client_id,
                "client_secret": running.client_secret,
            }
        )

        def code_event(m: Any) -> None:
            emit(
                {
                    "event": "code",
                    "username": m.username,
                    "purpose": m.purpose,
                    "attribute": m.attribute,
                    "medium": m.medium,
                    "destination": m.destination,
                    "code": m.code,
                }
            )

        # Replayed: pending codes restored from a state file come first.
        running.outbox.add_listener(code_event, replay=True)

    # The human text (environment block, codes) goes to stderr; stdout stays JSON lines.
    local_cognito.serve(out=sys.stderr, on_ready=ready, **options)
