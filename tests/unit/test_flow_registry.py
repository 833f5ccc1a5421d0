"""Flows declare themselves with @flow; FLOWS is what they declared, nothing kept by hand."""

from __future__ import annotations

import inspect

import pytest

from cognito_user_pool import FLOWS, AsyncUserPool
from cognito_user_pool._flows import _registry


def test_every_public_coroutine_of_the_core_is_a_declared_flow() -> None:
    """FLOWS holds exactly AsyncUserPool's public coroutines, bar its own lifecycle."""
    coroutines = {
        name
        for name, member in inspect.getmembers(AsyncUserPool, inspect.iscoroutinefunction)
        if not name.startswith("_") and name != "aclose"
    }
    assert {flow.name for flow in FLOWS} == coroutines
    assert all(flow.function is getattr(AsyncUserPool, flow.name) for flow in FLOWS)


def test_signed_in_and_node_name_are_derived() -> None:
    """A flow acts for a signed-in user when it takes a session; its Node name is camelCase."""
    by_name = {flow.name: flow for flow in FLOWS}
    assert by_name["profile_edit"].signed_in and by_name["logout"].signed_in
    assert not by_name["login"].signed_in and not by_name["refresh_session"].signed_in
    assert by_name["login_new_password_required"].node_name == "loginNewPasswordRequired"


def test_the_decorator_refuses_a_duplicate_or_a_plain_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """@flow refuses a second flow of the same name and anything but a coroutine function."""
    monkeypatch.setattr(_registry, "_registry", list(FLOWS))

    async def login() -> None: ...

    def plain() -> None: ...

    with pytest.raises(ValueError, match="already declared"):
        _registry.flow(login)
    with pytest.raises(TypeError, match="coroutines"):
        _registry.flow(plain)
