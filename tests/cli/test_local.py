"""``cognito-user-pool local`` delegates to ``cognito_user_pool.local.serve``; it and
``python -m cognito_user_pool.local`` share one option table."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
from typing import Any

import click
import pytest
from click.testing import CliRunner

import cognito_user_pool.local
from cognito_user_pool.cli import cli
from cognito_user_pool.cli._local import local as local_command
from cognito_user_pool.local import LocalCognito
from cognito_user_pool.local import __main__ as local_main
from cognito_user_pool.local._options import OPTIONS, OptionValueError, normalise

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


def _argparse_options() -> dict[str, argparse.Action]:
    return {
        action.dest: action
        for action in local_main.parser()._actions
        if not isinstance(action, argparse._HelpAction)
    }


def _click_options() -> dict[str, click.Option]:
    return {
        str(param.name): param
        for param in local_command.params
        if isinstance(param, click.Option) and param.name != "as_json"
    }


def test_both_front_ends_expose_exactly_the_option_table() -> None:
    """``python -m cognito_user_pool.local`` (argparse) and ``cognito-user-pool local``
    (click) are both built from ``local/_options.OPTIONS``: same flags, defaults, help,
    choices, and the same options, no more, no fewer."""
    table = {option.name: option for option in OPTIONS}
    parsed, clicked = _argparse_options(), _click_options()
    assert list(parsed) == list(table)
    assert list(clicked) == list(table)
    for name, option in table.items():
        action, param = parsed[name], clicked[name]
        assert action.option_strings == [option.flag]
        assert param.opts == [option.flag]
        default = list(option.default) if option.repeatable else option.default
        assert action.default == default
        assert param.default == option.default
        assert action.help is not None and action.help.startswith(option.help)
        assert param.help == option.help
        assert list(action.choices or ()) == list(option.choices)
        assert list(getattr(param.type, "choices", ())) == list(option.choices)
        assert param.multiple is option.repeatable
        assert param.is_flag is (option.kind == "flag")
    # Nothing given: both parse to the table's defaults, normalised the same way.
    defaults = normalise({})
    assert normalise(vars(local_main.parser().parse_args([]))) == defaults
    context = local_command.make_context("local", [])
    assert normalise(context.params) == defaults
    assert defaults["username_attributes"] is None and defaults["cors"] == []


@pytest.mark.parametrize("port", ["-1", "65536"])
def test_both_front_ends_refuse_a_port_out_of_range(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    """The port range (click's, now the table's) holds for argparse too: usage error, exit 2,
    nothing served."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(local_main, "serve", lambda **o: seen.append(o))
    monkeypatch.setattr(cognito_user_pool.local, "serve", lambda **o: seen.append(o))
    with pytest.raises(SystemExit) as exited:
        local_main.main(["--port", port])
    assert exited.value.code == 2
    assert "--port" in capsys.readouterr().err
    refused = CliRunner().invoke(cli, ["local", "--port", port])
    assert refused.exit_code == 2
    assert "--port" in refused.output
    assert seen == []


def test_normalise_names_the_flag_at_fault() -> None:
    """``normalise`` splits comma-separated values and reports a bad value as
    ``(option, message)`` for the front ends to turn into their usage errors."""
    options = normalise({"username_attributes": "email,,phone_number", "cors": ("http://a",)})
    assert options["username_attributes"] == ["email", "phone_number"]
    assert options["cors"] == ["http://a"]
    with pytest.raises(OptionValueError) as bad_mfa:
        normalise({"mfa": "SOMETIMES"})
    assert (bad_mfa.value.option, bad_mfa.value.message) == (
        "--mfa",
        "'SOMETIMES' is not one of OFF, OPTIONAL, ON",
    )
    with pytest.raises(OptionValueError) as bad_port:
        normalise({"port": 70000})
    assert bad_port.value.option == "--port"


@pytest.mark.parametrize("command", [["local"], ["demo"], ["local", "--help"]])
def test_without_the_local_extra_the_cli_names_it(command: list[str]) -> None:
    """With moto missing, `local` and `demo` say which extra to install (exit 1), and
    `local --help` still lists the options."""
    script = (
        "import sys\n"
        "sys.modules['moto'] = None  # as if the [local] extra were not installed\n"
        "from cognito_user_pool.cli import main\n"
        f"sys.argv = ['cognito-user-pool', *{command!r}]\n"
        "main()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    if command[-1] == "--help":
        assert run.returncode == 0 and "--state" in run.stdout, run.stderr
    else:
        assert run.returncode == 1, run.stderr
        assert "needs the [local] extra (moto is missing)" in run.stderr
        assert "Traceback" not in run.stderr
