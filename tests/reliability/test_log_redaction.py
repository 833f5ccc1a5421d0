"""No password, code, token, session or client secret reaches a log handler, botocore's DEBUG
lines included: the redacting filter on crafted records, then a whole user lifecycle against
the strict local Cognito with the root logger at DEBUG."""

from __future__ import annotations

import json
import logging
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pytest
from botocore.loaders import create_loader

from cognito_user_pool import Challenge, Tokens, _redact
from cognito_user_pool._redact import REDACTED, RedactingFilter, install
from cognito_user_pool.local import LocalCognito

# Header, payload and signature of a JWS, and the five parts of a JWE (Cognito's refresh
# tokens are JWEs).
JWS = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQ"
JWE = "eyJlbmMiOiJBMjU2R0NNIn0.a2V5LXBhcnQ.aXYtcGFydA.Y2lwaGVydGV4dA.dGFnLXBhcnQ"
# A password that JSON and repr() both escape: a leak must not hide behind an escape.
TRICKY_PASSWORD = "Pw1'\"\\" + "0123456789abcdef!A"


class _Kept(logging.Handler):
    """Keeps each record and what a plain formatter made of it, at the time it came."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def kept() -> Iterator[_Kept]:
    """The root logger at DEBUG with a handler that keeps every formatted record."""
    install()
    handler = _Kept()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _our_filter(logger_name: str) -> RedactingFilter:
    filters = logging.getLogger(logger_name).filters
    found = [f for f in filters if isinstance(f, RedactingFilter)]
    assert len(found) == 1, filters
    return found[0]


def _record(name: str, msg: object, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.DEBUG, __file__, 1, msg, args, None)


def test_request_dict_loses_its_secrets_and_keeps_its_shape(kept: _Kept) -> None:
    """botocore.endpoint's request dict: body members and secret headers are redacted, the
    record keeps its template and a dict argument, and the rest stays readable."""
    body = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": "1example23456789",
        "AuthParameters": {
            "USERNAME": "alice",
            "PASSWORD": TRICKY_PASSWORD,
            "SECRET_HASH": "c2VjcmV0LWhhc2gtdmFsdWU=",
        },
    }
    params: dict[str, Any] = {
        "url_path": "/",
        "headers": {
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, Signature=5d672d79c1",
            "X-Amz-Security-Token": "FwoGZXIvYXdzEXAMPLESESSIONTOKEN",
        },
        "body": json.dumps(body).encode(),
    }
    logging.getLogger("botocore.endpoint").debug(
        "Making request for %s with params: %s", "OperationModel(name=InitiateAuth)", params
    )
    (record,) = [r for r in kept.records if r.name == "botocore.endpoint"]
    line = kept.lines[kept.records.index(record)]
    for secret in ("0123456789abcdef", "c2VjcmV0LWhhc2gtdmFsdWU=", "5d672d79c1", "SESSIONTOKEN"):
        assert secret not in line
    assert "USER_PASSWORD_AUTH" in line and "InitiateAuth" in line and REDACTED in line
    assert record.msg == "Making request for %s with params: %s"
    assert isinstance(record.args, tuple) and isinstance(record.args[1], dict)
    assert record.getMessage() == line.split(" ", 2)[2]
    assert params["headers"]["X-Amz-Security-Token"] == "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"


def test_response_body_bytes_are_redacted(kept: _Kept) -> None:
    """botocore.parsers' raw answer: tokens, the session and SECRET_BLOCK go, the challenge
    name, the expiry and AWS's error type stay."""
    answers = [
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": "AYABeEXAMPLEsession",
            "ChallengeParameters": {"SALT": "8ea3", "SECRET_BLOCK": "c2VjcmV0YmxvY2s="},
        },
        {
            "AuthenticationResult": {
                "ExpiresIn": 3600,
                "AccessToken": JWS,
                "IdToken": JWS,
                "RefreshToken": "d5567f6c-a356-44bd-a60b-984a450410b4",
            }
        },
        {"__type": "NotAuthorizedException", "message": "Incorrect username or password."},
    ]
    parsers = logging.getLogger("botocore.parsers")
    for answer in answers:
        parsers.debug("Response body:\n%r", json.dumps(answer).encode())
    text = kept.text
    for secret in ("AYABeEXAMPLEsession", "c2VjcmV0YmxvY2s=", JWS, "d5567f6c-a356"):
        assert secret not in text
    for kept_text in ("PASSWORD_VERIFIER", '"ExpiresIn": 3600', "NotAuthorizedException"):
        assert kept_text in text
    assert text.count("Response body:\nb'{") == 3


def _model_sensitive_members() -> set[str]:
    """Every member of cognito-idp whose shape the model marks sensitive, read here
    independently of the code under test."""
    shapes = create_loader().load_service_model("cognito-idp", "service-2")["shapes"]
    sensitive = {name for name, shape in shapes.items() if shape.get("sensitive")}
    return {
        member
        for shape in shapes.values()
        for member, ref in shape.get("members", {}).items()
        if ref["shape"] in sensitive
    }


def test_every_member_the_model_marks_sensitive_is_redacted(kept: _Kept) -> None:
    """Each sensitive member of the model (Username, ClientId, Value... too, which no key
    word names) is redacted, in a request body and in a parameter dict."""
    members = sorted(_model_sensitive_members())
    assert {"Password", "Session", "AccessToken", "Username", "Value"} <= set(members)
    values = {member: f"sensitive-{member}-{secrets.token_hex(4)}" for member in members}
    logger = logging.getLogger("botocore.endpoint")
    logger.debug("body %s", json.dumps(values).encode())
    logger.debug("params %s", values)
    for value in values.values():
        assert value not in kept.text


def test_tokens_are_redacted_wherever_they_sit(kept: _Kept) -> None:
    """JWT-shaped strings go from free text, a message formatted before logging (httpcore's
    trace lines) and a value under a harmless key."""
    logging.getLogger("botocore.hooks").debug("handler got Bearer %s and %s", JWS, JWE)
    logging.getLogger("httpcore2.http11").debug(f"send_request_headers token={JWE}")
    logging.getLogger("botocore.endpoint").debug("%s", {"note": f"pasted {JWS} here"})
    assert JWS not in kept.text and JWE not in kept.text
    assert "Bearer <redacted>" in kept.text
    assert kept.text.count(REDACTED) >= 4


def test_headers_query_strings_and_xml_are_redacted(kept: _Kept) -> None:
    """Secret header lines, botocore's signature, query parameters, header tuples and XML
    credentials are redacted; their neighbours stay."""
    canonical = "POST\n/\n\nhost:cognito-idp\nx-amz-security-token:FQoGSESSION\n\nhost"
    logging.getLogger("botocore.auth").debug("CanonicalRequest:\n%s", canonical)
    logging.getLogger("botocore.auth").debug("Signature:\n%s", "81ce3943c0662a9cf3c7")
    logging.getLogger("urllib3.connectionpool").debug(
        '%s://%s:%s "%s %s %s" %s %s',
        "https",
        "auth.example.com",
        443,
        "POST",
        "/oauth2/token?code=AUTHCODE42&state=keep-me",
        "HTTP/1.1",
        200,
        512,
    )
    logging.getLogger("httpcore.http11").debug(
        "receive_response_headers.complete return_value=(b'HTTP/1.1', 200, b'OK', "
        "[(b'Set-Cookie', b'XSRF-TOKEN=COOKIEVALUE'), (b'Content-Type', b'text/html')])"
    )
    logging.getLogger("botocore.parsers").debug(
        "Response body:\n%r",
        b"<Credentials><AccessKeyId>AKIDEXAMPLE</AccessKeyId>"
        b"<SecretAccessKey>wJalrXUtnFEMI</SecretAccessKey>"
        b"<SessionToken>FQoGZXIvYXdzTOKEN</SessionToken></Credentials>",
    )
    text = kept.text
    for secret in (
        "FQoGSESSION",
        "81ce3943c0662a9cf3c7",
        "AUTHCODE42",
        "COOKIEVALUE",
        "wJalrXUtnFEMI",
        "FQoGZXIvYXdzTOKEN",
    ):
        assert secret not in text
    for neighbour in ("host:cognito-idp", "state=keep-me", "text/html", "AKIDEXAMPLE"):
        assert neighbour in text


class _Request:
    """A foreign object whose repr holds a JSON body inside a bytes repr: two escape levels."""

    def __repr__(self) -> str:
        body = json.dumps({"Password": TRICKY_PASSWORD, "Note": "it's"}).encode()
        return f"<Request body={body!r}>"


def test_secrets_escaped_twice_in_a_repr_are_redacted_whole(kept: _Kept) -> None:
    """A password escaped by JSON and again by repr() goes whole, not up to its first
    escaped quote."""
    logging.getLogger("botocore.endpoint").debug("Sending http request: %s", _Request())
    assert "0123456789abcdef" not in kept.text
    assert '<Request body=b\'{"Password": "<redacted>"' in kept.text


def test_error_codes_stay_and_confirmation_codes_go(kept: _Kept) -> None:
    """botocore's parsed error keeps its AWS code; a code the user received does not."""
    logging.getLogger("botocore.handlers").debug(
        "errors: %s",
        {"Error": {"Code": "CodeMismatchException"}, "ConfirmationCode": "483920"},
    )
    assert "CodeMismatchException" in kept.text
    assert "483920" not in kept.text


def test_records_stay_formattable_for_every_handler(kept: _Kept) -> None:
    """Numbers keep their type for %d and %.1f, and a handler added after install sees the
    record redacted too (basicConfig on the root at any time)."""
    late = _Kept()
    logging.getLogger().addHandler(late)
    try:
        logging.getLogger("botocore.endpoint").debug(
            "%d attempts, %.1f s, %s", 3, 0.25, {"Password": TRICKY_PASSWORD}
        )
    finally:
        logging.getLogger().removeHandler(late)
    (record,) = late.records
    assert isinstance(record.args, tuple) and record.args[:2] == (3, 0.25)
    assert record.getMessage() == f"3 attempts, 0.2 s, {{'Password': '{REDACTED}'}}"
    assert late.lines == kept.lines[-1:]


class _FailingMapping(Mapping[str, str]):
    """A mapping that breaks while it is read: the filter's own code fails on it."""

    def __getitem__(self, key: str) -> str:
        raise RuntimeError("unreadable")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("unreadable")

    def __len__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return "<FailingMapping>"


class _Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def test_filter_never_raises_and_never_drops() -> None:
    """An argument that cannot be printed, a template that does not fit its arguments, a
    non-string message and an argument that breaks the filter's own code all pass the
    filter without an exception: redacted, or kept with their text withheld."""
    install()
    redact = _our_filter("botocore.endpoint")

    unprintable = _record("botocore.endpoint", "%s", _Unprintable())
    assert redact.filter(unprintable) is True
    assert unprintable.getMessage() == "<unprintable>"

    broken = _record("botocore.endpoint", "%s %s", {"Session": "AYABsession"})
    assert redact.filter(broken) is True
    assert broken.args is not None
    assert "AYABsession" not in str(broken.msg) + repr(broken.args)
    with pytest.raises(TypeError):
        broken.getMessage()  # as broken as it came, for logging's handleError

    not_text = _record("botocore.endpoint", {"AccessToken": JWS})
    assert redact.filter(not_text) is True
    assert JWS not in not_text.getMessage()

    failing = _record("botocore.endpoint", "%s %s", _FailingMapping(), JWS)
    assert redact.filter(failing) is True
    assert failing.args == () and "withheld" in failing.getMessage()


def test_exception_text_is_redacted(kept: _Kept) -> None:
    """A traceback logged with exc_info loses the secrets in its exception message."""
    try:
        raise ValueError(f"bad answer {{'Session': 'AYABexc'}} with {JWS}")
    except ValueError:
        logging.getLogger("botocore.endpoint").debug("failed", exc_info=True)
    assert "Traceback" in kept.text and "ValueError" in kept.text
    assert "AYABexc" not in kept.text and JWS not in kept.text


def test_install_twice_from_many_threads_adds_one_filter() -> None:
    """install() is idempotent under concurrency, and a later call covers loggers that the
    libraries created since."""
    threads = [threading.Thread(target=install) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    install()
    for name in ("botocore.endpoint", "botocore.parsers", "urllib3.connectionpool"):
        _our_filter(name)
    logging.getLogger(f"botocore.added_later_{secrets.token_hex(4)}")
    new = logging.getLogger(f"aiobotocore.added_later_{secrets.token_hex(4)}")
    install()
    _our_filter(new.name)


def test_filter_costs_nothing_while_debug_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """With DEBUG off, botocore's debug calls make no record, so the filter never runs."""
    install()
    redact = _our_filter("botocore.endpoint")
    calls: list[logging.LogRecord] = []

    def counting(record: logging.LogRecord) -> bool:
        calls.append(record)
        return True

    monkeypatch.setattr(redact, "filter", counting)
    logger = logging.getLogger("botocore.endpoint")
    monkeypatch.setattr(logger, "level", logging.INFO)
    logger.debug("Making request for %s with params: %s", "op", {"Password": "x"})
    assert calls == []
    logger.info("a line at INFO")
    assert len(calls) == 1


def test_import_installs_nothing() -> None:
    """Importing the package puts no filter anywhere; the first pool that opens does."""
    code = (
        "import logging, sys, cognito_user_pool; "
        "print(bool(logging.getLogger('botocore.endpoint').filters), "
        "'cognito_user_pool._redact' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]


# ---- end to end ------------------------------------------------------------------------

# Keys under which the wire carries a secret, listed here by hand: a witness that does not
# share the rules of the code under test.
WITNESS_KEYS = {
    "Password",
    "PreviousPassword",
    "ProposedPassword",
    "ConfirmationCode",
    "SecretHash",
    "AccessToken",
    "IdToken",
    "RefreshToken",
    "Session",
    "SECRET_HASH",
    "SECRET_BLOCK",
    "PASSWORD_CLAIM_SECRET_BLOCK",
    "PASSWORD_CLAIM_SIGNATURE",
    "REFRESH_TOKEN",
    "SMS_MFA_CODE",
}


def _secrets_in(value: Any, under: str = "") -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _secrets_in(item, key)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _secrets_in(item, under)
    elif isinstance(value, str) and under in WITNESS_KEYS:
        yield value


def _leak_pattern(found: Iterable[str]) -> re.Pattern[str]:
    """Any of the secrets, as written raw, JSON-escaped or repr()-escaped, standing alone (a
    six-digit code inside a longer hex or decimal number is not a leak)."""
    forms: set[str] = set()
    for secret in found:
        escaped = json.dumps(secret)[1:-1]
        forms |= {secret, escaped, repr(secret)[1:-1], repr(escaped.encode())[2:-1]}
        # What follows an escape, should redaction stop at the escape.
        forms |= {part for part in re.split(r"[^A-Za-z0-9-]", secret) if len(part) >= 12}
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])")


@pytest.fixture
def not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process as if no pool had opened yet (earlier tests installed the filter), so that
    only the pool under test can install it; the previous state comes back afterwards."""
    monkeypatch.setattr(_redact, "_filter", None)
    monkeypatch.setattr(_redact, "_loggers_seen", -1)
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):
            kept = [f for f in logger.filters if not isinstance(f, RedactingFilter)]
            monkeypatch.setattr(logger, "filters", kept)


@pytest.mark.anyio
@pytest.mark.usefixtures("not_installed")
async def test_a_whole_lifecycle_logs_no_secret_at_debug(
    local_cognito_server: LocalCognito, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign-up to logout on a client with a secret, the root logger at DEBUG: botocore logs
    every request and answer, and none holds a password, code, token, session or secret."""
    local = local_cognito_server.create_pool(client_secret=True, mfa="OPTIONAL")
    passwords = [
        TRICKY_PASSWORD,
        "N3w'\"\\" + secrets.token_hex(8),
        "R3set-" + secrets.token_hex(8),
    ]
    handler = _Kept()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    wire: list[Any] = []
    codes: list[str] = []
    found: list[str] = []
    try:
        async with local.pool(max_attempts=1) as pool:
            call = pool._call

            async def recording_call(operation: str, /, **params: Any) -> dict[str, Any]:
                wire.append(params)
                response = await call(operation, **params)
                wire.append(response)
                return response

            monkeypatch.setattr(pool, "_call", recording_call)
            await pool.signup(
                username="rita", password=passwords[0], attributes={"email": "rita@example.com"}
            )
            codes.append(local.outbox.last(username="rita", purpose="signup").code)
            await pool.signup_confirm(username="rita", confirmation_code=codes[-1])
            tokens = await pool.login(username="rita", password=passwords[0])
            assert isinstance(tokens, Tokens) and tokens.refresh_token
            refreshed = await pool.refresh_session(refresh_token=tokens.refresh_token)
            await pool.profile(auth=refreshed)
            await pool.profile_edit(attributes={"name": "Rita"}, auth=tokens)
            await pool.password_change(
                old_password=passwords[0], new_password=passwords[1], auth=tokens
            )
            await pool.password_forgot(username="rita")
            codes.append(local.outbox.last(username="rita", purpose="forgot_password").code)
            await pool.password_reset(
                username="rita", password_reset_code=codes[-1], new_password=passwords[2]
            )
            signed_in = await pool.login(username="rita", password=passwords[2])
            assert isinstance(signed_in, Tokens)
            await pool.profile_edit_phone_number(phone_number="+14155550199", auth=signed_in)
            await pool.set_mfa(enable_mfa=True, auth=signed_in)
            challenge = await pool.login(username="rita", password=passwords[2])
            assert isinstance(challenge, Challenge)
            codes.append(local.outbox.last(username="rita", purpose="sms_mfa").code)
            final = await pool.login_mfa(
                username="rita", login_session=challenge, mfa_code=codes[-1]
            )
            assert isinstance(final, Tokens)
            await pool.logout(auth=final)
            found = [*_secrets_in(wire), *passwords, *codes, challenge.session]
            found.append(local.client_secret or "")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        local_cognito_server.delete_pool(local.user_pool_id)

    assert all(found) and len(set(found)) > 20, "the witness saw the secrets on the wire"
    leak = _leak_pattern(found)
    leaks = [
        (line.split(" ", 1)[0], match[0][:12])
        for line in handler.lines
        if (match := leak.search(line)) is not None
    ]
    assert leaks == []
    # Attribute values are secret only in the model's eyes (AttributeValueType is sensitive).
    assert not any("rita@example.com" in line for line in handler.lines)

    # Redacted, not dropped: botocore logged each request and answer, with the context.
    requests = [line for line in handler.lines if "Making request for OperationModel" in line]
    for operation in (
        "SignUp",
        "ConfirmSignUp",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "GetUser",
        "UpdateUserAttributes",
        "ChangePassword",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "SetUserMFAPreference",
        "GlobalSignOut",
    ):
        assert any(f"(name={operation})" in line for line in requests), operation
    assert all(REDACTED in line for line in requests)
    answers = [
        line for line in handler.lines if line.startswith("botocore.parsers DEBUG Response body")
    ]
    assert len(answers) >= len(requests)
    assert any('"ChallengeName": "PASSWORD_VERIFIER"' in line for line in answers)


@pytest.mark.anyio
@pytest.mark.usefixtures("not_installed")
async def test_an_admin_lifecycle_logs_no_secret_or_credential_at_debug(
    local_cognito_server: LocalCognito, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The admin client at DEBUG: temporary and permanent passwords, the server-side
    sign-in's tokens and session, the client secret, and the IAM secret key and session
    token (which botocore's SigV4 logging handles) reach no handler."""
    from cognito_user_pool import AsyncUserPoolAdmin

    local = local_cognito_server.create_pool(client_secret=True)
    secret_key = "wJalrXUtnFEMI" + secrets.token_hex(12)
    session_token = "IQoJb3JpZ2lu" + secrets.token_hex(24)
    passwords = [TRICKY_PASSWORD, "T3mp'\"\\" + secrets.token_hex(8), "N3w-" + secrets.token_hex(8)]
    handler = _Kept()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    wire: list[Any] = []
    try:
        admin = AsyncUserPoolAdmin(
            local.user_pool_id,
            client_id=local.client_id,
            client_secret=local.client_secret,
            endpoint_url=local.endpoint_url,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key=secret_key,
            aws_session_token=session_token,
            max_attempts=1,
        )
        async with admin:
            call = admin._call

            async def recording_call(operation: str, /, **params: Any) -> dict[str, Any]:
                wire.append(params)
                response = await call(operation, **params)
                wire.append(response)
                return response

            monkeypatch.setattr(admin, "_call", recording_call)
            await admin.admin_create_user(
                username="sam",
                temporary_password=passwords[1],
                attributes={"email": "sam@example.com"},
                message_action="SUPPRESS",
            )
            challenge = await admin.admin_initiate_auth(username="sam", password=passwords[1])
            assert isinstance(challenge, Challenge)
            tokens = await admin.admin_respond_to_auth_challenge(
                challenge=challenge, responses={"NEW_PASSWORD": passwords[0]}
            )
            assert isinstance(tokens, Tokens)
            await admin.admin_set_user_password(
                username="sam", password=passwords[2], permanent=True
            )
            signed_in = await admin.admin_initiate_auth(username="sam", password=passwords[2])
            assert isinstance(signed_in, Tokens)
            await admin.admin_user_global_sign_out(username="sam")
        found = [
            *_secrets_in(wire),
            *passwords,
            challenge.session,
            tokens.access_token,
            signed_in.refresh_token or "",
            local.client_secret or "",
            secret_key,
            session_token,
        ]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        local_cognito_server.delete_pool(local.user_pool_id)

    assert all(found)
    leak = _leak_pattern(found)
    leaks = [
        (line.split(" ", 1)[0], match[0][:12])
        for line in handler.lines
        if (match := leak.search(line)) is not None
    ]
    assert leaks == []
    requests = [line for line in handler.lines if "Making request for OperationModel" in line]
    for operation in ("AdminCreateUser", "AdminInitiateAuth", "AdminRespondToAuthChallenge"):
        assert any(f"(name={operation})" in line for line in requests), operation
    # Signed: botocore's SigV4 lines were logged (and redacted), not skipped.
    assert any(line.startswith("botocore.auth") for line in handler.lines)
