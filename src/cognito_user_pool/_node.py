"""The Node library's shapes, as data: pool data, parameter names, results and errors.

Pure mapping, no threads and no delivery (``_callback.py`` does that): what
``CallbackUserPool`` needs to turn Node-style ``params`` into a flow's keywords and the
flow's result or error into what the Node library passed to its callback. Everything is
derived from the flows themselves (signatures, result types), bar the few exceptions below.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from collections.abc import Callable, Mapping
from typing import Any

from . import _validate as v
from ._client import AsyncUserPool
from ._errors import CognitoError, InvalidParameterError, UnexpectedError
from ._flows import Flow
from ._flows._base import UserAuth
from ._flows._registry import camel_case
from ._tokens import tokens_from_result
from ._types import (
    Challenge,
    CodeDeliveryDetails,
    MfaSettings,
    ProfileEditResult,
    RefreshToken,
    SignUpConfirmation,
    SignUpResult,
    Tokens,
    UserProfile,
)

__all__ = ["SUCCESS", "NodeFlow", "node_param_name", "pool_options"]

# -- the Node <-> Python mapping: data -------------------------------------------------------

# The Node library's pool data -> UserPool keyword arguments.
_POOL_DATA: dict[str, str] = {
    "UserPoolId": "user_pool_id",
    "ClientId": "client_id",
    "Paranoia": "paranoia",
    "ClientSecret": "client_secret",
    "Region": "region",
    "endpoint": "endpoint_url",
}
_REQUIRED_POOL_DATA = ("UserPoolId", "ClientId")

# Python parameter names whose Node name is not their plain camelCase.
_NODE_PARAM_NAMES: dict[str, str] = {"phone_number": "phone_number"}
# Who is signed in: Python flows take one ``auth``; the Node library took the tokens, and
# used the access token, else a fresh one from the refresh token.
_AUTH = "auth"
_NODE_TOKENS = ("accessToken", "idToken", "refreshToken")
# Every Node method took ``username``; where the Python flow does not need it, it is checked
# and dropped.
_USERNAME = "username"

# What the Node library answered for flows that only report success.
SUCCESS = "SUCCESS"

# getMfa: the legacy ``MFAOptions`` entry the Node library returned for SMS, and the like for
# the methods it did not know.
_MFA_OPTIONS: dict[str, dict[str, str | None]] = {
    "SMS_MFA": {"DeliveryMedium": "SMS", "AttributeName": "phone_number"},
    "EMAIL_OTP": {"DeliveryMedium": "EMAIL", "AttributeName": "email"},
    "SOFTWARE_TOKEN_MFA": {"DeliveryMedium": "SOFTWARE_TOKEN", "AttributeName": None},
}


def _delivery(details: CodeDeliveryDetails | None) -> dict[str, str | None] | None:
    if details is None:
        return None
    return {
        "AttributeName": details.attribute_name,
        "DeliveryMedium": details.delivery_medium,
        "Destination": details.destination,
    }


def _tokens(tokens: Tokens) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "refreshToken": tokens.refresh_token,
        "accessToken": tokens.access_token,
        "accessTokenExpiresAt": tokens.access_token_expires_at,
        "idToken": tokens.id_token,
        "idTokenExpiresAt": tokens.id_token_expires_at,
    }
    if tokens.new_device is not None:  # a pool that tracks devices: confirmDevice takes it
        shape["newDeviceMetadata"] = {
            "DeviceKey": tokens.new_device.device_key,
            "DeviceGroupKey": tokens.new_device.device_group_key,
        }
    return shape


def _challenge(challenge: Challenge) -> dict[str, Any]:
    step: dict[str, Any] = {"nextStep": challenge.next_step, "loginSession": challenge.session}
    if challenge.mfa_types:  # SELECT_MFA_TYPE's choices, MFA_SETUP's methods
        step["mfaTypes"] = list(challenge.mfa_types)
    if challenge.available:  # SELECT_CHALLENGE's choices
        step["availableChallenges"] = list(challenge.available)
    options = challenge.credential_request_options
    if options is not None:  # WEB_AUTHN: for the page's navigator.credentials.get
        step["credentialRequestOptions"] = options
    if challenge.name == "CUSTOM_CHALLENGE":  # the create trigger's public parameters, as
        # amazon-cognito-identity-js hands them to customChallenge(challengeParameters)
        step["challengeParameters"] = dict(challenge.parameters)
    return step


def _signup(result: SignUpResult) -> dict[str, Any]:
    return {
        "username": result.username,
        "userConfirmed": result.user_confirmed,
        "userSub": result.user_sub,
        "codeDeliveryDetails": _delivery(result.code_delivery_details),
    }


def _mfa_options(settings: MfaSettings) -> list[dict[str, str | None]]:
    return [
        dict(_MFA_OPTIONS.get(name, {"DeliveryMedium": name, "AttributeName": None}))
        for name in settings.enabled
    ]


# Converters keyed by the result's type.
_RESULTS: dict[type, Callable[[Any], Any]] = {
    Tokens: _tokens,
    Challenge: _challenge,
    SignUpResult: _signup,
    CodeDeliveryDetails: lambda d: {"CodeDeliveryDetails": _delivery(d)},
    UserProfile: lambda p: p.to_aws(),
    MfaSettings: _mfa_options,
    ProfileEditResult: lambda _: SUCCESS,
    # The Node library's confirmRegistration answered SUCCESS; the sign-in session is the
    # Python API's (SignUpConfirmation.session).
    SignUpConfirmation: lambda _: SUCCESS,
}

# What a ``None`` result means for a flow declared ``-> T | None``, keyed by T; a flow
# declared ``-> None`` answers SUCCESS.
_NONE_RESULTS: dict[type, Any] = {
    CodeDeliveryDetails: {"CodeDeliveryDetails": None},
    MfaSettings: None,
}


def node_param_name(name: str) -> str:
    """The Node library's name for a Python parameter: ``login_session`` -> ``loginSession``."""
    return _NODE_PARAM_NAMES.get(name) or camel_case(name)


def _generic(value: Any) -> Any:
    """The fallback for result types the table above does not know (a flow added later):
    dataclasses become dicts with camelCase keys, tuples become lists."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            node_param_name(f.name): _generic(getattr(value, f.name))
            for f in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return {str(k): _generic(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_generic(v) for v in value]
    return value


def _admits_none(hint: object) -> bool:
    """True for ``X | None`` (and ``Optional[X]``)."""
    return hint is type(None) or type(None) in typing.get_args(hint)


def _none_result(declared: object) -> Any:
    """What a ``None`` result means in Node for a flow declared ``-> declared``."""
    for member in typing.get_args(declared) or (declared,):
        if isinstance(member, type) and member in _NONE_RESULTS:
            return _NONE_RESULTS[member]
    return SUCCESS


class NodeFlow:
    """Everything the shim knows about one flow: its parameters under their Node names, and
    how its result and errors reach Node-style code. Derived from the flow itself."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.function: Callable[..., Any] = getattr(AsyncUserPool, flow.name)
        try:
            hints = typing.get_type_hints(self.function)
        except Exception:  # an annotation the shim cannot evaluate: no hints, defaults below
            hints = {}
        self.params: dict[str, str] = {}  # Node name -> Python name
        self.required: list[str] = []
        # Required in Python but nullable: Node's `undefined` means the same as `null`, so a
        # missing key passes None (profileEditPhoneNumber without phone_number removes it).
        self.nullable: list[str] = []
        parameters = inspect.signature(self.function).parameters
        self.signed_in = _AUTH in parameters
        # Optional for a flow that also works without a signed-in user (an MFA set-up
        # during sign-in): then no tokens means no ``auth``.
        self.auth_required = self.signed_in and parameters[_AUTH].default is inspect.Parameter.empty
        # Node parameters with no Python parameter of their own: checked, then turned into
        # ``auth`` (the tokens) or dropped (a username the flow does not need).
        self.node_only: tuple[str, ...] = (_USERNAME,) if _USERNAME not in parameters else ()
        if self.signed_in:
            self.node_only += _NODE_TOKENS
        for param in parameters.values():
            if param.kind is not inspect.Parameter.KEYWORD_ONLY or param.name == _AUTH:
                continue
            node = node_param_name(param.name)
            self.params[node] = param.name
            if param.default is not inspect.Parameter.empty:
                continue
            if _admits_none(hints.get(param.name)):
                self.nullable.append(node)
            else:
                self.required.append(node)
        self.python_names = {py: node for node, py in self.params.items()}
        # Every Node parameter the method takes, in the order error messages list them.
        self.accepted: tuple[str, ...] = (*self.params, *self.node_only)
        if self.signed_in:
            self.python_names[_AUTH] = _NODE_TOKENS[0]
        self.none_result = _none_result(hints.get("return"))

    def kwargs(self, params: object) -> dict[str, Any]:
        """The flow's keyword arguments from Node-style params.

        :raises InvalidParameterError: params is not a mapping, or has unknown or missing keys.
        """
        name = self.flow.node_name
        if not isinstance(params, Mapping):
            raise InvalidParameterError(
                f"{name}: params must be an object (a dict), not {type(params).__name__}",
                field="params",
            )
        unknown = sorted(str(key) for key in params if key not in self.accepted)
        if unknown:
            raise InvalidParameterError(
                f"{name}: unknown parameter(s) {', '.join(unknown)}; "
                f"expected {', '.join(self.accepted)}",
                field=unknown[0],
            )
        missing = [key for key in self.required if key not in params]
        if missing:
            raise InvalidParameterError(
                f"{name}: missing parameter(s) {', '.join(missing)}", field=missing[0]
            )
        kwargs = {self.params[key]: value for key, value in params.items() if key in self.params}
        for key in self.nullable:
            kwargs.setdefault(self.params[key], None)
        if _USERNAME in self.node_only and params.get(_USERNAME) is not None:
            v.username(params[_USERNAME])
        if self.signed_in:
            auth = self._auth(params)
            if auth is not None:
                kwargs[_AUTH] = auth
        return kwargs

    def _auth(self, params: Mapping[Any, Any]) -> UserAuth | None:
        """``auth`` from the Node library's tokens: the access token as given, else a
        ``RefreshToken`` that the flow refreshes first, as Node did."""
        access, id_token, refresh = (v.optional_str(params.get(k), k) for k in _NODE_TOKENS)
        if access is not None and id_token is not None and refresh is not None:
            # The whole tokens object Node code holds: a flow that needs the refresh token
            # (revokeToken) or forgets it after a sign-out gets it too.
            try:
                return tokens_from_result(
                    {"AccessToken": access, "IdToken": id_token, "RefreshToken": refresh}
                )
            except CognitoError:
                return access  # not readable as JWTs: the flow refuses it with a clear error
        if access is not None:
            return access
        if refresh is not None:
            return RefreshToken(refresh, id_token=id_token)
        if not self.auth_required:
            return None
        raise InvalidParameterError(
            f"{self.flow.node_name}: pass accessToken (with idToken), or refreshToken",
            field="accessToken",
        )

    def result(self, value: Any) -> Any:
        """The flow's result in the Node library's shape."""
        if value is None:
            return self.none_result
        convert = _RESULTS.get(type(value), _generic)
        return convert(value)

    def error(self, exc: CognitoError) -> CognitoError:
        """The error with the Node name of the parameter it blames (``mfa_code`` ->
        ``mfaCode``); other errors pass unchanged."""
        field = getattr(exc, "field", None)
        node = self.python_names.get(field) if isinstance(field, str) else None
        if not isinstance(exc, InvalidParameterError) or node is None or node == field:
            return exc
        message = re.sub(rf"\b{re.escape(str(field))}\b", node, exc.message)
        renamed = InvalidParameterError(
            message, field=node, code=exc.code, done=exc.done, not_done=exc.not_done
        )
        renamed.__cause__ = exc
        return renamed

    def unexpected(self, exc: BaseException) -> UnexpectedError:
        """A library error for a failure that was not a ``CognitoError``. Only the type is
        named: a foreign message might quote a secret."""
        wrapped = UnexpectedError(
            f"{self.flow.node_name} failed unexpectedly ({type(exc).__name__})"
        )
        wrapped.__cause__ = exc
        return wrapped

    async def run(self, pool: AsyncUserPool, *, kwargs: dict[str, Any]) -> tuple[Any, Any]:
        """Run the flow on the portal's loop; never raises: returns ``(err, data)``."""
        try:
            return None, self.result(await self.function(pool, **kwargs))
        except CognitoError as exc:
            return self.error(exc), None
        except Exception as exc:
            return self.unexpected(exc), None


def pool_options(pool_data: object) -> dict[str, Any]:
    """``UserPool`` keyword arguments from the Node library's pool data.

    :raises InvalidParameterError: pool data is not a mapping, has unknown keys or lacks an id.
    """
    if not isinstance(pool_data, Mapping):
        raise InvalidParameterError(
            f"pool data must be an object (a dict), not {type(pool_data).__name__}",
            field="pool_data",
        )
    unknown = sorted(str(key) for key in pool_data if key not in _POOL_DATA)
    if unknown:
        raise InvalidParameterError(
            f"unknown pool data {', '.join(unknown)}; expected {', '.join(_POOL_DATA)}",
            field=unknown[0],
        )
    missing = [key for key in _REQUIRED_POOL_DATA if pool_data.get(key) is None]
    if missing:
        raise InvalidParameterError(f"pool data needs {missing[0]}", field=missing[0])
    return {_POOL_DATA[key]: value for key, value in pool_data.items()}
