"""Core behaviour that the mutation run (``nox -s mutate``) found no test for: what a pool's
repr shows of its configuration, and how a choice outside the MFA methods is refused."""

from __future__ import annotations

import pytest

from cognito_user_pool import AsyncUserPool, InvalidParameterError

pytestmark = pytest.mark.anyio

POOL_ID = "us-east-1_abc"
NOWHERE = "http://127.0.0.1:9"  # nothing listens: a request sent here would fail
TOKEN = "header.payload.signature"
MFA_CHOICES = "['EMAIL_OTP', 'SMS_MFA', 'SOFTWARE_TOKEN_MFA']"


async def test_the_repr_shows_the_configuration_and_hides_the_secret() -> None:
    """The repr names pool, client and region; the endpoint and a *** secret only when set."""
    plain = AsyncUserPool(POOL_ID, "client1")
    assert repr(plain) == (
        f"AsyncUserPool(user_pool_id={POOL_ID!r}, client_id='client1', region='us-east-1', "
        "state=unopened)"
    )
    full = AsyncUserPool(
        POOL_ID, "client1", client_secret="s3cr3t0123456789abcdefghij", endpoint_url=NOWHERE
    )
    assert repr(full) == (
        f"AsyncUserPool(user_pool_id={POOL_ID!r}, client_id='client1', region='us-east-1', "
        f"endpoint_url={NOWHERE!r}, client_secret=***, state=unopened)"
    )
    await plain.aclose()
    await full.aclose()


@pytest.mark.parametrize(
    ("flow", "kwargs", "field"),
    [
        ("set_user_mfa_preference", {"auth": TOKEN, "preferred": "TOTP"}, "preferred"),
        (
            "login_select_mfa_type",
            {"username": "alice", "login_session": "s", "mfa_type": "TOTP"},
            "mfa_type",
        ),
    ],
)
async def test_an_unknown_mfa_method_is_refused_with_the_choices(
    flow: str, kwargs: dict[str, object], field: str
) -> None:
    """A method outside SMS_MFA, SOFTWARE_TOKEN_MFA and EMAIL_OTP is refused before any
    request, naming the field and listing the methods."""
    pool = AsyncUserPool(POOL_ID, "client1", endpoint_url=NOWHERE)
    with pytest.raises(InvalidParameterError) as info:
        await getattr(pool, flow)(**kwargs)
    assert info.value.field == field
    assert info.value.message == f"{field} must be one of {MFA_CHOICES}"
    assert pool._client is None  # no client was opened: nothing was sent
    await pool.aclose()
