"""The ``local`` extra stays light: moto's Cognito backend plus what its server imports.

moto[server] serves every AWS service and pulls cfn-lint, sympy, networkx, docker and more
(75 packages, 333 MB measured; the light extra: 51 packages, 169 MB, docs/local-cognito.md).
Installing into a fresh venv is too slow for the suite, so the shape is checked here twice:
statically in pyproject.toml, and by running the server in a subprocess that cannot import
anything only moto[server] would have brought.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _project() -> dict[str, Any]:
    # tomllib from 3.11; coverage[toml] brings its twin tomli on 3.10.
    toml = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return dict(toml.load(handle)["project"])


def _local_extra() -> list[Requirement]:
    return [Requirement(text) for text in _project()["optional-dependencies"]["local"]]


def _closure(requirements: list[Requirement]) -> set[str]:
    """Every installed distribution these requirements pull in, their extras included."""
    seen: set[str] = set()
    todo = [(req, frozenset(req.extras)) for req in requirements]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen.add(key)
        for text in dist.requires or []:
            sub = Requirement(text)
            environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in environments):
                todo.append((sub, frozenset(sub.extras)))
    return {key.split("[")[0] for key in seen}


def _server_only() -> set[str]:
    """Distributions moto[server] pulls in (installed or not, with what they pull in when
    installed) that the light extra does not bring."""
    base = [Requirement(text) for text in _project()["dependencies"]]
    light = _closure([*_local_extra(), *base])
    server = [
        req
        for req in map(Requirement, importlib.metadata.requires("moto") or [])
        if req.marker is not None and req.marker.evaluate({"extra": "server"})
    ]
    return ({canonicalize_name(req.name) for req in server} | _closure(server)) - light


def test_local_extra_does_not_request_moto_server() -> None:
    """``local`` asks moto for its Cognito backend only, plus the server app's two imports."""
    requirements = {str(canonicalize_name(req.name)): req for req in _local_extra()}
    assert requirements["moto"].extras == {"cognitoidp"}
    assert {"flask", "flask-cors", "pyotp"} <= set(requirements)


def test_server_runs_without_server_only_packages() -> None:
    """With every package only moto[server] brings made unimportable, the local server
    starts, signs users up, answers signed admin calls, JWKS and /moto-api/."""
    blocked = _server_only()
    assert {"cfn-lint", "docker", "aws-xray-sdk"} <= blocked  # the heavy ones, at least
    modules = sorted(
        {
            module
            for module, dists in importlib.metadata.packages_distributions().items()
            if any(canonicalize_name(d) in blocked for d in dists)
        }
        | {name.replace("-", "_") for name in blocked}
    )
    script = textwrap.dedent(
        f"""
        import http.client, sys

        BLOCKED = set({modules!r})

        class Blocker:
            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] in BLOCKED:
                    raise ModuleNotFoundError(f"blocked (moto[server] only): {{name}}")
                return None

        sys.meta_path.insert(0, Blocker())

        import boto3, botocore
        from botocore.config import Config
        from cognito_user_pool.local import LocalCognito

        with LocalCognito(moto_api=True) as local:
            public = boto3.client(
                "cognito-idp", region_name=local.region, endpoint_url=local.endpoint_url,
                config=Config(signature_version=botocore.UNSIGNED),
            )
            public.sign_up(ClientId=local.client_id, Username="bob", Password="Corr3ct-horse!",
                           UserAttributes=[{{"Name": "email", "Value": "bob@example.com"}}])
            assert local.admin.list_users(UserPoolId=local.user_pool_id)["Users"]
            for path in (f"/{{local.user_pool_id}}/.well-known/jwks.json", "/moto-api/data.json"):
                conn = http.client.HTTPConnection("127.0.0.1", local.port, timeout=10)
                conn.request("GET", path)
                assert conn.getresponse().status == 200, path
                conn.close()
            public.close()
        loaded = sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED)
        assert not loaded, loaded
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
