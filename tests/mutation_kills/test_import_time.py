"""The functions that run when the package is imported (decorators, tables), called again
here at test time: mutmut forks its mutant processes after the import, so only a call made
by a test can reach their mutants (docs/mutation.md, "import-time")."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from cognito_user_pool._admin import _registry as admin_registry
from cognito_user_pool._config import AdminConfig, PoolConfig, TransportOptions, with_pool_options
from cognito_user_pool._flows import _registry as flow_registry
from cognito_user_pool._flows._blocking import blocking, blocking_pages
from cognito_user_pool._retry_policy import _read
from cognito_user_pool._validate import _model


class _Options(TransportOptions, total=False):
    client_secret: str | None


class _AdminOnly(TransportOptions, total=False):
    aws_access_key_id: str | None


def test_with_pool_options_writes_the_signature_tools_show() -> None:
    def init(self: object, user_pool_id: str, *, flag: bool = True, **options: Any) -> None: ...

    decorated = with_pool_options(_Options)(init)
    assert decorated is init
    parameters = inspect.signature(init).parameters
    assert list(parameters) == [
        "self",
        "user_pool_id",
        "flag",
        "client_secret",
        "max_pool_connections",
        "max_attempts",
        "connect_timeout",
        "read_timeout",
    ]
    secret = parameters["client_secret"]
    assert secret.kind is inspect.Parameter.KEYWORD_ONLY
    assert secret.default is None
    assert parameters["max_attempts"].default == 3
    assert parameters["read_timeout"].default == 30.0
    assert parameters["max_pool_connections"].annotation == "int"
    assert inspect.signature(init).return_annotation is None


def test_with_pool_options_reads_the_config_it_is_given() -> None:
    def init(self: object, **options: Any) -> None: ...

    with_pool_options(_AdminOnly, AdminConfig)(init)
    parameters = inspect.signature(init).parameters
    assert list(parameters) == [
        "self",
        "aws_access_key_id",
        "max_pool_connections",
        "max_attempts",
        "connect_timeout",
        "read_timeout",
    ]
    assert parameters["aws_access_key_id"].default is None
    # PoolConfig has no aws_access_key_id: only the config given is read.

    def other(self: object, **options: Any) -> None: ...

    with_pool_options(_AdminOnly, PoolConfig)(other)
    assert "aws_access_key_id" not in inspect.signature(other).parameters


def test_read_rules_may_be_resent_and_say_what_they_read() -> None:
    rule = _read("a thing")
    assert rule.resend is True
    assert rule.reason == "reads a thing; changes nothing"
    assert rule.check == ""


def test_flow_declares_coroutines_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flow_registry, "_registry", [])

    async def a_flow() -> None: ...

    def not_a_coroutine() -> None: ...

    assert flow_registry.flow(a_flow) is a_flow
    assert [f.name for f in flow_registry.registered()] == ["a_flow"]
    assert flow_registry.registered()[0].function is a_flow
    with pytest.raises(ValueError, match="a flow named a_flow is already declared"):
        flow_registry.flow(a_flow)
    with pytest.raises(TypeError, match="@flow declares coroutines"):
        flow_registry.flow(not_a_coroutine)
    assert isinstance(flow_registry.registered(), tuple)


def test_admin_operation_declares_coroutines_and_listings_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(admin_registry, "_registry", [])

    async def one() -> None: ...

    async def many() -> Any:
        yield 1

    def plain() -> None: ...

    assert admin_registry.admin_operation(one) is one
    assert admin_registry.admin_operation(many) is many
    declared = admin_registry.registered()
    assert [(op.name, op.paginated) for op in declared] == [("one", False), ("many", True)]
    with pytest.raises(ValueError, match="an admin operation named one is already declared"):
        admin_registry.admin_operation(one)
    with pytest.raises(TypeError, match="coroutines or async generators"):
        admin_registry.admin_operation(plain)


class _Runner:
    """What a blocking twin needs of its owner: records each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = []

    def _run(self, flow: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((flow, args, kwargs))
        return "ran"

    def _iterate(self, pages: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((pages, args, kwargs))
        yield "item"


def test_blocking_twins_carry_the_flows_name_and_call_it() -> None:
    async def sample(self: object, *, value: int) -> str:
        """Sample doc."""
        return "x"

    twin = blocking(sample)
    assert twin.__name__ == "sample"
    assert twin.__qualname__ == "UserPool.sample"
    assert twin.__module__ == "cognito_user_pool._sync"
    assert twin.__doc__ == "Sample doc."
    assert list(inspect.signature(twin).parameters) == ["self", "value"]
    runner = _Runner()
    assert twin(runner, value=3) == "ran"
    assert runner.calls == [(sample, (), {"value": 3})]
    assert blocking(sample, "UserPoolAdmin").__qualname__ == "UserPoolAdmin.sample"
    # Positional arguments reach the flow as they were given (which refuses them there).
    twin(runner, 7, value=3)  # type: ignore[misc]
    assert runner.calls[-1] == (sample, (7,), {"value": 3})


def test_blocking_listings_iterate_through_the_owner() -> None:
    async def pages(self: object, *, size: int) -> Any:
        """Pages doc."""
        yield 1

    twin = blocking_pages(pages)
    assert (twin.__name__, twin.__qualname__) == ("pages", "UserPoolAdmin.pages")
    assert twin.__module__ == "cognito_user_pool._sync"
    assert twin.__doc__ == "Pages doc."
    runner = _Runner()
    assert list(twin(runner, size=2)) == ["item"]
    assert runner.calls == [(pages, (), {"size": 2})]
    list(twin(runner, 7, size=2))  # type: ignore[misc]
    assert runner.calls[-1] == (pages, (7,), {"size": 2})
    assert blocking_pages(pages, "Other").__qualname__ == "Other.pages"


def test_limits_read_a_string_and_an_integer_shape() -> None:
    model = _model.service_model()
    username = model.operation_model("SignUp").input_shape.members["Username"]
    shape = _model.limits(username)
    assert (shape.name, shape.min, shape.max) == ("UsernameType", 1, 128)
    assert shape.patterns == (r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+",)
    assert shape.enum is None
    limit = model.operation_model("ListUsers").input_shape.members["Limit"]
    assert (_model.limits(limit).min, _model.limits(limit).max) == (0, 60)
    action = model.operation_model("AdminCreateUser").input_shape.members["MessageAction"]
    assert _model.limits(action).enum == ("RESEND", "SUPPRESS")
    secret = model.operation_model("RevokeToken").input_shape.members["ClientSecret"]
    assert (_model.limits(secret).min, _model.limits(secret).max) == (24, 64)


def test_limits_default_a_missing_min_and_add_the_services_password_pattern() -> None:
    model = _model.service_model()
    action = model.operation_model("AdminCreateUser").input_shape.members["MessageAction"]
    assert "min" not in action.metadata
    assert _model.limits(action).min == 0
    password = model.operation_model("SignUp").input_shape.members["Password"]
    assert _model.limits(password).patterns == (
        password.metadata["pattern"],
        r"^[\S]+.*[\S]+$",
    )


def test_camel_case_joins_every_part() -> None:
    """Node names are derived once, before a mutation run forks: called here again."""
    assert flow_registry.camel_case("start_web_authn_registration") == "startWebAuthnRegistration"
    assert flow_registry.camel_case("logout") == "logout"
