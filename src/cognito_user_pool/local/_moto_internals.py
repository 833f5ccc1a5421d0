"""Every moto private name the strict local Cognito relies on, in one place.

moto has no stable Python API for its models, so each attribute or class this package
touches is looked up here and nowhere else. :func:`check_internals` lists what a moto
release no longer provides; ``tests/local/test_moto_internals.py`` and
``LocalCognito.start()`` both call it so an incompatible moto fails loudly, naming the
missing piece, instead of misbehaving later.

Supported: moto 5.1.x and 5.2.x (see the ``local`` extra in pyproject.toml).
"""

from __future__ import annotations

import copy
import datetime
import importlib
from collections.abc import Callable, Iterator
from typing import Any

from ._wsgi_server import LocalServer

__all__ = [
    "REQUIRED",
    "MotoClient",
    "MotoPool",
    "MotoUser",
    "check_internals",
    "delete_pool",
    "export_pool",
    "find_client_pool",
    "find_pool",
    "import_pool",
    "install_key_cache",
    "iter_pools",
    "make_threaded_server",
    "moto_error_classes",
    "moto_error_fields",
    "rename_client",
    "rename_pool",
    "response_class",
    "uninstall_key_cache",
]

# (module, dotted attribute) pairs, checked by check_internals(). Instance attributes
# are checked on throw-away objects built from the classes below.
REQUIRED: tuple[tuple[str, str], ...] = (
    ("moto.moto_server.werkzeug_app", "DomainDispatcherApplication"),
    ("moto.moto_server.werkzeug_app", "create_backend_app"),
    ("moto.cognitoidp.models", "cognitoidp_backends"),
    ("moto.cognitoidp.models", "CognitoIdpBackend"),
    ("moto.cognitoidp.models", "CognitoIdpBackend.sign_up"),
    ("moto.cognitoidp.models", "CognitoIdpBackend.admin_create_user"),
    ("moto.cognitoidp.models", "CognitoIdpBackend.admin_delete_user"),
    ("moto.cognitoidp.models", "CognitoIdpUserPool"),
    ("moto.cognitoidp.models", "CognitoIdpUserPool.create_jwt"),
    ("moto.cognitoidp.models", "CognitoIdpUserPool.create_refresh_token"),
    ("moto.cognitoidp.models", "CognitoIdpUser"),
    ("moto.cognitoidp.models", "CognitoIdpUserPoolClient"),
    ("moto.cognitoidp.models", "CognitoIdpGroup"),
    ("moto.cognitoidp.models", "CognitoIdpUserPoolAttribute"),
    ("moto.cognitoidp.models", "CognitoIdpUser.update_attributes"),
    ("moto.cognitoidp.models", "CognitoIdpUser.delete_attributes"),
    ("moto.cognitoidp.models", "CognitoIdpUser.to_json"),
    ("moto.cognitoidp.models", "UserStatus"),
    ("moto.cognitoidp.responses", "CognitoIdpResponse"),
    ("moto.cognitoidp.responses", "CognitoIdpResponse.setup_class"),
    ("moto.cognitoidp.responses", "CognitoIdpResponse.call_action"),
    ("moto.cognitoidp.responses", "CognitoIdpResponse._dispatch"),
    ("moto.cognitoidp.responses", "CognitoIdpResponse._get_action"),
    ("moto.core.exceptions", "JsonRESTError"),
)
_POOL_ATTRS = (
    "id",
    "account_id",
    "region",
    "arn",
    "name",
    "status",
    "creation_date",
    "last_modified_date",
    "schema_attributes",
    "groups",
    "extended_config",
    "mfa_config",
    "sms_mfa_config",
    "token_mfa_config",
    "clients",
    "users",
    "refresh_tokens",
    "access_tokens",
    "id_tokens",
)
_USER_ATTRS = (
    "id",
    "username",
    "password",
    "status",
    "enabled",
    "attributes",
    "attribute_lookup",
    "sms_mfa_enabled",
    "software_token_mfa_enabled",
    "token_verified",
    "preferred_mfa_setting",
    "groups",
    "create_date",
    "last_modified_date",
)
_CLIENT_ATTRS = ("id", "user_pool_id", "secret", "generate_secret", "extended_config")
_GROUP_ATTRS = (
    "user_pool_id",
    "group_name",
    "description",
    "role_arn",
    "precedence",
    "users",
    "creation_date",
    "last_modified_date",
)


def _lookup(module: str, dotted: str) -> Any:
    obj: Any = importlib.import_module(module)
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def check_internals() -> list[str]:
    """Return a description of each moto internal that is missing (empty when all is well)."""
    problems: list[str] = []
    for module, dotted in REQUIRED:
        try:
            _lookup(module, dotted)
        except (ImportError, AttributeError) as exc:
            problems.append(f"{module}.{dotted}: {exc}")
    if problems:
        return problems
    models = importlib.import_module("moto.cognitoidp.models")
    for status in ("CONFIRMED", "UNCONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED"):
        if status not in models.UserStatus.__members__:
            problems.append(f"moto.cognitoidp.models.UserStatus.{status} is missing")
    try:
        pool = models.CognitoIdpUserPool("123456789012", "us-east-1", "probe", {})
        user = models.CognitoIdpUser(pool.id, "probe", "pw", models.UserStatus.CONFIRMED, [])
        client = models.CognitoIdpUserPoolClient(pool.id, True, {})
        group = models.CognitoIdpGroup(pool.id, "probe", "", "", 0)
    except Exception as exc:  # any constructor change is a compatibility problem
        problems.append(f"building moto cognito-idp models failed: {exc!r}")
        return problems
    for label, obj, names in (
        ("CognitoIdpUserPool", pool, _POOL_ATTRS),
        ("CognitoIdpUser", user, _USER_ATTRS),
        ("CognitoIdpUserPoolClient", client, _CLIENT_ATTRS),
        ("CognitoIdpGroup", group, _GROUP_ATTRS),
    ):
        problems.extend(
            f"moto.cognitoidp.models.{label}().{name} is missing"
            for name in names
            if not hasattr(obj, name)
        )
    return problems


# ---- the response handler -----------------------------------------------------------


def response_class() -> Any:
    """moto's cognito-idp response handler class, whose ``_dispatch`` we wrap."""
    return _lookup("moto.cognitoidp.responses", "CognitoIdpResponse")


# ---- errors ---------------------------------------------------------------------------


def moto_error_classes() -> tuple[type[BaseException], ...]:
    """The exception classes moto raises for AWS-style errors.

    ``ServiceException`` only exists from moto 5.1.x onwards, so it is optional.
    """
    module = importlib.import_module("moto.core.exceptions")
    names = ("JsonRESTError", "ServiceException")
    return tuple(getattr(module, name) for name in names if hasattr(module, name))


def moto_error_fields(exc: BaseException) -> tuple[str, str, int]:
    """``(code, message, http_status)`` of a moto service error."""
    code = getattr(exc, "error_type", None) or getattr(exc, "code", "InternalErrorException")
    status = getattr(exc, "code", 400)
    return str(code), str(getattr(exc, "message", "")), status if isinstance(status, int) else 400


# ---- pool signing key cache ----------------------------------------------------------
#
# moto builds every pool's signing key with ``jwk.RSAKey.import_key`` on the same bundled
# JWK, and joserfc recovers the RSA primes each time (~0.3 s per pool). While a
# LocalCognito runs we swap the ``jwk`` name *inside moto.cognitoidp.models only* for a
# proxy that caches that import, so a fresh pool per test stays cheap. Restored on the last
# stop; optional (skipped silently if moto stops importing ``jwk`` that way).


class _CachingRSAKey:
    def __init__(self, real: Any) -> None:
        self._real = real
        self._cache: dict[str, Any] = {}

    def import_key(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        import json

        if args or kwargs or not isinstance(data, dict):
            return self._real.import_key(data, *args, **kwargs)
        marker = json.dumps(data, sort_keys=True)
        if marker not in self._cache:
            self._cache[marker] = self._real.import_key(data)
        return self._cache[marker]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _JwkProxy:
    def __init__(self, real: Any) -> None:
        self._real = real
        self.RSAKey = _CachingRSAKey(real.RSAKey)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def install_key_cache() -> None:
    """Cache moto's per-pool JWK import (see above)."""
    models: Any = importlib.import_module("moto.cognitoidp.models")
    real = getattr(models, "jwk", None)
    if real is not None and hasattr(real, "RSAKey") and not isinstance(real, _JwkProxy):
        models.jwk = _JwkProxy(real)


def uninstall_key_cache() -> None:
    """Put moto's own ``jwk`` back."""
    models: Any = importlib.import_module("moto.cognitoidp.models")
    current = getattr(models, "jwk", None)
    if isinstance(current, _JwkProxy):
        models.jwk = current._real


# ---- server ---------------------------------------------------------------------------


def make_threaded_server(host: str, port: int, wrap: Callable[[Any, int], Any]) -> LocalServer:
    """moto's WSGI app on a bound, not yet serving threaded server, already wrapped: the
    served app is ``wrap(moto_app, bound_port)`` from the first request on."""
    werkzeug_app = importlib.import_module("moto.moto_server.werkzeug_app")
    app = werkzeug_app.DomainDispatcherApplication(werkzeug_app.create_backend_app)
    # moto 5.2 serves with its own handler (it keeps headers with underscores); 5.1 has none.
    return LocalServer(host, port, app, wrap, getattr(werkzeug_app, "MotoRequestHandler", None))


# ---- models ---------------------------------------------------------------------------


# Our attribute on moto's pool objects: the EmailMfaConfiguration moto does not keep.
_EMAIL_MFA = "local_email_mfa_config"


def _backends() -> Any:
    return _lookup("moto.cognitoidp.models", "cognitoidp_backends")


def _user_status(name: str) -> Any:
    return _lookup("moto.cognitoidp.models", "UserStatus")[name]


class MotoClient:
    """Typed view of a moto app client."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def __repr__(self) -> str:
        return f"MotoClient(id={self.id!r})"

    @property
    def id(self) -> str:
        """The client id."""
        return str(self.raw.id)

    @property
    def secret(self) -> str | None:
        """The client secret, or None for a public client."""
        return str(self.raw.secret) if self.raw.generate_secret else None

    def set_secret(self, secret: str) -> None:
        self.raw.secret = secret

    def to_json(self) -> dict[str, Any]:
        """The client as DescribeUserPoolClient shows it (its secret included)."""
        return dict(self.raw.to_json(extended=True))

    @property
    def config(self) -> dict[str, Any]:
        """The client's settings as given to CreateUserPoolClient (plus moto defaults)."""
        config: dict[str, Any] = self.raw.extended_config
        return config


class MotoUser:
    """Typed view of a moto user. Its repr never shows the password."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def __repr__(self) -> str:
        return f"MotoUser(username={self.username!r}, status={self.status!r})"

    @property
    def username(self) -> str:
        """The internal username (the sub in pools whose username is the email/phone)."""
        return str(self.raw.username)

    @property
    def sub(self) -> str:
        """The user's immutable ``sub``."""
        return str(self.raw.id)

    @property
    def password(self) -> str | None:
        """The plain password moto stores for the user (kept only in memory)."""
        value = self.raw.password
        return None if value is None else str(value)

    @password.setter
    def password(self, value: str) -> None:
        self.raw.password = value

    @property
    def status(self) -> str:
        """``CONFIRMED``, ``UNCONFIRMED``, ``FORCE_CHANGE_PASSWORD`` or ``RESET_REQUIRED``."""
        status = self.raw.status
        return str(getattr(status, "value", status))

    @status.setter
    def status(self, value: str) -> None:
        # moto compares with ``is``, so store the enum member, not a plain string.
        self.raw.status = _user_status(value)

    @property
    def enabled(self) -> bool:
        """False after AdminDisableUser."""
        return bool(self.raw.enabled)

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self.raw.enabled = value

    @property
    def attributes(self) -> dict[str, str]:
        """The user's attributes, name to value."""
        return {a["Name"]: a["Value"] for a in self.raw.attributes}

    def update_attributes(self, values: dict[str, str]) -> None:
        """Add or replace attributes."""
        self.raw.update_attributes([{"Name": k, "Value": v} for k, v in values.items()])

    def delete_attributes(self, names: list[str]) -> None:
        """Delete attributes (moto raises InvalidParameterException for unknown ones)."""
        self.raw.delete_attributes(names)

    @property
    def groups(self) -> list[str]:
        """Names of the groups the user belongs to."""
        return sorted(g.group_name for g in self.raw.groups)

    @property
    def sms_mfa_enabled(self) -> bool:
        """SMS MFA switched on for the user."""
        return bool(self.raw.sms_mfa_enabled)

    @sms_mfa_enabled.setter
    def sms_mfa_enabled(self, value: bool) -> None:
        self.raw.sms_mfa_enabled = value

    @property
    def totp_mfa_enabled(self) -> bool:
        """TOTP MFA switched on for the user."""
        return bool(self.raw.software_token_mfa_enabled)

    @totp_mfa_enabled.setter
    def totp_mfa_enabled(self, value: bool) -> None:
        self.raw.software_token_mfa_enabled = value

    @property
    def totp_verified(self) -> bool:
        """The user has verified a software token (moto's gate for enabling TOTP MFA)."""
        return bool(self.raw.token_verified)

    @totp_verified.setter
    def totp_verified(self, value: bool) -> None:
        self.raw.token_verified = value

    @property
    def preferred_mfa(self) -> str:
        """``SMS_MFA``, ``SOFTWARE_TOKEN_MFA`` or ``""``."""
        return str(self.raw.preferred_mfa_setting or "")

    @preferred_mfa.setter
    def preferred_mfa(self, value: str) -> None:
        self.raw.preferred_mfa_setting = value

    def to_json(self, attributes_key: str) -> dict[str, Any]:
        """moto's wire shape of the user (GetUser/AdminGetUser)."""
        result: dict[str, Any] = self.raw.to_json(extended=True, attributes_key=attributes_key)
        return result


class MotoPool:
    """Typed view of a moto user pool and its token bookkeeping."""

    def __init__(self, raw: Any, backend: Any) -> None:
        self.raw = raw
        self.backend = backend

    def __repr__(self) -> str:
        return f"MotoPool(id={self.id!r})"

    @property
    def id(self) -> str:
        """The pool id, ``<region>_<id>``."""
        return str(self.raw.id)

    @property
    def config(self) -> dict[str, Any]:
        """CreateUserPool settings (UsernameAttributes, AutoVerifiedAttributes, ...)."""
        config: dict[str, Any] = self.raw.extended_config
        return config

    @property
    def mfa_config(self) -> str:
        """``OFF``, ``OPTIONAL`` or ``ON``."""
        return str(self.raw.mfa_config or "OFF")

    @property
    def sms_mfa_configured(self) -> bool:
        """SMS MFA is set up on the pool."""
        return bool(self.raw.sms_mfa_config)

    @property
    def totp_mfa_configured(self) -> bool:
        """TOTP MFA is enabled on the pool."""
        return bool((self.raw.token_mfa_config or {}).get("Enabled"))

    @property
    def mfa_settings(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """``(SmsMfaConfiguration, SoftwareTokenMfaConfiguration)`` as last set (None: not set)."""
        return self.raw.sms_mfa_config, self.raw.token_mfa_config

    @property
    def email_mfa_config(self) -> dict[str, Any] | None:
        """The pool's ``EmailMfaConfiguration`` (None: email MFA off). moto drops it, so it is
        kept on moto's pool object under a name of ours (``_EMAIL_MFA``)."""
        value = getattr(self.raw, _EMAIL_MFA, None)
        return None if value is None else dict(value)

    def set_mfa(
        self,
        mode: str,
        sms: dict[str, Any] | None,
        totp: dict[str, Any] | None,
        email: dict[str, Any] | None,
    ) -> None:
        """SetUserPoolMfaConfig: every factor's configuration at once (None switches it off)."""
        self.raw.mfa_config = mode
        self.raw.sms_mfa_config, self.raw.token_mfa_config = sms, totp
        setattr(self.raw, _EMAIL_MFA, None if email is None else dict(email))

    def client(self, client_id: str) -> MotoClient | None:
        """The app client with that id, if it belongs to this pool."""
        raw = self.raw.clients.get(client_id)
        return None if raw is None else MotoClient(raw)

    def users(self) -> list[MotoUser]:
        """Every user of the pool."""
        return [MotoUser(u) for u in self.raw.users.values()]

    def user_by_username(self, username: str) -> MotoUser | None:
        """The user whose internal username is exactly ``username``."""
        raw = self.raw.users.get(username)
        return None if raw is None else MotoUser(raw)

    def delete_user(self, user: MotoUser) -> None:
        """Remove a user (and its group memberships)."""
        self.backend.admin_delete_user(self.id, user.username)

    def sign_up(self, client_id: str, username: str, password: str, attrs: list[Any]) -> MotoUser:
        """moto's SignUp: username-attribute handling, password policy, UNCONFIRMED user."""
        user, _details = self.backend.sign_up(client_id, username, password, attrs)
        return MotoUser(user)

    def admin_create_user(
        self, username: str, message_action: str | None, temp_password: str, attrs: list[Any]
    ) -> MotoUser:
        """moto's AdminCreateUser."""
        user = self.backend.admin_create_user(
            self.id, username, message_action, temp_password, attrs
        )
        return MotoUser(user)

    def issue_jwt(
        self, client_id: str, user: MotoUser, token_use: str, expires_in: int, extra: dict[str, Any]
    ) -> str:
        """A JWT signed with moto's pool key (the one its JWKS endpoint serves)."""
        token, _ = self.raw.create_jwt(
            client_id, user.username, token_use, expires_in=expires_in, extra_data=extra
        )
        return str(token)

    def register_access_token(self, token: str, client_id: str, user: MotoUser) -> None:
        """Make moto know the access token (its own operations look tokens up here)."""
        self.raw.access_tokens[token] = (client_id, user.username)

    def register_id_token(self, token: str, client_id: str, user: MotoUser) -> None:
        """Make moto know the id token."""
        self.raw.id_tokens[token] = (client_id, user.username)

    def new_refresh_token(self, client_id: str, user: MotoUser) -> tuple[str, str]:
        """``(refresh_token, origin_jti)`` registered in moto's table."""
        token, origin_jti = self.raw.create_refresh_token(client_id, user.username)
        return str(token), str(origin_jti)

    def refresh_token_known(self, token: str) -> bool:
        """moto issued this refresh token (revoked or not)."""
        return token in self.raw.refresh_tokens

    def refresh_token_owner(self, token: str) -> tuple[str, str, str] | None:
        """``(client_id, username, origin_jti)``, or ``None`` when revoked or unknown."""
        entry = self.raw.refresh_tokens.get(token)
        return None if entry is None else (str(entry[0]), str(entry[1]), str(entry[2]))

    def revoke_refresh_token(self, token: str) -> None:
        """Mark one refresh token revoked the way moto does (value ``None``)."""
        if token in self.raw.refresh_tokens:
            self.raw.refresh_tokens[token] = None

    def access_token_known(self, token: str) -> bool:
        """moto still holds the access token."""
        return token in self.raw.access_tokens

    def access_tokens_of(self, username: str) -> list[str]:
        """Access tokens moto holds for a user."""
        return [t for t, (_, u) in list(self.raw.access_tokens.items()) if u == username]

    def forget_access_token(self, token: str) -> None:
        """Drop an access token from moto's table."""
        self.raw.access_tokens.pop(token, None)

    def refresh_tokens_of(self, username: str) -> list[str]:
        """Live refresh tokens of a user."""
        return [
            t
            for t, entry in list(self.raw.refresh_tokens.items())
            if entry is not None and entry[1] == username
        ]


def iter_pools() -> Iterator[MotoPool]:
    """Every pool in every account and region of moto's process-wide backend."""
    for account_backends in list(_backends().values()):
        for region, backend in list(account_backends.items()):
            if region == "global":
                continue
            for raw in list(backend.user_pools.values()):
                yield MotoPool(raw, backend)


def find_pool(pool_id: str) -> MotoPool | None:
    """The pool with that id, in whatever account/region it lives."""
    return next((p for p in iter_pools() if p.id == pool_id), None)


def delete_pool(pool_id: str) -> None:
    """Remove a pool from moto's backend (LocalCognito does this for its pools on stop)."""
    for pool in iter_pools():
        if pool.id == pool_id:
            pool.backend.user_pools.pop(pool_id, None)


def create_client(pool: MotoPool, generate_secret: bool, config: dict[str, Any]) -> MotoClient:
    """A new app client of ``pool``, made by moto (CreateUserPoolClient's settings)."""
    raw = pool.backend.create_user_pool_client(pool.id, generate_secret, config)
    return MotoClient(raw)


def find_client_pool(client_id: str) -> MotoPool | None:
    """The pool holding an app client with that id, if any."""
    return next((p for p in iter_pools() if p.client(client_id) is not None), None)


def rename_pool(old_id: str, new_id: str) -> None:
    """Give a just-created pool another id (a fixed ``pool_id``), in every object that names it.

    :raises ValueError: when a pool with ``new_id`` already exists in this process.
    """
    pool = find_pool(old_id)
    if pool is None:
        raise KeyError(old_id)
    if find_pool(new_id) is not None:
        raise ValueError(f"a user pool {new_id} already exists in this process")
    raw = pool.raw
    pool.backend.user_pools.pop(old_id)
    raw.id = new_id
    raw.arn = f"{raw.arn.rsplit('/', 1)[0]}/{new_id}"
    for member in (*raw.clients.values(), *raw.users.values(), *raw.groups.values()):
        member.user_pool_id = new_id
    pool.backend.user_pools[new_id] = raw


def rename_client(pool_id: str, old_id: str, new_id: str) -> None:
    """Give a just-created app client another id (a fixed ``client_id``).

    :raises ValueError: when an app client with ``new_id`` already exists in this process.
    """
    pool = find_pool(pool_id)
    if pool is None or old_id not in pool.raw.clients:
        raise KeyError(old_id)
    if find_client_pool(new_id) is not None:
        raise ValueError(f"an app client {new_id} already exists in this process")
    client = pool.raw.clients.pop(old_id)
    client.id = new_id
    pool.raw.clients[new_id] = client


# ---- state files ------------------------------------------------------------------------
#
# A pool's moto side as plain JSON data and back, for LocalCognito(state=...). Users carry
# no password: the strict layer keeps (and saves) the verifier, and puts a placeholder in
# moto's password field (see StrictState.set_password in _state.py).

_JSON_VALUES = (str, int, float, bool, type(None), dict, list)


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _from_iso(value: Any) -> datetime.datetime | None:
    return None if value is None else datetime.datetime.fromisoformat(str(value))


def export_pool(pool: MotoPool) -> dict[str, Any]:
    """moto's side of one pool as JSON data: settings, app clients (with their secrets),
    groups and users (attributes, status, MFA flags, groups; no password)."""
    raw = pool.raw
    return {
        "id": raw.id,
        "account_id": raw.account_id,
        "region": raw.region,
        "name": raw.name,
        "status": raw.status,
        "created": _iso(raw.creation_date),
        "modified": _iso(raw.last_modified_date),
        "config": copy.deepcopy(raw.extended_config),
        "mfa": {
            "mode": raw.mfa_config,
            "sms": raw.sms_mfa_config,
            "totp": raw.token_mfa_config,
            "email": pool.email_mfa_config,
        },
        "schema": [
            {k: v for k, v in vars(attribute).items() if isinstance(v, _JSON_VALUES)}
            for attribute in raw.schema_attributes.values()
        ],
        "clients": [
            {
                "id": client.id,
                "secret": client.secret if client.generate_secret else None,
                "config": copy.deepcopy(client.extended_config),
            }
            for client in raw.clients.values()
        ],
        "groups": [
            {
                "name": group.group_name,
                "description": group.description,
                "role_arn": group.role_arn,
                "precedence": group.precedence,
                "created": _iso(group.creation_date),
                "modified": _iso(group.last_modified_date),
            }
            for group in raw.groups.values()
        ],
        "users": [_export_user(MotoUser(user)) for user in raw.users.values()],
    }


def _export_user(user: MotoUser) -> dict[str, Any]:
    raw = user.raw
    return {
        "username": user.username,
        "sub": user.sub,
        "status": user.status,
        "enabled": user.enabled,
        "attributes": user.attributes,
        "sms_mfa_enabled": user.sms_mfa_enabled,
        "totp_mfa_enabled": user.totp_mfa_enabled,
        "totp_verified": user.totp_verified,
        "preferred_mfa": user.preferred_mfa,
        "groups": user.groups,
        "created": _iso(raw.create_date),
        "modified": _iso(raw.last_modified_date),
    }


def import_pool(data: dict[str, Any]) -> MotoPool:
    """Rebuild a pool from :func:`export_pool`'s data and register it in moto's backend, only
    once it is whole. Users get no password (``None``); the strict layer restores verifiers.

    :raises ValueError: when the pool, or one of its app clients, already exists here.
    :raises KeyError, TypeError: for malformed data.
    """
    models: Any = importlib.import_module("moto.cognitoidp.models")
    pool_id = str(data["id"])
    if find_pool(pool_id) is not None:
        raise ValueError(f"a user pool {pool_id} already exists in this process")
    backend = _backends()[str(data["account_id"])][str(data["region"])]
    raw = models.CognitoIdpUserPool(
        backend.account_id, backend.region_name, str(data["name"]), copy.deepcopy(data["config"])
    )
    raw.id = pool_id
    raw.arn = f"{raw.arn.rsplit('/', 1)[0]}/{pool_id}"
    raw.status = data["status"]
    raw.creation_date = _from_iso(data["created"])
    raw.last_modified_date = _from_iso(data["modified"])
    mfa = data["mfa"]
    # "email" is absent from files written before email MFA existed: off.
    MotoPool(raw, backend).set_mfa(mfa["mode"], mfa["sms"], mfa["totp"], mfa.get("email"))
    attribute_cls = models.CognitoIdpUserPoolAttribute
    schema = {}
    for fields in data["schema"]:
        # Restored field by field: rebuilding through the constructor would re-validate
        # (and for some attributes re-derive) what moto accepted when the pool was made.
        attribute = attribute_cls.__new__(attribute_cls)
        attribute.__dict__.update(fields)
        schema[str(fields["name"])] = attribute
    if schema:
        raw.schema_attributes = schema
    for entry in data["clients"]:
        client_id = str(entry["id"])
        if find_client_pool(client_id) is not None:
            raise ValueError(f"an app client {client_id} already exists in this process")
        secret = entry["secret"]
        client = models.CognitoIdpUserPoolClient(
            pool_id, secret is not None, copy.deepcopy(entry["config"])
        )
        client.id = client_id
        if secret is not None:
            client.secret = str(secret)
        raw.clients[client_id] = client
    for entry in data["groups"]:
        group = models.CognitoIdpGroup(
            pool_id,
            str(entry["name"]),
            entry["description"],
            entry["role_arn"],
            entry["precedence"],
        )
        group.creation_date = _from_iso(entry["created"])
        group.last_modified_date = _from_iso(entry["modified"])
        raw.groups[group.group_name] = group
    for entry in data["users"]:
        user = _import_user(models, pool_id, entry)
        for name in entry["groups"]:
            group = raw.groups[name]
            group.users.add(user.raw)
            user.raw.groups.add(group)
        raw.users[user.username] = user.raw
    backend.user_pools[pool_id] = raw
    return MotoPool(raw, backend)


def _import_user(models: Any, pool_id: str, entry: dict[str, Any]) -> MotoUser:
    raw = models.CognitoIdpUser(
        pool_id, str(entry["username"]), None, _user_status("CONFIRMED"), []
    )
    raw.id = str(entry["sub"])
    user = MotoUser(raw)
    user.update_attributes({str(k): str(v) for k, v in dict(entry["attributes"]).items()})
    user.status = str(entry["status"])
    raw.enabled = bool(entry["enabled"])
    user.sms_mfa_enabled = bool(entry["sms_mfa_enabled"])
    user.totp_mfa_enabled = bool(entry["totp_mfa_enabled"])
    user.totp_verified = bool(entry["totp_verified"])
    user.preferred_mfa = str(entry["preferred_mfa"])
    raw.create_date = _from_iso(entry["created"])
    raw.last_modified_date = _from_iso(entry["modified"])
    return user
