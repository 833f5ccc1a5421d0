"""Property tests for the admin client, as ``test_flows`` for the user flows: every admin
operation, on ``AsyncUserPoolAdmin`` and ``UserPoolAdmin``, given random and hostile values
for each parameter of its signature, raises nothing but ``CognitoError`` subclasses and sends
no request that breaks Cognito's published limits (botocore's model is the oracle)."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cognito_user_pool import ADMIN_OPERATIONS, AsyncUserPoolAdmin, Challenge, UserPoolAdmin

from .test_flows import FUZZ, VALUES, _check, _Recorder

OPTIONS: dict[str, Any] = {
    "client_id": "client1",
    "client_secret": "thesecret0123456789abcdefgh",
    "endpoint_url": "http://127.0.0.1:9",
    "aws_access_key_id": "AKID",
    "aws_secret_access_key": "secret",
}
ADMIN_VALUES = st.one_of(
    VALUES,
    st.sampled_from(
        [
            'email ^= "a"',
            'username = "alice"',
            "staff",
            ["email", "name"],
            {"NEW_PASSWORD": "N3w-Passw0rd!"},
            60,
            0,
            -1,
            "arn:aws:iam::123456789012:role/x",
            Challenge(name="NEW_PASSWORD_REQUIRED", session="s" * 40, username="alice"),
        ]
    ),
)
NAMES = [op.name for op in ADMIN_OPERATIONS]


def _arguments(name: str) -> st.SearchStrategy[dict[str, Any]]:
    params = list(inspect.signature(getattr(AsyncUserPoolAdmin, name)).parameters.values())[1:]
    required = {p.name: ADMIN_VALUES for p in params if p.default is inspect.Parameter.empty}
    optional = {p.name: ADMIN_VALUES for p in params if p.default is not inspect.Parameter.empty}
    return st.fixed_dictionaries(required, optional=optional)


@pytest.mark.parametrize("name", NAMES)
def test_async_admin_fuzz(name: str) -> None:
    admin = AsyncUserPoolAdmin("us-east-1_abc", **OPTIONS)
    recorder = _Recorder()
    admin._call = recorder  # type: ignore[method-assign]

    @FUZZ
    @given(kwargs=_arguments(name))
    def run(kwargs: dict[str, Any]) -> None:
        recorder.violations.clear()

        async def call() -> BaseException | None:
            try:
                result = getattr(admin, name)(**kwargs)
                if isinstance(result, AsyncIterator):
                    async for _ in result:
                        pass
                else:
                    await result
            except Exception as exc:  # the property: which exceptions come out
                return exc
            return None

        _check(anyio.run(call), recorder)

    try:
        run()
    finally:
        anyio.run(admin.aclose)
    assert admin._client is None


@pytest.mark.parametrize("name", NAMES)
def test_blocking_admin_fuzz(name: str) -> None:
    recorder = _Recorder()
    with UserPoolAdmin("us-east-1_abc", **OPTIONS) as admin:
        admin._pool._call = recorder  # type: ignore[method-assign]

        @FUZZ
        @given(kwargs=_arguments(name))
        def run(kwargs: dict[str, Any]) -> None:
            recorder.violations.clear()
            outcome: BaseException | None = None
            try:
                result = getattr(admin, name)(**kwargs)
                if isinstance(result, Iterator):
                    list(result)
            except Exception as exc:  # the property: which exceptions come out
                outcome = exc
            _check(outcome, recorder)

        run()
