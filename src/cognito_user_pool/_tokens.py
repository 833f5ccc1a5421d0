"""Reading Cognito's tokens: unverified claims, expiry, and building ``Tokens`` from a result.

Reading claims here is for the client's own bookkeeping (expiry, the internal username for
SECRET_HASH); it is not authentication. A server checking tokens it receives must verify
their signatures.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ._errors import TokenError, UnexpectedResponseError
from ._types import Challenge, DeviceMetadata, Tokens
from ._validate import is_numeric_date

__all__ = [
    "internal_username",
    "strict_json",
    "tokens_from_result",
    "tokens_or_challenge",
    "unverified_claims",
]


def strict_json(text: str | bytes) -> Any:
    """``json.loads`` held to RFC 8259: ``NaN`` and ``Infinity`` are not JSON (section 6),
    and a number too large for a float (``1e999``, which Python reads as infinity) is
    refused rather than turned into one.

    :raises ValueError: for text that is not JSON, or holds such a number.
    """
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("a JSON number out of range")
    return number


def unverified_claims(token: str, field: str = "token") -> dict[str, Any]:
    """The payload of a compact JWS, without checking its signature.

    :raises TokenError: if ``token`` is not a JWT with a JSON object payload. The message
        names the field, never the token.
    """
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        payload = jws.extract_compact(token.encode("ascii")).payload
        claims = strict_json(payload)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise TokenError(f"{field} is not a readable JWT") from exc
    if not isinstance(claims, dict):
        raise TokenError(f"{field} is not a readable JWT")
    return claims


def _expiry(claims: Mapping[str, Any], field: str) -> int:
    exp = claims.get("exp")
    if not is_numeric_date(exp):
        raise TokenError(f"{field} has no numeric 'exp' claim")
    return int(exp)


def _username_claim(claims: Mapping[str, Any]) -> str | None:
    for claim in ("cognito:username", "username"):
        value = claims.get(claim)
        if isinstance(value, str) and value:
            return value
    return None


def internal_username(token: str, field: str = "token") -> str | None:
    """The pool's internal username from an id token (``cognito:username``) or an access token
    (``username``); ``None`` when the token carries neither."""
    return _username_claim(unverified_claims(token, field))


def tokens_from_result(
    result: Mapping[str, Any], previous_refresh_token: str | None = None
) -> Tokens:
    """Build ``Tokens`` from an ``AuthenticationResult``.

    Each expiry comes from that token's own ``exp``. A refresh answers without a
    RefreshToken unless Cognito rotates it: the previous one is kept then. A pool that tracks
    devices adds ``NewDeviceMetadata``, kept as ``Tokens.new_device``.
    """
    try:
        access_token = str(result["AccessToken"])
        id_token = str(result["IdToken"])
    except KeyError as exc:
        raise TokenError(f"Cognito's answer has no {exc.args[0]}") from exc
    refresh_token = result.get("RefreshToken") or previous_refresh_token
    # Each token's payload is read once (the id token's gives its expiry and the username).
    id_claims = unverified_claims(id_token, "IdToken")
    return Tokens(
        access_token=access_token,
        id_token=id_token,
        refresh_token=refresh_token,
        access_token_expires_at=_expiry(
            unverified_claims(access_token, "AccessToken"), "AccessToken"
        ),
        id_token_expires_at=_expiry(id_claims, "IdToken"),
        token_type=str(result.get("TokenType") or "Bearer"),
        new_device=_new_device(result.get("NewDeviceMetadata")),
        username=_username_claim(id_claims),
    )


def tokens_or_challenge(response: Mapping[str, Any], internal: str) -> Tokens | Challenge:
    """What a sign-in step answered (InitiateAuth, RespondToAuthChallenge and their Admin
    forms): ``Tokens`` when Cognito sent them, else the next ``Challenge``, for the user
    ``internal`` unless the challenge names its own ``USERNAME``.

    :raises UnexpectedResponseError: the answer holds neither.
    """
    result = response.get("AuthenticationResult")
    if result:
        return tokens_from_result(result)
    name = response.get("ChallengeName")
    session = response.get("Session")
    if not name or not session:
        raise UnexpectedResponseError("Cognito answered with neither tokens nor a challenge")
    raw = response.get("ChallengeParameters") or {}
    parameters = {str(k): str(value) for k, value in raw.items()}
    available = response.get("AvailableChallenges") or ()
    return Challenge(
        name=name,
        session=session,
        username=parameters.get("USERNAME") or internal,
        parameters=MappingProxyType(parameters),
        available=tuple(str(c) for c in available) if isinstance(available, list) else (),
    )


def _new_device(metadata: object) -> DeviceMetadata | None:
    """``NewDeviceMetadata``, when Cognito sent both of its keys as strings."""
    if not isinstance(metadata, Mapping):
        return None
    key = metadata.get("DeviceKey")
    group = metadata.get("DeviceGroupKey")
    if not isinstance(key, str) or not key or not isinstance(group, str) or not group:
        return None
    return DeviceMetadata(device_key=key, device_group_key=group)
