"""``admin users login|groups|devices|events``: a user's sign-ins and what they lead to.

``login`` signs a user in on the server side (AdminInitiateAuth, ADMIN_USER_PASSWORD_AUTH)
and answers the challenges that follow at hidden prompts (or from stdin): a new password,
an MFA code, a choice of MFA method. It needs the app client (``--client-id``), which must
allow ADMIN_USER_PASSWORD_AUTH. Tokens are written only with ``--save`` (mode 0600, the
token file of ``login --save``) and never printed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from cognito_user_pool import AuthEvent, Challenge, Tokens

from .._errors import TooManyChallengesError, UnsupportedChallengeError
from ._admin_command import AdminCall, Listing, admin_command, group_json, users
from ._command import Report
from ._common import epoch, write_token_file
from ._devices import _device_json

__all__ = ["users_devices", "users_events", "users_groups", "users_login"]

_username = click.argument("username")
# Challenges answered in a row before giving up, as `login` does.
_MAX_CHALLENGES = 5
# The code challenges, and the response each code goes in.
_CODE_ANSWERS = {
    "SMS_MFA": ("SMS_MFA_CODE", "SMS code"),
    "SOFTWARE_TOKEN_MFA": ("SOFTWARE_TOKEN_MFA_CODE", "Authenticator app code"),
    "EMAIL_OTP": ("EMAIL_OTP_CODE", "E-mail code"),
}


def _answer(call: AdminCall, challenge: Challenge) -> dict[str, str]:
    """The ``ChallengeResponses`` for ``challenge``, asked at a hidden prompt or read from stdin.

    :raises UnsupportedChallengeError: a challenge that needs more than a typed answer.
    """
    if challenge.name == "NEW_PASSWORD_REQUIRED":
        return {"NEW_PASSWORD": call.secrets.read("New password", confirm=True)}
    if challenge.name in _CODE_ANSWERS:
        key, label = _CODE_ANSWERS[challenge.name]
        return {key: call.secrets.read(label)}
    if challenge.name == "SELECT_MFA_TYPE":
        return {"ANSWER": call.secrets.choose_mfa("MFA method", challenge.mfa_types)}
    raise UnsupportedChallengeError(
        f"admin users login cannot answer {challenge.name}: use `cognito-user-pool login`"
    )


@admin_command(
    users,
    "login",
    operations=["admin_initiate_auth", "admin_respond_to_auth_challenge"],
    stdin=True,
)
@_username
@click.option(
    "--save",
    "save_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the tokens to this file (JSON, mode 0600), as `login --save` does.",
)
def users_login(call: AdminCall, username: str, save_path: Path | None) -> Report:
    """Sign USERNAME in with their password on the server side (AdminInitiateAuth,
    ADMIN_USER_PASSWORD_AUTH; needs --client-id), then answer each challenge
    (AdminRespondToAuthChallenge): a new password, an MFA code, an MFA method."""
    if call.admin.config.client_id is None:
        raise click.UsageError("admin users login needs the app client: pass --client-id")
    password = call.secrets.read("Password")
    result: Tokens | Challenge = call.admin.admin_initiate_auth(
        username=username, password=password
    )
    challenges: list[str] = []
    while isinstance(result, Challenge):
        if len(challenges) == _MAX_CHALLENGES:
            raise TooManyChallengesError(
                f"Cognito asked for more than {_MAX_CHALLENGES} challenges in a row"
            )
        challenges.append(result.name)
        result = call.admin.admin_respond_to_auth_challenge(
            challenge=result, responses=_answer(call, result)
        )
    if save_path is not None:
        config = call.admin.config
        fields = {
            "user_pool_id": config.user_pool_id,
            "client_id": config.client_id,
            "region": config.region,
            "endpoint_url": config.endpoint_url,
        }
        write_token_file(save_path, result, username=username, pool=fields)
    data = {
        "username": username,
        "challenges": challenges,
        "token_type": result.token_type,
        "access_token_expires_at": result.access_token_expires_at,
        "id_token_expires_at": result.id_token_expires_at,
        "saved_to": None if save_path is None else str(save_path),
    }

    def human(c: Console) -> None:
        c.print(f"{username} signed in" + (f" ({', '.join(challenges)})." if challenges else "."))
        if save_path is not None:
            c.print(f"Tokens saved to {save_path} (mode 0600).")
        else:
            c.print("Tokens not kept: pass --save PATH to keep them.")

    return Report(data, human)


def _count(console: Console, items: Iterator[Mapping[str, Any]], what: str, line: Any) -> None:
    count = 0
    for item in items:
        count += 1
        console.print(line(item))
    console.print(f"{count} {what}.")


@admin_command(users, "groups", operations=["admin_list_groups_for_user"])
@_username
def users_groups(call: AdminCall, username: str) -> Listing:
    """The groups USERNAME is in (AdminListGroupsForUser, every page); --json: JSON lines."""
    found = call.admin.admin_list_groups_for_user(username=username)
    return Listing(
        (group_json(g) for g in found),
        lambda c, items: _count(c, items, "group(s)", lambda g: g["name"]),
    )


@admin_command(users, "devices", operations=["admin_list_devices"])
@_username
def users_devices(call: AdminCall, username: str) -> Listing:
    """The devices USERNAME signed in from, on pools that track devices (AdminListDevices,
    every page); --json: JSON lines."""
    found = call.admin.admin_list_devices(username=username)

    def line(d: Mapping[str, Any]) -> str:
        name = f" {d['name']!r}" if d["name"] else ""
        status = {None: "tracked", True: "remembered", False: "not remembered"}[d["remembered"]]
        return f"{d['device_key']}{name}: {status}"

    return Listing((_device_json(d) for d in found), lambda c, i: _count(c, i, "device(s)", line))


def _event_json(event: AuthEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "created": epoch(event.created),
        "response": event.response,
        "risk_level": event.risk_level,
        "risk_decision": event.risk_decision,
        "ip_address": event.ip_address,
        "device_name": event.device_name,
    }


@admin_command(users, "events", operations=["admin_list_user_auth_events"])
@_username
def users_events(call: AdminCall, username: str) -> Listing:
    """USERNAME's sign-ins and other auth events, newest first (AdminListUserAuthEvents;
    only pools with threat protection record them); --json: JSON lines."""
    found = call.admin.admin_list_user_auth_events(username=username)

    def line(e: Mapping[str, Any]) -> str:
        risk = f", risk {e['risk_level']}" if e["risk_level"] else ""
        return f"{e['created']} {e['event_type']}: {e['response']}{risk}"

    return Listing((_event_json(e) for e in found), lambda c, i: _count(c, i, "event(s)", line))
