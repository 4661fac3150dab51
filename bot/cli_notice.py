"""`steward notice CONTRACT YEAR`: a contract year's draft Contract Performance Notice, printed or written."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from pathlib import Path
from typing import Any

from bot.cli_common import UsageError, echo, load_settings
from bot.notice_report import DraftNotice, notice_file, notice_for
from bot.quarter_report import QuarterProblem
from bot.settings import Settings
from commissioning.clock import SystemClock
from storage.engine import Database

FORMATS = {".xlsx": "xlsx", ".csv": "csv"}


def add_notice_command(commands: Any) -> None:
    notice = commands.add_parser(
        "notice",
        help="a contract year's draft Contract Performance Notice: each KPI rated Good, Approaching target, "
        "Requires improvement, Inadequate or Other, with the quarters' figures behind it",
        description="Draft the Contract Performance Notice (Procurement Act 2023, contracts over £5m) for a "
        "contract year from its KPIs, the current versions of its monthly returns and its KPI returns. Each "
        "KPI is rated on its latest quarter in the year with a result (docs/quarter.md). --json prints one "
        "JSON object: contract, year, from, to, year_over, value, over_5m, kpis (code, name, rating, result, "
        "target, quarters) and problems (what stops the notice being published as it is).",
    )
    notice.add_argument("contract", metavar="CONTRACT", help="the contract's key or name, e.g. IVWS")
    notice.add_argument(
        "year",
        metavar="YEAR",
        help="the contract year: 2 (its second year), or 2026 or 2026/27 (starting in 2026)",
    )
    output = notice.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the notice as one JSON object")
    output.add_argument(
        "--out", metavar="FILE.xlsx", help="write the notice to an Excel (.xlsx) or CSV (.csv) file"
    )
    notice.set_defaults(func=cmd_notice)


def cmd_notice(args: argparse.Namespace) -> None:
    out = _writable(Path(args.out)) if args.out else None
    settings = load_settings()
    try:
        draft = asyncio.run(_draft(settings, args.contract, args.year))
    except QuarterProblem as error:
        raise UsageError(str(error)) from None
    if out is not None:
        data = notice_file(draft, FORMATS[out.suffix.lower()])
        try:
            out.write_bytes(data)
        except OSError as error:
            raise UsageError(f"cannot write {out}: {error.strerror}") from None
        echo(
            f"Wrote the year {draft.drafted.year} notice for {draft.contract.key} to {out} ({len(data):,} bytes)."
        )
    elif args.json:
        echo(json.dumps(draft.as_json()))
    else:
        for line in notice_lines(draft):
            echo(line)


def notice_lines(draft: DraftNotice) -> list[str]:
    data = draft.as_json()
    state = "" if data["year_over"] else " (the year is not over: a draft so far)"
    lines = [f"{data['contract']} year {data['year']}, {data['from']} to {data['to']}{state}", ""]
    for kpi in data["kpis"]:
        result = "-" if kpi["result"] is None else f"{kpi['result']:g}"
        target = "-" if kpi["target"] is None else f"{kpi['target']:g}"
        lines.append(f"{kpi['code']:<6} {kpi['rating']:<21} result {result}, target {target}  {kpi['name']}")
    if not data["over_5m"]:
        lines.append("- the contract is worth £5m or less: the Procurement Act does not ask for a notice")
    lines += [f"- {problem}" for problem in data["problems"]]
    return lines


def _writable(out: Path) -> Path:
    if out.suffix.lower() not in FORMATS:
        raise UsageError(f"{out}: give the file a name ending .xlsx or .csv")
    if not out.parent.is_dir():
        raise UsageError(f"cannot write {out}: there is no folder {out.parent}")
    if out.is_dir() or not os.access(out.parent, os.W_OK):
        raise UsageError(f"cannot write {out}: permission denied or not a file")
    return out


async def _draft(settings: Settings, contract: str, year: str) -> DraftNotice:
    database = Database(settings.database_url)
    try:
        await database.migrate()
        async with database.session() as session:
            today = SystemClock().now().astimezone(settings.zone).date()
            return await notice_for(session, contract, year, today)
    finally:
        await database.dispose()
