"""Shared test set-up: no AWS configuration leaks in, and async tests run on asyncio."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _no_aws_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never see the developer's AWS credentials or profile: the library must work
    without them, and a test must not reach a real account by accident."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.startswith("COGNITO_"):
            monkeypatch.delenv(name)
    empty = tmp_path_factory.getbasetemp() / "empty-aws-config"
    empty.touch()
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
