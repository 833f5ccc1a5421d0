"""What every answer to a sign-in challenge shares: the answer as one value, the registry of
answers by challenge name, the tokens after the last challenge and the count of wrong codes.

``auth`` (password, device and new-password challenges) and ``_mfa_signin`` (the MFA
challenges) register their answers here with ``@answers``; RespondToAuthChallenge looks them
up by the session's challenge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import Session, StrictState
from ._registry import Params, Result
from .tokens import issue_tokens

__all__ = ["ANSWERS", "MAX_CODE_ATTEMPTS", "ChallengeAnswer", "answers", "finish", "wrong_answer"]

MAX_CODE_ATTEMPTS = 3  # wrong MFA answers allowed on one challenge session


@dataclass(frozen=True)
class ChallengeAnswer:
    """One answer to a challenge: the pool, client and user of its session, the session,
    and the ``ChallengeResponses`` sent, with the request's ``ClientMetadata``."""

    pool: mi.MotoPool
    client: mi.MotoClient
    user: mi.MotoUser
    session: Session
    responses: Params
    client_metadata: Params | None = None


Answer = Callable[[StrictState, ChallengeAnswer], Result]
ANSWERS: dict[str, Answer] = {}  # challenge name -> its answer, filled by @answers


def answers(challenge: str) -> Callable[[Answer], Answer]:
    """Register the decorated function as the answer to ``challenge``."""

    def register(func: Answer) -> Answer:
        ANSWERS[challenge] = func
        return func

    return register


def finish(st: StrictState, a: ChallengeAnswer) -> Result:
    """Tokens after the last challenge; a verified device keeps its key, else a new one."""
    device_key = a.session.device_key
    known = device_key is not None and device_key in st.user_state(a.pool, a.user).devices
    return issue_tokens(
        st,
        a.pool,
        a.client,
        a.user,
        device_key=device_key if known else None,
        new_device=not known,
    )


def wrong_answer(st: StrictState, session: Session, message: str) -> ServiceError:
    """A wrong code: the session allows :data:`MAX_CODE_ATTEMPTS` of them, then ends."""
    session.attempts += 1
    if session.attempts >= MAX_CODE_ATTEMPTS:
        st.consume(session)
    return ServiceError("CodeMismatchException", message)
