"""CallbackUserPool: the Node calling convention, method(params, callback), over the portal."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import time
from concurrent.futures import Future
from typing import Any

import pytest

from cognito_user_pool import (
    FLOWS,
    CallbackUserPool,
    CognitoError,
    InvalidParameterError,
    UserNotFoundError,
)
from cognito_user_pool._callback import _NODE_FLOWS
from cognito_user_pool._errors import PoolClosedError, UnexpectedError

from ._helpers import PASSWORD, WAIT, Recorder, failed, ok
from .conftest import Cognito

TOKEN_KEYS = {"refreshToken", "accessToken", "accessTokenExpiresAt", "idToken", "idTokenExpiresAt"}

# The Node library's parameters for each method (required ones first), from the issue.
NODE_PARAMS = {
    "signup": {"username", "password", "attributes"},
    "signupConfirm": {"username", "confirmationCode"},
    "signupResend": {"username"},
    "login": {"username", "password"},
    "loginMfa": {"username", "loginSession", "mfaCode", "challengeName"},
    "userAuth": {"username", "preferredChallenge", "password", "session"},
    "selectChallenge": {"username", "loginSession", "answer", "password"},
    "userPasswordAuth": {"username", "password"},
    "customAuth": {"username", "password", "clientMetadata"},
    "loginCustomChallenge": {"username", "loginSession", "answer", "clientMetadata"},
    "loginWebAuthn": {"username", "loginSession", "credential"},
    "loginNewPasswordRequired": {"username", "loginSession", "newPassword", "attributes"},
    "logout": {"username", "idToken", "accessToken", "refreshToken"},
    "refreshSession": {"username", "refreshToken", "idToken", "accessToken"},
    "getMfa": {"username", "idToken", "accessToken", "refreshToken"},
    "setMfa": {"enableMfa", "username", "idToken", "accessToken", "refreshToken"},
    "profile": {"username", "idToken", "accessToken", "refreshToken"},
    "profileEdit": {"attributes", "username", "idToken", "accessToken", "refreshToken"},
    "profileAttributeConfirm": {
        "attribute",
        "confirmationCode",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    "profileEditPhoneNumber": {
        "phone_number",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    "passwordChange": {
        "oldPassword",
        "newPassword",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    # AWS's MFA operations and the MFA steps of a sign-in, which Node did not have.
    "associateSoftwareToken": {
        "loginSession",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    "verifySoftwareToken": {
        "userCode",
        "friendlyDeviceName",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    # Issue 16: one session's sign-out, account deletion, an attribute's code sent again.
    "revokeToken": {"username", "idToken", "accessToken", "refreshToken"},
    "deleteUser": {"username", "idToken", "accessToken", "refreshToken"},
    "getUserAttributeVerificationCode": {
        "attribute",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    "setUserMFAPreference": {
        "smsMfa",
        "softwareTokenMfa",
        "emailMfa",
        "preferred",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    "getUserAuthFactors": {"username", "idToken", "accessToken", "refreshToken"},
    "loginSelectMfaType": {"username", "loginSession", "mfaType"},
    "loginMfaSetup": {"username", "loginSession", "mfaCode", "email", "friendlyDeviceName"},
    "passwordForgot": {"username"},
    "passwordReset": {"username", "passwordResetCode", "newPassword"},
    # Remembered devices (ConfirmDevice, UpdateDeviceStatus, ListDevices, GetDevice,
    # ForgetDevice).
    "confirmDevice": {"device", "deviceName", "username", "idToken", "accessToken", "refreshToken"},
    "updateDeviceStatus": {
        "deviceKey",
        "remembered",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    "listDevices": {"limit", "username", "idToken", "accessToken", "refreshToken"},
    "getDevice": {"deviceKey", "username", "idToken", "accessToken", "refreshToken"},
    "forgetDevice": {"deviceKey", "username", "idToken", "accessToken", "refreshToken"},
    "startWebAuthnRegistration": {"username", "idToken", "accessToken", "refreshToken"},
    "completeWebAuthnRegistration": {
        "credential",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
    "listWebAuthnCredentials": {"limit", "username", "idToken", "accessToken", "refreshToken"},
    "deleteWebAuthnCredential": {
        "credentialId",
        "username",
        "idToken",
        "accessToken",
        "refreshToken",
    },
}


def tokens_of(data: dict[str, Any]) -> dict[str, Any]:
    """The Node token fields a signed-in call takes."""
    return {"idToken": data["idToken"], "accessToken": data["accessToken"]}


def assert_tokens(data: Any) -> None:
    assert isinstance(data, dict) and set(data) == TOKEN_KEYS
    for key in ("refreshToken", "accessToken", "idToken"):
        assert isinstance(data[key], str) and data[key]
    for key in ("accessTokenExpiresAt", "idTokenExpiresAt"):
        assert type(data[key]) is int and data[key] > time.time()


# -- the surface -------------------------------------------------------------------------------


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.node_name)
def test_every_flow_has_a_node_method(flow):
    """Each FLOWS entry is a camelCase method with Node's params."""
    method = CallbackUserPool.__dict__[flow.node_name]
    assert inspect.isfunction(method)
    assert method.__qualname__ == f"CallbackUserPool.{flow.node_name}"
    assert set(_NODE_FLOWS[flow.node_name].accepted) == NODE_PARAMS[flow.node_name]


def test_no_other_node_method_and_no_run_time_getattr():
    """The wrapper has exactly the FLOWS methods, and a misspelt one is an AttributeError:
    the __getattr__ that types them exists for type checkers only."""
    methods = {name for name, value in vars(CallbackUserPool).items() if hasattr(value, "spec")}
    made = {name for name in vars(CallbackUserPool) if name in _NODE_FLOWS}
    assert made == {flow.node_name for flow in FLOWS} and not methods
    assert "__getattr__" not in vars(CallbackUserPool)
    with pytest.raises(AttributeError):
        CallbackUserPool.loginMFA  # type: ignore[attr-defined]  # noqa: B018


def test_bound_method_has_name_and_doc(offline: CallbackUserPool):
    """A bound Node method is named after Node and documents its params."""
    method = offline.loginMfa
    assert method.__name__ == "loginMfa"  # type: ignore[attr-defined]
    assert "loginSession" in (method.__doc__ or "")


# -- every method, with the exact shape of its data -------------------------------------------


def test_signup_lifecycle_shapes(cognito: Cognito, wrapper: CallbackUserPool):
    """signup, signupConfirm, login, profile, profileEdit, refreshSession, passwords, logout."""
    data = ok(
        wrapper.signup,
        {
            "username": "alice",
            "password": PASSWORD,
            "attributes": [{"Name": "email", "Value": "alice@example.com"}],
        },
    )
    assert set(data) == {"username", "userConfirmed", "userSub", "codeDeliveryDetails"}
    assert data["username"] == "alice" and data["userConfirmed"] is False
    assert isinstance(data["userSub"], str)
    delivery = data["codeDeliveryDetails"]
    assert delivery is None or set(delivery) == {"AttributeName", "DeliveryMedium", "Destination"}

    assert ok(wrapper.signupConfirm, {"username": "alice", "confirmationCode": "123"}) == "SUCCESS"
    login = ok(wrapper.login, {"username": "alice", "password": PASSWORD})
    assert_tokens(login)
    signed_in = {"username": "alice", **tokens_of(login)}

    profile = ok(wrapper.profile, signed_in)
    assert isinstance(profile, list) and all(set(a) == {"Name", "Value"} for a in profile)
    assert {"Name": "email", "Value": "alice@example.com"} in profile

    edit = {"attributes": [{"Name": "name", "Value": "Alice"}], **signed_in}
    assert ok(wrapper.profileEdit, edit) == "SUCCESS"
    assert {"Name": "name", "Value": "Alice"} in ok(wrapper.profile, signed_in)

    refreshed = ok(
        wrapper.refreshSession, {"username": "alice", "refreshToken": login["refreshToken"]}
    )
    assert_tokens(refreshed)
    # "+ tokens" may be a refresh token alone, as in Node.
    by_refresh = {"username": "alice", "refreshToken": login["refreshToken"]}
    assert any(a["Name"] == "email" for a in ok(wrapper.profile, by_refresh))

    new_password = PASSWORD + "2"
    change = {"oldPassword": PASSWORD, "newPassword": new_password, **signed_in}
    assert ok(wrapper.passwordChange, change) == "SUCCESS"

    forgot = ok(wrapper.passwordForgot, {"username": "alice"})
    assert set(forgot) == {"CodeDeliveryDetails"}
    assert set(forgot["CodeDeliveryDetails"]) == {"AttributeName", "DeliveryMedium", "Destination"}
    reset = {"username": "alice", "passwordResetCode": "123456", "newPassword": PASSWORD + "3"}
    assert ok(wrapper.passwordReset, reset) == "SUCCESS"

    assert ok(wrapper.logout, signed_in) == "SUCCESS"


def test_mfa_methods_shapes(cognito: Cognito, wrapper: CallbackUserPool):
    """getMfa/setMfa/loginMfa/profileEditPhoneNumber in the Node shapes (MFA_AUTH, MFAOptions)."""
    username = cognito.create_user(phone=True)
    login = ok(wrapper.login, {"username": username, "password": PASSWORD})
    signed_in = {"username": username, **tokens_of(login)}

    assert ok(wrapper.getMfa, signed_in) is None
    assert ok(wrapper.setMfa, {"enableMfa": True, **signed_in}) == "SUCCESS"
    assert ok(wrapper.getMfa, signed_in) == [
        {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}
    ]

    step = ok(wrapper.login, {"username": username, "password": PASSWORD})
    assert set(step) == {"nextStep", "loginSession"}
    assert step["nextStep"] == "MFA_AUTH" and isinstance(step["loginSession"], str)
    answer = {"username": username, "loginSession": step["loginSession"], "mfaCode": "123456"}
    assert_tokens(ok(wrapper.loginMfa, answer))

    assert ok(wrapper.setMfa, {"enableMfa": False, **signed_in}) == "SUCCESS"
    assert ok(wrapper.getMfa, signed_in) is None

    phone = {"phone_number": "+14155550199", **signed_in}
    assert ok(wrapper.profileEditPhoneNumber, phone) == "SUCCESS"
    assert {"Name": "phone_number", "Value": "+14155550199"} in ok(wrapper.profile, signed_in)


def test_new_password_required_shapes(cognito: Cognito, wrapper: CallbackUserPool):
    """A NEW_PASSWORD_REQUIRED login gives nextStep and a string loginSession, then tokens."""
    username = cognito.create_user(permanent=False)
    step = ok(wrapper.login, {"username": username, "password": PASSWORD})
    assert step["nextStep"] == "NEW_PASSWORD_REQUIRED" and isinstance(step["loginSession"], str)
    answer = {
        "username": username,
        "loginSession": step["loginSession"],
        "newPassword": PASSWORD + "2",
    }
    assert_tokens(ok(wrapper.loginNewPasswordRequired, answer))


def test_operations_moto_lacks_report_through_the_callback(
    cognito: Cognito, wrapper: CallbackUserPool
):
    """moto lacks ResendConfirmationCode and VerifyUserAttribute: its 500 reaches `err`. Both
    must not run twice, so a 500 (the server failed after it got the request) is reported as
    an unknown outcome, with Cognito's error chained."""
    username = cognito.create_user()
    err = failed(wrapper.signupResend, {"username": username})
    assert err.code == err.name == "CognitoUserPool.OutcomeUnknown"
    assert getattr(err.__cause__, "code", None) == "InternalErrorException"
    login = ok(wrapper.login, {"username": username, "password": PASSWORD})
    confirm = {"attribute": "email", "confirmationCode": "123456", **tokens_of(login)}
    err = failed(wrapper.profileAttributeConfirm, confirm)
    assert err.code == err.name == "CognitoUserPool.OutcomeUnknown"
    assert getattr(err.__cause__, "code", None) == "InternalErrorException"


# -- errors -------------------------------------------------------------------------------------


def test_unknown_user_reaches_the_callback(wrapper: CallbackUserPool):
    """Cognito's UserNotFoundException arrives as err, with code, name and message."""
    err = failed(wrapper.login, {"username": "nobody", "password": PASSWORD})
    assert isinstance(err, UserNotFoundError)
    assert err.code == err.name == "UserNotFoundException" and err.message


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (["alice", PASSWORD], "params"),
        (None, "params"),
        ({"username": "alice"}, "password"),
        ({"username": "alice", "password": PASSWORD, "Password": "x"}, "Password"),
        ({"username": "alice", "password": PASSWORD, "mfa_code": "1"}, "mfa_code"),
        ({"username": "", "password": PASSWORD}, "username"),
    ],
)
def test_invalid_params_reach_the_callback(offline: CallbackUserPool, params: Any, field: str):
    """Non-dict params, missing, unknown or bad values: InvalidParameterException via err."""
    err = failed(offline.login, params)
    assert isinstance(err, InvalidParameterError)
    assert err.code == "InvalidParameterException" and err.field == field
    assert PASSWORD not in err.message


def test_core_validation_errors_use_node_names(offline: CallbackUserPool):
    """An error the core raises about mfa_code names mfaCode, Node's name for it."""
    err = failed(offline.loginMfa, {"username": "a", "loginSession": "s", "mfaCode": "1 2"})
    assert isinstance(err, InvalidParameterError)
    assert err.field == "mfaCode" and "mfaCode" in err.message and "mfa_code" not in err.message


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "accessToken"),
        ({"username": "alice"}, "accessToken"),
        ({"accessToken": "alice"}, "accessToken"),
        ({"accessToken": 5}, "accessToken"),
        ({"refreshToken": ""}, "refreshToken"),
        ({"refreshToken": "r", "idToken": 7}, "idToken"),
        ({"username": " alice", "accessToken": "a.b.c"}, "username"),
        ({"session": "a.b.c"}, "session"),
        ({"auth": "a.b.c"}, "auth"),
    ],
)
def test_node_tokens_become_auth(offline: CallbackUserPool, params: Any, field: str):
    """Node's token names (and its optional username) are checked under their Node names
    before any request; the Python keyword ``auth`` is not a Node parameter."""
    err = failed(offline.profile, params)
    assert isinstance(err, InvalidParameterError)
    assert err.field == field, err.message
    assert "auth=" not in err.message


def test_bad_params_are_reported_on_another_thread(offline: CallbackUserPool):
    """Even an error found before any request is reported later, never on the caller's stack."""
    recorder = Recorder()
    offline.login("not a dict", recorder)  # type: ignore[arg-type]
    recorder.wait()
    assert recorder.threads[0] is not threading.current_thread()


def test_non_callable_callback_fails_the_future(
    offline: CallbackUserPool, caplog: pytest.LogCaptureFixture
):
    """A non-callable callback raises nothing: the returned Future fails, and it is logged."""
    with caplog.at_level(logging.WARNING, logger="cognito_user_pool"):
        future = offline.login({"username": "a", "password": PASSWORD}, "not callable")  # type: ignore[arg-type]
    err = future.exception(timeout=WAIT)
    assert isinstance(err, InvalidParameterError) and err.field == "callback"
    assert any("not callable" in r.getMessage() for r in caplog.records)


def test_unexpected_exceptions_are_wrapped(
    offline: CallbackUserPool, monkeypatch: pytest.MonkeyPatch
):
    """A non-Cognito exception inside a flow reaches err as a CognitoError with a library code."""
    spec = _NODE_FLOWS["passwordForgot"]

    async def broken(self: Any, **kwargs: Any) -> None:
        raise KeyError("secret-value")

    monkeypatch.setattr(spec, "function", broken)
    err = failed(offline.passwordForgot, {"username": "alice"})
    assert isinstance(err, UnexpectedError) and err.code == "CognitoUserPool.UnexpectedError"
    assert "KeyError" in err.message
    assert "secret-value" not in err.message and isinstance(err.__cause__, KeyError)


# -- delivery ----------------------------------------------------------------------------------


def test_exactly_once_and_never_on_the_loop_thread(cognito: Cognito, wrapper: CallbackUserPool):
    """Success and failure each call back once, on a wrapper worker thread, not the loop's."""
    username = cognito.create_user()
    for params in (
        {"username": username, "password": PASSWORD},
        {"username": "nobody", "password": "x"},
    ):
        recorder = Recorder()
        wrapper.login(params, recorder).exception(timeout=WAIT)
        time.sleep(0.05)  # a second delivery would have arrived by now
        assert len(recorder.calls) == 1
        assert recorder.threads[0].name.startswith("cognito-user-pool-callback-")


def test_callback_exception_is_logged_not_fed_back(
    cognito: Cognito, wrapper: CallbackUserPool, caplog: pytest.LogCaptureFixture
):
    """An exception raised by a callback is logged, and the callback is not called again."""
    calls: list[Any] = []

    def explode(err: CognitoError | None, data: Any) -> None:
        calls.append((err, data))
        raise ValueError("boom")

    username = cognito.create_user()
    with caplog.at_level(logging.ERROR, logger="cognito_user_pool"):
        future = wrapper.login({"username": username, "password": PASSWORD}, explode)
        data = future.result(timeout=WAIT)
    assert len(calls) == 1 and calls[0][0] is None and calls[0][1] is data
    [record] = [r for r in caplog.records if r.name == "cognito_user_pool"]
    assert "login" in record.getMessage() and record.exc_info is not None
    assert data["accessToken"] not in caplog.text and PASSWORD not in caplog.text


def test_slow_callback_does_not_block_other_calls(cognito: Cognito, wrapper: CallbackUserPool):
    """A callback blocked until another call's callback runs: both complete."""
    username = cognito.create_user()
    released = threading.Event()
    seen: list[bool] = []

    def slow(err: CognitoError | None, data: Any) -> None:
        seen.append(released.wait(WAIT))

    def fast(err: CognitoError | None, data: Any) -> None:
        released.set()

    first = wrapper.passwordForgot({"username": username}, slow)
    time.sleep(0.2)  # the slow callback is now holding its worker thread
    second = wrapper.passwordForgot({"username": username}, fast)
    second.result(timeout=WAIT)
    first.result(timeout=WAIT)
    assert seen == [True]


def test_callbacks_can_chain_calls(cognito: Cognito, wrapper: CallbackUserPool):
    """Node-style nesting: a callback calls the next method, which calls back in turn."""
    username = cognito.create_user()
    done: Future[Any] = Future()

    def on_login(err: CognitoError | None, data: Any) -> None:
        assert err is None
        wrapper.profile({"username": username, **tokens_of(data)}, on_profile)

    def on_profile(err: CognitoError | None, data: Any) -> None:
        done.set_result((err, data))

    wrapper.login({"username": username, "password": PASSWORD}, on_login)
    err, profile = done.result(timeout=WAIT)
    assert err is None and any(a["Name"] == "email" for a in profile)


def test_thirty_two_threads_at_once(cognito: Cognito, wrapper: CallbackUserPool):
    """32 threads call at the same moment; each callback runs exactly once with its data."""
    username = cognito.create_user()
    login = ok(wrapper.login, {"username": username, "password": PASSWORD})
    barrier = threading.Barrier(32)
    recorders = [Recorder() for _ in range(32)]
    futures: list[Future[Any]] = [Future() for _ in range(32)]

    def worker(index: int) -> None:
        barrier.wait()
        params = {"username": username, **tokens_of(login)}
        futures[index].set_result(wrapper.profile(params, recorders[index]))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    for recorder, future in zip(recorders, futures, strict=True):
        err, data = recorder.wait(future.result(timeout=WAIT))
        assert err is None and any(a["Name"] == "email" for a in data)


def test_call_from_inside_a_running_loop(cognito: Cognito, wrapper: CallbackUserPool):
    """Called from a coroutine, a method returns at once; its Future can be awaited there."""
    username = cognito.create_user()

    async def main() -> tuple[Any, Any]:
        recorder = Recorder()
        future = wrapper.login({"username": username, "password": PASSWORD}, recorder)
        data = await asyncio.wrap_future(future)
        return recorder.calls[0], data

    (err, from_callback), data = asyncio.run(main())
    assert err is None and from_callback is data
    assert_tokens(data)


def test_future_without_callback(cognito: Cognito, wrapper: CallbackUserPool):
    """Without a callback the method returns a Future of the data, or of the error."""
    username = cognito.create_user()
    assert_tokens(wrapper.login({"username": username, "password": PASSWORD}).result(WAIT))
    err = wrapper.login({"username": "nobody", "password": "x"}).exception(WAIT)
    assert isinstance(err, UserNotFoundError)


# -- lifecycle -----------------------------------------------------------------------------------


def test_with_waits_for_calls_and_their_chains(cognito: Cognito):
    """Leaving `with` waits for calls in flight, the calls their callbacks make, and callbacks."""
    username = cognito.create_user()
    results: list[Any] = []

    def on_login(err: CognitoError | None, data: Any) -> None:
        time.sleep(0.2)
        wrapper.profile({"username": username, **tokens_of(data)}, on_profile)

    def on_profile(err: CognitoError | None, data: Any) -> None:
        results.append((err, data))

    with cognito.callback_pool() as wrapper:
        wrapper.login({"username": username, "password": PASSWORD}, on_login)
    assert wrapper.is_closed and len(results) == 1 and results[0][0] is None


def test_calls_after_close_fail_through_the_callback(cognito: Cognito):
    """After close(), a call raises nothing: err is CognitoUserPool.Closed, on another thread."""
    wrapper = cognito.callback_pool()
    wrapper.close()
    wrapper.close()  # idempotent
    recorder = Recorder()
    future = wrapper.login({"username": "alice", "password": PASSWORD}, recorder)
    err, data = recorder.wait(future)
    assert isinstance(err, PoolClosedError) and err.code == "CognitoUserPool.Closed"
    assert data is None
    assert recorder.threads[0] is not threading.current_thread()
    assert isinstance(future.exception(WAIT), CognitoError)


def test_close_from_inside_a_callback(cognito: Cognito):
    """close() inside a callback does not deadlock; the wrapper is released after it returns."""
    wrapper = cognito.callback_pool()
    username = cognito.create_user()

    def on_forgot(err: CognitoError | None, data: Any) -> None:
        wrapper.close()

    wrapper.passwordForgot({"username": username}, on_forgot).result(WAIT)
    assert wrapper._released.wait(WAIT)
    assert not [t for t in threading.enumerate() if t.name.endswith(f"{id(wrapper):x}-0")]


def test_close_releases_threads(cognito: Cognito):
    """close() stops the portal's loop thread and the callback threads."""
    wrapper = cognito.callback_pool()
    username = cognito.create_user()
    ok(wrapper.passwordForgot, {"username": username})
    marker = f"{id(wrapper):x}"
    assert any(marker in t.name for t in threading.enumerate())
    wrapper.close()
    assert not any(marker in t.name and t.is_alive() for t in threading.enumerate())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"ClientId": "client1"}, "UserPoolId"),
        ({"UserPoolId": "us-east-1_AbC123"}, "ClientId"),
        ({"UserPoolId": "us-east-1_AbC123", "ClientId": "c", "Paranoia": 11}, "paranoia"),
        ({"UserPoolId": "nope", "ClientId": "client1"}, "user_pool_id"),
        ({"UserPoolId": "us-east-1_AbC123", "ClientId": "c", "Secret": "x"}, "Secret"),
        ("us-east-1_AbC123", "pool_data"),
    ],
)
def test_bad_pool_data_raises_in_the_constructor(data: Any, field: str):
    """The constructor is the one place that raises: bad pool data is InvalidParameterError."""
    with pytest.raises(InvalidParameterError) as info:
        CallbackUserPool(data)
    assert info.value.field == field


def test_pool_data_reaches_the_config():
    """ClientSecret, Region, endpoint and Paranoia reach the config; repr hides the secret."""
    wrapper = CallbackUserPool(
        {
            "UserPoolId": "us-east-1_AbC123",
            "ClientId": "client1",
            "Paranoia": 7,
            "ClientSecret": "shhsecret0123456789abcdefgh",
            "Region": "eu-west-1",
            "endpoint": "http://127.0.0.1:1",
        }
    )
    config = wrapper.pool.config
    assert (config.region, config.endpoint_url, config.paranoia) == (
        "eu-west-1",
        "http://127.0.0.1:1",
        7,
    )
    assert (
        config.client_secret == "shhsecret0123456789abcdefgh"
        and "shhsecret0123456789abcdefgh" not in repr(wrapper)
    )
    wrapper.close()
