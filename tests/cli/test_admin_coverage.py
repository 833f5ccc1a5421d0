"""Every admin operation has an ``admin`` command (or a stated reason not to), and each admin
command module declares exactly the operations it calls."""

from __future__ import annotations

import ast
import importlib
import inspect

from cognito_user_pool import ADMIN_OPERATIONS, UserPoolAdmin
from cognito_user_pool.cli._admin import ADMIN_MODULES
from cognito_user_pool.cli._admin_command import covered_operations, operations_by_module

OPERATION_NAMES = {op.name for op in ADMIN_OPERATIONS}
# Operations no command calls, each with its reason. Empty for now: add one only with a
# reason a reviewer would accept.
NOT_EXPOSED: dict[str, str] = {}


def _operation_calls(module_name: str) -> set[str]:
    """The admin operation names a module calls as methods (``call.admin.list_users(...)``)."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in OPERATION_NAMES
    }


def test_every_admin_operation_has_a_command() -> None:
    """The operations the admin commands declare are ADMIN_OPERATIONS, less NOT_EXPOSED."""
    declared = {op for ops in covered_operations().values() for op in ops}
    expected = OPERATION_NAMES - set(NOT_EXPOSED)
    assert declared == expected, (
        f"no command for {sorted(expected - declared)}; unknown {sorted(declared - expected)}"
    )
    assert set(NOT_EXPOSED) <= OPERATION_NAMES, "NOT_EXPOSED names an unknown operation"
    assert all(reason.strip() for reason in NOT_EXPOSED.values())


def test_each_admin_module_declares_the_operations_it_calls() -> None:
    """An admin command module's declarations match the operations its code calls."""
    modules = operations_by_module()
    assert {m.__name__ for m in ADMIN_MODULES} == set(modules)
    for module_name, declared in modules.items():
        assert _operation_calls(module_name) == declared, module_name


def test_admin_commands_use_the_blocking_client() -> None:
    """The admin commands run on UserPoolAdmin: their modules never import anyio nor the
    async client."""
    for module in ADMIN_MODULES:
        source = inspect.getsource(module)
        assert "anyio" not in source, module.__name__
        assert "AsyncUserPoolAdmin" not in source, module.__name__
    assert all(hasattr(UserPoolAdmin, name) for name in OPERATION_NAMES)


def test_the_admin_commands_are_documented() -> None:
    """docs/cli.md names every admin command."""
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [path for path in covered_operations() if f"`{path}" not in text]
    assert not missing, f"docs/cli.md does not name {missing}"
