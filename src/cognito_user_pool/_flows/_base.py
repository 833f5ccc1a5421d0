"""What every flow needs from the pool: one way to call Cognito, SECRET_HASH, a bounded memory,
and who is signed in (``auth``), resolved to an access token in one place."""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeAlias, TypeVar, runtime_checkable

import anyio.to_thread

from .. import _validate as v
from .._config import PoolConfig
from .._errors import (
    CodeMismatchError,
    CognitoError,
    InvalidParameterError,
    OutcomeUnknownError,
    UnexpectedError,
    UnexpectedResponseError,
)
from .._srp import SrpSession, secret_hash
from .._tokens import internal_username, tokens_from_result, tokens_or_challenge
from .._types import Challenge, RefreshToken, Tokens, TotpSecret

__all__ = [
    "AccessTokenSource",
    "FlowBase",
    "LruMemory",
    "RevocableSource",
    "UserAuth",
    "with_progress",
]

K = TypeVar("K")
V = TypeVar("V")


@runtime_checkable
class AccessTokenSource(Protocol):  # pragma: no mutate block
    """Hands out a valid access token on demand, refreshing as needed (``UserSession``)."""

    async def access_token(self) -> str: ...

    async def logout(self) -> None: ...


@runtime_checkable
class RevocableSource(AccessTokenSource, Protocol):  # pragma: no mutate block
    """A source that can also sign out its own session alone (``UserSession.revoke``)."""

    async def revoke(self) -> None: ...


UserAuth: TypeAlias = str | Tokens | RefreshToken | AccessTokenSource
"""Who a signed-in flow acts for, as the caller holds it: an access token, the ``Tokens``
that ``login`` returned, a ``RefreshToken`` alone (refreshed first), or a ``UserSession``
(which refreshes itself)."""

_AUTH_KINDS = "an access token (str), Tokens, a RefreshToken or a UserSession"


class LruMemory(Generic[K, V]):
    """A dict that forgets its oldest entries past ``maxsize``, so memory stays bounded."""

    def __init__(self, maxsize: int) -> None:
        self._maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self._maxsize:
            self._data.popitem(last=False)

    def get(self, key: K) -> V | None:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def pop(self, key: K) -> V | None:
        return self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)


def _fingerprint(secret: str) -> str:
    """Memory is keyed by a hash so that it holds no extra copy of a token or session."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def with_progress(
    exc: CognitoError, done: tuple[str, ...], not_done: tuple[str, ...]
) -> CognitoError:
    """The same error, saying which steps of a composite flow completed and which did not.

    For an ``OutcomeUnknownError`` the failed step (the first of ``not_done``) may have been
    applied: it is named as such, and only the steps after it are "not done"."""
    message = exc.message
    if isinstance(exc, OutcomeUnknownError) and not_done:
        unknown, not_done = not_done[0], not_done[1:]
        message += f" (outcome unknown: {unknown}"
        message += f"; done: {'; '.join(done)}" if done else ""
        message += f"; not done: {'; '.join(not_done)})" if not_done else ")"
        return OutcomeUnknownError(message, done=done, not_done=not_done)
    if done:
        message += f" (done: {'; '.join(done)}"
        message += f"; not done: {'; '.join(not_done)})" if not_done else ")"
    elif not_done:
        message += f" (nothing was changed; not done: {'; '.join(not_done)})"
    return type(exc)(message, code=exc.code, done=done, not_done=not_done)


class FlowBase:
    """The services flows rely on; ``AsyncUserPool`` provides ``_call``."""

    _config: PoolConfig
    # Challenge sessions -> (challenge name, internal username), so that an answer needs
    # only what `login` returned; refresh tokens -> internal username, for SECRET_HASH.
    _sessions: LruMemory[str, tuple[str, str]]
    _refresh_owners: LruMemory[str, str]
    # Set once Cognito refused REFRESH_TOKEN_AUTH because the app client rotates refresh
    # tokens (``refresh_token_rotation=None``): later refreshes skip the refused request.
    _rotation_detected: bool = False

    async def _call(self, operation: str, /, **params: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _secret_hash(self, username: str) -> dict[str, str]:
        """``{"SECRET_HASH": ...}`` for app clients with a secret, else ``{}``."""
        secret = self._config.client_secret
        if secret is None:
            return {}
        return {"SECRET_HASH": secret_hash(username, self._config.client_id, secret)}

    def _secret_hash_param(self, username: str) -> dict[str, str]:
        """The same, under the ``SecretHash`` key that non-auth operations use."""
        value = self._secret_hash(username)
        return {"SecretHash": value["SECRET_HASH"]} if value else {}

    def _remember_session(self, session: str, challenge: str, username: str) -> None:
        self._sessions.put(_fingerprint(session), (challenge, username))

    def _recall_session(self, session: str) -> tuple[str, str] | None:
        return self._sessions.get(_fingerprint(session))

    def _forget_session(self, session: str) -> None:
        self._sessions.pop(_fingerprint(session))

    def _remember_refresh_owner(self, refresh_token: str, username: str) -> None:
        self._refresh_owners.put(_fingerprint(refresh_token), username)

    def _forget_refresh_owner(self, refresh_token: str) -> None:
        self._refresh_owners.pop(_fingerprint(refresh_token))

    def _refresh_owner(
        self, refresh_token: str, id_token: str | None, access_token: str | None
    ) -> str | None:
        """The internal username for a refresh's SECRET_HASH: from the tokens given, else
        from what this pool learned at login; ``None`` when neither knows."""
        for token, field in ((id_token, "id_token"), (access_token, "access_token")):
            if token is not None:
                name = internal_username(token, field)
                if name is not None:
                    return name
        return self._refresh_owners.get(_fingerprint(refresh_token))

    async def _access_token(self, auth: UserAuth) -> str:
        """The access token a user operation needs, from whatever ``auth`` the caller holds.

        :raises InvalidParameterError: ``auth`` is none of the kinds above, or malformed.
        """
        if isinstance(auth, str):
            return _access_token_str(auth)
        if isinstance(auth, Tokens):
            return _access_token_str(auth.access_token)
        if isinstance(auth, RefreshToken):
            tokens = await self._refresh(auth.token, auth.id_token, None)
            return tokens.access_token
        if isinstance(auth, AccessTokenSource):
            return v.token(await auth.access_token(), "auth")
        raise InvalidParameterError(
            f"auth must be {_AUTH_KINDS}, not {type(auth).__name__}", field="auth"
        )

    async def _refresh(
        self,
        refresh_token: str,
        id_token: str | None,
        access_token: str | None,
        *,
        device_key: str | None = None,
    ) -> Tokens:
        """New tokens from a refresh token: REFRESH_TOKEN_AUTH (with the SECRET_HASH of the
        internal username the other tokens or this pool's own logins reveal), or
        GetTokensFromRefreshToken for app clients that rotate refresh tokens
        (``PoolConfig.refresh_token_rotation``; detected when left ``None``).

        :param device_key: the remembered device's key, which pools that track devices
            want with every refresh (docs/cognito-facts.md#refreshing-tokens).
        :returns: ``Tokens`` with the new refresh token when Cognito rotated it, else the
            one given.
        """
        refresh_token = v.token(refresh_token, "refresh_token")
        id_token = None if id_token is None else v.token(id_token, "id_token")
        access_token = None if access_token is None else v.token(access_token, "access_token")
        owner = self._refresh_owner(refresh_token, id_token, access_token)
        if device_key is None:
            # A remembered device of this user, from the pool's device store. Imported here:
            # devices.py builds on this module.
            from .devices import stored_device_key

            device_key = await stored_device_key(self, owner)
        if self._rotates():
            result = await self._tokens_from_refresh_token(refresh_token, device_key)
        else:
            owner = self._require_refresh_owner(refresh_token, id_token, access_token)
            params = {"REFRESH_TOKEN": refresh_token}
            if owner is not None:
                params.update(self._secret_hash(owner))
            if device_key is not None:
                params["DEVICE_KEY"] = device_key
            try:
                response = await self._call(
                    "InitiateAuth",
                    AuthFlow="REFRESH_TOKEN_AUTH",
                    ClientId=self._config.client_id,
                    AuthParameters=params,
                )
            except CognitoError as exc:
                if self._config.refresh_token_rotation is not None or not _refused_for_rotation(
                    exc
                ):
                    raise
                # The app client rotates refresh tokens: from now on this pool object sends
                # GetTokensFromRefreshToken, which every app client accepts.
                self._rotation_detected = True
                result = await self._tokens_from_refresh_token(refresh_token, device_key)
            else:
                result = response.get("AuthenticationResult")
        if not result:
            raise UnexpectedResponseError("Cognito answered the refresh without tokens")
        tokens = tokens_from_result(result, previous_refresh_token=refresh_token)
        if tokens.refresh_token != refresh_token:
            self._forget_refresh_owner(refresh_token)  # rotated: the old one is on its way out
        self._learn_owner(tokens, owner)
        return tokens

    def _rotates(self) -> bool:
        """Whether refreshes go through GetTokensFromRefreshToken: configured, or detected."""
        configured = self._config.refresh_token_rotation
        return self._rotation_detected if configured is None else configured

    async def _tokens_from_refresh_token(
        self, refresh_token: str, device_key: str | None
    ) -> Mapping[str, Any] | None:
        """GetTokensFromRefreshToken's ``AuthenticationResult``. It takes the client secret
        itself, not a SECRET_HASH (botocore's model), so it needs no internal username."""
        params: dict[str, str] = {"ClientId": self._config.client_id, "RefreshToken": refresh_token}
        if self._config.client_secret is not None:
            params["ClientSecret"] = self._config.client_secret
        if device_key is not None:
            params["DeviceKey"] = device_key
        response = await self._call("GetTokensFromRefreshToken", **params)
        result: Mapping[str, Any] | None = response.get("AuthenticationResult")
        return result

    def _learn_owner(self, tokens: Tokens, fallback: str | None) -> None:
        """Remember whose refresh token this is, for the SECRET_HASH of later refreshes."""
        if tokens.refresh_token is None:
            return
        owner = tokens.username or internal_username(tokens.id_token, "IdToken") or fallback
        if owner is not None:
            self._remember_refresh_owner(tokens.refresh_token, owner)

    def _resume(
        self, username: str, login_session: str | Challenge | TotpSecret, default_name: str | None
    ) -> tuple[str, str, str]:
        """(session, challenge name, internal username) for answering a challenge."""
        if isinstance(login_session, TotpSecret):
            if login_session.session is None:
                raise InvalidParameterError(
                    "login_session: this TotpSecret is a signed-in user's, not a sign-in's",
                    field="login_session",
                )
            internal = login_session.username or username
            return (
                v.session(login_session.session),
                "MFA_SETUP",
                v.username(internal, "login_session"),
            )
        if isinstance(login_session, Challenge):
            if not isinstance(login_session.name, str):
                raise InvalidParameterError(
                    "login_session is not a Challenge that login returned", field="login_session"
                )
            return (
                v.session(login_session.session),
                login_session.name,
                v.username(login_session.username, "login_session"),
            )
        session = v.session(login_session)
        known = self._recall_session(session)
        if known is not None:
            return session, known[0], known[1]
        return session, default_name or "SMS_MFA", username

    async def _answer(
        self, name: str, session: str, internal: str, answers: dict[str, str]
    ) -> Tokens | Challenge:
        """Answer a challenge: tokens, or the next challenge (remembered for its answer)."""
        return self._outcome(await self._respond(name, session, internal, answers), internal)

    async def _every_page(
        self, operation: str, items: str, token: str, **request: Any
    ) -> list[Any]:
        """Every item under ``items`` of every page of a user's listing (ListDevices,
        ListWebAuthnCredentials): each request carries the previous answer's ``token``.

        :raises UnexpectedResponseError: Cognito repeated a page token (the listing would
            never end).
        """
        found: list[Any] = []
        seen: set[str] = set()
        while True:
            response = await self._call(operation, **request)
            found.extend(response.get(items) or ())
            following = response.get(token)
            if not following:
                return found
            if following in seen:
                raise UnexpectedResponseError(f"Cognito repeated a {operation} pagination token")
            seen.add(following)
            request[token] = str(following)

    async def _respond(
        self, name: str, session: str, internal: str, answers: dict[str, str], **extra: Any
    ) -> dict[str, Any]:
        """RespondToAuthChallenge with the SECRET_HASH added; Cognito's answer as it is.

        The session is used up, unless Cognito refused a wrong code (it may let the user try
        another on the same session)."""
        answers.update(self._secret_hash(internal))
        try:
            response = await self._call(
                "RespondToAuthChallenge",
                ClientId=self._config.client_id,
                ChallengeName=name,
                Session=session,
                ChallengeResponses=answers,
                **extra,
            )
        except CodeMismatchError:
            raise
        except CognitoError:
            self._forget_session(session)
            raise
        # Answered: the session is used up, and the answer carries the next one.
        self._forget_session(session)
        return response

    async def _password_verifier(
        self, srp: SrpSession, response: Mapping[str, Any], username: str, **extra: Any
    ) -> Tokens | Challenge:
        """Answer the PASSWORD_VERIFIER that ``response`` asks for with ``srp``'s proof (the
        password never leaves this process), for the flows that start an SRP exchange inside
        another (USER_AUTH's PASSWORD_SRP, CUSTOM_AUTH's password first). ``login`` answers
        its own, between its device steps.

        :raises UnexpectedResponseError: the challenge came without a session.
        """
        session = response.get("Session")
        if not isinstance(session, str) or not session:
            raise UnexpectedResponseError("Cognito asked for PASSWORD_VERIFIER without a session")
        parameters = response.get("ChallengeParameters") or {}
        answers = await anyio.to_thread.run_sync(srp.password_verifier_responses, parameters)
        internal = answers["USERNAME"] or username
        answered = await self._respond("PASSWORD_VERIFIER", session, internal, answers, **extra)
        return self._outcome(answered, internal)

    async def _srp_session(self, username: str, password: str) -> SrpSession:
        """An SRP exchange for ``username``; its maths (tens of milliseconds of CPU) runs off
        the event loop."""
        config = self._config
        return await anyio.to_thread.run_sync(
            functools.partial(
                SrpSession,
                pool_id=config.user_pool_id,
                client_id=config.client_id,
                username=username,
                password=password,
                client_secret=config.client_secret,
            )
        )

    def _outcome(self, response: Mapping[str, Any], internal: str) -> Tokens | Challenge:
        """Tokens when Cognito sent them, else the next challenge (remembered for its answer)."""
        outcome = tokens_or_challenge(response, internal)
        if isinstance(outcome, Tokens):
            self._learn_owner(outcome, internal)
        else:
            self._remember_session(outcome.session, outcome.name, outcome.username)
        return outcome

    async def _tell_signed_out(
        self, auth: UserAuth, access_token: str, *, everywhere: bool
    ) -> None:
        """Tell the pool's ``revocations`` listener (if any) that these tokens were signed
        out, so that verifiers sharing it refuse them before they expire."""
        listener = self._config.revocations
        if listener is None:
            return
        ids = (auth.id_token,) if isinstance(auth, Tokens) and auth.id_token else ()
        done = ("GlobalSignOut",) if everywhere else ("RevokeToken",)
        not_done = ("recording the sign-out for verifiers (revocations)",)
        try:
            await listener.signed_out(access_token, *ids, everywhere=everywhere)
        except CognitoError as exc:
            raise with_progress(exc, done, not_done) from exc
        except Exception as exc:
            # Only the type: a foreign message might quote a token.
            raise with_progress(
                UnexpectedError(f"the revocations listener failed ({type(exc).__name__})"),
                done,
                not_done,
            ) from exc

    def _require_refresh_owner(
        self, refresh_token: str, id_token: str | None, access_token: str | None
    ) -> str | None:
        owner = self._refresh_owner(refresh_token, id_token, access_token)
        if owner is None and self._config.client_secret is not None:
            raise InvalidParameterError(
                "this app client has a secret, so a refresh needs the internal username for "
                "its SECRET_HASH: pass id_token or access_token with the refresh_token "
                "(this pool object only remembers the users it logged in itself)",
                field="id_token",
            )
        return owner


# What Cognito answers REFRESH_TOKEN_AUTH for an app client that rotates refresh tokens. AWS
# documents the refusal ("You can't authenticate with REFRESH_TOKEN_AUTH in app clients with
# refresh token rotation enabled", developer guide, "Refresh tokens") but not its words; AWS's
# advice is to take ALLOW_REFRESH_TOKEN_AUTH off such clients (aws-amplify/amplify-android
# #3113), whose refusal reads "REFRESH_TOKEN_AUTH flow not enabled for this client"
# (InvalidParameterException; local/_messages.py FLOW_NOT_ENABLED). Either is recognised;
# GetTokensFromRefreshToken, tried next, works for every app client.
def _refused_for_rotation(exc: CognitoError) -> bool:
    text = exc.message.lower()
    if "rotation" in text and exc.code in ("InvalidParameterException", "NotAuthorizedException"):
        return True
    return (
        exc.code == "InvalidParameterException"
        and "refresh_token" in text
        and ("not enabled" in text or "not supported" in text)
    )


def _access_token_str(token: object) -> str:
    """An access token as given: a non-empty string shaped like a JWT (three parts), so
    that a username passed by mistake is refused before the network."""
    token = v.token(token, "auth")
    if token.count(".") != 2:
        raise InvalidParameterError(
            "auth: a string is taken as an access token, a JWT (header.payload.signature); "
            f"this one is not. Pass {_AUTH_KINDS}",
            field="auth",
        )
    return token
