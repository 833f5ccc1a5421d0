"""AWS's words: the error messages the local Cognito's flows can meet, each with its source.

The module-level :class:`AwsMessage` constants are the table (:data:`MESSAGES` collects them);
the strict layer raises through them and ``_patch`` puts them in place of moto's own texts
(:func:`replace_moto`), so a client sees what AWS would say. A source is an AWS page or a public
thread that quotes AWS's raw answer; ``note`` says when a source only supports part of a text.
Messages the strict layer raises that are *not* here are local best guesses
(docs/local-cognito.md, "What is not checked").

Templates take only non-secret fields (client ids, attribute names, user status, flow names).
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import ServiceError

__all__ = [
    "MESSAGES",
    "POLICY_CLAUSES",
    "AwsMessage",
    "PolicyClause",
    "replace_moto",
]

_GH = "https://github.com/"
_AMPLIFY_UI = _GH + "aws-amplify/amplify-ui/blob/main/packages/"
_POLICY_DOC = (
    "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html"
)


@dataclass(frozen=True)
class AwsMessage:
    """One AWS error: its code, its message template and where the text comes from.

    :param code: the AWS error code, e.g. ``NotAuthorizedException``.
    :param text: the message, a ``str.format`` template over non-secret fields.
    :param source: the page or thread that shows AWS sending this text.
    :param note: what the source does not cover, if anything.
    """

    code: str
    text: str
    source: str
    note: str = ""

    def render(self, **fields: str) -> str:
        """The message with its fields filled in."""
        return self.text.format(**fields)

    def error(self, **fields: str) -> ServiceError:
        """A :class:`ServiceError` carrying this code and message."""
        return ServiceError(self.code, self.render(**fields))


@dataclass(frozen=True)
class PolicyClause:
    """The part of an InvalidPasswordException message that names the broken rule."""

    text: str
    source: str
    note: str = ""


# ---- sign-in ------------------------------------------------------------------------------
INCORRECT_CREDENTIALS = AwsMessage(
    "NotAuthorizedException",
    "Incorrect username or password.",
    _GH + "localstack/localstack/issues/3201",
)
USER_NOT_FOUND = AwsMessage(
    "UserNotFoundException", "User does not exist.", _GH + "localstack/localstack/issues/3201"
)
USER_NOT_CONFIRMED = AwsMessage(
    "UserNotConfirmedException",
    "User is not confirmed.",
    _GH + "aws-amplify/amplify-js/issues/3679",
)
USER_DISABLED = AwsMessage(
    "NotAuthorizedException",
    "User is disabled.",
    _AMPLIFY_UI + "ui/src/i18n/dictionaries/authenticator/id.ts",
    "a dictionary of AWS's texts; it does not name the code",
)
PASSWORD_RESET_REQUIRED = AwsMessage(
    "PasswordResetRequiredException",
    "Password reset required for the user",
    _AMPLIFY_UI + "e2e/cypress/fixtures/force-reset-password.json",
)
FLOW_NOT_ENABLED = AwsMessage(
    "InvalidParameterException",
    "{flow} flow not enabled for this client",
    _AMPLIFY_UI + "e2e/cypress/fixtures/user-auth-not-enabled.json",
    "quoted for USER_AUTH; the other flows are assumed to read the same",
)
ADMIN_FLOW_NOT_ENABLED = AwsMessage(
    "InvalidParameterException",
    "Auth flow not enabled for this client",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/"
    "API_AdminInitiateAuth.html",
    "the reference documents the rule (ALLOW_ADMIN_USER_PASSWORD_AUTH); the words are the "
    "ones public troubleshooting notes quote for ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH",
)
TIMESTAMP_FORMAT = AwsMessage(
    "InvalidParameterException",
    "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english",
    _GH + "NabuCasa/pycognito/issues/122",
)
SECRET_HASH_MISSING = AwsMessage(
    "NotAuthorizedException",
    "Client {client_id} is configured with secret but SECRET_HASH was not received",
    _GH + "aws-amplify/amplify-android/issues/2504",
)
SECRET_HASH_WRONG = AwsMessage(
    "NotAuthorizedException",
    "Unable to verify secret hash for client {client_id}",
    _GH + "ArranJacques/laravel-aws-cognito-auth/issues/26",
)

# ---- custom authentication (CUSTOM_AUTH and its Lambda triggers) -------------------------------
CUSTOM_AUTH_NOT_CONFIGURED = AwsMessage(
    "InvalidParameterException",
    "Custom auth lambda trigger is not configured for the user pool.",
    _GH + "aws-amplify/amplify-js/issues/5623",
    "the issue quotes the text; the code is the one public client code and notes match on "
    "(e.g. aws-amplify/amplify-js PR #7401's discussion)",
)
LAMBDA_FAILED = AwsMessage(
    "UserLambdaValidationException",
    "{flow} failed with error {clause}.",
    _GH + "aws-amplify/amplify-js/issues/9127",
    "flow: the trigger (DefineAuthChallenge, CreateAuthChallenge, "
    "VerifyAuthChallengeResponse); clause: the function's error message, as AWS quotes a "
    "Python KeyError in aws-samples/amazon-cognito-passwordless-email-auth#17",
)
LAMBDA_OUTPUT = AwsMessage(
    "InvalidLambdaResponseException",
    "Unrecognizable lambda output",
    _GH + "amazon-archives/amazon-cognito-identity-js/issues/167",
    "which malformed answers AWS refuses is not documented; the local checks are a guess",
)

# ---- challenge sessions ---------------------------------------------------------------------
SESSION_MISSING = AwsMessage(
    "InvalidParameterException",
    "Missing required parameter Session",
    _GH + "amazon-archives/amazon-cognito-identity-js/issues/542",
)
SESSION_USED = AwsMessage(
    "NotAuthorizedException",
    "Invalid session for the user, session can only be used once.",
    _GH + "reapit/foundations/issues/9684",
)
SESSION_EXPIRED = AwsMessage(
    "NotAuthorizedException",
    "Invalid session for the user, session is expired.",
    _AMPLIFY_UI + "ui/src/machines/authenticator/actions.ts",
    "Amplify UI matches 'session is expired' in AWS's message; the prefix is assumed",
)
SESSION_INVALID = AwsMessage(
    "NotAuthorizedException",
    "Invalid session for the user.",
    _GH + "aws-samples/amazon-cognito-passwordless-email-auth/issues/17",
)

# ---- sign-up and codes ----------------------------------------------------------------------
USER_EXISTS = AwsMessage(
    "UsernameExistsException", "User already exists", _GH + "aws-amplify/amplify-js/issues/6238"
)
ATTRIBUTE_USERNAME_EXISTS = AwsMessage(
    "UsernameExistsException",
    "An account with the given {attribute} already exists.",
    _GH + "jonsaw/amazon-cognito-identity-dart/issues/73",
    "quoted for email; phone_number is assumed to read the same",
)
ADMIN_USER_EXISTS = AwsMessage(
    "UsernameExistsException",
    "User account already exists",
    _GH + "localstack/localstack/issues/4465",
)
ALIAS_EXISTS = AwsMessage(
    "AliasExistsException",
    "An account with the given {attribute} already exists.",
    _AMPLIFY_UI + "ui/src/i18n/dictionaries/authenticator/de.ts",
    "a dictionary of AWS's texts (email); it does not name the code",
)
USERNAME_CLIENT_NOT_FOUND = AwsMessage(
    "UserNotFoundException",
    "Username/client id combination not found.",
    _AMPLIFY_UI + "e2e/features/ui/components/authenticator/forgot-password.feature",
)
CANNOT_CONFIRM = AwsMessage(
    "NotAuthorizedException",
    "User cannot be confirmed. Current status is {status}",
    _GH + "furaiev/amazon-cognito-identity-dart-2/issues/80",
)
ALREADY_CONFIRMED = AwsMessage(
    "InvalidParameterException",
    "User is already confirmed.",
    _AMPLIFY_UI + "e2e/cypress/fixtures/user-already-confirmed-error.json",
)
WRONG_CODE = AwsMessage(
    "CodeMismatchException",
    "Invalid verification code provided, please try again.",
    _GH + "aws-amplify/amplify-js/issues/11738",
)
EXPIRED_CODE = AwsMessage(
    "ExpiredCodeException",
    "Invalid code provided, please request a code again.",
    _GH + "aws-amplify/amplify-flutter/issues/1128",
)
WRONG_MFA_CODE = AwsMessage(
    "CodeMismatchException",
    "Invalid code or auth state for the user.",
    _GH + "aws-amplify/amplify-js/issues/3066",
)
TOTP_ENABLE_MISMATCH = AwsMessage(
    "EnableSoftwareTokenMFAException",
    "Code mismatch and fail enable Software Token MFA",
    _GH + "aws-samples/aws-amplify-auth-starters/issues/15",
)
RESET_NOT_POSSIBLE = AwsMessage(
    "InvalidParameterException",
    "Cannot reset password for the user as there is no registered/verified email or phone_number",
    _AMPLIFY_UI + "ui/src/i18n/dictionaries/authenticator/id.ts",
    "a dictionary of AWS's texts; it does not name the code",
)

# ---- admin: users and groups -----------------------------------------------------------------
FILTER_PARSE = AwsMessage(
    "InvalidParameterException",
    "Error while parsing filter.",
    _GH + "aws/aws-sdk-php/issues/1088",
)
FILTER_ATTRIBUTE = AwsMessage(
    "InvalidParameterException",
    "Invalid search attribute: {attribute}",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/"
    "API_ListUsers.html",
    "the reference lists the searchable attributes; the words are moto's (getmoto/moto#4389), "
    "not a quote of AWS",
)
GROUP_NOT_FOUND = AwsMessage(
    "ResourceNotFoundException",
    "Group not found.",
    _GH + "aws-amplify/amplify-cli/issues/2214",
)

# ---- tokens ---------------------------------------------------------------------------------
ACCESS_TOKEN_REVOKED = AwsMessage(
    "NotAuthorizedException",
    "Access Token has been revoked",
    _GH + "aws-amplify/amplify-js/issues/3540",
)
ACCESS_TOKEN_EXPIRED = AwsMessage(
    "NotAuthorizedException",
    "Access Token has expired",
    _GH + "aws-amplify/aws-sdk-ios/issues/1376",
)
INVALID_ACCESS_TOKEN = AwsMessage(
    "NotAuthorizedException",
    "Invalid Access Token",
    _GH + "awslabs/aws-amplify-identity-broker/issues/538",
)
REFRESH_TOKEN_REVOKED = AwsMessage(
    "NotAuthorizedException",
    "Refresh Token has been revoked",
    _GH + "aws/aws-sdk-net/issues/1936",
)
INVALID_REFRESH_TOKEN = AwsMessage(
    "NotAuthorizedException",
    "Invalid Refresh Token.",  # with the full stop: the raw response body in the source
    _GH + "aws/aws-sdk-cpp/issues/1789",
)

# ---- passwords ------------------------------------------------------------------------------
# The wording depends on the operation: SignUp, AdminCreateUser's TemporaryPassword, and the
# operations that change a password each have their own prefix.
PASSWORD_POLICY_SIGN_UP = AwsMessage(
    "InvalidPasswordException",
    "Password did not conform with policy: {clause}",
    _GH + "aws-amplify/amplify-js/issues/2416",
)
PASSWORD_POLICY_ADMIN_CREATE = AwsMessage(
    "InvalidPasswordException",
    "Password did not conform with password policy: {clause}",
    _GH + "data-dot-all/dataall/issues/690",
)
PASSWORD_POLICY = AwsMessage(
    "InvalidPasswordException",
    "Password does not conform to policy: {clause}",
    _AMPLIFY_UI + "e2e/cypress/fixtures/force-change-password-phone-failure.json",
    "quoted for NEW_PASSWORD_REQUIRED; ChangePassword, ConfirmForgotPassword and "
    "AdminSetUserPassword are assumed to read the same",
)

_CLAUSE_NOTE = "the rule is documented; the wording follows the quoted clauses, not a quote"
TOO_SHORT = PolicyClause("Password not long enough", _GH + "aws-amplify/amplify-js/issues/2416")
NEEDS_UPPERCASE = PolicyClause("Password must have uppercase characters", _POLICY_DOC, _CLAUSE_NOTE)
NEEDS_LOWERCASE = PolicyClause("Password must have lowercase characters", _POLICY_DOC, _CLAUSE_NOTE)
NEEDS_NUMBER = PolicyClause(
    "Password must have numeric characters", _GH + "data-dot-all/dataall/issues/690"
)
NEEDS_SYMBOL = PolicyClause("Password must have symbol characters", _POLICY_DOC, _CLAUSE_NOTE)

MESSAGES: dict[str, AwsMessage] = {
    name: value for name, value in dict(globals()).items() if isinstance(value, AwsMessage)
}
POLICY_CLAUSES: dict[str, PolicyClause] = {
    name: value for name, value in dict(globals()).items() if isinstance(value, PolicyClause)
}

# moto's own texts that differ from AWS's, by (operation, code); moto puts the bare username in
# UsernameExistsException, for instance.
_MOTO_REPLACEMENTS: dict[tuple[str, str], AwsMessage] = {
    ("SignUp", "UsernameExistsException"): USER_EXISTS,
    ("AdminCreateUser", "UsernameExistsException"): ADMIN_USER_EXISTS,
}


def replace_moto(action: str, code: str, message: str) -> str:
    """AWS's message for an error moto raised during ``action``, or moto's when it matches AWS.

    :param action: the Cognito operation, e.g. ``SignUp``.
    :param code: the error code moto used.
    :param message: moto's message.
    """
    replacement = _MOTO_REPLACEMENTS.get((action, code))
    return replacement.render() if replacement is not None else message
