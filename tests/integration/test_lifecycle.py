"""The seventeen flows end to end against the strict local Cognito: shapes and behaviour."""

from __future__ import annotations

import time

import pytest

from cognito_user_pool import (
    AsyncUserPool,
    Challenge,
    CodeDeliveryDetails,
    InvalidParameterError,
    MfaSettings,
    NotAuthorizedError,
    ProfileEditResult,
    RefreshToken,
    SignUpResult,
    Tokens,
    UsernameExistsError,
    UserNotConfirmedError,
    UserNotFoundError,
    UserProfile,
)
from cognito_user_pool._tokens import unverified_claims

from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio


async def _login(pool: AsyncUserPool, username: str, password: str = PASSWORD) -> Tokens:
    result = await pool.login(username=username, password=password)
    assert isinstance(result, Tokens), result
    return result


async def test_signup_returns_typed_result(pool: AsyncUserPool) -> None:
    """SignUp answers with the username, confirmation state and the user's sub."""
    result = await pool.signup(
        username="alice", password=PASSWORD, attributes={"email": "alice@example.com"}
    )
    assert isinstance(result, SignUpResult)
    assert result.username == "alice"
    assert result.user_confirmed is False
    assert result.user_sub and len(result.user_sub) == 36


async def test_signup_accepts_node_style_attribute_list(
    backend: Backend, pool: AsyncUserPool
) -> None:
    """Attributes in the Node library's [{"Name", "Value"}] form reach Cognito."""
    result = await pool.signup(
        username="bob",
        password=PASSWORD,
        attributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    assert result.code_delivery_details is not None
    assert result.code_delivery_details.delivery_medium == "EMAIL"
    await pool.signup_confirm(username="bob", confirmation_code=backend.code("bob", "signup"))
    tokens = await _login(pool, "bob")
    profile = await pool.profile(auth=tokens)
    assert profile.get("email") == "bob@example.com"


async def test_duplicate_signup_is_refused(pool: AsyncUserPool) -> None:
    """A taken username gives UsernameExistsException."""
    await pool.signup(username="carol", password=PASSWORD)
    with pytest.raises(UsernameExistsError) as info:
        await pool.signup(username="carol", password=PASSWORD)
    assert info.value.code == "UsernameExistsException"


async def test_unconfirmed_user_cannot_log_in(pool: AsyncUserPool) -> None:
    """Login before confirmation gives UserNotConfirmedException."""
    await pool.signup(username="dave", password=PASSWORD)
    with pytest.raises(UserNotConfirmedError) as info:
        await pool.login(username="dave", password=PASSWORD)
    assert info.value.code == "UserNotConfirmedException"


async def test_unknown_user_cannot_log_in(pool: AsyncUserPool) -> None:
    """Login of a user that does not exist gives UserNotFoundException."""
    with pytest.raises(UserNotFoundError) as info:
        await pool.login(username="nobody", password=PASSWORD)
    assert info.value.code == "UserNotFoundException"


async def test_login_tokens_carry_each_own_expiry(backend: Backend, pool: AsyncUserPool) -> None:
    """Each *_expires_at is the exp claim of its own token, in epoch seconds."""
    await pool.signup(username="erin", password=PASSWORD, attributes={"email": "e@example.com"})
    await pool.signup_confirm(username="erin", confirmation_code=backend.code("erin", "signup"))
    tokens = await _login(pool, "erin")
    assert tokens.access_token_expires_at == unverified_claims(tokens.access_token)["exp"]
    assert tokens.id_token_expires_at == unverified_claims(tokens.id_token)["exp"]
    assert time.time() < tokens.access_token_expires_at < time.time() + 2 * 86400
    assert tokens.refresh_token
    assert "eyJ" not in repr(tokens)


async def test_profile_edit_and_mfa_round_trip(backend: Backend, pool: AsyncUserPool) -> None:
    """Profile read, attribute update, phone number, SMS MFA on and off, as the user sees them."""
    backend.create_confirmed_user("frank", email="frank@example.com")
    tokens = await _login(pool, "frank")

    profile = await pool.profile(auth=tokens)
    assert isinstance(profile, UserProfile)
    assert profile.username == "frank"
    assert {"Name": "email", "Value": "frank@example.com"} in profile.to_aws()

    edit = await pool.profile_edit(attributes={"name": "Frank"}, auth=tokens)
    assert edit == ProfileEditResult(updated=("name",), deleted=())
    assert (await pool.profile(auth=tokens)).get("name") == "Frank"

    assert await pool.get_mfa(auth=tokens) is None
    phone = await pool.profile_edit_phone_number(phone_number="+14155550100", auth=tokens)
    assert phone.updated == ("phone_number",)
    await pool.set_mfa(enable_mfa=True, auth=tokens)
    assert await pool.get_mfa(auth=tokens) == MfaSettings(enabled=("SMS_MFA",), preferred="SMS_MFA")
    await pool.set_mfa(enable_mfa=False, auth=tokens)
    assert await pool.get_mfa(auth=tokens) is None


async def test_profile_edit_skips_phone_number(backend: Backend, pool: AsyncUserPool) -> None:
    """profile_edit leaves phone_number to profile_edit_phone_number and says so."""
    backend.create_confirmed_user("gina")
    tokens = await _login(pool, "gina")
    result = await pool.profile_edit(
        attributes=[
            {"Name": "name", "Value": "Gina"},
            {"Name": "phone_number", "Value": "+14155550100"},
        ],
        auth=tokens,
    )
    assert result.updated == ("name",)
    assert result.skipped == ("phone_number",)
    profile = await pool.profile(auth=tokens)
    assert profile.get("phone_number") is None


async def test_token_flows_refresh_first_when_given_a_refresh_token(
    backend: Backend, pool: AsyncUserPool
) -> None:
    """A flow given only a refresh token refreshes first, as the Node library did."""
    backend.create_confirmed_user("hank", email="hank@example.com")
    tokens = await _login(pool, "hank")
    profile = await pool.profile(auth=RefreshToken(tokens.refresh_token or ""))
    assert profile.username == "hank"


async def test_refresh_keeps_the_refresh_token(backend: Backend, pool: AsyncUserPool) -> None:
    """REFRESH_TOKEN_AUTH returns no new refresh token; the old one is kept."""
    backend.create_confirmed_user("ivan")
    tokens = await _login(pool, "ivan")
    assert tokens.refresh_token is not None
    refreshed = await pool.refresh_session(refresh_token=tokens.refresh_token)
    assert refreshed.refresh_token == tokens.refresh_token
    assert refreshed.access_token != tokens.access_token
    await pool.profile(auth=refreshed)


async def test_password_change_checks_the_old_password(
    backend: Backend, pool: AsyncUserPool
) -> None:
    """ChangePassword refuses a wrong previous password and accepts the right one."""
    backend.create_confirmed_user("judy")
    tokens = await _login(pool, "judy")
    with pytest.raises(NotAuthorizedError):
        await pool.password_change(
            old_password="Wrong-Passw0rd!",
            new_password="N3w-Passw0rd!",
            auth=tokens,
        )
    await pool.password_change(old_password=PASSWORD, new_password="N3w-Passw0rd!", auth=tokens)


async def test_password_forgot_and_reset(backend: Backend, pool: AsyncUserPool) -> None:
    """ForgotPassword reports where the code went; ConfirmForgotPassword sets the password."""
    backend.create_confirmed_user("kate", email="kate@example.com", email_verified="true")
    delivery = await pool.password_forgot(username="kate")
    assert isinstance(delivery, CodeDeliveryDetails)
    assert delivery.delivery_medium in {"EMAIL", "SMS"}
    await pool.password_reset(
        username="kate",
        password_reset_code=backend.code("kate", "forgot_password"),
        new_password="R3set-Passw0rd!",
    )
    await _login(pool, "kate", "R3set-Passw0rd!")


async def test_logout_revokes_the_access_token(backend: Backend, pool: AsyncUserPool) -> None:
    """After GlobalSignOut, Cognito refuses the access token and the refresh token."""
    backend.create_confirmed_user("liam")
    tokens = await _login(pool, "liam")
    await pool.logout(auth=tokens)
    with pytest.raises(NotAuthorizedError):
        await pool.profile(auth=tokens)
    assert tokens.refresh_token is not None
    with pytest.raises(NotAuthorizedError):
        await pool.refresh_session(refresh_token=tokens.refresh_token)


async def test_new_password_required_challenge(backend: Backend, pool: AsyncUserPool) -> None:
    """A user made by an administrator must set a new password; then tokens come."""
    backend.admin.admin_create_user(
        UserPoolId=backend.user_pool_id,
        Username="mona",
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
    )
    challenge = await pool.login(username="mona", password="Temp-Passw0rd!")
    assert isinstance(challenge, Challenge)
    assert challenge.name == "NEW_PASSWORD_REQUIRED"
    assert challenge.next_step == "NEW_PASSWORD_REQUIRED"
    assert challenge.session not in repr(challenge)
    with pytest.raises(InvalidParameterError) as info:
        await pool.login_mfa(username="mona", login_session=challenge, mfa_code="123456")
    assert "login_new_password_required" in info.value.message
    tokens = await pool.login_new_password_required(
        username="mona", login_session=challenge.session, new_password="N3w-Passw0rd!"
    )
    assert isinstance(tokens, Tokens)
    await _login(pool, "mona", "N3w-Passw0rd!")


async def test_sms_mfa_challenge(backend: Backend, pool: AsyncUserPool) -> None:
    """With SMS MFA on, login returns an SMS_MFA challenge and login_mfa completes it."""
    backend.create_confirmed_user("nina", phone_number="+14155550101")
    tokens = await _login(pool, "nina")
    await pool.set_mfa(enable_mfa=True, auth=tokens)
    challenge = await pool.login(username="nina", password=PASSWORD)
    assert isinstance(challenge, Challenge)
    assert challenge.name == "SMS_MFA"
    assert challenge.next_step == "MFA_AUTH"
    # The session string alone is enough: the pool remembers which challenge it answers.
    result = await pool.login_mfa(
        username="nina", login_session=challenge.session, mfa_code=backend.code("nina", "sms_mfa")
    )
    assert isinstance(result, Tokens)


async def test_client_with_secret_runs_every_flow(backend_with_secret: Backend) -> None:
    """An app client with a secret gets the right SECRET_HASH in every request."""
    backend = backend_with_secret
    async with backend.pool() as pool:
        await pool.signup(username="olga", password=PASSWORD, attributes={"email": "o@example.com"})
        await pool.signup_resend(username="olga")
        code = backend.code("olga", "signup")
        await pool.signup_confirm(username="olga", confirmation_code=code)
        tokens = await _login(pool, "olga")
        assert tokens.refresh_token is not None
        # This pool logged olga in, so it knows her internal username for the refresh.
        await pool.refresh_session(refresh_token=tokens.refresh_token)
        await pool.profile_edit_phone_number(phone_number="+14155550102", auth=tokens)
        await pool.set_mfa(enable_mfa=True, auth=tokens)
        challenge = await pool.login(username="olga", password=PASSWORD)
        assert isinstance(challenge, Challenge)
        code = backend.code("olga", "sms_mfa")
        assert isinstance(
            await pool.login_mfa(username="olga", login_session=challenge, mfa_code=code),
            Tokens,
        )
        await pool.password_forgot(username="olga")
        await pool.password_reset(
            username="olga",
            password_reset_code=backend.code("olga", "forgot_password"),
            new_password="R3set-Passw0rd!",
        )

    async with backend.pool() as fresh:
        # Another pool object has not seen the login: it needs a token to name the user.
        with pytest.raises(InvalidParameterError) as info:
            await fresh.refresh_session(refresh_token=tokens.refresh_token)
        assert info.value.field == "id_token"
        refreshed = await fresh.refresh_session(
            refresh_token=tokens.refresh_token, id_token=tokens.id_token
        )
        assert refreshed.refresh_token == tokens.refresh_token


async def test_wrong_secret_hash_is_refused(backend_with_secret: Backend) -> None:
    """A pool object configured with another secret is refused (SECRET_HASH mismatch)."""
    backend = backend_with_secret
    backend.create_confirmed_user("pete")
    async with backend.pool(client_secret="notthesecret0123456789abcdef") as pool:
        with pytest.raises(NotAuthorizedError) as info:
            await pool.login(username="pete", password=PASSWORD)
    assert "notthesecret0123456789abcdef" not in str(info.value)


async def test_signed_in_flows_accept_a_user_session(backend: Backend, pool: AsyncUserPool) -> None:
    """A UserSession stands in for raw tokens, and logout through it signs it out."""
    from cognito_user_pool import UserSession

    backend.create_confirmed_user("quinn", email="quinn@example.com")
    session = UserSession(pool, await _login(pool, "quinn"))
    profile = await pool.profile(auth=session)
    assert profile.get("email") == "quinn@example.com"
    await pool.profile_edit(attributes={"name": "Quinn"}, auth=session)
    assert (await pool.profile(auth=session)).get("name") == "Quinn"
    await pool.logout(auth=session)
    assert session.signed_out


async def test_an_answer_reaches_the_flows_without_botocores_metadata(pool: AsyncUserPool) -> None:
    """The connection hands the flows Cognito's members only: botocore's ResponseMetadata
    (request id, HTTP headers) is dropped."""
    answer = await pool._call(
        "SignUp",
        ClientId=pool.config.client_id,
        Username="meta",
        Password="Passw0rd!x",
        UserAttributes=[{"Name": "email", "Value": "meta@example.com"}],
    )
    assert "UserSub" in answer
    assert "ResponseMetadata" not in answer
