"""Remembered devices against the strict local Cognito, which checks the device SRP proof
with its own verifier: in a pool that requires MFA, a confirmed and remembered device signs
in without a code; after forget_device, MFA again; a wrong device secret is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cognito_user_pool import (
    AsyncUserPool,
    CallbackUserPool,
    Challenge,
    Device,
    FileDeviceStore,
    InvalidParameterError,
    NotAuthorizedError,
    ResourceNotFoundError,
    Tokens,
    UserPool,
)
from cognito_user_pool._tokens import unverified_claims

from ..shims._helpers import ok
from .conftest import PASSWORD, Backend

pytestmark = pytest.mark.anyio

PHONE = "+14155550123"


def _mfa_backend(make_backend: Callable[..., Backend], remember: str = "user_opt_in") -> Backend:
    backend = make_backend(mfa="ON", remember_devices=remember)
    backend.create_confirmed_user("dora", phone_number=PHONE)
    return backend


async def _sign_in_with_sms(backend: Backend, pool: AsyncUserPool) -> Tokens:
    challenge = await pool.login(username="dora", password=PASSWORD)
    assert isinstance(challenge, Challenge) and challenge.name == "SMS_MFA", challenge
    tokens = await pool.login_mfa(
        username="dora", login_session=challenge, mfa_code=backend.code("dora", "sms_mfa")
    )
    assert isinstance(tokens, Tokens)
    return tokens


async def test_remembered_device_skips_mfa_until_forgotten(
    make_backend: Callable[..., Backend],
) -> None:
    """Sign in with SMS MFA, confirm and remember the announced device: the next sign-in
    passes device SRP and gets tokens without a code; after forget_device, MFA again."""
    backend = _mfa_backend(make_backend)
    async with backend.pool() as pool:
        tokens = await _sign_in_with_sms(backend, pool)
        assert tokens.new_device is not None
        assert tokens.new_device.device_group_key not in repr(tokens)
        key = tokens.new_device.device_key
        # The pool remembers devices on the user's word: confirmed, not yet remembered.
        assert await pool.confirm_device(auth=tokens, device=tokens, device_name="laptop")
        stored = await pool.device_store.get(backend.user_pool_id, "dora")
        assert stored is not None and stored.device_key == key
        assert stored.device_password not in repr(stored)
        device = await pool.get_device(auth=tokens)
        assert (device.device_key, device.name, device.remembered) == (key, "laptop", False)
        # Not remembered: the device proves itself, and MFA is still asked; the tokens after
        # the code carry the device's key, and announce no new device.
        again = await pool.login(username="dora", password=PASSWORD)
        assert isinstance(again, Challenge) and again.name == "SMS_MFA"
        answered = await pool.login_mfa(
            username="dora", login_session=again, mfa_code=backend.code("dora", "sms_mfa")
        )
        assert isinstance(answered, Tokens) and answered.new_device is None
        assert unverified_claims(answered.access_token)["device_key"] == key

        await pool.update_device_status(auth=tokens, device_key=key, remembered=True)
        signed_in = await pool.login(username="dora", password=PASSWORD)
        assert isinstance(signed_in, Tokens), signed_in
        assert signed_in.new_device is None  # the known device, not a new one
        # A refresh sends the device's key, and the new access token carries it.
        assert signed_in.refresh_token is not None
        refreshed = await pool.refresh_session(refresh_token=signed_in.refresh_token)
        assert unverified_claims(refreshed.access_token)["device_key"] == key
        assert [d.device_key for d in await pool.list_devices(auth=signed_in)] == [key]
        assert (await pool.get_device(auth=signed_in, device_key=key)).remembered is True

        await pool.forget_device(auth=signed_in)
        assert await pool.device_store.get(backend.user_pool_id, "dora") is None
        assert await pool.list_devices(auth=signed_in) == ()
        after = await pool.login(username="dora", password=PASSWORD)
        assert isinstance(after, Challenge) and after.name == "SMS_MFA"


async def test_a_device_remembered_for_the_user_signs_in_by_alias(
    make_backend: Callable[..., Backend],
) -> None:
    """The store keys a device by the internal username that Cognito's challenge names: a
    sign-in by e-mail alias finds it there and skips MFA; one by the username too."""
    backend = make_backend(mfa="ON", remember_devices="always", alias_attributes=["email"])
    email = "dora@example.com"
    backend.create_confirmed_user("dora", phone_number=PHONE, email=email, email_verified="true")
    async with backend.pool() as pool:
        challenge = await pool.login(username=email, password=PASSWORD)
        assert isinstance(challenge, Challenge) and challenge.name == "SMS_MFA", challenge
        tokens = await pool.login_mfa(
            username=email, login_session=challenge, mfa_code=backend.code("dora", "sms_mfa")
        )
        assert isinstance(tokens, Tokens) and tokens.new_device is not None
        await pool.confirm_device(auth=tokens, device=tokens)
        stored = await pool.device_store.get(backend.user_pool_id, "dora")
        assert stored is not None and stored.device_key == tokens.new_device.device_key
        assert await pool.device_store.get(backend.user_pool_id, email) is None
        for name in (email, "dora"):
            signed_in = await pool.login(username=name, password=PASSWORD)
            assert isinstance(signed_in, Tokens), (name, signed_in)
            assert signed_in.new_device is None


async def test_wrong_device_secret_is_refused(make_backend: Callable[..., Backend]) -> None:
    """A stored device whose password is not the one ConfirmDevice registered fails the
    local Cognito's DEVICE_PASSWORD_VERIFIER check; the message quotes no secret."""
    backend = _mfa_backend(make_backend, remember="always")
    async with backend.pool() as pool:
        tokens = await _sign_in_with_sms(backend, pool)
        assert await pool.confirm_device(auth=tokens, device=tokens) is False
        stored = await pool.device_store.get(backend.user_pool_id, "dora")
        assert stored is not None
        wrong = replace(stored, device_password=stored.device_password[::-1])
        await pool.device_store.put(backend.user_pool_id, "dora", wrong)
        with pytest.raises(NotAuthorizedError) as info:
            await pool.login(username="dora", password=PASSWORD)
        assert "device" in info.value.message
        assert stored.device_password not in str(info.value)
        # The right secret still works.
        await pool.device_store.put(backend.user_pool_id, "dora", stored)
        assert isinstance(await pool.login(username="dora", password=PASSWORD), Tokens)


async def test_device_forgotten_elsewhere_is_dropped(make_backend: Callable[..., Backend]) -> None:
    """When Cognito no longer knows the stored device (forgotten from another place), login
    drops it from the store and signs in without it (MFA)."""
    backend = _mfa_backend(make_backend, remember="always")
    async with backend.pool() as pool:
        tokens = await _sign_in_with_sms(backend, pool)
        assert tokens.new_device is not None
        await pool.confirm_device(auth=tokens, device=tokens.new_device)
        stored = await pool.device_store.get(backend.user_pool_id, "dora")
        assert stored is not None
        # Another pool object (another machine, say) forgets it: this one's store still has it.
        async with backend.pool() as elsewhere:
            await elsewhere.forget_device(auth=tokens, device_key=stored.device_key)
        result = await pool.login(username="dora", password=PASSWORD)
        assert isinstance(result, Challenge) and result.name == "SMS_MFA"
        assert await pool.device_store.get(backend.user_pool_id, "dora") is None


async def test_refusals(make_backend: Callable[..., Backend]) -> None:
    """Malformed parameters are refused before any request, naming the field; Cognito's own
    refusals (an unknown device) come out as its error."""
    backend = _mfa_backend(make_backend, remember="always")
    async with backend.pool() as pool:
        tokens = await _sign_in_with_sms(backend, pool)
        cases: list[tuple[str, dict[str, Any]]] = [
            ("device", {"device": "not-metadata"}),
            ("device", {"device": {"DeviceKey": "no-underscore", "DeviceGroupKey": "-g"}}),
            ("device", {"device": replace(tokens, new_device=None)}),
            ("device_name", {"device": tokens, "device_name": ""}),
        ]
        for field, kwargs in cases:
            with pytest.raises(InvalidParameterError) as info:
                await pool.confirm_device(auth=tokens, **kwargs)
            assert info.value.field == field
        with pytest.raises(InvalidParameterError) as info:
            await pool.list_devices(auth=tokens, limit=61)
        assert info.value.field == "limit"
        with pytest.raises(InvalidParameterError) as info:
            await pool.update_device_status(auth=tokens, device_key="x", remembered=True)
        assert info.value.field == "device_key"
        with pytest.raises(InvalidParameterError) as info:
            await pool.update_device_status(
                auth=tokens,
                device_key="us-east-1_0a1b",
                remembered="yes",  # type: ignore[arg-type]
            )
        assert info.value.field == "remembered"
        # Nothing stored yet: get_device and forget_device need a key.
        with pytest.raises(InvalidParameterError) as info:
            await pool.get_device(auth=tokens)
        assert info.value.field == "device_key"
        with pytest.raises(ResourceNotFoundError):
            await pool.get_device(auth=tokens, device_key="us-east-1_00000000-0000")
        with pytest.raises(ResourceNotFoundError):
            await pool.forget_device(auth=tokens, device_key="us-east-1_00000000-0000")
        with pytest.raises(InvalidParameterError) as info:
            pool.device_store = object()  # type: ignore[assignment]
        assert info.value.field == "device_store"


async def test_list_devices_reads_every_page(make_backend: Callable[..., Backend]) -> None:
    """With one device per page, list_devices follows the pagination token to the end."""
    backend = _mfa_backend(make_backend, remember="always")
    keys = []
    async with backend.pool() as pool:
        for _ in range(3):
            pool.device_store = type(pool.device_store)()  # a fresh device each time
            tokens = await _sign_in_with_sms(backend, pool)
            assert tokens.new_device is not None
            await pool.confirm_device(auth=tokens, device=tokens)
            keys.append(tokens.new_device.device_key)
        devices = await pool.list_devices(auth=tokens, limit=1)
        assert all(isinstance(d, Device) for d in devices)
        assert sorted(d.device_key for d in devices) == sorted(keys)


def test_blocking_with_a_file_store(make_backend: Callable[..., Backend], tmp_path: Path) -> None:
    """UserPool with a FileDeviceStore: the remembered device survives in the file (mode
    0600) and a second pool object reading it signs in without MFA."""
    backend = _mfa_backend(make_backend, remember="always")
    path = tmp_path / "state" / "devices.json"
    config = backend.pool().config
    with UserPool.from_config(config) as pool:
        pool.device_store = FileDeviceStore(path)
        challenge = pool.login(username="dora", password=PASSWORD)
        assert isinstance(challenge, Challenge)
        tokens = pool.login_mfa(
            username="dora", login_session=challenge, mfa_code=backend.code("dora", "sms_mfa")
        )
        assert isinstance(tokens, Tokens)
        assert pool.confirm_device(auth=tokens, device=tokens) is False
    assert path.stat().st_mode & 0o777 == 0o600
    assert tokens.new_device is not None
    assert tokens.new_device.device_key in path.read_text()
    with UserPool.from_config(config) as pool:
        pool.device_store = FileDeviceStore(path)
        assert isinstance(pool.login(username="dora", password=PASSWORD), Tokens)
        assert isinstance(pool.device_store, FileDeviceStore)


def test_callback_shapes(make_backend: Callable[..., Backend]) -> None:
    """The callback surface: confirmDevice answers the boolean, listDevices a list of
    camelCase devices, getDevice one, updateDeviceStatus and forgetDevice SUCCESS."""
    backend = _mfa_backend(make_backend, remember="user_opt_in")
    local = backend.local
    with UserPool.from_config(backend.pool().config) as sync_pool:
        challenge = sync_pool.login(username="dora", password=PASSWORD)
        assert isinstance(challenge, Challenge)
        tokens = sync_pool.login_mfa(
            username="dora", login_session=challenge, mfa_code=backend.code("dora", "sms_mfa")
        )
        assert isinstance(tokens, Tokens) and tokens.new_device is not None
    key = tokens.new_device.device_key
    meta = {"DeviceKey": key, "DeviceGroupKey": tokens.new_device.device_group_key}
    pool = CallbackUserPool(
        {
            "UserPoolId": local.user_pool_id,
            "ClientId": local.client_id,
            "ClientSecret": local.client_secret,
            "endpoint": local.endpoint_url,
        },
        max_attempts=1,
    )
    auth = {"accessToken": tokens.access_token}
    with pool:
        confirmed = ok(pool.confirmDevice, {**auth, "device": meta, "deviceName": "tablet"})
        updated = ok(pool.updateDeviceStatus, {**auth, "deviceKey": key, "remembered": True})
        listed = ok(pool.listDevices, auth)
        got = ok(pool.getDevice, {**auth, "deviceKey": key})
        forgotten = ok(pool.forgetDevice, {**auth, "deviceKey": key})
    assert confirmed is True
    assert updated == forgotten == "SUCCESS"
    assert [d["deviceKey"] for d in listed] == [key]
    assert listed[0]["name"] == "tablet" and listed[0]["remembered"] is True
    assert got["deviceKey"] == key and got["attributes"]["device_name"] == "tablet"
