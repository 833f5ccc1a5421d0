"""Start and stop cleanly, scope the moto patch, the CLI runner and the pytest plugin."""

from __future__ import annotations

import importlib.metadata
import io
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import boto3
import botocore
import pytest
from botocore.config import Config

from cognito_user_pool.local import LocalCognito, _patch
from cognito_user_pool.local import __main__ as cli
from cognito_user_pool.local._runner import env_block, serve

from ._srp_client import secret_hash

ROOT = Path(__file__).resolve().parents[2]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_stop_closes_port_and_thread() -> None:
    """After ``with`` exits the port refuses connections and no server thread is left."""
    before = set(threading.enumerate())
    with LocalCognito(default_pool=False) as local:
        port = local.port
        assert _port_open(port)
        assert port in _patch.active_ports()
    assert not _port_open(port)
    assert port not in _patch.active_ports()
    # A request-handler thread may need a moment to see its connection close.
    deadline = time.monotonic() + 3
    while not set(threading.enumerate()) <= before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(threading.enumerate()) <= before
    with pytest.raises(RuntimeError, match="not running"):
        _ = local.endpoint_url


def test_default_pool_attributes() -> None:
    """The default pool exposes ids, secret, region, endpoint and an admin client."""
    with LocalCognito(client_secret=True, region="eu-west-1") as local:
        assert local.user_pool_id.startswith("eu-west-1_")
        assert local.client_secret
        assert local.endpoint_url == f"http://127.0.0.1:{local.port}"
        described = local.admin.describe_user_pool_client(
            UserPoolId=local.user_pool_id, ClientId=local.client_id
        )
        assert described["UserPoolClient"]["ClientSecret"] == local.client_secret
        assert local.client_secret not in repr(local.default)
        assert not any(
            k.startswith("AWS_ACCESS") and os.environ[k] == "local-cognito" for k in os.environ
        )


@pytest.mark.anyio
async def test_async_with() -> None:
    """``async with`` starts and stops the server without blocking the event loop."""
    async with LocalCognito() as local:
        port = local.port
        assert local.admin.describe_user_pool(UserPoolId=local.user_pool_id)
    assert not _port_open(port)


def test_unknown_pool_option_rejected(server: LocalCognito) -> None:
    """create_pool refuses options it does not know, instead of ignoring them."""
    with pytest.raises(TypeError, match="unknown pool options"):
        server.create_pool(mfa_mode="ON")


def test_patch_scoped_and_restored() -> None:
    """mock_aws in the same process keeps stock moto while we run; the patch goes on last stop."""
    script = textwrap.dedent(
        """
        import boto3, botocore
        from botocore.config import Config
        from moto import mock_aws
        from moto.cognitoidp.responses import CognitoIdpResponse
        from cognito_user_pool.local import LocalCognito

        assert "_dispatch" not in vars(CognitoIdpResponse)
        with LocalCognito() as local:
            assert "_dispatch" in vars(CognitoIdpResponse)
            with mock_aws():
                mocked = boto3.client("cognito-idp", region_name="us-east-1")
                pool = mocked.create_user_pool(PoolName="p")["UserPool"]["Id"]
                client = mocked.create_user_pool_client(UserPoolId=pool, ClientName="c")
                cid = client["UserPoolClient"]["ClientId"]
                mocked.sign_up(ClientId=cid, Username="u", Password="Passw0rd!")
                # stock moto: any confirmation code is accepted
                mocked.confirm_sign_up(ClientId=cid, Username="u", ConfirmationCode="000000")
        assert "_dispatch" not in vars(CognitoIdpResponse)
        import moto.cognitoidp.models as models
        from joserfc import jwk
        assert models.jwk is jwk  # the key-import cache is gone too
        print("OK")
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_CONFIG_FILE=os.devnull
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("OK")


def test_serve_prints_env_and_codes() -> None:
    """serve() prints the env block, then each code as it is sent, and stops on request."""
    out = io.StringIO()
    stop = threading.Event()
    seen: dict[str, Any] = {}

    def on_ready(local: LocalCognito) -> None:
        seen["port"] = local.port
        public = boto3.client(
            "cognito-idp",
            region_name=local.region,
            endpoint_url=local.endpoint_url,
            config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}),
        )
        public.sign_up(
            ClientId=local.client_id,
            SecretHash=secret_hash(str(local.client_secret), "zoe", local.client_id),
            Username="zoe",
            Password="Passw0rd-1!",
            UserAttributes=[{"Name": "email", "Value": "zoe@example.com"}],
        )
        public.close()
        seen["code"] = local.outbox.last(purpose="signup").code
        stop.set()

    serve(out=out, stop=stop, on_ready=on_ready, client_secret=True)
    text = out.getvalue()
    for name in (
        "COGNITO_USER_POOL_ID",
        "COGNITO_CLIENT_ID",
        "COGNITO_CLIENT_SECRET",
        "AWS_REGION",
        "COGNITO_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    ):
        assert f"export {name}=" in text
    assert f"zoe@example.com user=zoe signup (email): {seen['code']}" in text
    assert not _port_open(seen["port"])


def test_env_block_without_secret(server: LocalCognito) -> None:
    """Without a client secret the env block has no COGNITO_CLIENT_SECRET line."""
    with LocalCognito() as local:
        block = env_block(local)
    assert "COGNITO_CLIENT_SECRET" not in block
    assert "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=http://127.0.0.1:" in block


def test_cli_main_passes_options(monkeypatch: Any) -> None:
    """``python -m cognito_user_pool.local`` maps its flags onto serve()."""
    captured: dict[str, Any] = {}
    monkeypatch.setattr(cli, "serve", lambda **kw: captured.update(kw))
    assert (
        cli.main(
            ["--port", "9999", "--mfa", "ON", "--client-secret", "--username-attributes", "email"]
        )
        == 0
    )
    assert (
        captured["port"] == 9999 and captured["mfa"] == "ON" and captured["client_secret"] is True
    )
    assert captured["username_attributes"] == ["email"]


def test_plugin_declared_in_pyproject() -> None:
    """pyproject registers the pytest11 entry point for the plugin."""
    text = (ROOT / "pyproject.toml").read_text()
    section = text.split("[project.entry-points.pytest11]", 1)[1].split("\n[", 1)[0]
    assert 'cognito_user_pool = "cognito_user_pool.pytest_plugin"' in section


def test_plugin_imports_nothing_heavy() -> None:
    """Importing the plugin does not import moto, boto3 or the local server."""
    script = (
        "import sys, cognito_user_pool.pytest_plugin\n"
        "heavy = [m for m in ('moto', 'boto3', 'cognito_user_pool.local') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_plugin_fixture(tmp_path: Path) -> None:
    """The local_cognito fixture gives each test a fresh pool, with marker options."""
    (tmp_path / "test_uses_fixture.py").write_text(
        textwrap.dedent(
            """
        import pytest

        seen = []

        def test_one(local_cognito):
            local_cognito.create_user("alice", "Passw0rd-1!")
            seen.append(local_cognito.user_pool_id)
            assert local_cognito.client_secret is None

        @pytest.mark.local_cognito(client_secret=True)
        def test_two(local_cognito):
            assert local_cognito.client_secret
            assert local_cognito.user_pool_id not in seen
            users = local_cognito.admin.list_users(UserPoolId=local_cognito.user_pool_id)
            assert users["Users"] == []
        """
        )
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    names = {e.name for e in importlib.metadata.entry_points(group="pytest11")}
    args = [] if "cognito_user_pool" in names else ["-p", "cognito_user_pool.pytest_plugin"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "--strict-markers", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 passed" in done.stdout
