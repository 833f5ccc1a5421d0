"""The built API reference documents every flow of the three surfaces."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cognito_user_pool import FLOWS

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def api_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The API reference page of a strict mkdocs build (any warning fails the build)."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return (site / "api" / "index.html").read_text(encoding="utf-8")


def _entry(page: str, path: str) -> str:
    """The text of one documented object: from its heading to the next heading."""
    start = page.index(f'id="{path}"')
    end = page.find('class="doc doc-heading"', page.index(">", start))
    return html.unescape(re.sub(r"<[^>]+>", "", page[start : end if end > 0 else None]))


@pytest.mark.parametrize(
    ("cls", "attr"),
    [("AsyncUserPool", "name"), ("UserPool", "name"), ("CallbackUserPool", "node_name")],
)
def test_every_flow_has_an_entry(api_page: str, cls: str, attr: str):
    """Each flow of each class has its own entry, with its signature."""
    for flow in FLOWS:
        name = getattr(flow, attr)
        entry = _entry(api_page, f"cognito_user_pool.{cls}.{name}")
        assert f"{name}(" in entry, (cls, name)


def test_blocking_entries_carry_the_cores_signature_and_docstring(api_page: str):
    """UserPool.login shows the coroutine's keywords, result and docstring; the callback
    methods show (params, callback) and the Node parameter names."""
    login = _entry(api_page, "cognito_user_pool.UserPool.login")
    assert "login(*, username: str, password: str) -> Tokens | Challenge" in login
    assert "Sign in with SRP" in login
    mfa = _entry(api_page, "cognito_user_pool.CallbackUserPool.loginMfa")
    assert "loginMfa(params: Mapping[str, Any], callback: NodeCallback | None = None)" in mfa
    assert "loginSession" in mfa and "mfaCode" in mfa
