"""``login --with``: a one-time code by e-mail, the user's choice, the password itself."""

from __future__ import annotations

from collections.abc import Callable

from cognito_user_pool.local import LocalPool

from ._support import PASSWORD, Cli, LazyStdin, json_out

FACTORS = ("PASSWORD", "EMAIL_OTP", "SMS_OTP")
VERIFIED = {"email": "alice@example.com", "email_verified": "true"}


def _newest(run: Cli, pool: LocalPool, purpose: str) -> Callable[[], str]:
    def read() -> str:
        code = pool.outbox.last(username="alice", purpose=purpose).code
        run.secret(code)
        return code

    return read


def test_login_with_an_email_code_asks_no_password(
    run: Cli, other_pool_env: Callable[..., LocalPool]
) -> None:
    pool = other_pool_env(first_auth_factors=FACTORS)
    pool.create_user("alice", PASSWORD, VERIFIED)
    stdin = LazyStdin(_newest(run, pool, "email_otp"))
    result = run("login", "alice", "--with", "email-code", "--stdin", "--json", input=stdin)
    data = json_out(result)
    assert data["challenges"] == ["EMAIL_OTP"]
    assert data["username"] == "alice"


def test_a_wrong_email_code_is_refused(run: Cli, other_pool_env: Callable[..., LocalPool]) -> None:
    pool = other_pool_env(first_auth_factors=FACTORS)
    pool.create_user("alice", PASSWORD, VERIFIED)
    result = run(
        "login", "alice", "--with", "email-code", "--stdin", "--json", input="000000\n", code=1
    )
    assert json_out(result)["error"]["code"] == "CodeMismatchException"


def test_login_by_choice_lists_and_takes_the_users_pick(
    run: Cli, other_pool_env: Callable[..., LocalPool]
) -> None:
    """SELECT_CHALLENGE: the choice is read (here from stdin), then the password for SRP."""
    pool = other_pool_env(first_auth_factors=FACTORS)
    pool.create_user("alice", PASSWORD, VERIFIED)
    stdin = LazyStdin("password_srp", PASSWORD)
    result = run("login", "alice", "--with", "choice", "--stdin", "--json", input=stdin)
    assert json_out(result)["challenges"] == ["SELECT_CHALLENGE"]
    stdin = LazyStdin("email_otp", _newest(run, pool, "email_otp"))
    result = run("login", "alice", "--with", "choice", "--stdin", "--json", input=stdin)
    assert json_out(result)["challenges"] == ["SELECT_CHALLENGE", "EMAIL_OTP"]


def test_login_with_the_password_itself(run: Cli, pool_env: LocalPool) -> None:
    pool_env.create_user("alice", PASSWORD)
    result = run("login", "alice", "--with", "password", "--stdin", "--json", input=PASSWORD + "\n")
    assert json_out(result)["challenges"] == []
    wrong = run("login", "alice", "--with", "password", "--stdin", input="Wr0ng-pw!\n", code=1)
    assert "NotAuthorizedException" in wrong.output


def test_login_with_the_pools_custom_challenge(
    run: Cli, other_pool_env: Callable[..., LocalPool]
) -> None:
    """--with custom: the create trigger's public parameters are shown, the answer read."""
    from cognito_user_pool.cli._demo_choice import MagicCode
    from cognito_user_pool.local import CustomAuthTriggers

    magic = MagicCode()
    pool = other_pool_env(triggers=CustomAuthTriggers(magic.define, magic.create, magic.verify))
    pool.create_user("alice", PASSWORD)

    def answer() -> str:
        run.secret(magic.last)
        return magic.last

    result = run("login", "alice", "--with", "custom", "--stdin", "--json", input=LazyStdin(answer))
    assert json_out(result)["challenges"] == ["CUSTOM_CHALLENGE"]
    stdin = LazyStdin(PASSWORD, answer)
    result = run("login", "alice", "--with", "custom-srp", "--stdin", "--json", input=stdin)
    assert json_out(result)["challenges"] == ["CUSTOM_CHALLENGE"]
