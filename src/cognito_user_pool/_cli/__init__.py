"""The CLI's helpers (secrets, token files, output, the demo); ``cognito_user_pool.cli`` is
the entry point. Built on the public API only; the core never imports this package."""

from __future__ import annotations

__all__: list[str] = []
