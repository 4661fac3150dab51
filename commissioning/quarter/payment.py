"""The quarterly outcome payment: the quarter's share of the pot times the weighted achievement of live KPIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from commissioning.indicators import Rag
from commissioning.periods import Quarter
from commissioning.quarter.kpis import Kpi, KpiStatus
from commissioning.quarter.results import (
    MonthValues,
    Number,
    QuarterlyResult,
    achievement,
    exact,
    quarterly_result,
)
from commissioning.quarter.term import ContractTerm, even_shares, to_pence


@dataclass(frozen=True, slots=True)
class KpiLine:
    """One KPI in a quarter: its result, this year's target and weight, and what it achieved."""

    kpi: Kpi
    status: KpiStatus
    result: QuarterlyResult
    target: Decimal | None
    weight: Decimal | None  # this year's, as configured
    achievement: Fraction | None
    share: Fraction | None = None  # its weight renormalised over the quarter's live KPIs

    @property
    def live(self) -> bool:
        return self.status is KpiStatus.LIVE


@dataclass(frozen=True, slots=True)
class OutcomePayment:
    """A quarter's outcome payment, or why it cannot be worked out yet (`reasons`)."""

    quarter: Quarter
    year: int
    pot_pence: int
    lines: tuple[KpiLine, ...]
    weighted_achievement: Fraction | None
    payment_pence: int | None
    reasons: tuple[str, ...] = ()


def achievement_rag(achievement: Fraction | None) -> Rag | None:
    """A live KPI's rating for the meeting: green at full achievement, red at none, amber between; None unrated."""
    if achievement is None:
        return None
    if achievement >= 1:
        return Rag.GREEN
    return Rag.RED if achievement <= 0 else Rag.AMBER


def earned_pence(pot_pence: int, line: KpiLine) -> int | None:
    """What a live KPI earns of the pot: pot × achievement × its renormalised share; None without either.

    Each KPI's amount is rounded on its own, so the amounts may differ from the payment by a penny.
    """
    if not line.live or line.achievement is None or line.share is None:
        return None
    return to_pence(pot_pence * line.achievement * line.share)


def outcome_pot(term: ContractTerm, value_pence: int, outcome_share: Number, quarter: Quarter) -> int:
    """The quarter's share of the outcome pot: value × outcome share, spread evenly over the contract's quarters."""
    if not term.covers(quarter):
        raise ValueError(f"{quarter.label} is outside the contract")
    share = exact(outcome_share)
    if not 0 <= share <= 1:
        raise ValueError("the outcome share is between 0 and 1")
    quarters = term.quarters
    return even_shares(to_pence(value_pence * share), len(quarters))[quarters.index(quarter)]


def kpi_line(
    kpi: Kpi, year: int, quarter: Quarter, months: MonthValues, reported: Mapping[str, Number]
) -> KpiLine:
    status = kpi.status(year)
    if status is KpiStatus.NOT_STARTED:
        return KpiLine(kpi, status, QuarterlyResult(None, "not started"), None, None, None)
    result = quarterly_result(kpi, quarter, months, reported)
    if status is KpiStatus.BASELINE:
        return KpiLine(kpi, status, result, None, None, None)
    target, weight = kpi.target_for(year), kpi.weight_for(year)
    earned = (
        achievement(kpi, result.value, target) if result.value is not None and target is not None else None
    )
    return KpiLine(kpi, status, result, target, weight, earned)


def outcome_payment(
    kpis: Sequence[Kpi],
    term: ContractTerm,
    value_pence: int,
    outcome_share: Number,
    quarter: Quarter,
    months: MonthValues,
    reported: Mapping[str, Number] | None = None,
) -> OutcomePayment:
    """Pot × Σ(achievement × weight) / Σ(weight) over the KPIs live this quarter.

    No payment is worked out (None, with the reasons) when no KPI is live, when the live KPIs' weights
    add up to 0, or when a live KPI has no result: the commissioner decides those, Steward does not
    guess a zero or a full payment.
    """
    pot = outcome_pot(term, value_pence, outcome_share, quarter)
    year = term.year_of(quarter)
    lines = [kpi_line(kpi, year, quarter, months, reported or {}) for kpi in kpis]
    live = [line for line in lines if line.live]
    reasons = [
        f"{line.kpi.code} is in its baseline year (year {year}): it collects data, with no target or weight"
        for line in lines
        if line.status is KpiStatus.BASELINE
    ]
    total_weight = sum((exact(line.weight or 0) for line in live), Fraction(0))
    if total_weight:
        lines = [
            replace(line, share=exact(line.weight or 0) / total_weight) if line.live else line
            for line in lines
        ]
    blockers = _blockers(live, year, total_weight)
    if blockers:
        return OutcomePayment(quarter, year, pot, tuple(lines), None, None, tuple(reasons + blockers))
    weighted = sum(
        ((line.achievement or Fraction(0)) * (line.share or Fraction(0)) for line in lines if line.live),
        Fraction(0),
    )
    return OutcomePayment(
        quarter, year, pot, tuple(lines), weighted, to_pence(pot * weighted), tuple(reasons)
    )


def _blockers(live: list[KpiLine], year: int, total_weight: Fraction) -> list[str]:
    if not live:
        return [f"no KPI is live in year {year}, so there is no outcome payment to work out"]
    blockers = [
        f"{line.kpi.code} has no result: {line.result.missing}" for line in live if line.result.value is None
    ]
    if total_weight == 0:
        blockers.append(f"the live KPIs' weights for year {year} add up to 0")
    return blockers
