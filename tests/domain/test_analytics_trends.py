"""Worked examples for the twelve-month indicator trend and quarter-on-quarter KPI results."""

import math

import pandas as pd
import pytest

from commissioning.analytics.trends import last_twelve_months, quarter_on_quarter, twelve_month_trend
from commissioning.indicators import Comparison, IndicatorKind, IndicatorSpec
from commissioning.periods import Month

CONTACT = IndicatorSpec("contact", "Contacted in 2 days", IndicatorKind.PERCENTAGE, requirement=90)
WAIT = IndicatorSpec(
    "wait", "Days waiting", IndicatorKind.COUNT, requirement=10, comparison=Comparison.AT_MOST
)
COUNT = IndicatorSpec("calls", "Calls", IndicatorKind.COUNT)


def values(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["contract", "indicator", "month", "value"])


def test_the_last_twelve_months_run_oldest_first_across_the_year_end() -> None:
    months = last_twelve_months(Month(2026, 3))
    assert (months[0], months[-1], len(months)) == ("2025-04", "2026-03", 12)


def test_the_trend_has_every_month_with_value_minimum_and_met() -> None:
    # 92% in April 2025 meets "at least 90"; 85% in March 2026 does not; the ten months between are blank.
    frame = values([("IVWS", "contact", "2025-04", 92), ("IVWS", "contact", "2026-03", 85)])
    trend = twelve_month_trend(frame, [CONTACT], Month(2026, 3))
    assert len(trend) == 12 and trend["minimum"].eq(90).all()
    assert trend.iloc[0][["month", "value"]].tolist() == ["2025-04", 92.0]
    assert bool(trend.iloc[0]["met"]) is True and bool(trend.iloc[-1]["met"]) is False
    assert math.isnan(trend.iloc[5]["value"]) and pd.isna(trend.iloc[5]["met"])


def test_months_before_the_window_are_left_out() -> None:
    frame = values([("IVWS", "contact", "2025-03", 50), ("IVWS", "contact", "2026-03", 95)])
    trend = twelve_month_trend(frame, [CONTACT], Month(2026, 3))
    assert "2025-03" not in set(trend["month"]) and trend["value"].count() == 1


def test_an_at_most_indicator_is_met_at_or_below_its_ceiling() -> None:
    frame = values([("IVWS", "wait", "2026-02", 10), ("IVWS", "wait", "2026-03", 11)])
    trend = twelve_month_trend(frame, [WAIT], Month(2026, 3)).set_index("month")
    assert bool(trend.loc["2026-02", "met"]) is True and bool(trend.loc["2026-03", "met"]) is False


def test_an_indicator_without_a_requirement_has_no_met() -> None:
    trend = twelve_month_trend(values([("IVWS", "calls", "2026-03", 40)]), [COUNT], Month(2026, 3))
    assert pd.isna(trend.iloc[-1]["met"]) and math.isnan(trend.iloc[-1]["minimum"])


def test_an_indicator_without_a_spec_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="mystery"):
        twelve_month_trend(values([("IVWS", "mystery", "2026-03", 1)]), [CONTACT], Month(2026, 3))


def results(rows: list[tuple[str, str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["contract", "kpi", "quarter", "result", "target"])


def test_quarter_on_quarter_gives_the_previous_result_and_the_change() -> None:
    # Q4 2025/26 at 80% (target 85, missed), Q1 2026/27 at 88% (met): +8 points.
    frame = results([("IVWS", "K1", "2026Q1", 88, 85), ("IVWS", "K1", "2025Q4", 80, 85)])
    table = quarter_on_quarter(frame)
    assert table["quarter"].tolist() == ["2025Q4", "2026Q1"]
    assert table["met"].tolist() == [False, True]
    assert table.iloc[1][["previous", "change"]].tolist() == [80.0, 8.0]
    assert math.isnan(table.iloc[0]["previous"])


def test_a_missing_quarter_is_not_bridged_to_an_older_one() -> None:
    frame = results([("IVWS", "K1", "2026Q1", 88, 85), ("IVWS", "K1", "2026Q3", 90, 85)])
    assert math.isnan(quarter_on_quarter(frame).iloc[1]["previous"])


def test_an_at_most_kpi_is_met_at_or_below_target() -> None:
    frame = results([("IVWS", "K2", "2026Q1", 12, 10), ("IVWS", "K2", "2026Q2", 9, 10)])
    frame["comparison"] = "<="
    table = quarter_on_quarter(frame)
    assert table["met"].tolist() == [False, True] and table.iloc[1]["change"] == -3.0
