"""LocalCognito: moto's server on a free loopback port, made strict, with pools to test on."""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from . import _guard, _patch, _state_file
from . import _moto_internals as mi
from ._errors import OptionError
from ._ids import check_client_id, check_pool_id, check_region
from ._local_routes import LocalRoutes
from ._option_checks import (
    Validity,
    check_email_mfa,
    check_free,
    rotation,
    seconds,
    state_path,
    web_authn_settings,
)
from ._outbox import Outbox
from ._sign_in_policy import apply_first_factors, check_first_factors
from ._strict import StrictCognito
from ._triggers import CustomAuthTriggers, TriggerTarget, install

if TYPE_CHECKING:
    from .._admin import AsyncUserPoolAdmin
    from .._client import AsyncUserPool

__all__ = ["LocalCognito", "LocalPool", "MfaMode", "RememberDevices"]

MfaMode = Literal["OFF", "OPTIONAL", "ON"]
RememberDevices = Literal["off", "always", "user_opt_in"]

# Dummy credentials for the admin clients only (boto3's and pool_admin()'s): moto ignores
# them (it maps unknown keys to its default account) and we never put them in os.environ.
_DUMMY_KEY = "local-cognito"
_ALL_FLOWS = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_AUTH",
]
_SNS_ROLE = "arn:aws:iam::123456789012:role/local-cognito-sns"
_SES_IDENTITY = "arn:aws:ses:{}:123456789012:identity/no-reply@local-cognito.invalid"
_DEFAULT_REGION = "us-east-1"
_log = logging.getLogger(__name__)


def _client_host(bind_host: str) -> str:
    """The address clients use for a server bound to ``bind_host`` (a wildcard bind is
    reached through loopback; an IPv6 address is bracketed in a URL)."""
    if bind_host in ("0.0.0.0", ""):  # noqa: S104 - recognised, not bound
        return "127.0.0.1"
    if bind_host == "::":
        return "[::1]"
    return f"[{bind_host}]" if ":" in bind_host and not bind_host.startswith("[") else bind_host


@functools.lru_cache(maxsize=1)
def _internals_problems() -> tuple[str, ...]:
    return tuple(mi.check_internals())


@dataclass(frozen=True)
class LocalPool(TriggerTarget):
    """A user pool and app client on a running :class:`LocalCognito`.

    The client secret is a throwaway local secret, but it still stays out of ``repr``.

    :ivar outbox: the codes sent by *this* pool only.
    :ivar admin: a signed boto3 ``cognito-idp`` client (dummy credentials) for test set-up.
    """

    user_pool_id: str
    client_id: str
    client_secret: str | None = field(repr=False)
    region: str
    endpoint_url: str
    outbox: Outbox = field(repr=False, compare=False)
    admin: Any = field(repr=False, compare=False)

    def pool(self, **kwargs: Any) -> AsyncUserPool:
        """An ``AsyncUserPool`` pointed at this pool (kwargs go to its constructor)."""
        from .._client import AsyncUserPool  # lazy: local must not need the core at import

        options: dict[str, Any] = {
            "client_secret": self.client_secret,
            "endpoint_url": self.endpoint_url,
        }
        options.update(kwargs)
        return AsyncUserPool(self.user_pool_id, self.client_id, **options)

    def pool_admin(self, **kwargs: Any) -> AsyncUserPoolAdmin:
        """An ``AsyncUserPoolAdmin`` for this pool and app client, signed with dummy
        credentials (the local Cognito checks that admin requests are signed, not by whom);
        kwargs go to its constructor."""
        from .._admin import AsyncUserPoolAdmin  # lazy, as pool()

        options: dict[str, Any] = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "endpoint_url": self.endpoint_url,
            "aws_access_key_id": _DUMMY_KEY,
            "aws_secret_access_key": _DUMMY_KEY,
        }
        options.update(kwargs)
        return AsyncUserPoolAdmin(self.user_pool_id, **options)

    def create_user(
        self,
        username: str,
        password: str,
        attributes: dict[str, str] | None = None,
        *,
        confirmed: bool = True,
    ) -> str:
        """Create a user with a permanent password through the admin API.

        :returns: the internal username (the sub in email/phone-as-username pools).
        """
        attrs = [{"Name": k, "Value": v} for k, v in (attributes or {}).items()]
        created = self.admin.admin_create_user(
            UserPoolId=self.user_pool_id,
            Username=username,
            UserAttributes=attrs,
            MessageAction="SUPPRESS",
        )
        internal = str(created["User"]["Username"])
        if confirmed:
            self.admin.admin_set_user_password(
                UserPoolId=self.user_pool_id, Username=internal, Password=password, Permanent=True
            )
        return internal


class LocalCognito:
    """A strict local Cognito: moto's server plus real SRP, code, TOTP and token checks.

    Example::

        with LocalCognito(client_secret=True, mfa="OPTIONAL") as local:
            local.admin.sign_up  # signed boto3 client
            async with local.pool() as pool: ...
            code = local.outbox.wait_for(purpose="signup").code

    :param region: region of the pools it creates; by default the region of ``pool_id``,
        else the state file's, else ``us-east-1``.
    :param client_secret: give the default app client a secret.
    :param mfa: the default pool's MFA mode; SMS and TOTP are both enabled unless ``OFF``.
    :param email_mfa: also enable e-mail MFA (needs ``mfa`` ``OPTIONAL`` or ``ON``): the pool
        gets what AWS requires for it, the Essentials plan and an SES e-mail configuration
        (``EmailSendingAccount`` ``DEVELOPER``, a made-up SES identity), unless ``pool_config``
        says otherwise.
    :param first_auth_factors: the pool's ``AllowedFirstAuthFactors`` for choice-based sign-in
        (USER_AUTH): ``PASSWORD`` (AWS's default, alone) plus any of ``EMAIL_OTP``, ``SMS_OTP``,
        ``WEB_AUTHN`` (passkeys).
    :param web_authn_relying_party_id: the pool's passkey relying party id (a domain; default
        ``localhost``): passkeys are registered for it, and used from ``https://`` pages on it
        or its subdomains (``http://localhost`` too when it is ``localhost``).
    :param web_authn_user_verification: ``"preferred"`` (default) or ``"required"``: whether
        passkeys must verify the user (PIN, biometrics).
    :param username_attributes: e.g. ``["email"]``: users sign in with their e-mail.
    :param alias_attributes: e.g. ``["email"]``: a verified e-mail works as an alias.
    :param auto_verified_attributes: where sign-up codes go (default ``["email"]``).
    :param access_token_validity: seconds (or timedelta) an access/id token lives; default 1 h.
    :param refresh_token_validity: seconds (or timedelta) a refresh token lives; default 30 d.
    :param remember_devices: device tracking of the default pool.
    :param triggers: custom-auth triggers (``CustomAuthTriggers``) for CUSTOM_AUTH sign-in.
    :param refresh_token_rotation: ``None`` (the default): the app client does not rotate
        refresh tokens; a number of seconds from 0 to 60: it does, with that grace period
        (``RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": N}``), so it
        refuses REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken issues a new refresh token.
    :param default_pool: create a pool and client on start (``user_pool_id`` & co.).
    :param host: address to listen on; loopback by default. Any other address logs a
        warning: the server is then reachable from other machines.
    :param port: 0 picks a free port.
    :param cors: browser origin(s) allowed to call the server (``http://localhost:3000``);
        none by default, and ``*`` is refused.
    :param moto_api: serve moto's ``/moto-api/`` endpoints (its dashboard, ``data.json``,
        ``reset``); off by default.
    :param pool_id: a fixed id for the default pool, shaped as AWS's
        (``us-east-1_AbCdE1234``); by default moto makes one up at every start.
    :param client_id: a fixed id for the default app client (26 lowercase letters and digits).
    :param state: a JSON file that keeps pools, app clients, users (with their password
        verifiers, never the passwords) and pending codes across restarts: read on start,
        written after every request that changes something and on stop (mode 0600, replaced
        atomically). The default pool and its ids come from it once it holds one.
    :raises ValueError: (an ``OptionError`` whose ``option`` names the argument) for a ``cors``
        value that is not an http(s) origin, a badly shaped id, ids or regions that contradict
        each other or the state file, or a state file in a directory that does not exist.
    :raises StateFileError: for a state file that is not JSON, not a state file, or of a
        newer format.
    """

    def __init__(
        self,
        *,
        region: str | None = None,
        client_secret: bool = False,
        mfa: MfaMode = "OFF",
        email_mfa: bool = False,
        first_auth_factors: Sequence[str] | None = None,
        web_authn_relying_party_id: str = "localhost",
        web_authn_user_verification: Literal["preferred", "required"] = "preferred",
        username_attributes: list[str] | None = None,
        alias_attributes: list[str] | None = None,
        auto_verified_attributes: list[str] | None = None,
        access_token_validity: Validity = None,
        refresh_token_validity: Validity = None,
        remember_devices: RememberDevices = "off",
        refresh_token_rotation: int | None = None,
        triggers: CustomAuthTriggers | None = None,
        default_pool: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        cors: str | Sequence[str] | None = None,
        moto_api: bool = False,
        pool_id: str | None = None,
        client_id: str | None = None,
        state: str | os.PathLike[str] | None = None,
    ) -> None:
        try:
            self._cors = _guard.normalize_origins(cors)
        except ValueError as exc:
            raise OptionError("cors", str(exc)) from None
        self._moto_api = moto_api
        if (pool_id is not None or client_id is not None) and not default_pool:
            raise OptionError(
                "pool_id" if pool_id is not None else "client_id",
                "pool_id and client_id name the default pool: not with default_pool=False",
            )
        if client_id is not None:
            check_client_id(client_id)
        check_email_mfa(mfa, email_mfa)
        web_authn_settings(web_authn_relying_party_id, web_authn_user_verification)
        self._fixed_pool_id = pool_id
        self._fixed_client_id = client_id
        self._state_path = state_path(state)
        self.region = self._resolve_region(region)
        self._defaults: dict[str, Any] = {
            "client_secret": client_secret,
            "mfa": mfa,
            "email_mfa": email_mfa,
            "first_auth_factors": check_first_factors(first_auth_factors),
            "web_authn_relying_party_id": web_authn_relying_party_id,
            "web_authn_user_verification": web_authn_user_verification,
            "username_attributes": username_attributes,
            "alias_attributes": alias_attributes,
            "auto_verified_attributes": auto_verified_attributes,
            "access_token_validity": access_token_validity,
            "refresh_token_validity": refresh_token_validity,
            "remember_devices": remember_devices,
            "refresh_token_rotation": rotation(refresh_token_rotation),
            "triggers": triggers,
        }
        self._want_default = default_pool
        self._host = host
        self._port = port
        self.outbox = Outbox()
        self._strict = StrictCognito(self.outbox)
        self._server: Any = None
        self._admin: Any = None
        self._endpoint_url: str | None = None
        self._bound_port: int | None = None
        self._pools: list[str] = []
        self._default: LocalPool | None = None
        self._default_ids: tuple[str, str] | None = None  # what the state file calls default
        self._lock = threading.Lock()
        self._counter = 0
        self._state_ready = False  # loaded: from now on saving cannot lose what the file held
        self._last_saved: str | None = None

    def __repr__(self) -> str:
        state = self._endpoint_url or "stopped"
        return f"LocalCognito({state})"

    def _resolve_region(self, region: str | None) -> str:
        """The region: given, or the fixed pool id's, or the state file's; all must agree."""
        sources: list[tuple[str, str]] = []
        if region is not None:
            sources.append((check_region(region), f"region={region}"))
        if self._fixed_pool_id is not None:
            sources.append((check_pool_id(self._fixed_pool_id), f"pool_id={self._fixed_pool_id}"))
        if self._state_path is not None:
            document = _state_file.read(self._state_path)
            if document is not None:
                self._check_fixed_ids(document)
                sources.append((str(document["region"]), f"the state file {self._state_path}"))
        if len({found for found, _ in sources}) > 1:
            raise OptionError(
                "region" if region is not None else "pool_id",
                "conflicting regions: " + ", ".join(f"{found} ({why})" for found, why in sources),
            )
        return sources[0][0] if sources else _DEFAULT_REGION

    def _check_fixed_ids(self, document: dict[str, Any]) -> None:
        """Fixed ids must be the ones a state file already gives its default pool."""
        saved = document["default"]
        if saved is None:
            return
        for option, given, key in (
            ("pool_id", self._fixed_pool_id, "pool_id"),
            ("client_id", self._fixed_client_id, "client_id"),
        ):
            if given is not None and given != saved[key]:
                raise OptionError(
                    option,
                    f"the state file {self._state_path} keeps the default pool with another "
                    f"{option}: leave {option} out, or use another state file",
                )

    @property
    def state_file(self) -> Path | None:
        """The state file (``state=``), if any."""
        return self._state_path

    # ---- life cycle ---------------------------------------------------------------------

    def start(self) -> LocalCognito:
        """Start the server, install the strict layer, create the default pool.

        :raises RuntimeError: if already started, or if the installed moto lacks an
            internal this package relies on (the message names it).
        """
        if self._server is not None:
            raise RuntimeError("LocalCognito is already running")
        problems = _internals_problems()
        if problems:
            raise RuntimeError(
                "the installed moto is not compatible with cognito_user_pool.local: "
                + "; ".join(problems)
            )
        import boto3  # heavy; only when a server actually starts
        from botocore.config import Config

        from .._redact import install as install_log_redaction

        def wrap(app: Any, port: int) -> Any:
            # In place before the first request is served: nothing ever meets moto unguarded.
            policy = _guard.GuardPolicy(self._host, port, self._cors, moto_api=self._moto_api)
            return _guard.Guard(LocalRoutes(app, self.outbox), policy)

        server = mi.make_threaded_server(self._host, self._port, wrap)
        try:
            self._server = server
            host, port = server.host, server.port
            server.start()
            if not _guard.is_loopback(self._host):
                _log.warning(
                    "the local Cognito listens on %s:%s: other machines can reach it",
                    self._host,
                    port,
                )
            self._bound_port = port
            self._endpoint_url = f"http://{_client_host(host)}:{port}"
            observer = self._after_request if self._state_path is not None else None
            _patch.install(port, self._strict, observer)
            # The admin client logs request bodies (client secrets) at DEBUG, like any client.
            install_log_redaction()
            self._admin = boto3.client(
                "cognito-idp",
                region_name=self.region,
                endpoint_url=self._endpoint_url,
                aws_access_key_id=_DUMMY_KEY,
                aws_secret_access_key=_DUMMY_KEY,
                config=Config(retries={"total_max_attempts": 1}),
            )
            self._load_state()
            if self._want_default and self._default is None:
                self._default = self.create_pool(
                    pool_id=self._fixed_pool_id, client_id=self._fixed_client_id
                )
                self._default_ids = (self._default.user_pool_id, self._default.client_id)
            self._save_state(quiet=False)
        except BaseException:
            self.stop()
            raise
        return self

    # ---- the state file -------------------------------------------------------------------

    def _load_state(self) -> None:
        """Restore the state file's pools (if any); from then on the file is kept current."""
        if self._state_path is None:
            return
        document = _state_file.read(self._state_path)
        if document is not None:
            self._check_fixed_ids(document)
            if document["region"] != self.region:
                raise OptionError(
                    "region", f"the state file {self._state_path} is for {document['region']}"
                )
            restored = _state_file.restore(self._strict, document, self._state_path)
            with self._lock:
                self._pools.extend(p for p in restored if p not in self._pools)
            saved = document["default"]
            if saved is not None:
                self._default_ids = (str(saved["pool_id"]), str(saved["client_id"]))
                if self._want_default:
                    self._default = self._restored_pool(*self._default_ids)
        self._state_ready = True

    def _restored_pool(self, pool_id: str, client_id: str) -> LocalPool:
        pool = mi.find_pool(pool_id)
        client = None if pool is None else pool.client(client_id)
        if client is None:
            raise _state_file.StateFileError(
                f"the state file {self._state_path} names a default app client it does not hold"
            )
        return LocalPool(
            user_pool_id=pool_id,
            client_id=client_id,
            client_secret=client.secret,
            region=self.region,
            endpoint_url=self.endpoint_url,
            outbox=self._outbox_for(pool_id, None),
            admin=self.admin,
        )

    def _save_state(self, *, quiet: bool = True) -> None:
        """Write the state file if anything changed since the last write.

        Called after every cognito-idp request on this server (before its response leaves),
        after the pool methods and on stop: a client that saw an answer can count on its
        effect surviving a restart, even a kill. Writing costs a JSON dump of the pools and
        an fsync'd rename, which a development server can afford; a file written only now
        and then would lose the last sign-ups to a crash.

        :param quiet: log a failure (a request must not fail because the disk did) instead
            of raising it.
        """
        if self._state_path is None:
            return
        try:
            with self._strict.lock:
                # Checked under the lock: stop() clears it, under the lock, before it deletes
                # the pools, so no save can ever write a server that is being taken down.
                if not self._state_ready:
                    return
                with self._lock:
                    pool_ids = list(self._pools)
                document = _state_file.capture(
                    self._strict, self.region, pool_ids, self._default_ids
                )
                text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
                if text == self._last_saved:
                    return
                _state_file.write(self._state_path, text)
                self._last_saved = text
        except (OSError, RuntimeError, TypeError, ValueError) as exc:
            if not quiet:
                raise
            # RuntimeError: moto changed a dict while it was read (it answers its own
            # operations without our lock); the next request saves again.
            reason = exc.strerror if isinstance(exc, OSError) else type(exc).__name__
            _log.warning(
                "could not save the local Cognito state to %s: %s", self._state_path, reason
            )

    def _after_request(self, action: str, response: tuple[int, Any, Any]) -> None:
        """The ``_patch`` observer: note pools made through this server, then save."""
        status, _, body = response
        if action == "CreateUserPool" and status == 200:
            try:
                pool_id = str(json.loads(body)["UserPool"]["Id"])
            except (ValueError, KeyError, TypeError):
                pool_id = ""
            if pool_id:
                self._track(pool_id)
        self._save_state()

    def _track(self, pool_id: str, replaces: str | None = None) -> None:
        with self._lock:
            if replaces is not None and replaces in self._pools:
                self._pools.remove(replaces)
            if pool_id not in self._pools:
                self._pools.append(pool_id)

    def stop(self) -> None:
        """Save the state file (if any), stop the server, close its port, delete our pools,
        restore moto (idempotent)."""
        with self._strict.lock:
            if self._state_ready:
                self._save_state()
                self._state_ready = False
                self._last_saved = None
        server, self._server = self._server, None
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        for pool_id in self._pools:
            self._strict.detach_pool(pool_id)
            mi.delete_pool(pool_id)
        self._pools.clear()
        self._default = None
        self._default_ids = None
        if self._bound_port is not None:
            _patch.uninstall(self._bound_port)
            self._bound_port = None
        if server is not None:
            server.close()
        self._endpoint_url = None

    def __enter__(self) -> LocalCognito:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> LocalCognito:
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        import anyio.to_thread

        await anyio.to_thread.run_sync(self.stop)

    # ---- accessors -----------------------------------------------------------------------

    def _running(self) -> None:
        if self._server is None:
            raise RuntimeError("LocalCognito is not running; use `with LocalCognito() as local:`")

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        self._running()
        assert self._endpoint_url is not None
        return self._endpoint_url

    @property
    def port(self) -> int:
        """The port the server listens on."""
        self._running()
        assert self._bound_port is not None
        return self._bound_port

    @property
    def admin(self) -> Any:
        """A signed boto3 ``cognito-idp`` client with dummy credentials."""
        self._running()
        return self._admin

    @property
    def default(self) -> LocalPool:
        """The pool and client created on start."""
        self._running()
        if self._default is None:
            raise RuntimeError("started with default_pool=False: call create_pool()")
        return self._default

    @property
    def user_pool_id(self) -> str:
        """The default pool's id."""
        return self.default.user_pool_id

    @property
    def client_id(self) -> str:
        """The default app client's id."""
        return self.default.client_id

    @property
    def client_secret(self) -> str | None:
        """The default app client's secret (None without ``client_secret=True``)."""
        return self.default.client_secret

    def pool(self, **kwargs: Any) -> AsyncUserPool:
        """``AsyncUserPool`` for the default pool; see :meth:`LocalPool.pool`."""
        return self.default.pool(**kwargs)

    def advance_time(self, seconds: float) -> None:
        """Move the server's clock forward, to test expiry without sleeping.

        Affects what the strict layer checks (access/refresh token expiry, code and session
        lifetimes); tokens are still minted with the real time in ``iat``/``exp``.
        """
        self._strict.time_offset += seconds

    # ---- pools and clients ----------------------------------------------------------------

    def create_pool(self, **options: Any) -> LocalPool:
        """Create a fresh pool and app client; options as for the constructor.

        Extra CreateUserPool parameters can be passed as ``pool_config={...}``; ``pool_id``
        and ``client_id`` fix the new pool's and client's ids (AWS's shapes, the pool in
        this server's region).

        :raises ValueError: for a badly shaped id, or one that already exists in this process.
        """
        self._running()
        unknown = (
            set(options) - set(self._defaults) - {"pool_config", "name", "pool_id", "client_id"}
        )
        if unknown:
            raise TypeError(f"unknown pool options: {sorted(unknown)}")
        fixed_pool_id = options.pop("pool_id", None)
        fixed_client_id = options.pop("client_id", None)
        if fixed_pool_id is not None and check_pool_id(fixed_pool_id) != self.region:
            raise OptionError(
                "pool_id", f"{fixed_pool_id} is not in this server's region {self.region}"
            )
        if fixed_client_id is not None:
            check_client_id(fixed_client_id)
        check_free(fixed_pool_id, fixed_client_id)
        opts = {**self._defaults, **options}
        check_email_mfa(opts["mfa"], opts["email_mfa"])
        passkeys = web_authn_settings(
            opts["web_authn_relying_party_id"], opts["web_authn_user_verification"]
        )
        with self._lock:
            self._counter += 1
            name = opts.get("name") or f"local-pool-{self._counter}"
        config: dict[str, Any] = dict(opts.get("pool_config") or {})
        if opts["username_attributes"]:
            config["UsernameAttributes"] = list(opts["username_attributes"])
        if opts["alias_attributes"]:
            config["AliasAttributes"] = list(opts["alias_attributes"])
        apply_first_factors(config, check_first_factors(opts["first_auth_factors"]))
        auto = opts["auto_verified_attributes"]
        config["AutoVerifiedAttributes"] = list(["email"] if auto is None else auto)
        if opts["email_mfa"]:
            # What AWS requires for e-mail MFA (local/_ops/mfa.py, SetUserPoolMfaConfig).
            config.setdefault("UserPoolTier", "ESSENTIALS")
            identity = _SES_IDENTITY.format(self.region)
            ses = {"EmailSendingAccount": "DEVELOPER", "SourceArn": identity}
            config.setdefault("EmailConfiguration", ses)
        remember = opts["remember_devices"]
        if remember != "off":
            config["DeviceConfiguration"] = {
                "ChallengeRequiredOnNewDevice": False,
                "DeviceOnlyRememberedOnUserPrompt": remember == "user_opt_in",
            }
        pool_id = str(self.admin.create_user_pool(PoolName=name, **config)["UserPool"]["Id"])
        self._track(pool_id)
        if fixed_pool_id is not None:
            with self._strict.lock:
                try:
                    mi.rename_pool(pool_id, fixed_pool_id)
                except ValueError:
                    mi.delete_pool(pool_id)
                    with self._lock:
                        self._pools.remove(pool_id)
                    raise
            self._track(fixed_pool_id, replaces=pool_id)
            pool_id = fixed_pool_id
        mfa = opts["mfa"]
        if mfa != "OFF":
            self.admin.set_user_pool_mfa_config(
                UserPoolId=pool_id,
                MfaConfiguration=mfa,
                SmsMfaConfiguration={
                    "SmsConfiguration": {"SnsCallerArn": _SNS_ROLE, "ExternalId": "local"}
                },
                SoftwareTokenMfaConfiguration={"Enabled": True},
                **({"EmailMfaConfiguration": {}} if opts["email_mfa"] else {}),
            )
        self._strict.set_web_authn(pool_id, passkeys)
        outbox = Outbox()
        self._strict.attach_pool_outbox(pool_id, outbox)
        install(pool_id, opts["triggers"])
        return self.create_client(
            pool_id,
            client_id=fixed_client_id,
            client_secret=opts["client_secret"],
            access_token_validity=opts["access_token_validity"],
            refresh_token_validity=opts["refresh_token_validity"],
            refresh_token_rotation=opts["refresh_token_rotation"],
            _outbox=outbox,
        )

    def create_client(
        self,
        user_pool_id: str,
        *,
        client_id: str | None = None,
        client_secret: bool = False,
        access_token_validity: Validity = None,
        refresh_token_validity: Validity = None,
        explicit_auth_flows: list[str] | None = None,
        refresh_token_rotation: int | None = None,
        _outbox: Outbox | None = None,
    ) -> LocalPool:
        """Add an app client to a pool (every auth flow allowed unless narrowed).

        :param client_id: a fixed id (26 lowercase letters and digits).
        :param refresh_token_rotation: rotate refresh tokens with this grace period in
            seconds (0 to 60); ``None``: no rotation.
        :raises ValueError: for a badly shaped id, or one that already exists in this process.
        """
        self._running()
        if client_id is not None:
            check_client_id(client_id)
            check_free(None, client_id)
        config: dict[str, Any] = {
            "ClientName": "local-client",
            "GenerateSecret": client_secret,
            "ExplicitAuthFlows": list(explicit_auth_flows or _ALL_FLOWS),
        }
        units: dict[str, str] = {}
        access = seconds(access_token_validity)
        if access is not None:
            config["AccessTokenValidity"] = access
            config["IdTokenValidity"] = access
            units.update(AccessToken="seconds", IdToken="seconds")
        refresh = seconds(refresh_token_validity)
        if refresh is not None:
            config["RefreshTokenValidity"] = refresh
            units["RefreshToken"] = "seconds"
        if units:
            config["TokenValidityUnits"] = units
        grace = rotation(refresh_token_rotation)
        if grace is not None:
            config["RefreshTokenRotation"] = {
                "Feature": "ENABLED",
                "RetryGracePeriodSeconds": grace,
            }
        client = self.admin.create_user_pool_client(UserPoolId=user_pool_id, **config)
        info = client["UserPoolClient"]
        created = str(info["ClientId"])
        if client_id is not None:
            with self._strict.lock:
                mi.rename_client(user_pool_id, created, client_id)
            created = client_id
        self._save_state()
        return LocalPool(
            user_pool_id=user_pool_id,
            client_id=created,
            client_secret=info.get("ClientSecret"),
            region=self.region,
            endpoint_url=self.endpoint_url,
            outbox=self._outbox_for(user_pool_id, _outbox),
            admin=self.admin,
        )

    def _outbox_for(self, user_pool_id: str, given: Outbox | None) -> Outbox:
        # Explicit None checks: an empty Outbox is falsy (it has a length).
        if given is not None:
            return given
        attached = self._strict.pool_outbox(user_pool_id)
        return attached if attached is not None else self.outbox

    def delete_pool(self, user_pool_id: str) -> None:
        """Delete a pool created here, with its local state (fixtures call this per test)."""
        self._strict.detach_pool(user_pool_id)
        mi.delete_pool(user_pool_id)
        with self._lock:
            if user_pool_id in self._pools:
                self._pools.remove(user_pool_id)
        self._save_state()
