"""The admin client end to end against the strict local Cognito, on both surfaces: what a
backend does to its users, and what the users then meet at sign-in."""

from __future__ import annotations

import pytest

from cognito_user_pool import (
    AdminUser,
    AsyncUserPoolAdmin,
    BotoCoreFailureError,
    Challenge,
    GroupExistsError,
    InvalidParameterError,
    NotAuthorizedError,
    PasswordResetRequiredError,
    ResourceNotFoundError,
    Tokens,
    UsernameExistsError,
    UserNotFoundError,
    UserPoolAddOnNotEnabledError,
    UserPoolAdmin,
)
from cognito_user_pool._tokens import unverified_claims
from cognito_user_pool.local import LocalCognito, LocalPool

from .conftest import PASSWORD, admin_options

pytestmark = pytest.mark.anyio

NEW_PASSWORD = "N3w-Passw0rd!local"


async def test_users_are_created_read_and_listed_through_every_page(
    admin: AsyncUserPoolAdmin,
) -> None:
    """130 users, 60 per page: a filter returns exactly its matches, each once, across
    three pages; the attributes asked for are the ones returned."""
    for n in range(130):
        await admin.admin_create_user(
            username=f"user-{n:03d}",
            attributes={"email": f"user-{n:03d}@example.com", "name": f"User {n}"},
            message_action="SUPPRESS",
        )
    listed = [u.username async for u in admin.list_users(filter='username ^= "user-1"')]
    assert sorted(listed) == [f"user-{n:03d}" for n in range(100, 130)]
    everyone = [u async for u in admin.list_users(limit=60, attributes_to_get=["email"])]
    assert len({u.username for u in everyone}) == len(everyone) == 130
    assert all(isinstance(u, AdminUser) for u in everyone)
    assert {a.name for a in everyone[0].attributes} == {"email"}
    one = await admin.admin_get_user(username="user-042")
    assert one.get("name") == "User 42"
    assert (one.status, one.enabled) == ("FORCE_CHANGE_PASSWORD", True)
    with pytest.raises(UsernameExistsError):
        await admin.admin_create_user(username="user-042", message_action="SUPPRESS")


async def test_an_invitation_leads_to_new_password_required(
    admin: AsyncUserPoolAdmin, local_cognito: LocalPool
) -> None:
    """AdminCreateUser sends a temporary password; the user's first SRP login answers
    NEW_PASSWORD_REQUIRED, and the temporary password never shows in the result."""
    created = await admin.admin_create_user(
        username="ann", attributes={"email": "ann@example.com", "email_verified": "true"}
    )
    temporary = local_cognito.outbox.last(username="ann", purpose="invitation").code
    assert temporary not in repr(created)
    async with local_cognito.pool() as pool:
        challenge = await pool.login(username="ann", password=temporary)
        assert isinstance(challenge, Challenge)
        assert challenge.name == "NEW_PASSWORD_REQUIRED"
        tokens = await pool.login_new_password_required(
            username="ann", login_session=challenge, new_password=NEW_PASSWORD
        )
        assert isinstance(tokens, Tokens)
    assert (await admin.admin_get_user(username="ann")).status == "CONFIRMED"


async def test_a_disabled_user_is_refused_at_login_until_enabled(
    admin: AsyncUserPoolAdmin, local_cognito: LocalPool
) -> None:
    local_cognito.create_user("bob", PASSWORD)
    await admin.admin_disable_user(username="bob")
    assert (await admin.admin_get_user(username="bob")).enabled is False
    disabled = [u.username async for u in admin.list_users(filter='status = "Disabled"')]
    assert disabled == ["bob"]
    async with local_cognito.pool() as pool:
        with pytest.raises(NotAuthorizedError) as srp:
            await pool.login(username="bob", password=PASSWORD)
        assert srp.value.message == "User is disabled."
        with pytest.raises(NotAuthorizedError):
            await admin.admin_initiate_auth(username="bob", password=PASSWORD)
        await admin.admin_enable_user(username="bob")
        assert isinstance(await pool.login(username="bob", password=PASSWORD), Tokens)


async def test_a_temporary_password_set_by_an_admin_asks_for_a_new_one(
    admin: AsyncUserPoolAdmin, local_cognito: LocalPool
) -> None:
    """AdminSetUserPassword(Permanent=False): the user's next login answers
    NEW_PASSWORD_REQUIRED; the server-side sign-in answers it too."""
    local_cognito.create_user("carol", PASSWORD)
    await admin.admin_set_user_password(username="carol", password=PASSWORD + "x", permanent=False)
    async with local_cognito.pool() as pool:
        challenge = await pool.login(username="carol", password=PASSWORD + "x")
        assert isinstance(challenge, Challenge)
        assert challenge.name == "NEW_PASSWORD_REQUIRED"
    challenge = await admin.admin_initiate_auth(username="carol", password=PASSWORD + "x")
    assert isinstance(challenge, Challenge)
    assert challenge.name == "NEW_PASSWORD_REQUIRED"
    tokens = await admin.admin_respond_to_auth_challenge(
        challenge=challenge, responses={"NEW_PASSWORD": NEW_PASSWORD}
    )
    assert isinstance(tokens, Tokens)
    await admin.admin_set_user_password(username="carol", password=PASSWORD, permanent=True)
    assert isinstance(await admin.admin_initiate_auth(username="carol", password=PASSWORD), Tokens)


async def test_an_admin_password_reset_requires_the_emailed_code(
    admin: AsyncUserPoolAdmin, local_cognito: LocalPool
) -> None:
    local_cognito.create_user(
        "dan", PASSWORD, {"email": "dan@example.com", "email_verified": "true"}
    )
    await admin.admin_reset_user_password(username="dan")
    assert (await admin.admin_get_user(username="dan")).status == "RESET_REQUIRED"
    async with local_cognito.pool() as pool:
        with pytest.raises(PasswordResetRequiredError):
            await pool.login(username="dan", password=PASSWORD)
        code = local_cognito.outbox.last(username="dan", purpose="forgot_password").code
        await pool.password_reset(
            username="dan", password_reset_code=code, new_password=NEW_PASSWORD
        )
        assert isinstance(await pool.login(username="dan", password=NEW_PASSWORD), Tokens)


async def test_server_side_sign_in_refuses_a_wrong_password(
    admin: AsyncUserPoolAdmin, local_cognito: LocalPool
) -> None:
    local_cognito.create_user("erin", PASSWORD)
    tokens = await admin.admin_initiate_auth(username="erin", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    assert unverified_claims(tokens.access_token)["username"] == "erin"
    with pytest.raises(NotAuthorizedError) as info:
        await admin.admin_initiate_auth(username="erin", password=PASSWORD + "?")
    assert info.value.message == "Incorrect username or password."
    # An app client without PreventUserExistenceErrors (the default, LEGACY) says so.
    with pytest.raises(UserNotFoundError):
        await admin.admin_initiate_auth(username="nobody", password=PASSWORD)


@pytest.mark.local_cognito(client_secret=True)
async def test_server_side_sign_in_sends_the_secret_hash(
    admin: AsyncUserPoolAdmin, local_cognito: LocalPool
) -> None:
    """With an app client secret, the SECRET_HASH goes with the sign-in; a wrong secret is
    refused."""
    local_cognito.create_user("fay", PASSWORD)
    assert isinstance(await admin.admin_initiate_auth(username="fay", password=PASSWORD), Tokens)
    wrong = AsyncUserPoolAdmin(
        local_cognito.user_pool_id,
        **admin_options(local_cognito, client_secret="notit0123456789abcdefghijkl"),
    )
    async with wrong:
        with pytest.raises(NotAuthorizedError):
            await wrong.admin_initiate_auth(username="fay", password=PASSWORD)


async def test_server_side_sign_in_needs_the_flow_allowed(
    local_cognito: LocalPool, local_cognito_server: LocalCognito
) -> None:
    """An app client that does not allow ALLOW_ADMIN_USER_PASSWORD_AUTH refuses it."""
    local_cognito.create_user("gus", PASSWORD)
    narrow = local_cognito_server.create_client(
        local_cognito.user_pool_id,
        explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    async with AsyncUserPoolAdmin(
        local_cognito.user_pool_id, **admin_options(local_cognito, client_id=narrow.client_id)
    ) as admin:
        with pytest.raises(InvalidParameterError) as info:
            await admin.admin_initiate_auth(username="gus", password=PASSWORD)
    assert info.value.code == "InvalidParameterException"
    assert info.value.field is None  # Cognito's refusal, not this library's check


async def test_groups_round_trip_and_reach_the_tokens(
    admin: AsyncUserPoolAdmin, local_cognito: LocalPool
) -> None:
    local_cognito.create_user("hal", PASSWORD)
    group = await admin.create_group(group_name="staff", description="Staff", precedence=1)
    assert (group.name, group.description, group.precedence) == ("staff", "Staff", 1)
    with pytest.raises(GroupExistsError):
        await admin.create_group(group_name="staff")
    await admin.create_group(group_name="ops")
    assert sorted([g.name async for g in admin.list_groups(limit=1)]) == ["ops", "staff"]
    await admin.admin_add_user_to_group(username="hal", group_name="staff")
    await admin.admin_add_user_to_group(username="hal", group_name="staff")  # again: fine
    assert [g.name async for g in admin.admin_list_groups_for_user(username="hal")] == ["staff"]
    assert [u.username async for u in admin.list_users_in_group(group_name="staff")] == ["hal"]
    tokens = await admin.admin_initiate_auth(username="hal", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    assert unverified_claims(tokens.id_token)["cognito:groups"] == ["staff"]
    await admin.admin_remove_user_from_group(username="hal", group_name="staff")
    assert [u.username async for u in admin.list_users_in_group(group_name="staff")] == []
    await admin.delete_group(group_name="staff")
    with pytest.raises(ResourceNotFoundError):
        await admin.get_group(group_name="staff")
    assert (await admin.get_group(group_name="ops")).name == "ops"


async def test_attributes_confirmation_sign_out_and_deletion(
    admin: AsyncUserPoolAdmin, local_cognito: LocalPool
) -> None:
    async with local_cognito.pool() as pool:
        await pool.signup(
            username="ivy", password=PASSWORD, attributes={"email": "ivy@example.com"}
        )
        assert (await admin.admin_get_user(username="ivy")).status == "UNCONFIRMED"
        await admin.admin_confirm_sign_up(username="ivy")
        tokens = await pool.login(username="ivy", password=PASSWORD)
        assert isinstance(tokens, Tokens)
        await admin.admin_update_user_attributes(username="ivy", attributes={"name": "Ivy"})
        await admin.admin_delete_user_attributes(username="ivy", attribute_names=["name"])
        assert (await admin.admin_get_user(username="ivy")).get("name") is None
        await admin.admin_user_global_sign_out(username="ivy")
        with pytest.raises(NotAuthorizedError):
            await pool.refresh_session(
                refresh_token=tokens.refresh_token or "", id_token=tokens.id_token
            )
        assert [d async for d in admin.admin_list_devices(username="ivy")] == []
        with pytest.raises(UserPoolAddOnNotEnabledError):
            [e async for e in admin.admin_list_user_auth_events(username="ivy")]
        await admin.admin_delete_user(username="ivy")
        with pytest.raises(UserNotFoundError):
            await admin.admin_get_user(username="ivy")


def test_the_blocking_twin_iterates_page_by_page(
    blocking_admin: UserPoolAdmin, local_cognito: LocalPool
) -> None:
    """UserPoolAdmin: the same operations as plain calls; a listing is a plain iterator that
    can be left early, and the client stays usable."""
    for n in range(5):
        blocking_admin.admin_create_user(username=f"u{n}", message_action="SUPPRESS")
    users = blocking_admin.list_users(limit=2)
    first = next(users)
    assert isinstance(first, AdminUser)
    users.close()  # left early: the listing is closed on the client's loop
    assert sorted(u.username for u in blocking_admin.list_users(limit=2)) == [
        f"u{n}" for n in range(5)
    ]
    with pytest.raises(UserNotFoundError):
        blocking_admin.admin_get_user(username="nobody")


async def test_without_credentials_the_error_says_so(local_cognito: LocalPool) -> None:
    """No key given and none in the environment (the tests remove AWS's variables): a
    CognitoError that names the missing credentials, and no secret."""
    options = admin_options(local_cognito)
    del options["aws_access_key_id"], options["aws_secret_access_key"]
    async with AsyncUserPoolAdmin(local_cognito.user_pool_id, **options) as admin:
        with pytest.raises(BotoCoreFailureError) as info:
            await admin.admin_get_user(username="anyone")
    assert "credentials" in info.value.message.lower()
