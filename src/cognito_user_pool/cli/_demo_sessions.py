"""The demo's steps for sessions that last (issue 16): an attribute's code sent again, a
remembered device that skips MFA, one session signed out while another stays, and an account
deleted.

The device and deletion steps act on the invited user of the pool that requires MFA (and
tracks devices, on the user's word): a remembered device matters only where MFA is asked,
and deleting that throwaway user at the very end leaves the main user's steps alone. Without
that pool (``demo --real``: inviting needs the admin API) they are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cognito_user_pool import Challenge, Tokens, UserPool

from ._common import where_sent
from ._demo_base import OK, Step, Unexpected
from ._demo_codes import CodeSource, OutboxCodes

__all__ = ["SessionSteps"]

# The name the demo gives the invited user's remembered device.
_DEVICE_NAME = "demo laptop"
_SKIPPED = "needs the admin API (AWS credentials); runs against the local Cognito"


def _got(result: Tokens | Challenge) -> str:
    return "tokens" if isinstance(result, Tokens) else result.name


@dataclass
class SessionSteps:
    """These steps over the demo's pools; the main user's and the invited user's sign-ins
    are read from the demo when a step runs (earlier steps make them).

    :ivar main: the main user's current tokens and password.
    :ivar invited: the invited user's name, tokens and password (``None`` before it signs in).
    """

    pool: UserPool
    codes: CodeSource
    username: str
    main: Callable[[], tuple[Tokens | None, str]]
    required: UserPool | None
    invited: Callable[[], tuple[str, Tokens | None, str]]

    def __post_init__(self) -> None:
        self._second: Tokens | None = None
        self._device_tokens: Tokens | None = None
        self._deleted_access_token = ""

    # ---- the plan --------------------------------------------------------------------

    def attribute_steps(self) -> list[Step]:
        """After an e-mail change: its code sent again (the new code replaces the first)."""
        return [
            Step(
                "send the email's code again",
                "get_user_attribute_verification_code",
                OK,
                self._resend_email_code,
            )
        ]

    def device_steps(self) -> list[Step]:
        """The invited user's device: confirmed, remembered, MFA skipped, listed, forgotten."""
        steps = [
            ("confirm the invited user's device", "confirm_device", OK, self._confirm),
            ("remember the device", "update_device_status", OK, self._remember),
            ("log in on the remembered device: no MFA", "login", OK, self._login_device),
            ("list the devices", "list_devices", OK, self._list),
            ("read the remembered device", "get_device", OK, self._get),
            ("forget the device", "forget_device", OK, self._forget),
            ("log in again: MFA is asked", "login", OK, self._login_forgotten),
        ]
        return self._if_required(steps)

    def revoke_steps(self) -> list[Step]:
        """A second session of the main user, signed out alone (RevokeToken)."""
        return [
            Step("a second session: log in again", "login", OK, self._second_login),
            Step("sign out the second session only", "revoke_token", OK, self._revoke),
            Step(
                "the signed-out session cannot refresh",
                "refresh_session",
                "NotAuthorizedException",
                self._refresh_revoked,
            ),
            Step("the first session still works", "profile", OK, self._first_still_works),
        ]

    def delete_steps(self) -> list[Step]:
        """The invited user deletes their account; its token is refused."""
        steps = [
            ("the invited user deletes their account", "delete_user", OK, self._delete),
            (
                "the deleted user's token is refused",
                "profile",
                "NotAuthorizedException",
                self._deleted,
            ),
        ]
        return self._if_required(steps)

    def _if_required(self, steps: list[tuple[str, str, str, Callable[[], str]]]) -> list[Step]:
        if self.required is None:
            return [Step(name, flow, expected, None, _SKIPPED) for name, flow, expected, _ in steps]
        return [Step(name, flow, expected, action) for name, flow, expected, action in steps]

    # ---- helpers ---------------------------------------------------------------------

    def _main_tokens(self) -> Tokens:
        tokens, _ = self.main()
        if tokens is None:
            raise Unexpected("no tokens from an earlier step")
        return tokens

    def _required(self) -> UserPool:
        if self.required is None:
            raise Unexpected("no pool that requires MFA")
        return self.required

    def _invited_tokens(self) -> Tokens:
        tokens = self._device_tokens or self.invited()[1]
        if tokens is None:
            raise Unexpected("the invited user has no tokens from an earlier step")
        return tokens

    def _invited_login(self) -> Tokens | Challenge:
        username, _, password = self.invited()
        return self._required().login(username=username, password=password)

    # ---- attribute code --------------------------------------------------------------

    def _resend_email_code(self) -> str:
        details = self.pool.get_user_attribute_verification_code(
            auth=self._main_tokens(), attribute="email"
        )
        if isinstance(self.codes, OutboxCodes):
            # The first code, now replaced by the new one, which the next step reads.
            self.codes.code(purpose="verify_attribute", destination=None)
        return f"a new code was sent{where_sent(details)}; it replaces the first one"

    # ---- remembered device -----------------------------------------------------------

    def _confirm(self) -> str:
        tokens = self._invited_tokens()
        if tokens.new_device is None:
            raise Unexpected("the sign-in announced no new device (NewDeviceMetadata)")
        waits = self._required().confirm_device(
            auth=tokens, device=tokens, device_name=_DEVICE_NAME
        )
        if not waits:
            raise Unexpected("the pool remembered the device without the user's word")
        return (
            "ConfirmDevice with the verifier of a random device password (kept in the "
            "pool's device store, never shown); the pool waits for the user's word"
        )

    def _remember(self) -> str:
        tokens = self._invited_tokens()
        if tokens.new_device is None:
            raise Unexpected("no device from an earlier step")
        self._required().update_device_status(
            auth=tokens, device_key=tokens.new_device.device_key, remembered=True
        )
        return "UpdateDeviceStatus: remembered"

    def _login_device(self) -> str:
        result = self._invited_login()
        if not isinstance(result, Tokens):
            raise Unexpected(f"expected tokens without MFA, Cognito asked for {result.name}")
        if result.new_device is not None:
            raise Unexpected("Cognito announced a new device instead of knowing this one")
        self._device_tokens = result
        return "password, then the device's proof (DEVICE_SRP_AUTH): signed in, no MFA code"

    def _list(self) -> str:
        listed = self._required().list_devices(auth=self._invited_tokens())
        if len(listed) != 1 or listed[0].remembered is not True:
            raise Unexpected(f"expected one remembered device, got {len(listed)}")
        return f"one device, {listed[0].name!r}, remembered"

    def _get(self) -> str:
        device = self._required().get_device(auth=self._invited_tokens())
        if device.name != _DEVICE_NAME:
            raise Unexpected(f"expected the device {_DEVICE_NAME!r}, got {device.name!r}")
        return f"{device.name!r}, the one in the device store"

    def _forget(self) -> str:
        self._required().forget_device(auth=self._invited_tokens())
        return "ForgetDevice; the device store drops it too"

    def _login_forgotten(self) -> str:
        result = self._invited_login()
        if not isinstance(result, Challenge) or result.name != "SOFTWARE_TOKEN_MFA":
            raise Unexpected(f"expected SOFTWARE_TOKEN_MFA, got {_got(result)}")
        return "a forgotten device skips nothing: Cognito wants the app's code"

    # ---- one session signed out ------------------------------------------------------

    def _second_login(self) -> str:
        _, password = self.main()
        result = self.pool.login(username=self.username, password=password)
        if not isinstance(result, Tokens):
            raise Unexpected(f"expected tokens, Cognito asked for {result.name}")
        self._second = result
        return "a second session (another refresh token) beside the first"

    def _revoke(self) -> str:
        if self._second is None:
            raise Unexpected("no second session from an earlier step")
        self.pool.revoke_token(auth=self._second)
        return "RevokeToken: the second session's refresh token and its access tokens"

    def _refresh_revoked(self) -> str:
        second = self._second
        if second is None or second.refresh_token is None:
            raise Unexpected("no second session from an earlier step")
        self.pool.refresh_session(refresh_token=second.refresh_token, id_token=second.id_token)
        return "refreshed"

    def _first_still_works(self) -> str:
        profile = self.pool.profile(auth=self._main_tokens())
        return f"GetUser as {profile.username}: the first session is still signed in"

    # ---- account deleted -------------------------------------------------------------

    def _delete(self) -> str:
        tokens = self._invited_tokens()
        self._required().delete_user(auth=tokens)
        self._deleted_access_token = tokens.access_token
        return f"DeleteUser: {self.invited()[0]} is gone"

    def _deleted(self) -> str:
        self._required().profile(auth=self._deleted_access_token)
        return "accepted"
