"""The one list of operations the strict layer answers, filled by ``@operation`` where each
is written (moto dispatches by AWS name too: ``X-Amz-Target: ...SignUp`` -> ``sign_up``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._state import StrictState

__all__ = ["DELEGATE", "OPERATIONS", "Operation", "Params", "Result", "operation"]

Params = dict[str, Any]
Result = dict[str, Any]
Operation = Callable[[StrictState, Params], Result]
_Op = TypeVar("_Op", bound=Operation)

# An operation returns this to let moto answer the request after a pre-hook ran.
DELEGATE: Result = {"__delegate__": True}

# AWS operation name -> the function that answers it.
OPERATIONS: dict[str, Operation] = {}


def operation(*names: str) -> Callable[[_Op], _Op]:
    """Register the decorated function as the answer to the AWS operations ``names``.

    :raises ValueError: when a name is already registered (two answers to one operation).
    """

    def register(func: _Op) -> _Op:
        for name in names:
            if name in OPERATIONS:
                raise ValueError(f"two answers to {name}")
            OPERATIONS[name] = func
        return func

    return register
