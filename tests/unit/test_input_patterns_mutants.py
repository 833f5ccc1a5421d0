"""The Java-pattern translation of ``_validate._shape`` on the constructs the mutation run
(``nox -s mutate``) found no case for: ``\\x`` and ``\\u`` escapes, control and class escapes
outside a class, ranges of escaped characters, and category classes that are not ``[...]+``."""

from __future__ import annotations

import pytest

from cognito_user_pool._validate import _shape

# (Java pattern, value, whether java.util.regex matches the whole value)
JAVA_CASES = [
    (r"\x41+", "AA", True),
    (r"\x41+", "x41", False),
    (r"\x4g", "x4g", None),  # not two hex digits: not translated
    (r"\u00e9t\u00E9", "été", True),
    (r"\u00e9", "u00e9", False),
    (r"[\x41-\x43]+", "ABC", True),
    (r"[\x41-\x43]+", "ABCD", False),
    (r"[\u0061-\u0063]+", "abc", True),
    (r"[\u0061-\u0063]+", "abcd", False),
    (r"a\tb", "a\tb", True),
    (r"a\tb", "atb", False),
    (r"\.\-", ".-", True),
    (r"\.", "a", False),
    (r"\d+", "0123", True),
    (r"\d+", "12a", False),
    (r"\d+", "\u0661\u0662", False),  # Java's \d is ASCII
    (r"x\w", "x_", True),
    # A class of categories and ASCII classes: \w stays ASCII beside the categories.
    (r"[\p{L}\w]+", "é_1", True),
    (r"[\p{L}\w]+", "\u0663", False),  # ARABIC-INDIC DIGIT THREE: Nd, not L, not ASCII \w
]


@pytest.mark.parametrize(("pattern", "value", "expected"), JAVA_CASES)
def test_escapes_translate_with_java_meaning(
    pattern: str, value: str, expected: bool | None
) -> None:
    """The translated pattern matches the whole value as java.util.regex would; a construct
    outside the subset (None) is refused, never guessed."""
    if expected is None:
        with pytest.raises(_shape.UnsupportedPattern, match=r"escape \\x is not translated"):
            _shape.translate(pattern)
    else:
        assert _shape.translate(pattern)(value) is expected


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"[\p{L}]", "a category class is only translated as [...]+"),
        (r"[\p{L}]*", "a category class is only translated as [...]+"),
        (r"[\p{L}]+a", "a category class is only translated as [...]+"),
        (r"[a-", "pattern ends inside a class"),
    ],
)
def test_untranslated_shapes_are_refused_with_the_reason(pattern: str, reason: str) -> None:
    """A category class that is not the whole ``[...]+``, or a class cut short, raises
    UnsupportedPattern saying which."""
    with pytest.raises(_shape.UnsupportedPattern) as info:
        _shape.translate(pattern)
    assert str(info.value) == reason
