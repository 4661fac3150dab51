"""Persistent breach: a plan missed, a repeat miss while a plan is open, or two periods running."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from commissioning.improvement.breaches import (
    BreachReason,
    can_breach,
    describe,
    missed_plans,
    months_in_reach,
    persistent_breaches,
    repeat_misses,
)
from commissioning.improvement.flags import PeriodResult
from commissioning.improvement.pips import Pip, PipStatus
from commissioning.improvement.steps import Step
from commissioning.indicators import Comparison
from commissioning.periods import Month, Quarter

NAME = "Referrals contacted within 2 days"
# Agreed at the Q1 meeting on 21 July 2026 after June's 84%: back to 90% by 31 October 2026.
PLAN = Pip(
    "PI1",
    NAME,
    90.0,
    Comparison.AT_LEAST,
    date(2026, 7, 21),
    date(2026, 10, 31),
    (Step("Recruit two caseworkers", date(2026, 8, 28)),),
)


def pi1(month: int, value: float) -> PeriodResult:
    return PeriodResult("PI1", NAME, Month(2026, month), value, 90.0)


def test_the_same_pi_missed_two_months_running_is_a_breach_with_both_months() -> None:
    [breach] = repeat_misses([pi1(8, 84.0), pi1(9, 86.0)])
    assert breach.reasons == (BreachReason.MISSED_TWICE_RUNNING,)
    assert [(r.period, r.value) for r in breach.evidence] == [(Month(2026, 8), 84.0), (Month(2026, 9), 86.0)]
    assert breach.key == "PI1:2026-09"


def test_misses_with_a_month_between_them_are_not_a_breach_without_a_plan() -> None:
    assert repeat_misses([pi1(8, 84.0), pi1(9, 91.0), pi1(10, 86.0)]) == []


def test_the_same_kpi_missed_two_quarters_running_is_a_breach() -> None:
    q1 = PeriodResult("KPI2", "Victims satisfied", Quarter(2026, 1), 78.0, 85.0)
    q2 = PeriodResult("KPI2", "Victims satisfied", Quarter(2026, 2), 81.0, 85.0)
    [breach] = repeat_misses([q1, q2])
    assert breach.key == "KPI2:2026Q2"


def test_missing_again_while_a_plan_is_open_is_a_breach_naming_the_plan() -> None:
    # June 84% led to the plan; July is fine; August 87% falls under the plan.
    [breach] = repeat_misses([pi1(6, 84.0), pi1(7, 90.0), pi1(8, 87.0)], {"PIP-7": PLAN})
    assert (breach.reasons, breach.plan_id, breach.key) == (
        (BreachReason.MISSED_DURING_PLAN,),
        "PIP-7",
        "PI1:2026-08",
    )
    assert breach.evidence == (pi1(8, 87.0),)


def test_the_month_the_plan_was_agreed_in_is_not_under_it() -> None:
    # July began before the plan was agreed on 21 July: missing it is not yet a repeat under the plan.
    assert repeat_misses([pi1(7, 88.0)], {"PIP-7": PLAN}) == []


def test_a_plan_already_met_no_longer_counts() -> None:
    met = replace(PLAN, status=PipStatus.MET, outcome=PipStatus.MET)
    assert repeat_misses([pi1(8, 91.0), pi1(9, 87.0)], {"PIP-7": met}) == []


def test_falling_short_in_the_deadlines_month_is_a_missed_plan_with_the_whole_story() -> None:
    results = [pi1(6, 84.0), pi1(7, 90.0), pi1(8, 85.0), pi1(9, 87.0), pi1(10, 88.5)]
    [breach] = missed_plans(results, {"PIP-7": PLAN})
    assert breach.reasons == (BreachReason.PLAN_MISSED,)
    assert breach.key == "PI1:plan:PIP-7"
    # June's miss that led to the plan, then every month from August to October.
    assert [(r.period.month, r.value) for r in breach.evidence] == [
        (6, 84.0),
        (8, 85.0),
        (9, 87.0),
        (10, 88.5),
    ]


def test_reaching_the_level_once_before_the_deadline_is_not_a_missed_plan() -> None:
    assert missed_plans([pi1(9, 90.0), pi1(10, 88.0)], {"PIP-7": PLAN}) == []


def test_no_missed_plan_until_the_deadlines_result_is_in() -> None:
    assert missed_plans([pi1(8, 85.0), pi1(9, 87.0)], {"PIP-7": PLAN}) == []


def test_a_plan_declared_missed_is_a_breach_even_before_any_result() -> None:
    missed = replace(PLAN, status=PipStatus.MISSED, outcome=PipStatus.MISSED)
    [breach] = missed_plans([], {"PIP-7": missed})
    assert breach.evidence == ()


def test_a_closed_missed_plan_is_still_a_breach_and_a_closed_met_one_is_not() -> None:
    closed_missed = replace(PLAN, status=PipStatus.CLOSED, outcome=PipStatus.MISSED)
    closed_met = replace(PLAN, status=PipStatus.CLOSED, outcome=PipStatus.MET)
    assert [b.plan_id for b in missed_plans([pi1(10, 95.0)], {"A": closed_missed, "B": closed_met})] == ["A"]


def test_all_breaches_together_with_one_key_each() -> None:
    results = [pi1(6, 84.0), pi1(7, 90.0), pi1(8, 85.0), pi1(9, 87.0), pi1(10, 88.5)]
    keys = [(b.key, b.reasons) for b in persistent_breaches(results, {"PIP-7": PLAN})]
    assert keys == [
        ("PI1:plan:PIP-7", (BreachReason.PLAN_MISSED,)),
        ("PI1:2026-08", (BreachReason.MISSED_DURING_PLAN,)),
        ("PI1:2026-09", (BreachReason.MISSED_TWICE_RUNNING, BreachReason.MISSED_DURING_PLAN)),
        ("PI1:2026-10", (BreachReason.MISSED_TWICE_RUNNING,)),
    ]


def test_the_rule_reads_only_misses_and_the_results_of_an_indicator_under_a_plan() -> None:
    pi2 = PeriodResult("PI2", "Victims contacted", Month(2026, 8), 99.0, 95.0)
    assert [can_breach(r, {"PI1"}) for r in (pi1(7, 90.0), pi1(8, 85.0), pi2)] == [True, True, False]
    assert [can_breach(r, set()) for r in (pi1(7, 90.0), pi1(8, 85.0), pi2)] == [False, True, False]


def test_leaving_out_what_cannot_breach_changes_no_breach() -> None:
    pi2 = [
        PeriodResult("PI2", "Victims contacted", Month(2026, m), v, 95.0)
        for m, v in [(7, 90), (8, 99), (9, 91), (10, 92)]
    ]
    results = [pi1(6, 84.0), pi1(7, 90.0), pi1(8, 85.0), pi1(9, 87.0), pi1(10, 91.0), *pi2]
    plans = {"PIP-7": PLAN}
    kept = [r for r in results if can_breach(r, {"PI1"})]

    assert len(kept) == 8
    assert persistent_breaches(kept, plans) == persistent_breaches(results, plans)
    assert [b.key for b in persistent_breaches(kept, plans)] == [
        "PI1:2026-08",
        "PI1:2026-09",
        "PI2:2026-10",
    ]


def test_the_director_reads_the_breach_in_one_line() -> None:
    [breach] = repeat_misses([pi1(8, 84.0), pi1(9, 86.0)])
    assert describe(breach) == (
        "Referrals contacted within 2 days (PI1): missed in two periods running. "
        "August 2026: 84 against 90; September 2026: 86 against 90."
    )
    [plan_breach] = missed_plans([pi1(10, 88.5)], {"PIP-7": PLAN})
    assert describe(plan_breach).endswith(
        "October 2026: 88.5 against 90. Plan: 90 by Saturday 31 October 2026."
    )


def test_the_months_in_reach_are_those_reported_since_the_reach_day_and_the_month_either_side() -> None:
    reported = {
        Month(2026, 3): date(2026, 4, 6),
        Month(2026, 4): date(2026, 5, 6),
        Month(2026, 5): date(2026, 11, 3),  # sent six months late
        Month(2026, 6): date(2026, 7, 7),
        Month(2026, 9): date(2026, 10, 6),
        Month(2026, 10): date(2026, 11, 5),
    }

    kept = months_in_reach(reported, date(2026, 10, 6))

    assert sorted(kept) == [
        Month(2026, 4),
        Month(2026, 5),
        Month(2026, 6),
        Month(2026, 8),
        Month(2026, 9),
        Month(2026, 10),
        Month(2026, 11),
    ]


def test_leaving_out_the_months_out_of_reach_changes_no_breach_that_is_not_stale() -> None:
    results = [pi1(m, 80.0) for m in range(1, 11)]
    reported = {
        r.period: r.period.last_day + timedelta(days=6) for r in results if isinstance(r.period, Month)
    }
    reach = date(2026, 9, 1)
    kept = [r for r in results if r.period in months_in_reach(reported, reach)]

    def fresh(found: list[PeriodResult]) -> list[str]:
        return [
            b.key
            for b in repeat_misses(found)
            if max(reported[e.period] for e in b.evidence if isinstance(e.period, Month)) >= reach
        ]

    assert fresh(kept) == fresh(results) == ["PI1:2026-08", "PI1:2026-09", "PI1:2026-10"]
