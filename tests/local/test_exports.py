"""The printed exports are enough for an SDK that reads only the environment (issue 12)."""

from __future__ import annotations

import io
import threading
from typing import Any

import boto3
import pytest
from click.testing import CliRunner

import cognito_user_pool.local
from cognito_user_pool.cli import cli
from cognito_user_pool.local import LocalCognito


def _exports(text: str) -> dict[str, str]:
    pairs = (line.removeprefix("export ").split("=", 1) for line in text.splitlines())
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2 and not pair[0].startswith("#")}


def test_cli_exports_let_boto3_find_region_and_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cognito-user-pool local`` prints AWS_DEFAULT_REGION too: a boto3 client built from
    the printed variables alone (plus dummy keys) reaches the pool."""
    real_serve = cognito_user_pool.local.serve
    checked: list[str] = []

    def serve(out: Any, **options: Any) -> None:
        stop, printed = threading.Event(), io.StringIO()

        def ready(local: LocalCognito) -> None:
            exports = _exports(printed.getvalue())
            with monkeypatch.context() as env:
                for name, value in exports.items():
                    env.setenv(name, value)
                env.setenv("AWS_ACCESS_KEY_ID", "dummy")
                env.setenv("AWS_SECRET_ACCESS_KEY", "dummy")
                client = boto3.client("cognito-idp")  # no region, no endpoint given here
                users = client.list_users(UserPoolId=exports["COGNITO_USER_POOL_ID"])
                client.close()
            checked.append(exports["AWS_DEFAULT_REGION"])
            assert users["Users"] == []
            stop.set()

        real_serve(out=printed, stop=stop, on_ready=ready, **options)
        out.write(printed.getvalue())

    monkeypatch.setattr(cognito_user_pool.local, "serve", serve)
    result = CliRunner().invoke(cli, ["local", "--region", "eu-west-1"])
    assert result.exit_code == 0, result.output
    assert "export AWS_DEFAULT_REGION=eu-west-1" in result.output
    assert "export AWS_REGION=eu-west-1" in result.output
    assert checked == ["eu-west-1"]
