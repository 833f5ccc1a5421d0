"""The limits of the request members the checks feed, written from botocore's model
by ``python -m cognito_user_pool._validate._model``: do not edit (a test compares).
"""

from ._shape import Shape

LIMITS: dict[tuple[str, ...], Shape] = {
    ("AddCustomAttributes", "CustomAttributes", "Name"): Shape(
        name="CustomAttributeNameType",
        min=1,
        max=20,
        patterns=("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",),
    ),
    ("ConfirmSignUp", "ConfirmationCode"): Shape(
        name="ConfirmationCodeType",
        min=1,
        max=2048,
        patterns=("[\\S]+",),
    ),
    ("CreateGroup", "Description"): Shape(
        name="DescriptionType",
        min=0,
        max=2048,
        patterns=(),
    ),
    ("CreateGroup", "GroupName"): Shape(
        name="GroupNameType",
        min=1,
        max=128,
        patterns=("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",),
    ),
    ("CreateGroup", "Precedence"): Shape(
        name="PrecedenceType",
        min=0,
        max=None,
        patterns=(),
    ),
    ("GetTokensFromRefreshToken", "RefreshToken"): Shape(
        name="TokenModelType",
        min=0,
        max=None,
        patterns=("[A-Za-z0-9-_=.]+",),
    ),
    ("GetUser", "AccessToken"): Shape(
        name="TokenModelType",
        min=0,
        max=None,
        patterns=("[A-Za-z0-9-_=.]+",),
    ),
    ("ListDevices", "Limit"): Shape(
        name="QueryLimitType",
        min=0,
        max=60,
        patterns=(),
    ),
    ("ListUsers", "Filter"): Shape(
        name="UserFilterType",
        min=0,
        max=256,
        patterns=(),
    ),
    ("ListUsers", "Limit"): Shape(
        name="QueryLimitType",
        min=0,
        max=60,
        patterns=(),
    ),
    ("ListWebAuthnCredentials", "MaxResults"): Shape(
        name="WebAuthnCredentialsQueryLimitType",
        min=0,
        max=20,
        patterns=(),
    ),
    ("RespondToAuthChallenge", "Session"): Shape(
        name="SessionType",
        min=20,
        max=4096,
        patterns=(),
    ),
    ("SignUp", "Password"): Shape(
        name="PasswordType",
        min=0,
        max=256,
        patterns=("[\\S]+", "^[\\S]+.*[\\S]+$"),
    ),
    ("SignUp", "Username"): Shape(
        name="UsernameType",
        min=1,
        max=128,
        patterns=("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",),
    ),
    ("UpdateUserAttributes", "UserAttributes", "Name"): Shape(
        name="AttributeNameType",
        min=1,
        max=32,
        patterns=("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+",),
    ),
    ("UpdateUserAttributes", "UserAttributes", "Value"): Shape(
        name="AttributeValueType",
        min=0,
        max=2048,
        patterns=(),
    ),
    ("VerifySoftwareToken", "FriendlyDeviceName"): Shape(
        name="StringType",
        min=0,
        max=131072,
        patterns=(),
    ),
    ("VerifySoftwareToken", "UserCode"): Shape(
        name="SoftwareTokenMFAUserCodeType",
        min=6,
        max=6,
        patterns=("[0-9]+",),
    ),
}
