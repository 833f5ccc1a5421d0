"""``python -m cognito_user_pool.local``: run a strict local Cognito in the foreground.

The options come from ``_options.OPTIONS``, as do ``cognito-user-pool local``'s.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._options import OPTIONS, OptionValueError, check, normalise
from ._runner import serve

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The argument parser, one argument per entry of ``OPTIONS``."""
    built = argparse.ArgumentParser(
        prog="python -m cognito_user_pool.local",
        description="Run a strict local Cognito user pool (moto + real SRP/code checks).",
    )
    for option in OPTIONS:
        text = option.help.replace("%", "%%")
        if option.show_default:
            text += " Default: %(default)s."
        kwargs: dict[str, Any] = {"dest": option.name, "help": text}
        if option.metavar is not None:
            kwargs["metavar"] = option.metavar
        if option.kind == "flag":
            kwargs["action"] = "store_true"
        elif option.repeatable:
            kwargs["action"] = "append"
        if option.kind == "int":
            kwargs["type"] = int
        if option.choices:
            kwargs["choices"] = option.choices
        # argparse copies an "append" default before adding to it.
        kwargs["default"] = list(option.default) if option.repeatable else option.default
        built.add_argument(option.flag, **kwargs)
    return built


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve until Ctrl-C."""
    arguments = parser()
    values = vars(arguments.parse_args(argv))
    try:
        options = normalise(values)
        check(options)  # every option, and the state file, before starting
    except OptionValueError as exc:
        arguments.error(f"{exc.option}: {exc.message}")
    serve(**options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
