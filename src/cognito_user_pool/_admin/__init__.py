"""The admin client: a backend manages the users of one pool with IAM credentials.

``AsyncUserPoolAdmin`` is a :class:`~cognito_user_pool._connection.Connection` like
``AsyncUserPool`` (one long-lived aiobotocore client, the same retry policy, answer check,
errors and closing), signed with IAM credentials instead of unsigned. Its operations are
AWS's in snake_case, declared with ``@admin_operation`` in ``users``, ``groups`` and
``auth``; their blocking twins make ``UserPoolAdmin`` (``_sync``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._config import AdminConfig, AdminOptions, with_pool_options
from .._connection import Connection
from ._registry import AdminOperation, registered
from .auth import AdminAuth, AdminAuthBlocking
from .groups import AdminGroups, AdminGroupsBlocking
from .users import SEARCHABLE_ATTRIBUTES, AdminUsers, AdminUsersBlocking

if TYPE_CHECKING:
    from collections.abc import Mapping

    from typing_extensions import Unpack

__all__ = [
    "ADMIN_OPERATIONS",
    "SEARCHABLE_ATTRIBUTES",
    "AdminOperation",
    "AllAdminBlocking",
    "AsyncUserPoolAdmin",
]


class AllAdmin(AdminUsers, AdminGroups, AdminAuth):
    """Every admin operation, for ``AsyncUserPoolAdmin`` to inherit."""


class AllAdminBlocking(AdminUsersBlocking, AdminGroupsBlocking, AdminAuthBlocking):
    """Every admin operation's blocking twin, for ``UserPoolAdmin`` to inherit."""


class AsyncUserPoolAdmin(Connection, AllAdmin):
    """The users and groups of one Cognito user pool, managed by a backend, as coroutines.

    Requests are signed with IAM credentials: given here, or found by botocore's usual chain
    (environment, ``AWS_PROFILE``, container or instance role), as for boto3. The caller
    needs the ``cognito-idp:Admin*``, ``ListUsers``, ``*Group*`` permissions it uses.

    Usage::

        async with AsyncUserPoolAdmin("eu-west-1_AbC123") as admin:
            await admin.admin_create_user(username="ann", attributes={"email": "ann@x.org"})
            async for user in admin.list_users(filter='email ^= "ann"'):
                print(user.username, user.status)

    :param user_pool_id: ``<region>_<id>``; the region defaults to its prefix.
    :param options: the app client (for ``admin_initiate_auth``), region, endpoint,
        credentials, retries and timeouts, as keywords: :class:`AdminConfig` lists them.
    :raises InvalidParameterError: for a malformed pool id or option.
    """

    @with_pool_options(AdminOptions, AdminConfig)
    def __init__(self, user_pool_id: str, **options: Unpack[AdminOptions]) -> None:
        self._config: AdminConfig = AdminConfig(user_pool_id, **options)
        super().__init__()

    @classmethod
    def from_config(cls, config: AdminConfig) -> AsyncUserPoolAdmin:
        """An admin client for an existing ``AdminConfig``."""
        return cls(config.user_pool_id, **config.options())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AsyncUserPoolAdmin:
        """An admin client from ``COGNITO_USER_POOL_ID`` (and ``COGNITO_CLIENT_ID``,
        ``COGNITO_CLIENT_SECRET``, ``AWS_REGION``, ``COGNITO_ENDPOINT_URL`` if set); the
        credentials from botocore's chain."""
        return cls.from_config(AdminConfig.from_env(environ))

    @property
    def config(self) -> AdminConfig:
        """The admin client's configuration (immutable)."""
        return self._config

    def _signing(self) -> dict[str, Any]:
        """Signed with SigV4 (botocore's default), with the explicit credentials if any."""
        return self._config.credentials()


ADMIN_OPERATIONS: tuple[AdminOperation, ...] = registered()
