"""Manage the users of an Amazon Cognito user pool: sign up, log in (SRP, MFA, new
password), refresh, profile, passwords, sign out; and, with IAM credentials, manage them
from a backend (``AsyncUserPoolAdmin``).

``AsyncUserPool`` is the core; every flow is a coroutine over one aiobotocore client.
"""

from __future__ import annotations

from ._admin import ADMIN_OPERATIONS, AdminOperation, AsyncUserPoolAdmin
from ._callback import CallbackUserPool, NodeCallback, NodeMethod
from ._client import AsyncUserPool
from ._config import AdminConfig, PoolConfig, SignOutListener
from ._devices import DeviceSecrets, DeviceStore, FileDeviceStore, MemoryDeviceStore
from ._errors import (
    AliasExistsError,
    BadSignatureError,
    BotoCoreFailureError,
    CodeDeliveryFailureError,
    CodeMismatchError,
    CognitoError,
    EnableSoftwareTokenMFAError,
    ExpiredCodeError,
    FlowCancelledError,
    GroupExistsError,
    HTTPStatusError,
    InsufficientClaimsError,
    InternalError,
    InvalidParameterError,
    InvalidPasswordError,
    InvalidUserPoolConfigurationError,
    JwksFetchError,
    LimitExceededError,
    MalformedResponseError,
    MalformedTokenError,
    NetworkError,
    NotAuthorizedError,
    OutcomeUnknownError,
    PasswordResetRequiredError,
    PoolClosedError,
    RefreshTokenReuseError,
    ResourceNotFoundError,
    SessionExpiredError,
    SoftwareTokenMFANotFoundError,
    SRPError,
    TokenError,
    TokenExpiredError,
    TokenNotYetValidError,
    TokenRevokedError,
    TokenVerificationError,
    TooManyFailedAttemptsError,
    TooManyRequestsError,
    UnexpectedError,
    UnexpectedResponseError,
    UnknownKeyIdError,
    UnsupportedAlgorithmError,
    UsernameExistsError,
    UserNotConfirmedError,
    UserNotFoundError,
    UserPoolAddOnNotEnabledError,
    WrongAudienceError,
    WrongIssuerError,
    WrongTokenUseError,
)
from ._flows import FLOWS, Flow
from ._flows._base import AccessTokenSource, UserAuth
from ._multi_pool import TokenVerifiers
from ._revocation import (
    CognitoRevocationCheck,
    MemoryRevocationStore,
    Revocations,
    RevocationStore,
)
from ._session import UserSession
from ._sync import UserPool, UserPoolAdmin
from ._types import (
    AdminUser,
    Attribute,
    AuthEvent,
    AuthFactors,
    Challenge,
    CodeDeliveryDetails,
    Device,
    DeviceMetadata,
    Group,
    MfaSettings,
    ProfileEditResult,
    RefreshToken,
    SignUpConfirmation,
    SignUpResult,
    Tokens,
    TotpSecret,
    UserProfile,
)
from ._verify import ClaimsCheck, RevocationCheck, TokenVerifier, VerifiedClaims

__version__ = "0.1.0.dev0"

__all__ = [
    "ADMIN_OPERATIONS",
    "FLOWS",
    "AccessTokenSource",
    "AdminConfig",
    "AdminOperation",
    "AdminUser",
    "AliasExistsError",
    "AsyncUserPool",
    "AsyncUserPoolAdmin",
    "Attribute",
    "AuthEvent",
    "AuthFactors",
    "BadSignatureError",
    "BotoCoreFailureError",
    "CallbackUserPool",
    "Challenge",
    "ClaimsCheck",
    "CodeDeliveryDetails",
    "CodeDeliveryFailureError",
    "CodeMismatchError",
    "CognitoError",
    "CognitoRevocationCheck",
    "Device",
    "DeviceMetadata",
    "DeviceSecrets",
    "DeviceStore",
    "EnableSoftwareTokenMFAError",
    "ExpiredCodeError",
    "FileDeviceStore",
    "Flow",
    "FlowCancelledError",
    "Group",
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
    "MemoryDeviceStore",
    "MemoryRevocationStore",
    "MfaSettings",
    "NetworkError",
    "NodeCallback",
    "NodeMethod",
    "NotAuthorizedError",
    "OutcomeUnknownError",
    "PasswordResetRequiredError",
    "PoolClosedError",
    "PoolConfig",
    "ProfileEditResult",
    "RefreshToken",
    "RefreshTokenReuseError",
    "ResourceNotFoundError",
    "RevocationCheck",
    "RevocationStore",
    "Revocations",
    "SRPError",
    "SessionExpiredError",
    "SignOutListener",
    "SignUpConfirmation",
    "SignUpResult",
    "SoftwareTokenMFANotFoundError",
    "TokenError",
    "TokenExpiredError",
    "TokenNotYetValidError",
    "TokenRevokedError",
    "TokenVerificationError",
    "TokenVerifier",
    "TokenVerifiers",
    "Tokens",
    "TooManyFailedAttemptsError",
    "TooManyRequestsError",
    "TotpSecret",
    "UnexpectedError",
    "UnexpectedResponseError",
    "UnknownKeyIdError",
    "UnsupportedAlgorithmError",
    "UserAuth",
    "UserNotConfirmedError",
    "UserNotFoundError",
    "UserPool",
    "UserPoolAddOnNotEnabledError",
    "UserPoolAdmin",
    "UserProfile",
    "UserSession",
    "UsernameExistsError",
    "VerifiedClaims",
    "WrongAudienceError",
    "WrongIssuerError",
    "WrongTokenUseError",
]

# Public classes say `cognito_user_pool.X` in reprs and tracebacks, not the private module.
# Only the classes defined in this package: an alias such as `NodeCallback` is an instance of
# `type` on Python 3.10 (`_CallableGenericAlias`), and its `__module__` is not ours to change.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) and _obj.__module__.startswith(f"{__name__}."):
        _obj.__module__ = __name__
del _name, _obj
