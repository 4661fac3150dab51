"""A contract year's draft Contract Performance Notice from its quarters as stored, as JSON and as table rows."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quarter_report import QuarterProblem, find_contract
from commissioning.export import to_csv_bytes, to_xlsx_bytes
from commissioning.quarter.notice_year import (
    contract_years,
)
from storage.models import Contract
from storage.notices import DraftNotice, NoticeProblem, draft_notice
from storage.quarter import contract_term

_YEAR = re.compile(r"^(?:(\d{1,2})|(\d{4})(?:/\d{2})?)$")


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


async def notice_for(session: AsyncSession, contract_text: str, year_text: str, today: date) -> DraftNotice:
    contract = await find_contract(session, contract_text)
    try:
        return await draft_notice(session, contract, parse_year(year_text, contract), today)
    except NoticeProblem as problem:
        raise QuarterProblem(str(problem)) from None


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
