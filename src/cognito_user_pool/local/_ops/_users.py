"""What ListUsers and ListUsersInGroup share (answered in ``admin``): the ``Filter`` grammar
and the user summary with ``AttributesToGet``."""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import _messages as msg
from .. import _moto_internals as mi
from ._registry import Result

__all__ = ["match_filter", "user_summary"]

# API_ListUsers: 'A filter string of the form "AttributeName Filter-Type "AttributeValue"".
# Quotation marks within the filter string must be escaped using the backslash (\) character.'
# Filter-Type is = (exact) or ^= (prefix).
_FILTER = re.compile(r'\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*')


# API_ListUsers: "You can only search for the following standard attributes: username
# (case-sensitive), email, phone_number, name, given_name, family_name, preferred_username,
# cognito:user_status (called Status in the Console) (case-insensitive), status (called Enabled
# in the Console) (case-sensitive), sub. Custom attributes aren't searchable."
def _attribute(name: str) -> Callable[[mi.MotoUser], str | None]:
    return lambda user: user.attributes.get(name)


_SEARCHABLE: dict[str, Callable[[mi.MotoUser], str | None]] = {
    "username": lambda u: u.username,
    "cognito:user_status": lambda u: u.status.lower(),
    "status": lambda u: "Enabled" if u.enabled else "Disabled",
    "sub": lambda u: u.sub,
    **{
        name: _attribute(name)
        for name in ("email", "phone_number", "name", "given_name", "family_name")
    },
    "preferred_username": _attribute("preferred_username"),
}


def match_filter(text: str) -> Callable[[mi.MotoUser], bool]:
    """The predicate of a ListUsers ``Filter``; an empty filter matches everyone.

    :raises ServiceError: AWS's "Error while parsing filter." for another shape, and
        InvalidParameterException for an attribute that is not searchable.
    """
    if not text.strip():
        return lambda user: True
    parsed = _FILTER.fullmatch(text)
    if parsed is None:
        raise msg.FILTER_PARSE.error()
    name, operator, raw = parsed.groups()
    if name not in _SEARCHABLE:
        raise msg.FILTER_ATTRIBUTE.error(attribute=name)
    wanted = re.sub(r"\\(.)", r"\1", raw)
    if name == "cognito:user_status":
        wanted = wanted.lower()  # "case-insensitive"
    value_of = _SEARCHABLE[name]

    def matches(user: mi.MotoUser) -> bool:
        value = value_of(user)
        if value is None:
            return False
        return value == wanted if operator == "=" else value.startswith(wanted)

    return matches


def user_summary(
    user: mi.MotoUser, attributes_key: str, attributes_to_get: list[str] | None = None
) -> Result:
    """A user as ListUsers and ListUsersInGroup show it (``UserType``); only the attributes in
    ``attributes_to_get`` when it is given ("When you don't provide an AttributesToGet
    parameter, Amazon Cognito returns all attributes for each user", API_ListUsers)."""
    wire = user.to_json(attributes_key)
    if attributes_to_get is not None:
        wanted = set(attributes_to_get)
        wire[attributes_key] = [a for a in wire.get(attributes_key, []) if a["Name"] in wanted]
    return wire
