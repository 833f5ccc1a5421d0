"""``login``, ``refresh``, ``logout``: getting, renewing and revoking tokens.

``login`` walks the sign-in's chain of challenges, one answer per challenge: an MFA code, a
choice of MFA method, an MFA set-up, a new password (a few rounds at most). It signs in with
the remembered device of its device file (so MFA is skipped), and with
``--remember-device`` confirms and remembers the device the sign-in announced: ConfirmDevice
needs that sign-in's new-device metadata, which no file keeps, so it is part of ``login``
rather than a ``devices`` command.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from cognito_user_pool import Challenge, RefreshToken, Tokens, UserPool

# The CLI's own two errors live in the one error tree, though only the CLI raises them.
from .._errors import TooManyChallengesError, UnsupportedChallengeError
from ._command import Call, Report, pool_command
from ._common import (
    MFA_METHODS,
    SecretReader,
    device_file_beside,
    saved_fields,
    tokens_json,
    write_token_file,
)
from ._passkeys import Browser, browser_options
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
# The factors SELECT_CHALLENGE may offer that this command answers (a passkey through the
# browser of _passkeys: stdin, or the software authenticator).
_CHOICES = ("EMAIL_OTP", "SMS_OTP", "PASSWORD_SRP", "PASSWORD", "WEB_AUTHN")
# How `login --with` signs in: SRP (login), the password itself (USER_PASSWORD_AUTH), a code
# by e-mail or SMS (USER_AUTH with that preferred challenge), the user's choice among what
# the pool offers (USER_AUTH, then SELECT_CHALLENGE), or the pool's own challenges
# (CUSTOM_AUTH; custom-srp checks the password first, by SRP).
_METHODS = (
    "srp",
    "password",
    "email-code",
    "sms-code",
    "passkey",
    "choice",
    "custom",
    "custom-srp",
)
_PREFERRED = {"email-code": "EMAIL_OTP", "sms-code": "SMS_OTP", "passkey": "WEB_AUTHN"}
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
    browser: Browser

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
        if challenge.name == "SELECT_CHALLENGE":
            return self._select(challenge)
        if challenge.name == "WEB_AUTHN":
            options = challenge.credential_request_options
            if options is None:
                raise UnsupportedChallengeError("WEB_AUTHN came without its request options")
            return pool.login_web_authn(
                username=username, login_session=challenge, credential=self.browser.get(options)
            )
        if challenge.name == "CUSTOM_CHALLENGE":
            # The create trigger's public parameters say what is asked (a question, where a
            # link or code went); the answer is a secret like a code.
            shown = ", ".join(
                f"{k}={v}" for k, v in sorted(challenge.parameters.items()) if k != "USERNAME"
            )
            answer = self.secrets.read("Answer" + (f" ({shown})" if shown else ""))
            return pool.login_custom_challenge(
                username=username, login_session=challenge, answer=answer
            )
        raise UnsupportedChallengeError(
            f"the {challenge.name} challenge cannot be answered from this command line"
        )

    def _select(self, challenge: Challenge) -> Tokens | Challenge:
        """SELECT_CHALLENGE: the user picks a factor Cognito offers (a code by e-mail or SMS,
        or the password, sent with SRP when Cognito offers it)."""
        offered = tuple(c for c in challenge.available if c in _CHOICES)
        if not offered:
            raise UnsupportedChallengeError(
                f"SELECT_CHALLENGE offers {', '.join(challenge.available) or 'nothing'}: none "
                "can be answered from this command line"
            )
        if "PASSWORD_SRP" in offered and "PASSWORD" in offered:
            offered = tuple(c for c in offered if c != "PASSWORD")  # the same, kept local
        answer = (
            offered[0] if len(offered) == 1 else self.secrets.choose_mfa("Sign in with", offered)
        )
        password = self.secrets.read("Password") if answer in ("PASSWORD", "PASSWORD_SRP") else None
        return self.pool.select_challenge(
            username=self.username,
            login_session=challenge,
            answer=answer,  # type: ignore[arg-type]
            password=password,
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
        "confirm_device",
        "update_device_status",
        "user_auth",
        "select_challenge",
        "user_password_auth",
        "custom_auth",
        "login_custom_challenge",
        "login_web_authn",
    ],
    stdin=True,
    devices=True,
)
@click.argument("username")
@click.option(
    "--with",
    "method",
    type=click.Choice(_METHODS),
    default="srp",
    show_default=True,
    help="How to sign in: SRP (the password stays here), the password itself "
    "(USER_PASSWORD_AUTH), a one-time code by e-mail or SMS, a passkey, the user's choice "
    "among the factors the pool offers (choice-based sign-in, USER_AUTH), or the pool's "
    "custom challenges (CUSTOM_AUTH; custom-srp: the password first).",
)
@_save_option
@_show_tokens_option
@issuer_option
@device_name_option
@browser_options
@click.option(
    "--remember-device",
    is_flag=True,
    help="Confirm and remember the device this sign-in announces (pools that track "
    "devices): its next sign-ins skip MFA. Its secrets go to the device file.",
)
@click.option(
    "--remember-as",
    metavar="NAME",
    help="The name `devices list` shows for it (default: this host's name); implies "
    "--remember-device.",
)
def login(
    call: Call,
    username: str,
    method: str,
    save_path: Path | None,
    show_tokens: bool,
    issuer: str,
    device_name: str | None,
    soft_file: Path | None,
    origin: str,
    remember_device: bool,
    remember_as: str | None,
) -> Report:
    """Sign USERNAME in (SRP unless --with says otherwise), then answer whatever Cognito
    asks next.

    --with email-code (or sms-code) signs in without a password: Cognito sends a one-time
    code, which is asked for. --with passkey prints the options for the browser's
    navigator.credentials.get on stderr and reads its credential JSON from stdin (or lets
    --soft-authenticator answer). --with choice lists the factors the pool offers this user.

    MFA codes (SMS, e-mail, authenticator app), a choice of MFA method, an MFA set-up the
    pool requires (an authenticator app: a QR code on stderr, then a code from it; or an
    e-mail address) and a required new password are asked for, in turn. --issuer and
    --device-name apply to an authenticator app set up during this sign-in.

    A device remembered in the device file (--devices, else the one beside --save) signs
    in too, and skips MFA. --remember-device confirms and remembers this one.
    """
    remember = remember_device or remember_as is not None
    if call.device_file is None and save_path is not None:
        call.use_device_file(device_file_beside(save_path))
    elif call.device_file is None and remember:
        raise click.UsageError("--remember-device needs a device file: pass --save or --devices")
    browser = Browser(soft_file, origin)
    answering = _Answering(call.pool, username, call.secrets, issuer, device_name, browser)
    answered: list[str] = []
    result = _start(call, username, method)
    while isinstance(result, Challenge):
        if len(answered) >= _MAX_CHALLENGES:
            raise TooManyChallengesError("too many challenges in a row")
        answered.append(result.name)
        result = answering.answer(result)
    tokens = result
    if save_path is not None:
        write_token_file(save_path, tokens, username=username, pool=saved_fields(call.config))
    device = _remember(call, tokens, remember_as or socket.gethostname()) if remember else None

    def human(c: Console) -> None:
        steps = f" after {', '.join(answered)}" if answered else ""
        c.print(
            f"Signed in as {username}{steps}. "
            f"The access token expires at {_when(tokens.access_token_expires_at)}."
        )
        _saved_line(c, save_path)
        if device is not None:
            c.print(
                f"This device ({device['name']}, {device['device_key']}) is remembered: "
                f"its next sign-ins skip MFA. Its secrets are in {call.device_file} (mode 0600)."
            )
        elif remember:
            c.print(
                "Cognito announced no new device: the pool does not track devices, or this "
                "sign-in used a device it knows (`devices list`)."
            )
        if show_tokens:
            _print_tokens(c, tokens)

    data: dict[str, Any] = {
        "username": username,
        "challenges": answered,
        **tokens_json(tokens, show=show_tokens),
        "saved_to": str(save_path) if save_path is not None else None,
    }
    if remember:
        data["remembered_device"] = device
    return Report(data, human)


def _start(call: Call, username: str, method: str) -> Tokens | Challenge:
    """The sign-in's first request, by ``--with``; the password is read only where sent."""
    if method in _PREFERRED:
        preferred = _PREFERRED[method]
        return call.pool.user_auth(username=username, preferred_challenge=preferred)  # type: ignore[arg-type]
    if method == "choice":
        return call.pool.user_auth(username=username)
    if method == "custom":
        return call.pool.custom_auth(username=username)
    password = call.secrets.read("Password")
    if method == "custom-srp":
        return call.pool.custom_auth(username=username, password=password)
    if method == "password":
        return call.pool.user_password_auth(username=username, password=password)
    return call.pool.login(username=username, password=password)


def _remember(call: Call, tokens: Tokens, name: str) -> dict[str, str] | None:
    """Confirm the device this sign-in announced, then remember it where the pool waits for
    the user's word; ``None`` when Cognito announced none."""
    if tokens.new_device is None:
        return None
    key = tokens.new_device.device_key
    if call.pool.confirm_device(auth=tokens, device=tokens, device_name=name):
        call.pool.update_device_status(auth=tokens, device_key=key, remembered=True)
    return {"device_key": key, "name": name}


@pool_command(cli, "refresh", flows=["refresh_session"], tokens=True, devices=True)
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


@pool_command(cli, "logout", flows=["logout", "revoke_token"], tokens=True)
@click.option(
    "--this-session",
    is_flag=True,
    help="Sign out this session only (RevokeToken on the saved refresh token); the "
    "user's other sessions stay signed in.",
)
def logout(call: Call, this_session: bool) -> Report:
    """Sign out everywhere (GlobalSignOut): every token of the user is revoked. With
    --this-session, only the saved session's tokens are (RevokeToken)."""
    if this_session:
        refresh_token = call.saved.get("refresh_token")
        if not isinstance(refresh_token, str) or not refresh_token:
            raise click.BadParameter(
                "the token file has no refresh_token, which --this-session revokes",
                param_hint="--tokens",
            )
        call.pool.revoke_token(auth=RefreshToken(refresh_token))
        return Report(
            {"signed_out": True, "everywhere": False},
            lambda c: c.print(
                f"Signed out this session; the tokens in {call.tokens_path} are revoked, "
                "the user's other sessions are not."
            ),
        )
    call.pool.logout(auth=call.auth())
    return Report(
        {"signed_out": True, "everywhere": True},
        lambda c: c.print(f"Signed out everywhere; the tokens in {call.tokens_path} are revoked."),
    )
