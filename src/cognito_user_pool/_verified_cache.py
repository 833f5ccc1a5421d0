"""The verifier's memory of tokens it has verified, so that the same token on the next
request costs a hash and a lookup instead of an RSA check (issue 19).

A web app sees the same access token on every request for an hour. What a first
verification established about a token (its signature, issuer, audience, token use: the
token's bytes decide them, and they cannot change) is kept, keyed by the SHA-256 of the token
(the token itself is never kept: a dump of the cache gives no bearer credential), until the
token's ``exp`` plus the verifier's leeway, and only while the key that verified it is the
one the verifier holds (a new key set sends the token through the whole check again). What
can change is checked again at every use: the clock against ``exp``, the revocation check,
the policy. The cache is bounded: the entry used least recently goes first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

__all__ = ["DEFAULT_SIZE", "VerifiedCache"]

T = TypeVar("T")

# Entries kept by default: one per signed-in user of a busy process for its token's hour;
# each entry is the claims (about 1 KB), so 4,096 stay within a few MB.
DEFAULT_SIZE = 4096


class VerifiedCache(Generic[T]):
    """At most ``size`` verified results by token hash, each until its deadline; ``size``
    0 keeps nothing. Safe to share between threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[bytes, str], tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def _key(token: str, kind: str) -> tuple[bytes, str]:
        return hashlib.sha256(token.encode()).digest(), kind

    def get(self, token: str, kind: str, now: float) -> T | None:
        """The result kept for ``token`` verified as ``kind``, while ``now`` is before its
        deadline (an entry whose deadline has come is dropped)."""
        if not self._size:
            return None
        key = self._key(token, kind)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            deadline, value = entry
            if now >= deadline:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, token: str, kind: str, value: T, deadline: float) -> None:
        """Keep ``value`` for ``token`` until ``deadline``, dropping the least recently used
        entry when full."""
        if not self._size:
            return
        key = self._key(token, kind)
        with self._lock:
            self._entries[key] = (deadline, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def discard(self, token: str, kind: str) -> None:
        """Forget ``token`` (revoked, or refused by a check that may say so again)."""
        with self._lock:
            self._entries.pop(self._key(token, kind), None)
