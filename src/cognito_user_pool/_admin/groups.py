"""Admin operations on groups: create, read, list, delete, and their members."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

from .. import _validate as v
from .._errors import UnexpectedResponseError
from .._flows._blocking import blocking, blocking_pages
from .._types import AdminUser, Group
from ._base import AdminBase
from ._registry import admin_operation

__all__ = ["AdminGroups", "AdminGroupsBlocking"]


def _group(response: Mapping[str, object], operation: str) -> Group:
    raw = response.get("Group")
    if not isinstance(raw, Mapping):
        raise UnexpectedResponseError(f"Cognito answered {operation} without the group")
    return Group.from_aws(raw)


class AdminGroups(AdminBase):
    """The admin operations on groups."""

    @admin_operation
    async def create_group(
        self,
        *,
        group_name: str,
        description: str | None = None,
        precedence: int | None = None,
        role_arn: str | None = None,
    ) -> Group:
        """Create a group (CreateGroup). Its name appears in members' tokens
        (``cognito:groups``).

        :param precedence: which group's role wins for a user in several (lower wins).
        :param role_arn: an IAM role for members, through identity pools.
        :raises GroupExistsError: the pool has a group of that name.
        """
        params: dict[str, object] = {"GroupName": v.group_name(group_name)}
        if description is not None:
            params["Description"] = v.description(description)
        if precedence is not None:
            params["Precedence"] = v.precedence(precedence)
        if role_arn is not None:
            params["RoleArn"] = v.role_arn(role_arn)
        response = await self._call("CreateGroup", UserPoolId=self._config.user_pool_id, **params)
        return _group(response, "CreateGroup")

    @admin_operation
    async def get_group(self, *, group_name: str) -> Group:
        """One group (GetGroup).

        :raises ResourceNotFoundError: no such group.
        """
        response = await self._call(
            "GetGroup", UserPoolId=self._config.user_pool_id, GroupName=v.group_name(group_name)
        )
        return _group(response, "GetGroup")

    @admin_operation
    async def list_groups(self, *, limit: int | None = None) -> AsyncIterator[Group]:
        """Every group of the pool (ListGroups, every page, fetched as you iterate).

        :param limit: groups per request (1 to 60).
        """
        async for raw in self._pages("ListGroups", "Groups", limit=limit):
            yield Group.from_aws(raw)

    @admin_operation
    async def delete_group(self, *, group_name: str) -> None:
        """Delete a group (DeleteGroup); its members stay users of the pool.

        :raises ResourceNotFoundError: no such group.
        """
        await self._call(
            "DeleteGroup", UserPoolId=self._config.user_pool_id, GroupName=v.group_name(group_name)
        )

    @admin_operation
    async def admin_add_user_to_group(self, *, username: str, group_name: str) -> None:
        """Add a user to a group (AdminAddUserToGroup); tokens issued from then on list it."""
        await self._call(
            "AdminAddUserToGroup",
            UserPoolId=self._config.user_pool_id,
            Username=v.username(username),
            GroupName=v.group_name(group_name),
        )

    @admin_operation
    async def admin_remove_user_from_group(self, *, username: str, group_name: str) -> None:
        """Remove a user from a group (AdminRemoveUserFromGroup)."""
        await self._call(
            "AdminRemoveUserFromGroup",
            UserPoolId=self._config.user_pool_id,
            Username=v.username(username),
            GroupName=v.group_name(group_name),
        )

    @admin_operation
    async def admin_list_groups_for_user(
        self, *, username: str, limit: int | None = None
    ) -> AsyncIterator[Group]:
        """The groups a user is in (AdminListGroupsForUser, every page).

        :param limit: groups per request (1 to 60).
        """
        pages = self._pages(
            "AdminListGroupsForUser", "Groups", limit=limit, Username=v.username(username)
        )
        async for raw in pages:
            yield Group.from_aws(raw)

    @admin_operation
    async def list_users_in_group(
        self, *, group_name: str, limit: int | None = None
    ) -> AsyncIterator[AdminUser]:
        """The users in a group (ListUsersInGroup, every page).

        :param limit: users per request (1 to 60).
        """
        pages = self._pages(
            "ListUsersInGroup", "Users", limit=limit, GroupName=v.group_name(group_name)
        )
        async for raw in pages:
            yield AdminUser.from_aws(raw)


class AdminGroupsBlocking:
    """The blocking twins, for ``UserPoolAdmin``."""

    create_group = blocking(AdminGroups.create_group, "UserPoolAdmin")
    get_group = blocking(AdminGroups.get_group, "UserPoolAdmin")
    list_groups = blocking_pages(AdminGroups.list_groups)
    delete_group = blocking(AdminGroups.delete_group, "UserPoolAdmin")
    admin_add_user_to_group = blocking(AdminGroups.admin_add_user_to_group, "UserPoolAdmin")
    admin_remove_user_from_group = blocking(
        AdminGroups.admin_remove_user_from_group, "UserPoolAdmin"
    )
    admin_list_groups_for_user = blocking_pages(AdminGroups.admin_list_groups_for_user)
    list_users_in_group = blocking_pages(AdminGroups.list_users_in_group)
