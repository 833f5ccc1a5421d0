"""Shared test set-up: no AWS configuration leaks in, and async tests run on asyncio."""

from __future__ import annotations

import pytest

from ._aws_env import isolate_from_aws


@pytest.fixture(autouse=True)
def _no_aws_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never see the developer's AWS credentials or profile."""
    isolate_from_aws(monkeypatch, tmp_path_factory)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
