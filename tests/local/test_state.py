"""``LocalCognito(state=...)`` / ``--state``: pools, ids, users and codes survive a restart,
passwords never reach the file (issue 12, "A dev loop")."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import boto3
import botocore
import pyotp
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import cognito_user_pool.local
from cognito_user_pool import NotAuthorizedError, Tokens
from cognito_user_pool.cli import cli
from cognito_user_pool.local import LocalCognito, StateFileError, _state_file
from cognito_user_pool.local import __main__ as local_main
from cognito_user_pool.local import _moto_internals as mi

from ._srp_client import SrpClient, secret_hash
from .test_devices import _confirmed_device, _device_sign_in

PASSWORD = "Corr3ct-horse-St4te!"
NEW_PASSWORD = "An0ther-horse-St4te!"
POOL_ID = "us-east-1_AbCdE1234"
CLIENT_ID = "0123456789abcdefghijklmnop"


def public(local: LocalCognito) -> Any:
    """An unsigned cognito-idp client, as an app would use."""
    return boto3.client(
        "cognito-idp",
        region_name=local.region,
        endpoint_url=local.endpoint_url,
        config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}),
    )


def _hash(local: LocalCognito, username: str) -> dict[str, str]:
    if local.client_secret is None:
        return {}
    return {"SECRET_HASH": secret_hash(local.client_secret, username, local.client_id)}


def password_auth(local: LocalCognito, username: str, password: str) -> dict[str, Any]:
    """USER_PASSWORD_AUTH through boto3."""
    client = public(local)
    try:
        return dict(
            client.initiate_auth(
                ClientId=local.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={
                    "USERNAME": username,
                    "PASSWORD": password,
                    **_hash(local, username),
                },
            )
        )
    finally:
        client.close()


def srp_auth(local: LocalCognito, username: str, password: str) -> dict[str, Any]:
    """USER_SRP_AUTH through boto3 with pycognito's client maths (the test's own witness)."""
    client = public(local)
    srp = SrpClient(local.user_pool_id, local.client_id, username, password, local.client_secret)
    try:
        started = client.initiate_auth(
            ClientId=local.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters=srp.auth_parameters(),
        )
        return dict(
            client.respond_to_auth_challenge(
                ClientId=local.client_id,
                ChallengeName="PASSWORD_VERIFIER",
                Session=started["Session"],
                ChallengeResponses=srp.responses(started["ChallengeParameters"]),
            )
        )
    finally:
        client.close()


def _attributes(user: dict[str, Any]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Code"])


def _encodings(secret: str) -> set[str]:
    """The password as it could appear in a file: plain, JSON-escaped, base64, hex, URL, hashed."""
    raw = secret.encode()
    return {
        secret,
        json.dumps(secret)[1:-1],
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
        raw.hex(),
        raw.hex().upper(),
        urllib.parse.quote(secret),
        hashlib.sha256(raw).hexdigest(),
        secret[::-1],
    }


@pytest.fixture
def state(tmp_path: Path) -> Path:
    """Where the test keeps its state file (not created yet)."""
    return tmp_path / "cognito-state.json"


# ---- restarts ---------------------------------------------------------------------------


@pytest.mark.anyio
async def test_restart_keeps_user_password_and_ids(state: Path) -> None:
    """After a restart with the same state file, the pool and client ids and secret are the
    same, and a user logs in with the same password by SRP (this library) and by
    USER_PASSWORD_AUTH (boto3); a wrong password is still refused both ways."""
    with LocalCognito(state=state, client_secret=True) as first:
        ids = (first.user_pool_id, first.client_id, first.client_secret)
        client = public(first)
        client.sign_up(
            ClientId=first.client_id,
            Username="alice",
            Password=PASSWORD,
            SecretHash=secret_hash(str(first.client_secret), "alice", first.client_id),
            UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
        )
        code = first.outbox.wait_for(username="alice", purpose="signup").code
        client.confirm_sign_up(
            ClientId=first.client_id,
            Username="alice",
            ConfirmationCode=code,
            SecretHash=secret_hash(str(first.client_secret), "alice", first.client_id),
        )
        client.close()
        first.default.create_user("bob", PASSWORD, {"email": "bob@example.com"})
        sub = _attributes(first.admin.admin_get_user(UserPoolId=ids[0], Username="alice"))["sub"]

    with LocalCognito(state=state) as second:  # no client_secret, no ids: all from the file
        assert (second.user_pool_id, second.client_id, second.client_secret) == ids
        async with second.pool() as pool:
            tokens = await pool.login(username="alice", password=PASSWORD)
            assert isinstance(tokens, Tokens)
            assert _claims(tokens.id_token)["sub"] == sub  # the same user, not a look-alike
            with pytest.raises(NotAuthorizedError):
                await pool.login(username="alice", password=NEW_PASSWORD)
        assert "AuthenticationResult" in password_auth(second, "bob", PASSWORD)
        assert "AuthenticationResult" in srp_auth(second, "bob", PASSWORD)
        for attempt in (password_auth, srp_auth):
            with pytest.raises(ClientError) as refused:
                attempt(second, "bob", PASSWORD + "x")
            assert _error(refused) == "NotAuthorizedException"
        described = second.admin.admin_get_user(UserPoolId=second.user_pool_id, Username="alice")
        assert described["UserStatus"] == "CONFIRMED"
        attributes = _attributes(described)
        assert attributes["sub"] == sub
        assert attributes["email"] == "alice@example.com"
        assert attributes["email_verified"] == "true"


def test_every_password_check_works_from_the_verifier(state: Path) -> None:
    """A restored user's password is checked from its verifier wherever the server checks
    one: ADMIN_USER_PASSWORD_AUTH, ChangePassword's previous password (and the new one then
    works, through another restart), and a temporary password's NEW_PASSWORD_REQUIRED."""
    with LocalCognito(state=state) as first:
        first.default.create_user("carol", PASSWORD)
        first.admin.admin_create_user(
            UserPoolId=first.user_pool_id,
            Username="dave",
            TemporaryPassword=PASSWORD,
            MessageAction="SUPPRESS",
        )
    with LocalCognito(state=state) as second:
        admin_auth = {
            "UserPoolId": second.user_pool_id,
            "ClientId": second.client_id,
            "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        }
        with pytest.raises(ClientError) as refused:
            second.admin.admin_initiate_auth(
                **admin_auth, AuthParameters={"USERNAME": "carol", "PASSWORD": NEW_PASSWORD}
            )
        assert _error(refused) == "NotAuthorizedException"
        tokens = second.admin.admin_initiate_auth(
            **admin_auth, AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD}
        )["AuthenticationResult"]
        client = public(second)
        with pytest.raises(ClientError) as wrong:
            client.change_password(
                AccessToken=tokens["AccessToken"],
                PreviousPassword=NEW_PASSWORD,
                ProposedPassword=PASSWORD,
            )
        assert _error(wrong) == "NotAuthorizedException"
        client.change_password(
            AccessToken=tokens["AccessToken"],
            PreviousPassword=PASSWORD,
            ProposedPassword=NEW_PASSWORD,
        )
        started = password_auth(second, "dave", PASSWORD)
        assert started["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
        client.respond_to_auth_challenge(
            ClientId=second.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=started["Session"],
            ChallengeResponses={"USERNAME": "dave", "NEW_PASSWORD": NEW_PASSWORD},
        )
        client.close()
    with LocalCognito(state=state) as third:
        assert "AuthenticationResult" in srp_auth(third, "carol", NEW_PASSWORD)
        assert "AuthenticationResult" in password_auth(third, "dave", NEW_PASSWORD)
        with pytest.raises(ClientError):
            password_auth(third, "carol", PASSWORD)


def test_the_file_holds_no_password_and_is_private(state: Path) -> None:
    """Neither the file (in any obvious encoding) nor moto's user model holds a password, old
    or new; the file is mode 0600, even when it replaces a looser one, and has a version."""
    with LocalCognito(state=state) as local:
        client = public(local)
        client.sign_up(
            ClientId=local.client_id,
            Username="erin",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "erin@example.com"}],
        )
        client.close()
        user = mi.find_pool(local.user_pool_id).user_by_username("erin")  # type: ignore[union-attr]
        assert user is not None
        assert user.password != PASSWORD  # moto's field holds a placeholder, not the password
        local.admin.admin_set_user_password(
            UserPoolId=local.user_pool_id, Username="erin", Password=NEW_PASSWORD, Permanent=True
        )
        assert user.password not in (PASSWORD, NEW_PASSWORD)
        running = state.read_text(encoding="utf-8")  # saved while running, before any stop
    os.chmod(state, 0o644)  # a looser file is replaced, not reused
    with LocalCognito(state=state) as local:
        local.default.create_user("frank", PASSWORD)
    text = state.read_text(encoding="utf-8")
    for content in (running, text):
        for secret in (PASSWORD, NEW_PASSWORD):
            leaked = [form for form in _encodings(secret) if form in content]
            assert not leaked, f"the state file holds a password ({len(leaked)} forms)"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    document = json.loads(text)
    assert document["format"] == "cognito-user-pool/local-state"
    assert document["version"] == 1
    (pool,) = document["pools"]
    users = {u["username"]: u for u in pool["users"]}
    assert set(users["erin"]["srp"]) == {"salt", "verifier"}  # what AWS keeps instead
    assert not list(state.parent.glob(f".{state.name}.*"))  # no temporary file left behind


def test_pending_codes_survive_and_come_back_to_the_outbox(state: Path) -> None:
    """A sign-up code sent before the restart confirms the user after it, is in the new
    outbox, and a wrong code is still refused."""
    with LocalCognito(state=state) as first:
        client = public(first)
        client.sign_up(
            ClientId=first.client_id,
            Username="gina",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "gina@example.com"}],
        )
        client.close()
        code = first.outbox.wait_for(username="gina", purpose="signup").code
    with LocalCognito(state=state) as second:
        again = second.default.outbox.wait_for(username="gina", purpose="signup", timeout=0)
        assert again.code == code
        assert again.destination == "gina@example.com"
        client = public(second)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        with pytest.raises(ClientError) as refused:
            client.confirm_sign_up(
                ClientId=second.client_id, Username="gina", ConfirmationCode=wrong
            )
        assert _error(refused) == "CodeMismatchException"
        client.confirm_sign_up(ClientId=second.client_id, Username="gina", ConfirmationCode=code)
        client.close()
        assert "AuthenticationResult" in password_auth(second, "gina", PASSWORD)
    with LocalCognito(state=state) as third:  # a used code is not pending any more
        assert len(third.outbox) == 0


def test_groups_mfa_and_totp_secret_survive(state: Path) -> None:
    """Groups (in the tokens' cognito:groups), the pool's MFA mode and a user's TOTP secret
    are kept: after the restart the user gets SOFTWARE_TOKEN_MFA and the same
    authenticator app's code finishes the sign-in."""
    with LocalCognito(state=state, mfa="OPTIONAL") as first:
        first.default.create_user("hana", PASSWORD)
        first.admin.create_group(UserPoolId=first.user_pool_id, GroupName="admins")
        first.admin.admin_add_user_to_group(
            UserPoolId=first.user_pool_id, Username="hana", GroupName="admins"
        )
        access = password_auth(first, "hana", PASSWORD)["AuthenticationResult"]["AccessToken"]
        client = public(first)
        secret = client.associate_software_token(AccessToken=access)["SecretCode"]
        client.verify_software_token(AccessToken=access, UserCode=pyotp.TOTP(secret).now())
        client.set_user_mfa_preference(
            AccessToken=access,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
        client.close()
    with LocalCognito(state=state) as second:
        started = password_auth(second, "hana", PASSWORD)
        assert started["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
        client = public(second)
        done = client.respond_to_auth_challenge(
            ClientId=second.client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=started["Session"],
            ChallengeResponses={
                "USERNAME": "hana",
                "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(secret).now(),
            },
        )
        client.close()
        claims = _claims(done["AuthenticationResult"]["AccessToken"])
        assert claims["cognito:groups"] == ["admins"]
        mfa = second.admin.get_user_pool_mfa_config(UserPoolId=second.user_pool_id)
        assert mfa["MfaConfiguration"] == "OPTIONAL"


def test_remembered_devices_survive(state: Path) -> None:
    """A device confirmed before the restart still signs in by device SRP after it (its
    verifier is kept); another device password is still refused."""
    with LocalCognito(state=state, remember_devices="always") as first:
        client = public(first)
        meta, device_password, _ = _confirmed_device(client, first.default)
        client.close()
    with LocalCognito(state=state) as second:
        client = public(second)
        result = _device_sign_in(client, second.default, meta, device_password)
        assert "AccessToken" in result["AuthenticationResult"]
        with pytest.raises(ClientError) as refused:
            _device_sign_in(client, second.default, meta, "not-the-device-password")
        assert _error(refused) == "NotAuthorizedException"
        client.close()


def test_pools_made_through_the_api_are_kept(state: Path) -> None:
    """A pool and client a setup script creates through the server's API (not create_pool)
    are in the state file too, with their settings."""
    with LocalCognito(state=state) as first:
        made = first.admin.create_user_pool(
            PoolName="from-a-script",
            Policies={"PasswordPolicy": {"MinimumLength": 12}},
            Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}],
        )["UserPool"]["Id"]
        first.admin.admin_create_user(
            UserPoolId=made,
            Username="mona",
            UserAttributes=[{"Name": "custom:tier", "Value": "gold"}],
            MessageAction="SUPPRESS",
        )
        client_id = first.admin.create_user_pool_client(
            UserPoolId=made, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
    assert made in {p["id"] for p in json.loads(state.read_text(encoding="utf-8"))["pools"]}
    assert mi.find_pool(made) is None  # the server's own: gone from moto with the server
    with LocalCognito(state=state) as second:
        pool = second.admin.describe_user_pool(UserPoolId=made)["UserPool"]
        assert pool["Name"] == "from-a-script"
        assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
        client = second.admin.describe_user_pool_client(UserPoolId=made, ClientId=client_id)
        assert client["UserPoolClient"]["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH"]
        schema = {a["Name"]: a for a in pool["SchemaAttributes"]}
        assert schema["custom:tier"]["AttributeDataType"] == "String"
        second.admin.admin_update_user_attributes(
            UserPoolId=made, Username="mona", UserAttributes=[{"Name": "custom:tier", "Value": "x"}]
        )
        user = second.admin.admin_get_user(UserPoolId=made, Username="mona")
        assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
        assert {"Name": "custom:tier", "Value": "x"} in user["UserAttributes"]


@pytest.mark.anyio
async def test_email_as_username_pool_survives(state: Path) -> None:
    """In a pool whose users sign in with their e-mail (the username is a uuid), a restored
    user still signs in by e-mail with SRP: the verifier is bound to the same internal name."""
    with LocalCognito(state=state, username_attributes=["email"], client_secret=True) as first:
        internal = first.default.create_user("nina@example.com", PASSWORD)
        assert internal != "nina@example.com"
    with LocalCognito(state=state) as second:
        async with second.pool() as pool:
            tokens = await pool.login(username="nina@example.com", password=PASSWORD)
            assert isinstance(tokens, Tokens)
            with pytest.raises(NotAuthorizedError):
                await pool.login(username="nina@example.com", password=NEW_PASSWORD)
        user = second.admin.admin_get_user(UserPoolId=second.user_pool_id, Username=internal)
        assert user["Username"] == internal


# ---- a crash is not a clean stop ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_server(state: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cognito_user_pool.local", "--state", str(state),
         "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("# Admin calls must be signed"):
            return process
    process.kill()
    raise AssertionError(f"the server did not start: {process.wait()}")


def _exports(state: Path) -> dict[str, str]:
    document = json.loads(state.read_text(encoding="utf-8"))
    return dict(document["default"])


@pytest.mark.skipif(
    sys.platform == "win32", reason="the test kills the server with SIGKILL, which Windows lacks"
)
def test_a_killed_server_loses_nothing_it_answered(state: Path) -> None:
    """``python -m cognito_user_pool.local --state FILE`` saves after each change: killed
    (no clean stop) right after a sign-up was answered, it comes back with the user, who
    signs in with the same password and ids, and fixed ids are not needed again."""
    port = _free_port()
    process = _run_server(state, port, "--pool-id", POOL_ID, "--client-id", CLIENT_ID)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "cognito-idp",
            region_name="us-east-1",
            endpoint_url=endpoint,
            config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}),
        )
        client.sign_up(
            ClientId=CLIENT_ID,
            Username="ivan",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "ivan@example.com"}],
        )
        client.close()
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert process.stdout is not None
        process.stdout.close()
    assert _exports(state) == {"pool_id": POOL_ID, "client_id": CLIENT_ID}
    process = _run_server(state, port)
    try:
        client = boto3.client(
            "cognito-idp",
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="dummy",
            aws_secret_access_key="dummy",
            config=Config(retries={"total_max_attempts": 1}),
        )
        client.admin_confirm_sign_up(UserPoolId=POOL_ID, Username="ivan")
        result = client.initiate_auth(
            ClientId=CLIENT_ID,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ivan", "PASSWORD": PASSWORD},
        )
        assert "AuthenticationResult" in result
        client.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung server fails below
            process.kill()
        assert process.stdout is not None
        process.stdout.close()


# ---- fixed ids --------------------------------------------------------------------------


@pytest.mark.anyio
async def test_fixed_ids_are_used() -> None:
    """``pool_id``/``client_id`` become the default pool's ids, and SRP (whose maths use the
    pool id) works with them."""
    with LocalCognito(pool_id=POOL_ID, client_id=CLIENT_ID, client_secret=True) as local:
        assert (local.user_pool_id, local.client_id) == (POOL_ID, CLIENT_ID)
        assert local.region == "us-east-1"
        described = local.admin.describe_user_pool(UserPoolId=POOL_ID)["UserPool"]
        assert described["Arn"].endswith(f"userpool/{POOL_ID}")
        local.default.create_user("jane", PASSWORD)
        async with local.pool() as pool:
            assert isinstance(await pool.login(username="jane", password=PASSWORD), Tokens)
        with pytest.raises(ValueError, match="already exists"):
            local.create_pool(pool_id=POOL_ID)


def test_fixed_pool_id_sets_the_region() -> None:
    """A pool id in another region moves the server there; a contradicting ``region`` is
    refused."""
    with LocalCognito(pool_id="eu-west-1_Zz9Zz9Zz9") as local:
        assert local.region == "eu-west-1"
        assert local.user_pool_id == "eu-west-1_Zz9Zz9Zz9"
    with pytest.raises(ValueError, match="conflicting regions"):
        LocalCognito(pool_id="eu-west-1_Zz9Zz9Zz9", region="us-east-1")


BAD_POOL_IDS = [
    "us-east-1_abc",  # too short
    "us-east-1_AbCdE12345",  # too long
    "us-east-1_AbCd-1234",  # not alphanumeric
    "useast1_AbCdE1234",  # not a region
    "AbCdE1234",
    "us-east-1_0123456789abcdef0123456789abcdef",  # moto's own shape, not AWS's
]
BAD_CLIENT_IDS = [
    "0123456789ABCDEFGHIJKLMNOP",
    "0123456789abcdefghijklmno",
    "0123456789abcdefghijklmn_p",
]


@pytest.mark.parametrize("pool_id", BAD_POOL_IDS)
def test_bad_pool_ids_are_refused(pool_id: str) -> None:
    """A pool id that is not ``<region>_<9 letters or digits>`` is refused before starting."""
    with pytest.raises(ValueError, match="not a Cognito user pool id") as refused:
        LocalCognito(pool_id=pool_id)
    assert getattr(refused.value, "option", None) == "pool_id"


@pytest.mark.parametrize("client_id", BAD_CLIENT_IDS)
def test_bad_client_ids_are_refused(client_id: str) -> None:
    """A client id that is not 26 lowercase letters and digits is refused before starting."""
    with pytest.raises(ValueError, match="26 lowercase") as refused:
        LocalCognito(client_id=client_id)
    assert getattr(refused.value, "option", None) == "client_id"


def test_state_ids_win_and_other_ids_are_refused(state: Path) -> None:
    """With a state file, the ids come back without flags; naming other ids is an error, as
    is another region."""
    with LocalCognito(state=state, pool_id=POOL_ID, client_id=CLIENT_ID):
        pass
    with LocalCognito(state=state) as again:
        assert (again.user_pool_id, again.client_id) == (POOL_ID, CLIENT_ID)
    with LocalCognito(state=state, pool_id=POOL_ID, client_id=CLIENT_ID) as same:
        assert same.user_pool_id == POOL_ID
    with pytest.raises(ValueError, match="keeps the default pool") as refused:
        LocalCognito(state=state, pool_id="us-east-1_Other1234")
    assert getattr(refused.value, "option", None) == "pool_id"
    with pytest.raises(ValueError, match="keeps the default pool"):
        LocalCognito(state=state, client_id="z" * 26)
    with pytest.raises(ValueError, match="conflicting regions"):
        LocalCognito(state=state, region="eu-west-1")


# ---- unusable files ---------------------------------------------------------------------


def _valid_document() -> dict[str, Any]:
    return {
        "format": _state_file.FORMAT,
        "version": 1,
        "region": "us-east-1",
        "default": None,
        "pools": [],
    }


def _corrupt(**changes: Any) -> str:
    return json.dumps({**_valid_document(), **changes})


CORRUPT = {
    "not JSON": ("{'format': ", "not valid JSON"),
    "not a state file": (
        json.dumps({"format": "something-else", "version": 1}),
        "not a local Cognito state file",
    ),
    "newer version": (_corrupt(version=99), "newer than this"),
    "no version": (_corrupt(version="1"), 'no valid "version"'),
    "malformed pools": (_corrupt(pools={}), "malformed"),
    "malformed pool": (_corrupt(pools=[{"id": POOL_ID}]), "malformed"),
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_an_unusable_file_is_a_clear_error(state: Path, case: str) -> None:
    """A corrupt, foreign, malformed or newer-version file raises StateFileError naming the
    file, before anything starts, and is left as it was."""
    content, message = CORRUPT[case]
    state.write_text(content, encoding="utf-8")
    with pytest.raises(StateFileError, match=message) as refused:
        LocalCognito(state=state).start()
    assert str(state) in str(refused.value)
    assert state.read_text(encoding="utf-8") == content
    assert refused.value.__cause__ is None  # the message is the explanation, not a traceback


def test_a_malformed_pool_restores_nothing(state: Path) -> None:
    """A file whose second pool is broken does not leave its first pool half-restored: the
    error is clear, and the file can still be fixed and used."""
    with LocalCognito(state=state) as local:
        local.create_pool()
    document = json.loads(state.read_text(encoding="utf-8"))
    good = document["pools"][0]["id"]
    del document["pools"][1]["users"]
    state.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(StateFileError, match="'users' is missing"):
        LocalCognito(state=state).start()
    assert mi.find_pool(good) is None
    document["pools"][1]["users"] = []
    state.write_text(json.dumps(document), encoding="utf-8")
    with LocalCognito(state=state) as local:
        assert local.user_pool_id == good


def test_state_in_a_missing_directory_is_refused(tmp_path: Path) -> None:
    """A state file whose directory does not exist is refused up front."""
    with pytest.raises(ValueError, match="does not exist") as refused:
        LocalCognito(state=tmp_path / "missing" / "state.json")
    assert getattr(refused.value, "option", None) == "state"


# ---- the command lines ------------------------------------------------------------------


def test_cli_passes_state_and_ids(monkeypatch: pytest.MonkeyPatch, state: Path) -> None:
    """``cognito-user-pool local --state F --pool-id P --client-id C`` reaches LocalCognito;
    bad ids and a corrupt file are usage errors (exit 2) naming the flag, before serving."""
    from click.testing import CliRunner

    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(cognito_user_pool.local, "serve", lambda **o: seen.append(o))
    runner = CliRunner()
    args = ["local", "--state", str(state), "--pool-id", POOL_ID, "--client-id", CLIENT_ID]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (seen[0]["state"], seen[0]["pool_id"], seen[0]["client_id"]) == (
        str(state),
        POOL_ID,
        CLIENT_ID,
    )
    assert seen[0]["region"] is None
    for flags, hint in (
        (["--pool-id", "us-east-1_nope"], "--pool-id"),
        (["--client-id", "NOPE"], "--client-id"),
        (["--pool-id", POOL_ID, "--region", "eu-west-1"], "--region"),
    ):
        refused = runner.invoke(cli, ["local", *flags])
        assert refused.exit_code == 2, refused.output
        assert hint in refused.output
    state.write_text("not json", encoding="utf-8")
    refused = runner.invoke(cli, ["local", "--state", str(state)])
    assert refused.exit_code == 2
    assert "--state" in refused.output
    assert "not valid JSON" in refused.output
    assert len(seen) == 1


def test_module_runner_passes_state_and_ids(monkeypatch: pytest.MonkeyPatch, state: Path) -> None:
    """``python -m cognito_user_pool.local --state F --pool-id P --client-id C`` does the same,
    and refuses bad ids with exit code 2."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(local_main, "serve", lambda **o: seen.append(o))
    argv = ["--state", str(state), "--pool-id", POOL_ID, "--client-id", CLIENT_ID]
    assert local_main.main(argv) == 0
    assert (seen[0]["state"], seen[0]["pool_id"], seen[0]["client_id"]) == (
        str(state),
        POOL_ID,
        CLIENT_ID,
    )
    with pytest.raises(SystemExit) as exited:
        local_main.main(["--client-id", "NOPE"])
    assert exited.value.code == 2
    assert len(seen) == 1


def test_the_runner_shows_pending_codes_after_a_restart(state: Path) -> None:
    """The foreground runner says where the state lives and where the outbox is, and prints
    the codes still pending from before the restart."""
    import io
    import threading

    from cognito_user_pool.local import serve

    with LocalCognito(state=state) as first:
        client = public(first)
        client.sign_up(
            ClientId=first.client_id,
            Username="kim",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "kim@example.com"}],
        )
        client.close()
        code = first.outbox.wait_for(username="kim").code
    out, stop = io.StringIO(), threading.Event()
    serve(out=out, stop=stop, on_ready=lambda _: stop.set(), state=state)
    printed = out.getvalue()
    assert f"# State kept in {state}" in printed
    assert "/_local/outbox" in printed
    assert f"user=kim signup (email): {code}" in printed
    assert PASSWORD not in printed


def test_stop_saves_and_a_failed_start_does_not_overwrite(state: Path) -> None:
    """Nothing is lost to a failed start: a second server that cannot restore the file (its
    pools are taken in this process) leaves the file as it was."""
    with LocalCognito(state=state) as first:
        first.default.create_user("lee", PASSWORD)
        before = state.read_text(encoding="utf-8")
        with pytest.raises(StateFileError, match="already exists in this process"):
            LocalCognito(state=state).start()
        assert state.read_text(encoding="utf-8") == before
    assert "lee" in state.read_text(encoding="utf-8")
