"""The custom-authentication Lambda triggers of a local pool, as Python callables.

AWS calls three Lambda functions for ``AuthFlow=CUSTOM_AUTH`` (developer guide, "Custom
authentication challenge Lambda triggers"): *define auth challenge*, *create auth challenge*
and *verify auth challenge response*. Here each is a callable that takes the event AWS sends
its Lambda (a dict) and returns it with ``response`` filled in, as a Python Lambda handler
does, so a handler written for AWS can be registered as is::

    triggers = CustomAuthTriggers(define=define, create=create, verify=verify)
    local = LocalCognito(triggers=triggers)           # the default pool
    pool = local.create_pool(triggers=triggers)       # a new pool
    pool.set_triggers(other)                          # an existing pool (None: remove them)

Pool ids are unique in a process (moto keeps one set of pools), so the triggers are kept by
pool id here; deleting the pool forgets them. They are not written to a state file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CustomAuthTriggers", "CustomRun", "Event", "Trigger", "TriggerTarget"]

Event = dict[str, Any]
Trigger = Callable[[Event], Event]


@dataclass(frozen=True)
class CustomAuthTriggers:
    """The three custom-auth triggers of a pool.

    :param define: ``DefineAuthChallenge``: reads ``request.session``, answers
        ``response.challengeName`` / ``issueTokens`` / ``failAuthentication``.
    :param create: ``CreateAuthChallenge``: answers ``response.publicChallengeParameters``,
        ``privateChallengeParameters`` and ``challengeMetadata``.
    :param verify: ``VerifyAuthChallengeResponse``: reads ``request.privateChallengeParameters``
        and ``request.challengeAnswer``, answers ``response.answerCorrect``.
    """

    define: Trigger
    create: Trigger
    verify: Trigger

    def __post_init__(self) -> None:
        for name in ("define", "create", "verify"):
            if not callable(getattr(self, name)):
                raise TypeError(f"CustomAuthTriggers.{name} must be callable")


@dataclass
class CustomRun:
    """One CUSTOM_AUTH sign-in in progress, carried by its challenge session.

    :ivar history: the ``request.session`` list: ``{challengeName, challengeResult,
        challengeMetadata}`` per challenge answered, oldest first.
    :ivar private: the last create's ``privateChallengeParameters`` (verify's input).
    :ivar metadata: the last create's ``challengeMetadata``.
    :ivar srp_a: the ``SRP_A`` of the "SRP first" variant, until PASSWORD_VERIFIER is issued.
    :ivar user_not_found: the user does not exist (a client with PreventUserExistenceErrors).
    """

    history: list[dict[str, Any]] = field(default_factory=list)
    private: dict[str, str] = field(default_factory=dict)
    metadata: str | None = None
    srp_a: str | None = None
    user_not_found: bool = False

    @property
    def password_proven(self) -> bool:
        """Whether a PASSWORD_VERIFIER of this sign-in succeeded."""
        return any(
            step["challengeName"] == "PASSWORD_VERIFIER" and step["challengeResult"] is True
            for step in self.history
        )


_lock = threading.Lock()
_BY_POOL: dict[str, CustomAuthTriggers] = {}


def install(pool_id: str, triggers: CustomAuthTriggers | None) -> None:
    """Give a pool its triggers (``None`` removes them).

    :raises TypeError: when ``triggers`` is not a :class:`CustomAuthTriggers`.
    """
    if triggers is not None and not isinstance(triggers, CustomAuthTriggers):
        raise TypeError("triggers must be a CustomAuthTriggers or None")
    with _lock:
        if triggers is None:
            _BY_POOL.pop(pool_id, None)
        else:
            _BY_POOL[pool_id] = triggers


def triggers_of(pool_id: str) -> CustomAuthTriggers | None:
    """The pool's triggers, if it has them."""
    with _lock:
        return _BY_POOL.get(pool_id)


def forget(pool_id: str) -> None:
    """Drop a deleted pool's triggers."""
    install(pool_id, None)


class TriggerTarget:
    """What gives :class:`LocalPool` its ``set_triggers``."""

    user_pool_id: str

    def set_triggers(self, triggers: CustomAuthTriggers | None) -> None:
        """Give this pool custom-auth triggers, replacing any it had (``None``: remove them).

        :raises TypeError: when ``triggers`` is not a :class:`CustomAuthTriggers`.
        """
        install(self.user_pool_id, triggers)
