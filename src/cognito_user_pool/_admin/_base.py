"""What every admin operation needs: the pool's id, one way to call Cognito, and pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from .. import _validate as v
from .._config import AdminConfig
from .._errors import UnexpectedResponseError

__all__ = ["AdminBase"]


class AdminBase:
    """The services admin operations rely on; ``AsyncUserPoolAdmin`` provides ``_call``."""

    _config: AdminConfig

    async def _call(self, operation: str, /, **params: Any) -> dict[str, Any]:
        raise NotImplementedError

    async def _pages(
        self,
        operation: str,
        items: str,
        *,
        token: str = "NextToken",
        limit_key: str = "Limit",
        limit: object = None,
        **params: Any,
    ) -> AsyncIterator[Mapping[str, Any]]:
        """Every item under ``items`` of every page of ``operation``: each request carries
        the previous answer's ``token`` until an answer has none. Pages are fetched as the
        caller iterates, so a listing of any size holds one page at a time.

        :param limit: items per request, as the caller gave it (``None``: Cognito's
            default); checked here, for every listing, before the first request.
        :raises InvalidParameterError: ``limit`` is not an integer from 1 to 60.
        :raises UnexpectedResponseError: Cognito repeated a page token (the listing would
            never end), or sent a page whose ``items`` is not a list.
        """
        request = dict(params, UserPoolId=self._config.user_pool_id)
        if limit is not None:
            request[limit_key] = v.page_size(limit, "limit")
        seen: set[str] = set()
        while True:
            response = await self._call(operation, **request)
            page = response.get(items) or []
            if not isinstance(page, list):
                raise UnexpectedResponseError(f"{operation}: {items} is not a list")
            for item in page:
                yield item
            following = response.get(token)
            if not following:
                return
            if following in seen:
                raise UnexpectedResponseError(f"{operation}: Cognito repeated a page token")
            seen.add(following)
            request[token] = following
