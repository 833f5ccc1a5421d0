"""MFA from enrolment to sign-in, on the async core, against the strict local Cognito: TOTP
enrolment (the otpauth URI read back by pyotp), TOTP sign-in and its refusals, MFA_SETUP in a
pool that requires MFA, SELECT_MFA_TYPE for a user with SMS and TOTP, MFA preferences, and a
NEW_PASSWORD_REQUIRED user who continues into MFA.

The local Cognito really checks the codes (pyotp on its side, the outbox for SMS), so a
refusal here is what Cognito would answer, not an emulator's yes.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from cognito_user_pool import (
    AsyncUserPool,
    Challenge,
    CodeMismatchError,
    EnableSoftwareTokenMFAError,
    InvalidParameterError,
    MfaSettings,
    Tokens,
    TotpSecret,
)

from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def _tokens(pool: AsyncUserPool, username: str) -> Tokens:
    result = await pool.login(username=username, password=PASSWORD)
    assert isinstance(result, Tokens), result
    return result


async def _enrol(pool: AsyncUserPool, tokens: Tokens) -> pyotp.TOTP:
    """Enrol an authenticator app for a signed-in user and turn TOTP MFA on."""
    secret = await pool.associate_software_token(auth=tokens)
    totp = pyotp.TOTP(secret.secret_code)
    await pool.verify_software_token(
        auth=tokens, user_code=totp.now(), friendly_device_name="phone"
    )
    await pool.set_user_mfa_preference(auth=tokens, software_token_mfa=True)
    return totp


def test_otpauth_uri_round_trips_through_pyotp() -> None:
    """The URI carries the secret, issuer and account, percent-encoded as authenticator apps
    read them (pyotp.parse_uri), and gives the same codes as the secret itself."""
    secret = TotpSecret(secret_code=pyotp.random_base32())
    uri = secret.otpauth_uri(issuer="Acme Corp", account="alice@example.com")
    assert uri.startswith("otpauth://totp/Acme%20Corp:alice@example.com?")
    assert parse_qs(urlsplit(uri).query) == {
        "secret": [secret.secret_code],
        "issuer": ["Acme Corp"],
    }
    parsed = pyotp.parse_uri(uri)
    assert isinstance(parsed, pyotp.TOTP)
    assert parsed.issuer == "Acme Corp" and parsed.name == "alice@example.com"
    assert parsed.now() == pyotp.TOTP(secret.secret_code).now()
    with pytest.raises(InvalidParameterError) as info:
        secret.otpauth_uri(issuer="Acme:Corp", account="alice")
    assert info.value.field == "issuer"
    assert secret.secret_code not in repr(secret)


async def test_totp_enrolment_then_sign_in(backend: Backend, pool: AsyncUserPool) -> None:
    """A signed-in user enrols an app (a wrong code is refused, the right one confirms it),
    turns TOTP on, and the next sign-in asks for the app's code: a wrong one is refused, the
    right one signs in."""
    backend.create_confirmed_user("tess")
    tokens = await _tokens(pool, "tess")
    secret = await pool.associate_software_token(auth=tokens)
    assert secret.session is None and secret.username is None
    totp = pyotp.TOTP(secret.secret_code)
    with pytest.raises(EnableSoftwareTokenMFAError) as refused:
        await pool.verify_software_token(auth=tokens, user_code=_wrong(totp.now()))
    assert refused.value.code == "EnableSoftwareTokenMFAException"
    await pool.verify_software_token(auth=tokens, user_code=totp.now())
    await pool.set_user_mfa_preference(
        auth=tokens, software_token_mfa=True, preferred="SOFTWARE_TOKEN_MFA"
    )
    assert await pool.get_mfa(auth=tokens) == MfaSettings(
        enabled=("SOFTWARE_TOKEN_MFA",), preferred="SOFTWARE_TOKEN_MFA"
    )

    challenge = await pool.login(username="tess", password=PASSWORD)
    assert isinstance(challenge, Challenge) and challenge.name == "SOFTWARE_TOKEN_MFA"
    with pytest.raises(CodeMismatchError):
        await pool.login_mfa(username="tess", login_session=challenge, mfa_code=_wrong(totp.now()))
    done = await pool.login_mfa(username="tess", login_session=challenge, mfa_code=totp.now())
    assert isinstance(done, Tokens)


async def test_mfa_required_takes_a_new_user_through_totp_setup(
    make_backend: Callable[..., Backend],
) -> None:
    """In a pool that requires MFA, a user with no factor gets MFA_SETUP; enrolling the app
    inside the sign-in (associate with the challenge, then login_mfa_setup with a code)
    ends in tokens, and the next sign-in asks for the app's code."""
    backend = make_backend(mfa="ON")
    backend.create_confirmed_user("uma")
    async with backend.pool() as pool:
        challenge = await pool.login(username="uma", password=PASSWORD)
        assert isinstance(challenge, Challenge) and challenge.name == "MFA_SETUP"
        assert "SOFTWARE_TOKEN_MFA" in challenge.mfa_types
        secret = await pool.associate_software_token(login_session=challenge)
        assert secret.session and secret.username == challenge.username
        totp = pyotp.TOTP(secret.secret_code)
        with pytest.raises(EnableSoftwareTokenMFAError):
            await pool.login_mfa_setup(
                username="uma", login_session=secret, mfa_code=_wrong(totp.now())
            )
        # The user retypes the code: the same secret and session are still good.
        done = await pool.login_mfa_setup(
            username="uma", login_session=secret, mfa_code=totp.now(), friendly_device_name="phone"
        )
        assert isinstance(done, Tokens)
        again = await pool.login(username="uma", password=PASSWORD)
        assert isinstance(again, Challenge) and again.name == "SOFTWARE_TOKEN_MFA"


async def test_select_mfa_type_with_sms_and_totp(backend: Backend, pool: AsyncUserPool) -> None:
    """A user with SMS and TOTP on and no preference chooses at sign-in: SELECT_MFA_TYPE lists
    both, and either choice leads to its own code challenge and to tokens; a type the
    challenge does not offer is refused before any request."""
    backend.create_confirmed_user("vic", phone_number="+14155550199")
    tokens = await _tokens(pool, "vic")
    totp = await _enrol(pool, tokens)
    await pool.set_user_mfa_preference(auth=tokens, sms_mfa=True, software_token_mfa=True)

    for choice in ("SOFTWARE_TOKEN_MFA", "SMS_MFA"):
        challenge = await pool.login(username="vic", password=PASSWORD)
        assert isinstance(challenge, Challenge) and challenge.name == "SELECT_MFA_TYPE"
        assert set(challenge.mfa_types) == {"SMS_MFA", "SOFTWARE_TOKEN_MFA"}
        with pytest.raises(InvalidParameterError) as info:
            await pool.login_select_mfa_type(
                username="vic", login_session=challenge, mfa_type="EMAIL_OTP"
            )
        assert info.value.field == "mfa_type"
        step = await pool.login_select_mfa_type(
            username="vic", login_session=challenge, mfa_type=choice
        )
        assert isinstance(step, Challenge) and step.name == choice
        code = totp.now() if choice == "SOFTWARE_TOKEN_MFA" else backend.code("vic", "sms_mfa")
        assert isinstance(
            await pool.login_mfa(username="vic", login_session=step, mfa_code=code), Tokens
        )


async def test_preferring_a_method_skips_the_choice(backend: Backend, pool: AsyncUserPool) -> None:
    """With SMS and TOTP on, preferring TOTP makes Cognito ask for the app's code directly;
    the preference reads back through get_mfa and get_user_auth_factors."""
    backend.create_confirmed_user("wes", phone_number="+14155550198")
    tokens = await _tokens(pool, "wes")
    await _enrol(pool, tokens)
    await pool.set_user_mfa_preference(auth=tokens, sms_mfa=True, preferred="SOFTWARE_TOKEN_MFA")
    mfa = await pool.get_mfa(auth=tokens)
    assert mfa is not None and mfa.preferred == "SOFTWARE_TOKEN_MFA"
    assert set(mfa.enabled) == {"SMS_MFA", "SOFTWARE_TOKEN_MFA"}
    factors = await pool.get_user_auth_factors(auth=tokens)
    assert factors.mfa == mfa and factors.username == tokens_username(tokens)
    challenge = await pool.login(username="wes", password=PASSWORD)
    assert isinstance(challenge, Challenge) and challenge.name == "SOFTWARE_TOKEN_MFA"


async def test_totp_cannot_be_turned_on_before_it_is_verified(
    backend: Backend, pool: AsyncUserPool
) -> None:
    """Cognito refuses TOTP MFA for a user whose app was never confirmed."""
    backend.create_confirmed_user("xan")
    tokens = await _tokens(pool, "xan")
    await pool.associate_software_token(auth=tokens)
    with pytest.raises(InvalidParameterError) as info:
        await pool.set_user_mfa_preference(auth=tokens, software_token_mfa=True)
    assert info.value.code == "InvalidParameterException"
    assert info.value.field is None  # Cognito's refusal, not a local check


async def test_new_password_then_mfa(make_backend: Callable[..., Backend]) -> None:
    """A user created by an administrator sets a new password, and in a pool that requires
    MFA the sign-in continues into MFA_SETUP rather than ending there."""
    backend = make_backend(mfa="ON")
    backend.admin.admin_create_user(
        UserPoolId=backend.user_pool_id,
        Username="yara",
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
    )
    async with backend.pool() as pool:
        first = await pool.login(username="yara", password="Temp-Passw0rd!")
        assert isinstance(first, Challenge) and first.name == "NEW_PASSWORD_REQUIRED"
        step = await pool.login_new_password_required(
            username="yara", login_session=first, new_password=PASSWORD
        )
        assert isinstance(step, Challenge) and step.name == "MFA_SETUP"
        secret = await pool.associate_software_token(login_session=step)
        done = await pool.login_mfa_setup(
            username="yara",
            login_session=secret,
            mfa_code=pyotp.TOTP(secret.secret_code).now(),
        )
        assert isinstance(done, Tokens)


def tokens_username(tokens: Tokens) -> str:
    """The internal username an access token names."""
    from cognito_user_pool._tokens import unverified_claims

    return str(unverified_claims(tokens.access_token)["username"])


async def test_email_mfa_with_the_outbox_code(make_backend: Callable[..., Backend]) -> None:
    """A pool with e-mail MFA: a user turns it on, signs in, gets EMAIL_OTP with where the code
    went; a wrong code is refused, the one in the outbox signs in."""
    backend = make_backend(mfa="OPTIONAL", email_mfa=True)
    backend.create_confirmed_user("zed", email="zed@example.com", email_verified="true")
    async with backend.pool() as pool:
        tokens = await _tokens(pool, "zed")
        await pool.set_user_mfa_preference(auth=tokens, email_mfa=True, preferred="EMAIL_OTP")
        factors = await pool.get_user_auth_factors(auth=tokens)
        assert factors.mfa == MfaSettings(enabled=("EMAIL_OTP",), preferred="EMAIL_OTP")
        challenge = await pool.login(username="zed", password=PASSWORD)
        assert isinstance(challenge, Challenge) and challenge.name == "EMAIL_OTP"
        assert challenge.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
        code = backend.code("zed", "email_mfa")
        with pytest.raises(CodeMismatchError):
            await pool.login_mfa(username="zed", login_session=challenge, mfa_code=_wrong(code))
        done = await pool.login_mfa(username="zed", login_session=challenge, mfa_code=code)
        assert isinstance(done, Tokens)


async def test_select_mfa_type_can_choose_email(make_backend: Callable[..., Backend]) -> None:
    """With TOTP and e-mail on and no preference, the user can pick e-mail at SELECT_MFA_TYPE
    and sign in with the code sent there."""
    backend = make_backend(mfa="OPTIONAL", email_mfa=True)
    backend.create_confirmed_user("amy", email="amy@example.com", email_verified="true")
    async with backend.pool() as pool:
        tokens = await _tokens(pool, "amy")
        await _enrol(pool, tokens)
        await pool.set_user_mfa_preference(auth=tokens, email_mfa=True, software_token_mfa=True)
        challenge = await pool.login(username="amy", password=PASSWORD)
        assert isinstance(challenge, Challenge) and challenge.name == "SELECT_MFA_TYPE"
        assert set(challenge.mfa_types) == {"SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}
        step = await pool.login_select_mfa_type(
            username="amy", login_session=challenge, mfa_type="EMAIL_OTP"
        )
        assert isinstance(step, Challenge) and step.name == "EMAIL_OTP"
        code = backend.code("amy", "email_mfa")
        done = await pool.login_mfa(username="amy", login_session=step, mfa_code=code)
        assert isinstance(done, Tokens)


async def test_mfa_setup_by_email(make_backend: Callable[..., Backend]) -> None:
    """A pool that requires MFA and offers e-mail: a user without an address gets MFA_SETUP,
    gives an address, and signs in with the code sent there; a malformed address is refused
    before any request."""
    backend = make_backend(mfa="ON", email_mfa=True)
    backend.create_confirmed_user("ben")
    async with backend.pool() as pool:
        challenge = await pool.login(username="ben", password=PASSWORD)
        assert isinstance(challenge, Challenge) and challenge.name == "MFA_SETUP"
        assert "EMAIL_OTP" in challenge.mfa_types
        with pytest.raises(InvalidParameterError) as info:
            await pool.login_mfa_setup(username="ben", login_session=challenge, email="ben")
        assert info.value.field == "email"
        step = await pool.login_mfa_setup(
            username="ben", login_session=challenge, email="ben@example.com"
        )
        assert isinstance(step, Challenge) and step.name == "EMAIL_OTP"
        code = backend.code("ben", "email_mfa")
        done = await pool.login_mfa(username="ben", login_session=step, mfa_code=code)
        assert isinstance(done, Tokens)
