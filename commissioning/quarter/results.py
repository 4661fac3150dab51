"""A KPI's quarterly result from the months (or the quarterly return), and its achievement from the banding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from commissioning.periods import Month, Quarter
from commissioning.quarter.kpis import Kpi, Source

Number = int | float | Decimal | Fraction
MonthValues = Mapping[Month, Mapping[str, Number]]
"""What the monthly returns gave: month -> {PI code: value}. A month or a PI not there has no value."""


@dataclass(frozen=True, slots=True)
class QuarterlyResult:
    """A KPI's result for a quarter, or why there is none (`missing` says what data is not there)."""

    value: Fraction | None
    missing: str | None = None


def exact(value: Number) -> Fraction:
    """A value as an exact fraction; a float goes through its shortest text, so 0.1 is exactly 1/10."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def quarterly_result(
    kpi: Kpi, quarter: Quarter, months: MonthValues, reported: Mapping[str, Number] | None = None
) -> QuarterlyResult:
    """The KPI's result for `quarter`.

    Sum, mean and ratio need every month of the quarter; latest needs the quarter's last month; a
    reported KPI needs the quarterly return's value. Anything short of that is no result, with the
    reason, never a zero.
    """
    if kpi.source is Source.REPORTED:
        value = (reported or {}).get(kpi.code)
        if value is None:
            return QuarterlyResult(None, f"no result for {kpi.code} in the {quarter.label} KPI return")
        return QuarterlyResult(exact(value))
    needed = quarter.months[-1:] if kpi.source is Source.LATEST else quarter.months
    gaps = _gaps(kpi.pi_codes, needed, months)
    if gaps:
        return QuarterlyResult(None, "no data: " + "; ".join(gaps))

    def total(code: str) -> Fraction:
        return sum((exact(months[month][code]) for month in needed), Fraction(0))

    if kpi.source is Source.SUM:
        return QuarterlyResult(total(kpi.pi_codes[0]))
    if kpi.source is Source.MEAN:
        return QuarterlyResult(total(kpi.pi_codes[0]) / len(needed))
    if kpi.source is Source.LATEST:
        return QuarterlyResult(exact(months[needed[0]][kpi.pi_codes[0]]))
    numerator, denominator = kpi.pi_codes
    if total(denominator) == 0:
        return QuarterlyResult(None, f"{denominator} is 0 over {quarter.label}, so there is no ratio")
    return QuarterlyResult(total(numerator) / total(denominator) * exact(kpi.scale))


def achievement(kpi: Kpi, result: Fraction, target: Decimal) -> Fraction:
    """0 to 1: full at or beyond the target, pro rata between it and the floor, none beyond the floor.

    Target 100 referrals, floor 0.8 (80): 100 or more -> 1, 90 -> 1/2, 80 or fewer -> 0.
    No more than 10 days, floor 1.5 (15 days): 10 or fewer -> 1, 12.5 -> 1/2, 15 or more -> 0.
    """
    aim = exact(target)
    floor = aim * exact(kpi.banding.floor)
    if kpi.lower_is_better:
        if result <= aim:
            return Fraction(1)
        return (floor - result) / (floor - aim) if result < floor else Fraction(0)
    if result >= aim:
        return Fraction(1)
    return (result - floor) / (aim - floor) if result > floor else Fraction(0)


def _gaps(codes: tuple[str, ...], needed: tuple[Month, ...], months: MonthValues) -> list[str]:
    """What is missing, month by month: 'April 2026 has no return', 'May 2026 has no surveyed'."""
    gaps = []
    for month in needed:
        if month not in months:
            gaps.append(f"{month.label} has no return")
            continue
        absent = [code for code in codes if months[month].get(code) is None]
        if absent:
            gaps.append(f"{month.label} has no {' or '.join(absent)}")
    return gaps
