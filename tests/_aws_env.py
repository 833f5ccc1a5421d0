"""No AWS configuration leaks into a test: one function for the suite and the docs' blocks."""

from __future__ import annotations

import os

import pytest


def isolate_from_aws(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Drop every ``AWS_*`` and ``COGNITO_*`` variable and point the AWS config and
    credentials files at an empty one: the library must work without them, and a test must
    not reach a real account by accident."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "COGNITO_")):
            monkeypatch.delenv(name)
    empty = tmp_path_factory.getbasetemp() / "empty-aws-config"
    empty.touch()
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
