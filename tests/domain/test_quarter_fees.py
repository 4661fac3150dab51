"""The monthly service fee, and seed 004's fee for service and payment by results, with numbers written out."""

from __future__ import annotations

from fractions import Fraction

import pytest

from commissioning.indicators import Rag
from commissioning.periods import Month
from commissioning.quarter import (
    Cohort,
    FeeStatus,
    Measure,
    PbrTerms,
    fee_for_service,
    monthly_service_fee,
    payment_by_results,
)

MAY = Month(2026, 5)
FEE = 30_000_000  # £300,000.00 a month

# -- the monthly service fee ---------------------------------------------------------------------------------


def test_the_fee_is_payable_when_every_minimum_service_requirement_is_met() -> None:
    fee = monthly_service_fee(MAY, FEE, [Rag.GREEN, Rag.GREEN, None])

    assert (fee.status, fee.payable_pence) == (FeeStatus.PAYABLE, 30_000_000)


def test_a_shortfall_waits_for_the_meetings_sign_off() -> None:
    fee = monthly_service_fee(MAY, FEE, [Rag.GREEN, Rag.AMBER])

    assert (fee.status, fee.payable_pence, fee.requirements_met) == (FeeStatus.AWAITING_SIGN_OFF, 0, False)


def test_a_shortfall_signed_off_with_a_reason_is_payable() -> None:
    fee = monthly_service_fee(MAY, FEE, [Rag.RED], "signed_off", "Case system outage, agreed at the meeting")

    assert (fee.status, fee.payable_pence) == (FeeStatus.PAYABLE, 30_000_000)
    assert fee.reason == "shortfall signed off: Case system outage, agreed at the meeting"


def test_a_withheld_fee_is_not_payable() -> None:
    fee = monthly_service_fee(MAY, FEE, [Rag.RED], "withheld", "Two months short on referrals")

    assert (fee.status, fee.payable_pence) == (FeeStatus.WITHHELD, 0)


def test_signing_off_a_shortfall_without_a_reason_follows_the_meeting_rule() -> None:
    with pytest.raises(ValueError, match="signing off the fee needs a reason"):
        monthly_service_fee(MAY, FEE, [Rag.RED], "signed_off", "  ")


# -- fee for service with the learning curve ----------------------------------------------------------------


@pytest.mark.parametrize(("year", "fee"), [(1, 10_000_000), (2, 9_800_000), (3, 9_604_000)])
def test_the_learning_curve_takes_2_percent_a_year_compounded(year: int, fee: int) -> None:
    """£100,000 a quarter in year 1; year 3 is 100,000 × 0.98 × 0.98 = £96,040."""
    assert fee_for_service(10_000_000, Fraction(2, 100), year) == fee


# -- payment by results --------------------------------------------------------------------------------------

# A cohort of 200 offenders. Historic rates for the area: 45% reoffend, 1.6 reoffences per offender.
BINARY = PbrTerms(Measure.BINARY, Fraction(45, 100), price_pence=150_000, penalty_pence=75_000)
FREQUENCY = PbrTerms(Measure.FREQUENCY, Fraction(16, 10), price_pence=30_000, penalty_pence=15_000)


def test_a_quarter_better_than_the_baseline_earns_on_both_measures() -> None:
    """80 of 200 reoffend (40%, 5 points under 45%): 10 fewer reoffenders × £1,500 = £15,000.
    280 reoffences (1.4 per offender, 0.2 under 1.6): 40 fewer reoffences × £300 = £12,000."""
    quarter = payment_by_results(BINARY, FREQUENCY, Cohort(offenders=200, reoffenders=80, reoffences=280))

    assert (quarter.binary.rate, quarter.binary.payment_pence) == (Fraction(2, 5), 1_500_000)
    assert (quarter.frequency.rate, quarter.frequency.payment_pence) == (Fraction(7, 5), 1_200_000)
    assert quarter.net_pence == 2_700_000


def test_a_quarter_worse_than_the_baseline_pays_a_penalty() -> None:
    """100 of 200 reoffend (50%, 5 points over): 10 more × £750 = £7,500 penalty.
    360 reoffences (1.8 per offender, 0.2 over): 40 more × £150 = £6,000 penalty."""
    quarter = payment_by_results(BINARY, FREQUENCY, Cohort(offenders=200, reoffenders=100, reoffences=360))

    assert (quarter.binary.payment_pence, quarter.binary.penalty_pence) == (0, 750_000)
    assert (quarter.frequency.payment_pence, quarter.frequency.penalty_pence) == (0, 600_000)
    assert quarter.net_pence == -1_350_000


def test_at_the_baseline_there_is_neither_payment_nor_penalty() -> None:
    quarter = payment_by_results(BINARY, FREQUENCY, Cohort(offenders=200, reoffenders=90, reoffences=320))

    assert (quarter.net_pence, quarter.binary.reason) == (0, "at the baseline: no payment, no penalty")


def test_improvement_beyond_the_stretch_cap_is_not_paid() -> None:
    """60 of 200 (30%) is 15 points under the baseline; the cap counts 10: 20 × £1,500 = £30,000."""
    capped = PbrTerms(Measure.BINARY, Fraction(45, 100), 150_000, 75_000, stretch_cap=Fraction(10, 100))
    quarter = payment_by_results(capped, FREQUENCY, Cohort(offenders=200, reoffenders=60, reoffences=320))

    assert quarter.binary.payment_pence == 3_000_000
    assert quarter.binary.reason == "better than the baseline (capped at the stretch)"


def test_a_penalty_cap_limits_the_penalty() -> None:
    capped = PbrTerms(Measure.BINARY, Fraction(45, 100), 150_000, 75_000, penalty_cap_pence=500_000)
    quarter = payment_by_results(capped, FREQUENCY, Cohort(offenders=200, reoffenders=100, reoffences=320))

    assert quarter.binary.penalty_pence == 500_000


def test_an_empty_cohort_is_stated_not_scored() -> None:
    quarter = payment_by_results(BINARY, FREQUENCY, Cohort(offenders=0, reoffenders=0, reoffences=0))

    assert (quarter.binary.rate, quarter.binary.reason) == (None, "the cohort is empty: nothing to measure")
