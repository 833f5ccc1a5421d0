"""Sign-in on the server side: AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH) and
AdminRespondToAuthChallenge, with the user flows' ``Tokens`` and ``Challenge``.

The password goes to Cognito over TLS, signed with the backend's IAM credentials, instead
of the SRP exchange a client runs: for backends that receive a user's password themselves
(a migration, a legacy login form). The app client must allow
``ALLOW_ADMIN_USER_PASSWORD_AUTH``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import _validate as v
from .._errors import InvalidParameterError
from .._flows._blocking import blocking
from .._srp import secret_hash
from .._tokens import tokens_or_challenge
from .._types import Challenge, Tokens
from ._base import AdminBase
from ._registry import admin_operation

__all__ = ["AdminAuth", "AdminAuthBlocking"]


class AdminAuth(AdminBase):
    """The server-side sign-in."""

    @admin_operation
    async def admin_initiate_auth(self, *, username: str, password: str) -> Tokens | Challenge:
        """Sign a user in with their password (AdminInitiateAuth, ADMIN_USER_PASSWORD_AUTH).

        :returns: ``Tokens``, or the ``Challenge`` to answer with
            ``admin_respond_to_auth_challenge`` (``NEW_PASSWORD_REQUIRED`` after an admin
            set a temporary password, an MFA code...).
        :raises InvalidParameterError: the admin client was made without ``client_id``.
        :raises NotAuthorizedError: wrong password, disabled user, or an app client that
            does not allow ADMIN_USER_PASSWORD_AUTH.
        :raises PasswordResetRequiredError: after ``admin_reset_user_password``.
        """
        client_id = self._client_id("admin_initiate_auth")
        username = v.username(username)
        params = {"USERNAME": username, "PASSWORD": v.password(password)}
        params.update(self._secret_hash(username))
        response = await self._call(
            "AdminInitiateAuth",
            UserPoolId=self._config.user_pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters=params,
        )
        return tokens_or_challenge(response, username)

    @admin_operation
    async def admin_respond_to_auth_challenge(
        self, *, challenge: Challenge, responses: Mapping[str, str]
    ) -> Tokens | Challenge:
        """Answer a sign-in challenge (AdminRespondToAuthChallenge): ``USERNAME`` and the
        SECRET_HASH are added for you::

            result = await admin.admin_respond_to_auth_challenge(
                challenge=challenge, responses={"NEW_PASSWORD": new_password}
            )

        :param challenge: what ``admin_initiate_auth`` (or the previous answer) returned.
        :param responses: Cognito's ``ChallengeResponses`` for that challenge:
            ``NEW_PASSWORD`` (and required attributes as ``userAttributes.<name>``),
            ``SMS_MFA_CODE``, ``SOFTWARE_TOKEN_MFA_CODE``, ``EMAIL_OTP_CODE``, ``ANSWER``...
        :returns: ``Tokens``, or the next ``Challenge``.
        """
        client_id = self._client_id("admin_respond_to_auth_challenge")
        if not isinstance(challenge, Challenge):
            raise InvalidParameterError(
                "challenge must be the Challenge that admin_initiate_auth returned",
                field="challenge",
            )
        if not isinstance(responses, Mapping) or not responses:
            raise InvalidParameterError(
                "responses must be a non-empty mapping of Cognito's ChallengeResponses",
                field="responses",
            )
        answers = {
            v.secret_str(key, "responses"): v.secret_str(value, "responses")
            for key, value in responses.items()
        }
        username = v.username(challenge.username, "challenge")
        answers["USERNAME"] = username
        answers.update(self._secret_hash(username))
        response = await self._call(
            "AdminRespondToAuthChallenge",
            UserPoolId=self._config.user_pool_id,
            ClientId=client_id,
            ChallengeName=v.secret_str(challenge.name, "challenge"),
            Session=v.session(challenge.session, "challenge"),
            ChallengeResponses=answers,
        )
        return tokens_or_challenge(response, username)

    def _client_id(self, operation: str) -> str:
        client_id = self._config.client_id
        if client_id is None:
            raise InvalidParameterError(
                f"{operation} signs in through an app client: make the admin client with "
                "client_id (and client_secret if the app client has one)",
                field="client_id",
            )
        return client_id

    def _secret_hash(self, username: str) -> dict[str, str]:
        secret, client_id = self._config.client_secret, self._config.client_id
        if secret is None or client_id is None:
            return {}
        return {"SECRET_HASH": secret_hash(username, client_id, secret)}


class AdminAuthBlocking:
    """The blocking twins, for ``UserPoolAdmin``."""

    admin_initiate_auth = blocking(AdminAuth.admin_initiate_auth, "UserPoolAdmin")
    admin_respond_to_auth_challenge = blocking(
        AdminAuth.admin_respond_to_auth_challenge, "UserPoolAdmin"
    )
