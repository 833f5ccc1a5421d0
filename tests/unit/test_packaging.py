"""The sdist and the wheel hold what they should, and nothing that happens to lie in the tree.

Both are built in-process with hatchling (the build backend) from a copy of the project in
which junk has been planted: a ``.hypothesis/`` database, a ``.nox/`` virtualenv, a built
``site/``, coverage data, bytecode. The copy has no ``.gitignore``, so what keeps the junk out
is pyproject's own sdist configuration, not an ignore file that may lag behind.
"""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import pytest
from hatchling.builders.sdist import SdistBuilder
from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).parents[2]
# Left out of the copy: caches and environments that are large or churn while tests run.
NOT_COPIED = shutil.ignore_patterns(
    *(".git", ".nox", ".venv", "venv", ".mypy_cache", ".ruff_cache", ".pytest_cache"),
    *(".hypothesis", "__pycache__", "site", "dist", "build", "*.egg-info"),
)
JUNK = (
    ".hypothesis/examples/0123456789abcdef/fedcba9876543210",
    ".hypothesis/unicode_data/14.0.0/charmap.json.gz",
    ".nox/tests/bin/python",
    "site/index.html",
    ".coverage",
    ".coverage.host.1234.567890",
    "bench/results/run.json",
    "src/cognito_user_pool/__pycache__/_client.cpython-311.pyc",
    "tests/__pycache__/conftest.cpython-311.pyc",
    ".pytest_cache/v/cache/lastfailed",
)
JUNK_PARTS = frozenset({".hypothesis", ".nox", "__pycache__", "site", ".pytest_cache", "results"})


class Built(NamedTuple):
    sdist: list[str]  # member paths, without the archive's top folder
    wheel: list[str]
    entry_points: str  # the wheel's entry_points.txt
    metadata: str  # the wheel's METADATA


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build both artifacts once, from a junk-strewn copy of the project."""
    tree = tmp_path_factory.mktemp("tree") / "project"
    shutil.copytree(ROOT, tree, ignore=NOT_COPIED)
    (tree / ".gitignore").unlink(missing_ok=True)
    for name in JUNK:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(b"junk")
    out = tmp_path_factory.mktemp("dist")
    (sdist,) = SdistBuilder(str(tree)).build(directory=str(out), versions=["standard"])
    (wheel,) = WheelBuilder(str(tree)).build(directory=str(out), versions=["standard"])
    with tarfile.open(sdist) as archive:
        sdist_names = [str(PurePosixPath(*PurePosixPath(n).parts[1:])) for n in archive.getnames()]
    with zipfile.ZipFile(wheel) as archive:
        wheel_names = archive.namelist()
        (entry_points,) = [n for n in wheel_names if n.endswith(".dist-info/entry_points.txt")]
        (metadata,) = [n for n in wheel_names if n.endswith(".dist-info/METADATA")]
        return Built(
            sdist_names,
            wheel_names,
            archive.read(entry_points).decode(),
            archive.read(metadata).decode(),
        )


def test_sdist_leaves_out_the_work_tree_junk(built: Built) -> None:
    """No .hypothesis, .nox, __pycache__, site, .coverage or benchmark results in the sdist."""
    junk = [
        name
        for name in built.sdist
        if JUNK_PARTS.intersection(PurePosixPath(name).parts)
        or PurePosixPath(name).name.startswith(".coverage")
        or name.endswith((".pyc", ".pyo"))
    ]
    assert not junk, junk


def test_sdist_holds_the_sources_and_what_its_tests_need(built: Built) -> None:
    """The sdist has the package, its py.typed, the README, LICENSE, tests and their helpers."""
    for name in (
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "src/cognito_user_pool/__init__.py",
        "src/cognito_user_pool/py.typed",
        "tests/conftest.py",
        "docs/index.md",
        "bench/stub.py",
        "bench/scenarios/__init__.py",
        ".ci/run",
    ):
        assert name in built.sdist, name
    if (ROOT / "conftest.py").exists():  # it loads the README's and docs' snippet tests
        assert "conftest.py" in built.sdist


def test_wheel_has_py_typed_and_the_pytest_plugin(built: Built) -> None:
    """The wheel ships py.typed and registers the pytest11 entry point, without bytecode."""
    assert "cognito_user_pool/py.typed" in built.wheel
    assert "cognito_user_pool/pytest_plugin.py" in built.wheel
    assert not [name for name in built.wheel if "__pycache__" in name or name.endswith(".pyc")]
    section = built.entry_points.split("[pytest11]", 1)[1].split("\n[", 1)[0]
    assert "cognito_user_pool = cognito_user_pool.pytest_plugin" in section


def test_metadata_has_no_placeholder_urls(built: Built) -> None:
    """Neither pyproject nor the built metadata names an example.invalid URL."""
    assert "example.invalid" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "example.invalid" not in built.metadata
    assert "Name: cognito-user-pool" in built.metadata
