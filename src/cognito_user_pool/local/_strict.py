"""The strict layer: Cognito operations the local server answers itself, on moto's data.

moto keeps the users, pools, clients and JWT keys; this module adds what a real pool
checks and moto does not (SRP proofs, codes, TOTP, single-use sessions, token expiry and
revocation, SECRET_HASH) and the operations moto lacks. Every moto detail goes through
``_moto_internals``. One lock serialises strict requests: moto's models are not
thread-safe and the werkzeug server answers each request on its own thread.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import string
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pyotp

from . import _messages as msg
from . import _moto_internals as mi
from ._errors import ServiceError
from ._outbox import Outbox, OutboxMessage
from ._srp_server import InvalidTimestampError, N, PasswordVerifier, SrpChallenge
from ._user_state import Code, Device, UserState

__all__ = ["DELEGATE", "StrictCognito"]

Params = dict[str, Any]
Result = dict[str, Any]

# A handler returns this to let moto answer the request after a pre-hook ran.
DELEGATE: Result = {"__delegate__": True}

_MAX_CODE_ATTEMPTS = 3  # wrong MFA answers allowed on one challenge session

# Seconds a code stays valid, by purpose (AWS: 24 h sign-up/attribute, 1 h reset, 3 min SMS).
_CODE_TTL = {
    "signup": 24 * 3600,
    "verify_attribute": 24 * 3600,
    "forgot_password": 3600,
    "sms_mfa": 180,
}
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _mask(value: str) -> str:
    """Cognito's masked destination: ``a***@e***`` for e-mail, ``+*******1234`` for phones."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(len(value) - 5, 1) + value[-4:]


def _jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a JWT we issued, unverified (the token must also be in moto's table)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None


def _srp_group(pool: mi.MotoPool) -> str:
    """The pool name of the SRP maths: the part of the pool id after ``_``."""
    return pool.id.split("_", 1)[1]


def _secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _temporary_password() -> str:
    # Meets AWS's default policy: upper, lower, digit, symbol, length >= 8.
    body = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(10))
    return f"Tmp{body}a1!"


# AWS's special characters; a space counts too unless it leads or trails
# (docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html).
_SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")


def _policy_violation(config: dict[str, Any], password: str) -> msg.PolicyClause | None:
    """The first rule of the pool's password policy that ``password`` breaks, if any.

    A pool created without ``Policies`` gets AWS's default: 8 characters and all four kinds.
    AWS reports one rule at a time; the order here is the API's ``PasswordPolicyType`` order.
    """
    policy = (config.get("Policies") or {}).get("PasswordPolicy") or {}
    inner = password[1:-1]
    rules = (
        (len(password) >= int(policy.get("MinimumLength", 8)), msg.TOO_SHORT),
        (not policy.get("RequireUppercase", True) or _any(password, "A", "Z"), msg.NEEDS_UPPERCASE),
        (not policy.get("RequireLowercase", True) or _any(password, "a", "z"), msg.NEEDS_LOWERCASE),
        (not policy.get("RequireNumbers", True) or _any(password, "0", "9"), msg.NEEDS_NUMBER),
        (
            not policy.get("RequireSymbols", True)
            or any(c in _SYMBOLS for c in password)
            or " " in inner,
            msg.NEEDS_SYMBOL,
        ),
    )
    return next((clause for ok, clause in rules if not ok), None)


def _any(text: str, low: str, high: str) -> bool:
    # Basic Latin only, as AWS documents: "É" is not an uppercase letter to Cognito.
    return any(low <= c <= high for c in text)


@dataclass
class _Session:
    id: str
    pool_id: str
    client_id: str
    username: str
    challenge: str
    expires_at: float
    srp: SrpChallenge | None = None
    srp_a: str = ""
    device_key: str | None = None
    device_remembered: bool = False
    pending_totp: str | None = field(default=None, repr=False)
    totp_verified: bool = False
    attempts: int = 0
    block_key: str | None = field(default=None, repr=False)  # see _session_by_block


class StrictCognito:
    """Answers the strict operations for one LocalCognito server.

    :param outbox: where every code goes (the server-wide outbox).
    :param clock: seconds since the epoch; injectable so tests can move time.
    """

    # Big on purpose: the class is a table of Cognito operations.

    def __init__(self, outbox: Outbox, clock: Callable[[], float] = time.time) -> None:
        self.outbox = outbox
        self._base_clock = clock
        self.time_offset = 0.0  # seconds added by LocalCognito.advance_time()
        self.lock = threading.RLock()
        self._pool_outboxes: dict[str, Outbox] = {}
        self._users: dict[tuple[str, str], UserState] = {}
        self._sessions: dict[str, _Session] = {}
        self._used_sessions: set[str] = set()
        self._sessions_by_block: dict[str, str] = {}  # sha256(SECRET_BLOCK) -> session id
        self._codes: dict[tuple[str, str, str, str], Code] = {}
        self._stale_codes: dict[tuple[str, str, str, str], set[str]] = {}
        self._revoked_access: set[str] = set()
        self._refresh_issued: dict[str, float] = {}
        self.handlers: dict[str, Callable[[Params], Result]] = {
            "SignUp": self.sign_up,
            "ConfirmSignUp": self.confirm_sign_up,
            "ResendConfirmationCode": self.resend_confirmation_code,
            "ForgotPassword": self.forgot_password,
            "ConfirmForgotPassword": self.confirm_forgot_password,
            "InitiateAuth": self.initiate_auth,
            "AdminInitiateAuth": self.admin_initiate_auth,
            "RespondToAuthChallenge": self.respond_to_auth_challenge,
            "AdminRespondToAuthChallenge": self.respond_to_auth_challenge,
            "AssociateSoftwareToken": self.associate_software_token,
            "VerifySoftwareToken": self.verify_software_token,
            "SetUserMFAPreference": self.set_user_mfa_preference,
            "SetUserSettings": self.set_user_settings,
            "GetUser": self.get_user,
            "UpdateUserAttributes": self.update_user_attributes,
            "DeleteUserAttributes": self.delete_user_attributes,
            "GetUserAttributeVerificationCode": self.get_user_attribute_verification_code,
            "VerifyUserAttribute": self.verify_user_attribute,
            "ChangePassword": self.change_password,
            "GlobalSignOut": self.global_sign_out,
            "AdminUserGlobalSignOut": self.admin_user_global_sign_out,
            "RevokeToken": self.revoke_token,
            "DeleteUser": self.delete_user,
            "AdminCreateUser": self.admin_create_user,
            "AdminDeleteUser": self.admin_delete_user,
            "AdminSetUserPassword": self.admin_set_user_password,
            "AdminResetUserPassword": self.admin_reset_user_password,
            "ConfirmDevice": self.confirm_device,
            "GetDevice": self.get_device,
            "ListDevices": self.list_devices,
            "ForgetDevice": self.forget_device,
            "UpdateDeviceStatus": self.update_device_status,
        }

    def clock(self) -> float:
        """The server's "now" in epoch seconds (real time plus any test offset)."""
        return self._base_clock() + self.time_offset

    # ---- plumbing -----------------------------------------------------------------------

    def attach_pool_outbox(self, pool_id: str, outbox: Outbox) -> None:
        """Also deliver that pool's messages to ``outbox`` (one clean outbox per test pool)."""
        with self.lock:
            self._pool_outboxes[pool_id] = outbox

    def pool_outbox(self, pool_id: str) -> Outbox | None:
        """The outbox attached to a pool, if any."""
        with self.lock:
            return self._pool_outboxes.get(pool_id)

    def detach_pool(self, pool_id: str) -> None:
        """Forget a pool's outbox and per-user state."""
        with self.lock:
            self._pool_outboxes.pop(pool_id, None)
            for key in [k for k in self._users if k[0] == pool_id]:
                del self._users[key]

    # ---- state files (LocalCognito(state=...), local/_state_file.py) ----------------------

    def export_pool(self, pool: mi.MotoPool) -> tuple[dict[str, Params], list[Params]]:
        """The strict side of one pool for a state file: each user's state (the password's
        verifier, never the password) and the pending codes. Call with :attr:`lock` held."""
        users: dict[str, Params] = {}
        for user in pool.users():
            self._verifier(pool, user)  # adopts a password moto was given behind our back
            users[user.username] = self._state(pool, user).to_json()
        now = self.clock()
        codes = [
            {"username": key[1], "purpose": key[2], "attribute": key[3], **code.to_json()}
            for key, code in self._codes.items()
            if key[0] == pool.id and not code.used and code.expires_at > now
        ]
        return users, codes

    def import_pool(self, pool: mi.MotoPool, users: dict[str, Params], codes: list[Params]) -> None:
        """Restore :meth:`export_pool`'s output for a pool just rebuilt in moto; the pending
        codes are "sent" again, so the outbox shows them. Call with :attr:`lock` held.

        :raises KeyError, TypeError, ValueError: for malformed data.
        """
        for user in pool.users():
            data = users.get(user.username)
            state = UserState.from_json(data) if data is not None else UserState()
            self._users[(pool.id, user.username)] = state
            self.scrub_password(pool, user)
        for entry in codes:
            purpose, attribute = str(entry["purpose"]), str(entry["attribute"])
            if purpose not in _CODE_TTL:
                raise ValueError(f"unknown code purpose {purpose!r}")
            owner = pool.user_by_username(str(entry["username"]))
            if owner is None:
                continue
            code = Code.from_json(entry)
            self._codes[(pool.id, owner.username, purpose, attribute)] = code
            self._send(pool, owner, purpose, code.code, attribute, code.destination)

    def handle(self, action: str, body: str) -> Result:
        """Run one operation; raises :class:`ServiceError` or a moto service error."""
        handler = self.handlers[action]
        try:
            params = json.loads(body or "{}")
        except ValueError as exc:
            raise ServiceError("SerializationException", "Request body is not JSON") from exc
        if not isinstance(params, dict):
            raise ServiceError("SerializationException", "Request body is not an object")
        with self.lock:
            return handler(params)

    def _state(self, pool: mi.MotoPool, user: mi.MotoUser) -> UserState:
        return self._users.setdefault((pool.id, user.username), UserState())

    def _send(
        self,
        pool: mi.MotoPool,
        user: mi.MotoUser,
        purpose: str,
        code: str,
        attribute: str | None,
        destination: str,
    ) -> None:
        message = OutboxMessage(
            username=user.username,
            destination=destination,
            purpose=purpose,
            code=code,
            attribute=attribute,
            medium="SMS" if attribute == "phone_number" else "EMAIL",
            pool_id=pool.id,
        )
        self.outbox.send(message)
        pool_outbox = self._pool_outboxes.get(pool.id)
        if pool_outbox is not None:
            pool_outbox.send(message)

    # ---- lookups --------------------------------------------------------------------------

    @staticmethod
    def _require(params: Params, name: str) -> Any:
        value = params.get(name)
        if value is None or value == "":
            raise ServiceError("InvalidParameterException", f"Missing required parameter {name}")
        return value

    def _client(self, client_id: str) -> tuple[mi.MotoPool, mi.MotoClient]:
        for pool in mi.iter_pools():
            client = pool.client(client_id)
            if client is not None:
                return pool, client
        raise ServiceError(
            "ResourceNotFoundException", f"User pool client {client_id} does not exist."
        )

    def _pool(self, pool_id: str) -> mi.MotoPool:
        pool = mi.find_pool(pool_id)
        if pool is None:
            raise ServiceError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
        return pool

    @staticmethod
    def find_user(pool: mi.MotoPool, name: str) -> mi.MotoUser | None:
        """By internal username, then username attribute, then verified alias."""
        user = pool.user_by_username(name)
        if user is not None:
            return user
        username_attrs = pool.config.get("UsernameAttributes") or []
        alias_attrs = pool.config.get("AliasAttributes") or []
        for candidate in pool.users():
            attrs = candidate.attributes
            if any(attrs.get(a) == name for a in username_attrs):
                return candidate
            for alias in alias_attrs:
                verified = alias == "preferred_username" or attrs.get(f"{alias}_verified") == "true"
                if verified and attrs.get(alias) == name:
                    return candidate
        return None

    def _user(
        self, pool: mi.MotoPool, name: str, missing: msg.AwsMessage = msg.USER_NOT_FOUND
    ) -> mi.MotoUser:
        user = self.find_user(pool, name)
        if user is None:
            raise missing.error()
        return user

    @staticmethod
    def _check_secret_hash(client: mi.MotoClient, username: str, given: str | None) -> None:
        secret = client.secret
        if secret is None:
            return
        if not given:
            raise msg.SECRET_HASH_MISSING.error(client_id=client.id)
        expected = _secret_hash(secret, username, client.id)
        if not hmac.compare_digest(expected.encode(), str(given).encode()):
            raise msg.SECRET_HASH_WRONG.error(client_id=client.id)

    @staticmethod
    def _check_password(
        pool: mi.MotoPool, password: str, wording: msg.AwsMessage = msg.PASSWORD_POLICY
    ) -> None:
        """Apply the pool's password policy with AWS's wording for the operation."""
        clause = _policy_violation(pool.config, str(password))
        if clause is not None:
            raise wording.error(clause=clause.text)

    def _authenticate(self, token: str | None) -> tuple[mi.MotoPool, mi.MotoUser, Params]:
        """Check an access token the way Cognito's user APIs do
        (docs/cognito-facts.md#sign-out-and-revocation)."""
        if not token:
            raise ServiceError(
                "InvalidParameterException", "Missing required parameter AccessToken"
            )
        if _sha(token) in self._revoked_access:
            raise msg.ACCESS_TOKEN_REVOKED.error()
        claims = _jwt_claims(token)
        if claims is None or claims.get("token_use") != "access":
            raise msg.INVALID_ACCESS_TOKEN.error()
        pool = mi.find_pool(str(claims.get("iss", "")).rsplit("/", 1)[-1])
        if pool is None or not pool.access_token_known(token):
            raise msg.INVALID_ACCESS_TOKEN.error()
        if float(claims.get("exp", 0)) <= self.clock():
            raise msg.ACCESS_TOKEN_EXPIRED.error()
        user = pool.user_by_username(str(claims.get("username", "")))
        if user is None:
            raise msg.USER_NOT_FOUND.error()
        if not user.enabled:
            raise msg.USER_DISABLED.error()
        return pool, user, claims

    # ---- codes --------------------------------------------------------------------------

    def _issue_code(
        self,
        pool: mi.MotoPool,
        user: mi.MotoUser,
        purpose: str,
        attribute: str,
        destination: str,
    ) -> str:
        key = (pool.id, user.username, purpose, attribute)
        stale = self._stale_codes.setdefault(key, set())
        previous = self._codes.get(key)
        if previous is not None:
            stale.add(previous.code)  # a new code supersedes the old one
        code = f"{secrets.randbelow(10**6):06d}"
        while code in stale:
            code = f"{secrets.randbelow(10**6):06d}"
        self._codes[key] = Code(code, self.clock() + _CODE_TTL[purpose], destination=destination)
        self._send(pool, user, purpose, code, attribute, destination)
        return code

    def _check_code(
        self,
        pool: mi.MotoPool,
        user: mi.MotoUser,
        purpose: str,
        attribute: str,
        given: str,
        wrong: msg.AwsMessage = msg.WRONG_CODE,
    ) -> None:
        """Accept the current code once; a used, superseded or expired one is "expired"."""
        key = (pool.id, user.username, purpose, attribute)
        current = self._codes.get(key)
        given = str(given)
        if current is not None and hmac.compare_digest(current.code, given):
            if current.used or current.expires_at <= self.clock():
                raise msg.EXPIRED_CODE.error()
            current.used = True
            self._stale_codes.setdefault(key, set()).add(current.code)
            return
        if given in self._stale_codes.get(key, set()):
            raise msg.EXPIRED_CODE.error()
        raise wrong.error()

    @staticmethod
    def _delivery(pool: mi.MotoPool, user: mi.MotoUser) -> tuple[str, str] | None:
        """(attribute, destination) for sign-up codes: an auto-verified attribute the user has."""
        auto = pool.config.get("AutoVerifiedAttributes") or []
        attrs = user.attributes
        for name in ("phone_number", "email"):
            if name in auto and attrs.get(name):
                return name, attrs[name]
        return None

    @staticmethod
    def _details(attribute: str, destination: str) -> Result:
        return {
            "Destination": _mask(destination),
            "DeliveryMedium": "SMS" if attribute == "phone_number" else "EMAIL",
            "AttributeName": attribute,
        }

    # ---- sign-up --------------------------------------------------------------------------

    def sign_up(self, params: Params) -> Result:
        """SignUp: moto creates the UNCONFIRMED user; we check SECRET_HASH and send the code."""
        pool, client = self._client(self._require(params, "ClientId"))
        username = self._require(params, "Username")
        password = self._require(params, "Password")
        self._check_secret_hash(client, username, params.get("SecretHash"))
        self._check_username_free(pool, str(username))
        self._check_password(pool, password, msg.PASSWORD_POLICY_SIGN_UP)
        user = pool.sign_up(client.id, username, password, params.get("UserAttributes") or [])
        self._set_password(pool, user, password)
        result: Result = {"UserConfirmed": False, "UserSub": user.sub}
        delivery = self._delivery(pool, user)
        if delivery is not None:
            self._issue_code(pool, user, "signup", delivery[0], delivery[1])
            result["CodeDeliveryDetails"] = self._details(*delivery)
        return result

    @staticmethod
    def _check_username_free(pool: mi.MotoPool, username: str) -> None:
        """SignUp's UsernameExistsException, worded as AWS words it for the kind of pool."""
        if pool.user_by_username(username) is not None:
            raise msg.USER_EXISTS.error()
        for attribute in pool.config.get("UsernameAttributes") or []:
            if any(u.attributes.get(attribute) == username for u in pool.users()):
                raise msg.ATTRIBUTE_USERNAME_EXISTS.error(attribute=attribute)

    def confirm_sign_up(self, params: Params) -> Result:
        """ConfirmSignUp with a real code check; marks the delivery attribute verified."""
        pool, client = self._client(self._require(params, "ClientId"))
        username = self._require(params, "Username")
        code = self._require(params, "ConfirmationCode")
        self._check_secret_hash(client, username, params.get("SecretHash"))
        user = self._user(pool, username, msg.USERNAME_CLIENT_NOT_FOUND)
        if user.status != "UNCONFIRMED":
            raise msg.CANNOT_CONFIRM.error(status=user.status)
        delivery = self._delivery(pool, user)
        attribute = delivery[0] if delivery else "email"
        self._check_code(pool, user, "signup", attribute, code)
        user.status = "CONFIRMED"
        if delivery is not None:
            user.update_attributes({f"{attribute}_verified": "true"})
        return {}

    def resend_confirmation_code(self, params: Params) -> Result:
        """ResendConfirmationCode: a new code that supersedes the previous one."""
        pool, client = self._client(self._require(params, "ClientId"))
        username = self._require(params, "Username")
        self._check_secret_hash(client, username, params.get("SecretHash"))
        user = self._user(pool, username, msg.USERNAME_CLIENT_NOT_FOUND)
        if user.status != "UNCONFIRMED":
            raise msg.ALREADY_CONFIRMED.error()
        delivery = self._delivery(pool, user)
        if delivery is None:
            raise ServiceError(
                "InvalidParameterException",
                "Cannot resend codes. Auto verification not turned on.",
            )
        self._issue_code(pool, user, "signup", delivery[0], delivery[1])
        return {"CodeDeliveryDetails": self._details(*delivery)}

    # ---- forgotten password -------------------------------------------------------------

    def _recovery(self, pool: mi.MotoPool, user: mi.MotoUser) -> tuple[str, str]:
        setting = pool.config.get("AccountRecoverySetting") or {}
        mechanisms = sorted(
            setting.get("RecoveryMechanisms")
            or [
                {"Priority": 1, "Name": "verified_phone_number"},
                {"Priority": 2, "Name": "verified_email"},
            ],
            key=lambda m: int(m["Priority"]),
        )
        attrs = user.attributes
        for mechanism in mechanisms:
            if mechanism["Name"] == "admin_only":
                raise ServiceError(
                    "NotAuthorizedException", "Contact administrator to reset password."
                )
            attribute = "phone_number" if mechanism["Name"] == "verified_phone_number" else "email"
            if attrs.get(attribute) and attrs.get(f"{attribute}_verified") == "true":
                return attribute, attrs[attribute]
        raise msg.RESET_NOT_POSSIBLE.error()

    def forgot_password(self, params: Params) -> Result:
        """ForgotPassword: sends a reset code to the verified recovery attribute."""
        pool, client = self._client(self._require(params, "ClientId"))
        username = self._require(params, "Username")
        self._check_secret_hash(client, username, params.get("SecretHash"))
        user = self._user(pool, username, msg.USERNAME_CLIENT_NOT_FOUND)
        if not user.enabled:
            raise msg.USER_DISABLED.error()
        attribute, destination = self._recovery(pool, user)
        self._issue_code(pool, user, "forgot_password", attribute, destination)
        return {"CodeDeliveryDetails": self._details(attribute, destination)}

    def confirm_forgot_password(self, params: Params) -> Result:
        """ConfirmForgotPassword: policy first (a bad password keeps the code), then the code."""
        pool, client = self._client(self._require(params, "ClientId"))
        username = self._require(params, "Username")
        code = self._require(params, "ConfirmationCode")
        password = self._require(params, "Password")
        self._check_secret_hash(client, username, params.get("SecretHash"))
        user = self._user(pool, username, msg.USERNAME_CLIENT_NOT_FOUND)
        self._check_password(pool, password)
        attribute = next(
            (k[3] for k in self._codes if k[:3] == (pool.id, user.username, "forgot_password")),
            "email",
        )
        self._check_code(pool, user, "forgot_password", attribute, code)
        self._set_password(pool, user, password)
        if user.status in ("RESET_REQUIRED", "FORCE_CHANGE_PASSWORD"):
            user.status = "CONFIRMED"
        return {}

    # ---- tokens ---------------------------------------------------------------------------

    @staticmethod
    def _validity(client: mi.MotoClient, kind: str, default: int, default_unit: str) -> int:
        key = {"access": "AccessToken", "id": "IdToken", "refresh": "RefreshToken"}[kind]
        value = client.config.get(f"{key}Validity")
        units = client.config.get("TokenValidityUnits") or {}
        unit = units.get(key, default_unit)
        return int(value if value is not None else default) * _UNIT_SECONDS.get(unit, 3600)

    def _issue_tokens(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        *,
        refresh: tuple[str, str] | None = None,
        device_key: str | None = None,
        new_device: bool = False,
    ) -> Result:
        """Mint access and id tokens (and a refresh token unless refreshing)."""
        access_ttl = self._validity(client, "access", 60, "minutes")
        id_ttl = self._validity(client, "id", 60, "minutes")
        result: Result = {"ExpiresIn": access_ttl, "TokenType": "Bearer"}
        if refresh is None:
            refresh_token, origin_jti = pool.new_refresh_token(client.id, user)
            self._refresh_issued[_sha(refresh_token)] = self.clock()
            result["RefreshToken"] = refresh_token
        else:
            origin_jti = refresh[1]
        if new_device and pool.config.get("DeviceConfiguration"):
            device_key = f"{pool.id.split('_')[0]}_{uuid.uuid4()}"
            group_key = "-" + "".join(secrets.choice(string.ascii_letters) for _ in range(9))
            self._state(pool, user).pending_devices[device_key] = group_key
            result["NewDeviceMetadata"] = {"DeviceKey": device_key, "DeviceGroupKey": group_key}
        now = int(self.clock())
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

    def _sign_out(self, pool: mi.MotoPool, user: mi.MotoUser) -> None:
        """Revoke every access and refresh token of the user (GlobalSignOut semantics)."""
        for token in pool.access_tokens_of(user.username):
            self._revoked_access.add(_sha(token))
            pool.forget_access_token(token)
        for token in pool.refresh_tokens_of(user.username):
            pool.revoke_refresh_token(token)

    def _refresh(self, pool: mi.MotoPool, client: mi.MotoClient, params: Params) -> Result:
        token = self._require(params, "REFRESH_TOKEN")
        owner = pool.refresh_token_owner(token)
        if owner is None and pool.refresh_token_known(token):
            raise msg.REFRESH_TOKEN_REVOKED.error()
        if owner is None or owner[0] != client.id:
            raise msg.INVALID_REFRESH_TOKEN.error()
        _, username, origin_jti = owner
        user = pool.user_by_username(username)
        if user is None:
            raise msg.INVALID_REFRESH_TOKEN.error()
        # The SECRET_HASH of a refresh is over the internal username
        # (docs/cognito-facts.md#secret-hash).
        self._check_secret_hash(client, username, params.get("SECRET_HASH"))
        issued = self._refresh_issued.get(_sha(token), self.clock())
        if issued + self._validity(client, "refresh", 30, "days") <= self.clock():
            raise ServiceError("NotAuthorizedException", "Refresh Token has expired")
        if not user.enabled:
            raise msg.USER_DISABLED.error()
        device_key = params.get("DEVICE_KEY")
        return self._issue_tokens(
            pool, client, user, refresh=(token, origin_jti), device_key=device_key
        )

    # ---- sign-in ----------------------------------------------------------------------------

    def _new_session(
        self, pool: mi.MotoPool, client: mi.MotoClient, user: mi.MotoUser, challenge: str, **kw: Any
    ) -> _Session:
        minutes = int(client.config.get("AuthSessionValidity") or 3)
        session = _Session(
            id=base64.urlsafe_b64encode(secrets.token_bytes(96)).decode(),
            pool_id=pool.id,
            client_id=client.id,
            username=user.username,
            challenge=challenge,
            expires_at=self.clock() + minutes * 60,
            **kw,
        )
        self._sessions[session.id] = session
        if challenge == "PASSWORD_VERIFIER" and session.srp is not None:
            session.block_key = hashlib.sha256(session.srp.secret_block).hexdigest()
            self._sessions_by_block[session.block_key] = session.id
        return session

    def _session_by_block(self, block: str) -> str:
        """The session of a PASSWORD_VERIFIER answer sent without ``Session``.

        AWS accepts that (pycognito relies on it) because its SECRET_BLOCK carries the SRP
        state. Ours is a random handle for the exchange's state: it names a live session only
        until that session is answered or expires, and the session stays bound to its client,
        its user and its lifetime (docs/cognito-facts.md#challenge-sessions).
        """
        try:
            raw = base64.b64decode(block, validate=True)
        except ValueError:
            raw = b""
        session_id = self._sessions_by_block.get(hashlib.sha256(raw).hexdigest())
        if session_id is None:  # never issued here, already answered, or tampered with
            raise msg.INCORRECT_CREDENTIALS.error()
        return session_id

    def _take_session(self, session_id: str | None, client_id: str) -> _Session:
        """Look up a challenge session; it is removed (single use) by the caller's success."""
        if not session_id:
            raise msg.SESSION_MISSING.error()
        if session_id in self._used_sessions:
            raise msg.SESSION_USED.error()
        session = self._sessions.get(session_id)
        if session is None or session.expires_at <= self.clock():
            if session is not None:
                self._drop(session)
            raise msg.SESSION_EXPIRED.error()
        if session.client_id != client_id:
            raise msg.SESSION_INVALID.error()
        return session

    def _drop(self, session: _Session) -> None:
        self._sessions.pop(session.id, None)
        if session.block_key is not None:
            self._sessions_by_block.pop(session.block_key, None)

    def _consume(self, session: _Session) -> None:
        self._drop(session)
        self._used_sessions.add(session.id)

    def _check_client_flow(self, client: mi.MotoClient, flow: str) -> None:
        flows = client.config.get("ExplicitAuthFlows") or [
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_CUSTOM_AUTH",
        ]
        allowed = {f if f.startswith("ALLOW_") else f"ALLOW_{f}" for f in flows}
        if "ALLOW_ADMIN_NO_SRP_AUTH" in allowed:
            allowed.add("ALLOW_ADMIN_USER_PASSWORD_AUTH")
        wanted = {
            "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
            "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        }.get(flow, f"ALLOW_{flow}")
        if wanted not in allowed:
            raise msg.FLOW_NOT_ENABLED.error(flow=flow)

    def _srp_start(self, pool: mi.MotoPool, client: mi.MotoClient, params: Params) -> Result:
        username = self._require(params, "USERNAME")
        srp_a = str(self._require(params, "SRP_A"))
        self._check_secret_hash(client, username, params.get("SECRET_HASH"))
        try:
            big_a = int(srp_a, 16)
        except ValueError:
            raise ServiceError("InvalidParameterException", "SRP_A is not hexadecimal") from None
        if big_a % N == 0:
            raise ServiceError("InvalidParameterException", "SRP_A mod N cannot be 0")
        user = self._user(pool, username)
        self._gate_first_factor(user)
        group = _srp_group(pool)
        # No password yet: a verifier of a random one, so that nothing can match.
        verifier = self._verifier(pool, user) or PasswordVerifier.create(
            group, user.username, secrets.token_hex(32)
        )
        challenge = verifier.challenge(group, user.username)
        session = self._new_session(
            pool,
            client,
            user,
            "PASSWORD_VERIFIER",
            srp=challenge,
            srp_a=srp_a,
            device_key=params.get("DEVICE_KEY"),
        )
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": session.id,
            "ChallengeParameters": {
                "SALT": challenge.salt_hex,
                "SRP_B": challenge.srp_b_hex,
                "SECRET_BLOCK": challenge.secret_block_b64,
                "USERNAME": user.username,
                "USER_ID_FOR_SRP": user.username,
            },
        }

    # ---- passwords: only their SRP verifiers are kept --------------------------------------

    def _set_password(self, pool: mi.MotoPool, user: mi.MotoUser, password: str) -> None:
        """Keep the new password's verifier (fresh salt) and take the password away from moto.

        moto's user model has a password field, which moto's own checks read; every check
        on this server goes through the verifier instead, so moto gets a random placeholder
        that no one can know (its checks, if ever reached, fail).
        """
        state = self._state(pool, user)
        state.verifier = PasswordVerifier.create(_srp_group(pool), user.username, str(password))
        self.scrub_password(pool, user)

    def scrub_password(self, pool: mi.MotoPool, user: mi.MotoUser) -> None:
        """Put a fresh random placeholder where moto keeps the user's password."""
        state = self._state(pool, user)
        state.placeholder = "local-cognito:no-password:" + secrets.token_urlsafe(24)
        user.password = state.placeholder

    def _verifier(self, pool: mi.MotoPool, user: mi.MotoUser) -> PasswordVerifier | None:
        """The user's password verifier; a password moto holds that is not our placeholder
        (set through a path the strict layer does not own) is adopted first."""
        state = self._state(pool, user)
        held = user.password
        if held is not None and held != state.placeholder:
            self._set_password(pool, user, held)
        return state.verifier

    def _password_matches(self, pool: mi.MotoPool, user: mi.MotoUser, given: Any) -> bool:
        verifier = self._verifier(pool, user)
        if verifier is None or given is None:
            return False
        return verifier.matches(_srp_group(pool), user.username, str(given))

    @staticmethod
    def _gate_first_factor(user: mi.MotoUser) -> None:
        if not user.enabled:
            raise msg.USER_DISABLED.error()
        if user.status == "RESET_REQUIRED":
            raise msg.PASSWORD_RESET_REQUIRED.error()

    def _password_auth(self, pool: mi.MotoPool, client: mi.MotoClient, params: Params) -> Result:
        username = self._require(params, "USERNAME")
        password = self._require(params, "PASSWORD")
        self._check_secret_hash(client, username, params.get("SECRET_HASH"))
        user = self._user(pool, username)
        self._gate_first_factor(user)
        if not self._password_matches(pool, user, password):
            raise msg.INCORRECT_CREDENTIALS.error()
        return self._after_password(pool, client, user, params.get("DEVICE_KEY"))

    def initiate_auth(self, params: Params, *, admin_pool: mi.MotoPool | None = None) -> Result:
        """InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN(_AUTH)."""
        client_id = self._require(params, "ClientId")
        pool, client = self._client(client_id)
        if admin_pool is not None and admin_pool.id != pool.id:
            raise ServiceError(
                "ResourceNotFoundException", f"User pool client {client_id} does not exist."
            )
        flow = self._require(params, "AuthFlow")
        auth = params.get("AuthParameters") or {}
        user_flows = {"USER_SRP_AUTH", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}
        admin_flows = {"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "USER_SRP_AUTH"}
        admin_flows |= {"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}
        if flow not in (admin_flows if admin_pool is not None else user_flows):
            raise ServiceError("InvalidParameterException", "Initiate Auth method not supported.")
        self._check_client_flow(client, flow)
        if flow == "USER_SRP_AUTH":
            return self._srp_start(pool, client, auth)
        if flow in ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
            return self._password_auth(pool, client, auth)
        return self._refresh(pool, client, auth)

    def admin_initiate_auth(self, params: Params) -> Result:
        """AdminInitiateAuth: the same flows, through our checks."""
        pool = self._pool(self._require(params, "UserPoolId"))
        return self.initiate_auth(params, admin_pool=pool)

    def _after_password(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        device_key: str | None,
        *,
        device_done: bool = False,
    ) -> Result:
        """What follows a proven password: NEW_PASSWORD_REQUIRED, device, MFA, or tokens."""
        if user.status == "UNCONFIRMED":
            raise msg.USER_NOT_CONFIRMED.error()
        if user.status == "FORCE_CHANGE_PASSWORD":
            attrs = {k: v for k, v in user.attributes.items() if k != "sub"}
            session = self._new_session(
                pool, client, user, "NEW_PASSWORD_REQUIRED", device_key=device_key
            )
            return {
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": session.id,
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": user.username,
                    "requiredAttributes": "[]",
                    "userAttributes": json.dumps(attrs),
                },
            }
        remembered = False
        if device_key and pool.config.get("DeviceConfiguration") and not device_done:
            device = self._state(pool, user).devices.get(device_key)
            if device is None:
                raise ServiceError("ResourceNotFoundException", "Device does not exist.")
            session = self._new_session(
                pool,
                client,
                user,
                "DEVICE_SRP_AUTH",
                device_key=device_key,
                device_remembered=device.remembered,
            )
            return {
                "ChallengeName": "DEVICE_SRP_AUTH",
                "Session": session.id,
                "ChallengeParameters": {"USERNAME": user.username},
            }
        if device_done and device_key:
            device = self._state(pool, user).devices.get(device_key)
            remembered = device is not None and device.remembered
        if not remembered:
            challenge = self._mfa_challenge(pool, client, user, device_key)
            if challenge is not None:
                return challenge
        return self._issue_tokens(
            pool,
            client,
            user,
            device_key=device_key if device_done else None,
            new_device=not device_done,
        )

    def _mfa_challenge(
        self, pool: mi.MotoPool, client: mi.MotoClient, user: mi.MotoUser, device_key: str | None
    ) -> Result | None:
        if pool.mfa_config == "OFF":
            return None
        has_phone = bool(user.attributes.get("phone_number"))
        sms = user.sms_mfa_enabled and has_phone and pool.sms_mfa_configured
        totp = user.totp_mfa_enabled and pool.totp_mfa_configured
        if not sms and not totp and pool.mfa_config == "ON":
            if pool.sms_mfa_configured and has_phone:
                sms = True
            else:
                can_setup = ["SOFTWARE_TOKEN_MFA"] if pool.totp_mfa_configured else []
                if not can_setup:
                    return None
                session = self._new_session(pool, client, user, "MFA_SETUP", device_key=device_key)
                return {
                    "ChallengeName": "MFA_SETUP",
                    "Session": session.id,
                    "ChallengeParameters": {"MFAS_CAN_SETUP": json.dumps(can_setup)},
                }
        if sms and totp and user.preferred_mfa not in ("SMS_MFA", "SOFTWARE_TOKEN_MFA"):
            session = self._new_session(
                pool, client, user, "SELECT_MFA_TYPE", device_key=device_key
            )
            return {
                "ChallengeName": "SELECT_MFA_TYPE",
                "Session": session.id,
                "ChallengeParameters": {
                    "MFAS_CAN_CHOOSE": json.dumps(["SMS_MFA", "SOFTWARE_TOKEN_MFA"]),
                    "USER_ID_FOR_SRP": user.username,
                },
            }
        if totp and (not sms or user.preferred_mfa == "SOFTWARE_TOKEN_MFA"):
            return self._totp_challenge(pool, client, user, device_key)
        if sms:
            return self._sms_challenge(pool, client, user, device_key)
        return None

    def _sms_challenge(
        self, pool: mi.MotoPool, client: mi.MotoClient, user: mi.MotoUser, device_key: str | None
    ) -> Result:
        phone = user.attributes["phone_number"]
        self._issue_code(pool, user, "sms_mfa", "phone_number", phone)
        session = self._new_session(pool, client, user, "SMS_MFA", device_key=device_key)
        return {
            "ChallengeName": "SMS_MFA",
            "Session": session.id,
            "ChallengeParameters": {
                "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
                "CODE_DELIVERY_DESTINATION": _mask(phone),
                "USER_ID_FOR_SRP": user.username,
            },
        }

    def _totp_challenge(
        self, pool: mi.MotoPool, client: mi.MotoClient, user: mi.MotoUser, device_key: str | None
    ) -> Result:
        session = self._new_session(pool, client, user, "SOFTWARE_TOKEN_MFA", device_key=device_key)
        return {
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": session.id,
            "ChallengeParameters": {"USER_ID_FOR_SRP": user.username},
        }

    def respond_to_auth_challenge(self, params: Params) -> Result:
        """(Admin)RespondToAuthChallenge: single-use sessions, SECRET_HASH, real checks."""
        client_id = self._require(params, "ClientId")
        pool, client = self._client(client_id)
        if params.get("UserPoolId") and params["UserPoolId"] != pool.id:
            raise ServiceError(
                "ResourceNotFoundException", f"User pool client {client_id} does not exist."
            )
        name = self._require(params, "ChallengeName")
        responses: Params = params.get("ChallengeResponses") or {}
        session_id = params.get("Session")
        if not session_id and name == "PASSWORD_VERIFIER":
            block = str(self._require(responses, "PASSWORD_CLAIM_SECRET_BLOCK"))
            session_id = self._session_by_block(block)
        session = self._take_session(session_id, client.id)
        if name != session.challenge:
            raise ServiceError(
                "InvalidParameterException", f"Invalid challenge name {name} for this session."
            )
        user = pool.user_by_username(session.username)
        if user is None:
            self._consume(session)
            raise ServiceError("UserNotFoundException", "User does not exist.")
        # AWS accepts the internal username or any alias that resolves to the session's user,
        # and checks SECRET_HASH over the value actually sent
        # (docs/cognito-facts.md#internal-username).
        sent = str(self._require(responses, "USERNAME"))
        named = self.find_user(pool, sent)
        if named is None or named.username != user.username:
            raise msg.INCORRECT_CREDENTIALS.error()
        self._check_secret_hash(client, sent, responses.get("SECRET_HASH"))
        handler = {
            "PASSWORD_VERIFIER": self._answer_password_verifier,
            "NEW_PASSWORD_REQUIRED": self._answer_new_password,
            "SMS_MFA": self._answer_sms,
            "SOFTWARE_TOKEN_MFA": self._answer_totp,
            "SELECT_MFA_TYPE": self._answer_select_mfa,
            "MFA_SETUP": self._answer_mfa_setup,
            "DEVICE_SRP_AUTH": self._answer_device_srp,
            "DEVICE_PASSWORD_VERIFIER": self._answer_device_verifier,
        }[session.challenge]
        return handler(pool, client, user, session, responses)

    def _answer_password_verifier(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        session: _Session,
        responses: Params,
    ) -> Result:
        self._consume(session)
        block = self._require(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
        signature = self._require(responses, "PASSWORD_CLAIM_SIGNATURE")
        timestamp = self._require(responses, "TIMESTAMP")
        if session.srp is None:  # pragma: no cover - only SRP sessions get this challenge
            raise msg.INCORRECT_CREDENTIALS.error()
        try:
            ok = session.srp.verify(
                session.srp_a,
                block,
                timestamp,
                signature,
                now=datetime.fromtimestamp(self.clock(), timezone.utc),
            )
        except InvalidTimestampError:
            raise msg.TIMESTAMP_FORMAT.error() from None
        if not ok:
            raise msg.INCORRECT_CREDENTIALS.error()
        device_key = responses.get("DEVICE_KEY") or session.device_key
        return self._after_password(pool, client, user, device_key)

    def _answer_new_password(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        session: _Session,
        responses: Params,
    ) -> Result:
        password = responses.get("NEW_PASSWORD")
        if not password:
            raise ServiceError(
                "InvalidParameterException", "Missing required parameter NEW_PASSWORD"
            )
        self._check_password(pool, password)
        self._consume(session)
        updates = {
            k.removeprefix("userAttributes."): str(v)
            for k, v in responses.items()
            if k.startswith("userAttributes.")
        }
        if updates:
            user.update_attributes(updates)
        self._set_password(pool, user, password)
        user.status = "CONFIRMED"
        return self._after_password(pool, client, user, session.device_key)

    def _finish(
        self, pool: mi.MotoPool, client: mi.MotoClient, user: mi.MotoUser, session: _Session
    ) -> Result:
        """Tokens after the last challenge; a verified device keeps its key, else a new one."""
        device_key = session.device_key
        known = device_key is not None and device_key in self._state(pool, user).devices
        return self._issue_tokens(
            pool, client, user, device_key=device_key if known else None, new_device=not known
        )

    def _wrong_answer(self, session: _Session, message: str) -> ServiceError:
        session.attempts += 1
        if session.attempts >= _MAX_CODE_ATTEMPTS:
            self._consume(session)
        return ServiceError("CodeMismatchException", message)

    def _answer_sms(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        session: _Session,
        responses: Params,
    ) -> Result:
        code = self._require(responses, "SMS_MFA_CODE")
        try:
            self._check_code(
                pool,
                user,
                "sms_mfa",
                "phone_number",
                code,
                wrong=msg.WRONG_MFA_CODE,
            )
        except ServiceError as exc:
            if exc.code == "CodeMismatchException":
                raise self._wrong_answer(session, exc.message) from None
            self._consume(session)
            raise
        self._consume(session)
        return self._finish(pool, client, user, session)

    def _answer_totp(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        session: _Session,
        responses: Params,
    ) -> Result:
        code = str(self._require(responses, "SOFTWARE_TOKEN_MFA_CODE"))
        secret = self._state(pool, user).totp_secret
        if secret is None or not pyotp.TOTP(secret).verify(
            code, for_time=self.clock(), valid_window=1
        ):
            raise self._wrong_answer(session, "Invalid code received for user")
        self._consume(session)
        return self._finish(pool, client, user, session)

    def _answer_select_mfa(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        session: _Session,
        responses: Params,
    ) -> Result:
        answer = self._require(responses, "ANSWER")
        if answer not in ("SMS_MFA", "SOFTWARE_TOKEN_MFA"):
            raise ServiceError("InvalidParameterException", "Invalid ANSWER for SELECT_MFA_TYPE.")
        self._consume(session)
        if answer == "SMS_MFA":
            return self._sms_challenge(pool, client, user, session.device_key)
        return self._totp_challenge(pool, client, user, session.device_key)

    def _answer_mfa_setup(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        session: _Session,
        responses: Params,
    ) -> Result:
        if not session.totp_verified:
            raise ServiceError(
                "InvalidParameterException",
                "Call VerifySoftwareToken with this session before answering MFA_SETUP.",
            )
        self._consume(session)
        user.totp_mfa_enabled = True
        if not user.preferred_mfa:
            user.preferred_mfa = "SOFTWARE_TOKEN_MFA"
        return self._finish(pool, client, user, session)

    def _answer_device_srp(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        session: _Session,
        responses: Params,
    ) -> Result:
        self._consume(session)
        device_key = self._require(responses, "DEVICE_KEY")
        srp_a = str(self._require(responses, "SRP_A"))
        device = self._state(pool, user).devices.get(device_key)
        if device is None or device_key != session.device_key:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        if int(srp_a, 16) % N == 0:
            raise ServiceError("InvalidParameterException", "SRP_A mod N cannot be 0")
        challenge = SrpChallenge(
            group=device.group_key, user_id=device.key, salt=device.salt, verifier=device.verifier
        )
        new = self._new_session(
            pool,
            client,
            user,
            "DEVICE_PASSWORD_VERIFIER",
            srp=challenge,
            srp_a=srp_a,
            device_key=device_key,
            device_remembered=device.remembered,
        )
        return {
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "Session": new.id,
            "ChallengeParameters": {
                "SALT": challenge.salt_hex,
                "SRP_B": challenge.srp_b_hex,
                "SECRET_BLOCK": challenge.secret_block_b64,
                "USERNAME": user.username,
                "DEVICE_KEY": device_key,
            },
        }

    def _answer_device_verifier(
        self,
        pool: mi.MotoPool,
        client: mi.MotoClient,
        user: mi.MotoUser,
        session: _Session,
        responses: Params,
    ) -> Result:
        self._consume(session)
        if session.srp is None or session.device_key is None:  # pragma: no cover
            raise msg.INCORRECT_CREDENTIALS.error()
        try:
            ok = session.srp.verify(
                session.srp_a,
                self._require(responses, "PASSWORD_CLAIM_SECRET_BLOCK"),
                self._require(responses, "TIMESTAMP"),
                self._require(responses, "PASSWORD_CLAIM_SIGNATURE"),
                now=datetime.fromtimestamp(self.clock(), timezone.utc),
            )
        except InvalidTimestampError:
            raise msg.TIMESTAMP_FORMAT.error() from None
        if not ok:
            raise msg.INCORRECT_CREDENTIALS.error()
        device = self._state(pool, user).devices.get(session.device_key)
        if device is not None:
            device.last_auth = self.clock()
        return self._after_password(pool, client, user, session.device_key, device_done=True)

    # ---- TOTP -------------------------------------------------------------------------

    def _token_or_session(self, params: Params) -> tuple[mi.MotoPool, mi.MotoUser, _Session | None]:
        token, session_id = params.get("AccessToken"), params.get("Session")
        if bool(token) == bool(session_id):
            raise ServiceError(
                "InvalidParameterException", "Provide exactly one of AccessToken or Session."
            )
        if token:
            pool, user, _ = self._authenticate(token)
            return pool, user, None
        if session_id in self._used_sessions:
            raise msg.SESSION_USED.error()
        session = self._sessions.get(str(session_id))
        if (
            session is None
            or session.expires_at <= self.clock()
            or session.challenge != "MFA_SETUP"
        ):
            raise msg.SESSION_EXPIRED.error()
        session_pool = self._pool(session.pool_id)
        session_user = session_pool.user_by_username(session.username)
        if session_user is None:
            raise ServiceError("UserNotFoundException", "User does not exist.")
        return session_pool, session_user, session

    def _renew(self, session: _Session, **changes: Any) -> _Session:
        """Replace an MFA_SETUP session by a fresh one: each call returns a new Session
        (docs/cognito-facts.md#totp-setup)."""
        self._consume(session)
        pool = self._pool(session.pool_id)
        client = pool.client(session.client_id)
        user = pool.user_by_username(session.username)
        if client is None or user is None:  # pragma: no cover - deleted mid-flow
            raise msg.SESSION_EXPIRED.error()
        new = self._new_session(pool, client, user, "MFA_SETUP", device_key=session.device_key)
        new.pending_totp = changes.get("pending_totp", session.pending_totp)
        new.totp_verified = changes.get("totp_verified", session.totp_verified)
        return new

    def associate_software_token(self, params: Params) -> Result:
        """AssociateSoftwareToken: a fresh random secret per user (AccessToken or Session)."""
        pool, user, session = self._token_or_session(params)
        secret = pyotp.random_base32()
        self._state(pool, user).totp_pending = secret
        if session is None:
            return {"SecretCode": secret}
        return {"SecretCode": secret, "Session": self._renew(session, pending_totp=secret).id}

    def verify_software_token(self, params: Params) -> Result:
        """VerifySoftwareToken: the code must match the secret AssociateSoftwareToken gave."""
        pool, user, session = self._token_or_session(params)
        code = str(self._require(params, "UserCode"))
        state = self._state(pool, user)
        secret = state.totp_pending
        if secret is None:
            raise ServiceError("SoftwareTokenMFANotFoundException", "Software Token MFA Not Found.")
        if not pyotp.TOTP(secret).verify(code, for_time=self.clock(), valid_window=1):
            raise msg.TOTP_ENABLE_MISMATCH.error()
        state.totp_secret = secret
        state.totp_pending = None
        user.totp_verified = True
        if session is None:
            return {"Status": "SUCCESS"}
        return {"Status": "SUCCESS", "Session": self._renew(session, totp_verified=True).id}

    def set_user_mfa_preference(self, params: Params) -> Result:
        """SetUserMFAPreference (SMS and TOTP)."""
        _, user, _ = self._authenticate(params.get("AccessToken"))
        totp = params.get("SoftwareTokenMfaSettings")
        sms = params.get("SMSMfaSettings")
        if totp:
            if totp.get("Enabled") and not user.totp_verified:
                raise ServiceError(
                    "InvalidParameterException", "User has not verified software token mfa"
                )
            user.totp_mfa_enabled = bool(totp.get("Enabled"))
        if sms:
            if sms.get("Enabled") and not user.attributes.get("phone_number"):
                raise ServiceError(
                    "InvalidParameterException",
                    "User does not have delivery config set to turn on SMS_MFA",
                )
            user.sms_mfa_enabled = bool(sms.get("Enabled"))
        for settings, name in ((totp, "SOFTWARE_TOKEN_MFA"), (sms, "SMS_MFA")):
            if settings and settings.get("PreferredMfa"):
                user.preferred_mfa = name
            elif settings and user.preferred_mfa == name:
                # PreferredMfa false (or disabling the factor) drops the preference.
                user.preferred_mfa = ""
        return {}

    def set_user_settings(self, params: Params) -> Result:
        """SetUserSettings (legacy): MFAOptions of SMS on phone_number switch SMS MFA on."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        options = params.get("MFAOptions")
        if options is None:
            raise ServiceError("InvalidParameterException", "Missing required parameter MFAOptions")
        for option in options:
            if (
                option.get("DeliveryMedium") != "SMS"
                or option.get("AttributeName") != "phone_number"
            ):
                raise ServiceError(
                    "InvalidParameterException",
                    "Only SMS on phone_number is supported for MFAOptions.",
                )
        if options and not user.attributes.get("phone_number"):
            raise ServiceError(
                "InvalidParameterException",
                "User does not have delivery config set to turn on SMS_MFA",
            )
        self._state(pool, user).mfa_options = [dict(o) for o in options]
        user.sms_mfa_enabled = bool(options)
        return {}

    # ---- profile ------------------------------------------------------------------------

    def get_user(self, params: Params) -> Result:
        """GetUser, with legacy MFAOptions filled in from SetUserSettings."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        wire = user.to_json("UserAttributes")
        result: Result = {
            "Username": user.username,
            "UserAttributes": wire.get("UserAttributes", []),
            "UserMFASettingList": wire.get("UserMFASettingList", []),
        }
        if user.preferred_mfa:
            result["PreferredMfaSetting"] = user.preferred_mfa
        options = self._state(pool, user).mfa_options
        if options:
            result["MFAOptions"] = options
        return result

    def _check_aliases(self, pool: mi.MotoPool, user: mi.MotoUser, updates: dict[str, str]) -> None:
        unique = set(pool.config.get("UsernameAttributes") or []) | set(
            a for a in pool.config.get("AliasAttributes") or [] if a != "preferred_username"
        )
        for name in unique & updates.keys():
            for other in pool.users():
                if other.username != user.username and other.attributes.get(name) == updates[name]:
                    raise msg.ALIAS_EXISTS.error(attribute=name)

    def update_user_attributes(self, params: Params) -> Result:
        """UpdateUserAttributes; a changed auto-verified email/phone becomes unverified + code."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        updates = {a["Name"]: str(a["Value"]) for a in self._require(params, "UserAttributes")}
        if "sub" in updates:
            raise ServiceError(
                "InvalidParameterException", "user.sub: Attribute cannot be updated."
            )
        self._check_aliases(pool, user, updates)
        before = user.attributes
        user.update_attributes(updates)
        auto = pool.config.get("AutoVerifiedAttributes") or []
        details = []
        for name in ("email", "phone_number"):
            changed = name in updates and updates[name] != before.get(name)
            if changed and name in auto and f"{name}_verified" not in updates:
                user.update_attributes({f"{name}_verified": "false"})
                self._issue_code(pool, user, "verify_attribute", name, updates[name])
                details.append(self._details(name, updates[name]))
        return {"CodeDeliveryDetailsList": details} if details else {}

    def delete_user_attributes(self, params: Params) -> Result:
        """DeleteUserAttributes."""
        _, user, _ = self._authenticate(params.get("AccessToken"))
        names = list(self._require(params, "UserAttributeNames"))
        if "sub" in names:
            raise ServiceError(
                "InvalidParameterException", "user.sub: Attribute cannot be deleted."
            )
        user.delete_attributes(names)
        return {}

    def get_user_attribute_verification_code(self, params: Params) -> Result:
        """GetUserAttributeVerificationCode: a code for email or phone_number."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        name = self._require(params, "AttributeName")
        if name not in ("email", "phone_number"):
            raise ServiceError("InvalidParameterException", f"Invalid attribute name {name}.")
        value = user.attributes.get(name)
        if not value:
            raise ServiceError("InvalidParameterException", f"User has no attribute {name}.")
        self._issue_code(pool, user, "verify_attribute", name, value)
        return {"CodeDeliveryDetails": self._details(name, value)}

    def verify_user_attribute(self, params: Params) -> Result:
        """VerifyUserAttribute: checks the code and sets ``<attr>_verified`` to true."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        name = self._require(params, "AttributeName")
        code = self._require(params, "Code")
        self._check_code(pool, user, "verify_attribute", name, code)
        user.update_attributes({f"{name}_verified": "true"})
        return {}

    def change_password(self, params: Params) -> Result:
        """ChangePassword: the previous password must match; the policy applies."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        previous = params.get("PreviousPassword")
        proposed = self._require(params, "ProposedPassword")
        if not self._password_matches(pool, user, previous):
            raise msg.INCORRECT_CREDENTIALS.error()
        self._check_password(pool, proposed)
        self._set_password(pool, user, proposed)
        return {}

    def global_sign_out(self, params: Params) -> Result:
        """GlobalSignOut: every token of the user is revoked."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        self._sign_out(pool, user)
        return {}

    def admin_user_global_sign_out(self, params: Params) -> Result:
        """AdminUserGlobalSignOut."""
        pool = self._pool(self._require(params, "UserPoolId"))
        user = self._user(pool, self._require(params, "Username"))
        self._sign_out(pool, user)
        return {}

    def revoke_token(self, params: Params) -> Result:
        """RevokeToken: one refresh token and the access tokens minted from it
        (docs/cognito-facts.md#sign-out-and-revocation)."""
        token = self._require(params, "Token")
        pool, client = self._client(self._require(params, "ClientId"))
        secret = client.secret
        given = params.get("ClientSecret")
        if secret is not None and (
            not given or not hmac.compare_digest(secret.encode(), str(given).encode())
        ):
            raise ServiceError("NotAuthorizedException", f"Client {client.id} is not authorized.")
        if client.config.get("EnableTokenRevocation") is False:
            raise ServiceError("UnsupportedOperationException", "Token revocation is not enabled.")
        if _jwt_claims(token) is not None:
            raise ServiceError(
                "UnsupportedTokenTypeException", "Only refresh tokens can be revoked."
            )
        owner = pool.refresh_token_owner(token)
        if owner is None:
            return {}  # RFC 7009: unknown or already revoked tokens are not an error
        if owner[0] != client.id:
            raise ServiceError("UnauthorizedException", "Token was not issued to this client.")
        _, username, origin_jti = owner
        pool.revoke_refresh_token(token)
        for access in pool.access_tokens_of(username):
            claims = _jwt_claims(access) or {}
            if claims.get("origin_jti") == origin_jti:
                self._revoked_access.add(_sha(access))
                pool.forget_access_token(access)
        return {}

    def delete_user(self, params: Params) -> Result:
        """DeleteUser: the user and every token go."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        self._sign_out(pool, user)
        self._users.pop((pool.id, user.username), None)
        pool.delete_user(user)
        return {}

    # ---- admin hooks --------------------------------------------------------------------

    def admin_create_user(self, params: Params) -> Result:
        """AdminCreateUser: a generated temporary password is "sent" as an invitation."""
        pool = self._pool(self._require(params, "UserPoolId"))
        username = self._require(params, "Username")
        action = params.get("MessageAction")
        if params.get("TemporaryPassword"):
            self._check_password(
                pool, params["TemporaryPassword"], msg.PASSWORD_POLICY_ADMIN_CREATE
            )
        temporary = params.get("TemporaryPassword") or _temporary_password()
        if action == "RESEND":
            user = self._user(pool, username)
            if user.status != "FORCE_CHANGE_PASSWORD":
                raise ServiceError("UnsupportedUserStateException", f"User status is {user.status}")
        else:
            user = pool.admin_create_user(
                username, action, temporary, params.get("UserAttributes") or []
            )
        self._set_password(pool, user, temporary)
        if action != "SUPPRESS":
            attrs = user.attributes
            destination = attrs.get("email") or attrs.get("phone_number") or user.username
            attribute = (
                "email"
                if attrs.get("email")
                else ("phone_number" if attrs.get("phone_number") else None)
            )
            self._send(pool, user, "invitation", temporary, attribute, destination)
        return {"User": user.to_json("Attributes")}

    def admin_set_user_password(self, params: Params) -> Result:
        """AdminSetUserPassword: the policy with AWS's wording; only the verifier is kept."""
        pool = self._pool(self._require(params, "UserPoolId"))
        user = self._user(pool, self._require(params, "Username"))
        password = self._require(params, "Password")
        self._check_password(pool, password)
        self._set_password(pool, user, password)
        user.status = "CONFIRMED" if params.get("Permanent") else "FORCE_CHANGE_PASSWORD"
        return {}

    def admin_delete_user(self, params: Params) -> Result:
        """AdminDeleteUser: drop our per-user state, then let moto delete."""
        pool = mi.find_pool(str(params.get("UserPoolId", "")))
        if pool is not None:
            user = self.find_user(pool, str(params.get("Username", "")))
            if user is not None:
                self._sign_out(pool, user)
                self._users.pop((pool.id, user.username), None)
        return DELEGATE

    def admin_reset_user_password(self, params: Params) -> Result:
        """AdminResetUserPassword: RESET_REQUIRED plus a reset code in the outbox."""
        pool = self._pool(self._require(params, "UserPoolId"))
        user = self._user(pool, self._require(params, "Username"))
        if not user.enabled:
            raise msg.USER_DISABLED.error()
        attribute, destination = self._recovery(pool, user)
        user.status = "RESET_REQUIRED"
        self._issue_code(pool, user, "forgot_password", attribute, destination)
        return {}

    # ---- devices ------------------------------------------------------------------------

    @staticmethod
    def _device_json(device: Device) -> Result:
        return {
            "DeviceKey": device.key,
            "DeviceAttributes": [
                {"Name": "device_status", "Value": "valid"},
                {"Name": "device_name", "Value": device.name},
                {
                    "Name": "dev:device_remembered_status",
                    "Value": "remembered" if device.remembered else "not_remembered",
                },
            ],
            "DeviceCreateDate": device.created,
            "DeviceLastModifiedDate": device.modified,
            "DeviceLastAuthenticatedDate": device.last_auth,
        }

    def _device(self, params: Params) -> tuple[UserState, Device]:
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        key = self._require(params, "DeviceKey")
        state = self._state(pool, user)
        device = state.devices.get(key)
        if device is None:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        return state, device

    def confirm_device(self, params: Params) -> Result:
        """ConfirmDevice: registers the device verifier for a key issued at sign-in
        (docs/cognito-facts.md#remembered-devices)."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        key = self._require(params, "DeviceKey")
        config = self._require(params, "DeviceSecretVerifierConfig")
        state = self._state(pool, user)
        group_key = state.pending_devices.pop(key, None)
        if group_key is None:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        try:
            verifier = int.from_bytes(base64.b64decode(config["PasswordVerifier"]), "big")
            salt = int.from_bytes(base64.b64decode(config["Salt"]), "big")
        except (KeyError, ValueError, TypeError):
            raise ServiceError(
                "InvalidParameterException", "Invalid DeviceSecretVerifierConfig."
            ) from None
        prompt = bool(
            (pool.config.get("DeviceConfiguration") or {}).get("DeviceOnlyRememberedOnUserPrompt")
        )
        now = self.clock()
        state.devices[key] = Device(
            key=key,
            group_key=group_key,
            verifier=verifier,
            salt=salt,
            name=str(params.get("DeviceName") or ""),
            remembered=not prompt,
            created=now,
            modified=now,
            last_auth=now,
        )
        return {"UserConfirmationNecessary": prompt}

    def get_device(self, params: Params) -> Result:
        """GetDevice."""
        _, device = self._device(params)
        return {"Device": self._device_json(device)}

    def list_devices(self, params: Params) -> Result:
        """ListDevices, paginated by position."""
        pool, user, _ = self._authenticate(params.get("AccessToken"))
        devices = sorted(self._state(pool, user).devices.values(), key=lambda d: d.created)
        start = int(params.get("PaginationToken") or 0)
        limit = int(params.get("Limit") or 60)
        page = devices[start : start + limit]
        result: Result = {"Devices": [self._device_json(d) for d in page]}
        if start + limit < len(devices):
            result["PaginationToken"] = str(start + limit)
        return result

    def forget_device(self, params: Params) -> Result:
        """ForgetDevice."""
        state, device = self._device(params)
        del state.devices[device.key]
        return {}

    def update_device_status(self, params: Params) -> Result:
        """UpdateDeviceStatus: remembered or not_remembered."""
        _, device = self._device(params)
        status = params.get("DeviceRememberedStatus")
        if status not in ("remembered", "not_remembered"):
            raise ServiceError("InvalidParameterException", "Invalid DeviceRememberedStatus.")
        device.remembered = status == "remembered"
        device.modified = self.clock()
        return {}
