"""``python -m cognito_user_pool.local``: run a strict local Cognito in the foreground."""

from __future__ import annotations

import argparse
import sys

from ._errors import OptionError
from ._runner import serve
from ._server import LocalCognito
from ._state_file import StateFileError

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m cognito_user_pool.local",
        description="Run a strict local Cognito user pool (moto + real SRP/code checks).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    parser.add_argument(
        "--region", help="default: --pool-id's region, else the state file's, else us-east-1"
    )
    parser.add_argument("--client-secret", action="store_true", help="app client with a secret")
    parser.add_argument("--mfa", choices=["OFF", "OPTIONAL", "ON"], default="OFF")
    parser.add_argument(
        "--username-attributes",
        default="",
        help="comma-separated, e.g. 'email' to sign in with the e-mail address",
    )
    parser.add_argument("--alias-attributes", default="", help="comma-separated aliases")
    parser.add_argument(
        "--cors",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a browser origin allowed to call the server, e.g. http://localhost:3000 "
        "(repeatable; none by default)",
    )
    parser.add_argument(
        "--moto-api",
        action="store_true",
        help="serve moto's /moto-api/ (dashboard, data.json with every pool's data, reset)",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="keep pools, clients, users (password verifiers, not passwords) and pending "
        "codes in FILE across restarts",
    )
    parser.add_argument("--pool-id", help="fixed id of the default pool, e.g. us-east-1_AbCdE1234")
    parser.add_argument(
        "--client-id", help="fixed id of the default app client (26 lowercase letters/digits)"
    )
    args = parser.parse_args(argv)
    options = {
        "host": args.host,
        "port": args.port,
        "region": args.region,
        "client_secret": args.client_secret,
        "mfa": args.mfa,
        "username_attributes": [a for a in args.username_attributes.split(",") if a] or None,
        "alias_attributes": [a for a in args.alias_attributes.split(",") if a] or None,
        "cors": args.cors,
        "moto_api": args.moto_api,
        "state": args.state,
        "pool_id": args.pool_id,
        "client_id": args.client_id,
    }
    try:
        LocalCognito(**options)  # checks every option, and the state file, before starting
    except OptionError as exc:
        parser.error(f"--{exc.option.replace('_', '-')}: {exc}")
    except StateFileError as exc:
        parser.error(f"--state: {exc}")
    serve(**options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
