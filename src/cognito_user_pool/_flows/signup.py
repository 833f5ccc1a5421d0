"""Signing up: SignUp, ConfirmSignUp, ResendConfirmationCode."""

from __future__ import annotations

from collections.abc import Mapping

from .. import _validate as v
from .._types import CodeDeliveryDetails, SignUpConfirmation, SignUpResult
from ._base import FlowBase
from ._blocking import blocking
from ._registry import flow

__all__ = ["SignUpBlocking", "SignUpFlows"]


class SignUpFlows(FlowBase):
    """signup, signup_confirm, signup_resend."""

    @flow
    async def signup(
        self,
        *,
        username: str,
        password: str,
        attributes: Mapping[str, str] | list[dict[str, str]] | None = None,
    ) -> SignUpResult:
        """Register a new user (SignUp). Cognito then sends a confirmation code, unless the
        pool confirms users automatically.

        :param attributes: ``[{"Name": "email", "Value": ...}]`` or ``{"email": ...}``.
        :raises UsernameExistsError: the username is taken.
        :raises InvalidPasswordError: the password breaks the pool's policy.
        """
        username = v.username(username)
        password = v.password(password)
        attrs = v.attributes(attributes) if attributes is not None else {}
        response = await self._call(
            "SignUp",
            ClientId=self._config.client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": k, "Value": str(value)} for k, value in attrs.items()],
            **self._secret_hash_param(username),
        )
        return SignUpResult(
            username=username,
            user_confirmed=bool(response.get("UserConfirmed", False)),
            user_sub=response.get("UserSub"),
            code_delivery_details=CodeDeliveryDetails.from_aws(response.get("CodeDeliveryDetails")),
        )

    @flow
    async def signup_confirm(self, *, username: str, confirmation_code: str) -> SignUpConfirmation:
        """Confirm a sign-up with the code Cognito sent (ConfirmSignUp).

        ``ForceAliasCreation`` is on, as in the Node library: an email or phone alias moves
        to this user even if another unconfirmed user claimed it.

        :returns: the confirmation, with the session that signs the user in without asking
            again (``user_auth(username=..., session=confirmation.session)``) where the app
            client allows choice-based sign-in (``ALLOW_USER_AUTH``).

        :raises CodeMismatchError: wrong code.
        :raises ExpiredCodeError: the code expired or was superseded by a newer one.
        """
        username = v.username(username)
        confirmation_code = v.code(confirmation_code, "confirmation_code")
        response = await self._call(
            "ConfirmSignUp",
            ClientId=self._config.client_id,
            Username=username,
            ConfirmationCode=confirmation_code,
            ForceAliasCreation=True,
            **self._secret_hash_param(username),
        )
        session = response.get("Session")
        return SignUpConfirmation(username, session if isinstance(session, str) else None)

    @flow
    async def signup_resend(self, *, username: str) -> CodeDeliveryDetails | None:
        """Send the sign-up confirmation code again (ResendConfirmationCode).

        :returns: where the code went.
        :raises LimitExceededError: too many codes asked for.
        """
        username = v.username(username)
        response = await self._call(
            "ResendConfirmationCode",
            ClientId=self._config.client_id,
            Username=username,
            **self._secret_hash_param(username),
        )
        return CodeDeliveryDetails.from_aws(response.get("CodeDeliveryDetails"))


class SignUpBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    signup = blocking(SignUpFlows.signup)
    signup_confirm = blocking(SignUpFlows.signup_confirm)
    signup_resend = blocking(SignUpFlows.signup_resend)
