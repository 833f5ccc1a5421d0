"""The strict layer's operations register themselves by AWS name, once, from their area."""

from __future__ import annotations

import botocore.session
import pytest

from cognito_user_pool.local._ops import _registry
from cognito_user_pool.local._ops._registry import OPERATIONS, operation


def test_every_registered_name_is_a_cognito_idp_operation() -> None:
    """Each name the strict layer answers is an operation of botocore's cognito-idp model."""
    model = botocore.session.get_session().get_service_model("cognito-idp")
    assert OPERATIONS
    assert set(OPERATIONS) <= set(model.operation_names)


def test_every_area_module_registers_something() -> None:
    """No area module of local/_ops is empty: each declares the operations it answers."""
    areas = {func.__module__.rsplit(".", 1)[-1] for func in OPERATIONS.values()}
    assert areas == {
        "admin",
        "auth",
        "devices",
        "mfa",
        "passkeys",
        "password",
        "profile",
        "signup",
        "tokens",
    }


def test_an_operation_cannot_be_answered_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registering a second answer to a name already taken is refused."""
    monkeypatch.setattr(_registry, "OPERATIONS", dict(OPERATIONS))
    with pytest.raises(ValueError, match="two answers to SignUp"):
        operation("SignUp")(lambda st, params: {})
