"""PoolConfig and AsyncUserPool construction: checked once, before any request."""

from __future__ import annotations

import inspect
from dataclasses import fields

import pytest

from cognito_user_pool import (
    AsyncUserPool,
    CallbackUserPool,
    InvalidParameterError,
    PoolConfig,
    UserPool,
)
from cognito_user_pool._config import PoolOptions, TransportOptions


def test_region_comes_from_pool_id() -> None:
    """The region defaults to the pool id's prefix."""
    assert PoolConfig("eu-west-2_AbC123", "client1").region == "eu-west-2"


def test_explicit_region_wins() -> None:
    """A given region overrides the prefix (for endpoints that serve several regions)."""
    assert PoolConfig("eu-west-2_AbC123", "client1", region="us-east-1").region == "us-east-1"


@pytest.mark.parametrize(
    "pool_id", ["", "AbC123", "eu-west-2", "eu-west-2_", "EU-WEST-2_abc", "eu-west-2_a-b", 42]
)
def test_malformed_pool_id_is_refused(pool_id: object) -> None:
    """A pool id that is not '<region>_<id>' is refused at construction."""
    with pytest.raises(InvalidParameterError) as info:
        AsyncUserPool(pool_id, "client1")  # type: ignore[arg-type]
    assert info.value.field == "user_pool_id"
    assert info.value.code == "InvalidParameterException"


@pytest.mark.parametrize("client_id", ["", "a b", "x" * 129, "id/1", None])
def test_malformed_client_id_is_refused(client_id: object) -> None:
    """A client id outside AWS's pattern is refused at construction."""
    with pytest.raises(InvalidParameterError) as info:
        AsyncUserPool("us-east-1_abc", client_id)  # type: ignore[arg-type]
    assert info.value.field == "client_id"


@pytest.mark.parametrize("paranoia", [0, 11, -1, True, 7.0, "7"])
def test_paranoia_outside_1_to_10_is_refused(paranoia: object) -> None:
    """paranoia, kept for the Node library, must be an integer from 1 to 10."""
    with pytest.raises(InvalidParameterError) as info:
        AsyncUserPool("us-east-1_abc", "client1", paranoia=paranoia)  # type: ignore[arg-type]
    assert info.value.field == "paranoia"


@pytest.mark.parametrize("paranoia", [1, 7, 10, None])
def test_paranoia_in_range_is_accepted(paranoia: int | None) -> None:
    """Valid paranoia values are stored and change nothing else."""
    assert AsyncUserPool("us-east-1_abc", "c1", paranoia=paranoia).config.paranoia == paranoia


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("endpoint_url", "localhost:4566"),
        ("region", "Mars"),
        ("client_secret", ""),
        ("client_secret", "short0123456789"),  # 15 < 24
        ("client_secret", "with-a-dash-0123456789abcdef"),  # not [\w+]
        ("client_secret", "x" * 65),
        ("max_attempts", 0),
        ("max_pool_connections", True),
        ("read_timeout", -1),
    ],
)
def test_bad_options_are_refused(option: str, value: object) -> None:
    """Every option is checked when the pool is built."""
    with pytest.raises(InvalidParameterError) as info:
        AsyncUserPool("us-east-1_abc", "c1", **{option: value})  # type: ignore[arg-type]
    assert info.value.field == option


def test_client_secret_never_in_repr() -> None:
    """The client secret shows as *** in the pool's repr and not at all in the config's."""
    pool = AsyncUserPool("us-east-1_abc", "c1", client_secret="s3cr3tvalue0123456789abcdef")
    assert "s3cr3tvalue0123456789abcdef" not in repr(pool)
    assert "***" in repr(pool)
    assert "s3cr3tvalue0123456789abcdef" not in repr(pool.config)


def test_from_env_reads_the_documented_variables() -> None:
    """from_env reads the five documented variables."""
    pool = AsyncUserPool.from_env(
        {
            "COGNITO_USER_POOL_ID": "ap-south-1_Zz9",
            "COGNITO_CLIENT_ID": "abc",
            "COGNITO_CLIENT_SECRET": "shh0123456789abcdefghijklm",
            "COGNITO_ENDPOINT_URL": "http://127.0.0.1:5000",
        }
    )
    assert pool.config.region == "ap-south-1"
    assert pool.config.client_secret == "shh0123456789abcdefghijklm"
    assert pool.config.endpoint_url == "http://127.0.0.1:5000"


def test_from_env_names_the_missing_variable() -> None:
    """A missing variable is named in the error."""
    with pytest.raises(InvalidParameterError) as info:
        AsyncUserPool.from_env({"COGNITO_USER_POOL_ID": "us-east-1_abc"})
    assert "COGNITO_CLIENT_ID" in info.value.message


def test_pool_options_are_the_configs_fields() -> None:
    """The typed keyword options are exactly PoolConfig's fields after the two ids, and the
    transport options a subset of them."""
    names = [f.name for f in fields(PoolConfig)][2:]
    assert set(PoolOptions.__annotations__) == set(names)
    assert set(TransportOptions.__annotations__) < set(names)


@pytest.mark.parametrize("cls", [AsyncUserPool, UserPool, CallbackUserPool])
def test_constructors_show_the_configs_defaults(cls: type) -> None:
    """help() and inspect see every option of a pool class as a keyword with PoolConfig's
    default, though the constructor takes them as **options."""
    defaults = {f.name: f.default for f in fields(PoolConfig)[2:]}
    shown = inspect.signature(cls).parameters
    options = {name: param for name, param in shown.items() if name in defaults}
    assert options
    for name, param in options.items():
        assert param.kind is inspect.Parameter.KEYWORD_ONLY, name
        assert param.default == defaults[name], name
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in shown.values())


def test_an_option_reaches_the_config_from_every_surface() -> None:
    """An option given to UserPool or CallbackUserPool lands in the same PoolConfig."""
    with UserPool("eu-west-1_AbC123", "client1", read_timeout=7.5) as pool:
        assert pool.config.read_timeout == 7.5
    data = {"UserPoolId": "eu-west-1_AbC123", "ClientId": "client1"}
    with CallbackUserPool(data, max_attempts=2) as wrapper:
        assert wrapper.pool.config.max_attempts == 2
