"""The AWS-shaped error the strict layer raises; messages never carry secrets."""

from __future__ import annotations

__all__ = ["ServiceError"]


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
