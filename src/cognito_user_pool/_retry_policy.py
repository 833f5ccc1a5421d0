"""Which Cognito operations may be sent twice, and botocore's retries held to that.

botocore's ``standard`` retry mode resends any request after a transient failure (a reset, a
read timeout, an HTTP 5xx: ``TransientRetryableChecker`` in ``botocore/retries/standard.py``).
When the first attempt was applied and only its answer was lost, the resend of a request
that changes state, or uses up a code or a session, reports the opposite of what happened:
SignUp says UsernameExists, a challenge answer says "session can only be used once". So:

- ``POLICY`` says, per operation, whether sending it twice is harmless, and why;
- botocore's own retry handler (its checks, back-off and retry quota) still makes every
  retry decision, behind a gate (``install``) that lets through only operations that may be
  sent twice and, for the others, failures where the request was never processed: no
  connection was made, or Cognito refused it as throttled;
- when an operation that must not run twice fails after its request may have reached
  Cognito, the caller gets :class:`OutcomeUnknownError` (``outcome_unknown``), never the
  failure's own error.

botocore and aiohttp are imported inside the functions: they load in a worker thread when
the pool opens its client (``_connection._aio_session``), not when this module is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._errors import CognitoError, MalformedResponseError, NetworkError, OutcomeUnknownError

__all__ = ["POLICY", "Rule", "install", "never_sent", "outcome_unknown", "rule_for"]


@dataclass(frozen=True)
class Rule:
    """Whether an operation may be sent twice, why, and what to check when its outcome is
    unknown."""

    resend: bool
    reason: str
    check: str = ""


def _read(what: str) -> Rule:
    return Rule(True, f"reads {what}; changes nothing")


# One row per operation a user may call without AWS credentials (botocore's model marks them
# `authtype: none`; a unit test checks the table against it), one per InitiateAuth flow,
# whose effects differ, and one per admin operation the admin client sends (a test checks
# those against the operations its code names). An operation missing from the table is
# never sent twice.
POLICY: Mapping[str, Rule] = MappingProxyType(
    {
        "InitiateAuth USER_SRP_AUTH": Rule(
            True,
            "starts an SRP exchange: Cognito answers with a fresh challenge and stores "
            "nothing a second start would contradict; an unused challenge session expires",
        ),
        "InitiateAuth REFRESH_TOKEN_AUTH": Rule(
            True,
            "issues new access and id tokens from a refresh token that stays valid "
            "(REFRESH_TOKEN_AUTH does not rotate it)",
        ),
        "InitiateAuth REFRESH_TOKEN": Rule(True, "the same as REFRESH_TOKEN_AUTH"),
        "InitiateAuth USER_PASSWORD_AUTH": Rule(
            False,
            "a wrong password counts toward the lockout once per request, and with SMS or "
            "email MFA each request sends a new code",
            "wait for the MFA code if one may have been sent, then log in again",
        ),
        "InitiateAuth USER_AUTH": Rule(
            False,
            "may send an email or SMS one-time code, and a second request a second code",
            "wait for the code if one may have been sent, then log in again",
        ),
        "InitiateAuth CUSTOM_AUTH": Rule(
            False,
            "runs the pool's Create Auth Challenge trigger, which may send a code",
            "log in again",
        ),
        "RespondToAuthChallenge": Rule(
            False,
            "uses up the challenge session, which Cognito accepts once",
            "log in again (the session may be used up and the tokens lost)",
        ),
        "SignUp": Rule(
            False,
            "creates the user: a second request fails with UsernameExists",
            "check whether the account exists (log in, or confirm it) before signing up again",
        ),
        "ConfirmSignUp": Rule(
            False,
            "uses up the confirmation code",
            "log in to see whether the account is confirmed",
        ),
        "ResendConfirmationCode": Rule(
            False,
            "sends a code, which replaces the previous one",
            "wait for the code before asking for another",
        ),
        "ForgotPassword": Rule(
            False,
            "sends a code, which replaces the previous one",
            "wait for the code before asking for another",
        ),
        "ConfirmForgotPassword": Rule(
            False,
            "uses up the code and sets the password",
            "log in with the new password to see whether it was set",
        ),
        "ChangePassword": Rule(
            False,
            "the old password no longer matches after the first request",
            "log in with the new password to see whether it was changed",
        ),
        "GlobalSignOut": Rule(
            False,
            "revokes the access token a second request would carry",
            "treat the tokens as revoked and log in again",
        ),
        "RevokeToken": Rule(
            False,
            "revokes the refresh token a second request would carry",
            "treat the tokens as revoked and log in again",
        ),
        "GetTokensFromRefreshToken": Rule(
            False,
            "rotates the refresh token: the old one is refused after its grace period",
            "log in again",
        ),
        "GetUser": _read("the user's attributes"),
        "GetUserAuthFactors": _read("the user's sign-in factors"),
        "GetDevice": _read("a remembered device"),
        "ListDevices": _read("the remembered devices"),
        "ListWebAuthnCredentials": _read("the passkeys"),
        "UpdateUserAttributes": Rule(
            False,
            "changes attributes and sends a verification code for a new email or phone "
            "number, and a second request a second code",
            "read the profile to see whether the change was applied",
        ),
        "DeleteUserAttributes": Rule(
            False,
            "deletes attributes; what a second request reports is not documented",
            "read the profile to see whether the attributes are gone",
        ),
        "VerifyUserAttribute": Rule(
            False,
            "uses up the verification code",
            "read the profile to see whether the attribute is verified",
        ),
        "GetUserAttributeVerificationCode": Rule(
            False,
            "sends a code, which replaces the previous one",
            "wait for the code before asking for another",
        ),
        "SetUserMFAPreference": Rule(
            True, "sets the MFA preferences to the values sent: a second request changes nothing"
        ),
        "SetUserSettings": Rule(
            True, "sets the MFA options to the values sent: a second request changes nothing"
        ),
        "UpdateDeviceStatus": Rule(
            True, "sets a device's status to the value sent: a second request changes nothing"
        ),
        "AssociateSoftwareToken": Rule(
            False,
            "makes a new TOTP secret (and, during sign-in, a new session) that replaces the "
            "one the first request made",
            "start the authenticator set-up again",
        ),
        "VerifySoftwareToken": Rule(
            False,
            "uses up the TOTP code (and, during sign-in, the session)",
            "read the MFA settings, or log in again during sign-in",
        ),
        "ConfirmDevice": Rule(
            False,
            "registers the device's verifier",
            "list the devices to see whether it was remembered",
        ),
        "ForgetDevice": Rule(
            False,
            "deletes the device: a second request fails as not found",
            "list the devices to see whether it is gone",
        ),
        "DeleteUser": Rule(
            False,
            "deletes the user: a second request is refused",
            "log in to see whether the account still exists",
        ),
        "StartWebAuthnRegistration": Rule(
            False,
            "issues a registration challenge that replaces the previous one",
            "start the passkey registration again",
        ),
        "CompleteWebAuthnRegistration": Rule(
            False,
            "registers the passkey and uses up its challenge",
            "list the passkeys to see whether it was registered",
        ),
        "DeleteWebAuthnCredential": Rule(
            False,
            "deletes the passkey: a second request fails as not found",
            "list the passkeys to see whether it is gone",
        ),
        "UpdateAuthEventFeedback": Rule(
            False,
            "records feedback on a sign-in event",
            "nothing to do: the feedback is advisory",
        ),
        # The admin operations AsyncUserPoolAdmin sends (signed with IAM credentials).
        "AdminGetUser": _read("a user"),
        "ListUsers": _read("a page of users"),
        "AdminListDevices": _read("a user's devices"),
        "AdminListUserAuthEvents": _read("a user's auth events"),
        "GetGroup": _read("a group"),
        "ListGroups": _read("a page of groups"),
        "AdminListGroupsForUser": _read("a page of a user's groups"),
        "ListUsersInGroup": _read("a page of a group's users"),
        "AdminCreateUser": Rule(
            False,
            "creates the user and sends the invitation: a second request fails with "
            "UsernameExists (or, with RESEND, sends a second invitation)",
            "get the user (admin_get_user) to see whether it was created",
        ),
        "AdminDeleteUser": Rule(
            False,
            "deletes the user: a second request fails with UserNotFound",
            "get the user to see whether it is gone",
        ),
        "AdminDisableUser": Rule(
            True, "sets the user's enabled flag to false: a second request changes nothing"
        ),
        "AdminEnableUser": Rule(
            True, "sets the user's enabled flag to true: a second request changes nothing"
        ),
        "AdminSetUserPassword": Rule(
            False,
            "sets the password, which a pool with password history then refuses to set again",
            "sign in with the new password (or get the user's status) to see whether it was set",
        ),
        "AdminResetUserPassword": Rule(
            False,
            "sends a reset code, which replaces the previous one",
            "get the user: status RESET_REQUIRED means it was applied",
        ),
        "AdminConfirmSignUp": Rule(
            False,
            "confirms the user: a second request is refused (the user is already confirmed)",
            "get the user: status CONFIRMED means it was applied",
        ),
        "AdminUpdateUserAttributes": Rule(
            False,
            "changes attributes and may send a verification code, and a second request a "
            "second code",
            "get the user to see whether the change was applied",
        ),
        "AdminDeleteUserAttributes": Rule(
            False,
            "deletes attributes; what a second request reports is not documented",
            "get the user to see whether the attributes are gone",
        ),
        "AdminUserGlobalSignOut": Rule(
            True, "signs the user out everywhere: a second request revokes nothing more"
        ),
        "CreateGroup": Rule(
            False,
            "creates the group: a second request fails with GroupExists",
            "get the group to see whether it was created",
        ),
        "DeleteGroup": Rule(
            False,
            "deletes the group: a second request fails with ResourceNotFound",
            "get the group to see whether it is gone",
        ),
        "AdminAddUserToGroup": Rule(
            True, "adds the user to the group: a second request finds it there and succeeds"
        ),
        "AdminRemoveUserFromGroup": Rule(
            False,
            "removes the user from the group; what a second request reports is not documented",
            "list the user's groups to see whether it was removed",
        ),
        "AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH": Rule(
            False,
            "a wrong password counts toward the lockout once per request, and with SMS or "
            "email MFA each request sends a new code",
            "wait for the MFA code if one may have been sent, then sign in again",
        ),
        "AdminRespondToAuthChallenge": Rule(
            False,
            "uses up the challenge session, which Cognito accepts once",
            "sign in again (the session may be used up and the tokens lost)",
        ),
    }
)

# For an operation the table does not know: it is never sent twice.
_UNLISTED = Rule(False, "not in the table", "check the account before trying again")

# The request-context key that carries an operation's Rule to the retry gate.
_CONTEXT_KEY = "cognito_user_pool_resend"


def rule_for(operation: str, params: Mapping[str, Any]) -> Rule:
    """The rule for one request: (Admin)InitiateAuth by its ``AuthFlow``, others by name."""
    if operation in ("InitiateAuth", "AdminInitiateAuth"):
        return POLICY.get(f"{operation} {params.get('AuthFlow')}", _UNLISTED)
    return POLICY.get(operation, _UNLISTED)


def install(client: Any, max_attempts: int) -> None:
    """Put the gate in front of botocore's standard retry handler on ``client``.

    botocore registers its handler under one unique id when the client is built; it is
    replaced by the same handler (made by botocore's own ``register_retry_handler``, so its
    checks, back-off and quota are botocore's) wrapped in the gate.
    """
    from aiobotocore.retries.standard import register_retry_handler

    events = client.meta.events
    service = client.meta.service_model.service_id.hyphenize()
    event, unique_id = f"needs-retry.{service}", f"retry-config-{service}"
    events.unregister(event, unique_id=unique_id)
    handler = register_retry_handler(client, max_attempts=max_attempts)
    events.unregister(event, unique_id=unique_id)
    events.register(event, _Gate(handler).needs_retry, unique_id=unique_id)
    events.register(f"before-parameter-build.{service}", _note_rule)


def _note_rule(params: Mapping[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
    """Store whether this request may be sent twice where the retry gate will read it."""
    context[_CONTEXT_KEY] = rule_for(model.name, params).resend


class _Gate:
    """Asks botocore's handler about a retry only when a resend cannot apply a request twice."""

    def __init__(self, handler: Any) -> None:
        from botocore.retries.standard import RetryEventAdapter, ThrottlingErrorDetector

        self._handler = handler
        self._throttling = ThrottlingErrorDetector(RetryEventAdapter())

    async def needs_retry(self, **kwargs: Any) -> float | None:
        """botocore's ``needs-retry`` event: a delay before the next attempt, or None."""
        if kwargs["request_dict"]["context"].get(_CONTEXT_KEY, False) or self._unprocessed(kwargs):
            delay: float | None = await self._handler.needs_retry(**kwargs)
            return delay
        return None

    def _unprocessed(self, kwargs: dict[str, Any]) -> bool:
        exception = kwargs.get("caught_exception")
        if exception is not None:
            return never_sent(exception)
        # An answer: only a throttling refusal proves the request was not processed.
        return kwargs.get("response") is not None and bool(
            self._throttling.is_throttling_error(**kwargs)
        )


def never_sent(exception: BaseException) -> bool:
    """Whether a transport failure happened before any byte of the request was sent: no
    connection could be made (refused, unresolvable, TLS or proxy set-up failed) or making it
    timed out. A reset or timeout on an open connection may come after Cognito got it."""
    import socket

    import aiohttp
    from botocore.exceptions import ConnectTimeoutError

    if isinstance(exception, ConnectTimeoutError):
        return True
    # aiobotocore wraps aiohttp's exception in botocore's, as `error` (httpsession.py).
    kwargs = getattr(exception, "kwargs", None)
    cause = kwargs.get("error") if isinstance(kwargs, dict) else None
    return isinstance(cause, (aiohttp.ClientConnectorError, socket.gaierror))


def outcome_unknown(operation: str, rule: Rule, error: CognitoError) -> OutcomeUnknownError | None:
    """The error for a request that must not run twice and failed after it may have reached
    Cognito; None when the failure proves it was not applied (a refusal, a connection
    that was never made)."""
    if rule.resend:
        return None
    if not (
        isinstance(error, MalformedResponseError)
        or (isinstance(error, NetworkError) and not _cause_never_sent(error))
        or _server_failed(error)
    ):
        return None
    detail = error.message.removeprefix(f"{operation}: ")
    message = (
        f"{operation} may have reached Cognito, but its answer was lost ({error.code}: "
        f"{detail}). It was not sent again, so the outcome is unknown: {rule.check}"
    )
    return OutcomeUnknownError(message, done=error.done, not_done=error.not_done)


def _cause_never_sent(error: CognitoError) -> bool:
    cause = error.__cause__
    return cause is not None and never_sent(cause)


def _server_failed(error: CognitoError) -> bool:
    """An HTTP 5xx: the server failed while or after handling the request."""
    from botocore.exceptions import ClientError

    cause = error.__cause__
    if not isinstance(cause, ClientError):
        return False
    status = cause.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return isinstance(status, int) and status >= 500
