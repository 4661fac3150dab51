"""Worked examples for hours per complexity level and the capacity they imply."""

import math

import pandas as pd
import pytest

from commissioning.analytics.hours import OVER_PLAN, WITHIN_PLAN, cases_supported, hours_by_level

PLANNED = {"high": 10.0, "medium": 6.0}


def delivery(rows: list[tuple[str, str, str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["contract", "month", "level", "cases", "hours"])


def test_20_hours_a_case_against_a_planned_10_means_capacity_for_half_the_profiled_cases() -> None:
    # 5 high-need cases took 100 hours: 20 a case against a plan of 10.
    row = hours_by_level(delivery([("CRS", "2026-04", "high", 5, 100.0)]), PLANNED).iloc[0]
    assert row["hours_per_case"] == 20.0
    assert row["planned_hours_per_case"] == 10.0
    assert row["capacity"] == 0.5


def test_delivery_above_plan_is_a_capacity_warning_not_green() -> None:
    row = hours_by_level(delivery([("CRS", "2026-04", "high", 5, 100.0)]), PLANNED).iloc[0]
    assert bool(row["over_plan"]) is True
    assert row["status"] == OVER_PLAN


def test_delivery_at_plan_is_within_plan_with_full_capacity() -> None:
    row = hours_by_level(delivery([("CRS", "2026-04", "medium", 4, 24.0)]), PLANNED).iloc[0]
    assert (row["hours_per_case"], row["capacity"], row["status"]) == (6.0, 1.0, WITHIN_PLAN)


def test_the_quarter_averages_over_all_its_cases_not_over_months() -> None:
    # April 1 case × 30 hours, May 3 cases × 10 hours: 60 hours over 4 cases = 15 a case (not (30+10)/2 = 20).
    frame = delivery([("CRS", "2026-04", "high", 1, 30.0), ("CRS", "2026-05", "high", 3, 30.0)])
    row = hours_by_level(frame, PLANNED).iloc[0]
    assert (row["period"], row["cases"], row["hours_per_case"]) == ("2026Q1", 4, 15.0)


def test_a_level_with_no_cases_has_no_rate_and_says_so() -> None:
    row = hours_by_level(delivery([("CRS", "2026-04", "high", 0, 0.0)]), PLANNED).iloc[0]
    assert math.isnan(row["hours_per_case"]) and row["status"] == "no cases"


def test_cases_supported_is_profiled_cases_times_capacity_rounded_down() -> None:
    # 25 profiled high-need cases at half capacity: 12 (12.5 rounded down); medium under plan stays at 40.
    frame = delivery([("CRS", "2026-04", "high", 5, 100.0), ("CRS", "2026-04", "medium", 10, 30.0)])
    supported = cases_supported(hours_by_level(frame, PLANNED), {"high": 25, "medium": 40})
    assert supported[["level", "supported_cases"]].values.tolist() == [["high", 12.0], ["medium", 40.0]]


def test_a_level_without_a_plan_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="low"):
        hours_by_level(delivery([("CRS", "2026-04", "low", 1, 2.0)]), PLANNED)
