"""Where a contract stands: each PI's RAG in the latest return, each KPI's in its latest quarter with a result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from commissioning.indicators import IndicatorSpec, Rag, format_value, rag
from commissioning.periods import Quarter, last_completed_quarter
from commissioning.quarter import ContractTerm, Kpi, KpiStatus, kpi_line
from commissioning.quarter.results import MonthValues

RAG_LABEL = {Rag.GREEN: "✔ Green", Rag.AMBER: "▲ Amber", Rag.RED: "✖ Red"}
"""A RAG rating as a word and a shape, so colour is never the only signal."""
NO_RESULT = "no result yet"
LOOK_BACK_QUARTERS = 8
"""How far back a KPI's latest result is looked for: two contract years."""


@dataclass(frozen=True, slots=True)
class PiStanding:
    """One PI in the latest return: its value and its rating (None: no value, or no minimum to rate against)."""

    spec: IndicatorSpec
    value: float | None
    rating: Rag | None

    @property
    def shown(self) -> str:
        return format_value(self.spec, self.value)


def pi_standings(specs: Sequence[IndicatorSpec], values: Mapping[str, float]) -> tuple[PiStanding, ...]:
    """Each PI rated against its minimum service requirement, in the order given."""
    return tuple(PiStanding(s, values.get(s.code), rag(s, values.get(s.code))) for s in specs)


@dataclass(frozen=True, slots=True)
class KpiStanding:
    """A KPI in its latest quarter with a result; `quarter` is None when no quarter has one yet."""

    kpi: Kpi
    status: KpiStatus
    quarter: Quarter | None = None
    result: Fraction | None = None
    target: Decimal | None = None
    achievement: Fraction | None = None

    @property
    def rating(self) -> Rag | None:
        """Green at the target, amber short of it but above the floor, red at or beyond the floor; None
        when there is nothing to rate (no result yet, or a baseline year with no target)."""
        if self.achievement is None:
            return None
        if self.achievement >= 1:
            return Rag.GREEN
        return Rag.AMBER if self.achievement > 0 else Rag.RED

    @property
    def words(self) -> str:
        """'✔ Green', '▲ Amber', 'no result yet', 'baseline year: no target', 'not started'."""
        if self.rating is not None:
            return RAG_LABEL[self.rating]
        if self.quarter is None:
            return "not started" if self.status is KpiStatus.NOT_STARTED else NO_RESULT
        return "baseline year: no target"


def quarters_back(term: ContractTerm, last: Quarter, count: int = LOOK_BACK_QUARTERS) -> list[Quarter]:
    """The contract's quarters up to and including `last`, newest first, at most `count` of them."""
    found = [quarter for quarter in term.quarters if quarter <= last]
    return list(reversed(found))[:count]


def kpi_standing(
    kpi: Kpi,
    term: ContractTerm,
    months: MonthValues,
    last: Quarter,
    reported: Mapping[Quarter, Mapping[str, float]] | None = None,
) -> KpiStanding:
    """The KPI in the newest quarter (up to `last`) that gives it a result.

    A computed KPI's result comes from the monthly returns; a reported KPI's from that quarter's KPI
    return (`reported`: the current version's values by quarter), so before the return is in it has no
    result yet; so does a KPI whose quarters all lack a month.
    """
    quarters = quarters_back(term, last)
    for quarter in quarters:
        given = (reported or {}).get(quarter, {})
        line = kpi_line(kpi, term.year_of(quarter), quarter, months, given)
        if line.result.value is not None:
            return KpiStanding(kpi, line.status, quarter, line.result.value, line.target, line.achievement)
    now = kpi.status(term.year_of(quarters[0])) if quarters else KpiStatus.NOT_STARTED
    return KpiStanding(kpi, now)


def kpi_standings(
    kpis: Iterable[Kpi],
    term: ContractTerm,
    months: MonthValues,
    last: Quarter,
    reported: Mapping[Quarter, Mapping[str, float]] | None = None,
) -> tuple[KpiStanding, ...]:
    return tuple(kpi_standing(kpi, term, months, last, reported) for kpi in kpis)


@dataclass(frozen=True, slots=True)
class RagTally:
    red: int
    amber: int
    green: int
    unrated: int

    def words(self) -> str:
        """'✖ 1 red · ▲ 1 amber · ✔ 5 green'; the unrated are left out, and no ratings at all say so."""
        parts = [
            f"{RAG_LABEL[r].split()[0]} {n} {r.value}"
            for r, n in ((Rag.RED, self.red), (Rag.AMBER, self.amber), (Rag.GREEN, self.green))
            if n
        ]
        return " · ".join(parts) if parts else "nothing rated"


def rag_tally(ratings: Iterable[Rag | None]) -> RagTally:
    listed = list(ratings)
    return RagTally(
        red=listed.count(Rag.RED),
        amber=listed.count(Rag.AMBER),
        green=listed.count(Rag.GREEN),
        unrated=sum(1 for r in listed if r is None),
    )


def number_text(value: Fraction | Decimal | float) -> str:
    """A KPI result or target for a card: '7,800', '83.33'."""
    number = float(value)
    if number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def closed_quarters(term: ContractTerm, today: date, count: int = LOOK_BACK_QUARTERS) -> tuple[Quarter, ...]:
    """The contract's quarters closed by `today`, newest first, at most `count`: what a workbook is offered
    for (the status card's Download and the tab's contract page); the first is the default."""
    last = min(last_completed_quarter(today, term.year_start_month), term.last_quarter)
    return tuple(quarters_back(term, last, count))
