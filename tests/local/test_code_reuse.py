"""Used and superseded codes, in sequences where only the strict server's reuse checks refuse.

``StrictState.check_code`` refuses a code that was already used (``current.used``) and one that
a newer code superseded (``_stale_codes``), with ``ExpiredCodeException`` and AWS's text
(``_messages.EXPIRED_CODE``; docs/local-cognito.md, "Codes"). In test_codes.py a reused sign-up
code is refused by the user-status check instead (ConfirmSignUp of a CONFIRMED user), so
there the reuse checks could go and nothing would fail. Here no other check stands in the way:
ConfirmForgotPassword and VerifyUserAttribute look at no user status, so each refusal below is
the reuse check's alone.

Left out, because neither AWS's documentation nor ``_messages.py`` says what AWS answers:

- sign-up: a used code can only be sent again to a CONFIRMED user, whom the status check
  refuses first (``CANNOT_CONFIRM``); the superseded case is test_codes.py's
  ``test_resend_supersedes_old_code``;
- SMS MFA: every SMS_MFA challenge sends a new code and its session is single-use, so an
  old code is a superseded one, and whether AWS calls it expired or a mismatch (its MFA text
  is ``WRONG_MFA_CODE``) is not documented.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalPool
from cognito_user_pool.local._messages import EXPIRED_CODE

from .conftest import PASSWORD, error_code, error_message, srp_login

FIRST_PASSWORD = "Reset-pass1!"
SECOND_PASSWORD = "Reset-pass2!"


def _assert_expired(excinfo: pytest.ExceptionInfo[Any]) -> None:
    assert error_code(excinfo) == EXPIRED_CODE.code == "ExpiredCodeException"
    assert error_message(excinfo) == EXPIRED_CODE.text


# ---- forgot password ------------------------------------------------------------------------


def _user_with_verified_email(pool: LocalPool, username: str) -> None:
    pool.create_user(
        username, PASSWORD, {"email": f"{username}@example.com", "email_verified": "true"}
    )


def _forgot(public: Any, pool: LocalPool, username: str) -> str:
    public.forgot_password(ClientId=pool.client_id, Username=username)
    return pool.outbox.last(username=username, purpose="forgot_password").code


def _reset(public: Any, pool: LocalPool, username: str, code: str, password: str) -> None:
    public.confirm_forgot_password(
        ClientId=pool.client_id, Username=username, ConfirmationCode=code, Password=password
    )


def _signs_in(public: Any, pool: LocalPool, username: str, password: str) -> bool:
    try:
        srp_login(public, pool, username, password)
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "NotAuthorizedException"
        return False
    return True


def test_used_reset_code_cannot_set_a_second_password(pool: LocalPool, public: Any) -> None:
    """A reset code that already set a password is expired: it cannot set another one."""
    _user_with_verified_email(pool, "rita")
    code = _forgot(public, pool, "rita")
    _reset(public, pool, "rita", code, FIRST_PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        _reset(public, pool, "rita", code, SECOND_PASSWORD)
    _assert_expired(excinfo)
    assert _signs_in(public, pool, "rita", FIRST_PASSWORD)
    assert not _signs_in(public, pool, "rita", SECOND_PASSWORD)


def test_used_reset_code_is_expired_after_a_new_forgot_password(
    pool: LocalPool, public: Any
) -> None:
    """A used reset code stays expired once ForgotPassword sent a newer one, which still works."""
    _user_with_verified_email(pool, "sid")
    used = _forgot(public, pool, "sid")
    _reset(public, pool, "sid", used, FIRST_PASSWORD)
    newest = _forgot(public, pool, "sid")
    with pytest.raises(ClientError) as excinfo:
        _reset(public, pool, "sid", used, SECOND_PASSWORD)
    _assert_expired(excinfo)
    assert _signs_in(public, pool, "sid", FIRST_PASSWORD)
    _reset(public, pool, "sid", newest, SECOND_PASSWORD)
    assert _signs_in(public, pool, "sid", SECOND_PASSWORD)


def test_unused_reset_code_is_expired_once_superseded(pool: LocalPool, public: Any) -> None:
    """A reset code never used is expired once a second ForgotPassword sent a newer one."""
    _user_with_verified_email(pool, "tess")
    first = _forgot(public, pool, "tess")
    newest = _forgot(public, pool, "tess")
    assert newest != first
    with pytest.raises(ClientError) as excinfo:
        _reset(public, pool, "tess", first, FIRST_PASSWORD)
    _assert_expired(excinfo)
    assert _signs_in(public, pool, "tess", PASSWORD)
    _reset(public, pool, "tess", newest, FIRST_PASSWORD)
    assert _signs_in(public, pool, "tess", FIRST_PASSWORD)


# ---- attribute verification -----------------------------------------------------------------


def _access_token(public: Any, pool: LocalPool, username: str) -> str:
    return str(srp_login(public, pool, username)["AuthenticationResult"]["AccessToken"])


def _email_verified(public: Any, token: str) -> str | None:
    attributes = public.get_user(AccessToken=token)["UserAttributes"]
    return {a["Name"]: a["Value"] for a in attributes}.get("email_verified")


def _verify(public: Any, token: str, code: str) -> None:
    public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)


def _set_email(public: Any, token: str, email: str) -> None:
    public.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": email}]
    )


def test_used_attribute_code_is_expired(pool: LocalPool, public: Any) -> None:
    """An attribute-verification code that verified the email is expired when sent again."""
    pool.create_user("uma", PASSWORD, {"email": "uma@example.com"})
    token = _access_token(public, pool, "uma")
    public.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    code = pool.outbox.last(username="uma", purpose="verify_attribute").code
    _verify(public, token, code)
    with pytest.raises(ClientError) as excinfo:
        _verify(public, token, code)
    _assert_expired(excinfo)
    assert _email_verified(public, token) == "true"


def test_used_attribute_code_is_expired_after_the_email_changed_back(
    pool: LocalPool, public: Any
) -> None:
    """A code that verified an email does not verify it again after the email changed and came
    back (each change sends a newer code); the newest code does."""
    pool.create_user("vic", PASSWORD, {"email": "vic@example.com"})
    token = _access_token(public, pool, "vic")
    public.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    used = pool.outbox.last(username="vic", purpose="verify_attribute").code
    _verify(public, token, used)
    _set_email(public, token, "vic2@example.com")
    _set_email(public, token, "vic@example.com")
    newest = pool.outbox.last(username="vic", purpose="verify_attribute")
    assert newest.destination == "vic@example.com"
    assert _email_verified(public, token) == "false"
    with pytest.raises(ClientError) as excinfo:
        _verify(public, token, used)
    _assert_expired(excinfo)
    assert _email_verified(public, token) == "false"
    _verify(public, token, newest.code)
    assert _email_verified(public, token) == "true"
