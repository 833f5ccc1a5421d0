"""``blocking()``: the blocking twin of a flow, declared beside the flow itself.

Each flow module ends with one small class of twins (``login = blocking(AuthFlows.login)``),
which ``UserPool`` inherits; so a flow is written, declared and given its blocking form in one
file, and ``UserPool`` names no flow. The twin only needs its owner to run a coroutine
function on its event loop (``_run``): this module knows nothing of portals or threads, and
the core still imports nothing of the shims.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

__all__ = ["BlockingRunner", "PagesRunner", "blocking", "blocking_pages"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class BlockingRunner(Protocol):
    """What a blocking twin needs from its owner (``UserPool``)."""

    def _run(self, flow: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Run ``flow(async_pool, *args, **kwargs)`` on the owner's loop; return its result."""


class PagesRunner(Protocol):
    """What the blocking twin of a listing needs from its owner (``UserPoolAdmin``)."""

    def _iterate(self, pages: Any, /, *args: Any, **kwargs: Any) -> Generator[Any, None, None]:
        """Iterate ``pages(async_pool, *args, **kwargs)`` from this thread, item by item."""


def blocking(
    flow: Callable[Concatenate[Any, P], Awaitable[R]], owner: str = "UserPool"
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
    method.__qualname__ = f"{owner}.{flow.__name__}"
    method.__module__ = "cognito_user_pool._sync"
    return method


def blocking_pages(
    pages: Callable[Concatenate[Any, P], AsyncIterator[T]], owner: str = "UserPoolAdmin"
) -> Callable[Concatenate[PagesRunner, P], Generator[T, None, None]]:
    """The blocking twin of a listing (an async generator such as
    ``AsyncUserPoolAdmin.list_users``): a generator, each page fetched as it is reached (and
    ``close()`` to leave it early),
    with the listing's name, docstring and signature, as ``blocking()`` gives a flow's."""

    def method(self: PagesRunner, /, *args: P.args, **kwargs: P.kwargs) -> Generator[T, None, None]:
        items: Generator[T, None, None] = self._iterate(pages, *args, **kwargs)
        return items

    functools.update_wrapper(method, pages)
    method.__qualname__ = f"{owner}.{pages.__name__}"
    method.__module__ = "cognito_user_pool._sync"
    return method
