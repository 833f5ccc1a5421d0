"""What the demo's step modules share: a step, and the two ways a step can fail to happen
as planned without Cognito refusing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["OK", "NotOffered", "Step", "Unexpected"]

OK = "ok"


class Unexpected(Exception):
    """Cognito answered, but not what the step expects (the message says what came back)."""


class NotOffered(Exception):
    """The pool does not offer what the step needs (the message says what): the step is
    reported as skipped."""


@dataclass(frozen=True)
class Step:
    """One step of the plan: its name, the flow it exercises, ``OK`` or the AWS error code
    Cognito must answer, and what it does (``None``: skipped, for ``skip_reason``)."""

    step: str
    flow: str
    expected: str
    action: Callable[[], str] | None
    skip_reason: str = ""
