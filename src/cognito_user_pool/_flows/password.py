"""Passwords: change while signed in, forgot, reset with a code."""

from __future__ import annotations

from .. import _validate as v
from .._types import CodeDeliveryDetails
from ._base import FlowBase, UserAuth
from ._blocking import blocking
from ._registry import flow

__all__ = ["PasswordBlocking", "PasswordFlows"]


class PasswordFlows(FlowBase):
    """password_change, password_forgot, password_reset."""

    @flow
    async def password_change(
        self,
        *,
        auth: UserAuth,
        old_password: str,
        new_password: str,
    ) -> None:
        """Change a signed-in user's password (ChangePassword).

        :raises NotAuthorizedError: ``old_password`` is wrong, or the token was revoked.
        :raises InvalidPasswordError: ``new_password`` breaks the pool's policy.
        """
        old_password = v.password(old_password, "old_password")
        new_password = v.password(new_password, "new_password")
        token = await self._access_token(auth)
        await self._call(
            "ChangePassword",
            PreviousPassword=old_password,
            ProposedPassword=new_password,
            AccessToken=token,
        )

    @flow
    async def password_forgot(self, *, username: str) -> CodeDeliveryDetails | None:
        """Send a password-reset code (ForgotPassword).

        :returns: where the code went.
        :raises UserNotFoundError: no such user (when the pool reveals it).
        """
        username = v.username(username)
        response = await self._call(
            "ForgotPassword",
            ClientId=self._config.client_id,
            Username=username,
            **self._secret_hash_param(username),
        )
        return CodeDeliveryDetails.from_aws(response.get("CodeDeliveryDetails"))

    @flow
    async def password_reset(
        self, *, username: str, password_reset_code: str, new_password: str
    ) -> None:
        """Set a new password with the code from ``password_forgot`` (ConfirmForgotPassword).

        :raises CodeMismatchError: wrong code.
        :raises ExpiredCodeError: the code expired or was already used.
        """
        username = v.username(username)
        password_reset_code = v.code(password_reset_code, "password_reset_code")
        new_password = v.password(new_password, "new_password")
        await self._call(
            "ConfirmForgotPassword",
            ClientId=self._config.client_id,
            Username=username,
            ConfirmationCode=password_reset_code,
            Password=new_password,
            **self._secret_hash_param(username),
        )


class PasswordBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    password_change = blocking(PasswordFlows.password_change)
    password_forgot = blocking(PasswordFlows.password_forgot)
    password_reset = blocking(PasswordFlows.password_reset)
