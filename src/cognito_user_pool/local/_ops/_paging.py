"""Paging for the list operations (ListUsers, ListGroups, ListUsersInGroup,
AdminListGroupsForUser, AdminListDevices): ``Limit`` in AWS's range and tokens that stay right
while the list changes.

A token names the last item of the page it ends (by a unique, sortable key) and the request it
belongs to; the next page starts after that key. So every item present for the whole walk is
returned exactly once, even when items are added or removed between pages, and a token cannot
be replayed on another list or filter (AWS: "present the token in an additional API request with
the same parameters", API_ListUsers ``PaginationToken``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from .._errors import ServiceError
from ._registry import Params

__all__ = ["limit", "page"]

_T = TypeVar("_T")


def limit(params: Params, name: str = "Limit", maximum: int = 60) -> int:
    """``params[name]`` within the API reference's range (0 to ``maximum``; ListUsers,
    ListGroups, ListUsersInGroup, AdminListGroupsForUser and AdminListDevices all say "Valid
    Range: Minimum value of 0. Maximum value of 60."). Absent or 0: ``maximum`` (a guess for 0:
    AWS does not say what a zero limit returns, and an empty page with a token would loop).

    The refusal reads like AWS's model validation ("1 validation error detected: ..."), whose
    form the local layer uses elsewhere too; its exact words for this field are a guess.
    """
    value = params.get(name)
    if value is None:
        return maximum
    if not isinstance(value, int) or isinstance(value, bool):
        raise ServiceError("InvalidParameterException", f"{name} must be an integer.")
    field = name[:1].lower() + name[1:]
    if value > maximum:
        raise ServiceError(
            "InvalidParameterException",
            f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
            f"constraint: Member must have value less than or equal to {maximum}",
        )
    if value < 0:
        raise ServiceError(
            "InvalidParameterException",
            f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
            "constraint: Member must have value greater than or equal to 0",
        )
    return value or maximum


def _scope_digest(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()[:16]


def _decode(token: str, scope: str) -> str:
    """The key a token ends at; a token of another list or filter, or garbage, is refused
    (local wording, a guess: AWS's text is not known)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4)))
        after, digest = str(data["after"]), str(data["scope"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ServiceError("InvalidParameterException", "Invalid pagination token.") from None
    if digest != _scope_digest(scope):
        raise ServiceError("InvalidParameterException", "Invalid pagination token.")
    return after


def _encode(after: str, scope: str) -> str:
    raw = json.dumps({"after": after, "scope": _scope_digest(scope)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def page(
    items: Sequence[_T],
    key: Callable[[_T], str],
    token: object,
    size: int,
    scope: str,
) -> tuple[list[_T], str | None]:
    """One page of ``items`` in ``key`` order after ``token``, and the next token (None on the
    last page).

    :param scope: what makes two requests "the same parameters" (pool, list, filter).
    """
    ordered = sorted(items, key=key)
    if token:
        after = _decode(str(token), scope)
        ordered = [item for item in ordered if key(item) > after]
    chunk = ordered[:size]
    more = len(ordered) > size
    return chunk, (_encode(key(chunk[-1]), scope) if more and chunk else None)
