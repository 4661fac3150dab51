"""Seed 004 in a quarter: the fee for service this contract year, PbR on the cohort, what the quarter pays."""

from __future__ import annotations

from fractions import Fraction

import pytest

from commissioning.quarter.payment_terms import (
    CohortEntry,
    check_cohort,
    fee_quarter,
    payment_terms_from_dict,
    pbr_outcome,
    total_pence,
)
from commissioning.quarter.pbr import Cohort

TERMS = payment_terms_from_dict(
    {
        "fee_for_service": {"year_1_quarterly_fee": 100000, "learning_curve": 0.02},
        "pbr": {
            "binary": {"baseline": 0.45, "price": 1500, "penalty": 750},
            "frequency": {"baseline": 1.6, "price": 300, "penalty": 150},
        },
    }
)
assert TERMS.fee_for_service is not None
RULES = TERMS.pbr_rules()
assert RULES is not None


def test_in_year_3_the_fee_is_two_years_of_learning_curve_below_year_1() -> None:
    """£100,000 × 0.98² = £96,040: 3.96% off year 1's fee."""
    assert TERMS.fee_for_service is not None
    fee = fee_quarter(TERMS.fee_for_service, 3)

    assert (fee.fee_pence, fee.year_1_fee_pence, fee.learning_curve) == (
        9_604_000,
        10_000_000,
        Fraction(1, 50),
    )
    assert fee.discount == Fraction(396, 10_000)


def test_before_the_cohort_is_reported_pbr_says_so_and_has_no_net() -> None:
    outcome = pbr_outcome(RULES, None, "Q2 2026/27")

    assert (outcome.results, outcome.net_pence) == (None, None)
    assert (
        outcome.missing == "the Q2 2026/27 cohort is not reported yet: it comes with the quarter's KPI return"
    )


def test_the_cohort_is_scored_on_both_measures() -> None:
    """80 of 200 reoffend (40%): 10 fewer × £1,500; 280 reoffences (1.4): 40 fewer × £300."""
    outcome = pbr_outcome(RULES, Cohort(200, 80, 280), "Q2 2026/27")

    assert outcome.net_pence == 1_500_000 + 1_200_000


def test_the_quarter_pays_its_parts_added_up() -> None:
    assert TERMS.fee_for_service is not None
    fee = fee_quarter(TERMS.fee_for_service, 2)  # £98,000
    penalty = pbr_outcome(RULES, Cohort(200, 100, 360), "Q")  # −£7,500 − £6,000

    assert total_pence(None, False, fee, penalty) == 9_800_000 - 1_350_000
    assert total_pence(5_000_000, True, fee, penalty) == 5_000_000 + 9_800_000 - 1_350_000
    assert total_pence(None, True, fee, penalty) is None  # the outcome payment is not worked out
    assert total_pence(None, False, fee, pbr_outcome(RULES, None, "Q")) is None  # nor PbR
    assert total_pence(4_500_000, True, None, None) == 4_500_000  # no fee or PbR: the outcome payment


@pytest.mark.parametrize(
    ("entry", "errors"),
    [
        (CohortEntry("150", "57", "195"), {}),
        (CohortEntry("1,500", "0", "0"), {}),
        (CohortEntry("", "57", "195"), {"offenders": "Enter the number of offenders (0 if there were none)."}),
        (CohortEntry("150.5", "57", "195"), {"offenders": "Enter a whole number from 0, like 120 (not '150.5')."}),
        (CohortEntry("-3", "0", "0"), {"offenders": "Enter a whole number from 0, like 120 (not '-3')."}),
        (
            CohortEntry("150", "160", "195"),
            {"reoffenders": "There cannot be more reoffenders (160) than offenders (150)."},
        ),
        (
            CohortEntry("150", "57", "40"),
            {"reoffences": "Each reoffender reoffended at least once: reoffences cannot be fewer than 57."},
        ),
        (
            CohortEntry("150", "0", "4"),
            {"reoffences": "With no reoffenders there are no reoffences: enter 0, or the reoffenders."},
        ),
    ],
    ids=["good", "thousands", "blank", "not-whole", "negative", "more-reoffenders", "too-few-reoffences",
         "reoffences-without-reoffenders"],
)  # fmt: skip
def test_the_cohort_is_checked_field_by_field(entry: CohortEntry, errors: dict[str, str]) -> None:
    cohort, found = check_cohort(entry)

    assert found == errors
    assert (cohort is None) == bool(errors)
