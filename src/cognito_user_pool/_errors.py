"""Every error this library raises, and the one place where AWS errors are translated.

Every error is a :class:`CognitoError`. Its ``code`` is the AWS error code when AWS sent one
(``"NotAuthorizedException"``), so code written for the Node library's ``err.code`` keeps
working. Failures the library finds itself have codes prefixed ``CognitoUserPool.``, which
cannot clash with AWS's. Each code a caller can catch has its own class; a subclass with no
code of its own (``SessionExpiredError``, ``JwksFetchError``) narrows its parent and keeps
the parent's code.

Tree::

    CognitoError                          code: the AWS code, or the library's own
    ├── InvalidParameterError             InvalidParameterException (also local, with .field)
    ├── NotAuthorizedError                NotAuthorizedException
    │   └── SessionExpiredError           (same code) a UserSession is signed out
    ├── UserNotFoundError                 UserNotFoundException
    ├── UsernameExistsError               UsernameExistsException
    ├── UserNotConfirmedError             UserNotConfirmedException
    ├── CodeMismatchError                 CodeMismatchException
    ├── ExpiredCodeError                  ExpiredCodeException
    ├── InvalidPasswordError              InvalidPasswordException
    ├── PasswordResetRequiredError        PasswordResetRequiredException
    ├── AliasExistsError                  AliasExistsException
    ├── LimitExceededError                LimitExceededException
    ├── TooManyRequestsError              TooManyRequestsException
    ├── TooManyFailedAttemptsError        TooManyFailedAttemptsException
    ├── CodeDeliveryFailureError          CodeDeliveryFailureException
    ├── EnableSoftwareTokenMFAError       EnableSoftwareTokenMFAException
    ├── SoftwareTokenMFANotFoundError     SoftwareTokenMFANotFoundException
    ├── RefreshTokenReuseError            RefreshTokenReuseException
    ├── ResourceNotFoundError             ResourceNotFoundException
    ├── GroupExistsError                  GroupExistsException
    ├── UserPoolAddOnNotEnabledError      UserPoolAddOnNotEnabledException
    ├── InvalidUserPoolConfigurationError InvalidUserPoolConfigurationException
    ├── WebAuthnError                     CognitoUserPool.WebAuthnError: never raised itself
    │   ├── WebAuthnNotEnabledError       WebAuthnNotEnabledException: no passkeys in the pool
    │   ├── WebAuthnConfigurationMissingError WebAuthnConfigurationMissingException
    │   ├── WebAuthnChallengeNotFoundError WebAuthnChallengeNotFoundException
    │   ├── WebAuthnRelyingPartyMismatchError WebAuthnRelyingPartyMismatchException
    │   ├── WebAuthnClientMismatchError   WebAuthnClientMismatchException
    │   ├── WebAuthnOriginNotAllowedError WebAuthnOriginNotAllowedException
    │   └── WebAuthnCredentialNotSupportedError WebAuthnCredentialNotSupportedException
    ├── InternalError                     InternalErrorException (also an HTTP 5xx page)
    ├── NetworkError                      CognitoUserPool.NetworkError: no answer
    │   └── JwksFetchError                (same code) the pool's keys could not be fetched
    ├── HTTPStatusError                   CognitoUserPool.HTTPError: a 4xx page, no AWS error
    ├── BotoCoreFailureError              CognitoUserPool.BotoCoreError
    ├── UnexpectedResponseError           CognitoUserPool.UnexpectedResponse
    │   └── MalformedResponseError        CognitoUserPool.MalformedResponse: not Cognito's answer
    ├── OutcomeUnknownError               CognitoUserPool.OutcomeUnknown: sent, answer lost
    ├── SRPError                          CognitoUserPool.SRPError: unsafe SRP values
    ├── TokenError                        CognitoUserPool.TokenError: an unreadable token
    │   └── TokenVerificationError        CognitoUserPool.InvalidToken: TokenVerifier said no
    │       ├── MalformedTokenError       CognitoUserPool.MalformedToken
    │       ├── UnsupportedAlgorithmError CognitoUserPool.UnsupportedAlgorithm
    │       ├── UnknownKeyIdError         CognitoUserPool.UnknownKeyId
    │       ├── BadSignatureError         CognitoUserPool.BadSignature
    │       ├── TokenExpiredError         CognitoUserPool.TokenExpired
    │       ├── TokenNotYetValidError     CognitoUserPool.TokenNotYetValid
    │       ├── WrongIssuerError          CognitoUserPool.WrongIssuer
    │       ├── WrongTokenUseError        CognitoUserPool.WrongTokenUse
    │       ├── WrongAudienceError        CognitoUserPool.WrongAudience
    │       ├── TokenRevokedError         CognitoUserPool.TokenRevoked: signed out, seen by a check
    │       └── InsufficientClaimsError   CognitoUserPool.InsufficientClaims: groups, scopes, check
    ├── PoolClosedError                   CognitoUserPool.Closed: a call on a closed pool
    ├── FlowCancelledError                CognitoUserPool.Cancelled: cut off by closing the pool
    ├── UnexpectedError                   CognitoUserPool.UnexpectedError: a foreign exception
    ├── UnsupportedChallengeError         CognitoUserPool.UnsupportedChallenge (CLI only)
    └── TooManyChallengesError            CognitoUserPool.TooManyChallenges (CLI only)

The two CLI-only classes are not exported from ``cognito_user_pool``: the CLI turns them into
an exit code and a message, so no caller ever catches them.

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
    "BadSignatureError",
    "BotoCoreFailureError",
    "CodeDeliveryFailureError",
    "CodeMismatchError",
    "CognitoError",
    "EnableSoftwareTokenMFAError",
    "ExpiredCodeError",
    "FlowCancelledError",
    "GroupExistsError",
    "HTTPStatusError",
    "InsufficientClaimsError",
    "InternalError",
    "InvalidParameterError",
    "InvalidPasswordError",
    "InvalidUserPoolConfigurationError",
    "JwksFetchError",
    "LimitExceededError",
    "MalformedResponseError",
    "MalformedTokenError",
    "NetworkError",
    "NotAuthorizedError",
    "OutcomeUnknownError",
    "PasswordResetRequiredError",
    "PoolClosedError",
    "RefreshTokenReuseError",
    "ResourceNotFoundError",
    "SRPError",
    "SessionExpiredError",
    "SoftwareTokenMFANotFoundError",
    "TokenError",
    "TokenExpiredError",
    "TokenNotYetValidError",
    "TokenRevokedError",
    "TokenVerificationError",
    "TooManyChallengesError",
    "TooManyFailedAttemptsError",
    "TooManyRequestsError",
    "UnexpectedError",
    "UnexpectedResponseError",
    "UnknownKeyIdError",
    "UnsupportedAlgorithmError",
    "UnsupportedChallengeError",
    "UserNotConfirmedError",
    "UserNotFoundError",
    "UserPoolAddOnNotEnabledError",
    "UsernameExistsError",
    "WebAuthnChallengeNotFoundError",
    "WebAuthnClientMismatchError",
    "WebAuthnConfigurationMissingError",
    "WebAuthnCredentialNotSupportedError",
    "WebAuthnError",
    "WebAuthnNotEnabledError",
    "WebAuthnOriginNotAllowedError",
    "WebAuthnRelyingPartyMismatchError",
    "WrongAudienceError",
    "WrongIssuerError",
    "WrongTokenUseError",
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


class SessionExpiredError(NotAuthorizedError):
    """The session is signed out: its refresh token was refused, or ``logout`` ran.

    Keeps ``code == "NotAuthorizedException"``, so code that checks ``err.code`` (or catches
    ``NotAuthorizedError``) treats it like Cognito's own refusal.
    """


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


class EnableSoftwareTokenMFAError(CognitoError):
    """The authenticator app's code did not confirm its new secret (VerifySoftwareToken)."""

    code = "EnableSoftwareTokenMFAException"


class RefreshTokenReuseError(CognitoError):
    """A rotated refresh token used after its grace period: the session is over."""

    code = "RefreshTokenReuseException"


class SoftwareTokenMFANotFoundError(CognitoError):
    """No authenticator-app secret to confirm or use: AssociateSoftwareToken first."""

    code = "SoftwareTokenMFANotFoundException"


class ResourceNotFoundError(CognitoError):
    """The pool, app client, session or device does not exist."""

    code = "ResourceNotFoundException"


class GroupExistsError(CognitoError):
    """A group of that name already exists in the pool (``create_group``)."""

    code = "GroupExistsException"


class UserPoolAddOnNotEnabledError(CognitoError):
    """The operation needs the pool's threat protection (advanced security) feature, which is
    off (``admin_list_user_auth_events``)."""

    code = "UserPoolAddOnNotEnabledException"


class InvalidUserPoolConfigurationError(CognitoError):
    """The pool or app client is not configured for this flow."""

    code = "InvalidUserPoolConfigurationException"


class WebAuthnError(CognitoError):
    """Cognito refused a passkey step; the subclass (and ``code``) says why. Catch this one
    to handle them all (a wrong assertion at sign-in is a ``NotAuthorizedError``)."""

    code = "CognitoUserPool.WebAuthnError"


class WebAuthnNotEnabledError(WebAuthnError):
    """The pool does not offer passkeys (``WEB_AUTHN`` is not among its first factors)."""

    code = "WebAuthnNotEnabledException"


class WebAuthnConfigurationMissingError(WebAuthnError):
    """The pool has no relying party for passkeys: no ``WebAuthnConfiguration`` and no domain."""

    code = "WebAuthnConfigurationMissingException"


class WebAuthnChallengeNotFoundError(WebAuthnError):
    """No registration is waiting for this credential: never started, expired, already
    completed, or replaced by a newer ``start_web_authn_registration``."""

    code = "WebAuthnChallengeNotFoundException"


class WebAuthnRelyingPartyMismatchError(WebAuthnError):
    """The credential was made for another relying party (domain) than the pool's."""

    code = "WebAuthnRelyingPartyMismatchException"


class WebAuthnClientMismatchError(WebAuthnError):
    """The credential's client data is not a registration's (its ``type`` or client)."""

    code = "WebAuthnClientMismatchException"


class WebAuthnOriginNotAllowedError(WebAuthnError):
    """The page that made the credential is not on the relying party's domain."""

    code = "WebAuthnOriginNotAllowedException"


class WebAuthnCredentialNotSupportedError(WebAuthnError):
    """The authenticator's key type or attestation is not one Cognito accepts."""

    code = "WebAuthnCredentialNotSupportedException"


class InternalError(CognitoError):
    """Cognito failed internally."""

    code = "InternalErrorException"


class NetworkError(CognitoError):
    """Cognito could not be reached, or did not answer in time, after the configured retries."""

    code = "CognitoUserPool.NetworkError"


class JwksFetchError(NetworkError):
    """The pool's JWKS could not be fetched or read; keeps NetworkError's code."""


class HTTPStatusError(CognitoError):
    """An HTTP 4xx answer without an AWS error in it (a proxy's or an emulator's page).

    A 5xx without an AWS error is an :class:`InternalError`.
    """

    code = "CognitoUserPool.HTTPError"


class BotoCoreFailureError(CognitoError):
    """botocore failed for a reason that is neither the network nor a parameter check."""

    code = "CognitoUserPool.BotoCoreError"


class UnexpectedResponseError(CognitoError):
    """Cognito answered without what the request must return (tokens, or a challenge)."""

    code = "CognitoUserPool.UnexpectedResponse"


class MalformedResponseError(UnexpectedResponseError):
    """An HTTP 2xx answer that is not Cognito's: not JSON of Cognito's content type, not a
    JSON object, or without a member that botocore's model of the operation requires (a
    captive portal's HTML page, a proxy's ``null``). Never taken for a success.

    A subclass of :class:`UnexpectedResponseError` (``except UnexpectedResponseError`` catches
    both: either way the answer lacks what the request must return), with its own code.
    """

    code = "CognitoUserPool.MalformedResponse"


class OutcomeUnknownError(CognitoError):
    """A request that changes state (or uses up a code or session) may have reached Cognito,
    but its answer was lost: a reset or timeout after sending, an HTTP 5xx, an answer that is
    not Cognito's. It may or may not have been applied, so it is not sent again; the message
    says what to check (log in again, look at the account) before trying again.
    """

    code = "CognitoUserPool.OutcomeUnknown"


class SRPError(CognitoError):
    """The server sent SRP values that would make the exchange unsafe (B mod N == 0, u == 0)."""

    code = "CognitoUserPool.SRPError"


class TokenError(CognitoError):
    """A token could not be read (not a JWT, or missing a required claim)."""

    code = "CognitoUserPool.TokenError"


class TokenVerificationError(TokenError):
    """A token was refused by ``TokenVerifier``; the subclass (and ``code``) says why."""

    code = "CognitoUserPool.InvalidToken"


class MalformedTokenError(TokenVerificationError):
    """Not a compact JWS, or a required claim is missing or of the wrong type."""

    code = "CognitoUserPool.MalformedToken"


class UnsupportedAlgorithmError(TokenVerificationError):
    """The header's ``alg`` is not RS256 (``none`` and every HMAC algorithm included)."""

    code = "CognitoUserPool.UnsupportedAlgorithm"


class UnknownKeyIdError(TokenVerificationError):
    """The header's ``kid`` is missing or is not among the pool's keys, even after a refetch."""

    code = "CognitoUserPool.UnknownKeyId"


class BadSignatureError(TokenVerificationError):
    """The signature does not match the header and payload: forged or tampered with."""

    code = "CognitoUserPool.BadSignature"


class TokenExpiredError(TokenVerificationError):
    """``exp`` has passed (beyond the leeway)."""

    code = "CognitoUserPool.TokenExpired"


class TokenNotYetValidError(TokenVerificationError):
    """``iat`` (or ``nbf``) lies in the future, beyond the leeway."""

    code = "CognitoUserPool.TokenNotYetValid"


class WrongIssuerError(TokenVerificationError):
    """``iss`` is not this pool: the token comes from another pool or region."""

    code = "CognitoUserPool.WrongIssuer"


class WrongTokenUseError(TokenVerificationError):
    """An id token where an access token was asked for, or the reverse."""

    code = "CognitoUserPool.WrongTokenUse"


class WrongAudienceError(TokenVerificationError):
    """The token was issued to an app client this verifier does not accept."""

    code = "CognitoUserPool.WrongAudience"


class TokenRevokedError(TokenVerificationError):
    """The token was signed out (a revocation check of ``TokenVerifier`` saw it)."""

    code = "CognitoUserPool.TokenRevoked"


class InsufficientClaimsError(TokenVerificationError):
    """A valid token that the verifier's policy refuses: a required group or scope is
    missing, or the custom check said no."""

    code = "CognitoUserPool.InsufficientClaims"


class PoolClosedError(CognitoError):
    """A call on a pool that is closed, or entering a closed pool (``async with``); the
    callback shim delivers it to the callback as ``err``."""

    code = "CognitoUserPool.Closed"


class FlowCancelledError(CognitoError):
    """A call was cut off before it finished because its pool was closed (``aclose()`` after
    its grace period, ``CallbackUserPool.close()``); Cognito may have applied a request sent
    before that."""

    code = "CognitoUserPool.Cancelled"


class UnexpectedError(CognitoError):
    """A failure that was not a ``CognitoError``, wrapped for a callback's ``err``.

    The message names only the original's type (a foreign message might quote a secret);
    the original is its ``__cause__``.
    """

    code = "CognitoUserPool.UnexpectedError"


class UnsupportedChallengeError(CognitoError):
    """The CLI cannot answer this challenge at the prompt (raised by the CLI only)."""

    code = "CognitoUserPool.UnsupportedChallenge"


class TooManyChallengesError(CognitoError):
    """Cognito asked for more challenges in a row than the CLI answers (raised by the CLI only)."""

    code = "CognitoUserPool.TooManyChallenges"


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
    from botocore.parsers import ResponseParserError

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
            raise HTTPStatusError(message) from exc
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
    except ResponseParserError:
        # Not chained: botocore's report quotes the answer, which may hold tokens.
        raise MalformedResponseError(
            f"{operation}: Cognito's answer could not be read by botocore's parser"
        ) from None
    except bce.BotoCoreError as exc:
        raise BotoCoreFailureError(
            f"{operation} failed in botocore ({type(exc).__name__})"
        ) from exc
