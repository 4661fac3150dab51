"""A contract year's draft Contract Performance Notice from its quarters as stored, as JSON and as table rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import pandas as pd
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quarter_report import QuarterProblem, find_contract
from commissioning.export import to_csv_bytes, to_xlsx_bytes
from commissioning.quarter.notice_year import (
    NoticeYear,
    contract_years,
    needs_notice,
    year_ends_on,
    year_notice,
    year_quarters,
)
from commissioning.quarter.payment import KpiLine
from commissioning.quarter.term import pounds
from storage.models import Contract
from storage.quarter import QuarterRepository, contract_term

_YEAR = re.compile(r"^(?:(\d{1,2})|(\d{4})(?:/\d{2})?)$")


@dataclass(frozen=True, slots=True)
class DraftNotice:
    contract: Contract
    drafted: NoticeYear
    ends_on: date
    over: bool  # the year has ended by `today`

    def as_json(self) -> dict[str, Any]:
        notice = self.drafted.notice
        return {
            "contract": self.contract.key,
            "year": self.drafted.year,
            "from": self.drafted.quarters[0].first_day.isoformat(),
            "to": self.ends_on.isoformat(),
            "year_over": self.over,
            "value": pounds(self.contract.value_pence),
            "over_5m": needs_notice(self.contract.value_pence),
            "kpis": [
                {
                    "code": kpi.code,
                    "name": kpi.name,
                    "rating": kpi.rating.value,
                    "result": _number(kpi.result),
                    "target": _number(kpi.target),
                    "quarters": [_behind(line, quarter) for quarter, line in self._quarters(kpi.code)],
                }
                for kpi in notice.kpis
            ],
            "problems": list(notice.problems),
        }

    def _quarters(self, code: str) -> list[tuple[str, KpiLine]]:
        lines = self.drafted.behind.get(code, ())
        return [(quarter.key, line) for quarter, line in zip(self.drafted.quarters, lines, strict=False)]


def _behind(line: KpiLine, quarter: str) -> dict[str, Any]:
    return {
        "quarter": quarter,
        "status": line.status.value,
        "result": _number(line.result.value),
        "target": _number(line.target),
        "achievement": _number(line.achievement),
    }


def _number(value: Fraction | Any | None) -> float | None:
    return None if value is None else round(float(value), 4)


def parse_year(text: str, contract: Contract) -> int:
    """'2' (the contract's second year), '2026' or '2026/27' (the contract year starting in 2026)."""
    found = _YEAR.match(text.strip())
    term = contract_term(contract)
    if not found:
        raise QuarterProblem(f"{text!r} is not a contract year: write 2 (its second year), 2026 or 2026/27")
    year = (
        int(found.group(1))
        if found.group(1)
        else int(found.group(2)) - term.first_quarter.contract_year_start + 1
    )
    if not 1 <= year <= contract_years(term):
        raise QuarterProblem(
            f"{contract.key} runs for {contract_years(term)} contract years; {text!r} is not one"
        )
    return year


async def draft_notice(session: AsyncSession, contract: Contract, year: int, today: date) -> DraftNotice:
    """Each quarter of the year worked out (monthly returns, KPI return), then the notice's ratings from them."""
    if not contract.kpis:
        raise QuarterProblem(f"contract {contract.key} has no KPIs, so there is no performance to report")
    term = contract_term(contract)
    quarters = tuple(q for q in year_quarters(term, year) if q.last_day < today)
    if not quarters:
        raise QuarterProblem(f"year {year} of {contract.key} has no closed quarter yet")
    repo = QuarterRepository(session)
    lines = {quarter: (await repo.work_out(contract, quarter)).payment.lines for quarter in quarters}
    ends_on = year_ends_on(term, year)
    return DraftNotice(contract, year_notice(year, quarters, lines), ends_on, ends_on < today)


async def notice_for(session: AsyncSession, contract_text: str, year_text: str, today: date) -> DraftNotice:
    contract = await find_contract(session, contract_text)
    return await draft_notice(session, contract, parse_year(year_text, contract), today)


def notice_sheets(draft: DraftNotice, commentary: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """The notice as spreadsheet sheets: Notice (a row per KPI, its rating and commentary), Quarters (the figures)."""
    data, notes = draft.as_json(), commentary or {}
    rows = [
        {
            "Contract": draft.contract.name,
            "Contract year": data["year"],
            "From": data["from"],
            "To": data["to"],
            "KPI": kpi["code"],
            "Name": kpi["name"],
            "Rating": kpi["rating"],
            "Result": kpi["result"],
            "Target": kpi["target"],
            "Commentary": notes.get(kpi["code"], ""),
        }
        for kpi in data["kpis"]
    ]
    figures = [
        {
            "KPI": kpi["code"],
            "Quarter": q["quarter"],
            "Status": q["status"],
            "Result": q["result"],
            "Target": q["target"],
            "Achievement": q["achievement"],
        }
        for kpi in data["kpis"]
        for q in kpi["quarters"]
    ]
    return {"Notice": pd.DataFrame(rows), "Quarters": pd.DataFrame(figures)}


def notice_file(draft: DraftNotice, fmt: str, commentary: dict[str, str] | None = None) -> bytes:
    """The notice as an Excel workbook ('xlsx') or the Notice sheet as CSV ('csv'), formula-injection safe."""
    sheets = notice_sheets(draft, commentary)
    return to_xlsx_bytes(sheets) if fmt == "xlsx" else to_csv_bytes(sheets["Notice"])
