"""Worked examples for a trend chart's points, taken from the twelve-month trend frame."""

import pandas as pd
import pytest

from commissioning.analytics.chart_data import TrendPoint, months_met, trend_points
from commissioning.analytics.trends import twelve_month_trend
from commissioning.indicators import Comparison, IndicatorKind, IndicatorSpec
from commissioning.periods import Month

CONTACT = IndicatorSpec("PI2", "Contacted in 2 days", IndicatorKind.PERCENTAGE, requirement=90)
WAIT = IndicatorSpec("W", "Days waiting", IndicatorKind.COUNT, requirement=10, comparison=Comparison.AT_MOST)
CALLS = IndicatorSpec("C", "Calls", IndicatorKind.COUNT)


def trend(rows: list[tuple[str, str, str, float]], specs: list[IndicatorSpec]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["contract", "indicator", "month", "value"])
    return twelve_month_trend(frame, specs, Month(2026, 10))


def test_each_of_the_twelve_months_is_a_point_with_its_value_minimum_and_whether_it_met_it() -> None:
    # September 91% meets "at least 90"; October 87% does not; the ten months before have no return.
    frame = trend([("IVWS", "PI2", "2026-09", 91), ("IVWS", "PI2", "2026-10", 87)], [CONTACT])

    points = trend_points(frame, "IVWS", "PI2")

    assert len(points) == 12
    assert points[0] == TrendPoint("2025-11", None, 90.0, None)
    assert points[-2:] == (TrendPoint("2026-09", 91.0, 90.0, True), TrendPoint("2026-10", 87.0, 90.0, False))
    assert months_met(points) == (1, 2)


def test_an_at_most_indicator_meets_its_ceiling_from_below() -> None:
    frame = trend([("IVWS", "W", "2026-09", 8), ("IVWS", "W", "2026-10", 12)], [WAIT])

    points = trend_points(frame, "IVWS", "W")

    assert [(p.value, p.minimum, p.met) for p in points[-2:]] == [(8.0, 10.0, True), (12.0, 10.0, False)]


def test_an_indicator_without_a_minimum_has_points_but_nothing_met() -> None:
    frame = trend([("IVWS", "C", "2026-10", 40)], [CALLS])

    points = trend_points(frame, "IVWS", "C")

    assert points[-1] == TrendPoint("2026-10", 40.0, None, None)
    assert months_met(points) == (0, 0)


def test_only_the_contract_and_indicator_asked_for_and_none_when_it_has_no_values() -> None:
    frame = trend(
        [("IVWS", "PI2", "2026-10", 95), ("FCAR", "PI2", "2026-10", 50), ("IVWS", "W", "2026-10", 3)],
        [CONTACT, WAIT],
    )

    assert [p.value for p in trend_points(frame, "IVWS", "PI2")][-1] == 95.0
    assert [p.value for p in trend_points(frame, "FCAR", "PI2")][-1] == 50.0
    assert trend_points(frame, "IVWS", "C") == ()


def test_a_frame_that_is_not_a_trend_is_refused() -> None:
    with pytest.raises(ValueError, match="lacks column"):
        trend_points(pd.DataFrame({"month": ["2026-10"]}), "IVWS", "PI2")
