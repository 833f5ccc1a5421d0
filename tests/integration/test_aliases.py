"""Pools where users sign in with an e-mail: the internal username (the sub) must be used for
every challenge answer, SECRET_HASH and refresh, which the strict local Cognito checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cognito_user_pool import Challenge, InvalidParameterError, NotAuthorizedError, Tokens
from cognito_user_pool._tokens import unverified_claims

from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "pool_kind", [{"username_attributes": ["email"]}, {"alias_attributes": ["email"]}]
)
async def test_email_sign_in_with_secret_mfa_and_refresh(
    make_backend: Callable[..., Backend], pool_kind: dict[str, list[str]]
) -> None:
    """Sign-up, confirmation, SMS MFA and refresh work when the user types an e-mail."""
    backend = make_backend(client_secret=True, **pool_kind)
    email = "zoe@example.com"
    username = email if "username_attributes" in pool_kind else "zoe"
    async with backend.pool() as pool:
        signed_up = await pool.signup(
            username=username,
            password=PASSWORD,
            attributes={"email": email, "phone_number": "+14155550177"},
        )
        assert signed_up.user_sub is not None
        code = backend.outbox.last(username=email, purpose="signup").code
        await pool.signup_confirm(username=username, confirmation_code=code)

        tokens = await pool.login(username=email, password=PASSWORD)
        assert isinstance(tokens, Tokens)
        internal = unverified_claims(tokens.id_token)["cognito:username"]
        if "username_attributes" in pool_kind:
            assert internal == signed_up.user_sub  # the sub, not the e-mail typed
        else:
            assert internal == "zoe"

        await pool.set_mfa(enable_mfa=True, auth=tokens)
        challenge = await pool.login(username=email, password=PASSWORD)
        assert isinstance(challenge, Challenge)
        assert challenge.username == internal
        code = backend.outbox.last(username=internal, purpose="sms_mfa").code
        tokens = await pool.login_mfa(
            username=email, login_session=challenge.session, mfa_code=code
        )
        assert isinstance(tokens, Tokens)
        assert tokens.refresh_token is not None
        # SECRET_HASH over the internal username, remembered from the login.
        await pool.refresh_session(refresh_token=tokens.refresh_token)

    async with backend.pool() as other:
        with pytest.raises(InvalidParameterError):
            await other.refresh_session(refresh_token=tokens.refresh_token)
        refreshed = await other.refresh_session(
            refresh_token=tokens.refresh_token, access_token=tokens.access_token
        )
        assert refreshed.refresh_token == tokens.refresh_token


async def test_secret_hash_over_the_typed_email_is_refused_for_refresh(
    make_backend: Callable[..., Backend],
) -> None:
    """The strict Cognito refuses a refresh whose SECRET_HASH uses the typed e-mail: the trap
    behind pycognito#18, which the library avoids by reading the internal username."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config
    from botocore.exceptions import ClientError

    from cognito_user_pool._srp import secret_hash

    backend = make_backend(client_secret=True, username_attributes=["email"])
    backend.local.create_user("yan@example.com", PASSWORD, {"email_verified": "true"})
    async with backend.pool() as pool:
        tokens = await pool.login(username="yan@example.com", password=PASSWORD)
    assert isinstance(tokens, Tokens) and tokens.refresh_token is not None
    public = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=backend.local.endpoint_url,
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
    )
    secret = backend.local.client_secret
    assert secret is not None
    with pytest.raises(ClientError) as info:
        public.initiate_auth(
            ClientId=backend.local.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={
                "REFRESH_TOKEN": tokens.refresh_token,
                "SECRET_HASH": secret_hash("yan@example.com", backend.local.client_id, secret),
            },
        )
    public.close()
    assert info.value.response["Error"]["Code"] == NotAuthorizedError.code
