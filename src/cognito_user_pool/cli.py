"""The ``cognito-user-pool`` command line (extra ``[cli]``), built on the public API only.

``cognito-user-pool demo`` runs every flow against an embedded strict local Cognito;
``cognito-user-pool local`` serves one in the foreground; the other commands act on a pool
given by flags or by the variables ``AsyncUserPool.from_env()`` reads.

Secrets never come from argv: passwords and codes are read with hidden prompts or from
stdin (``--password-stdin``), the client secret from ``COGNITO_CLIENT_SECRET`` or a hidden
prompt (``--ask-client-secret``). Tokens are written only with ``--save PATH`` (mode 0600)
and printed only with ``--show-tokens``.

Exit codes: 0 ok, 1 Cognito said no (``<code>: <message>`` on stderr), 2 usage error.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

import anyio
import anyio.to_thread
import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cognito_user_pool import (
    FLOWS,
    AsyncUserPool,
    Challenge,
    Tokens,
    UserProfile,
    __version__,
)

from ._cli._common import (
    Output,
    PoolSettings,
    SecretReader,
    delivery_json,
    read_token_file,
    tokens_json,
    write_token_file,
)
from ._cli._demo import Demo, OutboxCodes, PromptCodes, StepRecord, invite_with_admin

# The CLI's own two errors live in the one error tree, though only the CLI raises them.
from ._errors import TooManyChallengesError, UnsupportedChallengeError

if TYPE_CHECKING:
    from cognito_user_pool.local import LocalCognito

__all__ = ["cli", "main"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

# Challenges answered with a code the user received or reads from an authenticator app.
_CODE_CHALLENGES = {
    "SMS_MFA": "SMS code",
    "SOFTWARE_TOKEN_MFA": "Authenticator app code",
    "EMAIL_OTP": "Email code",
    "SMS_OTP": "SMS code",
}
# An answer may bring another challenge (a new password, then MFA): a few rounds at most.
_MAX_CHALLENGES = 5
# The access token is refreshed first when it expires within this many seconds.
_EXPIRY_MARGIN = 30


# ---- shared options ---------------------------------------------------------------------


def _json_option(f: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document (see docs/cli.md)."
    )(f)


def _stdin_option(f: F) -> F:
    return click.option(
        "--password-stdin",
        "--stdin",
        "from_stdin",
        is_flag=True,
        help="Read the secrets this command asks for (password, code, new password, ...) "
        "from stdin, one per line, in prompt order, instead of hidden prompts.",
    )(f)


def _pool_options(f: F) -> F:
    """--pool-id, --client-id, --region, --endpoint-url, --ask-client-secret -> settings."""
    options = [
        click.option(
            "--pool-id", envvar="COGNITO_USER_POOL_ID", show_envvar=True, help="User pool id."
        ),
        click.option(
            "--client-id", envvar="COGNITO_CLIENT_ID", show_envvar=True, help="App client id."
        ),
        click.option(
            "--region",
            envvar="AWS_REGION",
            show_envvar=True,
            help="AWS region (default: the pool id's prefix).",
        ),
        click.option(
            "--endpoint-url",
            envvar="COGNITO_ENDPOINT_URL",
            show_envvar=True,
            help="A custom endpoint, such as a local Cognito.",
        ),
        click.option(
            "--ask-client-secret",
            is_flag=True,
            help="Ask for the app client secret with a hidden prompt "
            "(else COGNITO_CLIENT_SECRET is used, if set).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _settings(params: dict[str, Any]) -> PoolSettings:
    """Take the pool options out of a command's keyword arguments."""
    return PoolSettings(
        user_pool_id=params.pop("pool_id"),
        client_id=params.pop("client_id"),
        region=params.pop("region"),
        endpoint_url=params.pop("endpoint_url"),
        ask_client_secret=params.pop("ask_client_secret"),
    )


def _tokens_option(f: F) -> F:
    return click.option(
        "--tokens",
        "tokens_path",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="A token file written by `login --save`.",
    )(f)


def _check_save_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    # Checked before any request, so that a typo does not cost the tokens of a login.
    if value is not None and not value.expanduser().parent.is_dir():
        raise click.BadParameter(f"no directory {str(value.parent)!r} to save the tokens in")
    return value


def _save_option(f: F) -> F:
    return click.option(
        "--save",
        "save_path",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        callback=_check_save_path,
        help="Keep the tokens in this file (JSON, mode 0600).",
    )(f)


def _show_tokens_option(f: F) -> F:
    return click.option(
        "--show-tokens", is_flag=True, help="Print the tokens themselves (they are secrets)."
    )(f)


def _run(pool: AsyncUserPool, flow: Callable[[AsyncUserPool], Awaitable[T]]) -> T:
    """Run one command's coroutine with ``anyio.run``, the pool open around it."""

    async def main() -> T:
        async with pool:
            return await flow(pool)

    return anyio.run(main)


class _TokenArgs(TypedDict, total=False):
    """The token keyword arguments of the signed-in flows."""

    access_token: str
    id_token: str
    refresh_token: str


def _signed_in(saved: dict[str, Any]) -> _TokenArgs:
    """Token keyword arguments for a user flow: the access token while it is fresh, else
    the refresh token (the flow then gets a new access token first)."""
    expires = saved.get("access_token_expires_at")
    refresh = saved.get("refresh_token")
    fresh = not isinstance(expires, int) or expires > time.time() + _EXPIRY_MARGIN
    if fresh or not isinstance(refresh, str) or not refresh:
        return {"access_token": saved["access_token"]}
    return {"refresh_token": refresh, "id_token": saved["id_token"]}


def _load(
    tokens_path: Path, settings: PoolSettings, reader: SecretReader
) -> tuple[AsyncUserPool, dict[str, Any]]:
    saved = read_token_file(tokens_path)
    return settings.with_defaults(saved).build(reader), saved


def _parse_attributes(pairs: tuple[str, ...]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--attribute")
        attributes[name] = value
    return attributes


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


def _when(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(epoch))


# ---- the group --------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cognito-user-pool")
def cli() -> None:
    """Manage the users of an Amazon Cognito user pool.

    Start with `cognito-user-pool demo`: the whole user lifecycle against an embedded
    strict local Cognito, no AWS account needed. Other commands take the pool from
    --pool-id/--client-id/--region/--endpoint-url or COGNITO_USER_POOL_ID,
    COGNITO_CLIENT_ID, COGNITO_CLIENT_SECRET, AWS_REGION, COGNITO_ENDPOINT_URL.

    Exit codes: 0 ok, 1 Cognito said no (`<code>: <message>` on stderr), 2 usage error.
    """


def main() -> None:
    """The console script's entry point."""
    cli(prog_name="cognito-user-pool")


# ---- demo -------------------------------------------------------------------------------


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
@_pool_options
@_json_option
def demo(
    real: bool,
    username: str | None,
    email: str | None,
    new_email: str | None,
    phone_number: str | None,
    as_json: bool,
    **params: Any,
) -> None:
    """Run the whole user lifecycle, every flow, and check each outcome.

    Sign up, resend, a wrong code refused, confirm, a wrong password refused, login, an
    invited user's new password, profile, attribute update, delete and verification, phone
    number, SMS MFA (challenge, code, wrong code refused), refresh, password change,
    forgot/reset, logout, and the revoked token refused. Codes are read from the local
    Cognito's outbox and never printed; passwords are random. Exit code 0 when every step
    behaved as expected, 1 otherwise.
    """
    settings = _settings(params)
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
        pool = settings.build(reader)
        runner = Demo(
            pool=pool,
            codes=PromptCodes(),
            report=report,
            username=username,
            email=email,
            new_email=new_email or _plus_address(email, "cognito-demo"),
            phone_number=phone_number,
        )
        if not as_json:
            console.print(
                f"Demo against the pool {pool.config.user_pool_id} ({pool.config.region}); "
                f"user {username}. Type each code Cognito sends (hidden). The user stays in "
                "the pool afterwards: delete it with the AWS console or CLI.\n"
            )
        ok = _run(pool, lambda _: runner.run())
        mode = "real"
    else:
        try:
            from cognito_user_pool.local import LocalCognito
        except ImportError as exc:
            raise click.ClickException(
                f"the local Cognito needs the [local] extra ({exc.name} is missing): "
                "pip install 'cognito-user-pool[local,cli]'"
            ) from None
        if not as_json:
            console.print("Starting the embedded strict local Cognito...")
        with (
            _isolated_from_aws_config(),
            _quiet_local_server(),
            _started(LocalCognito(client_secret=True, mfa="OPTIONAL")) as local,
        ):
            pool = local.pool()
            runner = Demo(
                pool=pool,
                codes=OutboxCodes(local.outbox),
                report=report,
                username=username,
                email=f"{username}@example.com",
                new_email=f"{username}.new@example.com",
                phone_number=phone_number or "+15555550100",
                invite=invite_with_admin(local.admin, local.user_pool_id),
            )
            if not as_json:
                console.print(
                    f"Local Cognito at {local.endpoint_url}, pool {local.user_pool_id} "
                    f"(app client with a secret, SMS MFA optional); user {username}.\n"
                    "Codes are read from its outbox and never shown; passwords are random.\n"
                )
            ok = _run(pool, lambda _: runner.run())
        mode = "local"
    seconds = time.perf_counter() - started
    out.result(_demo_json(runner, mode, seconds), lambda c: _summary(c, runner, seconds))
    if not ok:
        raise click.exceptions.Exit(1)


# ---- local ------------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (0: any free).")
@click.option(
    "--region",
    default=None,
    help="The pools' region. Default: --pool-id's region, else the state file's, else us-east-1.",
)
@click.option("--client-secret", is_flag=True, help="Give the app client a secret.")
@click.option(
    "--mfa",
    type=click.Choice(["OFF", "OPTIONAL", "ON"]),
    default="OFF",
    show_default=True,
    help="The pool's MFA configuration.",
)
@click.option("--username-attributes", default="", help="Comma-separated, e.g. 'email'.")
@click.option("--alias-attributes", default="", help="Comma-separated aliases.")
@click.option(
    "--cors",
    multiple=True,
    metavar="ORIGIN",
    help="A browser origin allowed to call the server, e.g. http://localhost:3000 "
    "(repeatable; none by default).",
)
@click.option(
    "--moto-api",
    is_flag=True,
    help="Serve moto's /moto-api/ (dashboard, data.json with every pool's data, reset).",
)
@click.option(
    "--state",
    metavar="FILE",
    help="Keep pools, clients, users (password verifiers, not passwords) and pending codes "
    "in FILE across restarts.",
)
@click.option("--pool-id", help="Fixed id of the default pool, e.g. us-east-1_AbCdE1234.")
@click.option(
    "--client-id", help="Fixed id of the default app client (26 lowercase letters and digits)."
)
@_json_option
def local(
    host: str,
    port: int,
    region: str | None,
    client_secret: bool,
    mfa: str,
    username_attributes: str,
    alias_attributes: str,
    cors: tuple[str, ...],
    moto_api: bool,
    state: str | None,
    pool_id: str | None,
    client_id: str | None,
    as_json: bool,
) -> None:
    """Run a strict local Cognito in the foreground until Ctrl-C.

    Prints the environment to point an app at it, then every code it "sends" (a mail
    catcher: codes and the throwaway local client secret are shown on purpose). With
    --json, stdout gets one JSON object per line: a "ready" event, then "code" events.
    With --state FILE, pools, users and pending codes survive a restart, ids included;
    other programs on this machine read the codes at GET /_local/outbox.
    """
    try:
        from cognito_user_pool import local as local_cognito
    except ImportError as exc:
        raise click.ClickException(
            f"the local Cognito needs the [local] extra ({exc.name} is missing): "
            "pip install 'cognito-user-pool[local,cli]'"
        ) from None
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "region": region,
        "client_secret": client_secret,
        "mfa": mfa,
        "username_attributes": [a for a in username_attributes.split(",") if a] or None,
        "alias_attributes": [a for a in alias_attributes.split(",") if a] or None,
        "cors": list(cors),
        "moto_api": moto_api,
        "state": state,
        "pool_id": pool_id,
        "client_id": client_id,
    }
    try:
        local_cognito.LocalCognito(**options)  # checks the options before anything starts
    except local_cognito.StateFileError as exc:
        raise click.BadParameter(str(exc), param_hint="--state") from None
    except ValueError as exc:
        # LocalCognito names the option at fault (its OptionError's ``option``).
        option = str(getattr(exc, "option", "cors"))
        raise click.BadParameter(str(exc), param_hint="--" + option.replace("_", "-")) from None
    if not as_json:
        local_cognito.serve(out=sys.stdout, **options)
        return

    def emit(data: dict[str, Any]) -> None:
        click.echo(json.dumps(data))

    def ready(running: Any) -> None:
        emit(
            {
                "event": "ready",
                "endpoint_url": running.endpoint_url,
                "region": running.region,
                "user_pool_id": running.user_pool_id,
                "client_id": running.client_id,
                "client_secret": running.client_secret,
            }
        )

        def code_event(m: Any) -> None:
            emit(
                {
                    "event": "code",
                    "username": m.username,
                    "purpose": m.purpose,
                    "attribute": m.attribute,
                    "medium": m.medium,
                    "destination": m.destination,
                    "code": m.code,
                }
            )

        # Replayed: pending codes restored from a state file come first.
        running.outbox.add_listener(code_event, replay=True)

    # The human text (environment block, codes) goes to stderr; stdout stays JSON lines.
    local_cognito.serve(out=sys.stderr, on_ready=ready, **options)


# ---- sign-up ----------------------------------------------------------------------------


@cli.command()
@click.argument("username")
@click.option("--email", help="The email attribute.")
@click.option("--phone-number", help="The phone_number attribute (E.164).")
@click.option(
    "--attribute", "-a", "attributes", multiple=True, metavar="NAME=VALUE", help="Repeatable."
)
@_stdin_option
@_pool_options
@_json_option
def signup(
    username: str,
    email: str | None,
    phone_number: str | None,
    attributes: tuple[str, ...],
    from_stdin: bool,
    as_json: bool,
    **params: Any,
) -> None:
    """Register USERNAME (the password is asked for); Cognito sends a confirmation code."""
    out, reader = Output(as_json), SecretReader(from_stdin)
    attrs = _parse_attributes(attributes)
    if email:
        attrs["email"] = email
    if phone_number:
        attrs["phone_number"] = phone_number
    pool = _settings(params).build(reader)
    password = reader.read("Password", confirm=True)
    with out.errors():
        result = _run(
            pool, lambda p: p.signup(username=username, password=password, attributes=attrs)
        )
    details = result.code_delivery_details
    out.result(
        {
            "username": result.username,
            "user_confirmed": result.user_confirmed,
            "user_sub": result.user_sub,
            "code_delivery": delivery_json(details),
        },
        lambda c: c.print(
            f"Signed up {result.username}"
            + (" (confirmed)." if result.user_confirmed else ".")
            + (
                f" A confirmation code was sent to {details.destination} "
                f"({details.delivery_medium}); run `cognito-user-pool confirm {username}`."
                if details
                else ""
            )
        ),
    )


@cli.command()
@click.argument("username")
@_stdin_option
@_pool_options
@_json_option
def confirm(username: str, from_stdin: bool, as_json: bool, **params: Any) -> None:
    """Confirm USERNAME's sign-up with the code Cognito sent (asked for)."""
    out, reader = Output(as_json), SecretReader(from_stdin)
    pool = _settings(params).build(reader)
    code = reader.read("Confirmation code")
    with out.errors():
        _run(pool, lambda p: p.signup_confirm(username=username, confirmation_code=code))
    out.result(
        {"username": username, "confirmed": True},
        lambda c: c.print(f"Confirmed {username}."),
    )


@cli.command()
@click.argument("username")
@_pool_options
@_json_option
def resend(username: str, as_json: bool, **params: Any) -> None:
    """Send USERNAME's sign-up confirmation code again."""
    out = Output(as_json)
    pool = _settings(params).build(SecretReader(False))
    with out.errors():
        details = _run(pool, lambda p: p.signup_resend(username=username))
    out.result(
        {"username": username, "code_delivery": delivery_json(details)},
        lambda c: c.print(
            "A new confirmation code was sent"
            + (f" to {details.destination} ({details.delivery_medium})." if details else ".")
        ),
    )


# ---- login, session ---------------------------------------------------------------------


async def _answer_challenge(
    pool: AsyncUserPool, username: str, challenge: Challenge, reader: SecretReader
) -> Tokens | Challenge:
    """Ask for what ``challenge`` wants (a code, a new password) and answer it."""

    async def ask(label: str, *, confirm: bool = False) -> str:
        # Off the event loop: the prompt blocks until the user types.
        return await anyio.to_thread.run_sync(lambda: reader.read(label, confirm=confirm))

    if challenge.name in _CODE_CHALLENGES:
        where = challenge.parameters.get("CODE_DELIVERY_DESTINATION")
        code = await ask(
            _CODE_CHALLENGES[challenge.name] + (f" (sent to {where})" if where else "")
        )
        return await pool.login_mfa(username=username, login_session=challenge, mfa_code=code)
    if challenge.name == "NEW_PASSWORD_REQUIRED":
        new_password = await ask("New password (required by the pool)", confirm=True)
        return await pool.login_new_password_required(
            username=username, login_session=challenge, new_password=new_password
        )
    raise UnsupportedChallengeError(
        f"the {challenge.name} challenge cannot be answered from this command line"
    )


@cli.command()
@click.argument("username")
@_save_option
@_show_tokens_option
@_stdin_option
@_pool_options
@_json_option
def login(
    username: str,
    save_path: Path | None,
    show_tokens: bool,
    from_stdin: bool,
    as_json: bool,
    **params: Any,
) -> None:
    """Sign USERNAME in with SRP; MFA codes and a required new password are asked for."""
    out, reader = Output(as_json), SecretReader(from_stdin)
    settings = _settings(params)
    pool = settings.build(reader)
    password = reader.read("Password")
    answered: list[str] = []

    async def flow(p: AsyncUserPool) -> Tokens:
        result = await p.login(username=username, password=password)
        while isinstance(result, Challenge):
            if len(answered) >= _MAX_CHALLENGES:
                raise TooManyChallengesError("too many challenges in a row")
            answered.append(result.name)
            result = await _answer_challenge(p, username, result, reader)
        return result

    with out.errors():
        tokens = _run(pool, flow)
    if save_path is not None:
        write_token_file(save_path, tokens, username=username, pool=settings.saved_fields(pool))

    def human(c: Console) -> None:
        steps = f" after {', '.join(answered)}" if answered else ""
        c.print(
            f"Signed in as {username}{steps}. "
            f"The access token expires at {_when(tokens.access_token_expires_at)}."
        )
        _saved_line(c, save_path)
        if show_tokens:
            _print_tokens(c, tokens)

    out.result(
        {
            "username": username,
            "challenges": answered,
            **tokens_json(tokens, show=show_tokens),
            "saved_to": str(save_path) if save_path is not None else None,
        },
        human,
    )


@cli.command()
@_tokens_option
@_pool_options
@_json_option
def whoami(tokens_path: Path, as_json: bool, **params: Any) -> None:
    """Show the signed-in user's profile (GetUser)."""
    out = Output(as_json)
    pool, saved = _load(tokens_path, _settings(params), SecretReader(False))
    with out.errors():
        profile: UserProfile = _run(pool, lambda p: p.profile(**_signed_in(saved)))

    def human(c: Console) -> None:
        table = Table(title=f"User {profile.username}", title_justify="left")
        table.add_column("attribute")
        table.add_column("value")
        for attribute in profile.attributes:
            table.add_row(attribute.name, attribute.value)
        c.print(table)
        mfa = profile.mfa
        c.print(
            f"MFA: {', '.join(mfa.enabled)} (preferred: {mfa.preferred})" if mfa else "MFA: off"
        )

    out.result(
        {
            "username": profile.username,
            "attributes": profile.as_dict(),
            "mfa": (
                {"enabled": list(profile.mfa.enabled), "preferred": profile.mfa.preferred}
                if profile.mfa
                else None
            ),
        },
        human,
    )


@cli.command()
@_tokens_option
@_save_option
@_show_tokens_option
@_pool_options
@_json_option
def refresh(
    tokens_path: Path,
    save_path: Path | None,
    show_tokens: bool,
    as_json: bool,
    **params: Any,
) -> None:
    """Get new access and id tokens with the saved refresh token."""
    out = Output(as_json)
    settings = _settings(params)
    pool, saved = _load(tokens_path, settings, SecretReader(False))
    refresh_token = saved.get("refresh_token")
    if not isinstance(refresh_token, str) or not refresh_token:
        raise click.BadParameter("the token file has no refresh_token", param_hint="--tokens")
    with out.errors():
        tokens = _run(
            pool,
            lambda p: p.refresh_session(refresh_token=refresh_token, id_token=saved["id_token"]),
        )
    if save_path is not None:
        username = saved.get("username")
        write_token_file(
            save_path,
            tokens,
            username=username if isinstance(username, str) else None,
            pool=settings.with_defaults(saved).saved_fields(pool),
        )

    def human(c: Console) -> None:
        c.print(f"Refreshed. The access token expires at {_when(tokens.access_token_expires_at)}.")
        _saved_line(c, save_path)
        if show_tokens:
            _print_tokens(c, tokens)

    out.result(
        {
            **tokens_json(tokens, show=show_tokens),
            "saved_to": str(save_path) if save_path is not None else None,
        },
        human,
    )


@cli.command()
@_tokens_option
@_pool_options
@_json_option
def logout(tokens_path: Path, as_json: bool, **params: Any) -> None:
    """Sign out everywhere (GlobalSignOut): every token of the user is revoked."""
    out = Output(as_json)
    pool, saved = _load(tokens_path, _settings(params), SecretReader(False))
    tokens = _signed_in(saved)
    refresh_token = saved.get("refresh_token")
    if isinstance(refresh_token, str) and refresh_token:
        tokens.setdefault("refresh_token", refresh_token)
    with out.errors():
        _run(pool, lambda p: p.logout(**tokens))
    out.result(
        {"signed_out": True},
        lambda c: c.print(f"Signed out everywhere; the tokens in {tokens_path} are revoked."),
    )


# ---- MFA --------------------------------------------------------------------------------


@cli.group()
def mfa() -> None:
    """SMS MFA of the signed-in user: on, off, status."""


def _mfa_switch(enable: bool) -> Callable[..., None]:
    def command(tokens_path: Path, as_json: bool, **params: Any) -> None:
        out = Output(as_json)
        pool, saved = _load(tokens_path, _settings(params), SecretReader(False))
        with out.errors():
            _run(pool, lambda p: p.set_mfa(enable_mfa=enable, **_signed_in(saved)))
        out.result(
            {"sms_mfa": enable},
            lambda c: c.print(f"SMS MFA {'on (and preferred)' if enable else 'off'}."),
        )

    return command


mfa.command("on", help="Turn SMS MFA on and make it preferred (needs a phone number).")(
    _json_option(_pool_options(_tokens_option(_mfa_switch(True))))
)
mfa.command("off", help="Turn SMS MFA off.")(
    _json_option(_pool_options(_tokens_option(_mfa_switch(False))))
)


@mfa.command("status")
@_tokens_option
@_pool_options
@_json_option
def mfa_status(tokens_path: Path, as_json: bool, **params: Any) -> None:
    """Show the MFA methods enabled and the preferred one."""
    out = Output(as_json)
    pool, saved = _load(tokens_path, _settings(params), SecretReader(False))
    with out.errors():
        settings = _run(pool, lambda p: p.get_mfa(**_signed_in(saved)))
    enabled = list(settings.enabled) if settings else []
    preferred = settings.preferred if settings else None
    out.result(
        {"enabled": enabled, "preferred": preferred},
        lambda c: c.print(
            f"MFA: {', '.join(enabled)} (preferred: {preferred})" if enabled else "MFA: off"
        ),
    )


# ---- passwords --------------------------------------------------------------------------


@cli.group()
def password() -> None:
    """Passwords: change (signed in), forgot, reset (with the emailed code)."""


@password.command("change")
@_tokens_option
@_stdin_option
@_pool_options
@_json_option
def password_change(tokens_path: Path, from_stdin: bool, as_json: bool, **params: Any) -> None:
    """Change the signed-in user's password (the current and new ones are asked for)."""
    out, reader = Output(as_json), SecretReader(from_stdin)
    pool, saved = _load(tokens_path, _settings(params), reader)
    old = reader.read("Current password")
    new = reader.read("New password", confirm=True)
    with out.errors():
        _run(
            pool,
            lambda p: p.password_change(old_password=old, new_password=new, **_signed_in(saved)),
        )
    out.result({"changed": True}, lambda c: c.print("Password changed."))


@password.command("forgot")
@click.argument("username")
@_pool_options
@_json_option
def password_forgot(username: str, as_json: bool, **params: Any) -> None:
    """Ask Cognito to send USERNAME a password-reset code."""
    out = Output(as_json)
    pool = _settings(params).build(SecretReader(False))
    with out.errors():
        details = _run(pool, lambda p: p.password_forgot(username=username))
    out.result(
        {"username": username, "code_delivery": delivery_json(details)},
        lambda c: c.print(
            "A reset code was sent"
            + (f" to {details.destination} ({details.delivery_medium})" if details else "")
            + f"; run `cognito-user-pool password reset {username}`."
        ),
    )


@password.command("reset")
@click.argument("username")
@_stdin_option
@_pool_options
@_json_option
def password_reset(username: str, from_stdin: bool, as_json: bool, **params: Any) -> None:
    """Set USERNAME's new password with the reset code (both are asked for)."""
    out, reader = Output(as_json), SecretReader(from_stdin)
    pool = _settings(params).build(reader)
    code = reader.read("Reset code")
    new = reader.read("New password", confirm=True)
    with out.errors():
        _run(
            pool,
            lambda p: p.password_reset(
                username=username, password_reset_code=code, new_password=new
            ),
        )
    out.result(
        {"username": username, "reset": True},
        lambda c: c.print(f"New password set for {username}."),
    )
