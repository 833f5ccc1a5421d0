"""The outbox: where the local Cognito "delivers" the codes a real pool would e-mail or text.

Its whole point is to show codes to the developer, so messages (and their repr) carry the code.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Outbox", "OutboxMessage"]


@dataclass(frozen=True)
class OutboxMessage:
    """One code "sent" by the local Cognito.

    :param username: the internal username (the sub in email/phone-as-username pools).
    :param destination: the e-mail address or phone number it would have gone to.
    :param purpose: ``signup``, ``forgot_password``, ``verify_attribute``, ``sms_mfa``,
        ``email_mfa``, ``email_otp`` / ``sms_otp`` (USER_AUTH sign-in codes) or
        ``invitation`` (the temporary password of AdminCreateUser).
    :param code: the code (or temporary password) itself.
    :param attribute: the attribute being verified or used for delivery (``email``, ...).
    :param medium: ``EMAIL`` or ``SMS``.
    :param pool_id: the user pool that sent it.
    """

    username: str
    destination: str
    purpose: str
    code: str
    attribute: str | None = None
    medium: str = "EMAIL"
    pool_id: str = ""


class Outbox:
    """A thread-safe, append-only sequence of :class:`OutboxMessage`, newest last.

    Example::

        local.outbox.wait_for(username="alice", purpose="signup").code

    ``wait_for`` returns the next matching message not yet returned by an earlier
    ``wait_for`` on this outbox, so a test that asks twice gets two different codes.
    """

    def __init__(self) -> None:
        self._messages: list[OutboxMessage] = []
        self._cond = threading.Condition()
        self._claimed: set[int] = set()
        self._listeners: list[Callable[[OutboxMessage], None]] = []

    def __repr__(self) -> str:
        return f"Outbox({len(self)} messages)"

    def __len__(self) -> int:
        with self._cond:
            return len(self._messages)

    def __iter__(self) -> Iterator[OutboxMessage]:
        with self._cond:
            return iter(list(self._messages))

    def __getitem__(self, index: int) -> OutboxMessage:
        with self._cond:
            return self._messages[index]

    def add_listener(
        self, listener: Callable[[OutboxMessage], None], *, replay: bool = False
    ) -> None:
        """Call ``listener(message)`` for every message sent from now on (the CLI prints them).

        :param replay: first call it with every message already in the outbox (such as the
            pending codes a state file brought back); none is missed or repeated.
        """
        with self._cond:
            self._listeners.append(listener)
            earlier = list(self._messages) if replay else []
        for message in earlier:
            with contextlib.suppress(Exception):
                listener(message)

    def send(self, message: OutboxMessage) -> None:
        """Append a message and wake waiters."""
        with self._cond:
            self._messages.append(message)
            listeners = list(self._listeners)
            self._cond.notify_all()
        for listener in listeners:
            # A broken listener (say, a closed stdout) must not fail the Cognito request.
            with contextlib.suppress(Exception):
                listener(message)

    def clear(self) -> None:
        """Forget every message."""
        with self._cond:
            self._messages.clear()
            self._claimed.clear()

    @staticmethod
    def _matches(message: OutboxMessage, username: str | None, purpose: str | None) -> bool:
        # ``username`` also matches the destination, so e-mail-as-username pools can ask by
        # the address the user typed rather than by the internal uuid.
        return (username is None or username in (message.username, message.destination)) and (
            purpose is None or message.purpose == purpose
        )

    def messages(
        self, username: str | None = None, purpose: str | None = None
    ) -> list[OutboxMessage]:
        """Every message matching the filters, oldest first."""
        with self._cond:
            return [m for m in self._messages if self._matches(m, username, purpose)]

    def last(self, username: str | None = None, purpose: str | None = None) -> OutboxMessage:
        """The newest matching message.

        :raises LookupError: when nothing matches.
        """
        found = self.messages(username, purpose)
        if not found:
            raise LookupError(f"no message for username={username!r} purpose={purpose!r}")
        return found[-1]

    def wait_for(
        self, username: str | None = None, purpose: str | None = None, timeout: float = 5.0
    ) -> OutboxMessage:
        """Block until a matching message that no earlier ``wait_for`` returned exists.

        :param username: the internal username or the destination to match (None: any).
        :param purpose: the purpose to match (None: any).
        :param timeout: seconds to wait.
        :raises TimeoutError: when none arrives in time.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index, message in enumerate(self._messages):
                    if index not in self._claimed and self._matches(message, username, purpose):
                        self._claimed.add(index)
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"no message for username={username!r} purpose={purpose!r} "
                        f"within {timeout} s"
                    )
                self._cond.wait(remaining)
