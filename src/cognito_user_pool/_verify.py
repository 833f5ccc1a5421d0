"""TokenVerifier: check Cognito's JWTs locally, against the pool's published keys.

The signature is checked with joserfc (RS256 only), then the claims: ``exp``, ``iat`` and
``nbf`` with a small leeway, ``iss`` and ``sub`` by joserfc's claims registry (see
``_claim_checks``), then what is Cognito's own here: ``token_use``, and the audience (``aud``
in id tokens, ``client_id`` in access tokens, which have no ``aud``). Why these:
docs/cognito-facts.md#jwt-verification. A token with several faults is refused for the first
in that order (missing claims first).

Keys come from the pool's JWKS and are cached by ``kid``. Once they are cached, a
verification is pure CPU: no I/O, no lock. A fetch happens only for the first token, after
``jwks_ttl``, or for an unknown ``kid``; fetches are single-flight (concurrent callers wait
for the one fetch) and at most one is attempted per ``jwks_refetch_interval``, so a flood of
made-up ``kid`` values cannot turn into a flood of requests.

Each refusal is a ``TokenVerificationError`` subclass with its own ``code``; a failed key
fetch is a ``JwksFetchError`` (a ``NetworkError``). They live in ``_errors`` with the rest of
the tree. Messages never contain the token.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, runtime_checkable

import anyio
import anyio.from_thread
import anyio.to_thread

from ._config import PoolConfig, check_seconds
from ._errors import (
    BadSignatureError,
    CognitoError,
    InsufficientClaimsError,
    InvalidParameterError,
    JwksFetchError,
    MalformedTokenError,
    TokenRevokedError,
    UnexpectedError,
    UnknownKeyIdError,
    UnsupportedAlgorithmError,
    WrongAudienceError,
    WrongTokenUseError,
)
from ._tokens import strict_json
from ._verified_cache import DEFAULT_SIZE, VerifiedCache

if TYPE_CHECKING:
    from joserfc.jwk import RSAKey
    from joserfc.jws import CompactSignature, JWSRegistry

    from ._claim_checks import CognitoClaims

# joserfc (and cryptography under it) is imported on first use, as in _tokens: importing
# the package stays light for code that never verifies a token.


__all__ = [
    "UNSET",
    "ClaimsCheck",
    "RevocationCheck",
    "TokenUse",
    "TokenVerifier",
    "VerifiedClaims",
]

logger = logging.getLogger("cognito_user_pool")

TokenUse = Literal["access", "id"]

# Cognito's tokens are a few kilobytes even with many groups; anything far larger is refused
# before it is parsed.
_MAX_TOKEN_CHARS = 32 * 1024
# A JWKS holds a handful of keys; a body past this is not a JWKS.
_MAX_JWKS_BYTES = 256 * 1024
_ALGORITHM = "RS256"


class _Unset:
    """The default of ``verify``'s policy overrides: the verifier's own policy."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


class _Jose(NamedTuple):
    jws: ModuleType
    error: type[Exception]
    registry: JWSRegistry


@functools.cache
def _jose() -> _Jose:
    """joserfc, imported once, and one RS256-only registry built once (joserfc would
    otherwise build a registry per ``validate_compact`` call)."""
    from joserfc import jws
    from joserfc.errors import JoseError

    return _Jose(jws, JoseError, jws.JWSRegistry(algorithms=[_ALGORITHM]))


@dataclass(frozen=True, slots=True)
class VerifiedClaims:
    """The claims of a token that passed every check.

    :ivar sub: the user's stable id.
    :ivar username: the internal username (``cognito:username`` in id tokens, ``username``
        in access tokens).
    :ivar groups: ``cognito:groups``.
    :ivar scopes: ``scope`` split on spaces (access tokens).
    :ivar token_use: ``"access"`` or ``"id"``.
    :ivar client_id: the app client the token was issued to (``client_id`` or ``aud``).
    :ivar expires_at: ``exp``, epoch seconds.
    :ivar issued_at: ``iat``, epoch seconds.
    :ivar raw: every claim, read-only.
    """

    sub: str
    username: str | None
    groups: tuple[str, ...]
    scopes: tuple[str, ...]
    token_use: str
    client_id: str
    expires_at: int
    issued_at: int
    raw: Mapping[str, Any] = field(repr=False)


# The custom check: return False to refuse the token (InsufficientClaimsError), or raise a
# TokenVerificationError of your choice.
ClaimsCheck = Callable[[VerifiedClaims], Awaitable[bool]]


@runtime_checkable
class RevocationCheck(Protocol):  # pragma: no mutate block
    """What ``TokenVerifier(revocation=...)`` calls after a token passed every other check."""

    async def check(self, claims: Mapping[str, Any], token: str) -> None:
        """Return if the token is not revoked.

        :raises TokenRevokedError: it is.
        :raises NetworkError: the answer could not be had.
        """


@dataclass(frozen=True, slots=True)
class _Policy:
    """What a token must have besides valid claims: one group and one scope of each list
    (any of them, as aws-jwt-verify's ``groups`` and ``scope``), and the custom check."""

    groups: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    check: ClaimsCheck | None = None


def _names(value: str | Iterable[str] | None, name: str) -> frozenset[str]:
    """A group or scope requirement: one name, several, or none."""
    if value is None:
        return frozenset()
    names = (value,) if isinstance(value, str) else tuple(value)
    if not all(isinstance(n, str) and n for n in names):
        raise InvalidParameterError(f"{name} must be non-empty strings", field=name)
    return frozenset(names)


@dataclass(frozen=True, slots=True)
class _Parsed:
    obj: CompactSignature
    kid: str


class _Verified(NamedTuple):
    """What a whole check established about a token, and the key that did it."""

    claims: VerifiedClaims
    kid: str
    key: RSAKey


class TokenVerifier:
    """Verifies the access and id tokens of one Cognito user pool, offline after the first key
    fetch.

    Usage::

        verifier = TokenVerifier("eu-west-1_AbC123", "1example23456789")
        claims = await verifier.verify(access_token)  # or verifier.verify_sync(...)
        print(claims.sub, claims.groups)

    One verifier can serve every task and thread of a process: create it once. The async
    path fetches keys with aiohttp on the running loop; the blocking path fetches them
    through a short-lived anyio blocking portal (a thread with its own loop), which only
    happens when the cache is empty, stale or missing a ``kid``.

    :param user_pool_id: ``<region>_<id>``.
    :param client_ids: the app client id, or several, whose tokens are accepted.
    :param region: overrides the region taken from the pool id.
    :param endpoint_url: a custom Cognito endpoint (moto, a local Cognito): the keys are read
        from ``<endpoint_url>/<pool id>/.well-known/jwks.json`` while the expected ``iss``
        stays ``https://cognito-idp.<region>.amazonaws.com/<pool id>``.
    :param jwks_url: the JWKS address, overriding both defaults.
    :param leeway: seconds of clock skew allowed on ``exp``, ``iat`` and ``nbf``.
    :param jwks_ttl: seconds after which cached keys are refetched (on the next use; if that
        fetch fails, known keys keep working).
    :param jwks_refetch_interval: at least this many seconds between two fetch attempts.
    :param jwks_timeout: seconds for one JWKS request.
    :param clock: returns the time in epoch seconds; defaults to ``time.time``.
    :param groups: refuse tokens in none of these groups (``cognito:groups``).
    :param scopes: refuse tokens with none of these scopes (``scope``; access tokens).
    :param check: an async custom check, called last; it returns False to refuse the token
        (``InsufficientClaimsError``) or raises a ``TokenVerificationError`` of its own.
    :param revocation: an opt-in revocation check (``Revocations`` or
        ``CognitoRevocationCheck``, docs/revocation.md), called after the signature and
        claims, before the policy.
    :param cache_size: how many verified tokens to remember (by their SHA-256, never the
        token), so that the same token again skips the RSA check until its ``exp``; the
        clock, the revocation check and the policy still run at every call. 0 turns it off.
    :raises InvalidParameterError: for a malformed pool id, client id, region or option.
    """

    def __init__(
        self,
        user_pool_id: str,
        client_ids: str | Iterable[str],
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        jwks_url: str | None = None,
        leeway: float = 5.0,
        jwks_ttl: float = 3600.0,
        jwks_refetch_interval: float = 10.0,
        jwks_timeout: float = 10.0,
        clock: Callable[[], float] | None = None,
        groups: str | Iterable[str] | None = None,
        scopes: str | Iterable[str] | None = None,
        check: ClaimsCheck | None = None,
        revocation: RevocationCheck | None = None,
        cache_size: int = DEFAULT_SIZE,
    ) -> None:
        ids = (client_ids,) if isinstance(client_ids, str) else tuple(client_ids)
        if not ids:
            raise InvalidParameterError(
                "client_ids must name at least one app client", field="client_ids"
            )
        # PoolConfig checks the pool id, every client id, the region and the endpoint.
        configs = [
            PoolConfig(
                user_pool_id=user_pool_id, client_id=c, region=region, endpoint_url=endpoint_url
            )
            for c in ids
        ]
        config = configs[0]
        leeway = check_seconds(leeway, "leeway")
        jwks_ttl = check_seconds(jwks_ttl, "jwks_ttl")
        jwks_refetch_interval = check_seconds(jwks_refetch_interval, "jwks_refetch_interval")
        jwks_timeout = check_seconds(jwks_timeout, "jwks_timeout", positive=True)
        if jwks_url is not None and (
            not isinstance(jwks_url, str) or not jwks_url.startswith(("http://", "https://"))
        ):
            raise InvalidParameterError(
                "jwks_url must be an http:// or https:// URL", field="jwks_url"
            )

        self._user_pool_id = config.user_pool_id
        self._client_ids = frozenset(ids)
        self._issuer = f"https://cognito-idp.{config.region}.amazonaws.com/{config.user_pool_id}"
        if jwks_url is None:
            base = config.endpoint_url.rstrip("/") if config.endpoint_url else None
            jwks_url = (
                f"{base}/{config.user_pool_id}/.well-known/jwks.json"
                if base
                else f"{self._issuer}/.well-known/jwks.json"
            )
        self._jwks_url = jwks_url
        self._leeway = leeway
        self._ttl = jwks_ttl
        self._refetch_interval = jwks_refetch_interval
        self._timeout = jwks_timeout
        self._clock = clock or time.time
        if check is not None and not callable(check):
            raise InvalidParameterError("check must be an async function", field="check")
        if revocation is not None and not isinstance(revocation, RevocationCheck):
            raise InvalidParameterError(
                "revocation must have an async check(claims, token) method", field="revocation"
            )
        self._policy = _Policy(_names(groups, "groups"), _names(scopes, "scopes"), check)
        self._revocation = revocation
        if isinstance(cache_size, bool) or not isinstance(cache_size, int) or cache_size < 0:
            raise InvalidParameterError(
                "cache_size must be an integer, 0 or more", field="cache_size"
            )
        self._verified: VerifiedCache[_Verified] = VerifiedCache(cache_size)

        # The cache is replaced whole, never mutated, so readers need no lock.
        self._keys: Mapping[str, RSAKey] = MappingProxyType({})
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        # One fetch at a time across threads; per event loop, an anyio lock queues the tasks
        # so that only one of them waits on the thread lock.
        self._fetch_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    @classmethod
    def from_config(cls, config: PoolConfig, **options: Any) -> TokenVerifier:
        """A verifier for the pool and app client of a ``PoolConfig`` (``pool.config``);
        ``options`` are the keyword options of the constructor."""
        options.setdefault("region", config.region)
        options.setdefault("endpoint_url", config.endpoint_url)
        return cls(config.user_pool_id, config.client_id, **options)

    @functools.cached_property
    def _claim_checks(self) -> CognitoClaims:
        """joserfc's claims registry for this pool, built on first use (it imports joserfc)."""
        from ._claim_checks import claim_checks

        return claim_checks(self._issuer, clock=self._clock, leeway=self._leeway)

    @property
    def issuer(self) -> str:
        """The ``iss`` every accepted token must carry."""
        return self._issuer

    @property
    def jwks_url(self) -> str:
        """Where the keys are fetched from."""
        return self._jwks_url

    @property
    def client_ids(self) -> frozenset[str]:
        """The app clients whose tokens are accepted."""
        return self._client_ids

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(user_pool_id={self._user_pool_id!r}, "
            f"client_ids={sorted(self._client_ids)!r}, jwks_url={self._jwks_url!r})"
        )

    async def verify(
        self,
        token: str,
        token_use: TokenUse = "access",
        *,
        groups: str | Iterable[str] | _Unset | None = UNSET,
        scopes: str | Iterable[str] | _Unset | None = UNSET,
        check: ClaimsCheck | _Unset | None = UNSET,
    ) -> VerifiedClaims:
        """Verify a token's signature and claims, then the revocation check and the policy.

        :param token: the compact JWT (without ``Bearer``).
        :param token_use: ``"access"`` (the default) or ``"id"``.
        :param groups: for this call, instead of the verifier's ``groups`` (None: none).
        :param scopes: for this call, instead of the verifier's ``scopes`` (None: none).
        :param check: for this call, instead of the verifier's ``check`` (None: none).
        :returns: the verified claims.
        :raises TokenVerificationError: a subclass saying why the token was refused
            (``TokenRevokedError``, ``InsufficientClaimsError`` included).
        :raises JwksFetchError: the keys were needed and could not be fetched.
        :raises NetworkError: the revocation check could not be made.
        """
        _check_token_use(token_use)
        policy = self._policy_for(groups, scopes, check)
        claims = self._recalled(token, token_use)
        if claims is None:
            parsed = _parse(token)
            key = self._cached_key(parsed.kid)
            if key is None:
                key = await self._key_after_fetch(parsed.kid)
            claims = self._remembered(token, parsed, key, token_use)
        if self._revocation is not None or policy.check is not None:
            await self._after_checks(claims, token, policy)
        else:
            _check_policy(claims, policy)
        return claims

    def verify_sync(
        self,
        token: str,
        token_use: TokenUse = "access",
        *,
        groups: str | Iterable[str] | _Unset | None = UNSET,
        scopes: str | Iterable[str] | _Unset | None = UNSET,
        check: ClaimsCheck | _Unset | None = UNSET,
    ) -> VerifiedClaims:
        """The blocking twin of :meth:`verify`, for plain sync code (no event loop needed).

        With the keys cached and no revocation check or custom check, this is pure CPU; a
        needed fetch, a revocation check and a custom check run on a short-lived anyio
        blocking portal (a thread with its own event loop). Call :meth:`verify` instead from
        async code.

        :raises TokenVerificationError: a subclass saying why the token was refused.
        :raises JwksFetchError: the keys were needed and could not be fetched.
        :raises NetworkError: the revocation check could not be made.
        """
        _check_token_use(token_use)
        policy = self._policy_for(groups, scopes, check)
        claims = self._recalled(token, token_use)
        if claims is None:
            parsed = _parse(token)
            key = self._cached_key(parsed.kid)
            if key is None:
                key = self._key_after_fetch_sync(parsed.kid)
            claims = self._remembered(token, parsed, key, token_use)
        if self._revocation is not None or policy.check is not None:
            with anyio.from_thread.start_blocking_portal() as portal:
                portal.call(self._after_checks, claims, token, policy)
        else:
            _check_policy(claims, policy)
        return claims

    def _policy_for(
        self,
        groups: str | Iterable[str] | _Unset | None,
        scopes: str | Iterable[str] | _Unset | None,
        check: ClaimsCheck | _Unset | None,
    ) -> _Policy:
        """The verifier's policy, with a call's overrides."""
        policy = self._policy
        if isinstance(groups, _Unset) and isinstance(scopes, _Unset) and isinstance(check, _Unset):
            return policy
        if check is not None and not isinstance(check, _Unset) and not callable(check):
            raise InvalidParameterError("check must be an async function", field="check")
        return _Policy(
            policy.groups if isinstance(groups, _Unset) else _names(groups, "groups"),
            policy.scopes if isinstance(scopes, _Unset) else _names(scopes, "scopes"),
            policy.check if isinstance(check, _Unset) else check,
        )

    def _recalled(self, token: object, token_use: str) -> VerifiedClaims | None:
        """The claims of ``token`` verified earlier as ``token_use``: while it has not expired
        (``exp`` plus the leeway, as joserfc checks it), and while the key that verified it
        is the fresh one cached (a refetch, or a key set past its TTL, checks it all again)."""
        if type(token) is not str:
            return None  # _parse says what is wrong with it
        now = self._clock()
        entry = self._verified.get(token, token_use, now)
        if entry is None or self._keys.get(entry.kid) is not entry.key or not self._is_fresh(now):
            return None
        return entry.claims

    def _remembered(
        self, token: str, parsed: _Parsed, key: RSAKey, token_use: str
    ) -> VerifiedClaims:
        """The whole check of ``token``; what it established is kept until the token expires."""
        claims = self._check(parsed, key, token_use)
        entry = _Verified(claims, parsed.kid, key)
        self._verified.put(token, token_use, entry, claims.expires_at + self._leeway)
        return claims

    async def _after_checks(self, claims: VerifiedClaims, token: str, policy: _Policy) -> None:
        """The revocation check, then the policy: groups, scopes, the custom check."""
        if self._revocation is not None:
            try:
                await self._revocation.check(claims.raw, token)
            except TokenRevokedError:
                self._verified.discard(token, claims.token_use)  # it will not come back
                raise
        _check_policy(claims, policy)
        if policy.check is not None:
            try:
                accepted = await policy.check(claims)
            except CognitoError:
                raise
            except Exception as exc:
                # Only the type is named: a foreign message might quote the token.
                raise UnexpectedError(f"the custom check failed ({type(exc).__name__})") from exc
            if accepted is not True:
                raise InsufficientClaimsError("the custom check refused the token")

    async def prefetch(self) -> None:
        """Fetch the keys now (at start-up, say) so that the first request waits for nothing.

        :raises JwksFetchError: the keys could not be fetched.
        """
        async with self._loop_lock(), _holding(self._fetch_lock):
            self._attempted_at = self._clock()
            self._store(await self._download())

    def prefetch_sync(self) -> None:
        """The blocking twin of :meth:`prefetch`."""
        with self._fetch_lock:
            self._attempted_at = self._clock()
            self._store(self._download_blocking())

    # -- keys ---------------------------------------------------------------------------

    def _is_fresh(self, now: float) -> bool:
        fetched = self._fetched_at
        return fetched is not None and 0 <= now - fetched < self._ttl

    def _cached_key(self, kid: str) -> RSAKey | None:
        """The hot path: a cached key while the cache is fresh, else ``None``."""
        key = self._keys.get(kid)
        if key is not None and self._is_fresh(self._clock()):
            return key
        return None

    def _plan(self, kid: str) -> RSAKey | None:
        """Holding the fetch lock: a key usable without fetching, or ``None`` to fetch now.

        :raises UnknownKeyIdError: the ``kid`` is unknown and a fetch is not allowed yet.
        :raises JwksFetchError: no keys were ever fetched and the last attempt was too recent.
        """
        now = self._clock()
        key = self._keys.get(kid)
        if key is not None and self._is_fresh(now):
            return key  # another task or thread fetched while this one waited
        attempted = self._attempted_at
        if attempted is None or not 0 <= now - attempted < self._refetch_interval:
            self._attempted_at = now
            return None
        if key is not None:
            return key  # stale, but refetching is rate-limited: the known key still serves
        if self._fetched_at is None:
            raise JwksFetchError(
                f"the pool's JWKS could not be fetched from {self._jwks_url}; "
                f"next attempt in at most {self._refetch_interval:g} s"
            )
        raise UnknownKeyIdError("the token's kid is not among the pool's keys")

    def _after_fetch(self, kid: str, keys: Mapping[str, RSAKey] | JwksFetchError) -> RSAKey:
        if isinstance(keys, JwksFetchError):
            stale = self._keys.get(kid)
            if stale is None:
                raise keys
            logger.warning("JWKS refetch failed (%s); keeping the cached keys", keys.message)
            return stale
        self._store(keys)
        key = keys.get(kid)
        if key is None:
            raise UnknownKeyIdError("the token's kid is not among the pool's keys")
        return key

    def _store(self, keys: Mapping[str, RSAKey]) -> None:
        self._keys = MappingProxyType(dict(keys))
        self._fetched_at = self._clock()

    async def _key_after_fetch(self, kid: str) -> RSAKey:
        async with self._loop_lock(), _holding(self._fetch_lock):
            previous = self._attempted_at
            key = self._plan(kid)
            if key is not None:
                return key
            try:
                keys: Mapping[str, RSAKey] | JwksFetchError = await self._download()
            except JwksFetchError as exc:
                keys = exc
            except BaseException:
                # Cancelled (a client hung up): an attempt that never finished must not make
                # the waiting tasks fail on the rate limit.
                self._attempted_at = previous
                raise
            return self._after_fetch(kid, keys)

    def _key_after_fetch_sync(self, kid: str) -> RSAKey:
        # Bounded wait: a blocking call made on an event loop thread while a task of that
        # same loop holds the lock would otherwise wait forever.
        if not self._fetch_lock.acquire(timeout=2 * self._timeout + 1):
            raise JwksFetchError("timed out waiting for another fetch of the pool's JWKS")
        try:
            previous = self._attempted_at
            key = self._plan(kid)
            if key is not None:
                return key
            try:
                keys: Mapping[str, RSAKey] | JwksFetchError = self._download_blocking()
            except JwksFetchError as exc:
                keys = exc
            except BaseException:
                self._attempted_at = previous
                raise
            return self._after_fetch(kid, keys)
        finally:
            self._fetch_lock.release()

    def _loop_lock(self) -> anyio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._loop_locks.get(loop)
        if lock is None:
            lock = self._loop_locks[loop] = anyio.Lock()
        return lock

    def _download_blocking(self) -> dict[str, RSAKey]:
        # A fetch is rare (first use, TTL, key rotation), so a portal per fetch costs little
        # and keeps no thread alive between fetches.
        with anyio.from_thread.start_blocking_portal() as portal:
            return portal.call(self._download)

    async def _download(self) -> dict[str, RSAKey]:
        """GET the JWKS with aiohttp and keep its RS256 signing keys, by ``kid``."""
        import aiohttp

        logger.debug("fetching JWKS from %s", self._jwks_url)
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as http,
                http.get(self._jwks_url, allow_redirects=False) as response,
            ):
                if response.status != 200:
                    raise JwksFetchError(
                        f"the JWKS at {self._jwks_url} answered HTTP {response.status}"
                    )
                body = await _read_at_most(response.content, _MAX_JWKS_BYTES + 1)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            raise JwksFetchError(
                f"no answer from the JWKS at {self._jwks_url} ({type(exc).__name__})"
            ) from exc
        if len(body) > _MAX_JWKS_BYTES:
            raise JwksFetchError(f"the JWKS at {self._jwks_url} is too large")
        return _read_jwks(body, self._jwks_url)

    # -- claims -------------------------------------------------------------------------

    def _check(self, parsed: _Parsed, key: RSAKey, token_use: str) -> VerifiedClaims:
        jose = _jose()
        try:
            valid = jose.jws.validate_compact(parsed.obj, key, registry=jose.registry)
        except jose.error as exc:
            raise MalformedTokenError("the token's header is not acceptable") from exc
        if not valid:
            raise BadSignatureError("the token's signature does not match")
        try:
            claims = strict_json(parsed.obj.payload)
        except (ValueError, UnicodeError) as exc:
            raise MalformedTokenError("the token's payload is not JSON") from exc
        if not isinstance(claims, dict):
            raise MalformedTokenError("the token's payload is not a JSON object")
        # exp, iat, nbf, iss and sub by joserfc; then what is Cognito's own.
        self._claim_checks.check(claims)
        if claims.get("token_use") != token_use:
            raise WrongTokenUseError(f"expected an {token_use} token")
        client_id = _audience(claims, token_use, self._client_ids)
        if client_id is None:
            raise WrongAudienceError("the token was issued to another app client")
        return _claims(claims, token_use, client_id)


def _check_policy(claims: VerifiedClaims, policy: _Policy) -> None:
    """Groups and scopes: at least one of each required list."""
    if policy.groups and policy.groups.isdisjoint(claims.groups):
        raise InsufficientClaimsError("the token is in none of the required groups")
    if policy.scopes and policy.scopes.isdisjoint(claims.scopes):
        raise InsufficientClaimsError("the token has none of the required scopes")


def _check_token_use(token_use: str) -> None:
    if token_use not in ("access", "id"):
        raise InvalidParameterError("token_use must be 'access' or 'id'", field="token_use")


def _parse(token: object) -> _Parsed:
    """Split a compact JWS and check what can be checked before a key is chosen."""
    if not isinstance(token, str) or not token:
        raise MalformedTokenError("the token must be a non-empty string")
    if len(token) > _MAX_TOKEN_CHARS:
        raise MalformedTokenError("the token is too long")
    jose = _jose()
    try:
        obj = jose.jws.extract_compact(token.encode("ascii"))
        header = obj.headers()
    except (jose.error, ValueError, TypeError, UnicodeError) as exc:
        raise MalformedTokenError("the token is not a compact JWS") from exc
    if header.get("alg") != _ALGORITHM:
        # The value is the sender's: it is not repeated in the message.
        raise UnsupportedAlgorithmError("the token's alg is not RS256")
    if "b64" in header:
        raise MalformedTokenError("the token uses an unencoded payload (b64)")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise UnknownKeyIdError("the token's header has no kid")
    return _Parsed(obj=obj, kid=kid)


def _audience(claims: Mapping[str, Any], token_use: str, accepted: frozenset[str]) -> str | None:
    """The accepted app client the token names: ``client_id`` (access) or ``aud`` (id)."""
    value = claims.get("client_id" if token_use == "access" else "aud")
    if isinstance(value, str):
        return value if value in accepted else None
    if token_use == "id" and isinstance(value, list):
        # RFC 7519 allows a list; Cognito sends a string.
        return next((v for v in value if isinstance(v, str) and v in accepted), None)
    return None


def _claims(claims: dict[str, Any], token_use: str, client_id: str) -> VerifiedClaims:
    """The claims of a token that passed every check (``sub``, ``exp`` and ``iat`` included)."""
    username = claims.get("cognito:username", claims.get("username"))
    groups = claims.get("cognito:groups")
    scope = claims.get("scope")
    return VerifiedClaims(
        sub=claims["sub"],
        username=username if isinstance(username, str) else None,
        groups=tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else (),
        scopes=tuple(scope.split()) if isinstance(scope, str) else (),
        token_use=token_use,
        client_id=client_id,
        expires_at=int(claims["exp"]),
        issued_at=int(claims["iat"]),
        raw=MappingProxyType(claims),
    )


async def _read_at_most(stream: Any, limit: int) -> bytes:
    """The body until its end or ``limit`` bytes: aiohttp's ``read(n)`` returns *up to* n
    bytes, whatever has arrived, so one call can cut a body that comes in several pieces."""
    body = bytearray()
    while len(body) < limit:
        chunk = await stream.read(limit - len(body))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def _read_jwks(body: bytes, url: str) -> dict[str, RSAKey]:
    """The RS256 signing keys of a JWKS document; other keys are skipped."""
    from joserfc.errors import JoseError
    from joserfc.jwk import RSAKey

    try:
        document = json.loads(body)
    except (ValueError, UnicodeError) as exc:
        raise JwksFetchError(f"the JWKS at {url} is not JSON") from exc
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise JwksFetchError(f"the JWKS at {url} has no 'keys' list")
    keys: dict[str, RSAKey] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA":
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or not kid:
            continue
        if entry.get("use", "sig") != "sig" or entry.get("alg", _ALGORITHM) != _ALGORITHM:
            continue
        try:
            keys[kid] = RSAKey.import_key(entry)
        except (JoseError, ValueError, TypeError) as exc:
            logger.debug("skipping an unreadable JWKS key (%s)", type(exc).__name__)
    if not keys:
        raise JwksFetchError(f"the JWKS at {url} has no RS256 signing key")
    return keys


@asynccontextmanager
async def _holding(lock: threading.Lock) -> AsyncIterator[None]:
    """Hold a thread lock from async code without blocking the event loop."""
    if not lock.acquire(blocking=False):
        # Shielded: a cancellation here must not leave the lock acquired and never released.
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(lock.acquire)
    try:
        yield
    finally:
        lock.release()
