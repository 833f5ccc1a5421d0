"""An HTTP 200 that is not Cognito's answer is an error for every operation the flows send.

A captive portal's HTML page and a proxy's ``null`` once passed for success (logout,
password_change, ...) or broke botocore's parser with an AttributeError. Now a read fails
with MalformedResponseError, and a request that must not run twice with OutcomeUnknownError
caused by it (the request may have been applied before the answer was replaced).
"""

from __future__ import annotations

import ast
from collections.abc import Awaitable, Callable
from pathlib import Path

import botocore.session
import pytest

import cognito_user_pool
from cognito_user_pool import AsyncUserPool, CognitoError
from cognito_user_pool._errors import MalformedResponseError, OutcomeUnknownError

from ..integration.conftest import Backend
from ._proxy import Fault, FaultProxy
from ._scenarios import SCENARIOS, Context, Scenario

pytestmark = pytest.mark.anyio

Proxied = Callable[..., Awaitable[AsyncUserPool]]

_MODEL = botocore.session.get_session().get_service_model("cognito-idp")


def _operations_the_flows_send() -> set[str]:
    """Every ``self._call("Operation", ...)`` (and ``self._every_page("Operation", ...)``)
    in the flows' source."""
    found: set[str] = set()
    for path in (Path(cognito_user_pool.__file__).parent / "_flows").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("_call", "_every_page")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(str(node.args[0].value))
    return found


def _required_output(operation: str) -> list[str]:
    shape = _MODEL.operation_model(operation).output_shape
    return list(shape.required_members) if shape is not None else []


def test_scenarios_cover_every_operation_the_flows_send() -> None:
    """The tests below reach every operation the flows call, no more, no fewer."""
    flows = _operations_the_flows_send()
    assert flows, "no _call found: the scan is broken"
    assert {s.operation for s in SCENARIOS} == flows


async def _answered_badly(
    scenario: Scenario,
    fault: Fault,
    backend: Backend,
    clean: AsyncUserPool,
    proxy: FaultProxy,
    pool: AsyncUserPool,
) -> CognitoError:
    ctx = Context(backend, clean, f"{scenario.name}-{fault.name.lower()}")
    await scenario.prepare(ctx)
    proxy.arm(scenario.operation, fault)
    try:
        result = await scenario.run(pool, ctx)
    except CognitoError as exc:
        return exc
    raise AssertionError(f"{scenario.name} took {fault.value} for a success: {result!r}")


def _malformed(error: BaseException | None) -> MalformedResponseError | None:
    """The MalformedResponseError in ``error``'s cause chain (composite flows re-raise)."""
    while error is not None and not isinstance(error, MalformedResponseError):
        error = error.__cause__
    return error


def _check(scenario: Scenario, error: CognitoError) -> MalformedResponseError:
    if scenario.resend:
        assert type(error) is MalformedResponseError, repr(error)
        assert error.code == "CognitoUserPool.MalformedResponse"
    else:
        assert type(error) is OutcomeUnknownError, repr(error)
    assert scenario.operation in error.message
    cause = _malformed(error)
    assert cause is not None, repr(error)
    return cause


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
async def test_html_and_null_answers_are_errors(
    scenario: Scenario,
    backend: Backend,
    clean: AsyncUserPool,
    proxy: FaultProxy,
    proxied: Proxied,
) -> None:
    """An HTML 200 page and a ``null`` body: a CognitoError of their own, never a success."""
    pool = await proxied()
    for fault in (Fault.HTML_200, Fault.NULL_BODY):
        error = await _answered_badly(scenario, fault, backend, clean, proxy, pool)
        _check(scenario, error)
        assert "<html>" not in error.message


REQUIRED = [s for s in SCENARIOS if _required_output(s.operation)]


def test_some_operations_have_required_output() -> None:
    """botocore's model requires output members of some operations the flows send."""
    assert {s.operation for s in REQUIRED} >= {"SignUp", "GetUser"}


@pytest.mark.parametrize("scenario", REQUIRED, ids=lambda s: s.name)
async def test_answer_without_a_required_member_is_an_error(
    scenario: Scenario,
    backend: Backend,
    clean: AsyncUserPool,
    proxy: FaultProxy,
    proxied: Proxied,
) -> None:
    """A JSON object without what botocore's model says the operation always returns."""
    pool = await proxied()
    error = await _answered_badly(scenario, Fault.EMPTY_OBJECT, backend, clean, proxy, pool)
    cause = _check(scenario, error)
    for member in _required_output(scenario.operation):
        assert member in cause.message
