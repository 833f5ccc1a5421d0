"""``admin``: the pool's users and groups, managed with IAM credentials.

Built on the blocking ``UserPoolAdmin`` as the other commands are on ``UserPool``: the
machinery is in ``_admin_command`` (``@admin_command``), the commands in ``_admin_users``
(one user; the listing), ``_admin_sessions`` (sign-in, groups, devices and events of a user),
``_admin_groups`` and ``_admin_import`` (bulk creation from a CSV file). Importing this module
adds them all to the root group.
"""

from __future__ import annotations

from . import _admin_groups, _admin_import, _admin_sessions, _admin_users
from ._admin_command import admin

__all__ = ["ADMIN_MODULES", "admin"]

ADMIN_MODULES = (_admin_users, _admin_sessions, _admin_groups, _admin_import)
