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
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-[0-9]+", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")

# botocore's default of 10 connections serialises a hundred concurrent calls on one client.
DEFAULT_MAX_POOL_CONNECTIONS = 100


@runtime_checkable
class SignOutListener(Protocol):
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
        if not isinstance(self.user_pool_id, str):
            raise InvalidParameterError("user_pool_id must be a string", field="user_pool_id")
        match = _POOL_ID.fullmatch(self.user_pool_id)
        if match is None or len(self.user_pool_id) > _MAX_POOL_ID:
            raise InvalidParameterError(
                "user_pool_id must look like '<region>_<id>', for example 'us-east-1_AbC123'",
                field="user_pool_id",
            )
        if not isinstance(self.client_id, str) or not _CLIENT_ID.fullmatch(self.client_id):
            raise InvalidParameterError(
                "client_id must be 1 to 128 letters, digits, '_' or '+'", field="client_id"
            )
        if self.client_secret is not None and (
            not isinstance(self.client_secret, str)
            or not self.client_secret
            or _SURROGATE.search(self.client_secret)
        ):
            # The secret is an HMAC key (SECRET_HASH): it must encode as UTF-8.
            raise InvalidParameterError(
                "client_secret must be a non-empty string of Unicode text, or None",
                field="client_secret",
            )
        if self.region is None:
            object.__setattr__(self, "region", match.group("region"))
        elif not isinstance(self.region, str) or not _REGION.fullmatch(self.region):
            raise InvalidParameterError(
                "region must be an AWS region name such as 'eu-west-1'", field="region"
            )
        if self.endpoint_url is not None and (
            not isinstance(self.endpoint_url, str)
            or not self.endpoint_url.startswith(("http://", "https://"))
        ):
            raise InvalidParameterError(
                "endpoint_url must be an http:// or https:// URL", field="endpoint_url"
            )
        if self.paranoia is not None and (
            isinstance(self.paranoia, bool)
            or not isinstance(self.paranoia, int)
            or not 1 <= self.paranoia <= 10
        ):
            raise InvalidParameterError(
                "paranoia must be an integer from 1 to 10", field="paranoia"
            )
        _check_positive_int(self.max_pool_connections, "max_pool_connections")
        _check_positive_int(self.max_attempts, "max_attempts")
        for name in ("connect_timeout", "read_timeout"):
            check_seconds(getattr(self, name), name, positive=True)
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


class TransportOptions(TypedDict, total=False):
    """How requests reach Cognito: the keyword options every pool class takes. Names and
    types only, for type checkers; the defaults and the checks are ``PoolConfig``'s."""

    max_pool_connections: int
    max_attempts: int
    connect_timeout: float
    read_timeout: float


class PoolOptions(TransportOptions, total=False):
    """The keyword options of ``AsyncUserPool`` and ``UserPool``: ``PoolConfig``'s fields
    after the two ids (a test keeps the two lists equal)."""

    client_secret: str | None
    region: str | None
    endpoint_url: str | None
    paranoia: int | None
    refresh_token_rotation: bool | None
    revocations: SignOutListener | None


def with_pool_options(options: type[TransportOptions]) -> Callable[[F], F]:
    """Give a constructor that takes ``**options: Unpack[...]`` the signature Python's tools
    show (``help``, ``inspect``, IDEs at run time): its own parameters, then each option as a
    keyword with ``PoolConfig``'s default, so the defaults are written once."""
    defaults = {
        f.name: inspect.Parameter(
            f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=f.type
        )
        for f in fields(PoolConfig)
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
