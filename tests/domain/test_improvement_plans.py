"""Performance improvement plans: agreeing one, the errors keyed by field, and the states it moves through."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.improvement.pips import (
    Pip,
    PipStatus,
    agree_plan,
    close,
    complete_action,
    complete_milestone,
    declare_missed,
    mark_on_track,
    record_result,
    standing,
)
from commissioning.improvement.steps import ImprovementProblem, Step, StepInput, StepStatus
from commissioning.indicators import Comparison, IndicatorKind, IndicatorSpec
from commissioning.periods import Month

# Agreed at the Q1 2026/27 quarterly meeting on Tuesday 21 July 2026: PI1 back to 90% by 31 October.
AGREED_ON = date(2026, 7, 21)
PI1 = IndicatorSpec("PI1", "Referrals contacted within 2 days", IndicatorKind.PERCENTAGE, requirement=90.0)
RECRUIT = StepInput("Recruit two caseworkers", "2026-08-28")
HALFWAY = StepInput("Contact rate at 87% for September", "2026-09-30")


def agreed() -> Pip:
    return agree_plan(PI1, "90", "2026-10-31", [RECRUIT], [HALFWAY], AGREED_ON)


def problems(
    level: object = "90",
    by: object = "2026-10-31",
    actions: tuple[StepInput, ...] = (RECRUIT,),
    milestones: tuple[StepInput, ...] = (HALFWAY,),
) -> dict[str, str]:
    with pytest.raises(ImprovementProblem) as raised:
        agree_plan(PI1, level, by, list(actions), list(milestones), AGREED_ON)
    return raised.value.errors


def test_an_agreed_plan_holds_the_indicator_level_deadline_actions_and_milestones() -> None:
    assert agreed() == Pip(
        "PI1",
        "Referrals contacted within 2 days",
        90.0,
        Comparison.AT_LEAST,
        AGREED_ON,
        date(2026, 10, 31),
        (Step("Recruit two caseworkers", date(2026, 8, 28)),),
        (Step("Contact rate at 87% for September", date(2026, 9, 30)),),
    )


def test_a_level_that_is_not_a_number_is_refused_beside_the_level() -> None:
    assert problems(level="ninety") == {"level": "Enter a number, for example 42 or 87.5."}


def test_a_percentage_level_above_100_is_refused() -> None:
    assert problems(level="120") == {"level": "Enter a value from 0% to 100%."}


def test_a_deadline_in_the_past_is_refused() -> None:
    assert problems(by="2026-07-01", milestones=()) == {
        "by": "That date is not in the future. Choose a date after today."
    }


def test_a_milestone_after_the_deadline_is_refused_beside_that_milestone() -> None:
    late = StepInput("Contact rate at 90%", "2026-11-30")
    assert problems(milestones=(HALFWAY, late)) == {
        "milestones.1.due": "This falls after the deadline, Saturday 31 October 2026. Choose a date by then."
    }


def test_an_action_due_in_the_past_is_refused_beside_that_action() -> None:
    assert problems(actions=(StepInput("Recruit", "2026-07-20"),)) == {
        "actions.0.due": "The due date has passed. Choose today or a later date."
    }


def test_every_problem_comes_back_at_once() -> None:
    errors = problems(level="", by="not a date", actions=(), milestones=(StepInput("", "2026-09-30"),))
    assert errors == {
        "level": "Enter a value.",
        "by": "Choose a date.",
        "actions": "Add at least one action: what the provider will do to reach the level.",
        "milestones.0.what": "Say what is to be done.",
    }


def test_on_track_needs_a_note() -> None:
    with pytest.raises(ImprovementProblem) as raised:
        mark_on_track(agreed(), "  ", date(2026, 8, 10))
    assert raised.value.errors == {"note": "Say what has been done since the plan was agreed."}


def test_completing_a_milestone_records_the_day() -> None:
    plan = complete_milestone(agreed(), 0, date(2026, 9, 29))
    assert plan.milestones[0] == Step(
        "Contact rate at 87% for September", date(2026, 9, 30), StepStatus.DONE, date(2026, 9, 29)
    )


def test_on_track_is_refused_while_a_milestone_is_overdue() -> None:
    # 1 October 2026: the caseworkers are recruited, but the September milestone (due 30 September) is not met.
    plan = complete_action(agreed(), 0, date(2026, 8, 24))
    with pytest.raises(ImprovementProblem, match="was due on Wednesday 30 September 2026"):
        mark_on_track(plan, "Caseworkers started", date(2026, 10, 1))


def test_on_track_with_a_note_and_nothing_overdue() -> None:
    plan = mark_on_track(agreed(), "Two caseworkers started on 24 August", date(2026, 8, 20))
    assert (plan.status, plan.progress) == (PipStatus.ON_TRACK, "Two caseworkers started on 24 August")


def test_reaching_the_level_before_the_deadline_meets_the_plan() -> None:
    # September 2026: 91% against a level of 90% by 31 October.
    plan = record_result(agreed(), Month(2026, 9), 91.0)
    assert (plan.status, plan.outcome) == (PipStatus.MET, PipStatus.MET)


def test_falling_short_before_the_deadline_leaves_the_plan_open() -> None:
    assert record_result(agreed(), Month(2026, 9), 86.0).status is PipStatus.AGREED


def test_falling_short_in_the_deadlines_month_misses_the_plan() -> None:
    # October 2026 (the deadline's month): 88.5% against 90%.
    plan = record_result(agreed(), Month(2026, 10), 88.5)
    assert (plan.status, plan.outcome) == (PipStatus.MISSED, PipStatus.MISSED)


def test_a_ceiling_plan_is_met_at_or_below_its_level() -> None:
    wait = IndicatorSpec(
        "PI4", "Days waiting", IndicatorKind.WHOLE_NUMBER, requirement=40, comparison=Comparison.AT_MOST
    )
    plan = agree_plan(wait, "40", "2026-10-31", [RECRUIT], [], AGREED_ON)
    assert record_result(plan, Month(2026, 10), 40.0).status is PipStatus.MET


def test_a_result_from_before_the_plan_is_refused() -> None:
    with pytest.raises(ImprovementProblem, match="before the plan was agreed"):
        record_result(agreed(), Month(2026, 6), 84.0)


def test_not_taking_the_remedial_action_misses_the_plan_with_a_reason() -> None:
    plan = declare_missed(agreed(), "No caseworker recruited by October")
    assert (plan.status, plan.outcome) == (PipStatus.MISSED, PipStatus.MISSED)


def test_an_open_plan_cannot_be_closed() -> None:
    with pytest.raises(ImprovementProblem, match="still open"):
        close(agreed(), "No longer needed")


def test_closing_a_met_plan_keeps_its_outcome() -> None:
    plan = close(record_result(agreed(), Month(2026, 9), 91.0), "Sustained at 91% for a month")
    assert (plan.status, plan.outcome) == (PipStatus.CLOSED, PipStatus.MET)
    assert standing(plan, PI1, date(2026, 11, 3)) == (
        "Closed: Referrals contacted within 2 days to reach at least 90% by Saturday 31 October 2026 (met)."
    )


def test_a_closed_plan_cannot_be_changed() -> None:
    plan = close(declare_missed(agreed(), "No recruitment"), "Breach reported to the director")
    with pytest.raises(ImprovementProblem, match="closed, so it cannot be changed"):
        record_result(plan, Month(2026, 10), 95.0)


def test_standing_counts_overdue_steps() -> None:
    assert standing(agreed(), PI1, date(2026, 10, 1)) == (
        "Agreed: Referrals contacted within 2 days to reach at least 90% by Saturday 31 October 2026, "
        "2 steps overdue."
    )
