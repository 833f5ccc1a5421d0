"""The errors this library raises, and the one place where AWS errors are translated.

Every error is a :class:`CognitoError`. Its ``code`` is the AWS error code when AWS sent one
(``"NotAuthorizedException"``), so code written for the Node library's ``err.code`` keeps
working. Errors found before any request use codes that cannot clash with AWS's.

Tree::

    CognitoError                      code: the AWS code, or the library's own
    ├── InvalidParameterError         InvalidParameterException (also raised locally, with .field)
    ├── NotAuthorizedError            NotAuthorizedException
    ├── UserNotFoundError             UserNotFoundException
    ├── UsernameExistsError           UsernameExistsException
    ├── UserNotConfirmedError         UserNotConfirmedException
    ├── CodeMismatchError             CodeMismatchException
    ├── ExpiredCodeError              ExpiredCodeException
    ├── InvalidPasswordError          InvalidPasswordException
    ├── PasswordResetRequiredError    PasswordResetRequiredException
    ├── AliasExistsError              AliasExistsException
    ├── LimitExceededError            LimitExceededException
    ├── TooManyRequestsError          TooManyRequestsException
    ├── TooManyFailedAttemptsError    TooManyFailedAttemptsException
    ├── CodeDeliveryFailureError      CodeDeliveryFailureException
    ├── ResourceNotFoundError         ResourceNotFoundException
    ├── InvalidUserPoolConfigurationError  InvalidUserPoolConfigurationException
    ├── InternalError                 InternalErrorException
    ├── NetworkError                  CognitoUserPool.NetworkError (no answer from Cognito)
    ├── SRPError                      CognitoUserPool.SRPError (unsafe SRP values from the server)
    └── TokenError                    CognitoUserPool.TokenError (a token that cannot be read)

Messages never contain passwords, codes, tokens or secrets: validation names the field,
never its value, and AWS's own messages are passed through unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, ClassVar

__all__ = [
    "AliasExistsError",
    "CodeDeliveryFailureError",
    "CodeMismatchError",
    "CognitoError",
    "ExpiredCodeError",
    "InternalError",
    "InvalidParameterError",
    "InvalidPasswordError",
    "InvalidUserPoolConfigurationError",
    "LimitExceededError",
    "NetworkError",
    "NotAuthorizedError",
    "PasswordResetRequiredError",
    "ResourceNotFoundError",
    "SRPError",
    "TokenError",
    "TooManyFailedAttemptsError",
    "TooManyRequestsError",
    "UserNotConfirmedError",
    "UserNotFoundError",
    "UsernameExistsError",
    "error_for_code",
    "map_client_errors",
]

_REGISTRY: dict[str, type[CognitoError]] = {}


class CognitoError(Exception):
    """Base class for every error this library raises.

    :ivar code: the AWS error code (``"NotAuthorizedException"``), or the library's own code
        for failures found locally.
    :ivar message: a human-readable explanation, free of secrets.
    :ivar done: for flows made of several requests, the steps that completed before the
        failure (empty for single-request flows).
    :ivar not_done: the steps that were not carried out because of the failure.
    """

    code: str = "CognitoError"
    _registered: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        done: Sequence[str] = (),
        not_done: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.done: tuple[str, ...] = tuple(done)
        self.not_done: tuple[str, ...] = tuple(not_done)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Each subclass that names its own code becomes the class for that AWS code.
        if "code" in cls.__dict__:
            _REGISTRY.setdefault(cls.__dict__["code"], cls)

    @property
    def name(self) -> str:
        """The error code again, as JavaScript error objects carry it (``err.name``)."""
        return self.code

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class InvalidParameterError(CognitoError):
    """A parameter is missing or malformed; raised before any request when found locally."""

    code = "InvalidParameterException"

    def __init__(self, message: str, *, field: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field = field


class NotAuthorizedError(CognitoError):
    """Wrong credentials, or a revoked or expired token."""

    code = "NotAuthorizedException"


class UserNotFoundError(CognitoError):
    """No such user in this pool."""

    code = "UserNotFoundException"


class UsernameExistsError(CognitoError):
    """Sign-up with a username that is already taken."""

    code = "UsernameExistsException"


class UserNotConfirmedError(CognitoError):
    """The user signed up but has not confirmed the account yet."""

    code = "UserNotConfirmedException"


class CodeMismatchError(CognitoError):
    """A confirmation, reset or MFA code is wrong."""

    code = "CodeMismatchException"


class ExpiredCodeError(CognitoError):
    """A code has expired, was already used, or was superseded by a newer one."""

    code = "ExpiredCodeException"


class InvalidPasswordError(CognitoError):
    """The password does not meet the pool's policy."""

    code = "InvalidPasswordException"


class PasswordResetRequiredError(CognitoError):
    """An administrator requires the user to reset the password."""

    code = "PasswordResetRequiredException"


class AliasExistsError(CognitoError):
    """An email or phone number is already the alias of another user."""

    code = "AliasExistsException"


class LimitExceededError(CognitoError):
    """A per-user limit was hit (for example too many code requests)."""

    code = "LimitExceededException"


class TooManyRequestsError(CognitoError):
    """Cognito throttled the request even after the configured retries."""

    code = "TooManyRequestsException"


class TooManyFailedAttemptsError(CognitoError):
    """Too many wrong attempts; the user is temporarily locked out."""

    code = "TooManyFailedAttemptsException"


class CodeDeliveryFailureError(CognitoError):
    """Cognito could not send a code by email or SMS."""

    code = "CodeDeliveryFailureException"


class ResourceNotFoundError(CognitoError):
    """The pool, app client, session or device does not exist."""

    code = "ResourceNotFoundException"


class InvalidUserPoolConfigurationError(CognitoError):
    """The pool or app client is not configured for this flow."""

    code = "InvalidUserPoolConfigurationException"


class InternalError(CognitoError):
    """Cognito failed internally."""

    code = "InternalErrorException"


class NetworkError(CognitoError):
    """Cognito could not be reached, or did not answer in time, after the configured retries."""

    code = "CognitoUserPool.NetworkError"


class SRPError(CognitoError):
    """The server sent SRP values that would make the exchange unsafe (B mod N == 0, u == 0)."""

    code = "CognitoUserPool.SRPError"


class TokenError(CognitoError):
    """A token could not be read (not a JWT, or missing a required claim)."""

    code = "CognitoUserPool.TokenError"


def error_for_code(code: str, message: str) -> CognitoError:
    """Build the most specific error for an AWS error code; unknown codes keep their code."""
    cls = _REGISTRY.get(code)
    if cls is None:
        return CognitoError(message, code=code)
    return cls(message)


@asynccontextmanager
async def map_client_errors(operation: str) -> AsyncIterator[None]:
    """Translate botocore and aiohttp failures raised inside the block into CognitoErrors.

    The one boundary where foreign exceptions become ours; the original is chained
    (``raise ... from exc``) for debugging but never shown in the message.
    """
    # Imported here so that importing the errors costs nothing and stays I/O-library free.
    import aiohttp
    import botocore.exceptions as bce

    try:
        yield
    except bce.ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "UnknownError")
        if code.isdigit():
            # No AWS error in the body (a proxy's or emulator's HTML page): keep it short.
            status = int(code)
            message = f"{operation}: HTTP {status} without an AWS error"
            if status >= 500:
                raise InternalError(message) from exc
            raise CognitoError(message, code="CognitoUserPool.HTTPError") from exc
        message = str(error.get("Message") or f"{operation} failed")
        raise error_for_code(code, message) from exc
    except (
        bce.EndpointConnectionError,
        bce.ConnectionClosedError,
        bce.ConnectTimeoutError,
        bce.ReadTimeoutError,
        bce.HTTPClientError,
        aiohttp.ClientError,
        asyncio.TimeoutError,
        OSError,
    ) as exc:
        raise NetworkError(f"{operation}: no answer from Cognito ({type(exc).__name__})") from exc
    except bce.ParamValidationError:
        # Not chained: botocore's report quotes the offending value, which may be a secret.
        raise InvalidParameterError(
            f"{operation}: the request was refused by botocore's parameter checks"
        ) from None
    except bce.BotoCoreError as exc:
        raise CognitoError(
            f"{operation} failed in botocore ({type(exc).__name__})",
            code="CognitoUserPool.BotoCoreError",
        ) from exc
