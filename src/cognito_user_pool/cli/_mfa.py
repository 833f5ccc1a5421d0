"""``mfa on|off|status|prefer`` and ``mfa totp setup``: the signed-in user's MFA methods.

``mfa on``/``off`` are the Node library's pair (SMS only); ``mfa totp setup`` enrols an
authenticator app (a QR code on the terminal, then a code from the app); ``mfa prefer`` turns a
method on and makes it the one Cognito asks for; ``mfa status`` reads them all back.
"""

from __future__ import annotations

import click
from rich.console import Console

from cognito_user_pool import CognitoError, MfaSettings

from ._command import Call, Report, pool_command, subgroup
from ._common import MFA_METHODS, NOT_OFFERED
from ._root import cli
from ._totp import (
    account_label,
    check_label,
    confirm_with_app_code,
    device_name_option,
    issuer_option,
    show_totp_secret,
)

__all__ = ["mfa", "mfa_off", "mfa_on", "mfa_prefer", "mfa_status", "mfa_totp_setup", "totp"]

# How the human output names each method.
_TITLES = {
    "SMS_MFA": "SMS codes",
    "SOFTWARE_TOKEN_MFA": "the authenticator app",
    "EMAIL_OTP": "e-mail codes",
}


@cli.group()
def mfa() -> None:
    """MFA of the signed-in user: SMS on/off, an authenticator app (totp setup), the
    preferred method, status."""


totp = subgroup(mfa, "totp", "The signed-in user's authenticator app (TOTP): setup.")


def _switch(call: Call, enable: bool) -> Report:
    call.pool.set_mfa(enable_mfa=enable, auth=call.auth())
    return Report(
        {"sms_mfa": enable},
        lambda c: c.print(f"SMS MFA {'on (and preferred)' if enable else 'off'}."),
    )


@pool_command(mfa, "on", flows=["set_mfa"], tokens=True)
def mfa_on(call: Call) -> Report:
    """Turn SMS MFA on and make it preferred (needs a phone number)."""
    return _switch(call, True)


@pool_command(mfa, "off", flows=["set_mfa"], tokens=True)
def mfa_off(call: Call) -> Report:
    """Turn SMS MFA off."""
    return _switch(call, False)


def _settings_line(settings: MfaSettings | None) -> str:
    if settings is None:
        return "MFA: off"
    return f"MFA: {', '.join(settings.enabled)} (preferred: {settings.preferred})"


@pool_command(mfa, "status", flows=["get_user_auth_factors", "get_mfa"], tokens=True)
def mfa_status(call: Call) -> Report:
    """Show the MFA methods enabled and the preferred one (GetUserAuthFactors, with the
    factors the user can sign in with; GetUser where the pool does not offer it)."""
    auth = call.auth()
    configured: list[str] | None
    try:
        factors = call.pool.get_user_auth_factors(auth=auth)
        settings, configured, source = factors.mfa, list(factors.configured), "GetUserAuthFactors"
    except CognitoError as exc:
        if exc.code not in NOT_OFFERED:
            raise
        settings, configured, source = call.pool.get_mfa(auth=auth), None, "GetUser"
    enabled = list(settings.enabled) if settings else []
    preferred = settings.preferred if settings else None

    def human(c: Console) -> None:
        c.print(_settings_line(settings))
        if configured is not None:
            c.print(f"Sign-in factors: {', '.join(configured) or 'none'}")

    return Report(
        {
            "enabled": enabled,
            "preferred": preferred,
            "configured_factors": configured,
            "source": source,
        },
        human,
    )


@pool_command(mfa, "prefer", flows=["set_user_mfa_preference"], tokens=True)
@click.argument("method", type=click.Choice(list(MFA_METHODS), case_sensitive=False))
def mfa_prefer(call: Call, method: str) -> Report:
    """Turn METHOD (sms, totp or email) on and make it the one Cognito asks for.

    totp needs an authenticator app set up first (`mfa totp setup`), sms a phone number,
    email an e-mail address and a pool that offers e-mail MFA. The other methods stay as
    they are.
    """
    preferred = MFA_METHODS[method.lower()]
    call.pool.set_user_mfa_preference(auth=call.auth(), preferred=preferred)
    return Report(
        {"preferred": preferred},
        lambda c: c.print(f"MFA with {_TITLES[preferred]} on, and preferred ({preferred})."),
    )


@pool_command(mfa, "disable", flows=["set_user_mfa_preference"], tokens=True)
@click.argument("method", type=click.Choice(list(MFA_METHODS), case_sensitive=False))
def mfa_disable(call: Call, method: str) -> Report:
    """Turn METHOD (sms, totp or email) off; the other methods stay as they are.

    An authenticator app stays enrolled: `mfa prefer totp` turns it on again.
    """
    disabled = MFA_METHODS[method.lower()]
    call.pool.set_user_mfa_preference(
        auth=call.auth(),
        sms_mfa=False if disabled == "SMS_MFA" else None,
        software_token_mfa=False if disabled == "SOFTWARE_TOKEN_MFA" else None,
        email_mfa=False if disabled == "EMAIL_OTP" else None,
    )
    return Report(
        {"disabled": disabled},
        lambda c: c.print(f"MFA with {_TITLES[disabled]} off ({disabled})."),
    )


@pool_command(
    totp,
    "setup",
    flows=["associate_software_token", "verify_software_token", "set_user_mfa_preference"],
    tokens=True,
    stdin=True,
)
@issuer_option
@click.option(
    "--account",
    callback=check_label,
    help="The account name the app shows under the issuer (default: the token file's user).",
)
@device_name_option
@click.option("--prefer", is_flag=True, help="Also make the app the preferred MFA method.")
def mfa_totp_setup(
    call: Call, issuer: str, account: str | None, device_name: str | None, prefer: bool
) -> Report:
    """Enrol an authenticator app and turn TOTP MFA on.

    Shows a QR code and the otpauth:// URI on stderr (the secret, shown this once, never in
    --json), asks for a code from the app (hidden; from stdin with --password-stdin),
    confirms it with Cognito, then turns TOTP MFA on (and preferred, with --prefer).
    """
    saved_user = call.saved.get("username")
    if account is None:
        if not isinstance(saved_user, str) or not saved_user:
            raise click.UsageError("the token file names no user: pass --account NAME")
        account = account_label(saved_user)
    auth = call.auth()
    secret = call.pool.associate_software_token(auth=auth)
    show_totp_secret(secret, issuer=issuer, account=account)
    confirm_with_app_code(
        call.secrets,
        lambda code: call.pool.verify_software_token(
            auth=auth, user_code=code, friendly_device_name=device_name
        ),
    )
    preferred = "SOFTWARE_TOKEN_MFA" if prefer else None
    call.pool.set_user_mfa_preference(auth=auth, software_token_mfa=True, preferred=preferred)

    def human(c: Console) -> None:
        named = f" ({device_name})" if device_name else ""
        c.print(
            f"Authenticator app{named} confirmed; TOTP MFA on"
            + (" and preferred." if prefer else ".")
        )

    return Report(
        {"software_token_mfa": True, "preferred": prefer, "device_name": device_name},
        human,
    )
