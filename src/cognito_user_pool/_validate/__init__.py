"""Parameter checks run before any request: a clear error naming the field, never its value.

Each check holds a value to the limits Cognito publishes for the request member it feeds
(the length and pattern of botocore's service model, written to ``_limits`` by ``_model``),
so that what AWS would refuse is refused here, before the network, and nothing AWS accepts
is: an email, a phone number or a non-ASCII name passes as a username, since aliases go
wherever a username does ("You can use an email address or phone number as an alias in place
of the username in all APIs except the ListUsers API", Amazon Cognito Developer Guide, "User
pool attributes"). Every string must also be Unicode text (no lone surrogate), or it could
not be encoded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, NamedTuple, TypeGuard

from .._errors import InvalidParameterError
from ._limits import LIMITS
from ._shape import Shape

__all__ = [
    "MAX_NUMERIC_DATE",
    "attribute_name",
    "attribute_value",
    "attributes",
    "boolean",
    "code",
    "description",
    "device_name",
    "email",
    "group_name",
    "is_numeric_date",
    "members",
    "one_of",
    "optional_bool",
    "optional_str",
    "page_size",
    "password",
    "phone_number",
    "precedence",
    "role_arn",
    "secret_str",
    "session",
    "token",
    "totp_code",
    "user_filter",
    "username",
]


class _Member(NamedTuple):
    """Where a parameter goes in Cognito's API, and what its pattern means, in words."""

    operation: str
    path: tuple[str, ...]
    says: str


_USERNAME = _Member(
    "SignUp",
    ("Username",),
    "letters, marks, digits, punctuation or symbols, without white space or control characters",
)
_PASSWORD = _Member("SignUp", ("Password",), "without white space at either end or line breaks")
_CODE = _Member("ConfirmSignUp", ("ConfirmationCode",), "without white space")
_SESSION = _Member("RespondToAuthChallenge", ("Session",), "a session Cognito handed out")
_TOTP_CODE = _Member("VerifySoftwareToken", ("UserCode",), "six digits from the authenticator app")
_DEVICE_NAME = _Member("VerifySoftwareToken", ("FriendlyDeviceName",), "")
# Every token member of the API (AccessToken, RefreshToken, RevokeToken's Token) is a
# TokenModelType; an id token is never sent but has the same shape.
_ACCESS_TOKEN = _Member("GetUser", ("AccessToken",), "a token: letters, digits, '-_=.'")
_REFRESH_TOKEN = _Member(
    "GetTokensFromRefreshToken", ("RefreshToken",), "a token: letters, digits, '-_=.'"
)
_ATTRIBUTE_NAME = _Member(
    "UpdateUserAttributes", ("UserAttributes", "Name"), "an attribute name such as 'email'"
)
# AttributeNameType lets white space in, but no attribute can carry it: standard names are
# fixed, and custom ones are CustomAttributeNameType, which refuses it.
_SCHEMA_NAME = _Member(
    "AddCustomAttributes",
    ("CustomAttributes", "Name"),
    "an attribute name such as 'email' or 'custom:team', without white space",
)
_ATTRIBUTE_VALUE = _Member("UpdateUserAttributes", ("UserAttributes", "Value"), "")
# The admin operations' own members.
_GROUP_NAME = _Member(
    "CreateGroup", ("GroupName",), "letters, marks, digits, punctuation or symbols, no white space"
)
_DESCRIPTION = _Member("CreateGroup", ("Description",), "")
_PRECEDENCE = _Member("CreateGroup", ("Precedence",), "")
# ArnType's pattern has groups, which _shape does not translate: a role ARN is held to the
# IAM form instead (IAM User Guide, "IAM identifiers": arn:<partition>:iam::<account>:role/).
_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+", re.ASCII)
_USER_FILTER = _Member("ListUsers", ("Filter",), "")
_PAGE_SIZE = _Member("ListUsers", ("Limit",), "")
_DEVICES_PAGE_SIZE = _Member("ListDevices", ("Limit",), "")
_PASSKEYS_PAGE_SIZE = _Member("ListWebAuthnCredentials", ("MaxResults",), "")
# The page size of each listing that is not ListUsers' (the admin listings share its 60).
_PAGE_SIZES = {m.operation: m for m in (_PAGE_SIZE, _DEVICES_PAGE_SIZE, _PASSKEYS_PAGE_SIZE)}


def members() -> list[tuple[str, ...]]:
    """Every request member the checks read limits for, as ``(operation, *path)``."""
    return [(m.operation, *m.path) for m in globals().values() if isinstance(m, _Member)]


def _shape_of(where: _Member) -> Shape:
    key = (where.operation, *where.path)
    return LIMITS[key]


# Not Cognito's: a bound on strings no member limits, far above any real token.
_MAX_SECRET = 1 << 16
_SURROGATE = re.compile("[\ud800-\udfff]")
# E.164, as Cognito wants phone numbers: "+" then 2 to 15 ASCII digits.
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
# The latest time datetime can hold (9999-12-31T23:59:59Z): beyond it a NumericDate is not a
# date any library can use, and no token Cognito issues comes near it.
MAX_NUMERIC_DATE = 253_402_300_799


def _text(
    value: object, field: str, *, max_len: int | None, label: str | None = None, blank: bool = False
) -> str:
    """``value`` if it is a string of Unicode text of at most ``max_len`` (else
    ``_MAX_SECRET``) characters, non-blank unless ``blank``; ``label`` names it in messages."""
    said = label or field
    if not isinstance(value, str):
        raise InvalidParameterError(
            f"{said} must be a string, not {type(value).__name__}", field=field
        )
    if not blank and (not value or value.isspace()):
        raise InvalidParameterError(f"{said} must not be empty", field=field)
    limit = _MAX_SECRET if max_len is None else max_len
    if len(value) > limit:
        raise InvalidParameterError(f"{said} must be at most {limit} characters", field=field)
    if _SURROGATE.search(value):
        raise InvalidParameterError(
            f"{said} must be Unicode text (it holds a lone surrogate)", field=field
        )
    return value


def _conform(value: object, field: str, where: _Member) -> str:
    """``value`` if it is text within the limits of the member ``where`` names."""
    shape = _shape_of(where)
    text = _text(value, field, max_len=shape.max)
    if len(text) < shape.min:
        raise InvalidParameterError(f"{field} must be at least {shape.min} characters", field=field)
    if not shape.matches(text):
        raise InvalidParameterError(f"{field} must be {where.says}", field=field)
    return text


def username(value: object, field: str = "username") -> str:
    """A username or alias (email, phone number, preferred username)."""
    return _conform(value, field, _USERNAME)


def password(value: object, field: str = "password") -> str:
    """A password. Its value is never echoed."""
    return _conform(value, field, _PASSWORD)


def code(value: object, field: str) -> str:
    """A confirmation, reset or MFA code: non-blank, no white space."""
    return _conform(value, field, _CODE)


def totp_code(value: object, field: str) -> str:
    """A code from an authenticator app, as VerifySoftwareToken takes it (six digits)."""
    return _conform(value, field, _TOTP_CODE)


def device_name(value: object, field: str = "friendly_device_name") -> str:
    """A name for the user's authenticator app or device."""
    return _conform(value, field, _DEVICE_NAME)


def session(value: object, field: str = "login_session") -> str:
    """A challenge session from Cognito (20 to 4096 characters)."""
    return _conform(value, field, _SESSION)


def token(value: object, field: str) -> str:
    """An access, id or refresh token. Its value is never echoed."""
    return _conform(value, field, _REFRESH_TOKEN if field == "refresh_token" else _ACCESS_TOKEN)


def secret_str(value: object, field: str) -> str:
    """A secret string no Cognito member limits (the Node shim's token names, before the
    flow checks each as the member it feeds: ``token``, ``session``): non-blank Unicode
    text. Its value is never echoed."""
    return _text(value, field, max_len=None)


def optional_str(value: object, field: str) -> str | None:
    """``None`` or what ``secret_str`` accepts."""
    return None if value is None else secret_str(value, field)


def one_of(value: object, field: str, choices: Collection[str]) -> str:
    """One of ``choices`` (a challenge name, say); anything else, of any type, is refused."""
    if not isinstance(value, str) or value not in choices:
        raise InvalidParameterError(f"{field} must be one of {sorted(choices)}", field=field)
    return value


def optional_bool(value: object, field: str) -> bool | None:
    """``None`` (leave unchanged) or a real ``bool``."""
    return None if value is None else boolean(value, field)


def email(value: object, field: str = "email") -> str:
    """An e-mail address: an attribute value with an ``@`` and no white space (Cognito
    checks the rest of its format itself)."""
    address = _text(value, field, max_len=_shape_of(_ATTRIBUTE_VALUE).max)
    if "@" not in address or any(c.isspace() for c in address):
        raise InvalidParameterError(f"{field} must be an e-mail address", field=field)
    return address


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


def group_name(value: object, field: str = "group_name") -> str:
    """A group's name."""
    return _conform(value, field, _GROUP_NAME)


def description(value: object, field: str = "description") -> str:
    """A group's description: text of at most 2048 characters."""
    return _text(value, field, max_len=_shape_of(_DESCRIPTION).max)


def role_arn(value: object, field: str = "role_arn") -> str:
    """An IAM role ARN for a group: ``arn:aws:iam::<12-digit account>:role/<path and name>``."""
    text = _text(value, field, max_len=2048)
    if not _ROLE_ARN.fullmatch(text):
        raise InvalidParameterError(
            f"{field} must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)", field=field
        )
    return text


def user_filter(value: object, field: str = "filter") -> str:
    """A ListUsers filter (``email ^= "a"``): text of at most 256 characters. Its syntax is
    Cognito's to check; its length is the model's."""
    return _text(value, field, max_len=_shape_of(_USER_FILTER).max)


def _integer(value: object, field: str, where: _Member, least: int | None = None) -> int:
    """An ``int`` (not a bool) within the member's range; ``least`` raises its minimum."""
    shape = _shape_of(where)
    low = shape.min if least is None else max(shape.min, least)
    high = shape.max
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise InvalidParameterError(
            f"{field} must be an integer >= {low}" + (f" and <= {high}" if high else ""),
            field=field,
        )
    if high is not None and value > high:
        raise InvalidParameterError(f"{field} must be at most {high}", field=field)
    return value


def precedence(value: object, field: str = "precedence") -> int:
    """A group's precedence: an integer >= 0 (lower wins)."""
    return _integer(value, field, _PRECEDENCE)


def page_size(value: object, field: str = "page_size", operation: str = "ListUsers") -> int:
    """How many items one page of ``operation``'s listing asks for: 1 to Cognito's most
    (60 for ListUsers and ListDevices, 20 for ListWebAuthnCredentials)."""
    return _integer(value, field, _PAGE_SIZES[operation], least=1)


def attribute_name(value: object, field: str = "attribute") -> str:
    """A user attribute name such as ``email`` or ``custom:team``."""
    name = _conform(value, field, _ATTRIBUTE_NAME)
    if not _shape_of(_SCHEMA_NAME).matches(name):
        raise InvalidParameterError(f"{field} must be {_SCHEMA_NAME.says}", field=field)
    return name


def attribute_value(value: object, field: str, name: str) -> str:
    """The value of attribute ``name``: text of at most 2048 characters, blank or not
    (``AttributeValueType`` has no pattern)."""
    label = f"{field}: the value of {name!r}"
    return _text(value, field, max_len=_shape_of(_ATTRIBUTE_VALUE).max, label=label, blank=True)


def is_numeric_date(value: object) -> TypeGuard[int | float]:
    """A JWT time (RFC 7519 NumericDate) this library can use: a number, not a boolean,
    finite, from 1970 to the end of year 9999."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return 0 <= value <= MAX_NUMERIC_DATE


def attributes(
    value: object, field: str = "attributes", *, allow_empty_values: bool = False
) -> dict[str, str | None]:
    """Normalise ``[{"Name": .., "Value": ..}]`` or a mapping into an ordered name -> value dict.

    With ``allow_empty_values``, a value of ``None`` or ``""`` is kept as ``None`` (meaning
    "delete this attribute"); otherwise every value must be a string. ``phone_number``
    values must be E.164.
    """
    result: dict[str, str | None] = {}
    for raw_name, raw_value in _pairs(value, field):
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
        attribute_value(raw_value, field, name)
        if name == "phone_number":
            phone_number(raw_value, f"{field}.phone_number")
        result[name] = raw_value
    return result


def _pairs(value: object, field: str) -> Iterable[tuple[Any, Any]]:
    """(name, value) pairs of a mapping or of a list of ``{"Name", "Value"}`` mappings."""
    if isinstance(value, Mapping):
        return list(value.items())
    if not isinstance(value, (list, tuple)):
        raise InvalidParameterError(
            f"{field} must be a list of {{'Name', 'Value'}} mappings or a mapping of names "
            "to values",
            field=field,
        )
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
    return items
