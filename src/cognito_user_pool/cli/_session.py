"""``login``, ``refresh``, ``logout``: getting, renewing and revoking tokens.

``login`` walks the sign-in's chain of challenges, one answer per challenge: an MFA code, a
choice of MFA method, an MFA set-up, a new password (a few rounds at most).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console

from cognito_user_pool import Challenge, Tokens, UserPool

# The CLI's own two errors live in the one error tree, though only the CLI raises them.
from .._errors import TooManyChallengesError, UnsupportedChallengeError
from ._command import Call, Report, pool_command
from ._common import MFA_METHODS, SecretReader, saved_fields, tokens_json, write_token_file
from ._root import cli
from ._totp import (
    account_label,
    confirm_with_app_code,
    device_name_option,
    issuer_option,
    show_totp_secret,
)

__all__ = ["login", "logout", "refresh"]

# Challenges answered with a code the user received or reads from an authenticator app.
_CODE_CHALLENGES = {
    "SMS_MFA": "SMS code",
    "SOFTWARE_TOKEN_MFA": "Authenticator app code",
    "EMAIL_OTP": "Email code",
    "SMS_OTP": "SMS code",
}
# An answer may bring another challenge (a new password, then MFA set-up, then an e-mail
# code; or a choice of method, then its code): a few rounds at most.
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


@dataclass(frozen=True)
class _Answering:
    """What answering a sign-in's challenges needs: the pool, the user, the reader, and for an
    MFA set-up the names the authenticator app shows."""

    pool: UserPool
    username: str
    secrets: SecretReader
    issuer: str
    device_name: str | None

    def answer(self, challenge: Challenge) -> Tokens | Challenge:
        """Ask for what ``challenge`` wants (a code, a choice, a set-up, a new password) and
        answer it: tokens, or the next challenge."""
        pool, username = self.pool, self.username
        if challenge.name in _CODE_CHALLENGES:
            where = challenge.parameters.get("CODE_DELIVERY_DESTINATION")
            label = _CODE_CHALLENGES[challenge.name] + (f" (sent to {where})" if where else "")
            code = self.secrets.read(label)
            return pool.login_mfa(username=username, login_session=challenge, mfa_code=code)
        if challenge.name == "NEW_PASSWORD_REQUIRED":
            new_password = self.secrets.read("New password (required by the pool)", confirm=True)
            return pool.login_new_password_required(
                username=username, login_session=challenge, new_password=new_password
            )
        if challenge.name == "SELECT_MFA_TYPE":
            offered = challenge.mfa_types or tuple(MFA_METHODS.values())
            mfa_type = self.secrets.choose_mfa("MFA method", offered)
            return pool.login_select_mfa_type(
                username=username, login_session=challenge, mfa_type=mfa_type
            )
        if challenge.name == "MFA_SETUP":
            return self._set_up(challenge)
        raise UnsupportedChallengeError(
            f"the {challenge.name} challenge cannot be answered from this command line"
        )

    def _set_up(self, challenge: Challenge) -> Tokens | Challenge:
        """MFA_SETUP: enrol an authenticator app (QR code, then a code from it), or give an
        e-mail address for codes (Cognito then sends an EMAIL_OTP challenge)."""
        offered = challenge.mfa_types or ("SOFTWARE_TOKEN_MFA",)
        can = tuple(t for t in ("SOFTWARE_TOKEN_MFA", "EMAIL_OTP") if t in offered)
        if not can:
            raise UnsupportedChallengeError(
                f"MFA_SETUP offers {', '.join(offered)}: only an authenticator app or e-mail "
                "codes can be set up during a sign-in from this command line"
            )
        method = can[0] if len(can) == 1 else self.secrets.choose_mfa("MFA method to set up", can)
        if method == "EMAIL_OTP":
            address = self.secrets.answer("E-mail address for MFA codes")
            return self.pool.login_mfa_setup(
                username=self.username, login_session=challenge, email=address
            )
        secret = self.pool.associate_software_token(login_session=challenge)
        show_totp_secret(secret, issuer=self.issuer, account=account_label(self.username))
        return confirm_with_app_code(
            self.secrets,
            lambda code: self.pool.login_mfa_setup(
                username=self.username,
                login_session=secret,
                mfa_code=code,
                friendly_device_name=self.device_name,
            ),
        )


@pool_command(
    cli,
    "login",
    flows=[
        "login",
        "login_mfa",
        "login_new_password_required",
        "login_select_mfa_type",
        "associate_software_token",
        "login_mfa_setup",
    ],
    stdin=True,
)
@click.argument("username")
@_save_option
@_show_tokens_option
@issuer_option
@device_name_option
def login(
    call: Call,
    username: str,
    save_path: Path | None,
    show_tokens: bool,
    issuer: str,
    device_name: str | None,
) -> Report:
    """Sign USERNAME in with SRP, then answer whatever Cognito asks next.

    MFA codes (SMS, e-mail, authenticator app), a choice of MFA method, an MFA set-up the
    pool requires (an authenticator app: a QR code on stderr, then a code from it; or an
    e-mail address) and a required new password are asked for, in turn. --issuer and
    --device-name apply to an authenticator app set up during this sign-in.
    """
    password = call.secrets.read("Password")
    answering = _Answering(call.pool, username, call.secrets, issuer, device_name)
    answered: list[str] = []
    result = call.pool.login(username=username, password=password)
    while isinstance(result, Challenge):
        if len(answered) >= _MAX_CHALLENGES:
            raise TooManyChallengesError("too many challenges in a row")
        answered.append(result.name)
        result = answering.answer(result)
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
