"""The root group of ``cognito-user-pool``; the command modules add themselves to it."""

from __future__ import annotations

import click

from cognito_user_pool import __version__

from ._command import ROOT

__all__ = ["cli"]


@click.group(ROOT, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cognito-user-pool")
def cli() -> None:
    """Manage the users of an Amazon Cognito user pool.

    Start with `cognito-user-pool demo`: the whole user lifecycle against an embedded
    strict local Cognito, no AWS account needed. Other commands take the pool from
    --pool-id/--client-id/--region/--endpoint-url or COGNITO_USER_POOL_ID,
    COGNITO_CLIENT_ID, COGNITO_CLIENT_SECRET, AWS_REGION, COGNITO_ENDPOINT_URL.

    Exit codes: 0 ok, 1 Cognito said no (`<code>: <message>` on stderr), 2 usage error.
    """
