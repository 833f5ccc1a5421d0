"""CallbackUserPool: the Node library's calling convention, ``method(params, callback)``.

A thin layer over :class:`UserPool`'s portal: each call starts the async flow on the portal
(``start_task_soon``) and returns at once; when the flow ends, the user's callback is handed
to one of the wrapper's own worker threads, never run on the event loop's thread (where a
nested call would be refused by anyio, and a slow callback would stall every other call).

The Node <-> Python mapping is data, in one place below: method names come from ``FLOWS``
(each flow's ``node_name``), parameter names from each flow's signature (the camelCase of
the snake_case name, bar the exceptions in ``_NODE_PARAM_NAMES``), results from converters
keyed by result type. A change to a flow in the core reaches this shim with no edit here.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import logging
import queue
import re
import threading
import typing
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from ._client import AsyncUserPool
from ._config import TransportOptions, with_pool_options
from ._errors import CognitoError, InvalidParameterError
from ._flows import FLOWS, Flow
from ._flows._registry import camel_case
from ._sync import UserPool, _close_at_exit, _forget_at_exit
from ._types import (
    Challenge,
    CodeDeliveryDetails,
    MfaSettings,
    ProfileEditResult,
    SignUpResult,
    Tokens,
    UserProfile,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["CallbackUserPool", "NodeCallback", "NodeMethod"]

logger = logging.getLogger("cognito_user_pool")

NodeCallback = Callable[[CognitoError | None, Any], object]
"""``callback(err, data)``: ``err`` is ``None`` on success, ``data`` is ``None`` on failure."""

# Codes of the failures this shim finds itself; they cannot clash with AWS's.
CLOSED = "CognitoUserPool.Closed"
UNEXPECTED = "CognitoUserPool.UnexpectedError"
CANCELLED = "CognitoUserPool.Cancelled"

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
# Python parameters Node-style code cannot use: a UserSession lives on the caller's loop.
_NOT_FOR_NODE = frozenset({"session"})

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
    return {
        "refreshToken": tokens.refresh_token,
        "accessToken": tokens.access_token,
        "accessTokenExpiresAt": tokens.access_token_expires_at,
        "idToken": tokens.id_token,
        "idTokenExpiresAt": tokens.id_token_expires_at,
    }


def _challenge(challenge: Challenge) -> dict[str, Any]:
    return {"nextStep": challenge.next_step, "loginSession": challenge.session}


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


class _NodeFlow:
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
        for param in inspect.signature(self.function).parameters.values():
            if param.kind is not inspect.Parameter.KEYWORD_ONLY or param.name in _NOT_FOR_NODE:
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
        unknown = sorted(str(key) for key in params if key not in self.params)
        if unknown:
            raise InvalidParameterError(
                f"{name}: unknown parameter(s) {', '.join(unknown)}; "
                f"expected {', '.join(self.params)}",
                field=unknown[0],
            )
        missing = [key for key in self.required if key not in params]
        if missing:
            raise InvalidParameterError(
                f"{name}: missing parameter(s) {', '.join(missing)}", field=missing[0]
            )
        kwargs = {self.params[key]: value for key, value in params.items()}
        for key in self.nullable:
            kwargs.setdefault(self.params[key], None)
        return kwargs

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

    def unexpected(self, exc: BaseException) -> CognitoError:
        """A library error for a failure that was not a ``CognitoError``. Only the type is
        named: a foreign message might quote a secret."""
        wrapped = CognitoError(
            f"{self.flow.node_name} failed unexpectedly ({type(exc).__name__})", code=UNEXPECTED
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


class NodeMethod(Protocol):
    """One Node-style method: ``method(params, callback)``.

    Returns at once. ``callback(err, data)`` runs exactly once, on a worker thread, when the
    flow ends. The returned Future resolves to ``data`` (or fails with ``err``) after the
    callback has returned; without a callback, use the Future alone.
    """

    def __call__(
        self, params: Mapping[str, Any], callback: NodeCallback | None = None
    ) -> Future[Any]: ...


def _node_method(flow: Flow) -> Callable[..., Future[Any]]:
    """The camelCase method of one flow: a plain function, so that Python's tools see a
    method (``callable``, ``inspect``, ``help``, ``mock.create_autospec``)."""
    spec = _NodeFlow(flow)

    def method(
        self: CallbackUserPool, params: Mapping[str, Any], callback: NodeCallback | None = None
    ) -> Future[Any]:
        return self._call(spec, params, callback)

    method.__name__ = flow.node_name
    method.__qualname__ = f"CallbackUserPool.{flow.node_name}"
    method.__doc__ = (
        f"Node-style ``{flow.node_name}(params, callback)``: runs "
        f"``AsyncUserPool.{flow.name}`` and calls ``callback(err, data)`` once.\n\n"
        f"``params`` keys: {', '.join(f'``{key}``' for key in spec.params) or 'none'}"
        f" (required: {', '.join(f'``{key}``' for key in spec.required) or 'none'}).\n"
        "Returns a ``concurrent.futures.Future`` of ``data``."
    )
    _NODE_FLOWS[flow.node_name] = spec
    return method


# Node name -> what the shim knows of that flow, filled as the methods are made.
_NODE_FLOWS: dict[str, _NodeFlow] = {}


class _Call:
    """One call's delivery: the callback runs, then the Future resolves, exactly once."""

    __slots__ = ("_delivered", "_lock", "callback", "future", "name")

    def __init__(self, name: str, callback: NodeCallback | None) -> None:
        self.name = name
        self.callback = callback
        self.future: Future[Any] = Future()
        self._delivered = False
        self._lock = threading.Lock()

    def deliver(self, err: CognitoError | None, data: Any) -> None:
        with self._lock:
            if self._delivered:  # pragma: no cover - each path delivers once; belt and braces
                return
            self._delivered = True
        try:
            if self.callback is not None:
                # Outside any `try` that reports to this callback: its own exception is
                # logged, never fed back to it as `err`.
                try:
                    self.callback(err, data)
                except Exception:
                    logger.exception("the callback of %s raised an exception", self.name)
        finally:  # even past a SystemExit in the callback, whoever waits is released
            if err is None:
                self.future.set_result(data)
            else:
                self.future.set_exception(err)


class _Workers:
    """Daemon threads that run the users' callbacks, started on demand up to ``size``.

    Not a ``ThreadPoolExecutor``: its threads refuse new work once interpreter shutdown
    begins, which is before ``atexit`` hooks run, and the close-at-exit hook must still
    deliver the callbacks of the calls it waits for.
    """

    def __init__(self, size: int, name: str) -> None:
        self._size = size
        self._name = name
        self._queue: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stopped = False

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._stopped:
                raise RuntimeError("the callback threads are stopped")
            self._queue.put(job)
            if not self._idle.acquire(blocking=False) and len(self._threads) < self._size:
                thread = threading.Thread(
                    target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True
                )
                try:
                    thread.start()
                except RuntimeError:
                    # CPython 3.12.0-3.12.2 refuse new threads once the main thread has
                    # ended (gh-113964), when the close-at-exit hook runs: a running worker
                    # takes the queued job when it is free. Without one, run it here.
                    if not self._threads:
                        self._queue.get_nowait()
                        job()
                    return
                self._threads.append(thread)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            job()
            del job
            self._idle.release()

    def stop(self) -> None:
        """Stop the threads once the queued jobs ran; never joins the calling thread."""
        with self._lock:
            self._stopped = True
            threads = list(self._threads)
            for _ in threads:
                self._queue.put(None)
        me = threading.current_thread()
        for thread in threads:
            if thread is not me:
                thread.join()


class CallbackUserPool:
    """The Node library's ``CognitoUserPool``: ``wrapper.login(params, callback)``.

    Every method returns at once and calls ``callback(err, data)`` exactly once, on one of
    the wrapper's worker threads, with ``err`` a :class:`CognitoError` (``.code``, ``.name``,
    ``.message``) or ``None``. Nothing raises into the caller after construction: bad params,
    a closed wrapper and unexpected failures all reach the callback. Each method also returns a
    ``concurrent.futures.Future`` of ``data``, resolved after the callback returned, which is
    the way to wait (or to call without a callback). A ``callback`` that is not callable is
    refused through that Future, and logged.

    Usage::

        wrapper = CallbackUserPool({"UserPoolId": "eu-west-1_AbC123", "ClientId": "1ex"})

        def on_login(err, data):
            if err:
                print(err.code)
            elif "nextStep" in data:
                print("next:", data["nextStep"])

        wrapper.login({"username": "alice", "password": "..."}, on_login)

    ``close()`` (or leaving ``with``) waits for the calls in flight and their callbacks, and
    calls that those callbacks make (so Node-style chains finish), then releases the HTTP
    client, the event loop and the threads; later calls fail with ``CognitoUserPool.Closed``.
    Called from inside a callback, ``close()`` cannot wait for that callback: it returns, and
    the last call to finish releases everything. Wrappers left open are closed at interpreter
    exit the same way, so pending callbacks still run.

    :param pool_data: ``UserPoolId``, ``ClientId`` and ``Paranoia`` as the Node library took
        them, plus optional ``ClientSecret``, ``Region`` and ``endpoint`` (an endpoint URL).
    :param callback_threads: how many callbacks may run at once.
    :param options: retries, timeouts and connections, as keywords: see :class:`PoolConfig`.
    :raises InvalidParameterError: for bad pool data. The constructor is the one place that
        raises: there is no callback yet to report to.
    """

    # One annotation per flow, for type checkers only: the methods themselves are made from
    # FLOWS just after the class, and a test checks that the two lists agree.
    signup: NodeMethod
    signupConfirm: NodeMethod
    signupResend: NodeMethod
    login: NodeMethod
    loginMfa: NodeMethod
    loginNewPasswordRequired: NodeMethod
    logout: NodeMethod
    refreshSession: NodeMethod
    getMfa: NodeMethod
    setMfa: NodeMethod
    profile: NodeMethod
    profileEdit: NodeMethod
    profileAttributeConfirm: NodeMethod
    profileEditPhoneNumber: NodeMethod
    passwordChange: NodeMethod
    passwordForgot: NodeMethod
    passwordReset: NodeMethod

    @with_pool_options(TransportOptions)
    def __init__(
        self,
        pool_data: Mapping[str, Any],
        *,
        callback_threads: int = 8,
        **options: Unpack[TransportOptions],
    ) -> None:
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
        if (
            isinstance(callback_threads, bool)
            or not isinstance(callback_threads, int)
            or (callback_threads < 1)
        ):
            raise InvalidParameterError(
                "callback_threads must be a positive integer", field="callback_threads"
            )
        named = {_POOL_DATA[key]: value for key, value in pool_data.items()}
        self._sync = UserPool(named.pop("user_pool_id"), named.pop("client_id"), **named, **options)
        # This wrapper closes its UserPool itself, after its own callbacks have run.
        self._sync._register_atexit = False
        self._workers = _Workers(callback_threads, f"cognito-user-pool-callback-{id(self):x}")
        self._cond = threading.Condition()
        self._local = threading.local()
        self._pending = 0  # calls accepted whose callback has not returned yet
        self._state = "open"  # open -> closing -> closed
        self._releasing = False
        self._closers = 0  # close() calls waiting outside the callbacks
        self._released = threading.Event()
        _close_at_exit(self)

    @property
    def pool(self) -> UserPool:
        """The blocking :class:`UserPool` underneath, sharing this wrapper's portal."""
        return self._sync

    @property
    def is_closed(self) -> bool:
        """True once ``close()`` has begun."""
        return self._state != "open"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._sync!r}, state={self._state})"

    def __enter__(self) -> CallbackUserPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Wait for the calls in flight and their callbacks, then release the client, the
        event loop and the threads. Idempotent."""
        in_callback = self._in_callback()
        with self._cond:
            if self._state == "open":
                self._state = "closing"
            if in_callback:
                # Waiting here would wait for ourselves: the last call out releases instead.
                return
            self._closers += 1
            try:
                while self._pending:
                    self._cond.wait()
            finally:
                self._closers -= 1
        self._release()

    # -- one call --------------------------------------------------------------------------

    def _call(self, spec: _NodeFlow, params: object, callback: object) -> Future[Any]:
        name = spec.flow.node_name
        if callback is not None and not callable(callback):
            refusal = InvalidParameterError(
                f"{name}: callback must be a function or None, not {type(callback).__name__}",
                field="callback",
            )
            logger.warning("%s was called with a callback that is not callable", name)
            refused: Future[Any] = Future()
            refused.set_exception(refusal)
            return refused
        call = _Call(name, callback)
        if not self._admit():
            _deliver_on_own_thread(
                call, CognitoError(f"{name}: this CallbackUserPool is closed", code=CLOSED)
            )
            return call.future
        try:
            kwargs = spec.kwargs(params)
        except CognitoError as exc:
            self._deliver(call, exc, None)
            return call.future
        try:
            started = self._sync._submit(spec.run, kwargs=kwargs)
        except Exception as exc:
            error = (
                CognitoError(f"{name}: this CallbackUserPool is closed", code=CLOSED)
                if isinstance(exc, RuntimeError) and self._sync.is_closed
                else spec.unexpected(exc)
            )
            self._deliver(call, error, None)
            return call.future
        started.add_done_callback(functools.partial(self._flow_done, spec, call))
        return call.future

    def _flow_done(self, spec: _NodeFlow, call: _Call, started: Future[tuple[Any, Any]]) -> None:
        """Runs on the event loop's thread: hand the outcome to a worker, nothing more."""
        err: CognitoError | None
        try:
            if started.cancelled():
                err = CognitoError(f"{spec.flow.node_name} was cancelled", code=CANCELLED)
                data = None
            elif (exc := started.exception()) is not None:
                err, data = spec.unexpected(exc), None
            else:
                err, data = started.result()
        except Exception as exc:  # pragma: no cover - `spec.run` always returns a pair
            err, data = spec.unexpected(exc), None
        self._deliver(call, err, data)

    def _deliver(self, call: _Call, err: CognitoError | None, data: Any) -> None:
        """Run the callback on a worker thread; the call stops being pending afterwards."""
        self._workers.submit(functools.partial(self._finish, call, err, data))

    def _finish(self, call: _Call, err: CognitoError | None, data: Any) -> None:
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            call.deliver(err, data)
        finally:
            self._local.depth -= 1
            with self._cond:
                self._pending -= 1
                idle = not self._pending
                # An outside close() waits on the condition and releases by itself; after a
                # close() from a callback, the last call out releases.
                release = (
                    idle and self._state == "closing" and not self._releasing and not self._closers
                )
                self._cond.notify_all()
            if release:
                self._release()

    def _admit(self) -> bool:
        """Count a new call, unless the wrapper is closing (calls from its own callbacks are
        still welcome then: they belong to the work being waited for) or closed."""
        in_callback = self._in_callback()
        with self._cond:
            if self._state == "open" or (self._state == "closing" and in_callback):
                self._pending += 1
                return True
            return False

    def _in_callback(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    def _release(self) -> None:
        with self._cond:
            first = not self._releasing
            self._releasing = True
        if not first:
            if not self._in_callback():
                self._released.wait()
            return
        try:
            self._sync.close()
            self._workers.stop()
        finally:
            with self._cond:
                self._state = "closed"
            self._released.set()
            _forget_at_exit(self)


def _deliver_on_own_thread(call: _Call, err: CognitoError) -> None:
    """Deliver a refusal for a closed wrapper, whose worker threads are gone; never on the
    caller's own stack, as in Node."""
    try:
        threading.Thread(target=call.deliver, args=(err, None), daemon=True).start()
    except RuntimeError:  # interpreter shutdown: no new threads; the Future still fails
        call.future.set_exception(err)


for _flow in FLOWS:
    setattr(CallbackUserPool, _flow.node_name, _node_method(_flow))
del _flow
