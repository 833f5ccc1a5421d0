"""The dependency direction holds: the core never imports the shims, CLI, web or local."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import cognito_user_pool

PACKAGE = Path(cognito_user_pool.__file__).parent
CORE = [
    "_errors",
    "_config",
    "_validate",
    "_types",
    "_srp",
    "_srp_fast",
    "_tokens",
    "_flows",
    "_client",
]
UPPER = {
    "_sync",
    "_exit",
    "_node",
    "_callback",
    "local",
    "cli",
    "web",
    "pytest_plugin",
    "_verify",
    "_claim_checks",
    "_session",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _core_files() -> list[Path]:
    files: list[Path] = []
    for name in CORE:
        target = PACKAGE / name
        files.extend(
            sorted(target.rglob("*.py")) if target.is_dir() else [target.with_suffix(".py")]
        )
    return files


def test_core_never_imports_upper_layers() -> None:
    """No core module imports _sync, _callback, local, cli, web or the pytest plugin."""
    for path in _core_files():
        for imported in _imports(path):
            parts = {p for p in imported.replace("cognito_user_pool", "").split(".") if p}
            assert not parts & UPPER, f"{path.name} imports {imported}"


def test_errors_module_imports_nothing_from_the_package() -> None:
    """_errors sits at the bottom: it imports no other module of the package."""
    imported = _imports(PACKAGE / "_errors.py")
    assert not any(i.startswith(".") or "cognito_user_pool" in i for i in imported)


def test_srp_glue_is_free_of_io_libraries() -> None:
    """_srp imports neither aiobotocore nor anyio, so its maths is testable alone."""
    imported = _imports(PACKAGE / "_srp.py")
    assert not any(
        i.split(".")[0] in {"aiobotocore", "anyio", "aiohttp", "botocore"} for i in imported
    )


def test_local_cognito_never_imports_the_client_srp() -> None:
    """The local Cognito's SRP verifier is an independent witness: no _srp, no pycognito."""
    local = PACKAGE / "local"
    assert local.is_dir()
    for path in local.rglob("*.py"):
        for imported in _imports(path):
            assert "pycognito" not in imported, path
            assert not imported.endswith("_srp") and "._srp." not in imported, (path, imported)


def test_import_is_light() -> None:
    """import cognito_user_pool pulls in no AWS, HTTP, JOSE, SRP, emulator or CLI library."""
    code = (
        "import sys, cognito_user_pool; "
        "print(','.join(m for m in ('boto3','pycognito','moto','requests','jwt','click','rich',"
        "'aiobotocore','botocore','aiohttp','joserfc','cryptography','gmpy2') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
