"""The Contract Performance Notice: each KPI rated from its result against this year's target."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from commissioning.periods import Quarter
from commissioning.quarter import (
    ContractTerm,
    KpiLine,
    NoticeRating,
    NoticeThresholds,
    kpi_from_dict,
    kpi_line,
    performance_notice,
    rate_kpi,
)

TERM = ContractTerm(date(2026, 4, 1), date(2029, 3, 31))
Q1 = Quarter(2027, 1)  # contract year 2


def line(result: float, *, code: str = "VCOP", **fields: Any) -> KpiLine:
    entry = {"code": code, "name": code, "source": "reported", "targets": {1: 90}, "weights": {1: 1}}
    kpi = kpi_from_dict(entry | fields)
    return kpi_line(kpi, TERM.year_of(Q1), Q1, {}, {code: result})


@pytest.mark.parametrize(
    ("result", "rating"),
    [
        (90, NoticeRating.GOOD),  # at the target
        (95, NoticeRating.GOOD),
        (85.5, NoticeRating.APPROACHING_TARGET),  # 95% of the target
        (72, NoticeRating.REQUIRES_IMPROVEMENT),  # 80% of the target
        (71.9, NoticeRating.INADEQUATE),
    ],
)
def test_a_kpi_is_rated_by_the_share_of_its_target_it_reached(result: float, rating: NoticeRating) -> None:
    assert rate_kpi(line(result)) is rating


def test_a_no_more_than_kpi_is_rated_by_the_target_over_the_result() -> None:
    waiting = {"comparison": "<=", "targets": {1: 10}}

    assert rate_kpi(line(10, **waiting)) is NoticeRating.GOOD
    assert rate_kpi(line(12.5, **waiting)) is NoticeRating.REQUIRES_IMPROVEMENT  # 10 / 12.5 = 80%


def test_a_kpi_without_a_target_this_year_is_other() -> None:
    assert (
        rate_kpi(line(78, baseline_year=2, live_from_year=3, targets={3: 90}, weights={3: 1}))
        is NoticeRating.OTHER
    )


def test_the_thresholds_are_parameters() -> None:
    strict = NoticeThresholds(approaching_from=Fraction(98, 100), requires_improvement_from=Fraction(90, 100))

    assert rate_kpi(line(85.5), strict) is NoticeRating.REQUIRES_IMPROVEMENT  # 95%: approaching by default


def test_a_notice_needs_at_least_three_rated_kpis() -> None:
    notice = performance_notice([line(90, code="A"), line(80, code="B")])

    assert [kpi.rating for kpi in notice.kpis] == [NoticeRating.GOOD, NoticeRating.REQUIRES_IMPROVEMENT]
    assert notice.problems == ("only 2 KPI(s) can be rated; a notice reports on at least 3",)
