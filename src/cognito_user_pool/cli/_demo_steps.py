"""``cognito-user-pool demo``: the whole user lifecycle, every flow, step by step.

Each step states what Cognito should do (succeed, or refuse with an AWS error code) and
checks that it did. Codes come from the local Cognito's outbox and authenticator-app codes
from pyotp, or, against a real pool, from the user's own mailbox, phone and authenticator
app. Passwords are random per run; no password, code, token or secret is ever printed (a
real pool's new authenticator secret excepted: it is shown once, on stderr, to be scanned).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from cognito_user_pool import (
    FLOWS,
    Challenge,
    CognitoError,
    MfaSettings,
    Tokens,
    TotpSecret,
    UserPool,
)

from ._common import NOT_OFFERED, where_sent
from ._demo_base import OK
from ._demo_base import NotOffered as _NotOffered
from ._demo_base import Step as _Step
from ._demo_base import Unexpected as _Unexpected
from ._demo_choice import ChoiceSteps
from ._demo_codes import Authenticator, CodeSource, OutboxCodes, PromptCodes
from ._demo_passkeys import PasskeyAuthenticator, PasskeySteps
from ._demo_sessions import SessionSteps

__all__ = [
    "CodeSource",
    "Demo",
    "OutboxCodes",
    "PromptCodes",
    "RequiredMfaPool",
    "StepRecord",
    "invite_with_admin",
]


@dataclass(frozen=True)
class StepRecord:
    """One step as it ran: what was expected, what happened, how long it took."""

    number: int
    step: str
    flow: str
    expected: str  # "ok" or the AWS error code Cognito must answer
    outcome: str  # "ok", an error code, "unexpected", "skipped" or "not run"
    passed: bool
    ms: float
    detail: str

    def as_json(self) -> dict[str, Any]:
        """The step for ``--json``."""
        return asdict(self)


def _password() -> str:
    """A random password that meets Cognito's default policy (upper, lower, digit, symbol)."""
    return secrets.token_urlsafe(12) + "Aa7!"


def _wrong(code: str) -> str:
    """A code of the same shape that is certainly not ``code``."""
    if code.isdigit():
        return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"
    return code + "0"


def _expires(tokens: Tokens) -> str:
    return time.strftime("%H:%M:%S", time.localtime(tokens.access_token_expires_at))


def _types(challenge: Challenge) -> str:
    return ", ".join(challenge.mfa_types) or "nothing"


def _methods(mfa: MfaSettings) -> str:
    return f"MFA: {', '.join(mfa.enabled)}; preferred: {mfa.preferred}"


# Invites a user with a temporary password (admin API); None for a real pool (no AWS keys).
Inviter = Callable[[str, str, str], None]


@dataclass(frozen=True)
class RequiredMfaPool:
    """A second pool, which requires MFA, where an administrator invites a user: only with
    the local Cognito (the admin API needs AWS credentials otherwise)."""

    pool: UserPool
    invite: Inviter


def invite_with_admin(admin: Any, user_pool_id: str) -> Inviter:
    """AdminCreateUser through the local Cognito's admin client, the invitation suppressed."""

    def invite(username: str, email: str, temporary_password: str) -> None:
        admin.admin_create_user(
            UserPoolId=user_pool_id,
            Username=username,
            TemporaryPassword=temporary_password,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": email}],
        )

    return invite


@dataclass
class Demo:
    """The demo's steps over one pool (and, locally, a second that requires MFA);
    ``report`` is called as each step ends.

    :ivar required: the pool that requires MFA, for the invited user's steps (else skipped).
    :ivar email_mfa: the pool offers e-mail MFA: the e-mail code steps run (else skipped).
    :ivar custom_answer: the answer to the pool's custom challenge (the local triggers'
        code); ``None``: asked for, as a code the user received.
    :ivar authenticator: plays the browser for the passkey steps (locally, the software
        authenticator); ``None``: they are skipped.
    """

    pool: UserPool
    codes: CodeSource
    report: Callable[[StepRecord], None]
    username: str
    email: str
    new_email: str
    phone_number: str
    required: RequiredMfaPool | None = None
    email_mfa: bool = False
    custom_answer: Callable[[], str] | None = None
    authenticator: PasskeyAuthenticator | None = None
    records: list[StepRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._password = _password()
        self._tokens: Tokens | None = None
        self._challenge: Challenge | None = None
        self._signup_code = ""
        self._last_mfa_code = ""
        self._revoked_access_token = ""
        self._reset_where: str | None = None
        self._invited = f"{self.username}-invited"
        self._invited_challenge: Challenge | None = None
        self._invited_password = _password()
        self._invited_tokens: Tokens | None = None
        self._invited_secret: TotpSecret | None = None
        self._app: Authenticator | None = None
        self._sessions = SessionSteps(
            self.pool,
            self.codes,
            self.username,
            main=lambda: (self._tokens, self._password),
            required=self.required.pool if self.required else None,
            invited=lambda: (self._invited, self._invited_tokens, self._invited_password),
        )
        self._signup_session: str | None = None
        self._choice = ChoiceSteps(
            self.pool,
            self.codes,
            self.username,
            password=lambda: self._password,
            signup_session=lambda: self._signup_session,
            custom_answer=self.custom_answer
            or (lambda: self.codes.code(purpose="custom_challenge", destination=None)),
        )

        self._passkeys = PasskeySteps(
            self.pool, self.username, self._need_tokens, self.authenticator
        )

    @property
    def ok(self) -> bool:
        """Every step behaved as expected."""
        return all(r.passed for r in self.records)

    @property
    def total(self) -> int:
        """How many steps the demo has."""
        return len(self._plan())

    @property
    def flows_covered(self) -> list[str]:
        """The flows (FLOWS order) that at least one passed, non-skipped step exercised."""
        used = {r.flow for r in self.records if r.passed and r.outcome != "skipped"}
        return [f.name for f in FLOWS if f.name in used]

    def run(self) -> bool:
        """Run every step in order; after the first surprise, the rest are "not run"."""
        stopped = False
        for number, step in enumerate(self._plan(), start=1):
            if stopped:
                record = StepRecord(
                    number,
                    step.step,
                    step.flow,
                    step.expected,
                    "not run",
                    False,
                    0.0,
                    "an earlier step failed",
                )
            elif step.action is None:
                record = StepRecord(
                    number,
                    step.step,
                    step.flow,
                    step.expected,
                    "skipped",
                    True,
                    0.0,
                    step.skip_reason,
                )
            else:
                record = self._run_step(number, step, step.action)
                stopped = not record.passed
            self.records.append(record)
            self.report(record)
        return self.ok

    def _run_step(self, number: int, step: _Step, action: Callable[[], str]) -> StepRecord:
        started = time.perf_counter()
        try:
            detail = action()
            outcome = OK
            if step.expected != OK:
                detail = f"Cognito accepted it, but {step.expected} was expected"
        except CognitoError as exc:
            outcome = exc.code
            # AWS's messages and the library's never carry passwords, codes or tokens.
            detail = exc.message
        except _Unexpected as exc:
            outcome, detail = "unexpected", str(exc)
        except _NotOffered as exc:
            outcome, detail = "skipped", str(exc)
        except Exception as exc:  # the demo reports any failure as a failed step
            outcome, detail = "unexpected", f"{type(exc).__name__} raised"
        ms = (time.perf_counter() - started) * 1e3
        passed = outcome in (step.expected, "skipped")
        return StepRecord(
            number, step.step, step.flow, step.expected, outcome, passed, round(ms, 1), detail
        )

    def _plan(self) -> list[_Step]:
        return [
            _Step("sign up", "signup", OK, self._signup),
            _Step("resend the confirmation code", "signup_resend", OK, self._resend),
            _Step(
                "confirm with a WRONG code",
                "signup_confirm",
                "CodeMismatchException",
                self._confirm_wrong,
            ),
            _Step("confirm with the right code", "signup_confirm", OK, self._confirm),
            *self._choice.steps()[:1],  # the sign-up's session lasts minutes: at once
            _Step(
                "log in with a WRONG password", "login", "NotAuthorizedException", self._login_wrong
            ),
            _Step("log in (SRP)", "login", OK, self._login),
            *self._choice.steps()[1:],
            *self._passkeys.steps(),
            *self._invited_steps(),
            *self._sessions.device_steps(),
            _Step("read the profile", "profile", OK, self._profile),
            _Step("update attributes (email, name)", "profile_edit", OK, self._edit),
            _Step("delete an attribute (name)", "profile_edit", OK, self._delete),
            *self._sessions.attribute_steps(),
            _Step("verify the new email", "profile_attribute_confirm", OK, self._verify_email),
            _Step("set the phone number", "profile_edit_phone_number", OK, self._phone),
            _Step("turn SMS MFA on", "set_mfa", OK, self._mfa_on),
            _Step("MFA status: on", "get_mfa", OK, self._mfa_status_on),
            _Step("log in: an SMS_MFA challenge", "login", OK, self._login_challenge),
            _Step("answer with the SMS code", "login_mfa", OK, self._answer_mfa),
            _Step(
                "answer a new challenge with a WRONG code",
                "login_mfa",
                "CodeMismatchException",
                self._answer_mfa_wrong,
            ),
            *self._totp_steps(),
            *self._email_steps(),
            _Step("turn every MFA method off", "set_user_mfa_preference", OK, self._mfa_all_off),
            _Step("MFA status: off", "get_mfa", OK, self._mfa_status_off),
            _Step("refresh the session", "refresh_session", OK, self._refresh),
            _Step("change the password", "password_change", OK, self._change_password),
            _Step("forgot the password: a reset code", "password_forgot", OK, self._forgot),
            _Step("reset the password with the code", "password_reset", OK, self._reset),
            _Step("log in with the new password", "login", OK, self._login),
            *self._sessions.revoke_steps(),
            _Step("log out everywhere", "logout", OK, self._logout),
            _Step(
                "the revoked token is refused", "profile", "NotAuthorizedException", self._revoked
            ),
            *self._sessions.delete_steps(),
        ]

    def _invited_steps(self) -> list[_Step]:
        """An invited user in the pool that requires MFA: a new password, then MFA set-up."""
        steps = [
            ("invited user logs in with a temporary password", "login", self._invited_login),
            (
                "invited user sets a new password: MFA_SETUP follows",
                "login_new_password_required",
                self._invited_new_password,
            ),
            (
                "invited user's authenticator app: a new secret",
                "associate_software_token",
                self._invited_associate,
            ),
            (
                "invited user answers MFA_SETUP with the app's code",
                "login_mfa_setup",
                self._invited_setup,
            ),
        ]
        if self.required is not None:
            return [_Step(name, flow, OK, action) for name, flow, action in steps]
        reason = "needs the admin API (AWS credentials); runs against the local Cognito"
        return [_Step(name, flow, OK, None, reason) for name, flow, _ in steps]

    def _totp_steps(self) -> list[_Step]:
        """Enrol an authenticator app, then sign in choosing it (SELECT_MFA_TYPE)."""
        return [
            _Step(
                "enrol an authenticator app: a new secret",
                "associate_software_token",
                OK,
                self._associate,
            ),
            _Step("confirm the app with its code", "verify_software_token", OK, self._verify_app),
            _Step(
                "turn SMS and app MFA on, neither preferred",
                "set_user_mfa_preference",
                OK,
                self._sms_and_app_on,
            ),
            _Step("log in: choose an MFA method", "login", OK, self._login_select),
            _Step("choose the authenticator app", "login_select_mfa_type", OK, self._choose_app),
            _Step(
                "answer with a WRONG app code",
                "login_mfa",
                "CodeMismatchException",
                self._answer_app_wrong,
            ),
            _Step("answer with the app's code", "login_mfa", OK, self._answer_app),
        ]

    def _email_steps(self) -> list[_Step]:
        """Prefer e-mail codes (else the app), read the factors back, sign in by e-mail."""
        prefer = (
            _Step(
                "turn e-mail MFA on and prefer it",
                "set_user_mfa_preference",
                OK,
                self._prefer_email,
            )
            if self.email_mfa
            else _Step(
                "prefer the authenticator app", "set_user_mfa_preference", OK, self._prefer_app
            )
        )
        steps = [
            ("log in: an EMAIL_OTP challenge", "login", self._login_email),
            ("answer with the e-mail code", "login_mfa", self._answer_email),
        ]
        if self.email_mfa:
            email = [_Step(name, flow, OK, action) for name, flow, action in steps]
        else:
            reason = "needs a pool that offers e-mail MFA (--email-mfa with --real)"
            email = [_Step(name, flow, OK, None, reason) for name, flow, _ in steps]
        return [
            prefer,
            _Step(
                "read the MFA methods and sign-in factors",
                "get_user_auth_factors",
                OK,
                self._auth_factors,
            ),
            *email,
        ]

    # ---- helpers ---------------------------------------------------------------------

    def _need_tokens(self) -> Tokens:
        if self._tokens is None:
            raise _Unexpected("no tokens from an earlier step")
        return self._tokens

    def _login_expecting_tokens(self, password: str) -> Tokens:
        result = self.pool.login(username=self.username, password=password)
        if not isinstance(result, Tokens):
            raise _Unexpected(f"expected tokens, Cognito asked for {result.name}")
        return result

    # ---- sign-up ---------------------------------------------------------------------

    def _signup(self) -> str:
        result = self.pool.signup(
            username=self.username, password=self._password, attributes={"email": self.email}
        )
        if result.user_confirmed:
            raise _Unexpected("the pool confirmed the user at once: no code to demonstrate")
        where = where_sent(result.code_delivery_details)
        return f"user {self.username} created, unconfirmed; a code was sent{where}"

    def _resend(self) -> str:
        details = self.pool.signup_resend(username=self.username)
        if isinstance(self.codes, OutboxCodes):
            # The sign-up's own code, now superseded by the new one.
            self.codes.code(purpose="signup", destination=None)
        destination = details.destination if details else None
        self._signup_code = self.codes.code(purpose="signup", destination=destination)
        return f"a new code was sent{where_sent(details)} and {self.codes.how}"

    def _confirm_wrong(self) -> str:
        self.pool.signup_confirm(
            username=self.username, confirmation_code=_wrong(self._signup_code)
        )
        return "accepted"

    def _confirm(self) -> str:
        confirmed = self.pool.signup_confirm(
            username=self.username, confirmation_code=self._signup_code
        )
        self._signup_session = confirmed.session
        return f"confirmed with the code {self.codes.how}"

    # ---- login -----------------------------------------------------------------------

    def _login_wrong(self) -> str:
        self.pool.login(username=self.username, password=_password())
        return "signed in"

    def _login(self) -> str:
        self._tokens = self._login_expecting_tokens(self._password)
        return f"signed in with SRP; the access token expires at {_expires(self._tokens)}"

    def _required(self) -> RequiredMfaPool:
        if self.required is None:
            raise _Unexpected("no pool that requires MFA")
        return self.required

    def _invited_login(self) -> str:
        required = self._required()
        temporary = _password()
        required.invite(self._invited, f"invited-{self.email}", temporary)
        result = required.pool.login(username=self._invited, password=temporary)
        if not isinstance(result, Challenge) or result.name != "NEW_PASSWORD_REQUIRED":
            raise _Unexpected("expected the NEW_PASSWORD_REQUIRED challenge")
        self._invited_challenge = result
        return (
            f"an admin created {self._invited} in a pool that requires MFA; "
            "Cognito asks for NEW_PASSWORD_REQUIRED"
        )

    def _invited_new_password(self) -> str:
        if self._invited_challenge is None:
            raise _Unexpected("no challenge from an earlier step")
        result = self._required().pool.login_new_password_required(
            username=self._invited,
            login_session=self._invited_challenge,
            new_password=self._invited_password,
        )
        if not isinstance(result, Challenge) or result.name != "MFA_SETUP":
            got = "tokens" if isinstance(result, Tokens) else result.name
            raise _Unexpected(f"expected MFA_SETUP (the pool requires MFA), got {got}")
        self._invited_challenge = result
        return f"new password set; the user has no MFA yet: MFA_SETUP offers {_types(result)}"

    def _invited_associate(self) -> str:
        if self._invited_challenge is None:
            raise _Unexpected("no challenge from an earlier step")
        self._invited_secret = self._required().pool.associate_software_token(
            login_session=self._invited_challenge
        )
        return "a TOTP secret for the app, with the sign-in's session"

    def _invited_setup(self) -> str:
        secret = self._invited_secret
        if secret is None:
            raise _Unexpected("no secret from an earlier step")
        app = self.codes.authenticator(secret, account=self._invited)
        result = self._required().pool.login_mfa_setup(
            username=self._invited,
            login_session=secret,
            mfa_code=app(),
            friendly_device_name="demo",
        )
        if not isinstance(result, Tokens):
            raise _Unexpected(f"expected tokens, Cognito asked for {result.name}")
        self._invited_tokens = result
        return f"app confirmed with a code {self.codes.app_how}; signed in"

    # ---- profile ---------------------------------------------------------------------

    def _profile(self) -> str:
        profile = self.pool.profile(auth=self._need_tokens())
        verified = profile.get("email_verified") == "true"
        return f"username {profile.username}, email {profile.get('email')}" + (
            " (verified)" if verified else " (not verified)"
        )

    def _edit(self) -> str:
        result = self.pool.profile_edit(
            auth=self._need_tokens(),
            attributes={"email": self.new_email, "name": "Demo User"},
        )
        sent = "".join(where_sent(d) for d in result.code_delivery_details)
        return f"updated {', '.join(result.updated)}" + (
            f"; a verification code was sent{sent}" if sent else ""
        )

    def _delete(self) -> str:
        result = self.pool.profile_edit(auth=self._need_tokens(), attributes={"name": None})
        return f"deleted {', '.join(result.deleted)}"

    def _verify_email(self) -> str:
        code = self.codes.code(purpose="verify_attribute", destination=self.new_email)
        self.pool.profile_attribute_confirm(
            auth=self._need_tokens(),
            attribute="email",
            confirmation_code=code,
        )
        return f"email verified with the code {self.codes.how}"

    def _phone(self) -> str:
        self.pool.profile_edit_phone_number(
            auth=self._need_tokens(), phone_number=self.phone_number
        )
        return f"phone_number set to {self.phone_number}"

    # ---- MFA -------------------------------------------------------------------------

    def _mfa_on(self) -> str:
        self.pool.set_mfa(auth=self._need_tokens(), enable_mfa=True)
        return "SMS MFA enabled and preferred"

    def _mfa_status_on(self) -> str:
        mfa = self.pool.get_mfa(auth=self._need_tokens())
        if mfa is None or "SMS_MFA" not in mfa.enabled:
            raise _Unexpected("SMS_MFA is not listed as enabled")
        return f"enabled: {', '.join(mfa.enabled)}; preferred: {mfa.preferred}"

    def _mfa_challenge(self) -> Challenge:
        result = self.pool.login(username=self.username, password=self._password)
        if not isinstance(result, Challenge) or result.name != "SMS_MFA":
            got = "tokens" if isinstance(result, Tokens) else result.name
            raise _Unexpected(f"expected an SMS_MFA challenge, got {got}")
        return result

    def _login_challenge(self) -> str:
        self._challenge = self._mfa_challenge()
        where = self._challenge.parameters.get("CODE_DELIVERY_DESTINATION")
        return "password accepted; Cognito wants the SMS code" + (
            f" sent to {where}" if where else ""
        )

    def _answer_mfa(self) -> str:
        if self._challenge is None:
            raise _Unexpected("no challenge from an earlier step")
        where = self._challenge.parameters.get("CODE_DELIVERY_DESTINATION")
        self._last_mfa_code = self.codes.code(purpose="sms_mfa", destination=where)
        result = self.pool.login_mfa(
            username=self.username, login_session=self._challenge, mfa_code=self._last_mfa_code
        )
        if not isinstance(result, Tokens):
            raise _Unexpected(f"expected tokens, Cognito asked for {result.name}")
        self._tokens = result
        return f"signed in with the code {self.codes.how}"

    def _answer_mfa_wrong(self) -> str:
        challenge = self._mfa_challenge()
        right = self._last_mfa_code
        if isinstance(self.codes, OutboxCodes):
            right = self.codes.code(purpose="sms_mfa", destination=None)
        self.pool.login_mfa(username=self.username, login_session=challenge, mfa_code=_wrong(right))
        return "signed in"

    # ---- authenticator app and e-mail codes ------------------------------------------------

    def _need_app(self) -> Authenticator:
        if self._app is None:
            raise _Unexpected("no authenticator app from an earlier step")
        return self._app

    def _associate(self) -> str:
        secret = self.pool.associate_software_token(auth=self._need_tokens())
        self._app = self.codes.authenticator(secret, account=self.username)
        return "a TOTP secret for the app (the otpauth URI of a QR code)"

    def _verify_app(self) -> str:
        self.pool.verify_software_token(
            auth=self._need_tokens(), user_code=self._need_app()(), friendly_device_name="demo"
        )
        return f"confirmed with a code {self.codes.app_how}"

    def _sms_and_app_on(self) -> str:
        tokens = self._need_tokens()
        self.pool.set_user_mfa_preference(auth=tokens, sms_mfa=True, software_token_mfa=True)
        return "SMS_MFA and SOFTWARE_TOKEN_MFA on; no preference, so Cognito will ask"

    def _login_select(self) -> str:
        result = self.pool.login(username=self.username, password=self._password)
        if not isinstance(result, Challenge) or result.name != "SELECT_MFA_TYPE":
            got = "tokens" if isinstance(result, Tokens) else result.name
            raise _Unexpected(f"expected SELECT_MFA_TYPE, got {got}")
        if "SOFTWARE_TOKEN_MFA" not in result.mfa_types:
            raise _Unexpected(f"SELECT_MFA_TYPE offers {_types(result)}, not the app")
        self._challenge = result
        return f"SELECT_MFA_TYPE offers {_types(result)}"

    def _choose_app(self) -> str:
        if self._challenge is None:
            raise _Unexpected("no challenge from an earlier step")
        result = self.pool.login_select_mfa_type(
            username=self.username, login_session=self._challenge, mfa_type="SOFTWARE_TOKEN_MFA"
        )
        if not isinstance(result, Challenge) or result.name != "SOFTWARE_TOKEN_MFA":
            got = "tokens" if isinstance(result, Tokens) else result.name
            raise _Unexpected(f"expected SOFTWARE_TOKEN_MFA, got {got}")
        self._challenge = result
        return "Cognito wants the app's code (SOFTWARE_TOKEN_MFA)"

    def _answer_app_wrong(self) -> str:
        if self._challenge is None:
            raise _Unexpected("no challenge from an earlier step")
        wrong = _wrong(self._need_app()())
        self.pool.login_mfa(username=self.username, login_session=self._challenge, mfa_code=wrong)
        return "signed in"

    def _answer_app(self) -> str:
        if self._challenge is None:
            raise _Unexpected("no challenge from an earlier step")
        result = self.pool.login_mfa(
            username=self.username, login_session=self._challenge, mfa_code=self._need_app()()
        )
        if not isinstance(result, Tokens):
            raise _Unexpected(f"expected tokens, Cognito asked for {result.name}")
        self._tokens = result
        return f"signed in with a code {self.codes.app_how}"

    def _prefer_email(self) -> str:
        self.pool.set_user_mfa_preference(
            auth=self._need_tokens(), email_mfa=True, preferred="EMAIL_OTP"
        )
        return "EMAIL_OTP on and preferred: Cognito will send e-mail codes"

    def _prefer_app(self) -> str:
        self.pool.set_user_mfa_preference(auth=self._need_tokens(), preferred="SOFTWARE_TOKEN_MFA")
        return "SOFTWARE_TOKEN_MFA preferred: Cognito will ask for the app's code"

    def _auth_factors(self) -> str:
        try:
            factors = self.pool.get_user_auth_factors(auth=self._need_tokens())
        except CognitoError as exc:
            if exc.code in NOT_OFFERED:
                raise _NotOffered(
                    f"the pool does not offer GetUserAuthFactors ({exc.code})"
                ) from None
            raise
        wanted = {"SMS_MFA", "SOFTWARE_TOKEN_MFA"} | ({"EMAIL_OTP"} if self.email_mfa else set())
        preferred = "EMAIL_OTP" if self.email_mfa else "SOFTWARE_TOKEN_MFA"
        mfa = factors.mfa
        if mfa is None or set(mfa.enabled) != wanted or mfa.preferred != preferred:
            raise _Unexpected(f"expected {', '.join(sorted(wanted))}, {preferred} preferred")
        return f"{_methods(mfa)}; sign-in factors: {', '.join(factors.configured)}"

    def _login_email(self) -> str:
        result = self.pool.login(username=self.username, password=self._password)
        if not isinstance(result, Challenge) or result.name != "EMAIL_OTP":
            got = "tokens" if isinstance(result, Tokens) else result.name
            raise _Unexpected(f"expected an EMAIL_OTP challenge, got {got}")
        self._challenge = result
        where = result.parameters.get("CODE_DELIVERY_DESTINATION")
        return "password accepted; Cognito wants the e-mail code" + (
            f" sent to {where}" if where else ""
        )

    def _answer_email(self) -> str:
        if self._challenge is None:
            raise _Unexpected("no challenge from an earlier step")
        where = self._challenge.parameters.get("CODE_DELIVERY_DESTINATION")
        code = self.codes.code(purpose="email_mfa", destination=where)
        result = self.pool.login_mfa(
            username=self.username, login_session=self._challenge, mfa_code=code
        )
        if not isinstance(result, Tokens):
            raise _Unexpected(f"expected tokens, Cognito asked for {result.name}")
        self._tokens = result
        return f"signed in with the code {self.codes.how}"

    def _mfa_all_off(self) -> str:
        self.pool.set_user_mfa_preference(
            auth=self._need_tokens(),
            sms_mfa=False,
            software_token_mfa=False,
            email_mfa=False if self.email_mfa else None,
        )
        return "SMS, app" + (" and e-mail" if self.email_mfa else "") + " MFA off"

    def _mfa_status_off(self) -> str:
        mfa = self.pool.get_mfa(auth=self._need_tokens())
        if mfa is not None:
            raise _Unexpected(f"MFA still enabled: {', '.join(mfa.enabled)}")
        return "no MFA method enabled"

    # ---- session and password ----------------------------------------------------------

    def _refresh(self) -> str:
        tokens = self._need_tokens()
        if tokens.refresh_token is None:
            raise _Unexpected("no refresh token")
        fresh = self.pool.refresh_session(
            refresh_token=tokens.refresh_token, id_token=tokens.id_token
        )
        if fresh.access_token == tokens.access_token:
            raise _Unexpected("the access token did not change")
        self._tokens = fresh
        return f"new access token, valid until {_expires(fresh)}; refresh token kept"

    def _change_password(self) -> str:
        new = _password()
        self.pool.password_change(
            auth=self._need_tokens(),
            old_password=self._password,
            new_password=new,
        )
        self._password = new
        return "password changed (old one checked by Cognito)"

    def _forgot(self) -> str:
        details = self.pool.password_forgot(username=self.username)
        self._reset_where = details.destination if details else None
        return f"a reset code was sent{where_sent(details)}"

    def _reset(self) -> str:
        code = self.codes.code(purpose="forgot_password", destination=self._reset_where)
        new = _password()
        self.pool.password_reset(username=self.username, password_reset_code=code, new_password=new)
        self._password = new
        return f"new password set with the code {self.codes.how}"

    def _logout(self) -> str:
        tokens = self._need_tokens()
        self.pool.logout(auth=tokens)
        self._revoked_access_token = tokens.access_token
        return "GlobalSignOut: every token of the user revoked"

    def _revoked(self) -> str:
        self.pool.profile(auth=self._revoked_access_token)
        return "accepted"
