"""``login``, ``refresh``, ``logout``: getting, renewing and revoking tokens."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.console import Console

from cognito_user_pool import Challenge, Tokens, UserPool

# The CLI's own two errors live in the one error tree, though only the CLI raises them.
from .._errors import TooManyChallengesError, UnsupportedChallengeError
from ._command import Call, Report, pool_command
from ._common import SecretReader, saved_fields, tokens_json, write_token_file
from ._root import cli

__all__ = ["login", "logout", "refresh"]

# Challenges answered with a code the user received or reads from an authenticator app.
_CODE_CHALLENGES = {
    "SMS_MFA": "SMS code",
    "SOFTWARE_TOKEN_MFA": "Authenticator app code",
    "EMAIL_OTP": "Email code",
    "SMS_OTP": "SMS code",
}
# An answer may bring another challenge (a new password, then MFA): a few rounds at most.
_MAX_CHALLENGES = 5


def _check_save_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    # Checked before any request, so that a typo does not cost the tokens of a login.
    if value is not None and not value.expanduser().parent.is_dir():
        raise click.BadParameter(f"no directory {str(value.parent)!r} to save the tokens in")
    return value


_save_option = click.option(
    "--save",
    "save_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    callback=_check_save_path,
    help="Keep the tokens in this file (JSON, mode 0600).",
)
_show_tokens_option = click.option(
    "--show-tokens", is_flag=True, help="Print the tokens themselves (they are secrets)."
)


def _when(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(epoch))


def _saved_line(console: Console, save_path: Path | None) -> None:
    if save_path is not None:
        console.print(f"Tokens saved to {save_path} (mode 0600).")
    else:
        console.print(
            "Tokens not kept: pass --save PATH to keep them, --show-tokens to print them."
        )


def _print_tokens(console: Console, tokens: Tokens) -> None:
    console.print(f"access_token: {tokens.access_token}")
    console.print(f"id_token: {tokens.id_token}")
    console.print(f"refresh_token: {tokens.refresh_token}")


def _answer(
    pool: UserPool, username: str, challenge: Challenge, secrets: SecretReader
) -> Tokens | Challenge:
    """Ask for what ``challenge`` wants (a code, a new password) and answer it."""
    if challenge.name in _CODE_CHALLENGES:
        where = challenge.parameters.get("CODE_DELIVERY_DESTINATION")
        label = _CODE_CHALLENGES[challenge.name] + (f" (sent to {where})" if where else "")
        code = secrets.read(label)
        return pool.login_mfa(username=username, login_session=challenge, mfa_code=code)
    if challenge.name == "NEW_PASSWORD_REQUIRED":
        new_password = secrets.read("New password (required by the pool)", confirm=True)
        return pool.login_new_password_required(
            username=username, login_session=challenge, new_password=new_password
        )
    raise UnsupportedChallengeError(
        f"the {challenge.name} challenge cannot be answered from this command line"
    )


@pool_command(cli, "login", flows=["login", "login_mfa", "login_new_password_required"], stdin=True)
@click.argument("username")
@_save_option
@_show_tokens_option
def login(call: Call, username: str, save_path: Path | None, show_tokens: bool) -> Report:
    """Sign USERNAME in with SRP; MFA codes and a required new password are asked for."""
    password = call.secrets.read("Password")
    answered: list[str] = []
    result = call.pool.login(username=username, password=password)
    while isinstance(result, Challenge):
        if len(answered) >= _MAX_CHALLENGES:
            raise TooManyChallengesError("too many challenges in a row")
        answered.append(result.name)
        result = _answer(call.pool, username, result, call.secrets)
    tokens = result
    if save_path is not None:
        write_token_file(save_path, tokens, username=username, pool=saved_fields(call.config))

    def human(c: Console) -> None:
        steps = f" after {', '.join(answered)}" if answered else ""
        c.print(
            f"Signed in as {username}{steps}. "
            f"The access token expires at {_when(tokens.access_token_expires_at)}."
        )
        _saved_line(c, save_path)
        if show_tokens:
            _print_tokens(c, tokens)

    return Report(
        {
            "username": username,
            "challenges": answered,
            **tokens_json(tokens, show=show_tokens),
            "saved_to": str(save_path) if save_path is not None else None,
        },
        human,
    )


@pool_command(cli, "refresh", flows=["refresh_session"], tokens=True)
@_save_option
@_show_tokens_option
def refresh(call: Call, save_path: Path | None, show_tokens: bool) -> Report:
    """Get new access and id tokens with the saved refresh token."""
    refresh_token = call.saved.get("refresh_token")
    if not isinstance(refresh_token, str) or not refresh_token:
        raise click.BadParameter("the token file has no refresh_token", param_hint="--tokens")
    tokens = call.pool.refresh_session(refresh_token=refresh_token, id_token=call.saved["id_token"])
    if save_path is not None:
        username = call.saved.get("username")
        write_token_file(
            save_path,
            tokens,
            username=username if isinstance(username, str) else None,
            pool=saved_fields(call.config),
        )

    def human(c: Console) -> None:
        c.print(f"Refreshed. The access token expires at {_when(tokens.access_token_expires_at)}.")
        _saved_line(c, save_path)
        if show_tokens:
            _print_tokens(c, tokens)

    return Report(
        {
            **tokens_json(tokens, show=show_tokens),
            "saved_to": str(save_path) if save_path is not None else None,
        },
        human,
    )


@pool_command(cli, "logout", flows=["logout"], tokens=True)
def logout(call: Call) -> Report:
    """Sign out everywhere (GlobalSignOut): every token of the user is revoked."""
    call.pool.logout(auth=call.auth())
    return Report(
        {"signed_out": True},
        lambda c: c.print(f"Signed out everywhere; the tokens in {call.tokens_path} are revoked."),
    )
