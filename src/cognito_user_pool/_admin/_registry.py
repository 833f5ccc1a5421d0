"""The registry of admin operations: each declares itself with ``@admin_operation``.

Apart from the user flows' registry (``_flows._registry``) on purpose: the callback shim
makes a Node method of every flow, and the admin client has no callback twin. The tests
(validation before the network, the retry policy's rows, the CLI's coverage, the docs'
table) iterate ``ADMIN_OPERATIONS``; nothing else lists them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ["AdminOperation", "admin_operation", "registered"]

F = TypeVar("F", bound=Callable[..., Any])

_registry: list[AdminOperation] = []


@dataclass(frozen=True)
class AdminOperation:
    """One admin operation: its Python name (AWS's operation in snake_case) and function."""

    name: str
    function: Callable[..., Any] = field(repr=False, compare=False)

    @property
    def paginated(self) -> bool:
        """Whether it lists every page as an async iterator rather than returning once."""
        return inspect.isasyncgenfunction(self.function)


def admin_operation(function: F) -> F:
    """Declare a coroutine or async generator of ``AsyncUserPoolAdmin``, under its name."""
    if not (inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)):
        raise TypeError(f"@admin_operation declares coroutines or async generators: {function!r}")
    if any(known.name == function.__name__ for known in _registry):
        raise ValueError(f"an admin operation named {function.__name__} is already declared")
    _registry.append(AdminOperation(function.__name__, function))
    return function


def registered() -> tuple[AdminOperation, ...]:
    """Every admin operation declared so far, in declaration order."""
    return tuple(_registry)
