"""`steward quarter CONTRACT QUARTER`: a contract's quarter worked out from its KPIs, returns and approval."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.periods import Quarter
from commissioning.quarter import ContractTerm, QuarterSummary, pounds
from storage.engine import Database
from storage.models import Contract
from storage.quarter import QuarterRepository, contract_term, has_quarter

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


class QuarterProblem(Exception):
    """Something the person at the keyboard can fix: an unknown contract, a bad quarter, no KPIs."""


def parse_quarter(text: str, term: ContractTerm) -> Quarter:
    """'2026-Q3' or '2026Q3': the third quarter of the contract year starting in 2026, within the contract."""
    found = _QUARTER.match(text.strip())
    if not found:
        raise QuarterProblem(f"{text!r} is not a quarter: write it like 2026-Q3 or 2026Q3")
    quarter = Quarter(int(found.group(1)), int(found.group(2)), term.year_start_month)
    if not term.covers(quarter):
        first, last = term.first_quarter.key, term.last_quarter.key
        raise QuarterProblem(f"{quarter.key} is outside the contract, which runs from {first} to {last}")
    return quarter


async def find_contract(session: AsyncSession, text: str) -> Contract:
    """The contract with this key or name (either, any case)."""
    wanted = text.strip().lower()
    query = select(Contract).where(
        or_(func.lower(col(Contract.key)) == wanted, func.lower(col(Contract.name)) == wanted)
    )
    found = list((await session.execute(query)).scalars())
    if len(found) != 1:
        raise QuarterProblem(f"no contract has the key or name {text!r}; `steward contracts` lists them")
    return found[0]


async def summarise(session: AsyncSession, contract_text: str, quarter_text: str) -> QuarterSummary:
    """The quarter from the monthly returns, the provider's KPI return and the meeting's approval, as stored."""
    contract = await find_contract(session, contract_text)
    quarter = parse_quarter(quarter_text, contract_term(contract))
    if not has_quarter(contract):
        raise QuarterProblem(
            f"contract {contract.key} has no KPIs and no payment terms: list them under its `kpis` or "
            "`payment` in the portfolio file (README.md, docs/quarter.md) and run `steward import FILE`"
        )
    return (await QuarterRepository(session).work_out(contract, quarter)).summary


async def quarter_report(url: str, contract_text: str, quarter_text: str) -> QuarterSummary:
    database = Database(url)
    try:
        await database.migrate()
        async with database.session() as session:
            return await summarise(session, contract_text, quarter_text)
    finally:
        await database.dispose()


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


Table = Callable[[list[str], list[list[str]]], list[str]]


def summary_lines(summary: QuarterSummary, table: Table) -> list[str]:
    """The summary for a terminal: the KPIs as a table, then the pot, the payment and why."""
    data = summary.as_json()
    rows = [
        [
            kpi["code"],
            kpi["name"],
            "live" if kpi["live"] else "baseline year" if kpi["baseline_year"] else "not started",
            _shown(kpi["result"]),
            _shown(kpi["target"]),
            _shown(kpi["achievement"]),
            _shown(kpi["weight"]),
        ]
        for kpi in data["kpis"]
    ]
    headers = ["KPI", "name", "status", "result", "target", "achievement", "weight"]
    lines = [f"{summary.contract} {summary.quarter}: outcome pot £{pounds(summary.pot_pence)}", ""]
    lines += table(headers, rows)
    weighted = data["weighted_achievement"]
    lines.append("")
    lines.append(f"weighted achievement: {'not worked out' if weighted is None else f'{weighted:g}'}")
    lines.append(f"payment: {'not worked out' if data['payment'] is None else '£' + data['payment']}")
    if data["fee_for_service"] is not None or data["pbr"] is not None:
        lines += _fee_and_pbr_lines(data)
        lines.append(f"total to pay: {'not worked out' if data['total'] is None else '£' + data['total']}")
    lines.append(f"approved: {'not yet' if data['approved'] is None else data['approved']['by']}")
    lines += [f"- {reason}" for reason in summary.reasons]
    return lines


def _fee_and_pbr_lines(data: dict[str, Any]) -> list[str]:
    """The fee for service and each PbR measure, for a contract that uses them."""
    lines = []
    fee = data["fee_for_service"]
    if fee is not None:
        lines.append(
            f"fee for service: £{fee['amount']} (year {fee['year']}: £{fee['year_1_fee']} less "
            f"{_shown(fee['discount'] * 100)}% learning-curve discount)"
        )
    pbr = data["pbr"]
    if pbr is not None:
        cohort = pbr["cohort"]
        if cohort is not None:
            lines.append(
                f"PbR cohort: {cohort['offenders']} offenders, {cohort['reoffenders']} reoffenders, "
                f"{cohort['reoffences']} reoffences"
            )
        for measure in pbr["measures"]:
            worth = (
                "not worked out"
                if measure["payment"] is None
                else f"payment £{measure['payment']}, penalty £{measure['penalty']}"
            )
            lines.append(
                f"PbR {measure['measure']}: baseline {_shown(measure['baseline'])}, "
                f"rate {_shown(measure['rate'])}: {worth} ({measure['reason']})"
            )
        lines.append(f"PbR net: {'not worked out' if pbr['net'] is None else '£' + pbr['net']}")
    return lines
