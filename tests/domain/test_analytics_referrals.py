"""Worked examples for referrals, conversion, attrition and self-referral share."""

import math

import pandas as pd
import pytest

from commissioning.analytics.referrals import referral_summary, referrals_by_source


def returns(rows: list[tuple[str, str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["contract", "month", "source", "referrals", "starts"])


def test_referrals_double_the_starts_is_conversion_50_percent_and_attrition_50_percent() -> None:
    # 60 probation + 20 self referrals = 80 referrals; 30 + 10 = 40 starts.
    frame = returns([("IVWS", "2026-04", "probation", 60, 30), ("IVWS", "2026-04", "self", 20, 10)])
    row = referral_summary(frame).iloc[0]
    assert (row["referrals"], row["starts"], row["not_converted"]) == (80, 40, 40)
    assert row["conversion"] == 0.5
    assert row["attrition"] == 0.5


def test_self_referral_share_is_self_referrals_over_all_referrals() -> None:
    # 20 of 80 referrals came from the person themselves: 25%.
    frame = returns([("IVWS", "2026-04", "probation", 60, 30), ("IVWS", "2026-04", "Self", 20, 10)])
    row = referral_summary(frame).iloc[0]
    assert row["self_referrals"] == 20
    assert row["self_referral_share"] == 0.25


def test_a_quarter_sums_its_three_months_counts_before_dividing() -> None:
    # April 10 referrals / 10 starts, May 30 / 10, June 0 / 0 (contract year from April: 2026Q1).
    # Summed: 40 referrals, 20 starts → 50%, not the mean of the monthly rates (100%, 33%, n/a).
    frame = returns(
        [
            ("IVWS", "2026-04", "probation", 10, 10),
            ("IVWS", "2026-05", "probation", 30, 10),
            ("IVWS", "2026-06", "probation", 0, 0),
        ]
    )
    summary = referral_summary(frame, "quarter")
    assert summary["period"].tolist() == ["2026Q1"]
    assert summary.iloc[0]["conversion"] == 0.5


def test_a_month_with_no_referrals_has_no_rate_rather_than_zero() -> None:
    row = referral_summary(returns([("IVWS", "2026-04", "probation", 0, 0)])).iloc[0]
    assert math.isnan(row["conversion"]) and math.isnan(row["attrition"])


def test_each_contract_and_month_is_its_own_row() -> None:
    frame = returns(
        [
            ("B", "2026-05", "probation", 4, 1),
            ("A", "2026-04", "probation", 10, 5),
            ("A", "2026-05", "probation", 8, 2),
        ]
    )
    summary = referral_summary(frame)
    assert list(zip(summary["contract"], summary["period"], summary["conversion"], strict=True)) == [
        ("A", "2026-04", 0.5),
        ("A", "2026-05", 0.25),
        ("B", "2026-05", 0.25),
    ]


def test_referrals_by_source_gives_each_sources_share() -> None:
    frame = returns([("IVWS", "2026-04", "probation", 60, 30), ("IVWS", "2026-04", "self", 20, 10)])
    by_source = referrals_by_source(frame)
    assert by_source[["source", "referrals", "share"]].values.tolist() == [
        ["probation", 60, 0.75],
        ["self", 20, 0.25],
    ]


def test_a_missing_column_is_refused_by_name() -> None:
    frame = pd.DataFrame({"contract": ["A"], "month": ["2026-04"], "referrals": [3]})
    with pytest.raises(ValueError, match="source, starts"):
        referral_summary(frame)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="referrals"):
        referral_summary(returns([("A", "2026-04", "self", -1, 0)]))
