"""What the guards answer; shared by the framework modules, importing no framework."""

from __future__ import annotations

import logging

from .._errors import CognitoError, NetworkError

__all__ = ["UNAUTHORIZED_DETAIL", "UNAUTHORIZED_HEADERS", "UNAVAILABLE_DETAIL", "status_for"]

logger = logging.getLogger("cognito_user_pool")

UNAUTHORIZED_DETAIL = "Not authenticated"
UNAVAILABLE_DETAIL = "Authentication is unavailable"
UNAUTHORIZED_HEADERS = {"WWW-Authenticate": "Bearer"}


def status_for(exc: CognitoError | None) -> int:
    """401 for a missing or refused token, 503 when the keys could not be fetched; the
    reason is logged by its code only (never the token)."""
    if exc is None:
        logger.debug("request without a bearer token refused")
        return 401
    if isinstance(exc, NetworkError):
        logger.warning("bearer token not checked: %s", exc)
        return 503
    logger.info("bearer token refused: %s", exc.code)
    return 401
