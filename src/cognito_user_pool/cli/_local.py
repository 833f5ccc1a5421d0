"""``local``: a strict local Cognito in the foreground (``cognito_user_pool.local.serve``).

The options are the same as ``python -m cognito_user_pool.local``'s (argparse, in ``local/``,
which must not need click); keep the two in step until ``local`` exports one option table.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ._command import json_option
from ._root import cli

__all__ = ["local"]


def _json(f: Any) -> Any:
    f.__click_params__ = [json_option(), *getattr(f, "__click_params__", [])]
    return f


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (0: any free).")
@click.option(
    "--region",
    default=None,
    help="The pools' region. Default: --pool-id's region, else the state file's, else us-east-1.",
)
@click.option("--client-secret", is_flag=True, help="Give the app client a secret.")
@click.option(
    "--mfa",
    type=click.Choice(["OFF", "OPTIONAL", "ON"]),
    default="OFF",
    show_default=True,
    help="The pool's MFA configuration.",
)
@click.option("--username-attributes", default="", help="Comma-separated, e.g. 'email'.")
@click.option("--alias-attributes", default="", help="Comma-separated aliases.")
@click.option(
    "--cors",
    multiple=True,
    metavar="ORIGIN",
    help="A browser origin allowed to call the server, e.g. http://localhost:3000 "
    "(repeatable; none by default).",
)
@click.option(
    "--moto-api",
    is_flag=True,
    help="Serve moto's /moto-api/ (dashboard, data.json with every pool's data, reset).",
)
@click.option(
    "--state",
    metavar="FILE",
    help="Keep pools, clients, users (password verifiers, not passwords) and pending codes "
    "in FILE across restarts.",
)
@click.option("--pool-id", help="Fixed id of the default pool, e.g. us-east-1_AbCdE1234.")
@click.option(
    "--client-id", help="Fixed id of the default app client (26 lowercase letters and digits)."
)
@_json
def local(
    host: str,
    port: int,
    region: str | None,
    client_secret: bool,
    mfa: str,
    username_attributes: str,
    alias_attributes: str,
    cors: tuple[str, ...],
    moto_api: bool,
    state: str | None,
    pool_id: str | None,
    client_id: str | None,
    as_json: bool,
) -> None:
    """Run a strict local Cognito in the foreground until Ctrl-C.

    Prints the environment to point an app at it, then every code it "sends" (a mail
    catcher: codes and the throwaway local client secret are shown on purpose). With
    --json, stdout gets one JSON object per line: a "ready" event, then "code" events.
    With --state FILE, pools, users and pending codes survive a restart, ids included;
    other programs on this machine read the codes at GET /_local/outbox.
    """
    try:
        from cognito_user_pool import local as local_cognito
    except ImportError as exc:
        raise click.ClickException(
            f"the local Cognito needs the [local] extra ({exc.name} is missing): "
            "pip install 'cognito-user-pool[local,cli]'"
        ) from None
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "region": region,
        "client_secret": client_secret,
        "mfa": mfa,
        "username_attributes": [a for a in username_attributes.split(",") if a] or None,
        "alias_attributes": [a for a in alias_attributes.split(",") if a] or None,
        "cors": list(cors),
        "moto_api": moto_api,
        "state": state,
        "pool_id": pool_id,
        "client_id": client_id,
    }
    try:
        local_cognito.LocalCognito(**options)  # checks the options before anything starts
    except local_cognito.StateFileError as exc:
        raise click.BadParameter(str(exc), param_hint="--state") from None
    except ValueError as exc:
        # LocalCognito names the option at fault (its OptionError's ``option``).
        option = str(getattr(exc, "option", "cors"))
        raise click.BadParameter(str(exc), param_hint="--" + option.replace("_", "-")) from None
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
