"""The foreground runner behind ``python -m cognito_user_pool.local`` and the CLI."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from ._guard import is_loopback, normalize_origins
from ._outbox import OutboxMessage
from ._server import LocalCognito

__all__ = ["env_block", "serve"]


def env_block(local: LocalCognito) -> str:
    """Shell ``export`` lines that point this library, or any AWS SDK, at ``local``."""
    lines = [
        f"export COGNITO_USER_POOL_ID={local.user_pool_id}",
        f"export COGNITO_CLIENT_ID={local.client_id}",
    ]
    if local.client_secret is not None:
        # Printed on purpose: the app needs it, and it is a throwaway secret of a local pool
        # that lives only as long as this process (or its state file). Never print a real
        # pool's secret.
        lines.append(f"export COGNITO_CLIENT_SECRET={local.client_secret}")
    lines += [
        f"export AWS_REGION={local.region}",
        # boto3/botocore read only AWS_DEFAULT_REGION (NoRegionError without it); other
        # SDKs read AWS_REGION.
        f"export AWS_DEFAULT_REGION={local.region}",
        f"export COGNITO_ENDPOINT_URL={local.endpoint_url}",
        f"export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER={local.endpoint_url}",
    ]
    return "\n".join(lines)


def _notes(options: dict[str, Any]) -> list[str]:
    """What the owner should know about how open this server is (nothing, by default)."""
    notes = []
    host = str(options.get("host", "127.0.0.1"))
    if not is_loopback(host):
        notes.append(f"WARNING: listening on {host}: other machines can reach this server.")
    origins = normalize_origins(options.get("cors"))
    if origins:
        notes.append("Browser calls allowed from: " + ", ".join(sorted(origins)))
    if options.get("moto_api"):
        notes.append("moto's /moto-api/ is on: it shows every pool's data and can wipe them all.")
    return notes


def _format(message: OutboxMessage) -> str:
    what = message.purpose + (f" ({message.attribute})" if message.attribute else "")
    return (
        f"[{message.medium}] to {message.destination} user={message.username} "
        f"{what}: {message.code}"
    )


def serve(
    *,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
    on_ready: Callable[[LocalCognito], None] | None = None,
    **options: Any,
) -> None:
    """Run a LocalCognito in the foreground until Ctrl-C (or ``stop`` is set).

    Prints the environment block, then every code as it is "sent", like a mail catcher.

    :param out: where to print (default stdout).
    :param stop: an event that ends the loop (tests; Ctrl-C does it interactively).
    :param on_ready: called with the running LocalCognito once the env block is printed.
    :param options: LocalCognito constructor options (host, port, region, mfa, ...).
    """
    stream = out or sys.stdout
    stop_event = stop or threading.Event()
    # werkzeug logs every request line; a foreground runner shows codes, not HTTP noise.
    werkzeug_logger = logging.getLogger("werkzeug")
    previous_level = werkzeug_logger.level
    werkzeug_logger.setLevel(logging.WARNING)
    try:
        _serve(stream, stop_event, on_ready, options)
    finally:
        werkzeug_logger.setLevel(previous_level)


def _serve(
    stream: TextIO,
    stop_event: threading.Event,
    on_ready: Callable[[LocalCognito], None] | None,
    options: dict[str, Any],
) -> None:
    def show(message: OutboxMessage) -> None:
        print(_format(message), file=stream, flush=True)

    with LocalCognito(**options) as local:
        print("# Local Cognito is running. Point your app at it with:", file=stream)
        print(env_block(local), file=stream)
        for line in _notes(options):
            print(f"# {line}", file=stream)
        if local.state_file is not None:
            print(
                f"# State kept in {local.state_file} (users' passwords are not written).",
                file=stream,
            )
        print(
            f"# Other programs on this machine read the codes at "
            f"{local.endpoint_url}/_local/outbox",
            file=stream,
        )
        print(
            "# Admin calls must be signed: any (dummy) AWS credentials will do. "
            "Codes appear below; Ctrl-C stops.",
            file=stream,
            flush=True,
        )
        # Replayed: codes already sent, such as the pending ones a state file brought back.
        local.outbox.add_listener(show, replay=True)
        if on_ready is not None:
            on_ready(local)
        try:
            while not stop_event.wait(0.2):
                pass
        except KeyboardInterrupt:
            print("# stopping", file=stream, flush=True)
