"""The retry policy table: complete against botocore's model, and the same in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session

from cognito_user_pool._retry_policy import POLICY, rule_for

_MODEL = botocore.session.get_session().get_service_model("cognito-idp")
_DOCS = Path(__file__).parents[2] / "docs" / "reliability.md"
_ADMIN = Path(__file__).parents[2] / "src" / "cognito_user_pool" / "_admin"


def _operation(key: str) -> str:
    return key.split(" ", 1)[0]


def test_every_operation_a_user_may_call_has_a_row() -> None:
    """Each operation botocore marks ``authtype: none`` (the user-facing API) is in the table;
    InitiateAuth by each flow the library sends."""
    user_facing = {
        name for name in _MODEL.operation_names if _MODEL.operation_model(name).auth_type == "none"
    }
    assert len(user_facing) >= 32
    assert user_facing <= {_operation(key) for key in POLICY}
    assert {"InitiateAuth USER_SRP_AUTH", "InitiateAuth REFRESH_TOKEN_AUTH"} <= set(POLICY)


def test_the_other_rows_are_the_admin_operations_the_admin_client_sends() -> None:
    """Beyond the user-facing API, the table has a row for each operation the admin
    client's code names, and no other: all of them need IAM credentials."""
    user_facing = {
        name for name in _MODEL.operation_names if _MODEL.operation_model(name).auth_type == "none"
    }
    source = "".join(path.read_text(encoding="utf-8") for path in sorted(_ADMIN.glob("*.py")))
    sent = set(re.findall(r'"((?:Admin|List|Get|Create|Delete)[A-Za-z]+)"', source))
    sent = {name for name in sent if name in _MODEL.operation_names}
    admin_rows = {_operation(key) for key in POLICY} - user_facing
    assert admin_rows == sent
    for name in admin_rows:
        assert _MODEL.operation_model(name).auth_type != "none", name


def test_initiate_auth_rows_name_real_flows() -> None:
    """Each ``InitiateAuth <flow>`` row names a value of the AuthFlow enum."""
    flows = set(_MODEL.operation_model("InitiateAuth").input_shape.members["AuthFlow"].enum)
    admin_flows = set(
        _MODEL.operation_model("AdminInitiateAuth").input_shape.members["AuthFlow"].enum
    )
    for key in POLICY:
        if key.startswith("InitiateAuth"):
            assert key.split(" ", 1)[1] in flows
        if key.startswith("AdminInitiateAuth"):
            assert key.split(" ", 1)[1] in admin_flows


def test_every_row_says_why_and_what_to_check() -> None:
    """Rows give a reason; those never sent twice also say what to check when unsure."""
    for key, rule in POLICY.items():
        assert rule.reason, key
        assert rule.resend or rule.check, key


def test_unknown_requests_are_never_sent_twice() -> None:
    """An operation or an InitiateAuth flow missing from the table is not resent."""
    assert not rule_for("SomeFutureOperation", {}).resend
    assert not rule_for("InitiateAuth", {"AuthFlow": "SOME_FUTURE_FLOW"}).resend
    assert not rule_for("InitiateAuth", {}).resend
    assert rule_for("InitiateAuth", {"AuthFlow": "USER_SRP_AUTH"}).resend
    assert not rule_for("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH"}).resend


def test_the_docs_show_the_table_as_it_is() -> None:
    """docs/reliability.md's table has one row per entry, with the same values."""
    rows = re.findall(
        r"^\| `([^`]+)` \| (yes|no) \| (.+?) \| (.+?) \|$",
        _DOCS.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    documented = {key: (resend == "yes", reason, check) for key, resend, reason, check in rows}
    expected = {key: (rule.resend, rule.reason, rule.check or "—") for key, rule in POLICY.items()}
    assert documented == expected
