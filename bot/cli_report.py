"""`steward report framework|monthly|pack`: a contract's Excel workbooks written to a file."""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import date
from pathlib import Path
from typing import Any

from bot.cli_common import UsageError, echo, load_settings, progress
from bot.quarter_report import QuarterProblem, find_contract, parse_quarter
from bot.report_workbooks import framework_workbook, monthly_workbook, pack_workbook, term_of
from bot.settings import Settings
from commissioning.clock import SystemClock
from storage.engine import Database

WORKBOOKS = {
    "framework": (
        "the quarterly performance framework",
        "sheets PIs (each PI month by month: value, minimum and RAG, months met, with a chart), KPIs (result, "
        "target, achievement, weight and share of the payment, with an achievement chart), Payment (the "
        "outcome pot, weighted achievement and payment, or why it is not worked out) and Commentary (each "
        "month's narrative)",
    ),
    "monthly": (
        "the cumulative monthly framework",
        "sheets Monthly framework (each PI every month of the contract so far, coloured by RAG, with its "
        "total or mean to date and months met), RAG (the same grid in words), Cumulative (figures to date "
        "month by month), Trends (the last twelve months against the minimum, a line chart per PI) and "
        "Commentary",
    ),
    "pack": (
        "the quarterly contract meeting pack",
        "sheets Cover, Framework, KPIs, Payment and Commentary (as the framework workbook), Actions (open "
        "actions and those closed since the quarter began, with a chart by status) and Deliverables (seed "
        "001's required deliverables: supplied, not applicable or missing)",
    ),
}


def add_report_command(commands: Any) -> None:
    """`steward report WORKBOOK ...`, one subcommand per workbook."""
    report = commands.add_parser(
        "report",
        help="write a contract's Excel workbooks: the quarterly framework, the cumulative monthly framework, "
        "the quarterly meeting pack",
    )
    kinds = report.add_subparsers(dest="workbook", metavar="WORKBOOK", required=True)
    for kind, (what, holds) in WORKBOOKS.items():
        takes_quarter = kind != "monthly"
        parser = kinds.add_parser(
            kind,
            help=f"write {what} as Excel (.xlsx)",
            description=f"Write {what} of a contract as an Excel workbook: {holds}. Figures come from the "
            "current versions of the submitted monthly returns and the KPIs in the portfolio file.",
        )
        parser.add_argument("contract", metavar="CONTRACT", help="the contract's key or name, e.g. IVWS")
        if takes_quarter:
            parser.add_argument(
                "quarter", metavar="QUARTER", help="a quarter of the contract's own years, e.g. 2026-Q3"
            )
        else:
            parser.add_argument(
                "--to",
                metavar="QUARTER",
                dest="quarter",
                help="up to the end of this quarter (default: the newest month with a submitted return)",
            )
        parser.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
        parser.set_defaults(func=cmd_report, kind=kind)


def cmd_report(args: argparse.Namespace) -> None:
    out = writable(Path(args.out))
    settings = load_settings()
    what = WORKBOOKS[args.kind][0]
    progress(f"building {what} for {args.contract}{' ' + args.quarter if args.quarter else ''}…")
    try:
        data = asyncio.run(_build(settings, args.kind, args.contract, args.quarter))
    except QuarterProblem as error:
        raise UsageError(str(error)) from None
    try:
        out.write_bytes(data)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror}") from None
    echo(f"Wrote {what} to {out} ({len(data):,} bytes).")


def writable(out: Path) -> Path:
    """The file to write, checked before the work starts: an .xlsx in a folder that exists and can be written."""
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: give the workbook a name ending .xlsx")
    folder = out.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {out}: there is no folder {folder}")
    if out.is_dir() or not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UsageError(f"cannot write {out}: permission denied or not a file")
    return out


async def _build(settings: Settings, kind: str, contract_text: str, quarter_text: str | None) -> bytes:
    database = Database(settings.database_url)
    try:
        await database.migrate()
        async with database.session() as session:
            contract = await find_contract(session, contract_text)
            term = term_of(contract)
            quarter = parse_quarter(quarter_text, term) if quarter_text else None
            if kind == "monthly" or quarter is None:  # framework and pack always have one (the parser)
                return await monthly_workbook(session, contract, quarter, zone=settings.zone)
            if kind == "framework":
                return await framework_workbook(session, contract, quarter, zone=settings.zone)
            today = _today(settings)
            return await pack_workbook(session, contract, quarter, today=today, zone=settings.zone)
    finally:
        await database.dispose()


def _today(settings: Settings) -> date:
    return SystemClock().now().astimezone(settings.zone).date()
