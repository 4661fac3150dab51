"""Worked examples for where a contract stands: PI ratings, each KPI in its latest quarter with a result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from commissioning.indicators import IndicatorKind, IndicatorSpec, Rag
from commissioning.periods import Month, Quarter
from commissioning.quarter import ContractTerm, KpiStatus, kpis_from_list
from commissioning.standing import (
    KpiStanding,
    kpi_standing,
    number_text,
    pi_standings,
    quarters_back,
    rag_tally,
)

# A contract from April 2025; contract year 2 starts in April 2026, so Q2 2026/27 is year 2.
TERM = ContractTerm(date(2025, 4, 1), date(2029, 3, 31))
REF, SAT, COPE, LATER, BASE = kpis_from_list(
    [
        {"code": "REF", "name": "Referrals", "source": "sum", "pi": "PI1", "targets": {1: 7500},
         "weights": {1: 50}, "banding": {"floor": 0.8}},
        {"code": "SAT", "name": "Satisfaction", "source": "mean", "pi": "PI6", "targets": {1: 80},
         "weights": {1: 50}, "banding": {"floor": 0.9}},
        {"code": "COPE", "name": "Coping", "source": "reported", "baseline_year": 1, "live_from_year": 2,
         "targets": {2: 75}, "weights": {2: 25}},
        {"code": "LATER", "name": "From year 3", "source": "sum", "pi": "PI1", "live_from_year": 3,
         "targets": {3: 1}, "weights": {3: 1}},
        {"code": "BASE", "name": "Baseline first", "source": "sum", "pi": "PI1", "baseline_year": 1,
         "live_from_year": 2, "targets": {2: 100}, "weights": {2: 1}},
    ]
)  # fmt: skip
Q2 = Quarter(2026, 2)  # July to September 2026


def q2_months(
    pi1: tuple[float, float, float], pi6: tuple[float, float, float]
) -> dict[Month, dict[str, float]]:
    return {month: {"PI1": a, "PI6": b} for month, a, b in zip(Q2.months, pi1, pi6, strict=True)}


def test_a_kpi_at_its_target_is_green_with_its_quarter_result_and_target() -> None:
    # 2,600 + 2,450 + 2,550 = 7,600 referrals against 7,500.
    standing = kpi_standing(REF, TERM, q2_months((2600, 2450, 2550), (80, 80, 80)), Q2)

    assert (standing.quarter, standing.result, standing.target) == (Q2, Fraction(7600), Decimal(7500))
    assert (standing.rating, standing.words) == (Rag.GREEN, "✔ Green")


def test_a_kpi_short_of_its_target_but_above_its_floor_is_amber() -> None:
    # Mean satisfaction (78 + 79 + 80) / 3 = 79 against 80, floor 72: achievement 7/8.
    standing = kpi_standing(SAT, TERM, q2_months((0, 0, 0), (78, 79, 80)), Q2)

    assert (standing.result, standing.achievement) == (Fraction(79), Fraction(7, 8))
    assert (standing.rating, standing.words) == (Rag.AMBER, "▲ Amber")


def test_a_kpi_at_or_below_its_floor_is_red() -> None:
    standing = kpi_standing(SAT, TERM, q2_months((0, 0, 0), (70, 72, 71)), Q2)

    assert (standing.achievement, standing.rating, standing.words) == (Fraction(0), Rag.RED, "✖ Red")


def test_a_quarter_missing_a_month_is_passed_over_for_the_one_before() -> None:
    # September is missing, so Q2 has no result; Q1 (April to June 2026) has all three months.
    months = {m: {"PI1": 2500.0, "PI6": 80.0} for m in Quarter(2026, 1).months}
    months[Q2.months[0]] = {"PI1": 9999.0, "PI6": 80.0}

    standing = kpi_standing(REF, TERM, months, Q2)

    assert (standing.quarter, standing.result, standing.rating) == (Quarter(2026, 1), 7500, Rag.GREEN)


def test_a_kpi_with_no_result_in_any_quarter_says_no_result_yet_and_is_not_rated_red() -> None:
    # COPE is reported in the quarterly KPI return, which the monthly returns do not hold.
    standing = kpi_standing(COPE, TERM, q2_months((1, 1, 1), (1, 1, 1)), Q2)

    assert standing == KpiStanding(COPE, KpiStatus.LIVE)
    assert (standing.rating, standing.words) == (None, "no result yet")


def test_a_reported_kpi_takes_its_result_from_the_quarters_kpi_return() -> None:
    # COPE's year-2 target is 75; 70 is at or below its floor, so no achievement: red.
    reported = {Q2: {"COPE": 70.0}}

    standing = kpi_standing(COPE, TERM, q2_months((1, 1, 1), (1, 1, 1)), Q2, reported)

    assert (standing.quarter, standing.result, standing.target, standing.achievement) == (Q2, 70, 75, 0)
    assert standing.words == "✖ Red"


def test_a_kpi_not_yet_live_says_not_started() -> None:
    assert kpi_standing(LATER, TERM, {}, Q2).words == "not started"


def test_a_baseline_year_result_is_shown_without_a_rating() -> None:
    # Q4 2025/26 (January to March 2026) is in year 1, BASE's baseline year: a result, no target.
    q4 = Quarter(2025, 4)
    baseline = kpi_standing(BASE, TERM, {m: {"PI1": 40.0} for m in q4.months}, q4)

    assert (baseline.status, baseline.result, baseline.target) == (KpiStatus.BASELINE, 120, None)
    assert (baseline.rating, baseline.words) == (None, "baseline year: no target")


def test_the_quarters_looked_back_on_stop_at_the_contract_start_and_at_two_years() -> None:
    assert quarters_back(TERM, Quarter(2025, 2)) == [Quarter(2025, 2), Quarter(2025, 1)]
    assert len(quarters_back(TERM, Quarter(2028, 4))) == 8


def test_each_pi_is_rated_against_its_minimum_and_the_tally_says_it_in_words() -> None:
    specs = [
        IndicatorSpec("PI2", "Contacted", IndicatorKind.PERCENTAGE, requirement=90, amber_margin=5),
        IndicatorSpec("PI4", "High risk", IndicatorKind.COUNT, requirement=150, amber_margin=15),
        IndicatorSpec("PI6", "Satisfied", IndicatorKind.PERCENTAGE, requirement=80),
        IndicatorSpec("PI8", "Calls", IndicatorKind.COUNT),
    ]

    standings = pi_standings(specs, {"PI2": 87, "PI4": 120, "PI6": 84, "PI8": 12})

    assert [(s.shown, s.rating) for s in standings] == [
        ("87%", Rag.AMBER),
        ("120", Rag.RED),
        ("84%", Rag.GREEN),
        ("12", None),
    ]
    tally = rag_tally(s.rating for s in standings)
    assert (tally.words(), tally.unrated) == ("✖ 1 red · ▲ 1 amber · ✔ 1 green", 1)
    assert rag_tally([None]).words() == "nothing rated"


def test_results_are_written_with_thousands_and_at_most_two_decimals() -> None:
    assert [number_text(v) for v in (Fraction(7600), Fraction(250, 3), Decimal("80"))] == [
        "7,600",
        "83.33",
        "80",
    ]
