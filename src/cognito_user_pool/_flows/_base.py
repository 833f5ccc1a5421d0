"""What every flow needs from the pool: one way to call Cognito, SECRET_HASH, a bounded memory."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any, Generic, Protocol, TypeVar

from .._config import PoolConfig
from .._errors import CognitoError, InvalidParameterError
from .._srp import secret_hash
from .._tokens import internal_username

__all__ = ["AccessTokenSource", "FlowBase", "LruMemory", "with_progress"]

K = TypeVar("K")
V = TypeVar("V")


class AccessTokenSource(Protocol):
    """Hands out a valid access token on demand, refreshing as needed (``UserSession``)."""

    async def access_token(self) -> str: ...

    async def logout(self) -> None: ...


class LruMemory(Generic[K, V]):
    """A dict that forgets its oldest entries past ``maxsize``, so memory stays bounded."""

    def __init__(self, maxsize: int) -> None:
        self._maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self._maxsize:
            self._data.popitem(last=False)

    def get(self, key: K) -> V | None:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def pop(self, key: K) -> V | None:
        return self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)


def _fingerprint(secret: str) -> str:
    """Memory is keyed by a hash so that it holds no extra copy of a token or session."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def with_progress(
    exc: CognitoError, done: tuple[str, ...], not_done: tuple[str, ...]
) -> CognitoError:
    """The same error, saying which steps of a composite flow completed and which did not."""
    message = exc.message
    if done:
        message += f" (done: {'; '.join(done)}"
        message += f"; not done: {'; '.join(not_done)})" if not_done else ")"
    elif not_done:
        message += f" (nothing was changed; not done: {'; '.join(not_done)})"
    return type(exc)(message, code=exc.code, done=done, not_done=not_done)


class FlowBase:
    """The services flows rely on; ``AsyncUserPool`` provides ``_call``."""

    _config: PoolConfig
    # Challenge sessions -> (challenge name, internal username), so that an answer needs
    # only what `login` returned; refresh tokens -> internal username, for SECRET_HASH.
    _sessions: LruMemory[str, tuple[str, str]]
    _refresh_owners: LruMemory[str, str]

    async def _call(self, operation: str, /, **params: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _secret_hash(self, username: str) -> dict[str, str]:
        """``{"SECRET_HASH": ...}`` for app clients with a secret, else ``{}``."""
        secret = self._config.client_secret
        if secret is None:
            return {}
        return {"SECRET_HASH": secret_hash(username, self._config.client_id, secret)}

    def _secret_hash_param(self, username: str) -> dict[str, str]:
        """The same, under the ``SecretHash`` key that non-auth operations use."""
        value = self._secret_hash(username)
        return {"SecretHash": value["SECRET_HASH"]} if value else {}

    def _remember_session(self, session: str, challenge: str, username: str) -> None:
        self._sessions.put(_fingerprint(session), (challenge, username))

    def _recall_session(self, session: str) -> tuple[str, str] | None:
        return self._sessions.get(_fingerprint(session))

    def _forget_session(self, session: str) -> None:
        self._sessions.pop(_fingerprint(session))

    def _remember_refresh_owner(self, refresh_token: str, username: str) -> None:
        self._refresh_owners.put(_fingerprint(refresh_token), username)

    def _forget_refresh_owner(self, refresh_token: str) -> None:
        self._refresh_owners.pop(_fingerprint(refresh_token))

    def _refresh_owner(
        self, refresh_token: str, id_token: str | None, access_token: str | None
    ) -> str | None:
        """The internal username for a refresh's SECRET_HASH: from the tokens given, else
        from what this pool learned at login; ``None`` when neither knows."""
        for token, field in ((id_token, "id_token"), (access_token, "access_token")):
            if token is not None:
                name = internal_username(token, field)
                if name is not None:
                    return name
        return self._refresh_owners.get(_fingerprint(refresh_token))

    def _require_refresh_owner(
        self, refresh_token: str, id_token: str | None, access_token: str | None
    ) -> str | None:
        owner = self._refresh_owner(refresh_token, id_token, access_token)
        if owner is None and self._config.client_secret is not None:
            raise InvalidParameterError(
                "this app client has a secret, so a refresh needs the internal username for "
                "its SECRET_HASH: pass id_token or access_token with the refresh_token "
                "(this pool object only remembers the users it logged in itself)",
                field="id_token",
            )
        return owner
