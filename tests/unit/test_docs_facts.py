"""Cognito facts are cited from docs/cognito-facts.md, by anchors that exist there.

The facts once lived in a private notes file, cited as "COGNITO-FACTS F1" or "(F9)"; a reader
of this repository could not follow those citations. They now point at sections of
docs/cognito-facts.md, as ``cognito-facts.md#<anchor>``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).parents[2]
FACTS = ROOT / "docs" / "cognito-facts.md"
SCANNED_DIRS = ("src", "tests", "docs", "examples", "bench")
SCANNED_SUFFIXES = frozenset({".py", ".pyi", ".md"})
SKIPPED_PARTS = frozenset({"__pycache__", ".hypothesis", "results"})

# The old citations: the notes file's name, and a fact id such as F1 or F16 standing alone.
OLD_CITATION = re.compile(r"COGNITO-FACTS|\bF\d{1,2}\b")
FACT_LINK = re.compile(r"cognito-facts\.md#([\w-]+)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$")


def _scanned_files() -> list[Path]:
    files = [ROOT / "README.md"]
    for name in SCANNED_DIRS:
        for path in sorted((ROOT / name).rglob("*")):
            relative = path.relative_to(ROOT)
            if SKIPPED_PARTS.intersection(relative.parts):
                continue
            if path.is_file() and path.suffix in SCANNED_SUFFIXES:
                files.append(path)
    return [path for path in files if path.resolve() != Path(__file__).resolve()]


def _slug(title: str) -> str:
    """The anchor Python-Markdown's ``toc`` extension gives a heading (its default slugify)."""
    text = re.sub(r"`([^`]*)`", r"\1", title)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _anchors(markdown: str) -> set[str]:
    anchors = set()
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match is None:
            continue
        anchors.add(_slug(match.group(1)))
    return anchors


def test_no_file_cites_the_private_fact_ids() -> None:
    """No file in src, tests, docs, examples, bench or the README cites COGNITO-FACTS or F<n>."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _scanned_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OLD_CITATION.search(line)
    ]
    assert not offenders, "cite docs/cognito-facts.md#<anchor> instead:\n" + "\n".join(offenders)


def test_every_facts_link_names_an_existing_section() -> None:
    """Each cognito-facts.md#anchor reference matches a heading of docs/cognito-facts.md."""
    anchors = _anchors(FACTS.read_text(encoding="utf-8"))
    cited: dict[str, list[str]] = {}
    for path in _scanned_files():
        for anchor in FACT_LINK.findall(path.read_text(encoding="utf-8")):
            cited.setdefault(anchor, []).append(str(path.relative_to(ROOT)))
    assert cited, "nothing cites docs/cognito-facts.md: is the scan looking at the right files?"
    missing = {anchor: files for anchor, files in cited.items() if anchor not in anchors}
    assert not missing, f"no such section in docs/cognito-facts.md: {missing}"


def test_every_fact_section_names_its_sources() -> None:
    """Each section and subsection of docs/cognito-facts.md has its own Sources list."""
    sections = re.split(r"^#{2,6} ", FACTS.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    assert sections
    unsourced = [s.splitlines()[0] for s in sections if "**Sources:**" not in s]
    assert not unsourced, f"sections without sources: {unsourced}"


def test_slug_follows_the_toc_extension() -> None:
    """Headings become lowercase, hyphenated anchors without punctuation, as mkdocs makes them."""
    assert _slug("Sign-out and revocation") == "sign-out-and-revocation"
    assert _slug("SRP arithmetic") == "srp-arithmetic"
    assert _slug("What is checked (gaps)") == "what-is-checked-gaps"
    assert _anchors("## Secret hash\n```\n## not a heading\n```\n") == {"secret-hash"}
