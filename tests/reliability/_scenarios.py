"""One scenario per Cognito operation the flows send: how to reach it, and how to see on the
server whether it was applied.

``prepare`` runs on a pool that reaches the server directly (``clean``); ``run`` makes the one
flow call whose ``operation`` the proxy faults; ``applied`` reads the account's state (None for
reads, where there is nothing to apply).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pyotp

from cognito_user_pool import AsyncUserPool, InvalidParameterError, NotAuthorizedError, Tokens
from cognito_user_pool._retry_policy import POLICY

from ..integration.conftest import PASSWORD, Backend

__all__ = ["NEW_PASSWORD", "SCENARIOS", "Context", "Scenario"]

NEW_PASSWORD = "N3w-Horse-Passw0rd!"


@dataclass
class Context:
    """What a scenario's steps share: the server, a direct pool, one user of its own."""

    backend: Backend
    clean: AsyncUserPool
    user: str
    tokens: Tokens | None = None
    code: str = ""
    count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def auth(self) -> Tokens:
        assert self.tokens is not None
        return self.tokens

    def messages(self, purpose: str) -> int:
        return len(self.backend.outbox.messages(username=self.user, purpose=purpose))

    def status(self) -> str | None:
        try:
            user = self.backend.admin.admin_get_user(
                UserPoolId=self.backend.user_pool_id, Username=self.user
            )
        except self.backend.admin.exceptions.UserNotFoundException:
            return None
        return str(user["UserStatus"])

    async def sign_in(self, password: str = PASSWORD, **attributes: str) -> None:
        self.backend.create_confirmed_user(self.user, password, **attributes)
        self.tokens = await _login(self.clean, self.user, password)

    async def attribute(self, name: str) -> str | None:
        return (await self.clean.profile(auth=self.auth)).get(name)


Step = Callable[[Context], Awaitable[Any]]
Run = Callable[[AsyncUserPool, Context], Awaitable[Any]]


@dataclass(frozen=True)
class Scenario:
    """A flow call that sends ``operation`` once, and how to prepare it and check it."""

    name: str
    operation: str
    policy_key: str
    prepare: Step
    run: Run
    applied: Callable[[Context], Awaitable[bool]] | None = None

    @property
    def resend(self) -> bool:
        """Whether the retry policy lets this request be sent twice."""
        return POLICY[self.policy_key].resend


async def _login(pool: AsyncUserPool, username: str, password: str = PASSWORD) -> Tokens:
    result = await pool.login(username=username, password=password)
    assert isinstance(result, Tokens), result
    return result


async def _nothing(ctx: Context) -> None:
    return None


async def _user(ctx: Context) -> None:
    ctx.backend.create_confirmed_user(ctx.user)


async def _signed_in(ctx: Context) -> None:
    await ctx.sign_in()


async def _signed_up(ctx: Context) -> None:
    await ctx.clean.signup(
        username=ctx.user, password=PASSWORD, attributes={"email": f"{ctx.user}@example.com"}
    )
    ctx.code = ctx.backend.code(ctx.user, "signup")
    ctx.count = ctx.messages("signup")


async def _with_verified_email(ctx: Context) -> None:
    ctx.backend.create_confirmed_user(
        ctx.user, email=f"{ctx.user}@example.com", email_verified="true"
    )
    ctx.count = ctx.messages("forgot_password")


async def _reset_code_sent(ctx: Context) -> None:
    await _with_verified_email(ctx)
    await ctx.clean.password_forgot(username=ctx.user)
    ctx.code = ctx.backend.code(ctx.user, "forgot_password")


async def _signed_in_with_name(ctx: Context) -> None:
    await ctx.sign_in(name="Old Name")


async def _email_change_pending(ctx: Context) -> None:
    await ctx.sign_in(email=f"{ctx.user}@example.com", email_verified="true")
    await ctx.clean.profile_edit(attributes={"email": f"{ctx.user}@example.org"}, auth=ctx.auth)
    ctx.code = ctx.backend.code(ctx.user, "verify_attribute")


async def _signed_in_with_phone(ctx: Context) -> None:
    await ctx.sign_in(phone_number="+14155550100")


async def _exists(ctx: Context) -> bool:
    return ctx.status() is not None


async def _confirmed(ctx: Context) -> bool:
    return ctx.status() == "CONFIRMED"


async def _one_more_signup_code(ctx: Context) -> bool:
    return ctx.messages("signup") == ctx.count + 1


async def _one_more_reset_code(ctx: Context) -> bool:
    return ctx.messages("forgot_password") == ctx.count + 1


async def _revoked(ctx: Context) -> bool:
    try:
        await ctx.clean.profile(auth=ctx.auth.access_token)
    except NotAuthorizedError:
        return True
    return False


async def _new_password_works(ctx: Context) -> bool:
    await _login(ctx.clean, ctx.user, NEW_PASSWORD)
    return True


async def _name_changed(ctx: Context) -> bool:
    return await ctx.attribute("name") == "New Name"


async def _name_deleted(ctx: Context) -> bool:
    return await ctx.attribute("name") is None


async def _email_verified(ctx: Context) -> bool:
    return await ctx.attribute("email") == f"{ctx.user}@example.org" and (
        await ctx.attribute("email_verified") == "true"
    )


async def _mfa_on(ctx: Context) -> bool:
    return await ctx.clean.get_mfa(auth=ctx.auth) is not None


async def _app_associated(ctx: Context) -> None:
    await ctx.sign_in()
    secret = await ctx.clean.associate_software_token(auth=ctx.auth)
    ctx.extra["totp"] = pyotp.TOTP(secret.secret_code)


async def _app_verified(ctx: Context) -> bool:
    """Cognito turns TOTP MFA on only for a user whose app was verified."""
    try:
        await ctx.clean.set_user_mfa_preference(auth=ctx.auth, software_token_mfa=True)
    except InvalidParameterError:
        return False
    return True


async def _signed_in_with_email(ctx: Context) -> None:
    await ctx.sign_in(email=f"{ctx.user}@example.com")
    ctx.count = ctx.messages("verify_attribute")


async def _one_more_attribute_code(ctx: Context) -> bool:
    return ctx.messages("verify_attribute") == ctx.count + 1


async def _deleted(ctx: Context) -> bool:
    return ctx.status() is None


async def _refresh_with_rotation(pool: AsyncUserPool, ctx: Context) -> Tokens:
    """GetTokensFromRefreshToken, through the same endpoint and transport settings as
    ``pool`` (the backend's app client does not rotate, so it is asked for by the option)."""
    config = dataclasses.replace(pool.config, refresh_token_rotation=True)
    async with AsyncUserPool.from_config(config) as rotating:
        return await rotating.refresh_session(refresh_token=ctx.auth.refresh_token or "")


async def _device_confirmed(ctx: Context) -> None:
    await ctx.sign_in()
    assert ctx.auth.new_device is not None, "the pool does not track devices"
    ctx.extra["device"] = ctx.auth.new_device.device_key
    await ctx.clean.confirm_device(auth=ctx.auth, device=ctx.auth.new_device)


async def _passkey_made(ctx: Context) -> None:
    """Signed in, a registration started, and the credential the browser made for it."""
    from cognito_user_pool.local import SoftAuthenticator

    await ctx.sign_in()
    options = await ctx.clean.start_web_authn_registration(auth=ctx.auth)
    ctx.extra["credential"] = SoftAuthenticator(origin="http://localhost").create(options)


async def _passkey_registered(ctx: Context) -> None:
    await _passkey_made(ctx)
    await ctx.clean.complete_web_authn_registration(
        auth=ctx.auth, credential=ctx.extra["credential"]
    )


async def _passkeys(ctx: Context) -> int:
    return len(await ctx.clean.list_web_authn_credentials(auth=ctx.auth))


async def _has_passkey(ctx: Context) -> bool:
    return await _passkeys(ctx) == 1


async def _no_passkey(ctx: Context) -> bool:
    return await _passkeys(ctx) == 0


async def _has_device(ctx: Context) -> bool:
    return bool(await ctx.clean.list_devices(auth=ctx.auth))


async def _device_remembered(ctx: Context) -> bool:
    device = await ctx.clean.get_device(auth=ctx.auth, device_key=ctx.extra["device"])
    return device.remembered is True


async def _device_gone(ctx: Context) -> bool:
    return not await ctx.clean.list_devices(auth=ctx.auth)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "signup",
        "SignUp",
        "SignUp",
        _nothing,
        lambda pool, ctx: pool.signup(
            username=ctx.user, password=PASSWORD, attributes={"email": f"{ctx.user}@example.com"}
        ),
        _exists,
    ),
    Scenario(
        "signup_confirm",
        "ConfirmSignUp",
        "ConfirmSignUp",
        _signed_up,
        lambda pool, ctx: pool.signup_confirm(username=ctx.user, confirmation_code=ctx.code),
        _confirmed,
    ),
    Scenario(
        "signup_resend",
        "ResendConfirmationCode",
        "ResendConfirmationCode",
        _signed_up,
        lambda pool, ctx: pool.signup_resend(username=ctx.user),
        _one_more_signup_code,
    ),
    Scenario(
        "login_start",
        "InitiateAuth",
        "InitiateAuth USER_SRP_AUTH",
        _user,
        lambda pool, ctx: _login(pool, ctx.user),
    ),
    Scenario(
        "login_answer",
        "RespondToAuthChallenge",
        "RespondToAuthChallenge",
        _user,
        lambda pool, ctx: _login(pool, ctx.user),
    ),
    Scenario(
        "refresh_session",
        "InitiateAuth",
        "InitiateAuth REFRESH_TOKEN_AUTH",
        _signed_in,
        lambda pool, ctx: pool.refresh_session(refresh_token=ctx.auth.refresh_token or ""),
    ),
    Scenario(
        "refresh_session_rotating",
        "GetTokensFromRefreshToken",
        "GetTokensFromRefreshToken",
        _signed_in,
        _refresh_with_rotation,
    ),
    Scenario(
        "revoke_token",
        "RevokeToken",
        "RevokeToken",
        _signed_in,
        lambda pool, ctx: pool.revoke_token(auth=ctx.auth),
        _revoked,
    ),
    Scenario(
        "delete_user",
        "DeleteUser",
        "DeleteUser",
        _signed_in,
        lambda pool, ctx: pool.delete_user(auth=ctx.auth),
        _deleted,
    ),
    Scenario(
        "get_user_attribute_verification_code",
        "GetUserAttributeVerificationCode",
        "GetUserAttributeVerificationCode",
        _signed_in_with_email,
        lambda pool, ctx: pool.get_user_attribute_verification_code(
            auth=ctx.auth, attribute="email"
        ),
        _one_more_attribute_code,
    ),
    Scenario(
        "logout",
        "GlobalSignOut",
        "GlobalSignOut",
        _signed_in,
        lambda pool, ctx: pool.logout(auth=ctx.auth),
        _revoked,
    ),
    Scenario(
        "password_change",
        "ChangePassword",
        "ChangePassword",
        _signed_in,
        lambda pool, ctx: pool.password_change(
            old_password=PASSWORD, new_password=NEW_PASSWORD, auth=ctx.auth
        ),
        _new_password_works,
    ),
    Scenario(
        "password_forgot",
        "ForgotPassword",
        "ForgotPassword",
        _with_verified_email,
        lambda pool, ctx: pool.password_forgot(username=ctx.user),
        _one_more_reset_code,
    ),
    Scenario(
        "password_reset",
        "ConfirmForgotPassword",
        "ConfirmForgotPassword",
        _reset_code_sent,
        lambda pool, ctx: pool.password_reset(
            username=ctx.user, password_reset_code=ctx.code, new_password=NEW_PASSWORD
        ),
        _new_password_works,
    ),
    Scenario(
        "profile",
        "GetUser",
        "GetUser",
        _signed_in,
        lambda pool, ctx: pool.profile(auth=ctx.auth),
    ),
    Scenario(
        "profile_edit",
        "UpdateUserAttributes",
        "UpdateUserAttributes",
        _signed_in,
        lambda pool, ctx: pool.profile_edit(attributes={"name": "New Name"}, auth=ctx.auth),
        _name_changed,
    ),
    Scenario(
        "profile_edit_delete",
        "DeleteUserAttributes",
        "DeleteUserAttributes",
        _signed_in_with_name,
        lambda pool, ctx: pool.profile_edit(attributes={"name": None}, auth=ctx.auth),
        _name_deleted,
    ),
    Scenario(
        "profile_attribute_confirm",
        "VerifyUserAttribute",
        "VerifyUserAttribute",
        _email_change_pending,
        lambda pool, ctx: pool.profile_attribute_confirm(
            attribute="email", confirmation_code=ctx.code, auth=ctx.auth
        ),
        _email_verified,
    ),
    Scenario(
        "set_mfa",
        "SetUserMFAPreference",
        "SetUserMFAPreference",
        _signed_in_with_phone,
        lambda pool, ctx: pool.set_mfa(enable_mfa=True, auth=ctx.auth),
        _mfa_on,
    ),
    Scenario(
        "associate_software_token",
        "AssociateSoftwareToken",
        "AssociateSoftwareToken",
        _signed_in,
        lambda pool, ctx: pool.associate_software_token(auth=ctx.auth),
    ),
    Scenario(
        "verify_software_token",
        "VerifySoftwareToken",
        "VerifySoftwareToken",
        _app_associated,
        lambda pool, ctx: pool.verify_software_token(
            auth=ctx.auth, user_code=ctx.extra["totp"].now()
        ),
        _app_verified,
    ),
    Scenario(
        "confirm_device",
        "ConfirmDevice",
        "ConfirmDevice",
        _signed_in,
        lambda pool, ctx: pool.confirm_device(auth=ctx.auth, device=ctx.auth),
        _has_device,
    ),
    Scenario(
        "update_device_status",
        "UpdateDeviceStatus",
        "UpdateDeviceStatus",
        _device_confirmed,
        lambda pool, ctx: pool.update_device_status(
            auth=ctx.auth, device_key=ctx.extra["device"], remembered=True
        ),
        _device_remembered,
    ),
    Scenario(
        "list_devices",
        "ListDevices",
        "ListDevices",
        _device_confirmed,
        lambda pool, ctx: pool.list_devices(auth=ctx.auth),
    ),
    Scenario(
        "get_device",
        "GetDevice",
        "GetDevice",
        _device_confirmed,
        lambda pool, ctx: pool.get_device(auth=ctx.auth, device_key=ctx.extra["device"]),
    ),
    Scenario(
        "forget_device",
        "ForgetDevice",
        "ForgetDevice",
        _device_confirmed,
        lambda pool, ctx: pool.forget_device(auth=ctx.auth, device_key=ctx.extra["device"]),
        _device_gone,
    ),
    Scenario(
        "start_web_authn_registration",
        "StartWebAuthnRegistration",
        "StartWebAuthnRegistration",
        _signed_in,
        lambda pool, ctx: pool.start_web_authn_registration(auth=ctx.auth),
    ),
    Scenario(
        "complete_web_authn_registration",
        "CompleteWebAuthnRegistration",
        "CompleteWebAuthnRegistration",
        _passkey_made,
        lambda pool, ctx: pool.complete_web_authn_registration(
            auth=ctx.auth, credential=ctx.extra["credential"]
        ),
        _has_passkey,
    ),
    Scenario(
        "list_web_authn_credentials",
        "ListWebAuthnCredentials",
        "ListWebAuthnCredentials",
        _passkey_registered,
        lambda pool, ctx: pool.list_web_authn_credentials(auth=ctx.auth),
    ),
    Scenario(
        "delete_web_authn_credential",
        "DeleteWebAuthnCredential",
        "DeleteWebAuthnCredential",
        _passkey_registered,
        lambda pool, ctx: pool.delete_web_authn_credential(
            auth=ctx.auth, credential_id=ctx.extra["credential"]["id"]
        ),
        _no_passkey,
    ),
    Scenario(
        "get_user_auth_factors",
        "GetUserAuthFactors",
        "GetUserAuthFactors",
        _signed_in,
        lambda pool, ctx: pool.get_user_auth_factors(auth=ctx.auth),
    ),
)

BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
