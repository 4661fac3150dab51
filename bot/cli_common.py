"""What every `steward` command shares: the errors a person can fix, printing, and loading the settings."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bot.settings import Settings


class CommandError(Exception):
    """A problem the person at the keyboard can fix; printed without a traceback."""

    exit_code = 1


class UsageError(CommandError):
    """A command given something it cannot use (an unknown contract, a bad quarter): exit code 2."""

    exit_code = 2


def echo(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def progress(line: str) -> None:
    """A line on stderr saying what a long command is doing, so stdout stays for its result."""
    sys.stderr.write(f"steward: {line}\n")
    sys.stderr.flush()


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]  # pydantic checks them
    except ValidationError as error:
        problems = "\n".join(
            f"  {'.'.join(str(p) for p in item['loc']) or 'settings'}: {item['msg'].removeprefix('Value error, ')}"
            for item in error.errors()
        )
        raise CommandError(
            f"Steward's configuration is not valid (environment or .env):\n{problems}"
        ) from None
