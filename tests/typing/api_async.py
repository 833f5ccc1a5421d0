"""Typed usage of the async core, the token tools and the local Cognito: never run, only
checked by ``mypy --strict``, so that a change to a public signature or result type shows."""

from __future__ import annotations

from cognito_user_pool import (
    AsyncUserPool,
    AuthFactors,
    Challenge,
    CodeDeliveryDetails,
    CognitoError,
    MfaSettings,
    ProfileEditResult,
    RefreshToken,
    SignUpResult,
    Tokens,
    TokenVerifier,
    TotpSecret,
    UserProfile,
    UserSession,
    VerifiedClaims,
)
from cognito_user_pool.local import LocalCognito, OutboxMessage


async def async_usage() -> None:
    async with AsyncUserPool("eu-west-1_AbC123", "client1", client_secret="s") as pool:
        signed: SignUpResult = await pool.signup(username="a", password="p", attributes={})
        await pool.signup_confirm(username="a", confirmation_code="123456")
        resent: CodeDeliveryDetails | None = await pool.signup_resend(username="a")
        result: Tokens | Challenge = await pool.login(username="a", password="p")
        while isinstance(result, Challenge):
            result = await pool.login_mfa(username="a", login_session=result, mfa_code="1")
        tokens: Tokens = result
        refreshed: Tokens = await pool.refresh_session(
            refresh_token=tokens.refresh_token or "", id_token=tokens.id_token
        )
        profile: UserProfile = await pool.profile(auth=refreshed)
        email: str | None = profile.get("email")
        edit: ProfileEditResult = await pool.profile_edit(
            attributes={"name": "A", "nickname": None}, auth=tokens
        )
        mfa: MfaSettings | None = await pool.get_mfa(auth=RefreshToken(tokens.refresh_token or ""))
        await pool.set_mfa(enable_mfa=True, auth=tokens)
        session = UserSession(pool, tokens)
        await pool.password_change(old_password="p", new_password="q", auth=session)
        await pool.logout(auth=session)
        try:
            await pool.password_reset(username="a", password_reset_code="1", new_password="x")
        except CognitoError as err:
            code: str = err.code
        print(signed, resent, email, edit, mfa, code)

        secret: TotpSecret = await pool.associate_software_token(auth=tokens)
        uri: str = secret.otpauth_uri(issuer="Acme", account="a")
        await pool.verify_software_token(auth=tokens, user_code="123456")
        await pool.set_user_mfa_preference(auth=tokens, preferred="SOFTWARE_TOKEN_MFA")
        factors: AuthFactors = await pool.get_user_auth_factors(auth=tokens)
        step: Tokens | Challenge = await pool.login(username="a", password="p")
        if isinstance(step, Challenge) and step.name == "SELECT_MFA_TYPE":
            choices: tuple[str, ...] = step.mfa_types
            step = await pool.login_select_mfa_type(
                username="a", login_session=step, mfa_type=choices[0]
            )
        if isinstance(step, Challenge) and step.name == "MFA_SETUP":
            setup = await pool.associate_software_token(login_session=step)
            step = await pool.login_mfa_setup(username="a", login_session=setup, mfa_code="1")
        print(uri, factors, step)

    verifier = TokenVerifier("eu-west-1_AbC123", ["client1"])
    claims: VerifiedClaims = await verifier.verify("token", token_use="id")
    groups: tuple[str, ...] = claims.groups
    print(groups)


def local_usage() -> None:
    with LocalCognito(client_secret=True, mfa="OPTIONAL") as local:
        pool: AsyncUserPool = local.pool(max_attempts=1)
        message: OutboxMessage = local.outbox.wait_for(username="a", purpose="signup")
        print(pool, message.code)
