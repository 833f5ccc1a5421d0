"""LocalCognito: moto's server on a free loopback port, made strict, with pools to test on."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from . import _guard, _patch
from . import _moto_internals as mi
from ._outbox import Outbox
from ._strict import StrictCognito

if TYPE_CHECKING:
    from .._client import AsyncUserPool

__all__ = ["LocalCognito", "LocalPool", "MfaMode", "RememberDevices"]

MfaMode = Literal["OFF", "OPTIONAL", "ON"]
RememberDevices = Literal["off", "always", "user_opt_in"]
Validity = int | timedelta | None

# Dummy credentials for the admin client only: moto ignores them (it maps unknown keys to its
# default account) and we never put them in os.environ.
_DUMMY_KEY = "local-cognito"
_ALL_FLOWS = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
]
_SNS_ROLE = "arn:aws:iam::123456789012:role/local-cognito-sns"
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


def _seconds(value: Validity) -> int | None:
    if value is None:
        return None
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


@dataclass(frozen=True)
class LocalPool:
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

    :param region: region of the pools it creates.
    :param client_secret: give the default app client a secret.
    :param mfa: the default pool's MFA mode; SMS and TOTP are both enabled unless ``OFF``.
    :param username_attributes: e.g. ``["email"]``: users sign in with their e-mail.
    :param alias_attributes: e.g. ``["email"]``: a verified e-mail works as an alias.
    :param auto_verified_attributes: where sign-up codes go (default ``["email"]``).
    :param access_token_validity: seconds (or timedelta) an access/id token lives; default 1 h.
    :param refresh_token_validity: seconds (or timedelta) a refresh token lives; default 30 d.
    :param remember_devices: device tracking of the default pool.
    :param default_pool: create a pool and client on start (``user_pool_id`` & co.).
    :param host: address to listen on; loopback by default. Any other address logs a
        warning: the server is then reachable from other machines.
    :param port: 0 picks a free port.
    :param cors: browser origin(s) allowed to call the server (``http://localhost:3000``);
        none by default, and ``*`` is refused.
    :param moto_api: serve moto's ``/moto-api/`` endpoints (its dashboard, ``data.json``
        with plaintext passwords, ``reset``); off by default.
    :raises ValueError: for a ``cors`` value that is not an http(s) origin.
    """

    def __init__(
        self,
        *,
        region: str = "us-east-1",
        client_secret: bool = False,
        mfa: MfaMode = "OFF",
        username_attributes: list[str] | None = None,
        alias_attributes: list[str] | None = None,
        auto_verified_attributes: list[str] | None = None,
        access_token_validity: Validity = None,
        refresh_token_validity: Validity = None,
        remember_devices: RememberDevices = "off",
        default_pool: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        cors: str | Sequence[str] | None = None,
        moto_api: bool = False,
    ) -> None:
        self.region = region
        self._cors = _guard.normalize_origins(cors)
        self._moto_api = moto_api
        self._defaults: dict[str, Any] = {
            "client_secret": client_secret,
            "mfa": mfa,
            "username_attributes": username_attributes,
            "alias_attributes": alias_attributes,
            "auto_verified_attributes": auto_verified_attributes,
            "access_token_validity": access_token_validity,
            "refresh_token_validity": refresh_token_validity,
            "remember_devices": remember_devices,
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
        self._lock = threading.Lock()
        self._counter = 0

    def __repr__(self) -> str:
        state = self._endpoint_url or "stopped"
        return f"LocalCognito({state})"

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

        server = mi.make_threaded_server(self._host, self._port)
        server.start()
        try:
            self._server = server
            host, port = server.get_host_and_port()
            # The first thing once the port is known: from here on no request reaches moto
            # unguarded. (One arriving in the instant before meets stock moto, before any
            # pool of this server exists; moto builds its app inside start().)
            _guard.install(
                server,
                _guard.GuardPolicy(self._host, port, self._cors, moto_api=self._moto_api),
            )
            mi.quiet_request_log(server)
            if not _guard.is_loopback(self._host):
                _log.warning(
                    "the local Cognito listens on %s:%s: other machines can reach it",
                    self._host,
                    port,
                )
            self._bound_port = port
            self._endpoint_url = f"http://{_client_host(host)}:{port}"
            _patch.install(port, self._strict)
            self._admin = boto3.client(
                "cognito-idp",
                region_name=self.region,
                endpoint_url=self._endpoint_url,
                aws_access_key_id=_DUMMY_KEY,
                aws_secret_access_key=_DUMMY_KEY,
                config=Config(retries={"total_max_attempts": 1}),
            )
            if self._want_default:
                self._default = self.create_pool()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server, close its port, delete our pools, restore moto (idempotent)."""
        server, self._server = self._server, None
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        for pool_id in self._pools:
            self._strict.detach_pool(pool_id)
            mi.delete_pool(pool_id)
        self._pools.clear()
        self._default = None
        if self._bound_port is not None:
            _patch.uninstall(self._bound_port)
            self._bound_port = None
        if server is not None:
            mi.close_threaded_server(server)
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

        Extra CreateUserPool parameters can be passed as ``pool_config={...}``.
        """
        self._running()
        unknown = set(options) - set(self._defaults) - {"pool_config", "name"}
        if unknown:
            raise TypeError(f"unknown pool options: {sorted(unknown)}")
        opts = {**self._defaults, **options}
        with self._lock:
            self._counter += 1
            name = opts.get("name") or f"local-pool-{self._counter}"
        config: dict[str, Any] = dict(opts.get("pool_config") or {})
        if opts["username_attributes"]:
            config["UsernameAttributes"] = list(opts["username_attributes"])
        if opts["alias_attributes"]:
            config["AliasAttributes"] = list(opts["alias_attributes"])
        auto = opts["auto_verified_attributes"]
        config["AutoVerifiedAttributes"] = list(["email"] if auto is None else auto)
        remember = opts["remember_devices"]
        if remember != "off":
            config["DeviceConfiguration"] = {
                "ChallengeRequiredOnNewDevice": False,
                "DeviceOnlyRememberedOnUserPrompt": remember == "user_opt_in",
            }
        pool_id = str(self.admin.create_user_pool(PoolName=name, **config)["UserPool"]["Id"])
        self._pools.append(pool_id)
        mfa = opts["mfa"]
        if mfa != "OFF":
            self.admin.set_user_pool_mfa_config(
                UserPoolId=pool_id,
                MfaConfiguration=mfa,
                SmsMfaConfiguration={
                    "SmsConfiguration": {"SnsCallerArn": _SNS_ROLE, "ExternalId": "local"}
                },
                SoftwareTokenMfaConfiguration={"Enabled": True},
            )
        outbox = Outbox()
        self._strict.attach_pool_outbox(pool_id, outbox)
        return self.create_client(
            pool_id,
            client_secret=opts["client_secret"],
            access_token_validity=opts["access_token_validity"],
            refresh_token_validity=opts["refresh_token_validity"],
            _outbox=outbox,
        )

    def create_client(
        self,
        user_pool_id: str,
        *,
        client_secret: bool = False,
        access_token_validity: Validity = None,
        refresh_token_validity: Validity = None,
        explicit_auth_flows: list[str] | None = None,
        _outbox: Outbox | None = None,
    ) -> LocalPool:
        """Add an app client to a pool (every auth flow allowed unless narrowed)."""
        self._running()
        config: dict[str, Any] = {
            "ClientName": "local-client",
            "GenerateSecret": client_secret,
            "ExplicitAuthFlows": list(explicit_auth_flows or _ALL_FLOWS),
        }
        units: dict[str, str] = {}
        access = _seconds(access_token_validity)
        if access is not None:
            config["AccessTokenValidity"] = access
            config["IdTokenValidity"] = access
            units.update(AccessToken="seconds", IdToken="seconds")
        refresh = _seconds(refresh_token_validity)
        if refresh is not None:
            config["RefreshTokenValidity"] = refresh
            units["RefreshToken"] = "seconds"
        if units:
            config["TokenValidityUnits"] = units
        client = self.admin.create_user_pool_client(UserPoolId=user_pool_id, **config)
        info = client["UserPoolClient"]
        return LocalPool(
            user_pool_id=user_pool_id,
            client_id=str(info["ClientId"]),
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
        if user_pool_id in self._pools:
            self._pools.remove(user_pool_id)
