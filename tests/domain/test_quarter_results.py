"""A KPI's quarterly result from its monthly PIs or the quarterly return, and achievement from its banding."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from commissioning.periods import Month, Quarter
from commissioning.quarter import achievement, kpi_from_dict, quarterly_result

Q1 = Quarter(2026, 1)  # April to June 2026
APRIL, MAY, JUNE = Q1.months


def kpi(source: str, **fields: Any) -> Any:
    entry = {"code": "K", "name": "A KPI", "source": source, "targets": {1: 100}, "weights": {1: 1}}
    return kpi_from_dict(entry | fields)


def months(code: str, *values: float) -> dict[Month, dict[str, float]]:
    return {month: {code: value} for month, value in zip(Q1.months, values, strict=False)}


def test_a_sum_adds_the_three_months() -> None:
    result = quarterly_result(kpi("sum", pi="referrals"), Q1, months("referrals", 300, 310, 245))

    assert result.value == 855


def test_a_mean_averages_the_three_months() -> None:
    result = quarterly_result(kpi("mean", pi="waiting_days"), Q1, months("waiting_days", 9, 10, 12.5))

    assert result.value == Fraction(63, 6)  # 31.5 / 3 = 10.5


def test_latest_takes_the_quarters_last_month() -> None:
    result = quarterly_result(kpi("latest", pi="open_cases"), Q1, months("open_cases", 40, 42, 37))

    assert result.value == 37


def test_a_ratio_divides_the_quarters_totals() -> None:
    data = {
        APRIL: {"satisfied": 50, "surveyed": 60},
        MAY: {"satisfied": 60, "surveyed": 70},
        JUNE: {"satisfied": 60, "surveyed": 70},
    }
    ratio = kpi("ratio", numerator="satisfied", denominator="surveyed", scale=100)

    assert quarterly_result(ratio, Q1, data).value == 85  # 170 of 200 surveyed, as a percentage


def test_a_reported_kpi_takes_the_quarterly_return() -> None:
    assert quarterly_result(kpi("reported"), Q1, {}, {"K": 78.5}).value == Fraction(157, 2)


def test_a_month_without_its_value_is_no_result_naming_what_is_missing() -> None:
    result = quarterly_result(kpi("sum", pi="referrals"), Q1, months("referrals", 300, 310))

    assert result.value is None
    assert result.missing == "no data: June 2026 has no return"


def test_a_quarter_with_no_data_names_every_month() -> None:
    result = quarterly_result(kpi("mean", pi="waiting_days"), Q1, {})

    assert (
        result.missing == "no data: April 2026 has no return; May 2026 has no return; June 2026 has no return"
    )


def test_a_ratio_names_each_pi_a_month_lacks() -> None:
    data = {APRIL: {"satisfied": 50}, MAY: {"surveyed": 70}, JUNE: {}}
    result = quarterly_result(kpi("ratio", numerator="satisfied", denominator="surveyed"), Q1, data)

    assert result.missing == (
        "no data: April 2026 has no surveyed; May 2026 has no satisfied; June 2026 has no satisfied or surveyed"
    )


def test_a_ratio_over_nothing_is_no_result() -> None:
    data = {month: {"satisfied": 0, "surveyed": 0} for month in Q1.months}
    result = quarterly_result(kpi("ratio", numerator="satisfied", denominator="surveyed"), Q1, data)

    assert (result.value, result.missing) == (None, "surveyed is 0 over Q1 2026/27, so there is no ratio")


def test_a_reported_kpi_missing_from_the_return_is_no_result() -> None:
    assert (
        quarterly_result(kpi("reported"), Q1, {}, {}).missing
        == "no result for K in the Q1 2026/27 KPI return"
    )


@pytest.mark.parametrize(
    ("result", "earned"),
    [
        (1001, Fraction(1)),  # beyond the target: full, never more
        (1000, Fraction(1)),  # at the target: full
        (999, Fraction(199, 200)),  # one short: (999 - 800) / (1000 - 800)
        (900, Fraction(1, 2)),  # halfway between the floor (80% of 1000) and the target
        (800, Fraction(0)),  # at the floor: nothing
        (799, Fraction(0)),  # below the floor: nothing
    ],
)
def test_banding_pro_rata_from_a_floor_of_80_percent_of_the_target(result: int, earned: Fraction) -> None:
    referrals = kpi("sum", pi="referrals", targets={1: 1000}, banding={"floor": 0.8})

    assert achievement(referrals, Fraction(result), referrals.targets[1]) == earned


@pytest.mark.parametrize(("result", "earned"), [(85, Fraction(1)), (Fraction(8499, 100), Fraction(0))])
def test_the_default_banding_is_all_or_nothing_at_the_target(result: Fraction, earned: Fraction) -> None:
    satisfied = kpi("reported", targets={1: 85})

    assert achievement(satisfied, Fraction(result), satisfied.targets[1]) == earned


@pytest.mark.parametrize(
    ("days", "earned"),
    [
        (9, Fraction(1)),
        (10, Fraction(1)),
        (Fraction(25, 2), Fraction(1, 2)),
        (15, Fraction(0)),
        (16, Fraction(0)),
    ],
)
def test_a_no_more_than_kpi_earns_more_the_lower_it_is(days: Fraction, earned: Fraction) -> None:
    """No more than 10 days' wait, pro rata up to 150% of the target (15 days)."""
    waiting = kpi("mean", pi="waiting_days", comparison="<=", targets={1: 10}, banding={"floor": 1.5})

    assert achievement(waiting, Fraction(days), waiting.targets[1]) == earned
