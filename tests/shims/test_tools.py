"""The blocking and callback methods as Python's own tools see them: callable, inspectable,
in ``help()``, and mockable with ``create_autospec`` (applications mock their Cognito client)."""

from __future__ import annotations

import inspect
import pydoc
from concurrent.futures import Future
from typing import Any
from unittest import mock

import pytest

import cognito_user_pool
from cognito_user_pool import FLOWS, AsyncUserPool, CallbackUserPool, Tokens, UserPool

SURFACES = [
    pytest.param(UserPool, "name", id="UserPool"),
    pytest.param(CallbackUserPool, "node_name", id="CallbackUserPool"),
]


@pytest.mark.parametrize(("cls", "attr"), SURFACES)
def test_flows_are_callable_members(cls: type, attr: str):
    """Every flow is callable on the class and listed by inspect.getmembers(cls, callable)."""
    names = {getattr(flow, attr) for flow in FLOWS}
    assert all(callable(getattr(cls, name)) for name in names)
    assert names <= {name for name, _ in inspect.getmembers(cls, callable)}


@pytest.mark.parametrize(("cls", "attr"), SURFACES)
def test_help_documents_every_flow(cls: type, attr: str):
    """help() (pydoc) shows every flow with its signature and docstring."""
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    for flow in FLOWS:
        name = getattr(flow, attr)
        assert f" |  {name}(" in text, name
        if cls is UserPool:
            summary = (getattr(AsyncUserPool, flow.name).__doc__ or "").strip().splitlines()[0]
            assert summary in text, name


def test_sync_signatures_are_the_cores():
    """Each blocking method has the coroutine's parameters and result annotation."""
    for flow in FLOWS:
        assert inspect.signature(getattr(UserPool, flow.name)) == inspect.signature(
            getattr(AsyncUserPool, flow.name)
        )
    assert inspect.signature(UserPool.login).return_annotation == "Tokens | Challenge"


def test_autospec_of_user_pool_checks_arguments():
    """create_autospec(UserPool, instance=True) accepts a valid call and refuses a wrong keyword,
    a missing one and a positional argument, as the real method would."""
    fake = mock.create_autospec(UserPool, instance=True)
    tokens = Tokens("access", "id", "refresh", 1, 2)
    fake.login.return_value = tokens
    assert fake.login(username="alice", password="pw") is tokens
    fake.login.assert_called_once_with(username="alice", password="pw")
    with pytest.raises(TypeError):
        fake.login(user="alice", password="pw")
    with pytest.raises(TypeError):
        fake.login(username="alice")
    with pytest.raises(TypeError):
        fake.login("alice", "pw")
    with pytest.raises(TypeError):
        fake.profile(auth="a", acces_token="typo")
    with pytest.raises(TypeError):
        fake.profile(access_token="a")  # the Node name: Python flows take auth=


def test_autospec_of_callback_user_pool_checks_arguments():
    """create_autospec(CallbackUserPool, instance=True) accepts (params, callback) and refuses a
    wrong keyword or an extra argument."""
    fake = mock.create_autospec(CallbackUserPool, instance=True)
    done: Future[Any] = Future()
    fake.login.return_value = done

    def on_login(err: Any, data: Any) -> None: ...

    assert fake.login({"username": "alice", "password": "pw"}, on_login) is done
    assert fake.login(params={"username": "alice"}, callback=None) is done
    with pytest.raises(TypeError):
        fake.login({"username": "alice"}, cb=on_login)
    with pytest.raises(TypeError):
        fake.login({"username": "alice"}, on_login, "extra")


def test_public_classes_name_the_package_and_aliases_are_left_alone():
    """Public classes say cognito_user_pool.X; the NodeCallback alias (an instance of `type` on
    Python 3.10) keeps its own module, so the package imports on every Python."""
    assert UserPool.__module__ == CallbackUserPool.__module__ == "cognito_user_pool"
    assert cognito_user_pool.NodeCallback.__module__ != "cognito_user_pool"
