"""Fail loudly, naming the piece, when a moto release changes an internal we rely on."""

from __future__ import annotations

import ast
from pathlib import Path

import moto

from cognito_user_pool.local import _moto_internals

LOCAL = Path(_moto_internals.__file__).parent


def test_every_internal_is_present() -> None:
    """All moto names and attributes the strict layer uses exist in the installed moto."""
    problems = _moto_internals.check_internals()
    assert not problems, (
        f"moto {moto.__version__} is incompatible with cognito_user_pool.local; "
        "update src/cognito_user_pool/local/_moto_internals.py and the `local` extra's "
        "moto range in pyproject.toml. Missing:\n  " + "\n  ".join(problems)
    )


def test_check_reports_a_missing_name(monkeypatch) -> None:
    """The check is not a rubber stamp: a vanished name is reported by its dotted path."""
    monkeypatch.setattr(
        _moto_internals,
        "REQUIRED",
        (*_moto_internals.REQUIRED, ("moto.cognitoidp.models", "CognitoIdpBackend.no_such_thing")),
    )
    problems = _moto_internals.check_internals()
    assert len(problems) == 1
    assert "CognitoIdpBackend.no_such_thing" in problems[0]


def test_only_one_module_imports_moto() -> None:
    """moto is reached only through _moto_internals (and never by static import elsewhere)."""
    offenders = []
    for path in LOCAL.glob("*.py"):
        if path.name == "_moto_internals.py":
            continue
        source = path.read_text()
        tree = ast.parse(source)
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name == "moto" or name.startswith("moto.") for name in names):
                offenders.append(path.name)
        if '"moto.' in source or "'moto." in source:
            offenders.append(path.name)
    assert not offenders, f"moto used outside _moto_internals: {sorted(set(offenders))}"


def test_local_never_imports_client_srp() -> None:
    """The verifier is an independent witness: no cognito_user_pool._srp, no pycognito."""
    for path in LOCAL.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert "pycognito" not in module, path.name
                assert module not in ("_srp", "cognito_user_pool._srp"), path.name
                assert not (node.level >= 2 and module == "_srp"), path.name
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("pycognito"), path.name
                    assert alias.name != "cognito_user_pool._srp", path.name
