"""The admin client behind the fault-injecting proxy: every admin operation, each fault.

The same retry policy as the user flows (``_retry_policy.POLICY``'s admin rows): a lost
answer to an operation that must not run twice is ``OutcomeUnknownError`` and the pool shows
it applied once; a read or an idempotent change is sent again and succeeds; a request that
Cognito refused as throttled is sent again whatever it is (a reset before the server saw
it looks like one after, to the client); an answer that is not Cognito's is an
error, never a success.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from cognito_user_pool import (
    ADMIN_OPERATIONS,
    AsyncUserPoolAdmin,
    Challenge,
    MalformedResponseError,
    OutcomeUnknownError,
    UserPoolAddOnNotEnabledError,
)
from cognito_user_pool._retry_policy import POLICY

from ..integration.conftest import PASSWORD, Backend
from ._proxy import Fault, FaultProxy
from .conftest import READ_TIMEOUT

pytestmark = pytest.mark.anyio

KEYS = {"aws_access_key_id": "AKIDFAULTS", "aws_secret_access_key": "fault-secret"}
NEW_PASSWORD = "N3w-Admin-Passw0rd!"


@dataclass
class Ctx:
    backend: Backend
    clean: AsyncUserPoolAdmin
    user: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def group(self) -> str:
        return f"g-{self.user}"

    def aws(self, operation: str, **params: Any) -> Any:
        """A boto3 admin call straight to the server (set-up and checks)."""
        return getattr(self.backend.admin, operation)(
            UserPoolId=self.backend.user_pool_id, **params
        )

    def user_state(self) -> dict[str, Any] | None:
        try:
            return dict(self.aws("admin_get_user", Username=self.user))
        except self.backend.admin.exceptions.UserNotFoundException:
            return None

    def attribute(self, name: str) -> str | None:
        state = self.user_state() or {}
        return {a["Name"]: a["Value"] for a in state.get("UserAttributes", [])}.get(name)

    def groups(self) -> list[str]:
        answer = self.aws("admin_list_groups_for_user", Username=self.user)
        return [g["GroupName"] for g in answer["Groups"]]


Step = Callable[[Ctx], Any]
Run = Callable[[AsyncUserPoolAdmin, Ctx], Awaitable[Any]]


@dataclass(frozen=True)
class Scenario:
    name: str  # the admin operation's Python name
    operation: str
    prepare: Step
    run: Run
    applied: Callable[[Ctx], bool] | None = None
    policy_key: str = ""

    @property
    def key(self) -> str:
        return self.policy_key or self.operation

    @property
    def resend(self) -> bool:
        return POLICY[self.key].resend


def _user(ctx: Ctx) -> None:
    ctx.backend.create_confirmed_user(ctx.user, email=f"{ctx.user}@example.com", name="N")


def _invited(ctx: Ctx) -> None:
    ctx.aws(
        "admin_create_user", Username=ctx.user, TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )


def _verified(ctx: Ctx) -> None:
    ctx.backend.create_confirmed_user(
        ctx.user, email=f"{ctx.user}@example.com", email_verified="true"
    )


def _signed_up(ctx: Ctx) -> None:
    ctx.backend.admin.sign_up(
        ClientId=ctx.backend.local.client_id, Username=ctx.user, Password=PASSWORD
    )


def _group(ctx: Ctx) -> None:
    ctx.aws("create_group", GroupName=ctx.group)


def _user_and_group(ctx: Ctx) -> None:
    _user(ctx)
    _group(ctx)


def _member(ctx: Ctx) -> None:
    _user_and_group(ctx)
    ctx.aws("admin_add_user_to_group", Username=ctx.user, GroupName=ctx.group)


def _disabled(ctx: Ctx) -> None:
    _user(ctx)
    ctx.aws("admin_disable_user", Username=ctx.user)


def _nothing(ctx: Ctx) -> None:
    return None


async def _listed(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]


async def _events(admin: AsyncUserPoolAdmin, ctx: Ctx) -> None:
    # The local pools have no threat protection: the read is answered with Cognito's refusal.
    with contextlib.suppress(UserPoolAddOnNotEnabledError):
        await _listed(admin.admin_list_user_auth_events(username=ctx.user))


def _status(value: str) -> Callable[[Ctx], bool]:
    return lambda ctx: (ctx.user_state() or {}).get("UserStatus") == value


SCENARIOS = [
    Scenario(
        "admin_create_user",
        "AdminCreateUser",
        _nothing,
        lambda a, c: a.admin_create_user(username=c.user, message_action="SUPPRESS"),
        lambda c: c.user_state() is not None,
    ),
    Scenario(
        "admin_get_user", "AdminGetUser", _user, lambda a, c: a.admin_get_user(username=c.user)
    ),
    Scenario("list_users", "ListUsers", _user, lambda a, c: _listed(a.list_users())),
    Scenario(
        "admin_delete_user",
        "AdminDeleteUser",
        _user,
        lambda a, c: a.admin_delete_user(username=c.user),
        lambda c: c.user_state() is None,
    ),
    Scenario(
        "admin_disable_user",
        "AdminDisableUser",
        _user,
        lambda a, c: a.admin_disable_user(username=c.user),
        lambda c: (c.user_state() or {}).get("Enabled") is False,
    ),
    Scenario(
        "admin_enable_user",
        "AdminEnableUser",
        _disabled,
        lambda a, c: a.admin_enable_user(username=c.user),
        lambda c: (c.user_state() or {}).get("Enabled") is True,
    ),
    Scenario(
        "admin_set_user_password",
        "AdminSetUserPassword",
        _invited,
        lambda a, c: a.admin_set_user_password(
            username=c.user, password=NEW_PASSWORD, permanent=True
        ),
        _status("CONFIRMED"),
    ),
    Scenario(
        "admin_reset_user_password",
        "AdminResetUserPassword",
        _verified,
        lambda a, c: a.admin_reset_user_password(username=c.user),
        _status("RESET_REQUIRED"),
    ),
    Scenario(
        "admin_confirm_sign_up",
        "AdminConfirmSignUp",
        _signed_up,
        lambda a, c: a.admin_confirm_sign_up(username=c.user),
        _status("CONFIRMED"),
    ),
    Scenario(
        "admin_update_user_attributes",
        "AdminUpdateUserAttributes",
        _user,
        lambda a, c: a.admin_update_user_attributes(username=c.user, attributes={"name": "X"}),
        lambda c: c.attribute("name") == "X",
    ),
    Scenario(
        "admin_delete_user_attributes",
        "AdminDeleteUserAttributes",
        _user,
        lambda a, c: a.admin_delete_user_attributes(username=c.user, attribute_names=["name"]),
        lambda c: c.attribute("name") is None,
    ),
    Scenario(
        "admin_user_global_sign_out",
        "AdminUserGlobalSignOut",
        _user,
        lambda a, c: a.admin_user_global_sign_out(username=c.user),
    ),
    Scenario(
        "admin_list_devices",
        "AdminListDevices",
        _user,
        lambda a, c: _listed(a.admin_list_devices(username=c.user)),
    ),
    Scenario("admin_list_user_auth_events", "AdminListUserAuthEvents", _user, _events),
    Scenario(
        "create_group",
        "CreateGroup",
        _nothing,
        lambda a, c: a.create_group(group_name=c.group),
        lambda c: any(g["GroupName"] == c.group for g in c.aws("list_groups")["Groups"]),
    ),
    Scenario("get_group", "GetGroup", _group, lambda a, c: a.get_group(group_name=c.group)),
    Scenario("list_groups", "ListGroups", _group, lambda a, c: _listed(a.list_groups())),
    Scenario(
        "delete_group",
        "DeleteGroup",
        _group,
        lambda a, c: a.delete_group(group_name=c.group),
        lambda c: all(g["GroupName"] != c.group for g in c.aws("list_groups")["Groups"]),
    ),
    Scenario(
        "admin_add_user_to_group",
        "AdminAddUserToGroup",
        _user_and_group,
        lambda a, c: a.admin_add_user_to_group(username=c.user, group_name=c.group),
        lambda c: c.groups() == [c.group],
    ),
    Scenario(
        "admin_remove_user_from_group",
        "AdminRemoveUserFromGroup",
        _member,
        lambda a, c: a.admin_remove_user_from_group(username=c.user, group_name=c.group),
        lambda c: c.groups() == [],
    ),
    Scenario(
        "admin_list_groups_for_user",
        "AdminListGroupsForUser",
        _member,
        lambda a, c: _listed(a.admin_list_groups_for_user(username=c.user)),
    ),
    Scenario(
        "list_users_in_group",
        "ListUsersInGroup",
        _member,
        lambda a, c: _listed(a.list_users_in_group(group_name=c.group)),
    ),
    Scenario(
        "admin_initiate_auth",
        "AdminInitiateAuth",
        _user,
        lambda a, c: a.admin_initiate_auth(username=c.user, password=PASSWORD),
        policy_key="AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH",
    ),
    Scenario(
        "admin_respond_to_auth_challenge",
        "AdminRespondToAuthChallenge",
        _invited,
        lambda a, c: _answer_new_password(a, c),
        _status("CONFIRMED"),
    ),
]


async def _answer_new_password(admin: AsyncUserPoolAdmin, ctx: Ctx) -> Any:
    challenge = await ctx.clean.admin_initiate_auth(username=ctx.user, password=PASSWORD)
    assert isinstance(challenge, Challenge)
    return await admin.admin_respond_to_auth_challenge(
        challenge=challenge, responses={"NEW_PASSWORD": NEW_PASSWORD}
    )


def _options(backend: Backend, endpoint_url: str, attempts: int) -> dict[str, Any]:
    return {
        "client_id": backend.local.client_id,
        "client_secret": backend.local.client_secret,
        "endpoint_url": endpoint_url,
        "max_attempts": attempts,
        "read_timeout": READ_TIMEOUT,
        **KEYS,
    }


@pytest.fixture
async def clean_admin(backend: Backend) -> AsyncIterator[AsyncUserPoolAdmin]:
    options = _options(backend, backend.local.endpoint_url, 1)
    async with AsyncUserPoolAdmin(backend.user_pool_id, **options) as admin:
        yield admin


@pytest.fixture
async def proxied_admin(backend: Backend, proxy: FaultProxy) -> AsyncIterator[AsyncUserPoolAdmin]:
    async with AsyncUserPoolAdmin(backend.user_pool_id, **_options(backend, proxy.url, 3)) as a:
        yield a


def _name(value: object) -> str:
    return value.name if isinstance(value, Scenario) else str(value)


def test_every_admin_operation_has_a_scenario() -> None:
    """One scenario per admin operation, and together they send every admin row of the
    retry policy."""
    names = [s.name for s in SCENARIOS]
    assert len(set(names)) == len(names)
    assert set(names) == {op.name for op in ADMIN_OPERATIONS}
    admin_rows = {key for key in POLICY if key.split(" ")[0] in {s.operation for s in SCENARIOS}}
    assert {s.key for s in SCENARIOS} == admin_rows


async def _run(
    scenario: Scenario,
    fault: Fault,
    backend: Backend,
    clean: AsyncUserPoolAdmin,
    proxy: FaultProxy,
    admin: AsyncUserPoolAdmin,
) -> tuple[Ctx, Any]:
    """Prepare a fresh user for ``scenario``, arm ``fault`` and run it; what it raised or
    returned."""
    ctx = Ctx(backend, clean, f"{scenario.name.replace('_', '-')}-{fault.name.lower()}")
    scenario.prepare(ctx)
    proxy.reset_counts()
    proxy.arm(scenario.operation, fault)
    try:
        return ctx, await scenario.run(admin, ctx)
    except Exception as exc:  # what the test checks
        return ctx, exc
    finally:
        proxy.disarm()


AFTER_THE_FACT = [Fault.RESET_AFTER, Fault.HTTP_500_AFTER, Fault.TRUNCATED]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=_name)
async def test_every_admin_operation_under_faults(
    scenario: Scenario,
    backend: Backend,
    clean_admin: AsyncUserPoolAdmin,
    proxy: FaultProxy,
    proxied_admin: AsyncUserPoolAdmin,
) -> None:
    operation = scenario.operation.lower()
    for fault in AFTER_THE_FACT:
        ctx, outcome = await _run(scenario, fault, backend, clean_admin, proxy, proxied_admin)
        if scenario.resend:
            assert not isinstance(outcome, Exception), (fault, outcome)
            assert proxy.forwarded[operation] == 2, fault
        else:
            assert isinstance(outcome, OutcomeUnknownError), (fault, outcome)
            assert POLICY[scenario.key].check in outcome.message
            assert proxy.forwarded[operation] == 1, fault
        if scenario.applied is not None:
            assert scenario.applied(ctx), fault
    # A reset before the server saw it: the client cannot tell it from a reset after, so
    # only what may run twice is sent again; the rest is OutcomeUnknown, and not applied.
    ctx, outcome = await _run(
        scenario, Fault.RESET_BEFORE, backend, clean_admin, proxy, proxied_admin
    )
    if scenario.resend:
        assert not isinstance(outcome, Exception), outcome
        assert proxy.forwarded[operation] == 1
    else:
        assert isinstance(outcome, OutcomeUnknownError), outcome
        assert proxy.forwarded[operation] == 0
        if scenario.applied is not None:
            assert not scenario.applied(ctx)
    # Refused as throttled, so never processed: sent again whatever the operation, done once.
    ctx, outcome = await _run(scenario, Fault.THROTTLE, backend, clean_admin, proxy, proxied_admin)
    assert not isinstance(outcome, Exception), outcome
    assert (proxy.seen[operation], proxy.forwarded[operation]) == (2, 1)
    if scenario.applied is not None:
        assert scenario.applied(ctx)
    # A captive portal's page: never a success. A read says the answer was not Cognito's;
    # a change, which may not be resent, says its outcome is unknown, and is not applied.
    ctx, outcome = await _run(scenario, Fault.HTML_200, backend, clean_admin, proxy, proxied_admin)
    expected = MalformedResponseError if scenario.resend else OutcomeUnknownError
    assert isinstance(outcome, expected), outcome
    if scenario.applied is not None:
        assert not scenario.applied(ctx)
