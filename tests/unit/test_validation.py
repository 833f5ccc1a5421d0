"""Every public flow checks its parameters before any request, and names the bad field."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from cognito_user_pool import (
    FLOWS,
    AsyncUserPool,
    Challenge,
    InvalidParameterError,
    RefreshToken,
    Tokens,
)

pytestmark = pytest.mark.anyio

SECRET_LOOKING = "Sup3r-Secret-Value!"
TOKEN = "header.payload.signature"  # shaped like a JWT, as an access token must be

# Each case: flow, keyword arguments, the field the error must name.
# A NewDeviceMetadata mapping as confirm_device takes it.
VALID_DEVICE = {"DeviceKey": "us-east-1_0a1b2c3d-0000", "DeviceGroupKey": "-abcdefghi"}
# The browser's credentials as JSON (W3C WebAuthn L3's RegistrationResponseJSON and
# AuthenticationResponseJSON), shaped right; their contents are Cognito's to judge.
_BROWSER = {"id": "Y3JlZA", "rawId": "Y3JlZA", "type": "public-key", "clientExtensionResults": {}}
VALID_REGISTRATION: dict[str, Any] = {
    **_BROWSER,
    "response": {"clientDataJSON": "e30", "attestationObject": "oA"},
}
VALID_ASSERTION: dict[str, Any] = {
    **_BROWSER,
    "response": {"clientDataJSON": "e30", "authenticatorData": "AA", "signature": "AA"},
}
# Both shapes at once, for the table below that gives each parameter name one valid value.
VALID_EITHER = {
    **_BROWSER,
    "response": {**VALID_REGISTRATION["response"], **VALID_ASSERTION["response"]},
}

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("signup", {"username": "", "password": "pw"}, "username"),
    ("signup", {"username": "alice", "password": 123}, "password"),
    ("signup", {"username": "alice", "password": "pw", "attributes": "email"}, "attributes"),
    (
        "signup",
        {"username": "alice", "password": "pw", "attributes": [{"Name": "email"}]},
        "attributes",
    ),
    (
        "signup",
        {"username": "alice", "password": "pw", "attributes": {"phone_number": "0612"}},
        "attributes.phone_number",
    ),
    ("signup", {"username": " alice", "password": "pw"}, "username"),
    ("signup_confirm", {"username": "alice", "confirmation_code": ""}, "confirmation_code"),
    ("signup_confirm", {"username": "alice", "confirmation_code": "12 34"}, "confirmation_code"),
    ("signup_resend", {"username": None}, "username"),
    ("login", {"username": "alice", "password": ""}, "password"),
    ("login", {"username": "x" * 129, "password": "pw"}, "username"),
    ("login_mfa", {"username": "alice", "login_session": "", "mfa_code": "1"}, "login_session"),
    ("login_mfa", {"username": "alice", "login_session": "s", "mfa_code": None}, "mfa_code"),
    (
        "login_mfa",
        {"username": "alice", "login_session": "s", "mfa_code": "1", "challenge_name": "X"},
        "challenge_name",
    ),
    (
        "login_new_password_required",
        {"username": "alice", "login_session": "s", "new_password": ""},
        "new_password",
    ),
    ("logout", {"auth": ""}, "auth"),
    ("logout", {"auth": "alice"}, "auth"),
    ("refresh_session", {"refresh_token": ""}, "refresh_token"),
    ("refresh_session", {"refresh_token": "r", "id_token": 5}, "id_token"),
    ("get_mfa", {"auth": 5}, "auth"),
    ("set_mfa", {"enable_mfa": "true", "auth": TOKEN}, "enable_mfa"),
    ("profile", {"auth": RefreshToken("")}, "refresh_token"),
    ("profile_edit", {"attributes": 5, "auth": TOKEN}, "attributes"),
    (
        "profile_edit",
        {"attributes": {"bad name!": "x"}, "auth": TOKEN},
        "attributes name",
    ),
    (
        "profile_attribute_confirm",
        {"attribute": "", "confirmation_code": "1", "auth": TOKEN},
        "attribute",
    ),
    (
        "profile_edit_phone_number",
        {"phone_number": "0612345678", "auth": TOKEN},
        "phone_number",
    ),
    (
        "password_change",
        {"old_password": SECRET_LOOKING, "new_password": "", "auth": TOKEN},
        "new_password",
    ),
    ("associate_software_token", {}, "auth"),
    ("associate_software_token", {"auth": TOKEN, "login_session": "s" * 20}, "auth"),
    ("verify_software_token", {"auth": TOKEN, "user_code": "12 34"}, "user_code"),
    ("verify_software_token", {"auth": TOKEN, "user_code": "12345"}, "user_code"),
    (
        "login_mfa_setup",
        {"username": "a", "login_session": "s" * 20, "mfa_code": "abcdef"},
        "mfa_code",
    ),
    (
        "verify_software_token",
        {"auth": TOKEN, "user_code": "123456", "friendly_device_name": ""},
        "friendly_device_name",
    ),
    ("set_user_mfa_preference", {"auth": TOKEN}, "preferred"),
    ("set_user_mfa_preference", {"auth": TOKEN, "sms_mfa": "yes"}, "sms_mfa"),
    ("set_user_mfa_preference", {"auth": TOKEN, "preferred": "SMS"}, "preferred"),
    (
        "set_user_mfa_preference",
        {"auth": TOKEN, "software_token_mfa": False, "preferred": "SOFTWARE_TOKEN_MFA"},
        "preferred",
    ),
    ("get_user_auth_factors", {"auth": None}, "auth"),
    (
        "login_select_mfa_type",
        {"username": "a", "login_session": "s" * 20, "mfa_type": "TOTP"},
        "mfa_type",
    ),
    ("login_mfa_setup", {"username": "a", "login_session": "s" * 20}, "mfa_code"),
    (
        "login_mfa_setup",
        {"username": "a", "login_session": "s" * 20, "mfa_code": "1", "email": "a@b.c"},
        "mfa_code",
    ),
    (
        "login_mfa_setup",
        {"username": "a", "login_session": "s" * 20, "email": "not an address"},
        "email",
    ),
    ("revoke_token", {"auth": TOKEN}, "auth"),  # an access token: nothing to revoke
    ("revoke_token", {"auth": Tokens(TOKEN, TOKEN, None, 0, 0)}, "auth"),
    ("delete_user", {"auth": "alice"}, "auth"),
    (
        "get_user_attribute_verification_code",
        {"auth": TOKEN, "attribute": "bad name!"},
        "attribute",
    ),
    ("password_forgot", {"username": ""}, "username"),
    ("confirm_device", {"auth": TOKEN, "device": {"DeviceKey": "k"}}, "device"),
    ("confirm_device", {"auth": TOKEN, "device": None}, "device"),
    (
        "confirm_device",
        {"auth": TOKEN, "device": VALID_DEVICE, "device_name": "x" * 1025},
        "device_name",
    ),
    (
        "update_device_status",
        {"auth": TOKEN, "device_key": "us-east-1_0a1b", "remembered": "yes"},
        "remembered",
    ),
    ("list_devices", {"auth": TOKEN, "limit": 0}, "limit"),
    ("list_devices", {"auth": TOKEN, "limit": True}, "limit"),
    ("get_device", {"auth": TOKEN, "device_key": "no-underscore"}, "device_key"),
    ("forget_device", {"auth": TOKEN, "device_key": "us-east-1_XYZ"}, "device_key"),
    (
        "password_reset",
        {"username": "alice", "password_reset_code": "1", "new_password": None},
        "new_password",
    ),
    ("user_auth", {"username": "alice", "preferred_challenge": "FIDO"}, "preferred_challenge"),
    (
        "user_auth",
        {"username": "alice", "preferred_challenge": "WEB_AUTHN", "password": "p"},
        "password",
    ),
    ("user_auth", {"username": "alice", "preferred_challenge": "PASSWORD"}, "password"),
    ("user_auth", {"username": "alice", "password": "Passw0rd!"}, "password"),
    ("user_auth", {"username": "alice", "session": "short"}, "session"),
    (
        "user_auth",
        {"username": "alice", "session": "s" * 40, "preferred_challenge": "EMAIL_OTP"},
        "session",
    ),
    (
        "select_challenge",
        {"username": "alice", "login_session": "s" * 20, "answer": "PASSWORD_SRP"},
        "password",
    ),
    (
        "select_challenge",
        {"username": "alice", "login_session": "s" * 20, "answer": "SMS_OTP", "password": "p"},
        "password",
    ),
    (
        "select_challenge",
        {
            "username": "alice",
            "login_session": Challenge("EMAIL_OTP", "s" * 20, "alice"),
            "answer": "EMAIL_OTP",
        },
        "login_session",
    ),
    ("user_password_auth", {"username": "alice", "password": ""}, "password"),
    ("custom_auth", {"username": "alice", "client_metadata": ["x"]}, "client_metadata"),
    ("custom_auth", {"username": "alice", "client_metadata": {"k": 5}}, "client_metadata"),
    ("custom_auth", {"username": "alice", "password": " x"}, "password"),
    (
        "login_custom_challenge",
        {
            "username": "alice",
            "login_session": Challenge("SMS_MFA", "s" * 20, "alice"),
            "answer": "42",
        },
        "login_session",
    ),
    (
        "select_challenge",
        {"username": "alice", "login_session": "s" * 20, "answer": "WEB_AUTHN", "password": "p"},
        "password",
    ),
    ("complete_web_authn_registration", {"auth": TOKEN, "credential": "{"}, "credential"),
    (
        "complete_web_authn_registration",
        {"auth": TOKEN, "credential": {**VALID_REGISTRATION, "type": "password"}},
        "credential",
    ),
    (
        "complete_web_authn_registration",
        {"auth": TOKEN, "credential": {**VALID_REGISTRATION, "rawId": "not base64url!"}},
        "credential",
    ),
    (
        "complete_web_authn_registration",
        {
            "auth": TOKEN,
            "credential": {**VALID_REGISTRATION, "response": {"clientDataJSON": "e30"}},
        },
        "credential",
    ),
    (
        "complete_web_authn_registration",
        {"auth": TOKEN, "credential": {**VALID_REGISTRATION, "clientExtensionResults": []}},
        "credential",
    ),
    (
        "complete_web_authn_registration",
        {"auth": TOKEN, "credential": {**VALID_REGISTRATION, "authenticatorAttachment": 1}},
        "credential",
    ),
    (
        "complete_web_authn_registration",
        {"auth": TOKEN, "credential": {**VALID_REGISTRATION, "x": float("nan")}},
        "credential",
    ),
    (
        "complete_web_authn_registration",
        {"auth": TOKEN, "credential": VALID_ASSERTION},
        "credential",
    ),
    ("start_web_authn_registration", {"auth": ""}, "auth"),
    ("list_web_authn_credentials", {"auth": TOKEN, "limit": 21}, "limit"),
    ("list_web_authn_credentials", {"auth": TOKEN, "limit": True}, "limit"),
    ("delete_web_authn_credential", {"auth": TOKEN, "credential_id": "a b"}, "credential_id"),
    (
        "delete_web_authn_credential",
        {"auth": TOKEN, "credential_id": "A" * 131073},
        "credential_id",
    ),
    (
        "login_web_authn",
        {"username": "alice", "login_session": "s" * 20, "credential": VALID_REGISTRATION},
        "credential",
    ),
    (
        "login_web_authn",
        {
            "username": "alice",
            "login_session": "s" * 20,
            "credential": {
                **VALID_ASSERTION,
                "response": {**VALID_ASSERTION["response"], "userHandle": 5},
            },
        },
        "credential",
    ),
    (
        "login_web_authn",
        {
            "username": "alice",
            "login_session": Challenge("EMAIL_OTP", "s" * 20, "alice"),
            "credential": VALID_ASSERTION,
        },
        "login_session",
    ),
]


def test_every_flow_has_a_validation_case() -> None:
    """No flow escapes this suite."""
    assert {name for name, _, _ in CASES} == {flow.name for flow in FLOWS}


@pytest.mark.parametrize(("flow", "kwargs", "field"), CASES)
async def test_bad_input_fails_before_any_request(
    flow: str, kwargs: dict[str, Any], field: str
) -> None:
    """Bad input raises InvalidParameterException naming the field; no client is opened."""
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(InvalidParameterError) as info:
        await getattr(pool, flow)(**kwargs)
    assert info.value.code == "InvalidParameterException"
    assert info.value.field == field
    assert SECRET_LOOKING not in str(info.value)
    # The HTTP client is opened on the first request: still none means none was sent.
    assert pool._client is None
    await pool.aclose()


def test_flows_are_keyword_only_coroutines() -> None:
    """Every flow in FLOWS is a coroutine method taking keyword arguments only."""
    for flow in FLOWS:
        method = getattr(AsyncUserPool, flow.name)
        assert inspect.iscoroutinefunction(method), flow.name
        params = list(inspect.signature(method).parameters.values())[1:]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params), flow.name
        names = {p.name for p in params}
        # Who is signed in is one parameter, never the Node library's token keywords.
        assert not names & {"username", "access_token", "id_token", "refresh_token"} or not (
            flow.signed_in
        ), flow.name
        assert ("auth" in names) is flow.signed_in, flow.name


def test_node_names_are_the_camel_case_of_python_names() -> None:
    """The FLOWS table's Node names follow from the Python names, bar AWS's own camelCase of
    an operation with an acronym, as the JavaScript SDK spells it."""
    exceptions = {"set_user_mfa_preference": "setUserMFAPreference"}
    for flow in FLOWS:
        head, *rest = flow.name.split("_")
        derived = head + "".join(part.title() for part in rest)
        assert flow.node_name == exceptions.get(flow.name, derived)


class _Session:
    """A session (anything with ``access_token()`` and ``logout()``) that counts its use."""

    def __init__(self) -> None:
        self.asked = 0
        self.logged_out = 0

    async def access_token(self) -> str:
        self.asked += 1
        return TOKEN

    async def logout(self) -> None:
        self.logged_out += 1


# The other required arguments of each signed-in flow, valid.
_SIGNED_IN_EXTRA: dict[str, dict[str, Any]] = {
    "set_mfa": {"enable_mfa": True},
    "profile_edit": {"attributes": {"name": "x"}},
    "profile_attribute_confirm": {"attribute": "email", "confirmation_code": "1"},
    "profile_edit_phone_number": {"phone_number": None},
    "password_change": {"old_password": "a", "new_password": "b"},
    "verify_software_token": {"user_code": "123456"},
    "set_user_mfa_preference": {"software_token_mfa": True},
    "get_user_attribute_verification_code": {"attribute": "email"},
    "confirm_device": {"device": VALID_DEVICE},
    "update_device_status": {"device_key": "us-east-1_0a1b", "remembered": True},
    "complete_web_authn_registration": {"credential": VALID_REGISTRATION},
    "delete_web_authn_credential": {"credential_id": "Y3JlZA"},
}


@pytest.mark.parametrize("flow", [f.name for f in FLOWS if f.signed_in])
@pytest.mark.parametrize(
    "auth",
    [None, 5, "", "alice", {"access_token": TOKEN}, RefreshToken(""), object()],
    ids=["none", "int", "empty", "username", "dict", "empty-refresh", "object"],
)
async def test_auth_is_checked_before_any_request(flow: str, auth: object) -> None:
    """``auth`` must be one of the kinds users hold; anything else is refused, naming the
    field, before any request."""
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(InvalidParameterError) as info:
        await getattr(pool, flow)(auth=auth, **_SIGNED_IN_EXTRA.get(flow, {}))
    assert info.value.field in {"auth", "refresh_token"}
    assert pool._client is None
    await pool.aclose()


async def test_a_session_is_asked_for_its_token_and_logout_signs_it_out() -> None:
    """A UserSession-like ``auth`` hands out the token; ``logout`` delegates to it."""
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    session = _Session()
    assert await pool._access_token(session) == TOKEN
    await pool.logout(auth=session)
    assert (session.asked, session.logged_out) == (1, 1)
    assert pool._client is None  # the session signs out through its own pool
    tokens = Tokens(TOKEN, TOKEN, None, 0, 0)
    assert await pool._access_token(tokens) == TOKEN
    await pool.aclose()


# A valid value for each parameter name the flows use; a new name fails the test below
# until it gets one here.
VALID: dict[str, Any] = {
    "username": "alice",
    "password": "Passw0rd!",
    "attributes": {"name": "Alice"},
    "confirmation_code": "123456",
    "login_session": "s" * 20,  # Cognito's sessions are 20 to 4096 characters
    "mfa_code": "123456",
    "new_password": "N3w-Passw0rd!",
    "old_password": "Passw0rd!",
    "refresh_token": "refresh",
    "auth": TOKEN,
    "enable_mfa": True,
    "attribute": "email",
    "phone_number": "+14155550100",
    "password_reset_code": "123456",
    "user_code": "123456",
    "mfa_type": "SOFTWARE_TOKEN_MFA",
    "device": VALID_DEVICE,
    "device_key": "us-east-1_0a1b2c3d-0000",
    "remembered": True,
    "answer": "EMAIL_OTP",
    "credential": VALID_EITHER,
    "credential_id": "Y3JlZGVudGlhbA",
}
# select_challenge's answer is a factor; login_custom_challenge's is the user's own text.


# Flows whose required parameters alone are not a whole call: one of two optional ones
# must be given too (a method to change; an app code or an e-mail address).
COMPLETING: dict[str, dict[str, Any]] = {
    "set_user_mfa_preference": {"software_token_mfa": True},
    "login_mfa_setup": {"mfa_code": "123456"},
}


def _required(flow: str) -> list[str]:
    params = list(inspect.signature(getattr(AsyncUserPool, flow)).parameters.values())[1:]
    return [p.name for p in params if p.default is inspect.Parameter.empty]


REQUIRED = [(f.name, name) for f in FLOWS for name in _required(f.name)]


@pytest.mark.parametrize(("flow", "param"), REQUIRED, ids=[f"{f}-{p}" for f, p in REQUIRED])
@pytest.mark.parametrize("bad", [5, ["x"], ""], ids=["int", "list", "empty"])
async def test_every_required_parameter_is_checked(flow: str, param: str, bad: object) -> None:
    """For every required parameter of every flow (read from the signatures), a wrong value
    with all others valid fails before any request, naming that parameter."""
    assert param in VALID, f"give {param} a valid value in VALID"
    kwargs = {name: VALID[name] for name in _required(flow)}
    kwargs.update(COMPLETING.get(flow, {}))
    kwargs[param] = bad
    pool = AsyncUserPool("us-east-1_abc", "client1", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(InvalidParameterError) as info:
        await getattr(pool, flow)(**kwargs)
    assert info.value.field is not None and info.value.field.split(".")[0].split(" ")[0] in {
        param,
        "refresh_token",
    }
    assert pool._client is None
    await pool.aclose()
