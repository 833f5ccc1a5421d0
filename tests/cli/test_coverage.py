"""Every flow has a CLI command, and each command module declares the flows it calls."""

from __future__ import annotations

import ast
import importlib
import inspect

from cognito_user_pool import FLOWS, UserPool
from cognito_user_pool.cli import COMMAND_MODULES
from cognito_user_pool.cli._command import covered_flows, flows_by_module

FLOW_NAMES = {f.name for f in FLOWS}


def _flow_calls(module_name: str) -> set[str]:
    """The flow names a module calls as methods (``call.pool.login(...)``)."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in FLOW_NAMES
    }


def test_every_flow_has_a_command() -> None:
    """The flows the commands declare are exactly FLOWS: a new flow needs a command."""
    declared = {flow for flows in covered_flows().values() for flow in flows}
    assert declared == FLOW_NAMES, (
        f"no command for {sorted(FLOW_NAMES - declared)}; unknown {sorted(declared - FLOW_NAMES)}"
    )


def test_each_module_declares_the_flows_it_calls() -> None:
    """A command module's declarations match the flows its code calls, so none can lie."""
    modules = flows_by_module()
    assert modules, "no @pool_command registered"
    for module_name, declared in modules.items():
        assert _flow_calls(module_name) == declared, module_name


def test_command_modules_call_the_blocking_pool() -> None:
    """The pool commands run on UserPool: their modules never import anyio."""
    for module in COMMAND_MODULES:
        if module.__name__ in flows_by_module():
            source = inspect.getsource(module)
            assert "anyio" not in source, module.__name__
    assert all(hasattr(UserPool, name) for name in FLOW_NAMES)
