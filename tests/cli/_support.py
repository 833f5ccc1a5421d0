"""Helpers for the CLI tests: a runner that keeps every output, a lazy stdin, and the
authenticator app (the TOTP secrets Cognito hands out)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from cognito_user_pool.cli import cli

PASSWORD = "Corr3ct-Horse-CLI!"
NEW_PASSWORD = "An0ther-Horse-CLI!"


class LazyStdin(io.RawIOBase):
    """A stdin whose lines are made when read: an MFA code exists only once login asks."""

    def __init__(self, *lines: str | Callable[[], str]) -> None:
        self._lines = list(lines)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._buffer:
            if not self._lines:
                return 0
            item = self._lines.pop(0)
            self._buffer = ((item() if callable(item) else item) + "\n").encode()
        size = min(len(buffer), len(self._buffer))
        buffer[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


class Cli:
    """Runs the CLI in-process, remembers every output and every secret it was given."""

    def __init__(self) -> None:
        self.runner = CliRunner()
        self.outputs: list[str] = []
        self.secrets: set[str] = set()
        self.shown: list[str] = []  # outputs that printed tokens on request (--show-tokens)

    def __call__(
        self,
        *args: str,
        input: str | LazyStdin | None = None,
        code: int = 0,
        shows_secret: bool = False,
    ) -> Result:
        """Run the CLI; ``shows_secret``: the command shows a new authenticator secret, on
        purpose, on stderr (its stdout is still checked)."""
        stream: Any = input
        if isinstance(input, LazyStdin):
            stream = io.BufferedReader(input)
        try:
            result = self.runner.invoke(cli, list(args), input=stream)
        finally:
            if stream is not None and not isinstance(stream, str):
                stream.close()
        text = result.stdout + result.stderr
        if "--show-tokens" in args:
            self.shown.append(text)
        elif shows_secret:
            self.outputs.append(result.stdout)
            self.shown.append(result.stderr)
        else:
            self.outputs.append(text)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, f"exit {result.exit_code}:\n{text}"
        return result

    def secret(self, *values: str | None) -> None:
        """Remember values that must never appear in any output."""
        self.secrets.update(v for v in values if v)

    def tokens_from(self, path: Path) -> dict[str, Any]:
        """Read a token file and remember its tokens as secrets."""
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.secret(data["access_token"], data["id_token"], data["refresh_token"])
        return data

    def assert_no_secret_leaked(self) -> None:
        for secret in self.secrets:
            for output in self.outputs:
                assert secret not in output, "a secret appeared in the CLI's output"


def json_out(result: Result) -> Any:
    """The JSON document a ``--json`` command printed on stdout."""
    return json.loads(result.stdout)


def wrong(code: str) -> str:
    """A six-digit code that is certainly not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


class Authenticator:
    """An authenticator app that holds every TOTP secret Cognito handed out
    (AssociateSoftwareToken) during a test; each secret and code is a secret of the run."""

    def __init__(self, run: Cli) -> None:
        self.secrets: list[str] = []
        self._run = run

    def add(self, secret: str) -> None:
        self.secrets.append(secret)
        self._run.secret(secret)

    def code(self) -> str:
        """The current code of the newest secret."""
        import pyotp

        code = str(pyotp.TOTP(self.secrets[-1]).now())
        self._run.secret(code)
        return code

    def wrong_code(self) -> str:
        """A code of the newest secret's shape that it does not make now."""
        return wrong(self.code())
