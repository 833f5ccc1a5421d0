"""Many logins at once on one AsyncUserPool, against the strict local Cognito.

Each login's SRP maths runs in a worker thread, and on the fast path GMP releases the GIL, so
several exchanges are computed at the same time. These tests check that they stay apart: every
user gets their own tokens, and a wrong password among them is still refused.
"""

from __future__ import annotations

import anyio
import pytest

from cognito_user_pool import AsyncUserPool, NotAuthorizedError, Tokens
from cognito_user_pool._srp_fast import SRP_MODE_ENV
from cognito_user_pool._tokens import internal_username

from .conftest import Backend

pytestmark = pytest.mark.anyio

USERS = 8


def _password(index: int) -> str:
    return f"Concurrent-{index}-Passw0rd!"


@pytest.mark.parametrize("mode", ["fast", "pure"])
async def test_concurrent_logins_stay_apart(
    mode: str, backend: Backend, pool: AsyncUserPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight right passwords and three wrong ones at once: eight users' own tokens, three
    NotAuthorizedException."""
    monkeypatch.setenv(SRP_MODE_ENV, mode)
    names = [f"user{index}" for index in range(USERS)]
    for index, name in enumerate(names):
        backend.create_confirmed_user(name, password=_password(index))

    signed_in: dict[str, Tokens] = {}
    refused: list[str] = []

    # Staggered starts, so that a login's exchange begins while others are midway through
    # theirs (started together, they would all be at the same step at once).
    async def good(index: int) -> None:
        await anyio.sleep(index * 0.01)
        result = await pool.login(username=names[index], password=_password(index))
        assert isinstance(result, Tokens)
        signed_in[names[index]] = result

    async def bad(index: int) -> None:
        # Another user's password: right for someone, wrong here.
        await anyio.sleep(index * 0.01 + 0.005)
        with pytest.raises(NotAuthorizedError) as info:
            await pool.login(username=names[index], password=_password(index + 1))
        assert info.value.code == "NotAuthorizedException"
        refused.append(names[index])

    async with anyio.create_task_group() as group:
        for index in range(USERS):
            group.start_soon(good, index)
            if index % 3 == 0:
                group.start_soon(bad, index)

    assert sorted(signed_in) == sorted(names)
    for name, tokens in signed_in.items():
        assert internal_username(tokens.id_token) == name
        assert internal_username(tokens.access_token) == name
    assert sorted(refused) == ["user0", "user3", "user6"]
    # The tokens work: each profile is its owner's.
    for name, tokens in signed_in.items():
        profile = await pool.profile(auth=tokens)
        assert profile.username == name
