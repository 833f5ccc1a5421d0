"""What Cognito accepts passes the library's pattern checks and works end to end on the
strict local Cognito: non-ASCII usernames, e-mail and phone aliases, pass phrases with
spaces, non-ASCII attribute values."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cognito_user_pool import Tokens

from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio

PASS_PHRASE = "Correct horse 1 battery staple!"


@pytest.mark.parametrize("username", ["José", "用户名", "o'brien+x@y"])
async def test_non_ascii_username_and_pass_phrase(backend: Backend, username: str) -> None:
    """A username of letters, marks and punctuation from any script, and a password with
    inner spaces, sign up, confirm, sign in and change the password."""
    async with backend.pool() as pool:
        await pool.signup(
            username=username,
            password=PASS_PHRASE,
            attributes={"name": "Zoë", "email": "zoe@example.com"},
        )
        code = backend.code(username, "signup")
        await pool.signup_confirm(username=username, confirmation_code=code)
        tokens = await pool.login(username=username, password=PASS_PHRASE)
        assert isinstance(tokens, Tokens)
        await pool.password_change(
            old_password=PASS_PHRASE, new_password="Another pass phrase 2!", auth=tokens
        )
        again = await pool.login(username=username, password="Another pass phrase 2!")
        assert isinstance(again, Tokens)


async def test_email_and_phone_aliases(make_backend: Callable[..., Backend]) -> None:
    """An e-mail address and an E.164 phone number pass the username check where an alias
    goes in place of the username."""
    backend = make_backend(alias_attributes=["email", "phone_number"])
    backend.create_confirmed_user(
        "zoe", email="zoe+tag@example.com", phone_number="+14155550123",
        email_verified="true", phone_number_verified="true",
    )  # fmt: skip
    async with backend.pool() as pool:
        for alias in ("zoe+tag@example.com", "+14155550123"):
            assert isinstance(await pool.login(username=alias, password=PASSWORD), Tokens)
        await pool.password_forgot(username="zoe+tag@example.com")
