"""Tokens: minting them after a sign-in, refreshing them (the checks REFRESH_TOKEN_AUTH shares
with GetTokensFromRefreshToken, and refresh-token rotation), GlobalSignOut,
AdminUserGlobalSignOut, RevokeToken."""

from __future__ import annotations

import hmac
import secrets
import string
import uuid
from collections.abc import Callable

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState, token_key
from ._common import authenticate, find_client, find_pool, jwt_claims, require, require_user
from ._registry import DELEGATE, Params, Result, operation

__all__ = [
    "admin_user_global_sign_out",
    "check_client_secret",
    "create_user_pool_client",
    "get_tokens_from_refresh_token",
    "global_sign_out",
    "issue_tokens",
    "refresh_owner",
    "revoke_token",
    "rotation_grace",
    "update_user_pool_client",
    "validity",
]

_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def validity(client: mi.MotoClient, kind: str, default: int, default_unit: str) -> int:
    """Seconds a token of ``kind`` (access, id, refresh) lives, by the client's settings."""
    key = {"access": "AccessToken", "id": "IdToken", "refresh": "RefreshToken"}[kind]
    value = client.config.get(f"{key}Validity")
    units = client.config.get("TokenValidityUnits") or {}
    unit = units.get(key, default_unit)
    return int(value if value is not None else default) * _UNIT_SECONDS.get(unit, 3600)


def issue_tokens(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    user: mi.MotoUser,
    *,
    refresh: tuple[str, str] | None = None,
    device_key: str | None = None,
    new_device: bool = False,
) -> Result:
    """Mint access and id tokens (and a refresh token unless refreshing).

    A user disabled since the sign-in began gets none: "a deactivated user can't sign in"
    (API reference, AdminDisableUser), whichever step the flow had reached.
    """
    if not user.enabled:
        raise msg.USER_DISABLED.error()
    access_ttl = validity(client, "access", 60, "minutes")
    id_ttl = validity(client, "id", 60, "minutes")
    result: Result = {"ExpiresIn": access_ttl, "TokenType": "Bearer"}
    if refresh is None:
        refresh_token, origin_jti = pool.new_refresh_token(client.id, user)
        st.refresh_issued[token_key(refresh_token)] = st.clock()
        result["RefreshToken"] = refresh_token
    else:
        origin_jti = refresh[1]
    if new_device and pool.config.get("DeviceConfiguration"):
        device_key = f"{pool.id.split('_')[0]}_{uuid.uuid4()}"
        group_key = "-" + "".join(secrets.choice(string.ascii_letters) for _ in range(9))
        st.user_state(pool, user).pending_devices[device_key] = group_key
        result["NewDeviceMetadata"] = {"DeviceKey": device_key, "DeviceGroupKey": group_key}
    now = int(st.clock())
    groups = user.groups
    access_extra: Params = {
        "origin_jti": origin_jti,
        "scope": "aws.cognito.signin.user.admin",
        "event_id": str(uuid.uuid4()),
        "auth_time": now,
    }
    if groups:
        access_extra["cognito:groups"] = groups
    if device_key:
        access_extra["device_key"] = device_key
    id_extra: Params = {"origin_jti": origin_jti, "event_id": access_extra["event_id"]}
    for name, value in user.attributes.items():
        if name == "sub":
            continue
        id_extra[name] = value == "true" if name.endswith("_verified") else value
    if groups:
        id_extra["cognito:groups"] = groups
    access = pool.issue_jwt(client.id, user, "access", access_ttl, access_extra)
    id_token = pool.issue_jwt(client.id, user, "id", id_ttl, id_extra)
    pool.register_access_token(access, client.id, user)
    pool.register_id_token(id_token, client.id, user)
    result["AccessToken"] = access
    result["IdToken"] = id_token
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def rotation_grace(client: mi.MotoClient) -> int | None:
    """The grace period in seconds of an app client that rotates refresh tokens
    (``RefreshTokenRotation``, API_RefreshTokenRotationType); None when it does not."""
    rotation = client.config.get("RefreshTokenRotation") or {}
    if rotation.get("Feature") != "ENABLED":
        return None
    return int(rotation.get("RetryGracePeriodSeconds") or 0)


def check_client_secret(client: mi.MotoClient, given: object) -> None:
    """RevokeToken and GetTokensFromRefreshToken take the raw ``ClientSecret`` (botocore's
    model), required for a client that has one."""
    secret = client.secret
    if secret is not None and (
        not given or not hmac.compare_digest(secret.encode(), str(given).encode())
    ):
        raise ServiceError("NotAuthorizedException", f"Client {client.id} is not authorized.")


def refresh_owner(
    st: StrictState,
    pool: mi.MotoPool,
    client: mi.MotoClient,
    token: str,
    check_owner: Callable[[mi.MotoUser], None] | None = None,
) -> tuple[mi.MotoUser, str]:
    """``(user, origin_jti)`` of a refresh token this client may use now: issued to it, not
    revoked, not expired, not rotated out past its grace period, of an enabled user.

    :param check_owner: runs once the owner is known, before the other checks (the
        SECRET_HASH of REFRESH_TOKEN_AUTH, over the internal username).
    """
    owner = pool.refresh_token_owner(token)
    if owner is None and pool.refresh_token_known(token):
        raise msg.REFRESH_TOKEN_REVOKED.error()
    if owner is None or owner[0] != client.id:
        raise msg.INVALID_REFRESH_TOKEN.error()
    _, username, origin_jti = owner
    user = pool.user_by_username(username)
    if user is None:
        raise msg.INVALID_REFRESH_TOKEN.error()
    if check_owner is not None:
        check_owner(user)
    deadline = st.rotated.get(token_key(token))
    if deadline is not None and deadline <= st.clock():
        # botocore's model: "a refresh token that has been invalidated by refresh-token
        # rotation". The message is a guess (AWS does not publish it).
        raise ServiceError("RefreshTokenReuseException", "Refresh token has been reused.")
    issued = st.refresh_issued.get(token_key(token), st.clock())
    if issued + validity(client, "refresh", 30, "days") <= st.clock():
        raise ServiceError("NotAuthorizedException", "Refresh Token has expired")
    if not user.enabled:
        raise msg.USER_DISABLED.error()
    return user, origin_jti


@operation("GetTokensFromRefreshToken")
def get_tokens_from_refresh_token(st: StrictState, params: Params) -> Result:
    """GetTokensFromRefreshToken: new access and id tokens; for an app client that rotates
    refresh tokens, a new refresh token too, the old one staying valid for the client's
    ``RetryGracePeriodSeconds`` (API_GetTokensFromRefreshToken, API_RefreshTokenRotationType).

    Guesses, marked: a refresh token used again inside its grace period gets another new
    refresh token (AWS: the grace period "allows for client-side retries"); a rotated refresh
    token gets a new origin_jti and the client's full refresh validity.
    """
    token = require(params, "RefreshToken")
    pool, client = find_client(require(params, "ClientId"))
    check_client_secret(client, params.get("ClientSecret"))
    user, origin_jti = refresh_owner(st, pool, client, token)
    device_key = params.get("DeviceKey")
    grace = rotation_grace(client)
    if grace is None:
        return _authentication_result(
            issue_tokens(st, pool, client, user, refresh=(token, origin_jti), device_key=device_key)
        )
    key = token_key(token)
    if key not in st.rotated:
        st.rotated[key] = st.clock() + grace
    if grace == 0:
        pool.revoke_refresh_token(token)  # no grace period: refused from now on
    return _authentication_result(issue_tokens(st, pool, client, user, device_key=device_key))


def _authentication_result(result: Result) -> Result:
    # GetTokensFromRefreshToken answers AuthenticationResult alone (no ChallengeParameters).
    return {"AuthenticationResult": result["AuthenticationResult"]}


@operation("CreateUserPoolClient")
def create_user_pool_client(st: StrictState, params: Params) -> Result:
    """CreateUserPoolClient: moto's client, with its rotation settings checked, and a secret
    shaped as AWS's (ClientSecretType, ``[\\w+]+`` of 24 to 64 characters; the ones Cognito
    issues are some 52 lowercase letters and digits), not moto's UUID, whose dashes the
    pattern refuses and that clients checking it (this library) would refuse too."""
    _check_rotation(params)
    pool = find_pool(require(params, "UserPoolId"))
    config = {k: v for k, v in params.items() if k not in ("UserPoolId", "GenerateSecret")}
    client = mi.create_client(pool, bool(params.get("GenerateSecret")), config)
    if client.secret is not None:
        alphabet = string.ascii_lowercase + string.digits
        client.set_secret("".join(secrets.choice(alphabet) for _ in range(52)))
    return {"UserPoolClient": client.to_json()}


@operation("UpdateUserPoolClient")
def update_user_pool_client(st: StrictState, params: Params) -> Result:
    """A pre-hook: the rotation settings checked, then moto stores them."""
    _check_rotation(params)
    return DELEGATE


def _check_rotation(params: Params) -> None:
    """``RefreshTokenRotation`` as API_RefreshTokenRotationType allows it (``Feature``
    ENABLED or DISABLED; ``RetryGracePeriodSeconds`` 0 to 60). The messages are guesses."""
    rotation = params.get("RefreshTokenRotation")
    if rotation is not None:
        if rotation.get("Feature") not in ("ENABLED", "DISABLED"):
            raise ServiceError(
                "InvalidParameterException",
                "1 validation error detected: Value at 'refreshTokenRotation.feature' failed "
                "to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
            )
        grace = rotation.get("RetryGracePeriodSeconds")
        if grace is not None and not 0 <= int(grace) <= 60:
            raise ServiceError(
                "InvalidParameterException",
                "1 validation error detected: Value at "
                "'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: "
                "Member must have value less than or equal to 60",
            )


@operation("GlobalSignOut")
def global_sign_out(st: StrictState, params: Params) -> Result:
    """GlobalSignOut: every token of the user is revoked."""
    pool, user, _ = authenticate(st, params.get("AccessToken"))
    st.sign_out(pool, user)
    return {}


@operation("AdminUserGlobalSignOut")
def admin_user_global_sign_out(st: StrictState, params: Params) -> Result:
    """AdminUserGlobalSignOut."""
    pool = find_pool(require(params, "UserPoolId"))
    user = require_user(pool, require(params, "Username"))
    st.sign_out(pool, user)
    return {}


@operation("RevokeToken")
def revoke_token(st: StrictState, params: Params) -> Result:
    """RevokeToken: one refresh token and the access tokens minted from it
    (docs/cognito-facts.md#sign-out-and-revocation)."""
    token = require(params, "Token")
    pool, client = find_client(require(params, "ClientId"))
    check_client_secret(client, params.get("ClientSecret"))
    if client.config.get("EnableTokenRevocation") is False:
        raise ServiceError("UnsupportedOperationException", "Token revocation is not enabled.")
    if jwt_claims(token) is not None:
        raise ServiceError("UnsupportedTokenTypeException", "Only refresh tokens can be revoked.")
    owner = pool.refresh_token_owner(token)
    if owner is None:
        return {}  # RFC 7009: unknown or already revoked tokens are not an error
    if owner[0] != client.id:
        raise ServiceError("UnauthorizedException", "Token was not issued to this client.")
    _, username, origin_jti = owner
    pool.revoke_refresh_token(token)
    for access in pool.access_tokens_of(username):
        claims = jwt_claims(access) or {}
        if claims.get("origin_jti") == origin_jti:
            st.revoke_access_token(pool, access)
    return {}
