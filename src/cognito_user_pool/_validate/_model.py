"""Cognito's published limits on a request's members, from botocore's service model.

botocore ships the model AWS generates its SDKs from. Each string shape in it carries the
``min`` and ``max`` length and the ``pattern`` that Cognito checks requests against: a value
that breaks them is refused with ``InvalidParameterException: 1 validation error detected:
Value at 'username' failed to satisfy constraint: Member must satisfy regular expression
pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+``. botocore itself checks neither patterns nor
maximum lengths (``botocore/validate.py``).

The checks read the limits of the members they feed from ``_limits``, which this module
writes from the model (``python -m cognito_user_pool._validate._model``) and a test holds
equal to the installed botocore's. Reading the model itself costs 60 to 90 ms (botocore's
import, then 800 kB of JSON), which would land on the event loop of the first call that
checks a parameter: generated, the limits cost nothing at run time.

Lengths count code points, as Smithy's ``length`` trait specifies, not UTF-16 units.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._shape import Shape

__all__ = ["limits", "live_member", "render", "service_model"]

# Where the model is out of date: a value that matches either pattern passes. PasswordType
# says [\S]+, but Cognito takes spaces inside a password ("The space character is also
# treated as a special character": Amazon Cognito Developer Guide, "Adding user pool password
# requirements"; aws-amplify/amplify-swift#3129), and its refusals now quote this pattern
# ("Member must satisfy regular expression pattern: ^[\S]+.*[\S]+$"). The model's alone
# would refuse pass phrases AWS accepts; the service's alone, a one-character password the
# model allows.
_SERVICE_PATTERNS = {"PasswordType": r"^[\S]+.*[\S]+$"}


@functools.cache
def service_model() -> Any:
    """cognito-idp's model as botocore ships it (for the generator and the tests)."""
    from botocore.loaders import Loader
    from botocore.model import ServiceModel

    loaded = Loader().load_service_model("cognito-idp", "service-2")
    return ServiceModel(loaded, service_name="cognito-idp")


@functools.cache
def live_member(operation: str, *path: str) -> Shape:
    """The limits the installed botocore's model gives the member at ``path`` in
    ``operation``'s request: ``("SignUp", "Username")``, or ``("UpdateUserAttributes",
    "UserAttributes", "Name")`` (lists are stepped through)."""
    shape = service_model().operation_model(operation).input_shape
    for name in path:
        if shape.type_name == "list":
            shape = shape.member
        shape = shape.members[name]
    return limits(shape)


def limits(shape: Any) -> Shape:
    """The limits of a botocore string shape (``botocore.model.StringShape``: lengths), or
    of an integer one (values)."""
    meta = shape.metadata
    return Shape(
        name=shape.name,
        min=int(meta.get("min", 0)),
        max=int(meta["max"]) if "max" in meta else None,
        patterns=tuple(
            p for p in (meta.get("pattern"), _SERVICE_PATTERNS.get(shape.name)) if p is not None
        ),
        enum=tuple(shape.enum) if getattr(shape, "enum", None) else None,
    )


def render(members: Iterable[tuple[str, ...]]) -> str:
    """The text of ``_limits.py`` for ``members`` (``(operation, *path)`` each), laid out as
    ruff formats it."""
    lines = [
        '"""The limits of the request members the checks feed, written from botocore\'s model',
        "by ``python -m cognito_user_pool._validate._model``: do not edit (a test compares).",
        '"""',
        "",
        "from ._shape import Shape",
        "",
        "LIMITS: dict[tuple[str, ...], Shape] = {",
    ]
    for key in sorted(set(members)):
        shape = live_member(*key)
        lines += [
            f"    ({', '.join(map(_quote, key))}): Shape(",
            f"        name={_quote(shape.name)},",
            f"        min={shape.min},",
            f"        max={shape.max},",
            f"        patterns={_tuple(shape.patterns)},",
        ]
        if shape.enum is not None:
            lines.append(f"        enum={_tuple(shape.enum)},")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """A double-quoted Python literal (JSON's escapes are Python's for ASCII text)."""
    return json.dumps(text)


def _tuple(items: tuple[str, ...]) -> str:
    inner = ", ".join(map(_quote, items))
    return f"({inner},)" if len(items) == 1 else f"({inner})"


# The generated module, beside this one.
_LIMITS_FILE = Path(__file__).with_name("_limits.py")


def _write(target: Path = _LIMITS_FILE) -> None:
    """Write ``_limits.py`` (or ``target``) for every member the checks name."""
    from . import members  # the package's, imported when this runs

    target.write_text(render(members()), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")


if __name__ == "__main__":
    _write()
