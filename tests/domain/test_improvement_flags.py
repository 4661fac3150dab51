"""Flagging a missed PI or KPI to the next quarterly contract meeting, worked examples."""

from __future__ import annotations

from commissioning.improvement.flags import PeriodResult, agenda_flags, flag_misses, meeting_quarter
from commissioning.indicators import Comparison
from commissioning.periods import Month, Quarter

Q1 = Quarter(2026, 1)  # April to June 2026
Q2 = Quarter(2026, 2)  # July to September 2026


def referrals(month: Month, value: float) -> PeriodResult:
    return PeriodResult("PI1", "Referrals contacted within 2 days", month, value, 90.0)


def test_a_pi_missed_mid_quarter_goes_to_that_quarters_meeting() -> None:
    # May 2026: 84% against at least 90% → the Q1 2026/27 meeting, held after June closes.
    [flag] = flag_misses([referrals(Month(2026, 5), 84.0)])
    assert flag.quarter == Q1
    assert flag.meeting.title == "Quarterly contract meeting: Q1 2026/27"


def test_a_pi_missed_in_a_quarters_last_month_goes_to_the_meeting_that_reviews_its_return() -> None:
    # June 2026 is Q1's last month: its return is reviewed at the Q1 meeting itself.
    [flag] = flag_misses([referrals(Month(2026, 6), 89.9)])
    assert flag.quarter == Q1


def test_a_pi_missed_in_the_first_month_of_a_quarter_waits_for_that_quarter_to_close() -> None:
    assert meeting_quarter(Month(2026, 7)) == Q2


def test_a_kpi_missed_in_a_quarter_goes_to_that_quarters_meeting() -> None:
    kpi = PeriodResult("KPI2", "Victims satisfied with the service", Q2, 78.0, 85.0)
    [flag] = flag_misses([kpi])
    assert flag.meeting.title == "Quarterly contract meeting: Q2 2026/27"


def test_a_result_that_meets_the_requirement_is_not_flagged() -> None:
    assert flag_misses([referrals(Month(2026, 5), 90.0)]) == []


def test_no_value_or_no_requirement_is_not_a_miss() -> None:
    no_value = PeriodResult("PI1", "Referrals", Month(2026, 5), None, 90.0)
    no_requirement = PeriodResult("PI9", "Self-referrals", Month(2026, 5), 12.0, None)
    assert flag_misses([no_value, no_requirement]) == []


def test_a_ceiling_is_missed_when_the_value_is_above_it() -> None:
    # "At most 40 days" waiting: 41 is a miss, 40 is not.
    wait = PeriodResult("PI4", "Days waiting for support", Month(2026, 8), 41.0, 40.0, Comparison.AT_MOST)
    at_ceiling = PeriodResult("PI4", "Days waiting", Month(2026, 9), 40.0, 40.0, Comparison.AT_MOST)
    assert [f.result.period for f in flag_misses([wait, at_ceiling])] == [Month(2026, 8)]


def test_a_miss_found_after_its_meeting_was_held_goes_to_the_next_meeting() -> None:
    # May 2026's return amended in August, after the Q1 meeting was held: it goes to Q2's.
    [flag] = flag_misses([referrals(Month(2026, 5), 84.0)], held={Q1})
    assert flag.quarter == Q2


def test_contract_years_starting_in_january_use_their_own_quarters() -> None:
    [flag] = flag_misses([referrals(Month(2026, 5), 84.0)], start_month=1)
    assert flag.meeting.title == "Quarterly contract meeting: Q2 2026"


def test_each_meeting_gets_only_its_own_flags_in_order_of_indicator_then_period() -> None:
    kpi = PeriodResult("KPI2", "Victims satisfied", Q1, 78.0, 85.0)
    flags = flag_misses(
        [
            referrals(Month(2026, 8), 80.0),
            referrals(Month(2026, 5), 84.0),
            kpi,
            referrals(Month(2026, 4), 88.0),
        ]
    )
    on_q1 = agenda_flags(flags, Q1)
    assert [(f.result.code, f.result.period) for f in on_q1] == [
        ("KPI2", Q1),
        ("PI1", Month(2026, 4)),
        ("PI1", Month(2026, 5)),
    ]
