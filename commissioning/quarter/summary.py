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
from commissioning.quarter.payment_terms import FeeQuarter, PbrOutcome, cohort_json, total_pence
from commissioning.quarter.pbr import MeasureResult, PbrTerms
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
    fee: FeeQuarter | None = None
    pbr: PbrOutcome | None = None
    total_pence: int | None = None  # what the quarter pays, all parts together (`total_pence`)

    def as_json(self) -> dict[str, Any]:
        """Issue 15 item 6's keys, then `fee_for_service`, `pbr` and `total`. Money is pounds as an exact
        string ('62500.00'), never a float."""
        return {
            "contract": self.contract,
            "quarter": self.quarter,
            "pot": pounds(self.pot_pence),
            "kpis": [kpi.as_json() for kpi in self.kpis],
            "weighted_achievement": _number(self.weighted_achievement),
            "payment": None if self.payment_pence is None else pounds(self.payment_pence),
            "approved": None if self.approved is None else self.approved.as_json(),
            "fee_for_service": None if self.fee is None else fee_json(self.fee),
            "pbr": None if self.pbr is None else pbr_json(self.pbr),
            "total": None if self.total_pence is None else pounds(self.total_pence),
        }


def fee_json(fee: FeeQuarter) -> dict[str, Any]:
    return {
        "amount": pounds(fee.fee_pence),
        "year": fee.year,
        "year_1_fee": pounds(fee.year_1_fee_pence),
        "learning_curve": _number(fee.learning_curve),
        "discount": _number(fee.discount),
    }


def pbr_json(pbr: PbrOutcome) -> dict[str, Any]:
    results = pbr.results
    return {
        "cohort": None if pbr.cohort is None else cohort_json(pbr.cohort),
        "measures": [
            _measure_json(pbr.binary, results.binary if results else None, pbr.missing),
            _measure_json(pbr.frequency, results.frequency if results else None, pbr.missing),
        ],
        "net": None if pbr.net_pence is None else pounds(pbr.net_pence),
    }


def _measure_json(terms: PbrTerms, result: MeasureResult | None, missing: str) -> dict[str, Any]:
    return {
        "measure": terms.measure.value,
        "baseline": _number(terms.baseline),
        "rate": None if result is None else _number(result.rate),
        "payment": None if result is None else pounds(result.payment_pence),
        "penalty": None if result is None else pounds(result.penalty_pence),
        "reason": missing if result is None else result.reason,
    }


def quarter_summary(
    contract: str,
    payment: OutcomePayment,
    approved: Approval | None = None,
    fee: FeeQuarter | None = None,
    pbr: PbrOutcome | None = None,
) -> QuarterSummary:
    """The summary of a worked-out quarter; `contract` is the contract's code as people know it.

    A contract without KPIs but with a fee or PbR has no outcome payment to work out: its reasons say
    so instead of the "no KPI is live" that the outcome rules give.
    """
    has_kpis = bool(payment.lines)
    reasons = payment.reasons
    if not has_kpis and (fee is not None or pbr is not None):
        reasons = (
            "the contract has no KPIs, so no outcome payment: it is paid its fee and payment by results",
        )
    if pbr is not None and pbr.missing:
        reasons = (*reasons, pbr.missing)
    return QuarterSummary(
        contract=contract,
        quarter=payment.quarter.key,
        pot_pence=payment.pot_pence,
        kpis=tuple(_summary_kpi(line) for line in payment.lines),
        weighted_achievement=payment.weighted_achievement,
        payment_pence=payment.payment_pence,
        approved=approved,
        reasons=reasons,
        fee=fee,
        pbr=pbr,
        total_pence=total_pence(payment.payment_pence, has_kpis, fee, pbr),
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
