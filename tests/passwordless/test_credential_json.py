"""The browser's credential JSON, checked before any request (WebAuthn Level 3's
``RegistrationResponseJSON`` and ``AuthenticationResponseJSON``): each refusal names the
member at fault, never its value, and what passes is a copy made of JSON values only."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from cognito_user_pool import InvalidParameterError
from cognito_user_pool._flows.passkeys import credential_json

ASSERTION: dict[str, Any] = {
    "id": "AAEC",
    "rawId": "AAEC",
    "type": "public-key",
    "response": {
        "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0",
        "authenticatorData": "SZYN5YgO",
        "signature": "MEUCIQ",
        "userHandle": "dXNlcg",
    },
    "clientExtensionResults": {},
    "authenticatorAttachment": "platform",
}
REGISTRATION: dict[str, Any] = {
    **ASSERTION,
    "response": {"clientDataJSON": "eyJ0In0", "attestationObject": "o2NmbXRk"},
}


def _with(base: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """``base`` with the member at the dotted ``path`` set (or removed, for ``...``)."""
    changed = copy.deepcopy(base)
    *parents, last = path.split(".")
    target = changed
    for name in parents:
        target = target[name]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return changed


def test_a_well_formed_credential_passes_as_an_object_or_as_its_text() -> None:
    checked = credential_json(ASSERTION, "credential", "assertion")
    assert checked == ASSERTION
    assert checked is not ASSERTION and checked["response"] is not ASSERTION["response"]
    assert credential_json(json.dumps(REGISTRATION), "credential", "registration") == REGISTRATION
    # Optional members may be absent.
    bare = _with(_with(ASSERTION, "response.userHandle", ...), "clientExtensionResults", ...)
    assert credential_json(bare, "credential", "assertion") == bare


@pytest.mark.parametrize(
    ("value", "form", "message"),
    [
        ("{not json", "assertion", "credential is not JSON text"),
        (
            ["AAEC"],
            "assertion",
            "credential must be the browser's credential as a JSON object (credential.toJSON())",
        ),
        (
            {**ASSERTION, "extra": float("nan")},
            "assertion",
            "credential holds values JSON cannot carry",
        ),
        (
            {**ASSERTION, "extra": object()},
            "assertion",
            "credential holds values JSON cannot carry",
        ),
        (_with(ASSERTION, "type", "password"), "assertion", 'credential.type must be "public-key"'),
        (_with(ASSERTION, "id", "a+b/"), "assertion", "credential.id must be a base64url string"),
        (
            _with(ASSERTION, "rawId", ...),
            "assertion",
            "credential.rawId must be a base64url string",
        ),
        (_with(ASSERTION, "response", "x"), "assertion", "credential.response must be an object"),
        (
            _with(ASSERTION, "response.signature", 5),
            "assertion",
            "credential.response.signature must be a base64url string",
        ),
        (
            _with(ASSERTION, "response.userHandle", "not base64url!"),
            "assertion",
            "credential.response.userHandle must be a base64url string",
        ),
        (
            ASSERTION,
            "registration",
            "credential.response.attestationObject must be a base64url string",
        ),
        (
            _with(ASSERTION, "clientExtensionResults", []),
            "assertion",
            "credential.clientExtensionResults must be an object",
        ),
        (
            _with(ASSERTION, "authenticatorAttachment", 1),
            "assertion",
            "credential.authenticatorAttachment must be a string",
        ),
    ],
)
def test_each_fault_is_named(value: object, form: str, message: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        credential_json(value, "credential", form)
    assert (info.value.field, info.value.message) == ("credential", message)
