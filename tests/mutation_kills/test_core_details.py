"""Details mutation found no test reading: which refusals mean "this app client rotates
refresh tokens", what a sign-out tells the revocations listener, how a device is read, and
VerifySoftwareToken's verdict."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from cognito_user_pool import (
    AsyncUserPool,
    CognitoError,
    EnableSoftwareTokenMFAError,
    InvalidParameterError,
    NotAuthorizedError,
    Tokens,
    UnexpectedError,
    UnexpectedResponseError,
)
from cognito_user_pool._flows._base import _refused_for_rotation
from cognito_user_pool._flows.devices import device_from_aws
from cognito_user_pool._flows.mfa import _verified

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("code", "message", "rotates"),
    [
        ("InvalidParameterException", "Refresh token rotation is enabled for this client", True),
        ("NotAuthorizedException", "Can't use REFRESH_TOKEN_AUTH with ROTATION", True),
        ("CodeMismatchException", "rotation", False),
        ("InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client", True),
        ("InvalidParameterException", "REFRESH_TOKEN is not supported here", True),
        ("InvalidParameterException", "USER_SRP_AUTH flow not enabled for this client", False),
        ("NotAuthorizedException", "REFRESH_TOKEN_AUTH flow not enabled for this client", False),
        ("InvalidParameterException", "refresh_token is malformed", False),
    ],
)
def test_which_refusals_mean_the_client_rotates(code: str, message: str, rotates: bool) -> None:
    assert _refused_for_rotation(CognitoError(message, code=code)) is rotates


class _Listener:
    def __init__(self, fail: BaseException | None = None) -> None:
        self.calls: list[tuple[tuple[str, ...], bool]] = []
        self.fail = fail

    async def signed_out(self, *tokens: str, everywhere: bool = False) -> None:
        self.calls.append((tokens, everywhere))
        if self.fail is not None:
            raise self.fail


TOKENS = Tokens("acc.ess.tok", "id.tok.en", "refresh", 0, 0)


async def test_a_sign_out_tells_the_listener_every_token_and_how_far() -> None:
    listener = _Listener()
    pool = AsyncUserPool("us-east-1_abc", "c", revocations=listener)
    await pool._tell_signed_out(TOKENS, "acc.ess.tok", everywhere=False)
    await pool._tell_signed_out("acc.ess.tok", "acc.ess.tok", everywhere=True)
    no_id = Tokens("acc.ess.tok", "", None, 0, 0)
    await pool._tell_signed_out(no_id, "acc.ess.tok", everywhere=False)
    assert listener.calls == [
        (("acc.ess.tok", "id.tok.en"), False),
        (("acc.ess.tok",), True),
        (("acc.ess.tok",), False),
    ]
    await pool.aclose()


@pytest.mark.parametrize("everywhere", [False, True])
async def test_a_failing_listener_says_the_sign_out_was_done(everywhere: bool) -> None:
    done = "GlobalSignOut" if everywhere else "RevokeToken"
    refused = _Listener(NotAuthorizedError("store refused"))
    pool = AsyncUserPool("us-east-1_abc", "c", revocations=refused)
    with pytest.raises(NotAuthorizedError) as info:
        await pool._tell_signed_out(TOKENS, "acc.ess.tok", everywhere=everywhere)
    assert info.value.message == (
        f"store refused (done: {done}; not done: recording the sign-out for verifiers "
        "(revocations))"
    )
    broken = _Listener(RuntimeError("a token might be quoted here"))
    pool = AsyncUserPool("us-east-1_abc", "c", revocations=broken)
    with pytest.raises(UnexpectedError) as unexpected:
        await pool._tell_signed_out(TOKENS, "acc.ess.tok", everywhere=everywhere)
    assert unexpected.value.message.startswith(
        "the revocations listener failed (RuntimeError) (done: "
    )
    assert unexpected.value.done == (done,)
    assert "quoted" not in unexpected.value.message


def test_a_device_is_read_whole() -> None:
    created = datetime(2026, 1, 2, tzinfo=timezone.utc)
    modified = datetime(2026, 2, 3, tzinfo=timezone.utc)
    seen = datetime(2026, 3, 4, tzinfo=timezone.utc)
    raw: dict[str, Any] = {
        "DeviceKey": "us-east-1_dev",
        "DeviceAttributes": [
            {"Name": "device_name", "Value": "laptop"},
            {"Name": "dev:device_remembered_status", "Value": "not_remembered"},
            {"Name": "no_value"},
            {"Value": "no name"},
            "not a mapping",
        ],
        "DeviceCreateDate": created,
        "DeviceLastModifiedDate": modified,
        "DeviceLastAuthenticatedDate": seen,
    }
    device = device_from_aws(raw)
    assert (device.device_key, device.name, device.remembered) == ("us-east-1_dev", "laptop", False)
    assert dict(device.attributes) == {
        "device_name": "laptop",
        "dev:device_remembered_status": "not_remembered",
        "no_value": "",
    }
    assert (device.created, device.last_modified, device.last_authenticated) == (
        created,
        modified,
        seen,
    )
    bare = device_from_aws({"DeviceKey": "k", "DeviceCreateDate": "2026-01-02"})
    assert (bare.name, bare.remembered, bare.created) == (None, None, None)
    for broken in ({}, {"DeviceKey": ""}, {"DeviceKey": 5}):
        with pytest.raises(UnexpectedResponseError) as info:
            device_from_aws(broken)
        assert info.value.message == "Cognito described a device without its key"


def test_only_success_verifies_an_app_code() -> None:
    _verified({"Status": "SUCCESS"})
    for answer in ({"Status": "ERROR"}, {}):
        with pytest.raises(EnableSoftwareTokenMFAError) as info:
            _verified(answer)
        assert info.value.message == "the authenticator app's code was not accepted"


def test_an_access_token_without_a_user_is_refused_by_name() -> None:
    from cognito_user_pool._flows.devices import _username

    from .test_device_restore import _segment

    nameless = f"{_segment({'alg': 'RS256'})}.{_segment({'exp': 2_000_000_000})}.c2ln"
    with pytest.raises(InvalidParameterError) as info:
        _username(nameless)
    assert (info.value.field, info.value.message) == (
        "auth",
        "auth: the access token names no user",
    )
    with pytest.raises(CognitoError) as unreadable:
        _username("not-a-token")
    assert unreadable.value.message.startswith("auth")


def test_revoke_token_names_what_it_needs() -> None:
    from cognito_user_pool import RefreshToken
    from cognito_user_pool._flows.account import _REVOCABLE, _refresh_token

    assert _refresh_token(TOKENS) == "refresh"
    assert _refresh_token(RefreshToken("r.t")) == "r.t"
    no_refresh = "auth: these Tokens have no refresh token to revoke; pass "
    wrong = "auth: RevokeToken revokes a refresh token, so pass "
    cases = [
        (Tokens("a", "i", None, 0, 0), f"{no_refresh}{_REVOCABLE}"),
        ("acc.ess.tok", f"{wrong}{_REVOCABLE}, not an access token"),
        (5, f"{wrong}{_REVOCABLE}, not int"),
    ]
    for auth, message in cases:
        with pytest.raises(InvalidParameterError) as info:
            _refresh_token(auth)  # type: ignore[arg-type]
        assert (info.value.field, info.value.message) == ("auth", message)
    with pytest.raises(InvalidParameterError) as bad:
        _refresh_token(Tokens("a", "i", "", 0, 0))
    assert bad.value.field == "auth"


def test_never_sent_knows_a_connection_that_was_never_made() -> None:
    """A connect timeout, or aiohttp's connector error that aiobotocore wraps as ``error``,
    proves the request never left; anything else (no ``kwargs``, or not a dict) does not."""
    import socket

    from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError

    from cognito_user_pool._retry_policy import never_sent

    assert never_sent(ConnectTimeoutError(endpoint_url="https://cognito-idp"))
    wrapped = EndpointConnectionError(endpoint_url="https://cognito-idp", error=socket.gaierror())
    assert never_sent(wrapped)
    assert not never_sent(EndpointConnectionError(endpoint_url="x", error=OSError("reset")))
    assert not never_sent(ValueError("no kwargs at all"))
    odd = ValueError("kwargs that are not a dict")
    odd.kwargs = None  # type: ignore[attr-defined]
    assert not never_sent(odd)


async def test_confirm_device_names_what_it_needs() -> None:
    from cognito_user_pool import AsyncUserPool, InvalidParameterError, Tokens

    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    missing_group = "device: the device group key is missing"
    cases: list[tuple[object, str]] = [
        (
            Tokens("a.b.c", "a.b.c", "r", 2**40, 2**40),
            "device: these tokens announce no new device (the pool does not track "
            "devices, or the sign-in used a remembered one)",
        ),
        (
            "us-east-1_key",
            "device must be tokens.new_device, the Tokens, or a NewDeviceMetadata mapping",
        ),
        ({"DeviceKey": 5, "DeviceGroupKey": "-g"}, "device must be a string, not int"),
        ({"DeviceKey": "us-east-1_0a1b2c3d-0000", "DeviceGroupKey": ""}, missing_group),
        ({"DeviceKey": "us-east-1_0a1b2c3d-0000", "DeviceGroupKey": 5}, missing_group),
        ({"DeviceKey": "us-east-1_0a1b2c3d-0000", "DeviceGroupKey": "-g\ud800"}, missing_group),
    ]
    for device, message in cases:
        with pytest.raises(InvalidParameterError) as info:
            await pool.confirm_device(auth="a.b.c", device=device)  # type: ignore[arg-type]
        assert (info.value.field, info.value.message) == ("device", message)
    await pool.aclose()


async def test_an_association_without_a_secret_is_unexpected() -> None:
    from cognito_user_pool import AsyncUserPool, UnexpectedResponseError

    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    for answer in ({}, {"SecretCode": ""}, {"SecretCode": 5}):

        async def fake_call(operation: str, /, answer: Any = answer, **params: Any) -> Any:
            return answer

        pool._call = fake_call  # type: ignore[method-assign]
        with pytest.raises(UnexpectedResponseError) as info:
            await pool.associate_software_token(auth="a.b.c")
        assert info.value.message == "Cognito answered AssociateSoftwareToken without a secret"
    await pool.aclose()


async def test_a_device_key_has_at_most_55_characters() -> None:
    from cognito_user_pool import AsyncUserPool, InvalidParameterError

    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    sent: list[dict[str, Any]] = []

    async def fake_call(operation: str, /, **params: Any) -> dict[str, Any]:
        sent.append(params)
        return {"Device": {"DeviceKey": params["DeviceKey"]}}

    pool._call = fake_call  # type: ignore[method-assign]
    longest = "us-east-1_" + "0" * 45
    await pool.get_device(auth="a.b.c", device_key=longest)
    assert sent[0]["DeviceKey"] == longest
    with pytest.raises(InvalidParameterError) as info:
        await pool.get_device(auth="a.b.c", device_key=longest + "0")
    assert info.value.message == (
        "device_key must be a device key such as 'us-east-1_0a1b2c3d-...' (at most 55 characters)"
    )
    await pool.aclose()


def test_a_malformed_token_beside_a_refresh_token_is_named() -> None:
    from cognito_user_pool import AsyncUserPool, TokenError

    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    for id_token, access_token, field in [
        ("garbage", None, "id_token"),
        (None, "garbage", "access_token"),
    ]:
        with pytest.raises(TokenError) as info:
            pool._refresh_owner("refresh", id_token, access_token)
        assert info.value.message.startswith(f"{field} ")


async def test_every_page_stops_at_a_repeated_page_token() -> None:
    from cognito_user_pool import AsyncUserPool, UnexpectedResponseError

    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    calls: list[dict[str, Any]] = []

    async def fake_call(operation: str, /, **params: Any) -> dict[str, Any]:
        calls.append(params)
        assert len(calls) <= 5, "the listing did not stop"
        return {"Devices": [{"DeviceKey": "k"}], "PaginationToken": "same"}

    pool._call = fake_call  # type: ignore[method-assign]
    with pytest.raises(UnexpectedResponseError) as info:
        await pool._every_page("ListDevices", "Devices", "PaginationToken", AccessToken="a.b.c")
    assert info.value.message == "Cognito repeated a ListDevices pagination token"
    assert len(calls) == 2
    await pool.aclose()


async def test_a_refresh_with_a_secret_and_no_known_owner_says_what_to_pass() -> None:
    from cognito_user_pool import AsyncUserPool, InvalidParameterError

    pool = AsyncUserPool(
        "us-east-1_abc",
        "client1",
        client_secret="secret0123456789abcdefghij",
        endpoint_url="http://127.0.0.1:9",
    )
    with pytest.raises(InvalidParameterError) as info:
        pool._require_refresh_owner("refresh", None, None)
    assert info.value.field == "id_token"
    assert info.value.message == (
        "this app client has a secret, so a refresh needs the internal username for "
        "its SECRET_HASH: pass id_token or access_token with the refresh_token "
        "(this pool object only remembers the users it logged in itself)"
    )
    await pool.aclose()


def test_an_unknown_outcome_keeps_what_was_and_was_not_done() -> None:
    from cognito_user_pool import NetworkError
    from cognito_user_pool._retry_policy import outcome_unknown, rule_for

    lost = NetworkError("SignUp: connection reset", done=("a",), not_done=("b", "c"))
    unknown = outcome_unknown("SignUp", rule_for("SignUp", {}), lost)
    assert unknown is not None
    assert (unknown.done, unknown.not_done) == (("a",), ("b", "c"))


async def test_a_failing_device_store_is_named_by_its_error_type_only() -> None:
    from cognito_user_pool import DeviceSecrets, UnexpectedError
    from cognito_user_pool._flows.devices import _guarded

    async def failing() -> DeviceSecrets:
        raise ValueError("secret-in-message")

    with pytest.raises(UnexpectedError) as info:
        await _guarded(failing())
    assert info.value.message == "the device store failed (ValueError)"


async def test_the_client_is_built_with_the_pools_transport_options() -> None:
    from cognito_user_pool import AsyncUserPool

    pool = AsyncUserPool(
        "us-east-1_abc",
        "client1",
        endpoint_url="http://127.0.0.1:9",
        connect_timeout=1.5,
        read_timeout=7.0,
        max_pool_connections=3,
        max_attempts=2,
    )
    client = await pool._get_client()
    config = client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (1.5, 7.0)
    assert config.max_pool_connections == 3
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}
    assert config.region_name == "us-east-1"
    assert config.user_agent_extra == "cognito-user-pool-python"
    await pool.aclose()


async def test_max_attempts_bounds_the_resends_of_a_throttled_request() -> None:
    """Throttling is refused before processing, so it is resent, max_attempts times in all
    (botocore's own default would be 3)."""
    import http.server
    import threading

    from cognito_user_pool import AsyncUserPool, CognitoError

    requests: list[str] = []

    class Throttling(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            requests.append(self.headers.get("x-amz-target", ""))
            body = b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'
            self.send_response(400)
            self.send_header("content-type", "application/x-amz-json-1.1")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Throttling)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        for attempts in (2, 4):
            requests.clear()
            pool = AsyncUserPool(
                "us-east-1_abc", "client1", endpoint_url=url, max_attempts=attempts
            )
            with pytest.raises(CognitoError) as info:
                await pool._call("GetUser", AccessToken="a.b.c")
            assert info.value.code == "ThrottlingException"
            assert len(requests) == attempts
            await pool.aclose()
    finally:
        server.shutdown()
        server.server_close()
