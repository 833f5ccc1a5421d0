"""``demo``: the whole user lifecycle against an embedded strict local Cognito (or a real
pool with ``--real``), every flow, each outcome checked.

The demo's steps (``_demo_steps.Demo``) run on the blocking ``UserPool``, like every other
command: plain calls, prompts and outbox waits on the command's own thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cognito_user_pool import FLOWS, UserPool

from ._command import json_option, pool_options, settings_from
from ._common import Output, SecretReader, require_local
from ._demo_choice import MagicCode
from ._demo_steps import (
    Demo,
    OutboxCodes,
    PromptCodes,
    RequiredMfaPool,
    StepRecord,
    invite_with_admin,
)
from ._root import cli

if TYPE_CHECKING:
    from cognito_user_pool.local import LocalCognito

__all__ = ["demo"]


def _run(runner: Demo) -> bool:
    """Run the demo's steps, its pools open around them."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(runner.pool)
        if runner.required is not None:
            stack.enter_context(runner.required.pool)
        return runner.run()


@contextmanager
def _isolated_from_aws_config() -> Iterator[None]:
    """The embedded demo must work on any machine: a profile that does not exist, a config
    file with odd settings or an HTTP proxy must not reach the loopback calls."""
    saved = dict(os.environ)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        os.environ.pop(name, None)
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    for name in ("NO_PROXY", "no_proxy"):
        current = os.environ.get(name, "")
        os.environ[name] = ",".join(filter(None, [current, "127.0.0.1", "localhost"]))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def _quiet_local_server() -> Iterator[None]:
    """The local server's request log (werkzeug) would interleave with the demo's steps."""
    logger = logging.getLogger("werkzeug")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _plus_address(email: str, tag: str) -> str:
    local_part, at, domain = email.partition("@")
    return f"{local_part}+{tag}@{domain}" if at else email


def _outcome_text(record: StepRecord) -> str:
    """``ok``, the error code Cognito answered, ``skipped``, or what went wrong."""
    if record.passed or record.outcome in ("skipped", "not run"):
        return record.outcome
    return f"{record.outcome} (expected {record.expected})"


def _mark(record: StepRecord) -> str:
    if record.outcome == "skipped":
        return "[yellow]-[/]"
    return "[green]✓[/]" if record.passed else "[red]✗[/]"


@contextmanager
def _started(local: LocalCognito) -> Iterator[LocalCognito]:
    """Start the local Cognito, turning a failed start into a clear error (exit 1)."""
    try:
        local.start()
    except (RuntimeError, OSError) as exc:
        raise click.ClickException(f"the local Cognito did not start: {exc}") from exc
    try:
        yield local
    finally:
        local.stop()


def _step_line(console: Console, record: StepRecord, total: int) -> None:
    refused = record.passed and record.expected != "ok"
    outcome = f"{record.outcome}, as expected" if refused else _outcome_text(record)
    console.print(
        f"{_mark(record)} [bold]{record.number:>2}/{total}[/] {escape(record.step)} "
        f"[dim]({record.flow})[/] → {escape(outcome)}: {escape(record.detail)} "
        f"[dim]{record.ms:.0f} ms[/]"
    )


def _summary(console: Console, demo: Demo, seconds: float) -> None:
    if not console.is_terminal:
        console.width = max(console.width, 120)  # piped: room for the table on one line each
    console.print()
    table = Table(title="Summary (✓: Cognito did what the step expects)", title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("step")
    table.add_column("flow", no_wrap=True)
    table.add_column("outcome", no_wrap=True)
    table.add_column("ms", justify="right", no_wrap=True)
    for r in demo.records:
        table.add_row(
            str(r.number),
            escape(r.step),
            r.flow,
            f"{_mark(r)} {escape(_outcome_text(r))}",
            f"{r.ms:.0f}",
        )
    console.print(table)
    covered = demo.flows_covered
    console.print(f"Flows exercised: {len(covered)}/{len(FLOWS)}")
    passed = sum(r.passed for r in demo.records)
    verdict = "[green]as expected[/]" if demo.ok else "[red]NOT as expected[/]"
    console.print(f"{passed}/{len(demo.records)} steps {verdict} in {seconds:.1f} s.")


def _demo_json(demo: Demo, mode: str, seconds: float) -> dict[str, Any]:
    covered = demo.flows_covered
    return {
        "ok": demo.ok,
        "mode": mode,
        "username": demo.username,
        "seconds": round(seconds, 2),
        "steps": [r.as_json() for r in demo.records],
        "flows": {
            "covered": covered,
            "missing": [f.name for f in FLOWS if f.name not in covered],
        },
    }


def _with_options(f: Any) -> Any:
    """The pool options and --json (for --real), as every pool command has them."""
    params = getattr(f, "__click_params__", [])
    f.__click_params__ = [json_option(), *reversed(pool_options()), *params]
    return f


@cli.command()
@click.option(
    "--real",
    is_flag=True,
    help="Run against the pool from flags/environment instead of the local Cognito "
    "(codes are then asked for; the user stays in the pool).",
)
@click.option("--username", help="The demo user's name (default: demo-<random>).")
@click.option("--email", help="With --real: an address you can read the codes of.")
@click.option(
    "--new-email",
    help="With --real: the address the email is changed to, whose code you can read "
    "(default: --email plus-addressed, user+cognito-demo@domain).",
)
@click.option("--phone-number", help="With --real: an E.164 number that receives SMS.")
@click.option(
    "--email-mfa",
    is_flag=True,
    help="With --real: the pool offers e-mail MFA (Essentials plan, SES): run its steps.",
)
@_with_options
def demo(
    real: bool,
    username: str | None,
    email: str | None,
    new_email: str | None,
    phone_number: str | None,
    email_mfa: bool,
    as_json: bool,
    **params: Any,
) -> None:
    """Run the whole user lifecycle, every flow, and check each outcome.

    Sign up, resend, a wrong code refused, confirm, a wrong password refused, login, an
    invited user's new password and MFA set-up in a pool that requires MFA, a remembered
    device that skips MFA there (then forgotten), profile, attribute update, delete, code
    sent again and verification, phone number, SMS MFA (challenge, code, wrong code
    refused), an authenticator app (enrolment, a choice of method, a wrong code refused,
    its code), MFA preferences and factors, an e-mail code sign-in, refresh, password
    change, forgot/reset, one session signed out while another stays, logout, the revoked
    token refused, and the invited user's account deleted. Codes are read
    from the local Cognito's outbox, app codes made by pyotp, none printed; passwords are
    random. Exit code 0 when every step behaved as expected, 1 otherwise.
    """
    settings = settings_from(params)
    out = Output(as_json)
    console = out.console
    suffix = secrets.token_hex(3)
    username = username or f"demo-{suffix}"
    started = time.perf_counter()

    def report(record: StepRecord) -> None:
        if not as_json:
            _step_line(console, record, runner.total)

    if real:
        if not email or not phone_number:
            raise click.UsageError("--real needs --email and --phone-number to receive codes")
        reader = SecretReader(False)
        pool = UserPool.from_config(settings.config(reader))
        runner = Demo(
            pool=pool,
            codes=PromptCodes(),
            report=report,
            username=username,
            email=email,
            new_email=new_email or _plus_address(email, "cognito-demo"),
            phone_number=phone_number,
            email_mfa=email_mfa,
        )
        if not as_json:
            console.print(
                f"Demo against the pool {pool.config.user_pool_id} ({pool.config.region}); "
                f"user {username}. Type each code Cognito sends (hidden), and scan the QR "
                "code shown with an authenticator app. The user stays in the pool "
                "afterwards: delete it with the AWS console or CLI.\n"
            )
        ok = _run(runner)
        mode = "real"
    else:
        local_module = require_local()
        LocalCognito = local_module.LocalCognito
        if not as_json:
            console.print("Starting the embedded strict local Cognito...")
        # The pool's custom-auth triggers: a magic code the demo then answers.
        magic = MagicCode()
        triggers = local_module.CustomAuthTriggers(magic.define, magic.create, magic.verify)
        with (
            _isolated_from_aws_config(),
            _quiet_local_server(),
            _started(
                LocalCognito(
                    client_secret=True,
                    mfa="OPTIONAL",
                    email_mfa=True,
                    first_auth_factors=("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"),
                    triggers=triggers,
                )
            ) as local,
        ):
            pool = UserPool.from_config(local.pool().config)
            # The invited user's pool requires MFA and offers no e-mail MFA, so that a user
            # with no phone number is asked to set MFA up (MFA_SETUP) rather than sent a code.
            # It also remembers devices on the user's word, for the remembered-device steps.
            required = local.create_pool(
                mfa="ON",
                email_mfa=False,
                remember_devices="user_opt_in",
                name="demo-mfa-required",
            )
            runner = Demo(
                pool=pool,
                codes=OutboxCodes(local.outbox),
                report=report,
                username=username,
                email=f"{username}@example.com",
                new_email=f"{username}.new@example.com",
                phone_number=phone_number or "+15555550100",
                required=RequiredMfaPool(
                    UserPool.from_config(required.pool().config),
                    invite_with_admin(local.admin, required.user_pool_id),
                ),
                email_mfa=True,
                custom_answer=lambda: magic.last,
                # Plays the browser at the page http://localhost (the local relying party).
                authenticator=local_module.SoftAuthenticator(origin="http://localhost"),
            )
            if not as_json:
                console.print(
                    f"Local Cognito at {local.endpoint_url}: pool {local.user_pool_id} "
                    "(app client with a secret; SMS, app and e-mail MFA optional) and pool "
                    f"{required.user_pool_id} (MFA required); user {username}.\n"
                    "Codes are read from its outbox, app codes made by pyotp; none is shown. "
                    "Passwords are random; a software authenticator plays the browser for "
                    "passkeys.\n"
                )
            ok = _run(runner)
        mode = "local"
    seconds = time.perf_counter() - started
    out.result(_demo_json(runner, mode, seconds), lambda c: _summary(c, runner, seconds))
    if not ok:
        raise click.exceptions.Exit(1)
