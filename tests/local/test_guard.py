"""The local Cognito is its owner's: signed admin calls, no /moto-api/, own Host, no CORS.

Raw HTTP (http.client) where the headers themselves are the point; boto3 where the point is
what an SDK sees. Issue 12, item 2.
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import botocore
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from click.testing import CliRunner

import cognito_user_pool.local
from cognito_user_pool.cli import cli
from cognito_user_pool.local import LocalCognito
from cognito_user_pool.local import __main__ as local_main
from cognito_user_pool.local._guard import normalize_origins, unsigned_operations
from cognito_user_pool.local._runner import serve

PASSWORD = "Corr3ct-horse!"
APP_ORIGIN = "http://app.example:3000"
EVIL_ORIGIN = "http://evil.example"
# docs/cognito-facts.md#unsigned-requests: the 32 operations botocore marks unsigned.
UNSIGNED_IN_FACTS = {
    "AssociateSoftwareToken", "ChangePassword", "CompleteWebAuthnRegistration", "ConfirmDevice",
    "ConfirmForgotPassword", "ConfirmSignUp", "DeleteUser", "DeleteUserAttributes",
    "DeleteWebAuthnCredential", "ForgetDevice", "ForgotPassword", "GetDevice",
    "GetTokensFromRefreshToken", "GetUser", "GetUserAttributeVerificationCode",
    "GetUserAuthFactors", "GlobalSignOut", "InitiateAuth", "ListDevices",
    "ListWebAuthnCredentials", "ResendConfirmationCode", "RespondToAuthChallenge",
    "RevokeToken", "SetUserMFAPreference", "SetUserSettings", "SignUp",
    "StartWebAuthnRegistration", "UpdateAuthEventFeedback", "UpdateDeviceStatus",
    "UpdateUserAttributes", "VerifySoftwareToken", "VerifyUserAttribute",
}  # fmt: skip


class Reply:
    """Status, headers (lower-cased names) and JSON body of one raw HTTP exchange."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.getheaders()}
        raw = response.read()
        self.text = raw.decode(errors="replace")
        self.body: Any = json.loads(raw) if raw.strip().startswith(b"{") else None

    @property
    def cors(self) -> dict[str, str]:
        return {k: v for k, v in self.headers.items() if k.startswith("access-control-")}


def raw(
    local: LocalCognito,
    method: str = "POST",
    path: str = "/",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> Reply:
    """Send one request to ``local`` exactly as given (Host included, when given)."""
    conn = http.client.HTTPConnection("127.0.0.1", local.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        return Reply(conn.getresponse())
    finally:
        conn.close()


def cognito(
    local: LocalCognito,
    operation: str,
    payload: dict[str, Any],
    *,
    signed: bool = False,
    service: str = "cognito-idp",
    headers: dict[str, str] | None = None,
) -> Reply:
    """A cognito-idp JSON call, unsigned or SigV4-signed with dummy credentials."""
    body = json.dumps(payload).encode()
    all_headers = {
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        "Content-Type": "application/x-amz-json-1.1",
        **(headers or {}),
    }
    if signed:
        request = AWSRequest("POST", local.endpoint_url + "/", data=body, headers=all_headers)
        SigV4Auth(Credentials("dummy", "dummy"), service, local.region).add_auth(request)
        all_headers = dict(request.headers.items())
    return raw(local, body=body, headers=all_headers)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalCognito]:
    """A LocalCognito as started by default, with a client secret and one user."""
    with LocalCognito(client_secret=True) as local:
        local.default.create_user("alice", PASSWORD, {"email": "alice@example.com"})
        yield local


@pytest.fixture(scope="module")
def open_server() -> Iterator[LocalCognito]:
    """A LocalCognito that allows one browser origin."""
    with LocalCognito(cors=APP_ORIGIN) as local:
        yield local


def unsigned_client(local: LocalCognito) -> Any:
    """A boto3 client that signs nothing, as the library's own client."""
    return boto3.client(
        "cognito-idp",
        region_name=local.region,
        endpoint_url=local.endpoint_url,
        config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}),
    )


def _admin_payloads(local: LocalCognito) -> dict[str, dict[str, Any]]:
    pool = {"UserPoolId": local.user_pool_id}
    return {
        "ListUsers": pool,
        "AdminGetUser": {**pool, "Username": "alice"},
        "DescribeUserPoolClient": {**pool, "ClientId": local.client_id},
        "AdminSetUserPassword": {
            **pool,
            "Username": "alice",
            "Password": "Taken-0ver!",
            "Permanent": True,
        },
    }


ADMIN_OPERATIONS = ["ListUsers", "AdminGetUser", "DescribeUserPoolClient", "AdminSetUserPassword"]


# ---- signed operations ------------------------------------------------------------------


@pytest.mark.parametrize("operation", ADMIN_OPERATIONS)
def test_unsigned_admin_call_is_refused(server: LocalCognito, operation: str) -> None:
    """An admin call without an Authorization header gets AWS's answer and no data."""
    reply = cognito(server, operation, _admin_payloads(server)[operation])
    assert reply.status == 403
    assert reply.body == {
        "__type": "MissingAuthenticationTokenException",
        "message": "Missing Authentication Token",
    }
    assert reply.headers["x-amzn-errortype"] == "MissingAuthenticationTokenException"
    assert "alice" not in reply.text
    assert str(server.client_secret) not in reply.text
    # AdminSetUserPassword did not take the account over: the old password still works.
    tokens = unsigned_client(server).initiate_auth(
        ClientId=server.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "alice",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": _secret_hash(server, "alice"),
        },
    )
    assert "AuthenticationResult" in tokens


@pytest.mark.parametrize("operation", ADMIN_OPERATIONS[:3])
def test_signed_admin_call_works(server: LocalCognito, operation: str) -> None:
    """The same call signed with dummy credentials is answered."""
    reply = cognito(server, operation, _admin_payloads(server)[operation], signed=True)
    assert reply.status == 200, reply.text
    assert "alice" in reply.text or server.client_id in reply.text


def test_boto3_without_credentials_gets_the_aws_error(server: LocalCognito) -> None:
    """An SDK making an unsigned admin call sees MissingAuthenticationTokenException, 403."""
    client = unsigned_client(server)
    with pytest.raises(ClientError) as caught:
        client.list_users(UserPoolId=server.user_pool_id)
    assert caught.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    client.close()


def test_unsigned_user_operations_still_work(server: LocalCognito) -> None:
    """SignUp, ConfirmSignUp and InitiateAuth need no signature, as on AWS; so does the JWKS."""
    client = unsigned_client(server)
    client.sign_up(
        ClientId=server.client_id,
        Username="bob",
        Password=PASSWORD,
        SecretHash=_secret_hash(server, "bob"),
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    code = server.outbox.wait_for(username="bob", purpose="signup").code
    client.confirm_sign_up(
        ClientId=server.client_id,
        Username="bob",
        ConfirmationCode=code,
        SecretHash=_secret_hash(server, "bob"),
    )
    started = client.initiate_auth(
        ClientId=server.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "bob",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": _secret_hash(server, "bob"),
        },
    )
    assert started["AuthenticationResult"]["AccessToken"]
    client.close()
    jwks = raw(server, "GET", f"/{server.user_pool_id}/.well-known/jwks.json")
    assert jwks.status == 200
    assert jwks.body["keys"]


def test_a_header_that_is_not_sigv4_is_refused(server: LocalCognito) -> None:
    """A bearer token or a SigV4 header for another service is not a cognito-idp signature,
    and the refusal does not echo the header back."""
    payload = {"UserPoolId": server.user_pool_id}
    bearer = cognito(server, "ListUsers", payload, headers={"Authorization": "Bearer s3cr3t-tok"})
    assert bearer.status == 400
    assert bearer.body["__type"] == "IncompleteSignatureException"
    assert "s3cr3t-tok" not in bearer.text
    other = cognito(server, "ListUsers", payload, signed=True, service="s3")
    assert other.status == 400
    assert other.body == {
        "__type": "InvalidSignatureException",
        "message": "Credential should be scoped to correct service: 'cognito-idp'. ",
    }


def test_unsigned_operations_come_from_botocore() -> None:
    """The unsigned set is botocore's (the facts' 32 names), with no admin or pool operation."""
    unsigned = unsigned_operations()
    assert unsigned >= UNSIGNED_IN_FACTS
    assert not any(name.startswith("Admin") for name in unsigned)
    assert {"ListUsers", "DescribeUserPoolClient", "CreateUserPool"}.isdisjoint(unsigned)


def test_unsigned_call_of_other_services_is_refused(server: LocalCognito) -> None:
    """Requests that are not cognito-idp (moto serves every AWS service) need a signature too."""
    reply = raw(server, "GET", "/")  # moto's default backend: S3 ListBuckets
    assert reply.status == 403
    assert reply.body["__type"] == "MissingAuthenticationTokenException"


# ---- /moto-api/ -------------------------------------------------------------------------


def test_moto_api_is_off_by_default(server: LocalCognito) -> None:
    """data.json (plaintext passwords) and reset (wipes every pool) are refused."""
    data = raw(server, "GET", "/moto-api/data.json")
    assert data.status == 403
    assert data.body["__type"] == "LocalCognitoMotoApiDisabled"
    assert PASSWORD not in data.text
    reset = raw(server, "POST", "/moto-api/reset")
    assert reset.status == 403
    assert server.admin.describe_user_pool(UserPoolId=server.user_pool_id)["UserPool"]
    assert raw(server, "GET", "/moto-api/").status == 403


def test_moto_api_on_when_asked_for() -> None:
    """With moto_api=True data.json and reset answer (in a subprocess: reset wipes every
    pool of the process, other tests' included)."""
    script = textwrap.dedent(
        """
        import http.client, json
        from cognito_user_pool.local import LocalCognito

        def call(local, method, path):
            conn = http.client.HTTPConnection("127.0.0.1", local.port, timeout=10)
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, response.read()

        with LocalCognito(moto_api=True) as local:
            status, body = call(local, "GET", "/moto-api/data.json")
            assert status == 200, (status, body)
            assert local.user_pool_id.encode() in body
            status, body = call(local, "POST", "/moto-api/reset")
            assert status == 200, (status, body)
            assert local.admin.list_user_pools(MaxResults=10)["UserPools"] == []
            local._pools.clear()  # already gone: nothing to delete on stop
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# ---- Host -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "evil.example", "127.0.0.1:{other}", "localhost.:{port}"]
)
def test_foreign_host_is_refused(server: LocalCognito, host: str) -> None:
    """A Host that is not this server's own loopback name with its port is refused
    (DNS rebinding), even for a public document."""
    value = host.format(port=server.port, other=server.port + 1)
    path = f"/{server.user_pool_id}/.well-known/jwks.json"
    reply = raw(server, "GET", path, headers={"Host": value})
    assert reply.status == 403
    assert reply.body["__type"] == "LocalCognitoForbiddenHost"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_own_loopback_host_is_accepted(server: LocalCognito, name: str) -> None:
    """127.0.0.1, localhost and [::1] with the server's port are its own names."""
    path = f"/{server.user_pool_id}/.well-known/jwks.json"
    reply = raw(server, "GET", path, headers={"Host": f"{name}:{server.port}"})
    assert reply.status == 200
    head = raw(server, "HEAD", path, headers={"Host": f"{name}:{server.port}"})
    assert head.status == 200  # HEAD of a public document is as unsigned as its GET


# ---- CORS -------------------------------------------------------------------------------


def _preflight(local: LocalCognito, origin: str) -> Reply:
    return raw(
        local,
        "OPTIONS",
        "/",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
        },
    )


def test_cross_origin_preflight_is_refused_by_default(server: LocalCognito) -> None:
    """A page from another origin gets no CORS permission (moto's flask-cors reflected any)."""
    reply = _preflight(server, EVIL_ORIGIN)
    assert reply.status == 403
    assert reply.cors == {}


def test_cross_origin_request_is_refused_and_no_cors_headers_leak(server: LocalCognito) -> None:
    """A cross-origin call is refused; a call without Origin gets no Access-Control-* header."""
    payload = {"ClientId": server.client_id, "AuthFlow": "USER_PASSWORD_AUTH"}
    foreign = cognito(server, "InitiateAuth", payload, headers={"Origin": EVIL_ORIGIN})
    assert foreign.status == 403
    assert foreign.body["__type"] == "LocalCognitoForbiddenOrigin"
    assert foreign.cors == {}
    plain = cognito(server, "InitiateAuth", payload)
    assert plain.body["__type"] != "LocalCognitoForbiddenOrigin"
    assert plain.cors == {}


def test_configured_origin_is_allowed(open_server: LocalCognito) -> None:
    """With cors=ORIGIN that origin, and only it, gets a preflight and the CORS headers."""
    preflight = _preflight(open_server, APP_ORIGIN)
    assert preflight.status == 204
    assert preflight.cors["access-control-allow-origin"] == APP_ORIGIN
    assert "x-amz-target" in preflight.cors["access-control-allow-headers"]
    payload = {"ClientId": open_server.client_id, "AuthFlow": "USER_PASSWORD_AUTH"}
    call = cognito(open_server, "InitiateAuth", payload, headers={"Origin": APP_ORIGIN})
    assert call.body["__type"] != "LocalCognitoForbiddenOrigin"
    assert call.cors["access-control-allow-origin"] == APP_ORIGIN
    assert _preflight(open_server, EVIL_ORIGIN).status == 403
    admin = cognito(
        open_server, "ListUsers", {"UserPoolId": open_server.user_pool_id},
        headers={"Origin": APP_ORIGIN},
    )  # fmt: skip
    assert admin.status == 403  # the allowed page still cannot make unsigned admin calls
    assert admin.cors["access-control-allow-origin"] == APP_ORIGIN  # ...and can read why


@pytest.mark.parametrize("origin", ["http://127.0.0.1:{port}", "HTTP://LOCALHOST:{port}"])
def test_the_servers_own_origin_is_not_cross_origin(server: LocalCognito, origin: str) -> None:
    """A page the server itself serves sends its own origin (any case): not refused, and no
    CORS headers, since it is not a cross-origin call."""
    payload = {"ClientId": server.client_id, "AuthFlow": "USER_PASSWORD_AUTH"}
    own = cognito(
        server, "InitiateAuth", payload, headers={"Origin": origin.format(port=server.port)}
    )
    assert own.body["__type"] != "LocalCognitoForbiddenOrigin"
    assert own.cors == {}
    # Another scheme or port is another origin.
    for other in (f"https://127.0.0.1:{server.port}", f"http://127.0.0.1:{server.port + 1}"):
        assert cognito(server, "InitiateAuth", payload, headers={"Origin": other}).status == 403


def test_cors_origins_are_read_without_case_or_a_trailing_slash() -> None:
    assert normalize_origins([" HTTP://App.Example:3000/ ", "https://BOX"]) == {
        "http://app.example:3000",
        "https://box",
    }
    assert normalize_origins(None) == frozenset()


@pytest.mark.parametrize(
    "value",
    ["*", "http://app.example/path", "ftp://app.example", "app", "http://user@app.example"],
)
def test_cors_accepts_origins_only(value: str) -> None:
    """``cors`` takes bare http(s) origins; ``*`` would bring back reflecting every page."""
    with pytest.raises(ValueError, match="scheme://host"):
        LocalCognito(cors=value)


# ---- non-loopback hosts and the command lines -------------------------------------------


def test_non_loopback_host_warns(caplog: pytest.LogCaptureFixture) -> None:
    """Listening beyond loopback logs a warning, the runner prints one, and clients still
    reach the server through loopback."""
    out, stop, endpoints = io.StringIO(), threading.Event(), []

    def ready(local: LocalCognito) -> None:
        endpoints.append(local.endpoint_url)
        stop.set()

    with caplog.at_level(logging.WARNING, logger="cognito_user_pool.local._server"):
        # Briefly on every interface (the point of the test), guarded, with an empty pool.
        serve(out=out, host="0.0.0.0", stop=stop, on_ready=ready)  # noqa: S104
    assert any("other machines can reach it" in r.getMessage() for r in caplog.records)
    assert "# WARNING: listening on 0.0.0.0" in out.getvalue()
    assert endpoints[0].startswith("http://127.0.0.1:")


def test_local_command_passes_cors_and_moto_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cognito-user-pool local --cors ORIGIN --moto-api`` reaches LocalCognito; ``*`` is a
    usage error."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(cognito_user_pool.local, "serve", lambda **o: seen.append(o))
    runner = CliRunner()
    result = runner.invoke(cli, ["local", "--cors", APP_ORIGIN, "--moto-api"])
    assert result.exit_code == 0, result.output
    assert seen[0]["cors"] == [APP_ORIGIN]
    assert seen[0]["moto_api"] is True
    refused = runner.invoke(cli, ["local", "--cors", "*"])
    assert refused.exit_code == 2
    assert len(seen) == 1


def test_module_runner_passes_cors_and_moto_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m cognito_user_pool.local --cors ... --moto-api`` does the same."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(local_main, "serve", lambda **o: seen.append(o))
    assert local_main.main(["--cors", APP_ORIGIN, "--cors", "http://localhost:5173"]) == 0
    assert seen[0]["cors"] == [APP_ORIGIN, "http://localhost:5173"]
    assert seen[0]["moto_api"] is False
    with pytest.raises(SystemExit) as exited:
        local_main.main(["--cors", "*"])
    assert exited.value.code == 2


# ---- helpers ----------------------------------------------------------------------------


def _secret_hash(local: LocalCognito, username: str) -> str:
    from ._srp_client import secret_hash

    assert local.client_secret is not None
    return secret_hash(local.client_secret, username, local.client_id)
