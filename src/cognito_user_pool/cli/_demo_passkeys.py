"""The demo's passkey steps (issue 18): register a passkey for the signed-in user, list it,
sign in with it (USER_AUTH's WEB_AUTHN), see a tampered assertion refused, delete it.

A passkey needs a browser and an authenticator. On the local Cognito the local package's
``SoftAuthenticator`` plays both; against a real pool (``demo --real``) there is no browser
here, so the steps are skipped and say so.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from cognito_user_pool import Challenge, CognitoError, Tokens, UserPool

from ._demo_base import OK, NotOffered, Step, Unexpected

__all__ = ["PasskeyAuthenticator", "PasskeySteps"]


class PasskeyAuthenticator(Protocol):
    """What the steps need of an authenticator: make a credential, sign an assertion, both
    as the browser's ``credential.toJSON()``."""

    def create(self, options: dict[str, Any]) -> dict[str, Any]: ...

    def get(self, options: dict[str, Any]) -> dict[str, Any]: ...


def _tampered(assertion: dict[str, Any]) -> dict[str, Any]:
    """The assertion with one bit of its signature flipped."""
    response = dict(assertion["response"])
    raw = bytearray(base64.urlsafe_b64decode(response["signature"] + "=="))
    raw[-1] ^= 1
    response["signature"] = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return {**assertion, "response": response}


@dataclass
class PasskeySteps:
    """These steps for the demo's main user, signed in (``tokens()``) when they run."""

    pool: UserPool
    username: str
    tokens: Callable[[], Tokens]
    authenticator: PasskeyAuthenticator | None

    def __post_init__(self) -> None:
        self._challenge: Challenge | None = None
        self._made: dict[str, Any] | None = None
        self._credential_id: str | None = None

    def steps(self) -> list[Step]:
        return [
            Step("passkey: creation options", "start_web_authn_registration", OK, self._start),
            Step(
                "register the passkey the browser made",
                "complete_web_authn_registration",
                OK,
                self._complete,
            ),
            Step("list the passkeys", "list_web_authn_credentials", OK, self._list),
            Step("sign in with the passkey: WEB_AUTHN", "user_auth", OK, self._sign_in),
            Step("answer with the passkey's assertion", "login_web_authn", OK, self._answer),
            Step(
                "answer with a TAMPERED assertion",
                "login_web_authn",
                "NotAuthorizedException",
                self._answer_tampered,
            ),
            Step("delete the passkey", "delete_web_authn_credential", OK, self._delete),
        ]

    def _need_authenticator(self) -> PasskeyAuthenticator:
        if self.authenticator is None:
            raise NotOffered("a passkey needs a browser and an authenticator")
        return self.authenticator

    def _start(self) -> str:
        authenticator = self._need_authenticator()
        try:
            options = self.pool.start_web_authn_registration(auth=self.tokens())
        except CognitoError as exc:
            if exc.code in ("WebAuthnNotEnabledException", "WebAuthnConfigurationMissingException"):
                raise NotOffered(exc.message) from exc
            raise
        self._made = authenticator.create(options)
        rp = options.get("rp", {}).get("id", "?")
        return f"for the relying party {rp}; the software authenticator made a key pair"

    def _complete(self) -> str:
        made = self._made
        if made is None:
            raise NotOffered("no passkey was made")
        self.pool.complete_web_authn_registration(auth=self.tokens(), credential=made)
        self._credential_id = str(made["id"])
        return "Cognito verified the attestation and keeps the public key"

    def _list(self) -> str:
        listed = self.pool.list_web_authn_credentials(auth=self.tokens())
        if self._credential_id is not None and not any(
            p.credential_id == self._credential_id for p in listed
        ):
            raise Unexpected("the new passkey is not listed")
        return f"{len(listed)} passkey(s)"

    def _begin(self) -> Challenge:
        result = self.pool.user_auth(username=self.username, preferred_challenge="WEB_AUTHN")
        if not isinstance(result, Challenge) or result.name != "WEB_AUTHN":
            got = "tokens" if isinstance(result, Tokens) else result.name
            raise Unexpected(f"Cognito answered {got}, not WEB_AUTHN")
        return result

    def _sign_in(self) -> str:
        if self._credential_id is None:
            raise NotOffered("no passkey is registered")
        self._challenge = self._begin()
        return "Cognito sent the request options for the browser"

    def _assertion(self, challenge: Challenge) -> dict[str, Any]:
        options = challenge.credential_request_options
        if options is None:
            raise Unexpected("WEB_AUTHN came without request options")
        return self._need_authenticator().get(options)

    def _answer(self) -> str:
        if self._challenge is None:
            raise NotOffered("no WEB_AUTHN challenge")
        result = self.pool.login_web_authn(
            username=self.username,
            login_session=self._challenge,
            credential=self._assertion(self._challenge),
        )
        if not isinstance(result, Tokens):
            raise Unexpected(f"Cognito asked for {result.name}")
        return "signed in: no password, no code"

    def _answer_tampered(self) -> str:
        if self._credential_id is None:
            raise NotOffered("no passkey is registered")
        challenge = self._begin()
        self.pool.login_web_authn(
            username=self.username,
            login_session=challenge,
            credential=_tampered(self._assertion(challenge)),
        )
        return "accepted"

    def _delete(self) -> str:
        if self._credential_id is None:
            raise NotOffered("no passkey is registered")
        self.pool.delete_web_authn_credential(auth=self.tokens(), credential_id=self._credential_id)
        return "deleted: it signs in no more"
