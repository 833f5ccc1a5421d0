"""UserPool: the async core's flows as blocking calls, over one portal."""

from __future__ import annotations

import asyncio
import inspect
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from cognito_user_pool import (
    FLOWS,
    AsyncUserPool,
    Challenge,
    CodeDeliveryDetails,
    InvalidParameterError,
    MfaSettings,
    PoolClosedError,
    ProfileEditResult,
    SignUpConfirmation,
    SignUpResult,
    Tokens,
    UserNotFoundError,
    UserPool,
    UserProfile,
)

from ._helpers import PASSWORD
from .conftest import Cognito


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_every_flow_is_a_blocking_twin(flow):
    """Each FLOWS entry is a real method wrapping the same coroutine, with its signature."""
    coroutine = getattr(AsyncUserPool, flow.name)
    method = inspect.getattr_static(UserPool, flow.name)
    assert inspect.isfunction(method) and not inspect.iscoroutinefunction(method)
    assert inspect.unwrap(method) is coroutine
    assert method.__qualname__ == f"UserPool.{flow.name}"
    assert inspect.signature(method) == inspect.signature(coroutine)
    pool = UserPool("us-east-1_AbC123", "client1")
    bound = getattr(pool, flow.name)
    expected = list(inspect.signature(coroutine).parameters.values())[1:]
    assert list(inspect.signature(bound).parameters.values()) == expected
    assert bound.__doc__ == coroutine.__doc__
    pool.close()


def test_no_flow_without_a_flows_entry():
    """UserPool has no blocking twin of a coroutine that FLOWS does not list."""
    blocking = {
        name
        for name in dir(UserPool)
        if inspect.iscoroutinefunction(
            getattr(inspect.getattr_static(UserPool, name), "__wrapped__", None)
        )
    }
    assert blocking == {flow.name for flow in FLOWS}


def test_lifecycle_returns_the_cores_types(cognito: Cognito, pool: UserPool):
    """Sign up, confirm, log in, read and edit the profile, refresh, change password, log out."""
    signed = pool.signup(username="alice", password=PASSWORD, attributes={"email": "a@x.io"})
    assert isinstance(signed, SignUpResult) and signed.user_confirmed is False
    confirmed = pool.signup_confirm(username="alice", confirmation_code="123456")
    assert isinstance(confirmed, SignUpConfirmation) and confirmed.username == "alice"
    tokens = pool.login(username="alice", password=PASSWORD)
    assert isinstance(tokens, Tokens)
    profile = pool.profile(auth=tokens)
    assert isinstance(profile, UserProfile) and profile.get("email") == "a@x.io"
    edit = pool.profile_edit(attributes={"name": "Alice"}, auth=tokens)
    assert isinstance(edit, ProfileEditResult) and edit.updated == ("name",)
    refreshed = pool.refresh_session(refresh_token=tokens.refresh_token or "")
    assert isinstance(refreshed, Tokens)
    assert (
        pool.password_change(old_password=PASSWORD, new_password=PASSWORD + "2", auth=tokens)
        is None
    )
    assert isinstance(pool.password_forgot(username="alice"), CodeDeliveryDetails)
    assert pool.logout(auth=tokens) is None


def test_mfa_and_new_password_challenges(cognito: Cognito, pool: UserPool):
    """A NEW_PASSWORD_REQUIRED login is answered, then SMS MFA is turned on and answered."""
    username = cognito.create_user(permanent=False, phone=True)
    challenge = pool.login(username=username, password=PASSWORD)
    assert isinstance(challenge, Challenge) and challenge.name == "NEW_PASSWORD_REQUIRED"
    tokens = pool.login_new_password_required(
        username=username, login_session=challenge, new_password=PASSWORD + "2"
    )
    assert isinstance(tokens, Tokens)
    pool.set_mfa(enable_mfa=True, auth=tokens)
    assert pool.get_mfa(auth=tokens) == MfaSettings(enabled=("SMS_MFA",), preferred="SMS_MFA")
    mfa = pool.login(username=username, password=PASSWORD + "2")
    assert isinstance(mfa, Challenge) and mfa.next_step == "MFA_AUTH"
    assert isinstance(
        pool.login_mfa(username=username, login_session=mfa.session, mfa_code="123456"), Tokens
    )


def test_errors_raise_cognito_errors(pool: UserPool):
    """Cognito's errors and local validation errors raise as the core's CognitoError types."""
    with pytest.raises(UserNotFoundError) as info:
        pool.login(username="nobody", password=PASSWORD)
    assert info.value.code == "UserNotFoundException"
    with pytest.raises(InvalidParameterError):
        pool.login(username="", password=PASSWORD)


def test_calls_after_close_raise_pool_closed_error(cognito: Cognito):
    """A closed pool refuses calls and `with` with PoolClosedError; close is idempotent."""
    pool = cognito.sync_pool()
    with pool:
        assert pool.password_forgot(username=cognito.create_user()) is not None
    assert pool.is_closed
    pool.close()
    with pytest.raises(PoolClosedError):
        pool.login(username="alice", password=PASSWORD)
    with pytest.raises(PoolClosedError), pool:
        pass


def test_with_is_once():
    """Entering an open pool a second time raises PoolClosedError, as AsyncUserPool does."""
    with UserPool("us-east-1_AbC123", "client1") as pool, pytest.raises(PoolClosedError), pool:
        pass


def test_opens_on_first_call_without_with(cognito: Cognito):
    """Without `with`, the first call starts the portal and close() stops it."""
    pool = cognito.sync_pool()
    assert "unopened" in repr(pool)
    username = cognito.create_user()
    assert isinstance(pool.login(username=username, password=PASSWORD), Tokens)
    portal_threads = [t for t in threading.enumerate() if t.name.endswith(f"{id(pool):x}")]
    assert len(portal_threads) == 1
    pool.close()
    assert not portal_threads[0].is_alive()


def test_thirty_two_threads_share_one_pool(cognito: Cognito, pool: UserPool):
    """32 threads log in at once through one UserPool and all get tokens."""
    username = cognito.create_user()
    barrier = threading.Barrier(32)

    def login(_: int) -> object:
        barrier.wait()
        return pool.login(username=username, password=PASSWORD)

    with ThreadPoolExecutor(32) as threads:
        results = list(threads.map(login, range(32)))
    assert all(isinstance(r, Tokens) for r in results)


def test_call_from_inside_a_running_loop(cognito: Cognito, pool: UserPool):
    """A blocking call made from a coroutine works: the portal runs its own loop."""
    username = cognito.create_user()

    async def main() -> object:
        return pool.login(username=username, password=PASSWORD)

    assert isinstance(asyncio.run(main()), Tokens)


def test_repr_and_config_hide_the_secret():
    """The client secret shows as *** in repr and never in clear."""
    pool = UserPool("us-east-1_AbC123", "client1", client_secret="verysecretvalue0123456789ab")
    assert "verysecretvalue0123456789ab" not in repr(pool) and "***" in repr(pool)
    assert pool.config.client_secret == "verysecretvalue0123456789ab"
    pool.close()


def test_from_env_reads_the_environment():
    """from_env builds a pool from COGNITO_* variables, like AsyncUserPool.from_env."""
    pool = UserPool.from_env(
        {"COGNITO_USER_POOL_ID": "eu-west-1_AbC123", "COGNITO_CLIENT_ID": "client1"}
    )
    assert pool.config.region == "eu-west-1"
    pool.close()


def test_submit_starts_a_flow_without_waiting(cognito: Cognito, pool: UserPool):
    """submit() runs a core coroutine on the pool's loop and hands back a Future of its result;
    close() waits for it."""
    future = pool.submit(
        AsyncUserPool.signup, username="sue", password=PASSWORD, attributes={"email": "s@x.io"}
    )
    assert isinstance(future.result(timeout=30), SignUpResult)


def test_submit_refuses_what_is_not_a_coroutine_function():
    """submit() names a bad flow with InvalidParameterError before starting anything."""
    with UserPool("us-east-1_AbC123", "client1") as pool, pytest.raises(InvalidParameterError):
        pool.submit(print)  # type: ignore[arg-type]


def test_close_at_exit_must_be_a_bool():
    """UserPool(close_at_exit=...) takes True or False only, checked at construction."""
    with pytest.raises(InvalidParameterError):
        UserPool("us-east-1_AbC123", "client1", close_at_exit="no")  # type: ignore[arg-type]
