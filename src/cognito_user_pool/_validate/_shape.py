"""A request member's published limits (``Shape``), and its Java patterns tested in Python.

The model's patterns are Java's: Cognito quotes them verbatim in its refusals, and matches
them against the whole value (a username with a space is refused although it contains
matching characters: amazon-cognito-identity-js#551, aws-amplify/amplify-js#869). Python's
``re`` has no Unicode-category classes, so ``translate`` rewrites the part of the dialect the
model uses and gives up on the rest (a test checks every pattern the checks use):

- ``\\w``, ``\\d``, ``\\s`` and their negations are ASCII-only in Java unless the
  UNICODE_CHARACTER_CLASS flag is set (``java.util.regex.Pattern``): ``re.ASCII`` gives the
  same sets (Java's ``\\s`` is ``[ \\t\\n\\x0B\\f\\r]``, so ``\\S`` lets a no-break space in).
- ``.`` stops at Java's line terminators: ``\\n``, ``\\r``, ``\\u0085``, ``\\u2028``,
  ``\\u2029``.
- A class of general categories such as ``[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+`` becomes a test
  of each character's ``unicodedata.category``. A code point unassigned in Python's Unicode
  database (``Cn``) is let through: the service's newer database may assign it, and a check
  must never refuse what Cognito accepts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Matcher", "Shape", "UnsupportedPattern", "translate"]

Matcher = Callable[[str], bool]

_DOT = r"[^\n\r\x85\u2028\u2029]"
_CLASS_ESCAPES = frozenset("wWdDsS")
_CONTROL_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "a": "\x07", "e": "\x1b"}
_QUANTIFIERS = frozenset("+*?")


class UnsupportedPattern(ValueError):
    """A pattern outside the part of Java's dialect that ``translate`` rewrites."""


@dataclass(frozen=True)
class Shape:
    """A string member's published limits.

    :ivar name: the shape's name in the model (``UsernameType``).
    :ivar min: the least length, in code points.
    :ivar max: the greatest length, or ``None``.
    :ivar patterns: the Java patterns of which the whole value must match one; none for a
        member without a pattern.
    :ivar enum: the values allowed, or ``None``.
    """

    name: str
    min: int
    max: int | None
    patterns: tuple[str, ...]
    enum: tuple[str, ...] | None = None

    @functools.cached_property
    def matches(self) -> Matcher:
        """Whether a value matches one of the patterns; always true when one of them is one
        ``translate`` cannot rewrite, since a check must not refuse what Cognito accepts."""
        try:
            tests = [translate(pattern) for pattern in self.patterns]
        except UnsupportedPattern:
            return _anything
        if not tests:
            return _anything
        return lambda value: any(test(value) for test in tests)


def _anything(value: str) -> bool:
    return True


def translate(pattern: str) -> Matcher:
    """A test of whether a whole value matches a Java ``pattern`` of the model.

    :raises UnsupportedPattern: for a construct outside the subset described above.
    """
    body = pattern.removeprefix("^")
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1]
    pieces: list[str] = []
    categories: frozenset[str] = frozenset()
    at = 0
    while at < len(body):
        char = body[at]
        if char == "[":
            piece, found, at = _class(body, at + 1)
            if found and (pieces or categories):
                raise UnsupportedPattern("a category class must be the whole pattern")
            categories = categories | found
            pieces.append(piece)
        elif char == "\\":
            piece, at = _escape(body, at + 1)
            pieces.append(piece)
        elif char == ".":
            pieces.append(_DOT)
            at += 1
        elif char in _QUANTIFIERS:
            if not pieces or pieces[-1] in _QUANTIFIERS:
                raise UnsupportedPattern("lazy, possessive or dangling quantifier")
            pieces.append(char)
            at += 1
        elif char in "(){}|^$":
            raise UnsupportedPattern(f"{char!r} is not translated")
        else:
            pieces.append(re.escape(char))
            at += 1
    if categories:
        return _category_matcher(pieces, categories)
    compiled = re.compile("".join(pieces), re.ASCII)
    return lambda value: compiled.fullmatch(value) is not None


def _category_matcher(pieces: list[str], categories: frozenset[str]) -> Matcher:
    """``[<categories and characters>]+`` as a test of each character."""
    if len(pieces) != 2 or pieces[1] != "+":
        raise UnsupportedPattern("a category class is only translated as [...]+")
    others = re.compile(pieces[0], re.ASCII) if pieces[0] != "[]" else None

    def allowed(char: str) -> bool:
        category = unicodedata.category(char)
        return (
            category in categories
            or category[0] in categories
            or category == "Cn"
            or (others is not None and others.fullmatch(char) is not None)
        )

    return lambda value: bool(value) and all(allowed(c) for c in value)


def _class(body: str, at: int) -> tuple[str, frozenset[str], int]:
    """A bracket class from just after ``[``: (Python class, categories, index after ``]``);
    the class leaves the categories out."""
    items: list[str] = []
    categories: set[str] = set()
    negated = body.startswith("^", at)
    at += negated
    while True:
        if at >= len(body):
            raise UnsupportedPattern("unterminated class")
        char = body[at]
        if char == "]" and (items or categories):
            break
        if char in "[&":
            raise UnsupportedPattern("nested classes and intersections are not translated")
        if body.startswith(("\\p{", "\\P{"), at):
            end = body.index("}", at)
            name = body[at + 3 : end]
            if body[at + 1] == "P" or negated or not re.fullmatch("[A-Z][a-z]?", name):
                raise UnsupportedPattern(f"category {name!r} is not translated")
            categories.add(name)
            at = end + 1
            continue
        if char == "\\" and body[at + 1 : at + 2] in _CLASS_ESCAPES:
            items.append(body[at : at + 2])
            at += 2
            if body.startswith("-", at) and not body.startswith("-]", at):
                raise UnsupportedPattern("a range cannot start at a class escape")
            continue
        low, at = _literal(body, at)
        if body.startswith("-", at) and not body.startswith("-]", at):
            high, at = _literal(body, at + 1)
            items.append(f"{re.escape(low)}-{re.escape(high)}")
        else:
            items.append(re.escape(low))
    piece = "[" + ("^" if negated else "") + "".join(items) + "]"
    return piece, frozenset(categories), at + 1


def _escape(body: str, at: int) -> tuple[str, int]:
    """An escape outside a class, from just after the backslash."""
    if body[at : at + 1] in _CLASS_ESCAPES:
        return "\\" + body[at], at + 1
    char, end = _literal(body, at - 1)
    return re.escape(char), end


def _literal(body: str, at: int) -> tuple[str, int]:
    """One character, plain or escaped (``\\t``, ``\\x41``, ``\\u0041``, ``\\.``)."""
    char = body[at : at + 1]
    if char != "\\":
        if not char:
            raise UnsupportedPattern("pattern ends inside a class")
        return char, at + 1
    escaped = body[at + 1 : at + 2]
    if escaped in _CONTROL_ESCAPES:
        return _CONTROL_ESCAPES[escaped], at + 2
    for prefix, width in (("x", 2), ("u", 4)):
        digits = body[at + 2 : at + 2 + width]
        if escaped == prefix and re.fullmatch(f"[0-9A-Fa-f]{{{width}}}", digits):
            return chr(int(digits, 16)), at + 2 + width
    if escaped and not escaped.isalnum():
        return escaped, at + 2
    raise UnsupportedPattern(f"escape \\{escaped} is not translated")
