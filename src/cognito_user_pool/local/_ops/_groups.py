"""What the group operations (answered in ``admin``) share: the pool's groups, one group by
``GroupName`` with AWS's "Group not found.", a group's JSON and the ``Precedence`` check.

Group objects are moto's; the attributes read here (``groups``, ``group_name``, ``users``) are
those ``_moto_internals.check_internals`` checks.
"""

from __future__ import annotations

from typing import Any

from .. import _messages as msg
from .. import _moto_internals as mi
from .._errors import ServiceError
from ._common import require
from ._registry import Params, Result

__all__ = ["check_precedence", "group", "group_json", "pool_groups"]


def pool_groups(pool: mi.MotoPool) -> dict[str, Any]:
    groups: dict[str, Any] = pool.raw.groups
    return groups


def group(pool: mi.MotoPool, params: Params) -> Any:
    """The group ``params["GroupName"]`` of the pool, or AWS's "Group not found."."""
    name = require(params, "GroupName")
    group = pool_groups(pool).get(name)
    if group is None:
        raise msg.GROUP_NOT_FOUND.error()
    return group


def group_json(group: Any) -> Result:
    result: Result = group.to_json()
    return {k: v for k, v in result.items() if v is not None}


def check_precedence(params: Params) -> None:
    """API_CreateGroup: ``Precedence`` "Valid Range: Minimum value of 0." (the words of the
    refusal are a guess in AWS's validation form)."""
    value = params.get("Precedence")
    if value is not None and (not isinstance(value, int) or value < 0):
        raise ServiceError(
            "InvalidParameterException",
            f"1 validation error detected: Value '{value}' at 'precedence' failed to satisfy "
            "constraint: Member must have value greater than or equal to 0",
        )
