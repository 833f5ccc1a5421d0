"""PoolConfig: what identifies a user pool app client, checked once at construction."""

from __future__ import annotations

import contextlib
import inspect
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Protocol, TypedDict, TypeVar, runtime_checkable

from ._errors import InvalidParameterError

__all__ = [
    "DEFAULT_MAX_POOL_CONNECTIONS",
    "AdminConfig",
    "AdminOptions",
    "PoolConfig",
    "PoolOptions",
    "SignOutListener",
    "TransportOptions",
    "check_seconds",
    "with_pool_options",
]

F = TypeVar("F", bound=Callable[..., Any])

# AWS's own patterns (botocore's model: UserPoolIdType is "[\w-]+_[0-9a-zA-Z]+" of at most
# 55 characters, whose prefix is the region; ClientIdType is "[\w+]+" of 1 to 128). They are
# Java patterns, where \w is ASCII: re.ASCII keeps "clïent" out, as Cognito does. _validate
# derives its checks from the model itself; this layer cannot import it, so a test holds
# these two to the model's.
_POOL_ID = re.compile(r"(?P<region>[a-z]{2}(?:-[a-z]+)+-[0-9]+)_[0-9A-Za-z]+", re.ASCII)
_MAX_POOL_ID = 55
_CLIENT_ID = re.compile(r"[\w+]{1,128}", re.ASCII)
# ClientSecretType: "[\w+]+" of 24 to 64 characters. Cognito generates the secrets it gives
# app clients to that shape; RevokeToken and GetTokensFromRefreshToken send it as it is.
_CLIENT_SECRET = re.compile(r"[\w+]{24,64}", re.ASCII)
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-[0-9]+", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")

# botocore's default of 10 connections serialises a hundred concurrent calls on one client.
DEFAULT_MAX_POOL_CONNECTIONS = 100


@runtime_checkable
class SignOutListener(Protocol):  # pragma: no mutate block
    """Told when the application signs a user out through the pool (``logout``,
    ``revoke_token``), so that verifiers can refuse those tokens before they expire:
    ``cognito_user_pool.Revocations`` is one (docs/revocation.md)."""

    async def signed_out(self, *tokens: str, everywhere: bool = False) -> None: ...


@dataclass(frozen=True)
class PoolConfig:
    """Where the pool is and how to reach it. Immutable; the client secret never shows in ``repr``.

    :param user_pool_id: ``<region>_<id>``, for example ``us-east-1_AbC123``.
    :param client_id: the app client id.
    :param client_secret: the app client's secret, if it has one.
    :param region: the AWS region; defaults to the pool id's prefix.
    :param endpoint_url: a custom Cognito endpoint (a local Cognito, a proxy).
    :param paranoia: accepted for compatibility with the Node library (an integer 1-10);
        randomness always comes from the operating system's CSPRNG whatever its value.
    :param max_pool_connections: HTTP connections kept open to Cognito.
    :param max_attempts: total attempts per request, retries included (botocore ``standard``
        retry mode: exponential back-off with jitter on throttling and transient errors).
    :param connect_timeout: seconds to open a connection.
    :param read_timeout: seconds to wait for an answer.
    :param refresh_token_rotation: how refreshes are sent. ``None`` (the default) detects it:
        REFRESH_TOKEN_AUTH until Cognito refuses it because the app client rotates refresh
        tokens, then GetTokensFromRefreshToken; ``True`` always GetTokensFromRefreshToken
        (it works for every app client, and takes the client secret itself rather than a
        SECRET_HASH); ``False`` always REFRESH_TOKEN_AUTH (docs/tokens.md, "Refresh-token
        rotation").
    :param revocations: told of every sign-out made through the pool, for verifiers that
        check revocation (a ``Revocations``; docs/revocation.md). ``None``: nobody is told.
    :raises InvalidParameterError: for a malformed id, region, secret or option.
    """

    user_pool_id: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    region: str | None = None
    endpoint_url: str | None = None
    paranoia: int | None = None
    max_pool_connections: int = DEFAULT_MAX_POOL_CONNECTIONS
    max_attempts: int = 3
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    refresh_token_rotation: bool | None = None
    revocations: SignOutListener | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.revocations is not None and not isinstance(self.revocations, SignOutListener):
            raise InvalidParameterError(
                "revocations must have an async signed_out(*tokens, everywhere=False), "
                "such as a Revocations",
                field="revocations",
            )
        region = _check_ids(self.user_pool_id, self.client_id)
        _check_secret(self.client_secret)
        object.__setattr__(self, "region", _check_region(self.region, region))
        _check_endpoint(self.endpoint_url)
        if self.paranoia is not None and (
            isinstance(self.paranoia, bool)
            or not isinstance(self.paranoia, int)
            or not 1 <= self.paranoia <= 10
        ):
            raise InvalidParameterError(
                "paranoia must be an integer from 1 to 10", field="paranoia"
            )
        _check_transport(self)
        if self.refresh_token_rotation is not None and not isinstance(
            self.refresh_token_rotation, bool
        ):
            raise InvalidParameterError(
                "refresh_token_rotation must be True, False or None (detect it)",
                field="refresh_token_rotation",
            )

    def options(self) -> dict[str, Any]:
        """Every setting but the two ids, as keyword arguments for the pool classes."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("user_pool_id", "client_id")
        }

    def describe(self) -> str:
        """``user_pool_id=..., client_id=..., region=...`` for reprs; the secret shows as ***."""
        secret = ", client_secret=***" if self.client_secret else ""
        endpoint = f", endpoint_url={self.endpoint_url!r}" if self.endpoint_url else ""
        return (
            f"user_pool_id={self.user_pool_id!r}, client_id={self.client_id!r}, "
            f"region={self.region!r}{endpoint}{secret}"
        )

    @property
    def pool_name(self) -> str:
        """The part of the pool id after ``_``, which the SRP maths hashes in."""
        return self.user_pool_id.split("_", 1)[1]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PoolConfig:
        """Read ``COGNITO_USER_POOL_ID``, ``COGNITO_CLIENT_ID``, ``COGNITO_CLIENT_SECRET``,
        ``AWS_REGION`` and ``COGNITO_ENDPOINT_URL``.

        :raises InvalidParameterError: when a required variable is missing or malformed.
        """
        env = os.environ if environ is None else environ
        missing = [n for n in ("COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID") if not env.get(n)]
        if missing:
            raise InvalidParameterError(
                f"environment variable {missing[0]} is not set", field=missing[0]
            )
        return cls(
            user_pool_id=env["COGNITO_USER_POOL_ID"],
            client_id=env["COGNITO_CLIENT_ID"],
            client_secret=env.get("COGNITO_CLIENT_SECRET") or None,
            region=env.get("AWS_REGION") or None,
            endpoint_url=env.get("COGNITO_ENDPOINT_URL") or None,
        )


@dataclass(frozen=True)
class AdminConfig:
    """Where the pool is, how to reach it, and the IAM credentials that sign the admin
    operations. Immutable; secrets never show in ``repr``.

    Credentials left ``None`` come from botocore's usual chain (environment variables, the
    shared credentials and config files with ``AWS_PROFILE``, container and instance roles),
    as for boto3; given here, they are used instead. Either way they are never logged.

    :param user_pool_id: ``<region>_<id>``.
    :param client_id: an app client id, needed only by ``admin_initiate_auth`` and
        ``admin_respond_to_auth_challenge`` (the server-side sign-in); the client must allow
        ``ALLOW_ADMIN_USER_PASSWORD_AUTH``.
    :param client_secret: that app client's secret, if it has one (for SECRET_HASH).
    :param region: the AWS region; defaults to the pool id's prefix.
    :param endpoint_url: a custom Cognito endpoint (a local Cognito, a proxy).
    :param aws_access_key_id: an access key id, with ``aws_secret_access_key``.
    :param aws_secret_access_key: its secret.
    :param aws_session_token: the session token of temporary credentials.
    :param max_pool_connections: HTTP connections kept open to Cognito.
    :param max_attempts: total attempts per request, retries included (``_retry_policy``
        decides which operations may be resent at all).
    :param connect_timeout: seconds to open a connection.
    :param read_timeout: seconds to wait for an answer.
    :raises InvalidParameterError: for a malformed id, region, secret or option, or a key
        id without its secret (or the reverse).
    """

    user_pool_id: str
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    region: str | None = None
    endpoint_url: str | None = None
    aws_access_key_id: str | None = field(default=None, repr=False)
    aws_secret_access_key: str | None = field(default=None, repr=False)
    aws_session_token: str | None = field(default=None, repr=False)
    max_pool_connections: int = DEFAULT_MAX_POOL_CONNECTIONS
    max_attempts: int = 3
    connect_timeout: float = 10.0
    read_timeout: float = 30.0

    def __post_init__(self) -> None:
        region = _check_ids(self.user_pool_id, self.client_id, client_optional=True)
        _check_secret(self.client_secret)
        if self.client_secret is not None and self.client_id is None:
            raise InvalidParameterError(
                "client_secret is the secret of an app client: give client_id too",
                field="client_secret",
            )
        object.__setattr__(self, "region", _check_region(self.region, region))
        _check_endpoint(self.endpoint_url)
        for name in ("aws_access_key_id", "aws_secret_access_key", "aws_session_token"):
            _check_secret(getattr(self, name), name)
        if (self.aws_access_key_id is None) != (self.aws_secret_access_key is None):
            raise InvalidParameterError(
                "give aws_access_key_id and aws_secret_access_key together, or neither (then "
                "botocore's usual chain finds the credentials)",
                field="aws_access_key_id",
            )
        if self.aws_session_token is not None and self.aws_access_key_id is None:
            raise InvalidParameterError(
                "aws_session_token goes with aws_access_key_id and aws_secret_access_key",
                field="aws_session_token",
            )
        _check_transport(self)

    def options(self) -> dict[str, Any]:
        """Every setting but the pool id, as keyword arguments for the admin classes."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "user_pool_id"}

    def credentials(self) -> dict[str, str]:
        """The explicit credentials as ``create_client`` keywords; empty for botocore's chain."""
        names = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    def describe(self) -> str:
        """``user_pool_id=..., region=...`` for reprs; secrets show as ***."""
        client = f", client_id={self.client_id!r}" if self.client_id else ""
        endpoint = f", endpoint_url={self.endpoint_url!r}" if self.endpoint_url else ""
        secret = ", client_secret=***" if self.client_secret else ""
        keys = ", credentials=***" if self.aws_access_key_id else ""
        return (
            f"user_pool_id={self.user_pool_id!r}{client}, region={self.region!r}"
            f"{endpoint}{secret}{keys}"
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AdminConfig:
        """Read ``COGNITO_USER_POOL_ID`` (required), ``COGNITO_CLIENT_ID``,
        ``COGNITO_CLIENT_SECRET``, ``AWS_REGION`` and ``COGNITO_ENDPOINT_URL``; the
        credentials are botocore's to find (``AWS_ACCESS_KEY_ID``, ``AWS_PROFILE``...).

        :raises InvalidParameterError: when the pool id is missing or a value malformed.
        """
        env = os.environ if environ is None else environ
        if not env.get("COGNITO_USER_POOL_ID"):
            raise InvalidParameterError(
                "environment variable COGNITO_USER_POOL_ID is not set",
                field="COGNITO_USER_POOL_ID",
            )
        return cls(
            user_pool_id=env["COGNITO_USER_POOL_ID"],
            client_id=env.get("COGNITO_CLIENT_ID") or None,
            client_secret=env.get("COGNITO_CLIENT_SECRET") or None,
            region=env.get("AWS_REGION") or None,
            endpoint_url=env.get("COGNITO_ENDPOINT_URL") or None,
        )


class TransportOptions(TypedDict, total=False):
    """How requests reach Cognito: the keyword options every pool class takes. Names and
    types only, for type checkers; the defaults and the checks are ``PoolConfig``'s."""

    max_pool_connections: int
    max_attempts: int
    connect_timeout: float
    read_timeout: float


class AdminOptions(TransportOptions, total=False):
    """The keyword options of ``AsyncUserPoolAdmin`` and ``UserPoolAdmin``: ``AdminConfig``'s
    fields after the pool id."""

    client_id: str | None
    client_secret: str | None
    region: str | None
    endpoint_url: str | None
    aws_access_key_id: str | None
    aws_secret_access_key: str | None
    aws_session_token: str | None


class PoolOptions(TransportOptions, total=False):
    """The keyword options of ``AsyncUserPool`` and ``UserPool``: ``PoolConfig``'s fields
    after the two ids (a test keeps the two lists equal)."""

    client_secret: str | None
    region: str | None
    endpoint_url: str | None
    paranoia: int | None
    refresh_token_rotation: bool | None
    revocations: SignOutListener | None


def with_pool_options(
    options: type[TransportOptions], config: type[PoolConfig | AdminConfig] = PoolConfig
) -> Callable[[F], F]:
    """Give a constructor that takes ``**options: Unpack[...]`` the signature Python's tools
    show (``help``, ``inspect``, IDEs at run time): its own parameters, then each option as a
    keyword with ``PoolConfig``'s default, so the defaults are written once."""
    defaults = {
        f.name: inspect.Parameter(
            f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=f.type
        )
        for f in fields(config)
        if f.name in options.__annotations__  # a TypedDict's, inherited keys included
    }

    def decorate(init: F) -> F:
        own = inspect.signature(init).parameters.values()
        kept = [p for p in own if p.kind is not inspect.Parameter.VAR_KEYWORD]
        init.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [*kept, *defaults.values()], return_annotation=None
        )
        return init

    return decorate


def check_seconds(value: object, field: str, *, positive: bool = False) -> float:
    """A duration option: a real number (not a bool), finite, ``>= 0`` or, with
    ``positive``, ``> 0``. NaN compares false with everything, so a NaN timeout would pass
    a plain ``<= 0`` test and then break every call; an int too large for a float would
    break the first one.

    :raises InvalidParameterError: naming ``field``.
    """
    number = math.nan
    if not isinstance(value, bool) and isinstance(value, (int, float)):
        with contextlib.suppress(OverflowError):  # an int too large for a float
            number = float(value)
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        kind = "a positive" if positive else "a non-negative"
        raise InvalidParameterError(f"{field} must be {kind}, finite number", field=field)
    return number


def _check_positive_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidParameterError(f"{name} must be a positive integer", field=name)


def _check_ids(user_pool_id: object, client_id: object, *, client_optional: bool = False) -> str:
    """Check the pool id and the app client id; the region the pool id starts with."""
    if not isinstance(user_pool_id, str):
        raise InvalidParameterError("user_pool_id must be a string", field="user_pool_id")
    match = _POOL_ID.fullmatch(user_pool_id)
    if match is None or len(user_pool_id) > _MAX_POOL_ID:
        raise InvalidParameterError(
            "user_pool_id must look like '<region>_<id>', for example 'us-east-1_AbC123'",
            field="user_pool_id",
        )
    if client_optional and client_id is None:
        return match.group("region")
    if not isinstance(client_id, str) or not _CLIENT_ID.fullmatch(client_id):
        raise InvalidParameterError(
            "client_id must be 1 to 128 letters, digits, '_' or '+'", field="client_id"
        )
    return match.group("region")


def _check_secret(secret: object, field: str = "client_secret") -> None:
    """An app client's secret (ClientSecretType), or, for other fields, any non-empty
    Unicode text (an IAM secret key or session token: botocore's to use)."""
    if secret is None:
        return
    if field == "client_secret":
        if not isinstance(secret, str) or not _CLIENT_SECRET.fullmatch(secret):
            raise InvalidParameterError(
                "client_secret must be the app client's secret as Cognito made it: 24 to 64 "
                "letters, digits, '_' or '+' (or None)",
                field=field,
            )
        return
    if not isinstance(secret, str) or not secret or _SURROGATE.search(secret):
        raise InvalidParameterError(
            f"{field} must be a non-empty string of Unicode text, or None", field=field
        )


def _check_region(region: object, default: str) -> str:
    if region is None:
        return default
    if not isinstance(region, str) or not _REGION.fullmatch(region):
        raise InvalidParameterError(
            "region must be an AWS region name such as 'eu-west-1'", field="region"
        )
    return region


def _check_endpoint(endpoint_url: object) -> None:
    if endpoint_url is not None and (
        not isinstance(endpoint_url, str) or not endpoint_url.startswith(("http://", "https://"))
    ):
        raise InvalidParameterError(
            "endpoint_url must be an http:// or https:// URL", field="endpoint_url"
        )


def _check_transport(config: PoolConfig | AdminConfig) -> None:
    """The options of ``TransportOptions``, on either configuration."""
    _check_positive_int(config.max_pool_connections, "max_pool_connections")
    _check_positive_int(config.max_attempts, "max_attempts")
    for name in ("connect_timeout", "read_timeout"):
        check_seconds(getattr(config, name), name, positive=True)
