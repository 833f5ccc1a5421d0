"""Property tests: every flow, on the async core and on the blocking ``UserPool``, given
random and hostile values for each parameter of its signature, raises nothing but
``CognitoError`` subclasses, and sends no request that breaks Cognito's published limits.

The parameters come from each flow's signature (``FLOWS``), so a new flow or a changed
signature is fuzzed without editing this file. The request is stubbed (``_call``): what the
flow would send is checked against botocore's service model, member by member, which is the
oracle for "nothing invalid reaches the network".
"""

from __future__ import annotations

import inspect
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_user_pool import (
    FLOWS,
    AsyncUserPool,
    Challenge,
    CognitoError,
    NotAuthorizedError,
    RefreshToken,
    Tokens,
    UserPool,
)
from cognito_user_pool._validate import _model

TOKEN = "aaaa.bbbb.cccc"
POOL = ("us-east-1_abc", "client1")
OPTIONS: dict[str, Any] = {
    "endpoint_url": "http://127.0.0.1:9",
    "client_secret": "thesecret0123456789abcdefgh",
}
# Bounded: a few seconds per Python for every flow on both surfaces.
FUZZ = settings(
    max_examples=12,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


class _Session:
    """A well-behaved UserSession stand-in (``access_token()`` and ``logout()``)."""

    async def access_token(self) -> str:
        return TOKEN

    async def logout(self) -> None:
        return None


PLAUSIBLE = st.sampled_from(
    [
        "alice",
        "José",
        "a@b.co",
        "+14155550100",
        "Passw0rd!",
        "correct horse",
        "123456",
        "s" * 40,
        TOKEN,
        "email",
        "SMS_MFA",
        True,
        False,
        {"name": "Zoë"},
        [{"Name": "email", "Value": "a@b.co"}],
        Tokens(TOKEN, TOKEN, TOKEN, 0, 0),
        RefreshToken(TOKEN),
        RefreshToken(TOKEN, TOKEN),
        Challenge(name="SMS_MFA", session="s" * 40, username="alice"),
        _Session(),
    ]
)
ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\ud800",
        "a\udfffb",
        "a b",
        "\n",
        "a\u2028b",
        "\u00a0",
        "x" * 300,
        "s" * 5000,
    ]
)
HOSTILE = st.one_of(
    st.none(),
    st.integers(),
    st.floats(),
    st.binary(max_size=8),
    st.text(max_size=30),
    st.text(st.characters(codec=None, categories=["Cs", "Cc", "Zs", "Lo", "So"]), max_size=30),
    ODD_TEXT,
    st.lists(st.one_of(st.text(max_size=4), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.none(), st.text(max_size=6)), max_size=3),
    st.builds(object),
)
VALUES = st.one_of(PLAUSIBLE, HOSTILE)


def _arguments(flow: str) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments for ``flow``, read from its signature: every required parameter,
    and each optional one or not."""
    params = list(inspect.signature(getattr(AsyncUserPool, flow)).parameters.values())[1:]
    required = {p.name: VALUES for p in params if p.default is inspect.Parameter.empty}
    optional = {p.name: VALUES for p in params if p.default is not inspect.Parameter.empty}
    return st.fixed_dictionaries(required, optional=optional)


def _violations(shape: Any, value: Any, where: str) -> list[str]:
    """Where ``value`` breaks the model's ``shape`` (types, lengths, patterns, Unicode)."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: not a structure"]
        found = [f"{where}.{k}: unknown member" for k in value if k not in shape.members]
        for name, item in value.items():
            if name in shape.members:
                found += _violations(shape.members[name], item, f"{where}.{name}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [
            v
            for i, item in enumerate(value)
            for v in _violations(shape.member, item, f"{where}[{i}]")
        ]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{where}: not a map"]
        return [
            v
            for key, item in value.items()
            for v in _violations(shape.key, key, f"{where} key")
            + _violations(shape.value, item, f"{where}[{key}]")
        ]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: not a boolean"]
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{where}: not an integer"]
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            return [f"{where}: {value} outside {low}..{high}"]
        return []
    if kind != "string":
        return [f"{where}: unexpected {kind}"]
    if not isinstance(value, str):
        return [f"{where}: not a string"]
    limits = _model.limits(shape)
    if any("\ud800" <= c <= "\udfff" for c in value):
        return [f"{where}: not Unicode text"]
    if len(value) < limits.min or (limits.max is not None and len(value) > limits.max):
        return [f"{where}: length {len(value)} outside {limits.min}..{limits.max}"]
    if limits.enum is not None and value not in limits.enum:
        return [f"{where}: not one of the enum"]
    return [] if limits.matches(value) else [f"{where}: breaks {limits.name}'s pattern"]


class _Recorder:
    """Stands in for ``_call``: checks each request against the model, then answers as
    Cognito would refuse it (a CognitoError), so that no request goes out."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    async def __call__(self, operation: str, /, **params: Any) -> dict[str, Any]:
        shape = _model.service_model().operation_model(operation).input_shape
        self.violations += _violations(shape, params, operation)
        raise NotAuthorizedError("stubbed: no request is sent")


def _check(outcome: BaseException | None, recorder: _Recorder) -> None:
    if outcome is not None and not isinstance(outcome, CognitoError):
        raise AssertionError(f"a foreign exception came out: {outcome!r}") from outcome
    assert not recorder.violations, recorder.violations


FLOW_NAMES = [f.name for f in FLOWS]


@pytest.mark.parametrize("flow", FLOW_NAMES)
def test_async_core_fuzz(flow: str) -> None:
    """AsyncUserPool: only CognitoError comes out; no request breaks the model."""
    pool = AsyncUserPool(*POOL, **OPTIONS)
    recorder = _Recorder()
    pool._call = recorder  # type: ignore[method-assign]

    @FUZZ
    @given(kwargs=_arguments(flow))
    def run(kwargs: dict[str, Any]) -> None:
        recorder.violations.clear()

        async def call() -> BaseException | None:
            try:
                await getattr(pool, flow)(**kwargs)
            except Exception as exc:  # the property: which exceptions come out
                return exc
            return None

        _check(anyio.run(call), recorder)

    try:
        run()
    finally:
        anyio.run(pool.aclose)
    assert pool._client is None


@pytest.mark.parametrize("flow", FLOW_NAMES)
def test_blocking_pool_fuzz(flow: str) -> None:
    """UserPool: the same property through the portal and the blocking twins."""
    recorder = _Recorder()
    with UserPool(*POOL, **OPTIONS) as pool:
        pool._pool._call = recorder  # type: ignore[method-assign]

        @FUZZ
        @given(kwargs=_arguments(flow))
        def run(kwargs: dict[str, Any]) -> None:
            recorder.violations.clear()
            outcome: BaseException | None = None
            try:
                getattr(pool, flow)(**kwargs)
            except Exception as exc:  # the property: which exceptions come out
                outcome = exc
            _check(outcome, recorder)

        run()
