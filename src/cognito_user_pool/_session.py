"""UserSession: a signed-in user's tokens that refresh themselves.

``await session.access_token()`` hands out the current access token, refreshing it through
``pool.refresh_session`` when it is within ``margin`` seconds of its ``exp``. Concurrent
callers during a refresh share that one refresh (an ``anyio.Lock``), and the session keeps
the newest tokens, including the new refresh token of an app client that rotates them. A
refresh refused with ``NotAuthorizedException`` (a revoked or expired refresh token: see
docs/cognito-facts.md#sign-out-and-revocation) or ``RefreshTokenReuseException`` (a rotated
refresh token past its grace period) signs the session out: later calls fail at once,
without a request.

A session belongs to the event loop of the pool it uses, like the pool itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

import anyio

from ._config import check_seconds
from ._errors import CognitoError, InvalidParameterError, NotAuthorizedError, SessionExpiredError
from ._types import Tokens

__all__ = ["SessionPool", "UserSession"]

# Cognito's answer to a refresh token that rotation replaced more than the app client's
# grace period ago (botocore's model: GetTokensFromRefreshToken's errors).
_REUSED = "RefreshTokenReuseException"


class SessionPool(Protocol):
    """What a session needs from its pool; ``AsyncUserPool`` provides it."""

    async def refresh_session(
        self,
        *,
        refresh_token: str,
        id_token: str | None = None,
        access_token: str | None = None,
    ) -> Tokens: ...

    async def logout(self, *, auth: Tokens) -> None: ...


class UserSession:
    """A signed-in user's tokens, kept valid by refreshing them when needed.

    Usage::

        tokens = await pool.login(username="alice", password="correct horse")
        session = UserSession(pool, tokens)
        profile = await pool.profile(auth=session)      # a fresh access token each call
        token = await session.access_token()            # for your own API calls
        await session.revoke()    # sign out this session only; logout() signs out all

    :param pool: the ``AsyncUserPool`` that issued the tokens (anything with
        ``refresh_session`` and ``logout``).
    :param tokens: the tokens ``login`` returned.
    :param margin: refresh when the access token expires within this many seconds.
    :param clock: returns the time in epoch seconds; defaults to ``time.time``.
    """

    def __init__(
        self,
        pool: SessionPool,
        tokens: Tokens,
        *,
        margin: float = 60.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if not isinstance(tokens, Tokens):
            raise InvalidParameterError(
                "tokens must be the Tokens that login returned", field="tokens"
            )
        check_seconds(margin, "margin")
        self._pool = pool
        self._tokens = tokens
        self._margin = float(margin)
        self._clock = clock or time.time
        self._lock = anyio.Lock()
        self._signed_out = False
        self._generation = 0  # counts refreshes, so that waiters can tell one happened

    @property
    def tokens(self) -> Tokens:
        """The current tokens (the last ones, once signed out)."""
        return self._tokens

    @property
    def signed_out(self) -> bool:
        """True after ``logout`` or once Cognito refused the refresh token."""
        return self._signed_out

    def __repr__(self) -> str:
        state = "signed out" if self._signed_out else "signed in"
        return (
            f"{type(self).__name__}({state}, "
            f"access_token_expires_at={self._tokens.access_token_expires_at})"
        )

    def _needs_refresh(self) -> bool:
        return self._clock() >= self._tokens.access_token_expires_at - self._margin

    def _fail_if_signed_out(self) -> None:
        if self._signed_out:
            raise SessionExpiredError("the session is signed out; log in again")

    async def access_token(self) -> str:
        """A valid access token, refreshed first if it expires within ``margin``.

        :raises SessionExpiredError: the session is signed out, or Cognito refused the
            refresh token (the session is signed out from then on).
        :raises CognitoError: the refresh failed otherwise (network...); the session stays
            signed in and the next call tries again.
        """
        self._fail_if_signed_out()
        if self._needs_refresh():
            await self._refresh(self._generation)
        return self._tokens.access_token

    async def id_token(self) -> str:
        """The id token, refreshed together with the access token when that is due."""
        await self.access_token()
        return self._tokens.id_token

    async def refresh(self) -> Tokens:
        """Refresh now, whatever the expiry; concurrent calls share one refresh.

        :raises SessionExpiredError: as for :meth:`access_token`.
        """
        self._fail_if_signed_out()
        await self._refresh(self._generation, force=True)
        return self._tokens

    async def _refresh(self, seen: int, *, force: bool = False) -> None:
        async with self._lock:
            self._fail_if_signed_out()
            if self._generation != seen:
                # Another caller refreshed while this one waited: use its tokens rather than
                # refresh again, even when a short token validity puts them inside the margin.
                if self._clock() < self._tokens.access_token_expires_at:
                    return
            elif not force and not self._needs_refresh():
                return
            current = self._tokens
            if current.refresh_token is None:
                self._signed_out = True
                raise SessionExpiredError("the access token expired and there is no refresh token")
            try:
                tokens = await self._pool.refresh_session(
                    refresh_token=current.refresh_token, id_token=current.id_token
                )
            except CognitoError as exc:
                if not isinstance(exc, NotAuthorizedError) and exc.code != _REUSED:
                    raise
                self._signed_out = True
                raise SessionExpiredError(
                    f"the refresh token was refused, so the session is signed out ({exc.message})"
                ) from exc
            self._tokens = tokens
            self._generation += 1

    async def logout(self) -> None:
        """Sign the user out everywhere (``pool.logout``) and mark the session signed out.

        Idempotent: a session that is already signed out, or whose tokens Cognito already
        refuses, is simply marked signed out. Other failures (network...) are raised, but the
        session is signed out locally all the same.
        """
        if self._signed_out:
            return
        try:
            await self.access_token()  # refreshed first if it is about to expire
            await self._pool.logout(auth=self._tokens)
        except NotAuthorizedError:
            pass  # already revoked: the goal of logging out is met
        finally:
            self._signed_out = True

    async def revoke(self) -> None:
        """Sign this session alone out (``pool.revoke_token``: RevokeToken revokes its
        refresh token and the access tokens issued from it) and mark it signed out; the
        user's other sessions stay signed in.

        A refresh in progress finishes first, so that the newest refresh token is the one
        revoked. Idempotent, and as forgiving as :meth:`logout`: a token Cognito already
        refuses leaves the session signed out; other failures are raised, with the session
        signed out locally all the same. Tokens without a refresh token are only marked.

        :raises InvalidParameterError: the pool has no ``revoke_token``.
        """
        revoke_token = getattr(self._pool, "revoke_token", None)
        if revoke_token is None:
            raise InvalidParameterError(
                "this session's pool cannot revoke tokens (no revoke_token)", field="pool"
            )
        if self._signed_out:
            return
        async with self._lock:
            try:
                if not self._signed_out and self._tokens.refresh_token is not None:
                    await revoke_token(auth=self._tokens)
            except NotAuthorizedError:
                pass  # already revoked: the goal is met
            finally:
                self._signed_out = True
