"""The quarter as `steward quarter CONTRACT QUARTER --json` prints it: pot, KPIs, achievement, payment, approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from commissioning.gonogo.scale import as_decimal
from commissioning.quarter.kpis import KpiStatus
from commissioning.quarter.payment import KpiLine, OutcomePayment
from commissioning.quarter.term import pounds

SHARE_PLACES = 4
"""Achievements and results are shown to four decimal places; money is exact pence, shown as pounds."""


@dataclass(frozen=True, slots=True)
class Approval:
    """The outcome payment the quarterly meeting approved: who, when, how much, and why if adjusted."""

    by: str
    at: datetime
    amount_pence: int
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "at": self.at.isoformat(),
            "amount": pounds(self.amount_pence),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class SummaryKpi:
    code: str
    name: str
    live: bool
    baseline_year: bool
    result: Fraction | None
    target: Decimal | None
    achievement: Fraction | None
    weight: Decimal | None

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "live": self.live,
            "baseline_year": self.baseline_year,
            "result": _number(self.result),
            "target": _number(self.target),
            "achievement": _number(self.achievement),
            "weight": _number(self.weight),
        }


@dataclass(frozen=True, slots=True)
class QuarterSummary:
    """One contract's quarter. `reasons` say why a payment is missing or a KPI does not count (for the card)."""

    contract: str
    quarter: str
    pot_pence: int
    kpis: tuple[SummaryKpi, ...]
    weighted_achievement: Fraction | None
    payment_pence: int | None
    approved: Approval | None
    reasons: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """Exactly the keys of issue 15 item 6. Money is pounds as an exact string ('62500.00'), never a float."""
        return {
            "contract": self.contract,
            "quarter": self.quarter,
            "pot": pounds(self.pot_pence),
            "kpis": [kpi.as_json() for kpi in self.kpis],
            "weighted_achievement": _number(self.weighted_achievement),
            "payment": None if self.payment_pence is None else pounds(self.payment_pence),
            "approved": None if self.approved is None else self.approved.as_json(),
        }


def quarter_summary(
    contract: str, payment: OutcomePayment, approved: Approval | None = None
) -> QuarterSummary:
    """The summary of a worked-out outcome payment; `contract` is the contract's code as people know it."""
    return QuarterSummary(
        contract=contract,
        quarter=payment.quarter.key,
        pot_pence=payment.pot_pence,
        kpis=tuple(_summary_kpi(line) for line in payment.lines),
        weighted_achievement=payment.weighted_achievement,
        payment_pence=payment.payment_pence,
        approved=approved,
        reasons=payment.reasons,
    )


def _summary_kpi(line: KpiLine) -> SummaryKpi:
    return SummaryKpi(
        code=line.kpi.code,
        name=line.kpi.name,
        live=line.live,
        baseline_year=line.status is KpiStatus.BASELINE,
        result=line.result.value,
        target=line.target,
        achievement=line.achievement,
        weight=line.weight,
    )


def _number(value: Fraction | Decimal | None) -> float | None:
    """A share or a result for JSON, rounded to four places: 1/3 -> 0.3333."""
    if value is None:
        return None
    return float(as_decimal(Fraction(value), SHARE_PLACES))
