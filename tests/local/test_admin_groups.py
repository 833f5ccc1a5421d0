"""Groups against the strict local Cognito: CreateGroup, GetGroup, UpdateGroup, ListGroups,
DeleteGroup, AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser,
ListUsersInGroup."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cognito_user_pool.local import LocalPool

from .conftest import PASSWORD, error_code, error_message, password_login


def _refused(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    return error_code(excinfo), error_message(excinfo)


def unvalidated(pool: LocalPool) -> Any:
    """A signed client that sends what botocore's model would refuse (AWS checks it too)."""
    return boto3.client(
        "cognito-idp",
        region_name=pool.region,
        endpoint_url=pool.endpoint_url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="dummy-secret",
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )


def _group_names(pool: LocalPool, username: str) -> list[str]:
    groups = pool.admin.admin_list_groups_for_user(UserPoolId=pool.user_pool_id, Username=username)[
        "Groups"
    ]
    return sorted(g["GroupName"] for g in groups)


def test_group_round_trip(pool: LocalPool) -> None:
    """Description and precedence come back as given, and after UpdateGroup."""
    admin, pool_id = pool.admin, pool.user_pool_id
    created = admin.create_group(
        UserPoolId=pool_id, GroupName="admins", Description="The admins", Precedence=1
    )["Group"]
    assert (created["GroupName"], created["Description"], created["Precedence"]) == (
        "admins",
        "The admins",
        1,
    )
    got = admin.get_group(UserPoolId=pool_id, GroupName="admins")["Group"]
    assert (got["UserPoolId"], got["Description"], got["Precedence"]) == (pool_id, "The admins", 1)
    admin.update_group(UserPoolId=pool_id, GroupName="admins", Description="Admins", Precedence=5)
    got = admin.get_group(UserPoolId=pool_id, GroupName="admins")["Group"]
    assert (got["Description"], got["Precedence"]) == ("Admins", 5)


def test_group_refusals(pool: LocalPool) -> None:
    """Duplicates, unknown groups, users and pools, and a negative precedence."""
    admin, pool_id = pool.admin, pool.user_pool_id
    admin.create_group(UserPoolId=pool_id, GroupName="admins")
    assert _refused(admin.create_group, UserPoolId=pool_id, GroupName="admins")[0] == (
        "GroupExistsException"
    )
    not_found = ("ResourceNotFoundException", "Group not found.")
    assert _refused(admin.get_group, UserPoolId=pool_id, GroupName="nope") == not_found
    assert _refused(admin.delete_group, UserPoolId=pool_id, GroupName="nope") == not_found
    assert _refused(admin.update_group, UserPoolId=pool_id, GroupName="nope") == not_found
    assert _refused(admin.list_users_in_group, UserPoolId=pool_id, GroupName="nope") == (not_found)
    pool.create_user("alice", PASSWORD)
    assert (
        _refused(
            admin.admin_add_user_to_group, UserPoolId=pool_id, GroupName="nope", Username="alice"
        )
        == not_found
    )
    assert _refused(
        admin.admin_add_user_to_group, UserPoolId=pool_id, GroupName="admins", Username="nobody"
    ) == ("UserNotFoundException", "User does not exist.")
    assert _refused(admin.admin_list_groups_for_user, UserPoolId=pool_id, Username="nobody") == (
        "UserNotFoundException",
        "User does not exist.",
    )
    missing = f"{pool.region}_NoSuchPoo1"
    assert _refused(admin.list_groups, UserPoolId=missing) == (
        "ResourceNotFoundException",
        f"User pool {missing} does not exist.",
    )
    assert (
        _refused(
            unvalidated(pool).create_group, UserPoolId=pool_id, GroupName="neg", Precedence=-1
        )[0]
        == "InvalidParameterException"
    )


def test_membership_and_token_claims(pool: LocalPool, public: Any) -> None:
    """Add, list both ways, remove; the id token carries cognito:groups."""
    admin, pool_id = pool.admin, pool.user_pool_id
    pool.create_user("alice", PASSWORD)
    pool.create_user("bob", PASSWORD)
    for name in ("admins", "editors"):
        admin.create_group(UserPoolId=pool_id, GroupName=name)
    admin.admin_add_user_to_group(UserPoolId=pool_id, GroupName="admins", Username="alice")
    admin.admin_add_user_to_group(UserPoolId=pool_id, GroupName="admins", Username="alice")
    admin.admin_add_user_to_group(UserPoolId=pool_id, GroupName="editors", Username="alice")
    admin.admin_add_user_to_group(UserPoolId=pool_id, GroupName="admins", Username="bob")
    assert _group_names(pool, "alice") == ["admins", "editors"]
    members = admin.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"]
    assert sorted(u["Username"] for u in members) == ["alice", "bob"]
    admin.admin_remove_user_from_group(UserPoolId=pool_id, GroupName="admins", Username="bob")
    admin.admin_remove_user_from_group(UserPoolId=pool_id, GroupName="admins", Username="bob")
    members = admin.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"]
    assert [u["Username"] for u in members] == ["alice"]
    token = password_login(public, pool, "alice")["AuthenticationResult"]["AccessToken"]
    assert token  # the access token's cognito:groups is covered by tests/local/test_tokens.py


def test_deleting_a_group_or_a_user_drops_memberships(pool: LocalPool) -> None:
    """DeleteGroup empties the users' group lists; AdminDeleteUser empties the group."""
    admin, pool_id = pool.admin, pool.user_pool_id
    pool.create_user("alice", PASSWORD)
    pool.create_user("bob", PASSWORD)
    for name in ("admins", "editors"):
        admin.create_group(UserPoolId=pool_id, GroupName=name)
        for user in ("alice", "bob"):
            admin.admin_add_user_to_group(UserPoolId=pool_id, GroupName=name, Username=user)
    admin.delete_group(UserPoolId=pool_id, GroupName="editors")
    assert _group_names(pool, "alice") == ["admins"]
    admin.admin_delete_user(UserPoolId=pool_id, Username="bob")
    members = admin.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"]
    assert [u["Username"] for u in members] == ["alice"]


def test_group_lists_page(pool: LocalPool) -> None:
    """ListGroups, AdminListGroupsForUser and ListUsersInGroup page with Limit and NextToken,
    each item once; Limit above 60 is refused."""
    admin, pool_id = pool.admin, pool.user_pool_id
    pool.create_user("alice", PASSWORD)
    for i in range(5):
        admin.create_group(UserPoolId=pool_id, GroupName=f"g{i}", Precedence=i)
        admin.admin_add_user_to_group(UserPoolId=pool_id, GroupName=f"g{i}", Username="alice")
    for i in range(5):
        pool.create_user(f"m{i}", PASSWORD)
        admin.admin_add_user_to_group(UserPoolId=pool_id, GroupName="g0", Username=f"m{i}")

    def walk(call: Any, key: str, **kwargs: Any) -> list[str]:
        names: list[str] = []
        token = None
        while True:
            extra: dict[str, str] = {"NextToken": token} if token else {}
            page = call(UserPoolId=pool_id, Limit=2, **kwargs, **extra)
            assert len(page[key]) <= 2
            names += [item.get("GroupName") or item["Username"] for item in page[key]]
            token = page.get("NextToken")
            if not token:
                return names

    assert walk(admin.list_groups, "Groups") == [f"g{i}" for i in range(5)]
    assert walk(admin.admin_list_groups_for_user, "Groups", Username="alice") == [
        f"g{i}" for i in range(5)
    ]
    assert walk(admin.list_users_in_group, "Users", GroupName="g0") == [
        "alice",
        *[f"m{i}" for i in range(5)],
    ]
    code, message = _refused(admin.list_groups, UserPoolId=pool_id, Limit=61)
    assert code == "InvalidParameterException"
    assert "less than or equal to 60" in message


def test_group_lists_are_empty_without_groups(pool: LocalPool) -> None:
    """No groups: empty lists and no token."""
    pool.create_user("alice", PASSWORD)
    assert pool.admin.list_groups(UserPoolId=pool.user_pool_id)["Groups"] == []
    assert _group_names(pool, "alice") == []
    with pytest.raises(ClientError):
        pool.admin.get_group(UserPoolId=pool.user_pool_id, GroupName="admins")
