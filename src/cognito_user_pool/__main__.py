"""``python -m cognito_user_pool``: the ``cognito-user-pool`` command line (extra ``[cli]``)."""

from __future__ import annotations

__all__: list[str] = []

if __name__ == "__main__":
    from cognito_user_pool.cli import main

    main()
