"""The registry of flows: each coroutine declares itself with ``@flow`` where it is written.

The shims, the CLI's coverage check, the docs' tables and the validation tests iterate
``FLOWS`` (built in ``_flows/__init__.py`` once every flow module is imported); nothing
else lists the flows. What a flow is called in Node and whether it acts for a signed-in
user are derived, not written down.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ["Flow", "flow", "registered"]

F = TypeVar("F", bound=Callable[..., Any])

# The keyword only flows acting for a signed-in user take: who is signed in.
_SIGNED_IN_PARAMETER = "auth"

_registry: list[Flow] = []

# The Node names that are not the camelCase of the Python name: AWS's own camelCase of an
# operation with an acronym (the JavaScript SDK's ``setUserMFAPreference``).
_NODE_NAMES = {"set_user_mfa_preference": "setUserMFAPreference"}


def camel_case(name: str) -> str:
    """``confirmation_code`` -> ``confirmationCode``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@dataclass(frozen=True)
class Flow:
    """One flow: its Python name and its coroutine function, with what derives from them."""

    name: str
    function: Callable[..., Any] = field(repr=False, compare=False)

    @functools.cached_property
    def node_name(self) -> str:
        """The Node method name: the camelCase of the Python name, bar the few above (derived
        once: the callback shim reads it at every call)."""
        return _NODE_NAMES.get(self.name) or camel_case(self.name)

    @property
    def signed_in(self) -> bool:
        """Whether the flow acts for a signed-in user (it takes ``auth``)."""
        return _SIGNED_IN_PARAMETER in inspect.signature(self.function).parameters


def flow(function: F) -> F:
    """Declare a coroutine of ``AsyncUserPool`` as a flow, under its own name."""
    if not inspect.iscoroutinefunction(function):
        raise TypeError(f"@flow declares coroutines, not {function!r}")
    if any(known.name == function.__name__ for known in _registry):
        raise ValueError(f"a flow named {function.__name__} is already declared")
    _registry.append(Flow(function.__name__, function))
    return function


def registered() -> tuple[Flow, ...]:
    """Every flow declared so far, in the order the modules declared them."""
    return tuple(_registry)
