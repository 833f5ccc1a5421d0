"""Shims left open at interpreter exit: pending callbacks still run, nothing hangs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from cognito_user_pool import NetworkError

from ._helpers import PASSWORD
from .conftest import Cognito

NETWORK_ERROR = NetworkError.code

SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    from cognito_user_pool import CallbackUserPool, UserPool

    data = {"UserPoolId": os.environ["POOL"], "ClientId": os.environ["CLIENT"],
            "endpoint": os.environ["URL"]}
    sync = UserPool(data["UserPoolId"], data["ClientId"], endpoint_url=os.environ["URL"],
                    max_attempts=1)
    sync.password_forgot(username=os.environ["USERNAME_"])   # left open on purpose

    wrapper = CallbackUserPool(data, max_attempts=1)

    def on_profile(err, result):
        print("chained", err is None, flush=True)

    def on_login(err, result):
        time.sleep(0.3)
        print("login", err is None, flush=True)
        if err is None:
            wrapper.profile({"accessToken": result["accessToken"]}, on_profile)
        else:
            print(err.code, flush=True)

    wrapper.login({"username": os.environ["USERNAME_"], "password": os.environ["PW"]}, on_login)
    print("main done", flush=True)
    """
)


def test_open_shims_finish_their_work_at_exit(cognito: Cognito):
    """A script that never closes its shims still runs pending and chained callbacks, then exits."""
    username = cognito.create_user()
    env = {
        **os.environ,
        "POOL": cognito.pool_id,
        "CLIENT": cognito.client_id,
        "URL": cognito.url,
        "USERNAME_": username,
        "PW": PASSWORD,
    }
    done = subprocess.run(
        [sys.executable, "-W", "default", "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=40,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    if (3, 12, 0) <= sys.version_info[:3] < (3, 12, 3):
        # These CPythons refuse new threads once the main thread has ended (gh-113964): the
        # login, in flight at exit, cannot resolve the host name; its callback still runs.
        assert done.stdout.split("\n")[:3] == ["main done", "login False", NETWORK_ERROR]
    else:
        assert done.stdout.split("\n")[:3] == ["main done", "login True", "chained True"]
    assert "Unclosed" not in done.stderr and "Traceback" not in done.stderr, done.stderr
