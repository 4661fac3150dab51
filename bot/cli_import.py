"""`steward import`: a portfolio file, YAML or Excel, loaded all or nothing; `--template` writes the Excel one."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.cli_common import CommandError, UsageError, echo, load_settings
from bot.settings import Settings
from commissioning.clock import SystemClock
from commissioning.portfolio import Portfolio, PortfolioError, parse_portfolio
from storage.engine import Database
from storage.portfolio import import_portfolio


def add_import_command(commands: Any) -> None:
    """`steward import FILE [--dry-run]` and `steward import --template FILE.xlsx`."""
    imp = commands.add_parser(
        "import",
        help="load contracts, indicators and KPIs, people and roles from a portfolio file (YAML or Excel)",
        description="Load a portfolio file, all or nothing: every problem is listed (a YAML file's line, an "
        "Excel workbook's sheet, row and column) and nothing is changed until there are none. "
        "--template FILE.xlsx writes the empty Excel template, with a Notes sheet saying what goes where.",
    )
    imp.add_argument(
        "file", nargs="?", help="a portfolio file: YAML (.yaml, .yml) or Excel (.xlsx); format in README.md"
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="check and report what would change, write nothing"
    )
    imp.add_argument(
        "--template", metavar="FILE.xlsx", help="write the empty Excel portfolio template to FILE.xlsx"
    )
    imp.set_defaults(func=cmd_import)


def read_portfolio(path: Path) -> Portfolio:
    """A YAML or Excel (.xlsx) portfolio file, checked; CommandError lists every problem."""
    from commissioning.portfolio_excel import parse_portfolio_workbook

    excel = path.suffix.lower() in (".xlsx", ".xlsm")
    try:
        content = path.read_bytes() if excel else path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not a YAML text file; an Excel portfolio ends .xlsx") from None
    try:
        if isinstance(content, bytes):
            return parse_portfolio_workbook(content, str(path))
        return parse_portfolio(content, str(path))
    except PortfolioError as error:
        raise CommandError(error.describe()) from None


async def _import(path: Path, settings: Settings, dry_run: bool) -> str:
    portfolio = await asyncio.to_thread(read_portfolio, path)
    database = Database(settings.database_url)
    try:
        await database.migrate()
        async with database.session() as session:
            summary = await import_portfolio(session, portfolio, now=SystemClock().now())
            if dry_run:
                await session.rollback()
                return "Dry run, nothing written. " + summary.describe()
        return summary.describe()
    finally:
        await database.dispose()


def cmd_import(args: argparse.Namespace) -> None:
    if args.template:
        write_template(Path(args.template))
        return
    if not args.file:
        raise UsageError("say which portfolio file to import (YAML or .xlsx), or --template FILE.xlsx")
    echo(asyncio.run(_import(Path(args.file), load_settings(), args.dry_run)))


def write_template(out: Path) -> None:
    from bot.cli_report import writable
    from commissioning.portfolio_sheets import template_workbook

    try:
        writable(out).write_bytes(template_workbook())
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror}") from None
    echo(f"Wrote the Excel portfolio template to {out}: fill it in, then `steward import {out}`.")
