"""What every `steward` command shares: the errors a person can fix, printing, tables, dates, the settings."""

from __future__ import annotations

import argparse
import sys
from datetime import date

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


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-01") from None


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["(none)"]
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))

    return [
        line(headers).rstrip(),
        line(["-" * w for w in widths]).rstrip(),
        *(line(r).rstrip() for r in rows),
    ]
