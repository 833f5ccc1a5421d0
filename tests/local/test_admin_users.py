"""Admin user operations against the strict local Cognito, signed as a backend signs them:
AdminCreateUser, AdminGetUser, ListUsers, AdminDeleteUser, AdminDisableUser, AdminEnableUser,
AdminConfirmSignUp, AdminUpdateUserAttributes, AdminDeleteUserAttributes,
AdminUserGlobalSignOut, AdminListDevices, AdminListUserAuthEvents."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalPool

from .conftest import PASSWORD, error_code, error_message, password_login


def _refused(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    return error_code(excinfo), error_message(excinfo)


def _attrs(entry: dict[str, Any], key: str = "Attributes") -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in entry.get(key, [])}


# ---- AdminCreateUser ------------------------------------------------------------------------


def test_create_user_sends_an_invitation_unless_suppressed(pool: LocalPool) -> None:
    """The temporary password goes to the e-mail; SUPPRESS sends nothing; the user must change
    it (FORCE_CHANGE_PASSWORD)."""
    created = pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="alice",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )["User"]
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert _attrs(created)["email"] == "alice@example.com"
    invitation = pool.outbox.last(username="alice", purpose="invitation")
    assert invitation.destination == "alice@example.com"
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id, Username="bob", MessageAction="SUPPRESS"
    )
    assert not pool.outbox.messages(username="bob")


def test_create_user_delivery_mediums_and_resend(pool: LocalPool) -> None:
    """DesiredDeliveryMediums picks the channel; RESEND re-sends the given temporary password."""
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="alice",
        UserAttributes=[
            {"Name": "email", "Value": "alice@example.com"},
            {"Name": "phone_number", "Value": "+15555550100"},
        ],
        DesiredDeliveryMediums=["SMS"],
    )
    assert pool.outbox.last(username="alice").medium == "SMS"
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username="alice",
        MessageAction="RESEND",
        TemporaryPassword="Res3nt-pass!",
        DesiredDeliveryMediums=["EMAIL"],
    )
    resent = pool.outbox.last(username="alice")
    assert (resent.medium, resent.code) == ("EMAIL", "Res3nt-pass!")


def test_create_user_refusals(pool: LocalPool) -> None:
    """A taken name, a weak temporary password, an unknown MessageAction, RESEND to a user who
    is not waiting for a password or does not exist."""
    admin, pool_id = pool.admin, pool.user_pool_id
    pool.create_user("alice", PASSWORD)
    assert _refused(admin.admin_create_user, UserPoolId=pool_id, Username="alice") == (
        "UsernameExistsException",
        "User account already exists",
    )
    code, message = _refused(
        admin.admin_create_user, UserPoolId=pool_id, Username="bob", TemporaryPassword="weak"
    )
    assert code == "InvalidPasswordException"
    assert message.startswith("Password did not conform with password policy")
    code, message = _refused(
        admin.admin_create_user, UserPoolId=pool_id, Username="bob", MessageAction="SEND"
    )
    assert code == "InvalidParameterException"
    assert "messageAction" in message
    assert _refused(
        admin.admin_create_user, UserPoolId=pool_id, Username="alice", MessageAction="RESEND"
    )[0] == ("UnsupportedUserStateException")
    assert _refused(
        admin.admin_create_user, UserPoolId=pool_id, Username="nobody", MessageAction="RESEND"
    ) == ("UserNotFoundException", "User does not exist.")


# ---- AdminGetUser, AdminDeleteUser, AdminConfirmSignUp ----------------------------------------


def test_get_user_and_unknowns(pool: LocalPool) -> None:
    """AdminGetUser shows the user; unknown users and pools get AWS's errors."""
    pool.create_user("alice", PASSWORD, {"email": "alice@example.com"})
    got = pool.admin.admin_get_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert got["Username"] == "alice"
    assert got["UserStatus"] == "CONFIRMED"
    assert got["Enabled"] is True
    assert got["UserMFASettingList"] == []
    assert _attrs(got, "UserAttributes")["email"] == "alice@example.com"
    assert _refused(pool.admin.admin_get_user, UserPoolId=pool.user_pool_id, Username="nobody") == (
        "UserNotFoundException",
        "User does not exist.",
    )
    missing = f"{pool.region}_NoSuchPoo1"
    assert _refused(pool.admin.admin_get_user, UserPoolId=missing, Username="alice") == (
        "ResourceNotFoundException",
        f"User pool {missing} does not exist.",
    )


def test_delete_user(pool: LocalPool, public: Any) -> None:
    """A deleted user is gone and cannot sign in."""
    pool.create_user("alice", PASSWORD)
    pool.admin.admin_delete_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert _refused(pool.admin.admin_get_user, UserPoolId=pool.user_pool_id, Username="alice")[
        0
    ] == ("UserNotFoundException")
    with pytest.raises(ClientError) as excinfo:
        password_login(public, pool, "alice")
    assert error_code(excinfo) == "UserNotFoundException"


def test_confirm_sign_up(pool: LocalPool, public: Any) -> None:
    """AdminConfirmSignUp confirms an UNCONFIRMED user once; a confirmed one is refused."""
    public.sign_up(ClientId=pool.client_id, Username="alice", Password=PASSWORD)
    pool.admin.admin_confirm_sign_up(UserPoolId=pool.user_pool_id, Username="alice")
    assert "AuthenticationResult" in password_login(public, pool, "alice")
    assert _refused(
        pool.admin.admin_confirm_sign_up, UserPoolId=pool.user_pool_id, Username="alice"
    ) == ("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")


# ---- AdminDisableUser / AdminEnableUser ----------------------------------------------------------


def test_disable_revokes_access_tokens_and_enable_restores_sign_in(
    pool: LocalPool, public: Any
) -> None:
    """Disabling revokes the access tokens and refuses sign-in; enabling lets the user back."""
    pool.create_user("alice", PASSWORD)
    tokens = password_login(public, pool, "alice")["AuthenticationResult"]
    pool.admin.admin_disable_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert _refused(public.get_user, AccessToken=tokens["AccessToken"]) == (
        "NotAuthorizedException",
        "User is disabled.",
    )
    with pytest.raises(ClientError) as excinfo:
        password_login(public, pool, "alice")
    assert error_message(excinfo) == "User is disabled."
    listed = pool.admin.list_users(UserPoolId=pool.user_pool_id, Filter='status = "Disabled"')
    assert [u["Username"] for u in listed["Users"]] == ["alice"]
    pool.admin.admin_enable_user(UserPoolId=pool.user_pool_id, Username="alice")
    assert _refused(public.get_user, AccessToken=tokens["AccessToken"]) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    assert "AuthenticationResult" in password_login(public, pool, "alice")


# ---- attributes ------------------------------------------------------------------------------


def test_update_and_delete_attributes(pool: LocalPool) -> None:
    """A changed auto-verified e-mail is unverified with a code sent; ``sub`` cannot change."""
    pool.create_user("alice", PASSWORD, {"email": "a@example.com", "email_verified": "true"})
    admin, pool_id = pool.admin, pool.user_pool_id
    admin.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="alice",
        UserAttributes=[
            {"Name": "email", "Value": "new@example.com"},
            {"Name": "given_name", "Value": "Alice"},
        ],
    )
    got = _attrs(admin.admin_get_user(UserPoolId=pool_id, Username="alice"), "UserAttributes")
    assert (got["email"], got["email_verified"], got["given_name"]) == (
        "new@example.com",
        "false",
        "Alice",
    )
    assert pool.outbox.last(username="alice", purpose="verify_attribute").destination == (
        "new@example.com"
    )
    code, _ = _refused(
        admin.admin_update_user_attributes,
        UserPoolId=pool_id,
        Username="alice",
        UserAttributes=[{"Name": "sub", "Value": "x"}],
    )
    assert code == "InvalidParameterException"
    admin.admin_delete_user_attributes(
        UserPoolId=pool_id, Username="alice", UserAttributeNames=["given_name"]
    )
    got = _attrs(admin.admin_get_user(UserPoolId=pool_id, Username="alice"), "UserAttributes")
    assert "given_name" not in got
    assert (
        _refused(
            admin.admin_delete_user_attributes,
            UserPoolId=pool_id,
            Username="alice",
            UserAttributeNames=["sub"],
        )[0]
        == "InvalidParameterException"
    )


# ---- AdminUserGlobalSignOut -------------------------------------------------------------------


def test_global_sign_out_revokes_refresh_and_access_tokens(pool: LocalPool, public: Any) -> None:
    """After AdminUserGlobalSignOut the refresh token and the access token are refused."""
    pool.create_user("alice", PASSWORD)
    tokens = password_login(public, pool, "alice")["AuthenticationResult"]
    pool.admin.admin_user_global_sign_out(UserPoolId=pool.user_pool_id, Username="alice")
    assert _refused(public.get_user, AccessToken=tokens["AccessToken"]) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    assert _refused(
        public.initiate_auth,
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    ) == ("NotAuthorizedException", "Refresh Token has been revoked")


# ---- devices and auth events -------------------------------------------------------------------


def test_list_devices_shows_confirmed_devices(make_pool: Any, public: Any) -> None:
    """AdminListDevices lists what ConfirmDevice remembered, paged by ``Limit``."""
    local = make_pool(remember_devices="always")
    local.create_user("alice", PASSWORD)
    for name in ("laptop", "phone"):
        result = password_login(public, local, "alice")["AuthenticationResult"]
        public.confirm_device(
            AccessToken=result["AccessToken"],
            DeviceKey=result["NewDeviceMetadata"]["DeviceKey"],
            DeviceSecretVerifierConfig={"PasswordVerifier": "AQID", "Salt": "BAUG"},
            DeviceName=name,
        )
    first = local.admin.admin_list_devices(UserPoolId=local.user_pool_id, Username="alice", Limit=1)
    second = local.admin.admin_list_devices(
        UserPoolId=local.user_pool_id,
        Username="alice",
        Limit=1,
        PaginationToken=first["PaginationToken"],
    )
    assert "PaginationToken" not in second
    names = [
        _attrs(d, "DeviceAttributes")["device_name"]
        for d in (*first["Devices"], *second["Devices"])
    ]
    assert sorted(names) == ["laptop", "phone"]


def test_auth_events_need_threat_protection(pool: LocalPool, make_pool: Any) -> None:
    """Without threat protection: UserPoolAddOnNotEnabledException; with it, an honest empty
    history (no events are recorded here)."""
    pool.create_user("alice", PASSWORD)
    assert (
        _refused(
            pool.admin.admin_list_user_auth_events,
            UserPoolId=pool.user_pool_id,
            Username="alice",
        )[0]
        == "UserPoolAddOnNotEnabledException"
    )
    protected = make_pool(pool_config={"UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"}})
    protected.create_user("alice", PASSWORD)
    events = protected.admin.admin_list_user_auth_events(
        UserPoolId=protected.user_pool_id, Username="alice"
    )
    assert events["AuthEvents"] == []


# ---- ListUsers ----------------------------------------------------------------------------------


def test_list_users_filters(pool: LocalPool) -> None:
    """= and ^= on the searchable attributes; status and cognito:user_status."""
    pool.create_user("alice", PASSWORD, {"email": "alice@example.com", "given_name": "Al"})
    pool.create_user("albert", PASSWORD, {"email": "albert@example.org"})
    pool.admin.admin_create_user(UserPoolId=pool.user_pool_id, Username="bob")

    def names(text: str) -> list[str]:
        found = pool.admin.list_users(UserPoolId=pool.user_pool_id, Filter=text)["Users"]
        return sorted(u["Username"] for u in found)

    assert names('email = "alice@example.com"') == ["alice"]
    assert names('username ^= "al"') == ["albert", "alice"]
    assert names('email ^= "alb"') == ["albert"]
    assert names('given_name = "Al"') == ["alice"]
    assert names('cognito:user_status = "force_change_password"') == ["bob"]
    assert names('status = "Enabled"') == ["albert", "alice", "bob"]
    assert names("") == ["albert", "alice", "bob"]
    sub = _attrs(
        pool.admin.admin_get_user(UserPoolId=pool.user_pool_id, Username="alice"),
        "UserAttributes",
    )["sub"]
    assert names(f'sub = "{sub}"') == ["alice"]
    assert names('family_name = "with \\"quotes\\""') == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('custom:tier = "gold"', "Invalid search attribute: custom:tier"),
        ('address = "x"', "Invalid search attribute: address"),
        ("email = alice", "Error while parsing filter."),
        ('email == "a"', "Error while parsing filter."),
        ('email = "a" and name = "b"', "Error while parsing filter."),
    ],
)
def test_list_users_refuses_other_filters(pool: LocalPool, text: str, expected: str) -> None:
    """Only the documented grammar and attributes; AWS's InvalidParameterException otherwise."""
    assert _refused(pool.admin.list_users, UserPoolId=pool.user_pool_id, Filter=text) == (
        "InvalidParameterException",
        expected,
    )


def test_list_users_limit_and_attributes_to_get(pool: LocalPool) -> None:
    """Limit is 0..60; AttributesToGet limits the attributes; a token is tied to its filter."""
    for name in ("a1", "a2", "a3"):
        pool.create_user(name, PASSWORD, {"email": f"{name}@example.com", "given_name": name})
    code, message = _refused(pool.admin.list_users, UserPoolId=pool.user_pool_id, Limit=61)
    assert code == "InvalidParameterException"
    assert "less than or equal to 60" in message
    first = pool.admin.list_users(UserPoolId=pool.user_pool_id, Limit=2, AttributesToGet=["email"])
    assert [set(_attrs(u)) for u in first["Users"]] == [{"email"}, {"email"}]
    assert (
        _refused(
            pool.admin.list_users,
            UserPoolId=pool.user_pool_id,
            Limit=2,
            Filter='email ^= "a"',
            PaginationToken=first["PaginationToken"],
        )[0]
        == "InvalidParameterException"
    )
    rest = pool.admin.list_users(
        UserPoolId=pool.user_pool_id, Limit=2, PaginationToken=first["PaginationToken"]
    )
    assert [u["Username"] for u in rest["Users"]] == ["a3"]
    assert "PaginationToken" not in rest


def test_pagination_survives_changes_between_pages(pool: LocalPool) -> None:
    """Users added or deleted between pages do not make others repeat or vanish."""
    for i in range(10):
        pool.admin.admin_create_user(
            UserPoolId=pool.user_pool_id, Username=f"u{i:02d}", MessageAction="SUPPRESS"
        )
    first = pool.admin.list_users(UserPoolId=pool.user_pool_id, Limit=4)
    pool.admin.admin_delete_user(UserPoolId=pool.user_pool_id, Username="u00")
    pool.admin.admin_create_user(
        UserPoolId=pool.user_pool_id, Username="u00b", MessageAction="SUPPRESS"
    )
    seen = [u["Username"] for u in first["Users"]]
    token = first["PaginationToken"]
    while token:
        page = pool.admin.list_users(UserPoolId=pool.user_pool_id, Limit=4, PaginationToken=token)
        seen += [u["Username"] for u in page["Users"]]
        token = page.get("PaginationToken")
    assert len(seen) == len(set(seen))
    assert set(seen) >= {f"u{i:02d}" for i in range(10)}


def test_page_tokens_of_every_length_read_back(pool: LocalPool) -> None:
    """A page token is unpadded base64url of whatever length the last key gives it: names of
    12 lengths, one per page, make tokens of every length modulo 4 and 5."""
    names = [f"u{'x' * k}" for k in range(12)]
    for name in names:
        pool.admin.admin_create_user(
            UserPoolId=pool.user_pool_id, Username=name, MessageAction="SUPPRESS"
        )
    paginator = pool.admin.get_paginator("list_users")
    pages = paginator.paginate(UserPoolId=pool.user_pool_id, PaginationConfig={"PageSize": 1})
    assert sorted(u["Username"] for page in pages for u in page["Users"]) == names


def test_2500_users_listed_exactly_once_through_pages(pool: LocalPool) -> None:
    """2,500 AdminCreateUser (SUPPRESS) calls, then a ^= filter through Limit=60 pages: every
    match exactly once. Measured 7.6 s alone and 14.4 s inside the whole tests/local run on 2
    shared cores, almost all of it one HTTP round trip per create; the bound leaves room for a
    loaded machine but catches any per-user cost that grows with the pool."""
    admin, pool_id = pool.admin, pool.user_pool_id
    started = time.perf_counter()
    for i in range(2500):
        admin.admin_create_user(
            UserPoolId=pool_id,
            Username=f"{'team' if i % 2 else 'solo'}-{i:04d}",
            MessageAction="SUPPRESS",
            TemporaryPassword="Temp0rary-pass!",
        )
    created = time.perf_counter() - started
    paginator = admin.get_paginator("list_users")
    seen: list[str] = []
    pages = 0
    for page in paginator.paginate(
        UserPoolId=pool_id, Filter='username ^= "team-"', PaginationConfig={"PageSize": 60}
    ):
        pages += 1
        assert len(page["Users"]) <= 60
        seen += [u["Username"] for u in page["Users"]]
    elapsed = time.perf_counter() - started
    assert len(seen) == len(set(seen)) == 1250
    assert set(seen) == {f"team-{i:04d}" for i in range(1, 2500, 2)}
    assert pages == 21
    print(f"\n2,500 users: created in {created:.1f} s, created + listed in {elapsed:.1f} s")
    assert elapsed < 30
