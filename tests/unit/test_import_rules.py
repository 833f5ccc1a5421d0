"""The dependency direction holds: the core never imports the shims, CLI, web or local."""

from __future__ import annotations

import ast
import re
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


ARCHITECTURE = Path(__file__).parents[2] / "docs" / "architecture.md"


def _layers() -> dict[str, int]:
    """Module -> layer, read from the table in docs/architecture.md."""
    layers: dict[str, int] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| (\d+) \| (`[^|]+`) \|.*", line)
        if match:
            for name in re.findall(r"`([\w]+)`", match[2]):
                layers[name] = int(match[1])
    return layers


def _module_of(path: Path) -> str:
    """The top-level module or folder of the package that a file belongs to."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _package_imports(path: Path) -> set[str]:
    """The top-level modules of the package that ``path`` imports (relative or absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(PACKAGE).parts) - 1
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 0:
            parts = (node.module or "").split(".")
            if parts[0] == "cognito_user_pool":
                found.add(parts[1] if len(parts) > 1 else "__init__")
        elif node.level == depth + 1:  # relative to the package's root
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    found.discard(_module_of(path))
    return found


def test_the_architecture_table_names_every_module() -> None:
    """docs/architecture.md puts every module and folder of the package on a layer."""
    modules = {_module_of(p) for p in PACKAGE.rglob("*.py")}
    assert modules == set(_layers())


def test_imports_point_down_the_layers() -> None:
    """Every import inside the package goes to a lower layer of docs/architecture.md."""
    layers = _layers()
    for path in PACKAGE.rglob("*.py"):
        here = _module_of(path)
        for target in _package_imports(path):
            assert layers[target] < layers[here], f"{path} imports {target}"
