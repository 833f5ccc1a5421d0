"""The pytest plugin's fixtures serve a user's async tests under each async plugin and mode.

Each case runs a user's test file in a pytest of its own (pytester, in a subprocess), with its
own configuration: pytest-asyncio in strict mode (``@pytest.mark.asyncio``, async fixtures by
``@pytest_asyncio.fixture``), in auto mode (no marker), and anyio's plugin, with pytest-asyncio
installed beside it in strict mode and without it.
"""

from __future__ import annotations

import importlib.metadata
from typing import NamedTuple

import pytest

USER_TESTS = '''
import pytest
{imports}
from cognito_user_pool import Tokens

{extra}

{fixture}
async def user_pool(local_cognito):
    """An async fixture of the user's own, on the test's event loop."""
    async with local_cognito.pool() as pool:
        yield pool


{marker}
async def test_login(local_cognito, user_pool):
    local_cognito.create_user("alice", "Passw0rd-1!")
    assert isinstance(await user_pool.login(username="alice", password="Passw0rd-1!"), Tokens)


{marker}
@pytest.mark.local_cognito(client_secret=True)
async def test_login_on_a_second_pool_with_a_secret(local_cognito, user_pool):
    local_cognito.create_user("alice", "Passw0rd-1!")
    assert user_pool.config.client_secret is not None
    assert isinstance(await user_pool.login(username="alice", password="Passw0rd-1!"), Tokens)
'''

ANYIO_ON_ASYNCIO = """
@pytest.fixture
def anyio_backend():
    return "asyncio"
"""

ASYNCIO_INI = "asyncio_mode = {mode}\nasyncio_default_fixture_loop_scope = function\n"


class Mode(NamedTuple):
    ini: str
    imports: str
    extra: str
    fixture: str
    marker: str
    args: tuple[str, ...] = ()


MODES = {
    "pytest-asyncio-strict": Mode(
        ini=ASYNCIO_INI.format(mode="strict"),
        imports="import pytest_asyncio",
        extra="",
        fixture="@pytest_asyncio.fixture",
        marker="@pytest.mark.asyncio",
    ),
    "pytest-asyncio-auto": Mode(
        ini=ASYNCIO_INI.format(mode="auto"),
        imports="",
        extra="",
        fixture="@pytest.fixture",
        marker="",
    ),
    "anyio-beside-pytest-asyncio-strict": Mode(
        ini=ASYNCIO_INI.format(mode="strict"),
        imports="",
        extra=ANYIO_ON_ASYNCIO,
        fixture="@pytest.fixture",
        marker="@pytest.mark.anyio",
    ),
    "anyio-alone": Mode(
        ini="",
        imports="",
        extra=ANYIO_ON_ASYNCIO,
        fixture="@pytest.fixture",
        marker="@pytest.mark.anyio",
        args=("-p", "no:asyncio"),
    ),
}


def _plugin_args() -> list[str]:
    """Load the plugin by name if the package's pytest11 entry point is not installed."""
    names = {entry.name for entry in importlib.metadata.entry_points(group="pytest11")}
    return [] if "cognito_user_pool" in names else ["-p", "cognito_user_pool.pytest_plugin"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", list(MODES))
def test_local_cognito_serves_async_tests(pytester: pytest.Pytester, name: str) -> None:
    """A user's async tests and async fixture get a working local pool in each mode."""
    mode = MODES[name]
    pytester.makeini(f"[pytest]\n{mode.ini}")
    pytester.makepyfile(
        test_user=USER_TESTS.format(
            imports=mode.imports, extra=mode.extra, fixture=mode.fixture, marker=mode.marker
        )
    )
    result = pytester.runpytest_subprocess(
        *_plugin_args(),
        *mode.args,
        "-p",
        "no:cacheprovider",
        "--strict-config",
        "--strict-markers",
        "-W",
        "error::pytest.PytestWarning",
        timeout=110,
    )
    result.assert_outcomes(passed=2)
