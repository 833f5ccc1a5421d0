"""Revocation that resource servers can see: sign-outs recorded where every verifier reads.

A local JWT check cannot see a sign-out (docs/cognito-facts.md#sign-out-and-revocation).
Two opt-in checks for ``TokenVerifier(revocation=...)`` close the gap, each a
``RevocationCheck`` (the protocol lives in ``_verify``, which calls it):

- ``Revocations``: the application records its own sign-outs (``AsyncUserPool.logout`` does,
  with ``PoolConfig(revocations=...)``) in a ``RevocationStore`` (in-process by default,
  Redis for several workers: ``cognito_user_pool.redis_revocations``); the verifier reads it.
  One round trip to the store per verification; sees only sign-outs made through the
  library (or recorded with ``revoke_family``/``revoke_user``).
- ``CognitoRevocationCheck``: asks Cognito (GetUser with the access token) at most once per
  token per ``interval``; sees every sign-out and revocation, however made, at the price of
  a Cognito request per token per interval.

Two kinds of record, both kept until every token they can refuse has expired:

- a *family* (``<pool>:family:<origin_jti>``): every token issued from one refresh token;
  ``logout`` and ``revoke_token`` record the family of the tokens they sign out;
- a *user* (``<pool>:user:<sub>``, value: a cutoff in epoch seconds): after a global sign-out
  (``logout``), the user's tokens issued (``iat``) before the cutoff second are refused;
  tokens from a later sign-in are not.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from ._config import check_seconds
from ._errors import (
    CognitoError,
    InvalidParameterError,
    NetworkError,
    NotAuthorizedError,
    TokenRevokedError,
    UserNotFoundError,
)
from ._tokens import unverified_claims
from ._validate import is_numeric_date

__all__ = [
    "CognitoRevocationCheck",
    "MemoryRevocationStore",
    "RevocationStore",
    "Revocations",
]

# Cognito's access and id tokens live at most one day: the lifetime assumed for a record
# made without a token whose own lifetime can be read.
_MAX_TOKEN_LIFETIME = 86400.0


@runtime_checkable
class RevocationStore(Protocol):
    """Where sign-outs are kept: integer values by key, each until its expiry.

    Implementations raise ``NetworkError`` (or any exception, which ``Revocations`` turns
    into one) when the store cannot be reached.
    """

    async def add(self, key: str, value: int, expires_at: float) -> None:
        """Keep ``key`` until ``expires_at`` (epoch seconds) with at least ``value``: an
        existing record keeps the larger value and the later expiry."""

    async def get_many(self, keys: Sequence[str]) -> Sequence[int | None]:
        """The live value of each key, ``None`` for a key with no record."""


class MemoryRevocationStore:
    """The in-process store: right for one worker process, useless across several.

    Thread-safe; expired records are dropped as new ones arrive.

    :param clock: returns the time in epoch seconds; defaults to ``time.time``.
    """

    def __init__(self, *, clock: Callable[[], float] | None = None) -> None:
        self._clock = clock or time.time
        self._records: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()
        self._sweep_at = 1024

    def __repr__(self) -> str:
        return f"{type(self).__name__}(records={len(self._records)})"

    async def add(self, key: str, value: int, expires_at: float) -> None:
        """Keep ``key`` until ``expires_at`` with at least ``value``."""
        now = self._clock()
        with self._lock:
            old = self._records.get(key)
            if old is not None and old[1] > now:
                value, expires_at = max(value, old[0]), max(expires_at, old[1])
            self._records[key] = (value, expires_at)
            if len(self._records) >= self._sweep_at:
                self._records = {k: r for k, r in self._records.items() if r[1] > now}
                self._sweep_at = max(1024, 2 * len(self._records))

    async def get_many(self, keys: Sequence[str]) -> list[int | None]:
        """The live value of each key, ``None`` for none."""
        now = self._clock()
        records = self._records
        return [r[0] if (r := records.get(k)) is not None and r[1] > now else None for k in keys]


class Revocations:
    """Sign-outs recorded by the application, checked by ``TokenVerifier``.

    Usage::

        revocations = Revocations()  # or Revocations(RedisRevocationStore.from_url(url))
        pool = AsyncUserPool(pool_id, client_id, revocations=revocations)
        verifier = TokenVerifier(pool_id, client_id, revocation=revocations)
        await pool.logout(auth=tokens)  # from now on the verifier refuses these tokens

    :param store: where the records live; a ``MemoryRevocationStore`` by default.
    :param leeway: seconds added to each record's life, for clock skew (the verifier's
        leeway accepts a token that long after its ``exp``).
    :param max_token_lifetime: how long a record made without a readable token lives
        (Cognito's longest access and id token lifetime, one day, by default).
    :param clock: returns the time in epoch seconds; defaults to ``time.time``.
    :raises InvalidParameterError: for a store that is not a ``RevocationStore``, or a bad
        duration.
    """

    def __init__(
        self,
        store: RevocationStore | None = None,
        *,
        leeway: float = 5.0,
        max_token_lifetime: float = _MAX_TOKEN_LIFETIME,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if store is not None and not isinstance(store, RevocationStore):
            raise InvalidParameterError(
                "store must have async add() and get_many() methods", field="store"
            )
        self._clock = clock or time.time
        self._store: RevocationStore = store or MemoryRevocationStore(clock=self._clock)
        self._leeway = check_seconds(leeway, "leeway")
        self._max_lifetime = check_seconds(max_token_lifetime, "max_token_lifetime", positive=True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._store!r})"

    @property
    def store(self) -> RevocationStore:
        """Where the records live."""
        return self._store

    async def signed_out(self, *tokens: str, everywhere: bool = False) -> None:
        """Record a sign-out made with these tokens (the pool calls this after Cognito
        accepted it): their families, and with ``everywhere`` (GlobalSignOut) their users.

        Pass only tokens Cognito issued: they are read without their signature checked.

        :param tokens: access or id tokens of the session signed out.
        :param everywhere: the user was signed out on every device.
        :raises TokenError: a token is not a readable JWT.
        :raises NetworkError: the store could not record it.
        """
        now = self._clock()
        readable = [unverified_claims(token) for token in tokens]
        lifetimes = [life for c in readable if (life := _lifetime(c)) is not None]
        lifetime = max(lifetimes, default=self._max_lifetime)
        expires_at = now + lifetime + self._leeway
        for claims in readable:
            pool_id = _pool_id(claims)
            if pool_id is None:
                continue
            origin_jti = claims.get("origin_jti")
            if isinstance(origin_jti, str) and origin_jti:
                await self._add(_family_key(pool_id, origin_jti), 1, expires_at)
            sub = claims.get("sub")
            if everywhere and isinstance(sub, str) and sub:
                await self._add(_user_key(pool_id, sub), math.floor(now), expires_at)

    async def revoke_family(
        self, user_pool_id: str, origin_jti: str, *, lifetime: float | None = None
    ) -> None:
        """Refuse every token carrying ``origin_jti`` (one refresh token's family), for
        instance after a RevokeToken made elsewhere.

        :param lifetime: how long the family's tokens live; ``max_token_lifetime`` if unknown.
        :raises NetworkError: the store could not record it.
        """
        life = self._max_lifetime if lifetime is None else check_seconds(lifetime, "lifetime")
        expires_at = self._clock() + life + self._leeway
        await self._add(_family_key(user_pool_id, origin_jti), 1, expires_at)

    async def revoke_user(
        self, user_pool_id: str, sub: str, *, lifetime: float | None = None
    ) -> None:
        """Refuse the user's tokens issued before this second, for instance after an
        AdminUserGlobalSignOut made elsewhere.

        :param lifetime: how long the user's tokens live; ``max_token_lifetime`` if unknown.
        :raises NetworkError: the store could not record it.
        """
        life = self._max_lifetime if lifetime is None else check_seconds(lifetime, "lifetime")
        now = self._clock()
        await self._add(_user_key(user_pool_id, sub), math.floor(now), now + life + self._leeway)

    async def check(self, claims: Mapping[str, Any], token: str) -> None:
        """Refuse a verified token whose family or user was signed out.

        :raises TokenRevokedError: it was.
        :raises NetworkError: the store did not answer.
        """
        pool_id = _pool_id(claims)
        if pool_id is None:
            return
        keys = [_user_key(pool_id, str(claims.get("sub")))]
        origin_jti = claims.get("origin_jti")
        if isinstance(origin_jti, str) and origin_jti:
            keys.append(_family_key(pool_id, origin_jti))
        try:
            values = await self._store.get_many(keys)
        except CognitoError:
            raise
        except Exception as exc:
            raise NetworkError(
                f"the revocation store did not answer ({type(exc).__name__})"
            ) from exc
        cutoff = values[0]
        if len(values) > 1 and values[1] is not None:
            raise TokenRevokedError("the token's session was signed out")
        iat = claims.get("iat")
        if cutoff is not None and is_numeric_date(iat) and iat < cutoff:
            raise TokenRevokedError("the token's user was signed out")

    async def _add(self, key: str, value: int, expires_at: float) -> None:
        try:
            await self._store.add(key, value, expires_at)
        except CognitoError:
            raise
        except Exception as exc:
            raise NetworkError(
                f"the revocation store did not record a sign-out ({type(exc).__name__})"
            ) from exc


class _GetUserPool(Protocol):
    async def profile(self, *, auth: str) -> Any: ...


class CognitoRevocationCheck:
    """The strict mode: asks Cognito (GetUser) whether an access token still works, at most
    once per token per ``interval`` seconds; a refusal is remembered until the token expires.

    Sees every sign-out and revocation, however made (console, admin API, another app).
    Id tokens cannot be asked about (GetUser takes access tokens) and pass unchecked.

    :param pool: the ``AsyncUserPool`` of the tokens' pool, entered (``async with``) for as
        long as the check is used; its event loop is the one verifications run on.
    :param interval: seconds an answer "still valid" is reused.
    :param max_entries: answers kept at most; the oldest go first.
    :param clock: returns the time in epoch seconds; defaults to ``time.time``.
    :raises InvalidParameterError: for a bad option.
    """

    def __init__(
        self,
        pool: _GetUserPool,
        *,
        interval: float = 60.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise InvalidParameterError(
                "max_entries must be a positive integer", field="max_entries"
            )
        self._pool = pool
        self._interval = check_seconds(interval, "interval")
        self._max_entries = max_entries
        self._clock = clock or time.time
        # sha256 of the token -> (revoked, answer valid until); the token itself is not kept.
        self._answers: dict[bytes, tuple[bool, float]] = {}
        self._inflight: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[bytes, asyncio.Future[bool]]
        ] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(interval={self._interval:g})"

    async def check(self, claims: Mapping[str, Any], token: str) -> None:
        """Refuse an access token Cognito no longer accepts.

        :raises TokenRevokedError: Cognito refuses it (signed out, revoked, user deleted).
        :raises NetworkError: Cognito could not be asked.
        """
        if claims.get("token_use") != "access":
            return
        key = hashlib.sha256(token.encode()).digest()
        answer = self._answers.get(key)
        if answer is None or answer[1] <= self._clock():
            inflight = self._inflight.setdefault(asyncio.get_running_loop(), {})
            future = inflight.get(key)
            if future is None:
                future = inflight[key] = asyncio.get_running_loop().create_future()
                try:
                    revoked = await self._ask(token, claims)
                except BaseException as exc:
                    future.set_exception(exc)
                    future.exception()  # retrieved: waiters re-raise it, nobody must
                    raise
                finally:
                    del inflight[key]
                future.set_result(revoked)
            else:
                revoked = await asyncio.shield(future)
        else:
            revoked = answer[0]
        if revoked:
            raise TokenRevokedError("Cognito no longer accepts the token")

    async def _ask(self, token: str, claims: Mapping[str, Any]) -> bool:
        try:
            await self._pool.profile(auth=token)
        except (NotAuthorizedError, UserNotFoundError):
            exp = claims.get("exp")
            self._remember(token, True, float(exp) if is_numeric_date(exp) else self._clock())
            return True
        except CognitoError:
            raise
        except Exception as exc:
            raise NetworkError(f"GetUser failed ({type(exc).__name__})") from exc
        self._remember(token, False, self._clock() + self._interval)
        return False

    def _remember(self, token: str, revoked: bool, until: float) -> None:
        answers = self._answers
        if len(answers) >= self._max_entries:
            now = self._clock()
            kept = {k: a for k, a in answers.items() if a[1] > now}
            if len(kept) >= self._max_entries:
                kept = dict(list(kept.items())[len(kept) // 2 :])
            self._answers = answers = kept
        answers[hashlib.sha256(token.encode()).digest()] = (revoked, until)


def _pool_id(claims: Mapping[str, Any]) -> str | None:
    """The pool id at the end of ``iss``."""
    iss = claims.get("iss")
    if not isinstance(iss, str) or "/" not in iss:
        return None
    return iss.rsplit("/", 1)[1] or None


def _lifetime(claims: Mapping[str, Any]) -> float | None:
    exp, iat = claims.get("exp"), claims.get("iat")
    if is_numeric_date(exp) and is_numeric_date(iat) and exp > iat:
        return float(exp - iat)
    return None


def _family_key(pool_id: str, origin_jti: str) -> str:
    return f"{pool_id}:family:{origin_jti}"


def _user_key(pool_id: str, sub: str) -> str:
    return f"{pool_id}:user:{sub}"
