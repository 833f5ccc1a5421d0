"""Parameter checks run before any request: a clear error naming the field, never its value."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import InvalidParameterError

__all__ = [
    "attribute_name",
    "attributes",
    "boolean",
    "code",
    "optional_str",
    "password",
    "phone_number",
    "secret_str",
    "username",
]

# Cognito's limits: usernames and attribute values are at most 2048 characters, passwords
# at most 256, codes match [\S]+ and attribute names are at most 32 characters.
_MAX_USERNAME = 128
_MAX_PASSWORD = 256
_MAX_CODE = 2048
_MAX_VALUE = 2048
_ATTRIBUTE_NAME = re.compile(r"[\w:-]{1,32}", re.ASCII)
_CODE = re.compile(r"\S+")
_E164 = re.compile(r"\+[1-9]\d{1,14}")


def _text(value: object, field: str, *, max_len: int) -> str:
    if not isinstance(value, str):
        raise InvalidParameterError(
            f"{field} must be a string, not {type(value).__name__}", field=field
        )
    if not value or value.isspace():
        raise InvalidParameterError(f"{field} must not be empty", field=field)
    if len(value) > max_len:
        raise InvalidParameterError(f"{field} must be at most {max_len} characters", field=field)
    return value


def username(value: object, field: str = "username") -> str:
    """A username or alias: a non-empty string without surrounding blanks."""
    text = _text(value, field, max_len=_MAX_USERNAME)
    if text != text.strip():
        raise InvalidParameterError(f"{field} must not start or end with white space", field=field)
    return text


def password(value: object, field: str = "password") -> str:
    """A password: a non-empty string. Its value is never echoed."""
    return _text(value, field, max_len=_MAX_PASSWORD)


def code(value: object, field: str) -> str:
    """A confirmation, reset or MFA code: non-blank, no white space."""
    text = _text(value, field, max_len=_MAX_CODE)
    if not _CODE.fullmatch(text):
        raise InvalidParameterError(f"{field} must not contain white space", field=field)
    return text


def secret_str(value: object, field: str) -> str:
    """A token or session string: non-empty. Its value is never echoed."""
    return _text(value, field, max_len=1 << 16)


def optional_str(value: object, field: str) -> str | None:
    """``None`` or a non-empty secret string."""
    return None if value is None else secret_str(value, field)


def boolean(value: object, field: str) -> bool:
    """A real ``bool``: ``"false"`` or ``0`` are refused rather than guessed at."""
    if not isinstance(value, bool):
        raise InvalidParameterError(f"{field} must be True or False", field=field)
    return value


def phone_number(value: object, field: str = "phone_number") -> str:
    """A phone number in E.164 form, as Cognito wants it: ``+`` then 2 to 15 digits."""
    text = _text(value, field, max_len=16)
    if not _E164.fullmatch(text):
        raise InvalidParameterError(
            f"{field} must be in E.164 form, for example +14155550100", field=field
        )
    return text


def attribute_name(value: object, field: str = "attribute") -> str:
    """A user attribute name such as ``email`` or ``custom:team``."""
    text = _text(value, field, max_len=32)
    if not _ATTRIBUTE_NAME.fullmatch(text):
        raise InvalidParameterError(
            f"{field} must be an attribute name such as 'email' or 'custom:team'", field=field
        )
    return text


def attributes(
    value: object, field: str = "attributes", *, allow_empty_values: bool = False
) -> dict[str, str | None]:
    """Normalise ``[{"Name": .., "Value": ..}]`` or a mapping into an ordered name -> value dict.

    With ``allow_empty_values``, a value of ``None`` or ``""`` is kept as ``None`` (meaning
    "delete this attribute"); otherwise every value must be a string. ``phone_number``
    values must be E.164.
    """
    pairs: Iterable[tuple[Any, Any]]
    if isinstance(value, Mapping):
        pairs = value.items()
    elif isinstance(value, (list, tuple)):
        items: list[tuple[Any, Any]] = []
        for index, item in enumerate(value):
            if not isinstance(item, Mapping) or "Name" not in item:
                raise InvalidParameterError(
                    f"{field}[{index}] must be a mapping with 'Name' and 'Value'", field=field
                )
            extra = set(item) - {"Name", "Value"}
            if extra:
                raise InvalidParameterError(
                    f"{field}[{index}] has unknown keys {sorted(map(str, extra))}", field=field
                )
            items.append((item["Name"], item.get("Value")))
        pairs = items
    else:
        raise InvalidParameterError(
            f"{field} must be a list of {{'Name', 'Value'}} mappings or a mapping of names "
            "to values",
            field=field,
        )
    result: dict[str, str | None] = {}
    for raw_name, raw_value in pairs:
        name = attribute_name(raw_name, f"{field} name")
        if name in result:
            raise InvalidParameterError(f"{field} names {name!r} twice", field=field)
        if raw_value is None or raw_value == "":
            if not allow_empty_values:
                raise InvalidParameterError(
                    f"{field}: the value of {name!r} must not be empty", field=field
                )
            result[name] = None
            continue
        if not isinstance(raw_value, str):
            raise InvalidParameterError(
                f"{field}: the value of {name!r} must be a string", field=field
            )
        if len(raw_value) > _MAX_VALUE:
            raise InvalidParameterError(
                f"{field}: the value of {name!r} must be at most {_MAX_VALUE} characters",
                field=field,
            )
        if name == "phone_number":
            phone_number(raw_value, f"{field}.phone_number")
        result[name] = raw_value
    return result
