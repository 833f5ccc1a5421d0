"""The AWS-shaped error the strict layer raises, and LocalCognito's option error; messages
never carry secrets."""

from __future__ import annotations

__all__ = ["OptionError", "ServiceError"]


class ServiceError(Exception):
    """An AWS error response: ``{"__type": code, "message": message}`` with an HTTP status.

    :param code: the AWS error code, e.g. ``NotAuthorizedException``.
    :param message: AWS's message text (never a password, code or token).
    :param status: the HTTP status (400 for every client error Cognito sends).
    """

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class OptionError(ValueError):
    """A ``LocalCognito`` option with a bad value, found before anything starts.

    :param option: the constructor argument at fault (``pool_id``, ``client_id``, ``state``,
        ``region``, ``cors``); the command lines map it to their flag.
    :param message: what is wrong (never a secret).
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
