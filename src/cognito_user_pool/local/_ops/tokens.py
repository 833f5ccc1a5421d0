"""Tokens: minting them after a sign-in, GlobalSignOut, AdminUserGlobalSignOut, RevokeToken."""

from __future__ import annotations

import hmac
import secrets
import string
import uuid

from .. import _moto_internals as mi
from .._errors import ServiceError
from .._state import StrictState, token_key
from ._common import authenticate, find_client, find_pool, jwt_claims, require, require_user
from ._registry import Params, Result, operation

__all__ = [
    "admin_user_global_sign_out",
    "global_sign_out",
    "issue_tokens",
    "revoke_token",
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
    """Mint access and id tokens (and a refresh token unless refreshing)."""
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
    secret = client.secret
    given = params.get("ClientSecret")
    if secret is not None and (
        not given or not hmac.compare_digest(secret.encode(), str(given).encode())
    ):
        raise ServiceError("NotAuthorizedException", f"Client {client.id} is not authorized.")
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
