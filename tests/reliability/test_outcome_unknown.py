"""An answer lost after the request reached Cognito: never resent when it must not run twice.

For every operation the flows send, the proxy lets the request through and then loses the
answer (a reset, an HTTP 500, a body cut short, a stall past the read timeout). Pools retry
(3 attempts, botocore's default). An operation that changes state or uses up a code or a
session is sent once and fails with OutcomeUnknownError, and the account shows it applied
once; an idempotent one is sent again and succeeds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
import pytest

from cognito_user_pool import AsyncUserPool
from cognito_user_pool._errors import OutcomeUnknownError
from cognito_user_pool._retry_policy import POLICY

from ..integration.conftest import Backend
from ._proxy import Fault, FaultProxy
from ._scenarios import SCENARIOS, Context, Scenario

pytestmark = pytest.mark.anyio

NOT_RESENT = [s for s in SCENARIOS if not s.resend]
RESENT = [s for s in SCENARIOS if s.resend]
AFTER_THE_FACT = [Fault.RESET_AFTER, Fault.HTTP_500_AFTER, Fault.TRUNCATED]

Proxied = Callable[..., Awaitable[AsyncUserPool]]


def _name(value: object) -> str:
    return value.name if isinstance(value, (Scenario, Fault)) else str(value)


async def _prepared(
    scenario: Scenario, backend: Backend, clean: AsyncUserPool, fault: Fault
) -> Context:
    ctx = Context(backend, clean, f"{scenario.name}-{fault.name.lower()}")
    await scenario.prepare(ctx)
    return ctx


async def _expect_unknown(scenario: Scenario, pool: AsyncUserPool, ctx: Context) -> None:
    with pytest.raises(OutcomeUnknownError) as info:
        await scenario.run(pool, ctx)
    error = info.value
    assert error.code == "CognitoUserPool.OutcomeUnknown"
    assert "outcome is unknown" in error.message
    assert POLICY[scenario.policy_key].check in error.message
    assert scenario.operation in error.message


@pytest.mark.parametrize("scenario", NOT_RESENT, ids=_name)
async def test_lost_answer_is_outcome_unknown_and_applied_once(
    scenario: Scenario,
    backend: Backend,
    clean: AsyncUserPool,
    proxy: FaultProxy,
    proxied: Proxied,
) -> None:
    """After a reset, an HTTP 500 or a cut-short body, the request was sent once, the caller
    hears OutcomeUnknown, and the account shows it done."""
    pool = await proxied()
    for fault in AFTER_THE_FACT:
        ctx = await _prepared(scenario, backend, clean, fault)
        proxy.reset_counts()
        proxy.arm(scenario.operation, fault)
        await _expect_unknown(scenario, pool, ctx)
        assert proxy.forwarded[scenario.operation.lower()] == 1, fault
        if scenario.applied is not None:
            assert await scenario.applied(ctx), fault


@pytest.mark.parametrize("scenario", RESENT, ids=_name)
async def test_lost_answer_to_an_idempotent_request_is_resent(
    scenario: Scenario,
    backend: Backend,
    clean: AsyncUserPool,
    proxy: FaultProxy,
    proxied: Proxied,
) -> None:
    """A request that may run twice is sent again by botocore's retries, and succeeds."""
    pool = await proxied()
    for fault in AFTER_THE_FACT:
        ctx = await _prepared(scenario, backend, clean, fault)
        proxy.reset_counts()
        proxy.arm(scenario.operation, fault)
        await scenario.run(pool, ctx)
        assert proxy.forwarded[scenario.operation.lower()] == 2, fault
        if scenario.applied is not None:
            assert await scenario.applied(ctx), fault


async def test_stall_past_the_read_timeout(
    backend: Backend, clean: AsyncUserPool, proxy: FaultProxy, proxied: Proxied
) -> None:
    """A stalled answer, all operations at once: OutcomeUnknown and applied once for those
    that must not run twice, success after one resend for the others."""
    contexts = {s.name: await _prepared(s, backend, clean, Fault.STALL_AFTER) for s in SCENARIOS}
    pool = await proxied()

    async def one(scenario: Scenario) -> None:
        if scenario.resend:
            await scenario.run(pool, contexts[scenario.name])
        else:
            await _expect_unknown(scenario, pool, contexts[scenario.name])
            # No other scenario sends these operations: this one was sent once.
            assert proxy.forwarded[scenario.operation.lower()] == 1, scenario.name

    # Faults are armed per operation: the two InitiateAuth scenarios go on their own, so that
    # no login takes a stall meant for another scenario.
    initiate = [s for s in SCENARIOS if s.operation == "InitiateAuth"]
    others = [s for s in SCENARIOS if s.operation != "InitiateAuth"]
    for batch in (others, initiate):
        for scenario in batch:
            proxy.arm(scenario.operation, Fault.STALL_AFTER)
        with anyio.fail_after(20):
            async with anyio.create_task_group() as group:
                for scenario in batch:
                    group.start_soon(one, scenario)
    for scenario in SCENARIOS:
        if scenario.applied is not None:
            assert await scenario.applied(contexts[scenario.name]), scenario.name
