"""The Contract Performance Notice as stored: each year's draft worked out from its quarters, and the review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.periods import Quarter
from commissioning.quarter.notice_year import (
    NoticeYear,
    needs_notice,
    year_ends_on,
    year_notice,
    year_quarters,
    years_due,
)
from commissioning.quarter.payment import KpiLine
from commissioning.quarter.term import pounds
from commissioning.reminders.facts import NoticeFacts
from storage.models import Contract
from storage.quarter import QuarterRepository, contract_term
from storage.quarter_models import PerformanceNotice
from storage.rows import find_or_add


class NoticeProblem(Exception):
    """No notice can be drafted: the contract has no KPIs, or the year has no closed quarter yet."""


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

    def _quarters(self, code: str) -> list[tuple[Quarter, KpiLine]]:
        lines = self.drafted.behind.get(code, ())
        return [(quarter, line) for quarter, line in zip(self.drafted.quarters, lines, strict=False)]


def _behind(line: KpiLine, quarter: Quarter) -> dict[str, Any]:
    return {
        "quarter": quarter.key,
        "label": quarter.label,
        "status": line.status.value,
        "result": _number(line.result.value),
        "target": _number(line.target),
        "achievement": _number(line.achievement),
    }


def _number(value: Fraction | Any | None) -> float | None:
    return None if value is None else round(float(value), 4)


async def draft_notice(session: AsyncSession, contract: Contract, year: int, today: date) -> DraftNotice:
    """Each quarter of the year worked out (monthly returns, KPI return), then the notice's ratings from them."""
    if not contract.kpis:
        raise NoticeProblem(f"contract {contract.key} has no KPIs, so there is no performance to report")
    term = contract_term(contract)
    quarters = tuple(q for q in year_quarters(term, year) if q.last_day < today)
    if not quarters:
        raise NoticeProblem(f"year {year} of {contract.key} has no closed quarter yet")
    repo = QuarterRepository(session)
    lines = {quarter: (await repo.work_out(contract, quarter)).payment.lines for quarter in quarters}
    ends_on = year_ends_on(term, year)
    return DraftNotice(contract, year_notice(year, quarters, lines), ends_on, ends_on < today)


class NoticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, contract_id: int, year: int) -> PerformanceNotice | None:
        query = select(PerformanceNotice).where(
            col(PerformanceNotice.contract_id) == contract_id, col(PerformanceNotice.year) == year
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get(self, notice_id: int) -> PerformanceNotice | None:
        return await self.session.get(PerformanceNotice, notice_id)

    async def find_or_draft(
        self, contract_id: int, year: int, now: datetime
    ) -> tuple[PerformanceNotice, bool]:
        """The year's stored draft, made now if there is none; True when it was made by this call."""
        return await find_or_add(
            self.session,
            lambda: self.find(contract_id, year),
            lambda: PerformanceNotice(contract_id=contract_id, year=year, drafted_at=now, commentary={}),
        )

    async def review(
        self, row: PerformanceNotice, commentary: dict[str, str], *, by_id: int, now: datetime
    ) -> None:
        """Keep the commissioner's commentary (the latest word stands), with who reviewed it and when."""
        row.commentary = dict(commentary)
        row.reviewed_by_id, row.reviewed_at = by_id, now
        self.session.add(row)
        await self.session.flush()


async def notices_due(
    session: AsyncSession, contracts: Iterable[Contract], since: date, today: date
) -> tuple[NoticeFacts, ...]:
    """For the sweep: each contract year over £5m with KPIs that ended since `since`, and whether it was
    reviewed (`contracts`: those the sweep read, running on or after `since`)."""
    reviewed = {
        (row.contract_id, row.year)
        for row in (await session.execute(select(PerformanceNotice))).scalars()
        if row.reviewed_at is not None
    }
    found: list[NoticeFacts] = []
    for contract in contracts:
        if not contract.kpis or not needs_notice(contract.value_pence):
            continue
        term = contract_term(contract)
        for year in years_due(term, since, today):
            ended = year_ends_on(term, year)
            found.append(NoticeFacts(contract.id, year, ended, (contract.id, year) in reviewed))
    return tuple(found)
