"""The tab's numbers: indicator trends against their minimum, the contract's RAG, a quarter's payment."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from commissioning.analytics.trends import twelve_month_trend
from commissioning.indicators import Comparison, IndicatorSpec, Rag, format_value, rag
from commissioning.periods import Month, Quarter
from commissioning.quarter import ContractTerm, kpi_from_dict, outcome_payment, pounds
from storage.models import Contract

RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    month: Month
    value: float | None
    shown: str  # the value as a person reads it
    met: bool | None


@dataclass(frozen=True, slots=True)
class Trend:
    """One indicator over the twelve months ending with the last completed month, against its minimum."""

    contract: str
    code: str
    name: str
    requirement: str  # the minimum in words, e.g. 'at least 90%'
    minimum: float | None
    at_most: bool
    points: tuple[TrendPoint, ...]

    @property
    def summary(self) -> str:
        """The chart in one sentence, for its text alternative."""
        given = [p for p in self.points if p.value is not None]
        if not given:
            return f"{self.name}: no values in the last twelve months; {self.requirement}."
        met = sum(1 for p in given if p.met)
        latest = given[-1]
        return (
            f"{self.name}: {latest.shown} in {latest.month.label}; {self.requirement}; "
            f"met in {met} of {len(given)} months reported."
        )


def trends(
    contract: Contract, specs: list[IndicatorSpec], values: dict[Month, dict[str, float]], last: Month
) -> list[Trend]:
    """Each indicator's last twelve months (every month present, a gap where nothing was submitted)."""
    codes = {spec.code for spec in specs}
    rows = [
        {"contract": contract.key, "indicator": code, "month": month.key, "value": value}
        for month, by_code in values.items()
        for code, value in by_code.items()
        if code in codes
    ]
    seen = {row["indicator"] for row in rows}
    rows += [  # an indicator with nothing submitted still gets its twelve (empty) months
        {"contract": contract.key, "indicator": spec.code, "month": last.key, "value": math.nan}
        for spec in specs
        if spec.code not in seen
    ]
    frame = twelve_month_trend(
        pd.DataFrame(rows, columns=["contract", "indicator", "month", "value"]), specs, last
    )
    found: list[Trend] = []
    for spec in specs:
        mine = frame[frame["indicator"] == spec.code]
        points = tuple(
            _point(spec, str(month), value, met)
            for month, value, met in zip(mine["month"], mine["value"], mine["met"], strict=True)
        )
        found.append(
            Trend(
                contract=contract.key,
                code=spec.code,
                name=spec.name,
                requirement=spec.describe_requirement(),
                minimum=spec.requirement,
                at_most=spec.comparison is Comparison.AT_MOST,
                points=points,
            )
        )
    return found


def _point(spec: IndicatorSpec, month: str, value: Any, met: Any) -> TrendPoint:
    given = None if pd.isna(value) else float(value)
    return TrendPoint(
        Month.parse(month), given, format_value(spec, given), None if pd.isna(met) else bool(met)
    )


def overall_rag(specs: list[IndicatorSpec], values: dict[str, float]) -> Rag | None:
    """The worst rating of a return's indicators; None when nothing in it can be rated."""
    ratings = {rag(spec, values.get(spec.code)) for spec in specs}
    return next((level for level in RAG_ORDER if level in ratings), None)


@dataclass(frozen=True, slots=True)
class KpiRow:
    code: str
    name: str
    status: str
    result: str
    target: str
    achievement: str


@dataclass(frozen=True, slots=True)
class QuarterPayment:
    """A quarter's KPI results and outcome payment, or why the payment is not worked out yet."""

    quarter: Quarter
    pot: str  # pounds, e.g. '62500.00'
    payment: str | None
    kpis: tuple[KpiRow, ...]
    reasons: tuple[str, ...]


def _number(value: object) -> str:
    return "–" if value is None else f"{float(value):.4g}"  # type: ignore[arg-type]


def quarter_payment(
    contract: Contract, quarter: Quarter, values: dict[Month, dict[str, float]]
) -> QuarterPayment | None:
    """The quarter's payment by the contract's KPIs; None for a contract with no KPIs or outside its term."""
    if not contract.kpis:
        return None
    term = ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)
    if not term.covers(quarter):
        return None
    kpis = [kpi_from_dict(entry) for entry in contract.kpis]
    months = {month: values[month] for month in quarter.months if month in values}
    worked = outcome_payment(kpis, term, contract.value_pence, contract.outcome_share, quarter, months)
    rows = tuple(
        KpiRow(
            code=line.kpi.code,
            name=line.kpi.name,
            status="live" if line.live else line.status.value.replace("_", " "),
            result=_number(line.result.value),
            target=_number(line.target),
            achievement=_number(line.achievement),
        )
        for line in worked.lines
    )
    payment = None if worked.payment_pence is None else pounds(worked.payment_pence)
    return QuarterPayment(quarter, pounds(worked.pot_pence), payment, rows, worked.reasons)


def ended_quarters(contract: Contract, last: Quarter) -> list[Quarter]:
    """The contract's quarters up to `last`, newest first."""
    term = ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)
    return [quarter for quarter in reversed(term.quarters) if quarter <= last]
