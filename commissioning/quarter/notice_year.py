"""Which contracts and years a Contract Performance Notice covers, and each KPI's year rated from its quarters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from commissioning.periods import Quarter
from commissioning.quarter.notice import NoticeThresholds, PerformanceNotice, performance_notice
from commissioning.quarter.payment import KpiLine
from commissioning.quarter.term import ContractTerm

NOTICE_VALUE_PENCE = 5_000_000_00
"""The Procurement Act 2023 asks for a Contract Performance Notice on public contracts over £5m."""


def needs_notice(value_pence: int) -> bool:
    """A contract worth more than £5m publishes its KPIs' performance; £5m exactly does not."""
    return value_pence > NOTICE_VALUE_PENCE


def contract_years(term: ContractTerm) -> int:
    return term.year_of(term.last_quarter)


def year_quarters(term: ContractTerm, year: int) -> tuple[Quarter, ...]:
    """The contract's quarters in contract `year` (a part year at either end has fewer)."""
    return tuple(quarter for quarter in term.quarters if term.year_of(quarter) == year)


def year_ends_on(term: ContractTerm, year: int) -> date:
    """The day a contract year's notice falls due: its last quarter's last day, or the contract's end."""
    quarters = year_quarters(term, year)
    if not quarters:
        raise ValueError(f"the contract has no year {year}")
    return min(quarters[-1].last_day, term.ends_on)


def years_due(term: ContractTerm, since: date, today: date) -> tuple[int, ...]:
    """The contract years that ended after `since` and by the day before `today`: each one's notice is due."""
    return tuple(
        year for year in range(1, contract_years(term) + 1) if since <= year_ends_on(term, year) < today
    )


@dataclass(frozen=True, slots=True)
class NoticeYear:
    """A year's draft notice, and the quarters' lines behind each KPI's rating (by KPI code, in order)."""

    year: int
    quarters: tuple[Quarter, ...]
    notice: PerformanceNotice
    behind: Mapping[str, tuple[KpiLine, ...]]


def year_notice(
    year: int,
    quarters: Sequence[Quarter],
    lines_by_quarter: Mapping[Quarter, Sequence[KpiLine]],
    thresholds: NoticeThresholds | None = None,
) -> NoticeYear:
    """Each KPI rated on its latest quarter in the year with a result (the year's last quarter if none has one).

    The notice reports where each KPI stands at the end of the year it covers; the earlier quarters are
    the figures behind it, shown beside the rating.
    """
    codes: list[str] = []
    behind: dict[str, list[KpiLine]] = {}
    for quarter in quarters:
        for line in lines_by_quarter.get(quarter, ()):
            if line.kpi.code not in behind:
                codes.append(line.kpi.code)
                behind[line.kpi.code] = []
            behind[line.kpi.code].append(line)
    rated: list[KpiLine] = []
    for code in codes:
        with_result = [line for line in behind[code] if line.result.value is not None]
        rated.append(with_result[-1] if with_result else behind[code][-1])
    return NoticeYear(
        year,
        tuple(quarters),
        performance_notice(rated, thresholds or NoticeThresholds()),
        {code: tuple(lines) for code, lines in behind.items()},
    )


COMMENTARY_MAX = 1000


def check_commentary(
    codes: Sequence[str], entries: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The commissioner's commentary per KPI, trimmed (empty is none), or what is wrong, by KPI code."""
    kept: dict[str, str] = {}
    errors: dict[str, str] = {}
    for code in codes:
        typed = entries.get(code, "").strip()
        if len(typed) > COMMENTARY_MAX:
            errors[code] = f"Keep the commentary under {COMMENTARY_MAX:,} characters (it has {len(typed):,})."
        elif typed:
            kept[code] = typed
    return kept, errors
