"""The docs' blocks are all collected, and the harness that runs them fails when it should.

The blocks themselves run as tests of README.md and docs/*.md (see ``_snippets.py``).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from ._snippets import DOCS, ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^[ \t]*```[ \t]*(\S*)", re.MULTILINE)
# Other spellings of Python, which would hide a block from the test run.
PYTHON_ALIAS = re.compile(r"(?i)i?py(thon)?3?|pycon|python")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_python_block_is_collected(page: Path) -> None:
    """Each ```python fence of the page is one Sybil example, and no fence spells Python
    another way."""
    text = page.read_text(encoding="utf-8")
    languages = FENCE.findall(text)[::2]  # opening fences; their closing ones carry no language
    assert not [lang for lang in languages if lang != "python" and PYTHON_ALIAS.fullmatch(lang)]
    assert DOCS.should_parse(page)
    examples = list(DOCS.parse(page).examples())
    skips = len(re.findall(r"<!--\s*skip:", text))
    assert len(examples) - skips == languages.count("python")


def test_skips_say_why() -> None:
    """A skip directive in the docs carries its reason, which the test report shows."""
    for page in PAGES:
        for directive in re.findall(r"<!--\s*skip:.*?-->", page.read_text(encoding="utf-8")):
            assert re.fullmatch(
                r'<!-- skip: (next|start) "[^"]+" -->|<!-- skip: end -->', directive
            )


MARKDOWN = """
A block that fails:

```python
assert 1 + 1 == 3
```

A block that meets a Cognito error, even one it catches:

```python
from cognito_user_pool import CognitoError, UserPool

with UserPool.from_env() as pool:
    try:
        pool.login(username="alice", password="not her password")
    except CognitoError:
        pass
```

A block that signs alice in, as the docs do:

```python
from cognito_user_pool import Tokens, UserPool

with UserPool.from_env() as pool:
    assert isinstance(pool.login(username="alice", password="Corr3ct-Horse!"), Tokens)
```

A block that signs bob up and reads the code the user would type:

```python
from cognito_user_pool import UserPool

with UserPool.from_env() as pool:
    pool.signup(username="bob", password="Corr3ct-Horse!", attributes={"email": "b@example.com"})
    pool.signup_confirm(username="bob", confirmation_code=input("code: "))
```

<!-- skip: next "needs a real AWS account" -->
```python
raise SystemExit("never run")
```

A test file whose test fails:

```python
def test_fails():
    assert False
```
"""

CONFTEST = """
from pathlib import Path

from tests.docs._snippets import docs_cognito, docs_pool, make_sybil

pytest_collect_file = make_sybil(Path(__file__).parent, ["*.md"]).pytest()
"""


@pytest.mark.timeout(120)
def test_the_harness_fails_what_should_fail(pytester: pytest.Pytester) -> None:
    """Failing blocks, blocks that meet a CognitoError and failing test files fail; a skip is
    reported with its reason; blocks that do what the docs do pass."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makeconftest(CONFTEST)
    pytester.makefile(".md", page=textwrap.dedent(MARKDOWN))
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs")
    # Passed: the two good blocks, and the skip directive (an example of its own).
    result.assert_outcomes(passed=3, failed=3, skipped=1)
    result.stdout.fnmatch_lines_random(
        [
            "*the block met NotAuthorizedException*",
            "*needs a real AWS account*",
            "*expected 1 passed tests*",
        ]
    )
