"""The signed-in user's account: signing one session out (RevokeToken), deleting the account
(DeleteUser), and sending an attribute's verification code again
(GetUserAttributeVerificationCode)."""

from __future__ import annotations

from .. import _validate as v
from .._errors import InvalidParameterError, UnexpectedResponseError
from .._types import CodeDeliveryDetails, RefreshToken, Tokens
from ._base import FlowBase, RevocableSource, UserAuth
from ._blocking import blocking
from ._registry import flow

__all__ = ["AccountBlocking", "AccountFlows"]

_REVOCABLE = "Tokens with a refresh token, a RefreshToken or a UserSession"


class AccountFlows(FlowBase):
    """revoke_token, delete_user, get_user_attribute_verification_code."""

    @flow
    async def revoke_token(self, *, auth: UserAuth) -> None:
        """Sign out one session (RevokeToken): its refresh token stops working, and so do the
        access tokens issued from it, at Cognito's own user operations; the user's other
        sessions stay signed in. ``logout`` signs out every session instead.

        RevokeToken needs the refresh token, so ``auth`` is one of: the ``Tokens`` that
        ``login`` returned, a ``RefreshToken``, or a ``UserSession`` (which is marked signed
        out). An access token alone cannot be revoked. The app client's secret is sent with
        the request when the pool has one, as RevokeToken wants.

        As with ``logout``, resource servers that check JWTs locally still accept an access
        token until it expires.

        :raises InvalidParameterError: ``auth`` carries no refresh token.
        :raises CognitoError: with ``code == "UnsupportedOperationException"`` when token
            revocation is off for the app client.
        """
        if isinstance(auth, RevocableSource):
            await auth.revoke()
            return
        token = _refresh_token(auth)
        params = {"ClientId": self._config.client_id, "Token": token}
        if self._config.client_secret is not None:
            params["ClientSecret"] = self._config.client_secret
        await self._call("RevokeToken", **params)
        if isinstance(auth, Tokens):  # a bare refresh token is opaque: no family to name
            await self._tell_signed_out(auth, auth.access_token, everywhere=False)
        self._forget_refresh_owner(token)

    @flow
    async def delete_user(self, *, auth: UserAuth) -> None:
        """Delete the signed-in user's own account (DeleteUser). Every token of the user
        stops working at Cognito; a ``UserSession`` passed as ``auth`` finds out at its next
        refresh, which Cognito refuses (it then counts as signed out).

        :raises NotAuthorizedError: the access token was revoked or has expired.
        """
        token = await self._access_token(auth)
        await self._call("DeleteUser", AccessToken=token)
        if isinstance(auth, Tokens) and auth.refresh_token is not None:
            self._forget_refresh_owner(auth.refresh_token)
        elif isinstance(auth, RefreshToken):
            self._forget_refresh_owner(auth.token)

    @flow
    async def get_user_attribute_verification_code(
        self, *, auth: UserAuth, attribute: str
    ) -> CodeDeliveryDetails:
        """Send the verification code of an attribute (``email`` or ``phone_number``) again,
        or for the first time (GetUserAttributeVerificationCode); confirm it with
        ``profile_attribute_confirm``. The new code replaces the previous one.

        :param attribute: the attribute to verify, e.g. ``email``.
        :returns: where the code went.
        :raises LimitExceededError: too many codes asked for; wait before asking again.
        """
        attribute = v.attribute_name(attribute)
        token = await self._access_token(auth)
        response = await self._call(
            "GetUserAttributeVerificationCode", AccessToken=token, AttributeName=attribute
        )
        details = CodeDeliveryDetails.from_aws(response.get("CodeDeliveryDetails"))
        if details is None:
            raise UnexpectedResponseError(
                "Cognito answered GetUserAttributeVerificationCode without CodeDeliveryDetails"
            )
        return details


class AccountBlocking:
    """The blocking twins of these flows, for ``UserPool``."""

    revoke_token = blocking(AccountFlows.revoke_token)
    delete_user = blocking(AccountFlows.delete_user)
    get_user_attribute_verification_code = blocking(
        AccountFlows.get_user_attribute_verification_code
    )


def _refresh_token(auth: UserAuth) -> str:
    """The refresh token that ``auth`` carries, checked; RevokeToken needs no other."""
    if isinstance(auth, Tokens):
        if auth.refresh_token is None:
            raise InvalidParameterError(
                f"auth: these Tokens have no refresh token to revoke; pass {_REVOCABLE}",
                field="auth",
            )
        return v.token(auth.refresh_token, "auth")
    if isinstance(auth, RefreshToken):
        return v.token(auth.token, "refresh_token")
    kind = "an access token" if isinstance(auth, str) else type(auth).__name__
    raise InvalidParameterError(
        f"auth: RevokeToken revokes a refresh token, so pass {_REVOCABLE}, not {kind}",
        field="auth",
    )
