"""The Contract Performance Notice (Procurement Act 2023): each KPI rated Good to Inadequate, or Other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from commissioning.quarter.payment import KpiLine
from commissioning.quarter.results import exact

NOTICE_MINIMUM_KPIS = 3
"""A public contract over £5m publishes at least three KPIs on its notice."""


class NoticeRating(StrEnum):
    GOOD = "Good"
    APPROACHING_TARGET = "Approaching target"
    REQUIRES_IMPROVEMENT = "Requires improvement"
    INADEQUATE = "Inadequate"
    OTHER = "Other"


@dataclass(frozen=True, slots=True)
class NoticeThresholds:
    """Where a KPI's share of its target turns into a rating; defaults are a starting point, not the law.

    The share of target is result ÷ target (target ÷ result for a "no more than" KPI). Good at the target
    or better; Approaching target from `approaching_from` (95%: close enough that it is a near miss);
    Requires improvement from `requires_improvement_from` (80%: clearly short, recoverable with a plan);
    Inadequate below that. Other: no target this year (not live, or a baseline year) or no result.
    """

    approaching_from: Fraction = Fraction(95, 100)
    requires_improvement_from: Fraction = Fraction(80, 100)

    def __post_init__(self) -> None:
        if not 0 <= self.requires_improvement_from <= self.approaching_from <= 1:
            raise ValueError("0 ≤ requires_improvement_from ≤ approaching_from ≤ 1")


def share_of_target(result: Fraction, target: Decimal, lower_is_better: bool) -> Fraction:
    """How much of its target a result reaches, at most 1: 855 of 900 is 0.95; 12 days against no more than 10 is 10/12."""
    aim = exact(target)
    if lower_is_better:
        return Fraction(1) if result <= aim else aim / result
    return Fraction(1) if result >= aim else result / aim


def rate_kpi(line: KpiLine, thresholds: NoticeThresholds = NoticeThresholds()) -> NoticeRating:
    result, target = line.result.value, line.target
    if not line.live or result is None or target is None:
        return NoticeRating.OTHER
    share = share_of_target(result, target, line.kpi.lower_is_better)
    if share >= 1:
        return NoticeRating.GOOD
    if share >= thresholds.approaching_from:
        return NoticeRating.APPROACHING_TARGET
    if share >= thresholds.requires_improvement_from:
        return NoticeRating.REQUIRES_IMPROVEMENT
    return NoticeRating.INADEQUATE


@dataclass(frozen=True, slots=True)
class NoticeKpi:
    code: str
    name: str
    rating: NoticeRating
    result: Fraction | None
    target: Decimal | None


@dataclass(frozen=True, slots=True)
class PerformanceNotice:
    """The draft notice for the commissioner to review; `problems` say what stops it being published as is."""

    kpis: tuple[NoticeKpi, ...]
    problems: tuple[str, ...]


def performance_notice(
    lines: Sequence[KpiLine], thresholds: NoticeThresholds = NoticeThresholds()
) -> PerformanceNotice:
    """A draft notice from the KPI results of the period it covers (the year's last quarter, or the contract's)."""
    kpis = tuple(
        NoticeKpi(line.kpi.code, line.kpi.name, rate_kpi(line, thresholds), line.result.value, line.target)
        for line in lines
    )
    rated = sum(kpi.rating is not NoticeRating.OTHER for kpi in kpis)
    problems = []
    if rated < NOTICE_MINIMUM_KPIS:
        problems.append(
            f"only {rated} KPI(s) can be rated; a notice reports on at least {NOTICE_MINIMUM_KPIS}"
        )
    return PerformanceNotice(kpis, tuple(problems))
