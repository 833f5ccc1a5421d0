"""``blocking()``: the blocking twin of a flow, declared beside the flow itself.

Each flow module ends with one small class of twins (``login = blocking(AuthFlows.login)``),
which ``UserPool`` inherits; so a flow is written, declared and given its blocking form in one
file, and ``UserPool`` names no flow. The twin only needs its owner to run a coroutine
function on its event loop (``_run``): this module knows nothing of portals or threads, and
the core still imports nothing of the shims.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

__all__ = ["BlockingRunner", "blocking"]

P = ParamSpec("P")
R = TypeVar("R")


class BlockingRunner(Protocol):
    """What a blocking twin needs from its owner (``UserPool``)."""

    def _run(self, flow: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Run ``flow(async_pool, *args, **kwargs)`` on the owner's loop; return its result."""


def blocking(
    flow: Callable[Concatenate[Any, P], Awaitable[R]],
) -> Callable[Concatenate[BlockingRunner, P], R]:
    """The blocking twin of one flow: ``UserPool().login(**kw)`` runs
    ``AsyncUserPool.login(**kw)`` on the pool's portal and returns its result.

    A plain function, so that Python's tools see a method (``callable``, ``inspect``,
    ``help``, ``mock.create_autospec``), with the flow's name, docstring and signature; and
    typed through ``P`` and ``R`` so that ``mypy --strict`` checks every call as the flow's own.
    """

    def method(self: BlockingRunner, /, *args: P.args, **kwargs: P.kwargs) -> R:
        result: R = self._run(flow, *args, **kwargs)
        return result

    # The flow's name, docstring and signature (``inspect.signature`` follows ``__wrapped__``:
    # the same parameters, ``self`` included, and the flow's result as the return).
    functools.update_wrapper(method, flow)
    method.__qualname__ = f"UserPool.{flow.__name__}"
    method.__module__ = "cognito_user_pool._sync"
    return method
