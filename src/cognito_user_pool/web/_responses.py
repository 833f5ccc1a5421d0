"""What the guards answer; shared by the framework modules, importing no framework."""

from __future__ import annotations

import logging

from .._errors import CognitoError, InsufficientClaimsError, NetworkError, UnexpectedError

__all__ = [
    "FORBIDDEN_DETAIL",
    "FORBIDDEN_HEADERS",
    "UNAUTHORIZED_DETAIL",
    "UNAUTHORIZED_HEADERS",
    "UNAVAILABLE_DETAIL",
    "detail_and_headers",
    "status_for",
]

logger = logging.getLogger("cognito_user_pool")

UNAUTHORIZED_DETAIL = "Not authenticated"
UNAVAILABLE_DETAIL = "Authentication is unavailable"
FORBIDDEN_DETAIL = "Not allowed"
FAILED_DETAIL = "Authentication failed"
UNAUTHORIZED_HEADERS = {"WWW-Authenticate": "Bearer"}
# RFC 6750 3.1: a valid token without the privileges the resource needs.
FORBIDDEN_HEADERS = {"WWW-Authenticate": 'Bearer error="insufficient_scope"'}


def status_for(exc: CognitoError | None) -> int:
    """401 for a missing or refused token (revoked included), 403 for a valid token the
    policy refuses (groups, scopes, the custom check), 503 when the keys or the revocation
    store could not be reached, 500 when the custom check itself failed; the reason is
    logged by its code only (never the token)."""
    if exc is None:
        logger.debug("request without a bearer token refused")
        return 401
    if isinstance(exc, NetworkError):
        logger.warning("bearer token not checked: %s", exc)
        return 503
    if isinstance(exc, UnexpectedError):
        logger.error("bearer token not checked: %s", exc)
        return 500
    if isinstance(exc, InsufficientClaimsError):
        logger.info("bearer token refused by the policy: %s", exc.code)
        return 403
    logger.info("bearer token refused: %s", exc.code)
    return 401


def detail_and_headers(status: int) -> tuple[str, dict[str, str]]:
    """The body's detail and the headers of a refusal with this status."""
    if status == 401:
        return UNAUTHORIZED_DETAIL, dict(UNAUTHORIZED_HEADERS)
    if status == 403:
        return FORBIDDEN_DETAIL, dict(FORBIDDEN_HEADERS)
    if status == 503:
        return UNAVAILABLE_DETAIL, {}
    return FAILED_DETAIL, {}
