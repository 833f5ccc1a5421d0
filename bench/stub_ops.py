"""The benchmark stub's answers to Cognito's JSON operations, with no HTTP in the way.

- ``InitiateAuth`` ``USER_SRP_AUTH`` -> ``PASSWORD_VERIFIER`` with the state's ``SRP_B``, salt and
  ``SECRET_BLOCK``; ``REFRESH_TOKEN_AUTH`` -> new access and id tokens;
- ``RespondToAuthChallenge`` ``PASSWORD_VERIFIER`` -> the access, id and refresh tokens (the SRP
  proof is checked for shape only, not verified);
- ``GetUser`` -> a user with a dozen attributes.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from typing import Any

from bench.stub_state import SRP_N, SUB, StubState

__all__ = ["StubError", "handle_operation"]


class StubError(Exception):
    """An AWS-style error answer: ``{"__type": code, "message": ...}`` with HTTP 400."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _require(params: Mapping[str, Any], *names: str) -> None:
    for name in names:
        value = params.get(name)
        if not isinstance(value, str) or not value:
            raise StubError("InvalidParameterException", f"Missing required parameter {name}")


def _tokens(state: StubState, *, with_refresh: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "AccessToken": state.access_token,
        "ExpiresIn": 3600,
        "IdToken": state.id_token,
        "TokenType": "Bearer",
    }
    if with_refresh:
        result["RefreshToken"] = state.refresh_token
    return {"AuthenticationResult": result, "ChallengeParameters": {}}


def _initiate_auth(state: StubState, body: Mapping[str, Any]) -> dict[str, Any]:
    _require(body, "ClientId", "AuthFlow")
    params = body.get("AuthParameters") or {}
    flow = body["AuthFlow"]
    if flow == "USER_SRP_AUTH":
        _require(params, "USERNAME", "SRP_A")
        srp_a = int(params["SRP_A"], 16)
        if srp_a % SRP_N == 0:
            raise StubError("NotAuthorizedException", "Invalid SRP_A")
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": state.salt,
                "SECRET_BLOCK": state.secret_block,
                "SRP_B": state.srp_b,
                "USERNAME": SUB,
                "USER_ID_FOR_SRP": SUB,
            },
        }
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        _require(params, "REFRESH_TOKEN")
        if params["REFRESH_TOKEN"] != state.refresh_token:
            raise StubError("NotAuthorizedException", "Invalid Refresh Token")
        return _tokens(state, with_refresh=False)
    raise StubError("InvalidParameterException", f"Unsupported AuthFlow {flow}")


def _respond_to_auth_challenge(state: StubState, body: Mapping[str, Any]) -> dict[str, Any]:
    _require(body, "ClientId", "ChallengeName")
    if body["ChallengeName"] != "PASSWORD_VERIFIER":
        raise StubError("InvalidParameterException", "Unsupported challenge")
    answers = body.get("ChallengeResponses") or {}
    _require(
        answers,
        "USERNAME",
        "TIMESTAMP",
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "PASSWORD_CLAIM_SIGNATURE",
    )
    if answers["PASSWORD_CLAIM_SECRET_BLOCK"] != state.secret_block:
        raise StubError("NotAuthorizedException", "Incorrect username or password.")
    if len(base64.b64decode(answers["PASSWORD_CLAIM_SIGNATURE"])) != 32:
        raise StubError("NotAuthorizedException", "Incorrect username or password.")
    return _tokens(state, with_refresh=True)


def _get_user(state: StubState, body: Mapping[str, Any]) -> dict[str, Any]:
    _require(body, "AccessToken")
    if body["AccessToken"] != state.access_token:
        raise StubError("NotAuthorizedException", "Invalid Access Token")
    return {
        "Username": SUB,
        "UserAttributes": state.user_attributes,
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
    }


# By the operation's AWS name, as it arrives in X-Amz-Target.
_OPERATIONS: dict[str, Callable[[StubState, Mapping[str, Any]], dict[str, Any]]] = {
    "InitiateAuth": _initiate_auth,
    "RespondToAuthChallenge": _respond_to_auth_challenge,
    "GetUser": _get_user,
}


def handle_operation(state: StubState, operation: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """The answer to one Cognito JSON operation.

    :raises StubError: for an unknown operation or a request Cognito would refuse.
    """
    handler = _OPERATIONS.get(operation)
    if handler is None:
        raise StubError("InvalidAction", f"The stub does not implement {operation}")
    return handler(state, body)
