"""``cognito-user-pool local`` delegates to ``cognito_user_pool.local.serve``."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

import cognito_user_pool.local
from cognito_user_pool.local import LocalCognito

from ._support import Cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """``serve`` runs for real but returns once ready, instead of waiting for Ctrl-C."""
    calls: list[dict[str, Any]] = []
    real_serve = cognito_user_pool.local.serve

    def serve(**options: Any) -> None:
        calls.append(options)
        stop = threading.Event()
        user_ready = options.pop("on_ready", None)

        def ready(local: LocalCognito) -> None:
            if user_ready is not None:
                user_ready(local)
            stop.set()

        real_serve(stop=stop, on_ready=ready, **options)

    monkeypatch.setattr(cognito_user_pool.local, "serve", serve)
    return calls


def test_local_prints_the_environment_block(served: list[dict[str, Any]]) -> None:
    """``local`` passes its options to serve, which prints the variables to export."""
    result = Cli()(
        "local", "--client-secret", "--mfa", "OPTIONAL", "--username-attributes", "email"
    )
    assert "export COGNITO_USER_POOL_ID=" in result.stdout
    assert "export COGNITO_ENDPOINT_URL=http://127.0.0.1:" in result.stdout
    (options,) = served
    assert options["client_secret"] is True
    assert options["mfa"] == "OPTIONAL"
    assert options["username_attributes"] == ["email"]
    assert options["host"] == "127.0.0.1"


def test_local_json_prints_a_ready_event(served: list[dict[str, Any]]) -> None:
    """``local --json`` prints JSON lines on stdout, the human block on stderr."""
    result = Cli()("local", "--json")
    (line,) = result.stdout.strip().splitlines()
    event = json.loads(line)
    assert event["event"] == "ready"
    assert event["endpoint_url"].startswith("http://127.0.0.1:")
    assert set(event) == {
        "event",
        "endpoint_url",
        "region",
        "user_pool_id",
        "client_id",
        "client_secret",
    }
    assert "export COGNITO_USER_POOL_ID=" in result.stderr


def test_the_leak_check_catches_a_leak() -> None:
    """The runner's secret check fails when an output holds a registered secret."""
    runner = Cli()
    runner.secret("s3cret-value")
    runner.outputs.append("... s3cret-value ...")
    with pytest.raises(AssertionError):
        runner.assert_no_secret_leaked()
