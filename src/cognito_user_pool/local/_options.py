"""The command-line options of the local Cognito, written once.

Both front ends are built from :data:`OPTIONS`: ``python -m cognito_user_pool.local``
(argparse, ``local/__main__.py``) and ``cognito-user-pool local`` (click, ``cli/_local.py``).
:func:`normalise` turns what they parsed into ``LocalCognito``/``serve`` keyword arguments and
:func:`check` runs ``LocalCognito``'s own checks; both raise :class:`OptionValueError`
``(option, message)``, which each front end reports as its usage error (exit code 2).

This module imports nothing but the standard library at import time, and the ``local``
package loads its other modules on first use: the click front end imports it without the
``[local]`` extra's dependencies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["OPTIONS", "Option", "OptionValueError", "check", "normalise"]

Kind = Literal["text", "int", "flag", "choice", "csv"]


@dataclass(frozen=True)
class Option:
    """One option: ``--name-with-dashes`` on the command line, ``name`` for ``LocalCognito``.

    :param name: the ``LocalCognito``/``serve`` keyword (and the parsers' destination).
    :param kind: ``text``; ``int`` (within ``bounds``); ``flag`` (no value, default False);
        ``choice`` (one of ``choices``); ``csv`` (comma-separated, a list or None).
    :param default: the command-line default, before :func:`normalise`.
    :param help: the help text, shared by both front ends.
    :param metavar: the value's name in the help, if not the parsers' own.
    :param choices: the allowed values of a ``choice``.
    :param bounds: the inclusive range of an ``int``.
    :param repeatable: the option may be given more than once (a list of values).
    :param show_default: the help shows the default.
    """

    name: str
    kind: Kind
    default: Any
    help: str
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    bounds: tuple[int, int] | None = None
    repeatable: bool = False
    show_default: bool = False

    @property
    def flag(self) -> str:
        """``--name-with-dashes``."""
        return "--" + self.name.replace("_", "-")


OPTIONS: tuple[Option, ...] = (
    Option("host", "text", "127.0.0.1", "Address to listen on.", show_default=True),
    Option("port", "int", 0, "Port (0: any free port).", bounds=(0, 65535)),
    Option(
        "region",
        "text",
        None,
        "The pools' region. Default: --pool-id's region, else the state file's, else us-east-1.",
    ),
    Option("client_secret", "flag", False, "Give the app client a secret."),
    Option(
        "mfa",
        "choice",
        "OFF",
        "The pool's MFA configuration.",
        choices=("OFF", "OPTIONAL", "ON"),
        show_default=True,
    ),
    Option(
        "username_attributes",
        "csv",
        "",
        "Comma-separated, e.g. 'email' to sign in with the e-mail address.",
    ),
    Option("alias_attributes", "csv", "", "Comma-separated aliases."),
    Option(
        "first_auth_factors",
        "csv",
        "",
        "Comma-separated factors users may sign in with first (choice-based sign-in, "
        "USER_AUTH), e.g. 'PASSWORD,EMAIL_OTP,SMS_OTP,WEB_AUTHN'. Default: PASSWORD.",
    ),
    Option(
        "web_authn_relying_party_id",
        "text",
        "localhost",
        "The passkeys' relying party id: the domain of the pages that register and use "
        "passkeys (WEB_AUTHN).",
        metavar="DOMAIN",
        show_default=True,
    ),
    Option(
        "web_authn_user_verification",
        "choice",
        "preferred",
        "Whether passkeys must verify the user (PIN, biometrics).",
        choices=("preferred", "required"),
        show_default=True,
    ),
    Option(
        "cors",
        "text",
        (),
        "A browser origin allowed to call the server, e.g. http://localhost:3000 "
        "(repeatable; none by default).",
        metavar="ORIGIN",
        repeatable=True,
    ),
    Option(
        "moto_api",
        "flag",
        False,
        "Serve moto's /moto-api/ (dashboard, data.json with every pool's data, reset).",
    ),
    Option(
        "state",
        "text",
        None,
        "Keep pools, clients, users (password verifiers, not passwords) and pending codes "
        "in FILE across restarts.",
        metavar="FILE",
    ),
    Option("pool_id", "text", None, "Fixed id of the default pool, e.g. us-east-1_AbCdE1234."),
    Option(
        "client_id",
        "text",
        None,
        "Fixed id of the default app client (26 lowercase letters and digits).",
    ),
)


class OptionValueError(ValueError):
    """A bad option value: ``option`` is the flag at fault (``--port``), ``message`` what
    is wrong (never a secret)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


def _one(option: Option, value: Any) -> Any:
    """One value, checked and converted to what ``LocalCognito`` takes."""
    if option.kind == "flag":
        return bool(value)
    if value is None:
        return None
    if option.kind == "int":
        number = int(value)
        if option.bounds is not None and not option.bounds[0] <= number <= option.bounds[1]:
            low, high = option.bounds
            raise OptionValueError(option.flag, f"{number} is not in the range {low}-{high}")
        return number
    if option.kind == "choice" and value not in option.choices:
        raise OptionValueError(option.flag, f"{value!r} is not one of {', '.join(option.choices)}")
    if option.kind == "csv":
        return [item for item in str(value).split(",") if item] or None
    return value


def normalise(values: Mapping[str, Any]) -> dict[str, Any]:
    """What a front end parsed (keyed by :attr:`Option.name`; missing ones take their
    default) as ``LocalCognito``/``serve`` keyword arguments: comma-separated values split
    into lists (None when empty), repeatable ones as lists, numbers and choices checked.

    :raises OptionValueError: for a value out of range or not among the choices.
    """
    options: dict[str, Any] = {}
    for option in OPTIONS:
        value = values.get(option.name, option.default)
        if option.repeatable:
            options[option.name] = [_one(option, item) for item in value or ()]
        else:
            options[option.name] = _one(option, value)
    return options


def check(options: Mapping[str, Any]) -> None:
    """``LocalCognito``'s own checks of :func:`normalise`'s result (ids, regions, origins,
    the state file), before anything starts; needs the ``local`` extra.

    :raises OptionValueError: naming the flag at fault.
    """
    from cognito_user_pool.local import LocalCognito, StateFileError
    from cognito_user_pool.local._errors import OptionError

    try:
        LocalCognito(**options)
    except OptionError as exc:
        raise OptionValueError("--" + exc.option.replace("_", "-"), str(exc)) from None
    except StateFileError as exc:
        raise OptionValueError("--state", str(exc)) from None
