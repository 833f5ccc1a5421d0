"""What the strict layer holds beside moto's models: sessions, codes, per-user state,
revoked tokens and the clock; and the bookkeeping on them that several operations share.

moto splits a service into ``models.py`` (state) and ``responses.py`` (the wire); this is the
strict layer's ``models.py``. The operations live in ``local/_ops/`` and read and change this
state; ``local/_strict.py`` parses the wire and runs them under :attr:`StrictState.lock`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import _messages as msg
from . import _moto_internals as mi
from ._outbox import Outbox, OutboxMessage
from ._srp_server import PasswordVerifier, SrpChallenge
from ._triggers import CustomRun, forget
from ._user_state import Code, UserState
from ._web_authn_config import WebAuthnSettings

__all__ = ["CODE_TTL", "Session", "StrictState", "srp_group", "token_key"]

# Seconds a code stays valid, by purpose (AWS: 24 h sign-up/attribute, 1 h reset, 3 min SMS).
# E-mail MFA codes: no lifetime found in AWS's pages; a guess, the SMS one (3 min is also the
# default AuthSessionValidity, which bounds any MFA answer).
CODE_TTL = {
    "signup": 24 * 3600,
    "verify_attribute": 24 * 3600,
    "forgot_password": 3600,
    "sms_mfa": 180,
    "email_mfa": 180,
    # USER_AUTH's one-time passwords (first factor): as the MFA codes, a guess bounded by the
    # session's AuthSessionValidity (3 minutes by default).
    "sms_otp": 180,
    "email_otp": 180,
}

CodeKey = tuple[str, str, str, str]  # (pool id, username, purpose, attribute)


def token_key(token: str) -> str:
    """How a token is kept in the revocation and issue tables: its SHA-256, never itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def srp_group(pool: mi.MotoPool) -> str:
    """The pool name of the SRP maths: the part of the pool id after ``_``."""
    return pool.id.split("_", 1)[1]


@dataclass
class Session:
    """A challenge session handed out by InitiateAuth or RespondToAuthChallenge.

    :ivar mfa_choices: the MFAS_CAN_CHOOSE offered by a SELECT_MFA_TYPE session.
    :ivar pending_email: the address an MFA_SETUP answer gave for e-mail MFA; its EMAIL_OTP
        session sets it on the user once the code is right.
    :ivar available: the AvailableChallenges offered by a USER_AUTH SELECT_CHALLENGE session.
    :ivar first_factor: a USER_AUTH session whose EMAIL_OTP / SMS_OTP code is the first (and
        only) factor, answered by ``user_auth`` rather than as MFA.
    :ivar custom: the CUSTOM_AUTH sign-in this session belongs to (``_ops/_custom_auth``).
    :ivar web_authn_challenge: the challenge of a WEB_AUTHN session's credential request
        options, which the passkey's assertion must sign.
    """

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
    mfa_choices: tuple[str, ...] = ()
    pending_email: str | None = field(default=None, repr=False)
    attempts: int = 0
    available: tuple[str, ...] = ()
    first_factor: bool = False
    custom: CustomRun | None = None
    block_key: str | None = field(default=None, repr=False)  # see session_by_block
    web_authn_challenge: bytes | None = field(default=None, repr=False)


class StrictState:
    """The strict layer's state for one LocalCognito server.

    :param outbox: where every code goes (the server-wide outbox).
    :param clock: seconds since the epoch; injectable so tests can move time.
    """

    def __init__(self, outbox: Outbox, clock: Callable[[], float] = time.time) -> None:
        self.outbox = outbox
        self._base_clock = clock
        self.time_offset = 0.0  # seconds added by LocalCognito.advance_time()
        # One lock serialises strict requests: moto's models are not thread-safe and the
        # werkzeug server answers each request on its own thread.
        self.lock = threading.RLock()
        self._pool_outboxes: dict[str, Outbox] = {}
        self.users: dict[tuple[str, str], UserState] = {}
        self.sessions: dict[str, Session] = {}
        self.used_sessions: set[str] = set()
        self._sessions_by_block: dict[str, str] = {}  # sha256(SECRET_BLOCK) -> session id
        self.codes: dict[CodeKey, Code] = {}
        self._stale_codes: dict[CodeKey, set[str]] = {}
        # Each pool's passkey settings (WebAuthnConfiguration); absent: the defaults.
        self.web_authn: dict[str, WebAuthnSettings] = {}
        self.revoked_access: set[str] = set()  # token_key() of revoked access tokens
        self.refresh_issued: dict[str, float] = {}  # token_key() of a refresh token -> when
        # token_key() of a refresh token that rotation replaced -> when its grace period ends
        self.rotated: dict[str, float] = {}

    def clock(self) -> float:
        """The server's "now" in epoch seconds (real time plus any test offset)."""
        return self._base_clock() + self.time_offset

    # ---- pools and outboxes -------------------------------------------------------------

    def attach_pool_outbox(self, pool_id: str, outbox: Outbox) -> None:
        """Also deliver that pool's messages to ``outbox`` (one clean outbox per test pool)."""
        with self.lock:
            self._pool_outboxes[pool_id] = outbox

    def pool_outbox(self, pool_id: str) -> Outbox | None:
        """The outbox attached to a pool, if any."""
        with self.lock:
            return self._pool_outboxes.get(pool_id)

    def detach_pool(self, pool_id: str) -> None:
        """Forget a pool's outbox, passkey settings and per-user state."""
        with self.lock:
            self._pool_outboxes.pop(pool_id, None)
            self.web_authn.pop(pool_id, None)
            forget(pool_id)
            for key in [k for k in self.users if k[0] == pool_id]:
                del self.users[key]

    def web_authn_settings(self, pool_id: str) -> WebAuthnSettings:
        """The pool's passkey settings (the defaults until set)."""
        with self.lock:
            return self.web_authn.get(pool_id) or WebAuthnSettings()

    def set_web_authn(self, pool_id: str, settings: WebAuthnSettings) -> None:
        """Set the pool's passkey settings (LocalCognito's options, SetUserPoolMfaConfig)."""
        with self.lock:
            self.web_authn[pool_id] = settings

    # ---- state files (LocalCognito(state=...), local/_state_file.py) ----------------------

    def export_pool(
        self, pool: mi.MotoPool
    ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
        """The strict side of one pool for a state file: each user's state (the password's
        verifier, never the password) and the pending codes. Call with :attr:`lock` held."""
        users: dict[str, dict[str, Any]] = {}
        for user in pool.users():
            self.verifier(pool, user)  # adopts a password moto was given behind our back
            users[user.username] = self.user_state(pool, user).to_json()
        now = self.clock()
        codes = [
            {"username": key[1], "purpose": key[2], "attribute": key[3], **code.to_json()}
            for key, code in self.codes.items()
            if key[0] == pool.id and not code.used and code.expires_at > now
        ]
        return users, codes

    def import_pool(
        self, pool: mi.MotoPool, users: dict[str, dict[str, Any]], codes: list[dict[str, Any]]
    ) -> None:
        """Restore :meth:`export_pool`'s output for a pool just rebuilt in moto; the pending
        codes are "sent" again, so the outbox shows them. Call with :attr:`lock` held.

        :raises KeyError, TypeError, ValueError: for malformed data.
        """
        for user in pool.users():
            data = users.get(user.username)
            state = UserState.from_json(data) if data is not None else UserState()
            self.users[(pool.id, user.username)] = state
            self.scrub_password(pool, user)
        for entry in codes:
            purpose, attribute = str(entry["purpose"]), str(entry["attribute"])
            if purpose not in CODE_TTL:
                raise ValueError(f"unknown code purpose {purpose!r}")
            owner = pool.user_by_username(str(entry["username"]))
            if owner is None:
                continue
            code = Code.from_json(entry)
            self.codes[(pool.id, owner.username, purpose, attribute)] = code
            self.send(pool, owner, purpose, code.code, attribute, code.destination)

    # ---- users ----------------------------------------------------------------------------

    def user_state(self, pool: mi.MotoPool, user: mi.MotoUser) -> UserState:
        """The strict layer's record of a user, created on first use."""
        return self.users.setdefault((pool.id, user.username), UserState())

    def forget_user(self, pool: mi.MotoPool, user: mi.MotoUser) -> None:
        """Drop the strict layer's record of a user (the user is being deleted)."""
        self.users.pop((pool.id, user.username), None)

    # ---- passwords: only their SRP verifiers are kept --------------------------------------

    def set_password(self, pool: mi.MotoPool, user: mi.MotoUser, password: str) -> None:
        """Keep the new password's verifier (fresh salt) and take the password away from moto.

        moto's user model has a password field, which moto's own checks read; every check
        on this server goes through the verifier instead, so moto gets a random placeholder
        that no one can know (its checks, if ever reached, fail).
        """
        state = self.user_state(pool, user)
        state.verifier = PasswordVerifier.create(srp_group(pool), user.username, str(password))
        self.scrub_password(pool, user)

    def scrub_password(self, pool: mi.MotoPool, user: mi.MotoUser) -> None:
        """Put a fresh random placeholder where moto keeps the user's password."""
        state = self.user_state(pool, user)
        state.placeholder = "local-cognito:no-password:" + secrets.token_urlsafe(24)
        user.password = state.placeholder

    def verifier(self, pool: mi.MotoPool, user: mi.MotoUser) -> PasswordVerifier | None:
        """The user's password verifier; a password moto holds that is not our placeholder
        (set through a path the strict layer does not own) is adopted first."""
        state = self.user_state(pool, user)
        held = user.password
        if held is not None and held != state.placeholder:
            self.set_password(pool, user, held)
        return state.verifier

    def password_matches(self, pool: mi.MotoPool, user: mi.MotoUser, given: Any) -> bool:
        """Whether ``given`` is the user's password, checked against its verifier."""
        verifier = self.verifier(pool, user)
        if verifier is None or given is None:
            return False
        return verifier.matches(srp_group(pool), user.username, str(given))

    # ---- codes --------------------------------------------------------------------------

    def send(
        self,
        pool: mi.MotoPool,
        user: mi.MotoUser,
        purpose: str,
        code: str,
        attribute: str | None,
        destination: str,
    ) -> None:
        """Deliver a message to the server's outbox and to the pool's, if it has one."""
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

    def issue_code(
        self,
        pool: mi.MotoPool,
        user: mi.MotoUser,
        purpose: str,
        attribute: str,
        destination: str,
    ) -> str:
        """A new code for (user, purpose, attribute), sent; it supersedes the previous one."""
        key = (pool.id, user.username, purpose, attribute)
        stale = self._stale_codes.setdefault(key, set())
        previous = self.codes.get(key)
        if previous is not None:
            stale.add(previous.code)  # a new code supersedes the old one
        code = f"{secrets.randbelow(10**6):06d}"
        while code in stale:
            code = f"{secrets.randbelow(10**6):06d}"
        self.codes[key] = Code(code, self.clock() + CODE_TTL[purpose], destination=destination)
        self.send(pool, user, purpose, code, attribute, destination)
        return code

    def check_code(
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
        current = self.codes.get(key)
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

    # ---- challenge sessions ---------------------------------------------------------------

    def new_session(
        self, pool: mi.MotoPool, client: mi.MotoClient, user: mi.MotoUser, challenge: str, **kw: Any
    ) -> Session:
        """A fresh session for ``challenge``, valid for the client's AuthSessionValidity."""
        minutes = int(client.config.get("AuthSessionValidity") or 3)
        session = Session(
            id=base64.urlsafe_b64encode(secrets.token_bytes(96)).decode(),
            pool_id=pool.id,
            client_id=client.id,
            username=user.username,
            challenge=challenge,
            expires_at=self.clock() + minutes * 60,
            **kw,
        )
        self.sessions[session.id] = session
        if challenge == "PASSWORD_VERIFIER" and session.srp is not None:
            session.block_key = hashlib.sha256(session.srp.secret_block).hexdigest()
            self._sessions_by_block[session.block_key] = session.id
        return session

    def session_by_block(self, block: str) -> str:
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

    def take_session(self, session_id: str | None, client_id: str) -> Session:
        """Look up a challenge session; it is removed (single use) by the caller's success."""
        if not session_id:
            raise msg.SESSION_MISSING.error()
        if session_id in self.used_sessions:
            raise msg.SESSION_USED.error()
        session = self.sessions.get(session_id)
        if session is None or session.expires_at <= self.clock():
            if session is not None:
                self._drop(session)
            raise msg.SESSION_EXPIRED.error()
        if session.client_id != client_id:
            raise msg.SESSION_INVALID.error()
        return session

    def _drop(self, session: Session) -> None:
        self.sessions.pop(session.id, None)
        if session.block_key is not None:
            self._sessions_by_block.pop(session.block_key, None)

    def consume(self, session: Session) -> None:
        """End a session for good: a second answer on it is "already used"."""
        self._drop(session)
        self.used_sessions.add(session.id)

    # ---- tokens ---------------------------------------------------------------------------

    def revoke_access_token(self, pool: mi.MotoPool, token: str) -> None:
        """Refuse an access token from now on, and drop it from moto's table."""
        self.revoked_access.add(token_key(token))
        pool.forget_access_token(token)

    def sign_out(self, pool: mi.MotoPool, user: mi.MotoUser) -> None:
        """Revoke every access and refresh token of the user (GlobalSignOut semantics)."""
        for token in pool.access_tokens_of(user.username):
            self.revoke_access_token(pool, token)
        for token in pool.refresh_tokens_of(user.username):
            pool.revoke_refresh_token(token)
