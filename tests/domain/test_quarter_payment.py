"""The quarterly outcome payment, worked through for a three-year contract shaped like seed 001's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

import pytest

from commissioning.indicators import Rag
from commissioning.periods import Month, Quarter
from commissioning.quarter import (
    Approval,
    ContractTerm,
    Kpi,
    earned_pence,
    even_shares,
    kpis_from_list,
    outcome_payment,
    outcome_pot,
    quarter_summary,
)
from commissioning.quarter.payment import achievement_rag

# 1 April 2026 to 31 March 2029: twelve quarters. £4,800,000, a quarter of it on outcomes:
# £1,200,000 over twelve quarters is £100,000 a quarter.
TERM = ContractTerm(date(2026, 4, 1), date(2029, 3, 31))
VALUE = 480_000_000  # pence
SHARE = Fraction(1, 4)
YEAR_1_Q1, YEAR_2_Q1 = Quarter(2026, 1), Quarter(2027, 1)

KPIS: tuple[Kpi, ...] = kpis_from_list(
    [
        {  # referral volumes: live from the start; its weight falls as the outcome KPIs take over
            "code": "REF",
            "name": "Referrals received",
            "source": "sum",
            "pi": "referrals",
            "targets": {1: 900, 2: 1000},
            "weights": {1: 30, 2: 20},
            "banding": {"floor": 0.8},
        },
        {  # user satisfaction: live from the start, all or nothing at 85%
            "code": "SAT",
            "name": "Service users satisfied",
            "source": "ratio",
            "numerator": "satisfied",
            "denominator": "surveyed",
            "scale": 100,
            "targets": {1: 85},
            "weights": {1: 20, 2: 30},
        },
        {  # Victims' Code compliance: year 1 sets the baseline, live from year 2
            "code": "VCOP",
            "name": "Victims' Code compliance",
            "source": "reported",
            "baseline_year": 1,
            "live_from_year": 2,
            "targets": {2: 90},
            "weights": {2: 50},
        },
    ]
)


def returns(
    quarter: Quarter, referrals: tuple[int, int, int], satisfied: int, surveyed: int
) -> dict[Month, Any]:
    """Three monthly returns; satisfaction is surveyed in the quarter's last month."""
    first, second, third = quarter.months
    return {
        first: {"referrals": referrals[0], "satisfied": 0, "surveyed": 0},
        second: {"referrals": referrals[1], "satisfied": 0, "surveyed": 0},
        third: {"referrals": referrals[2], "satisfied": satisfied, "surveyed": surveyed},
    }


def test_the_pot_is_the_outcome_share_spread_over_the_contracts_quarters() -> None:
    assert len(TERM.quarters) == 12
    assert outcome_pot(TERM, VALUE, SHARE, YEAR_1_Q1) == 10_000_000  # £100,000.00


def test_odd_pennies_of_the_pot_fall_in_the_later_quarters() -> None:
    assert even_shares(10_000, 3) == (3333, 3333, 3334)


def test_year_1_a_baseline_kpi_does_not_count_and_the_live_weights_renormalise() -> None:
    """REF 855 of 900 with a floor of 720 earns (855 - 720) / 180 = 0.75; SAT 170 of 200 = 85% earns 1.

    VCOP is in its baseline year: its 78% is shown, with no target and no weight. REF's 30 and SAT's 20
    are the only live weights, so they count as 30/50 = 0.6 and 20/50 = 0.4:
    0.75 × 0.6 + 1 × 0.4 = 0.85 of £100,000 = £85,000.
    """
    paid = outcome_payment(
        KPIS, TERM, VALUE, SHARE, YEAR_1_Q1, returns(YEAR_1_Q1, (300, 310, 245), 170, 200), {"VCOP": 78}
    )

    ref, sat, vcop = paid.lines
    assert (ref.achievement, ref.share, sat.achievement, sat.share) == (
        Fraction(3, 4),
        Fraction(3, 5),
        Fraction(1),
        Fraction(2, 5),
    )
    assert (vcop.live, vcop.result.value, vcop.target, vcop.weight) == (False, 78, None, None)
    assert (paid.weighted_achievement, paid.payment_pence) == (Fraction(17, 20), 8_500_000)
    assert paid.reasons == (
        "VCOP is in its baseline year (year 1): it collects data, with no target or weight",
    )


def test_each_live_kpi_earns_its_share_of_the_pot_and_a_baseline_kpi_earns_nothing() -> None:
    """Year 1, Q1: REF 0.75 × 0.6 × £100,000 = £45,000; SAT 1 × 0.4 × £100,000 = £40,000; VCOP none."""
    paid = outcome_payment(
        KPIS, TERM, VALUE, SHARE, YEAR_1_Q1, returns(YEAR_1_Q1, (300, 310, 245), 170, 200), {"VCOP": 78}
    )

    assert [earned_pence(paid.pot_pence, line) for line in paid.lines] == [4_500_000, 4_000_000, None]


def test_year_2_the_weights_change_and_the_baseline_kpi_goes_live() -> None:
    """REF 950 of 1000 (floor 800) earns 0.75; SAT 160 of 200 = 80% misses 85% and earns 0; VCOP 90 earns 1.

    Weights 20, 30 and 50 of 100: 0.75 × 0.2 + 0 × 0.3 + 1 × 0.5 = 0.65 of £100,000 = £65,000.
    """
    paid = outcome_payment(
        KPIS, TERM, VALUE, SHARE, YEAR_2_Q1, returns(YEAR_2_Q1, (320, 330, 300), 160, 200), {"VCOP": 90}
    )

    assert [line.share for line in paid.lines] == [Fraction(1, 5), Fraction(3, 10), Fraction(1, 2)]
    assert [line.achievement for line in paid.lines] == [Fraction(3, 4), Fraction(0), Fraction(1)]
    assert (paid.year, paid.weighted_achievement, paid.payment_pence, paid.reasons) == (
        2,
        Fraction(13, 20),
        6_500_000,
        (),
    )


def test_a_quarter_with_no_data_has_no_payment_and_says_why() -> None:
    paid = outcome_payment(KPIS, TERM, VALUE, SHARE, YEAR_2_Q1, {}, {})

    assert (paid.pot_pence, paid.weighted_achievement, paid.payment_pence) == (10_000_000, None, None)
    no_returns = "no data: April 2027 has no return; May 2027 has no return; June 2027 has no return"
    assert paid.reasons == (
        f"REF has no result: {no_returns}",
        f"SAT has no result: {no_returns}",
        "VCOP has no result: no result for VCOP in the Q1 2027/28 KPI return",
    )


def test_one_kpi_without_data_holds_the_payment_back_rather_than_counting_as_zero() -> None:
    paid = outcome_payment(KPIS, TERM, VALUE, SHARE, YEAR_2_Q1, returns(YEAR_2_Q1, (320, 330, 300), 160, 200))

    assert paid.payment_pence is None
    assert paid.reasons == ("VCOP has no result: no result for VCOP in the Q1 2027/28 KPI return",)


def test_a_quarter_with_no_live_kpi_is_stated() -> None:
    only_vcop = KPIS[2:]
    paid = outcome_payment(only_vcop, TERM, VALUE, SHARE, YEAR_1_Q1, {}, {"VCOP": 78})

    assert paid.payment_pence is None
    assert paid.reasons[-1] == "no KPI is live in year 1, so there is no outcome payment to work out"


def test_a_quarter_outside_the_contract_is_refused() -> None:
    with pytest.raises(ValueError, match="Q1 2029/30 is outside the contract"):
        outcome_payment(KPIS, TERM, VALUE, SHARE, Quarter(2029, 1), {})


def test_the_summary_prints_the_quarter_as_the_command_line_shows_it() -> None:
    paid = outcome_payment(
        KPIS, TERM, VALUE, SHARE, YEAR_1_Q1, returns(YEAR_1_Q1, (300, 310, 245), 170, 200), {"VCOP": 78}
    )
    approval = Approval("ana@mopac.example", datetime(2026, 7, 20, 10, 30, tzinfo=UTC), 8_500_000)

    assert quarter_summary("IVWS", paid, approval).as_json() == {
        "contract": "IVWS",
        "quarter": "2026Q1",
        "pot": "100000.00",
        "kpis": [
            {
                "code": "REF",
                "name": "Referrals received",
                "live": True,
                "baseline_year": False,
                "result": 855.0,
                "target": 900.0,
                "achievement": 0.75,
                "weight": 30.0,
            },
            {
                "code": "SAT",
                "name": "Service users satisfied",
                "live": True,
                "baseline_year": False,
                "result": 85.0,
                "target": 85.0,
                "achievement": 1.0,
                "weight": 20.0,
            },
            {
                "code": "VCOP",
                "name": "Victims' Code compliance",
                "live": False,
                "baseline_year": True,
                "result": 78.0,
                "target": None,
                "achievement": None,
                "weight": None,
            },
        ],
        "weighted_achievement": 0.85,
        "payment": "85000.00",
        "approved": {
            "by": "ana@mopac.example",
            "at": "2026-07-20T10:30:00+00:00",
            "amount": "85000.00",
            "reason": "",
        },
        "fee_for_service": None,
        "pbr": None,
        "total": "85000.00",
    }


def test_an_unworked_payment_prints_as_null_never_zero() -> None:
    shown = quarter_summary("IVWS", outcome_payment(KPIS, TERM, VALUE, SHARE, YEAR_2_Q1, {}, {})).as_json()

    assert (shown["pot"], shown["weighted_achievement"], shown["payment"], shown["approved"]) == (
        "100000.00",
        None,
        None,
        None,
    )


def test_a_live_kpi_is_rated_green_at_full_achievement_red_at_none_and_amber_between() -> None:
    assert achievement_rag(Fraction(1)) is Rag.GREEN
    assert achievement_rag(Fraction(3, 4)) is Rag.AMBER
    assert achievement_rag(Fraction(0)) is Rag.RED
    assert achievement_rag(None) is None
