"""The generator of ``_validate/_limits.py``: its entry point writes what the committed file
holds, and what it renders reads back as the model's limits, enumerations included (no member
the checks feed has one today, so the committed file alone never shows that branch)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from cognito_user_pool._validate import _limits, _model
from cognito_user_pool._validate._shape import Shape


def _read_back(text: str) -> dict[tuple[str, ...], Shape]:
    """The LIMITS a rendered module defines, run as the package would import it."""
    body = text.replace("from ._shape import Shape\n", "")
    namespace: dict[str, object] = {"Shape": Shape}
    exec(compile(body, "<rendered _limits>", "exec"), namespace)  # noqa: S102 (our own output)
    limits = namespace["LIMITS"]
    assert isinstance(limits, dict)
    return limits


def test_the_generator_writes_the_committed_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "_limits.py"
    _model._write(target)
    with open(_limits.__file__, encoding="utf-8") as committed:
        assert target.read_text(encoding="utf-8") == committed.read()
    assert capsys.readouterr().out == f"wrote {target}\n"
    # By default it writes the module the package imports.
    # (Read through the signature: mutmut's wrapper keeps it, not __defaults__.)
    default = inspect.signature(_model._write).parameters["target"].default
    assert default == Path(_limits.__file__)


def test_a_rendered_member_reads_back_as_the_models_limits() -> None:
    """Each member once, however often it is named, with its lengths, patterns and enum."""
    keys = [("InitiateAuth", "AuthFlow"), ("SignUp", "ClientId"), ("InitiateAuth", "AuthFlow")]
    limits = _read_back(_model.render(keys))
    assert list(limits) == [("InitiateAuth", "AuthFlow"), ("SignUp", "ClientId")]
    for key, shape in limits.items():
        assert shape == _model.live_member(*key)
    flow = limits[("InitiateAuth", "AuthFlow")]
    assert flow.enum is not None and "USER_SRP_AUTH" in flow.enum
    client_id = limits[("SignUp", "ClientId")]
    assert (client_id.min, client_id.max, client_id.patterns) == (1, 128, (r"[\w+]+",))
    assert client_id.enum is None
