"""Continuous improvement plan items: recording one, moving it on, and what is due soon or overdue."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.calendar import WorkingCalendar
from commissioning.improvement.cip import (
    CipItem,
    CipStatus,
    DueItem,
    due,
    for_review,
    mark_done,
    new_item,
    record_progress,
)
from commissioning.improvement.steps import ImprovementProblem, Step, StepInput

TODAY = date(2026, 10, 20)  # the Q2 2026/27 quarterly meeting
FEEDBACK = "Three victims said they did not know who their caseworker was."
CALLBACK = StepInput("Named caseworker in the first letter", "2026-11-30")
CALENDAR = WorkingCalendar()


def item(deadline: str = "2027-01-29", milestones: tuple[StepInput, ...] = (CALLBACK,)) -> CipItem:
    return new_item(
        "Name the caseworker at first contact",
        "Head of Service, North",
        deadline,
        list(milestones),
        FEEDBACK,
        TODAY,
    )


def test_an_item_keeps_what_who_when_its_milestones_and_the_feedback_behind_it() -> None:
    assert item() == CipItem(
        "Name the caseworker at first contact",
        "Head of Service, North",
        date(2027, 1, 29),
        (Step("Named caseworker in the first letter", date(2026, 11, 30)),),
        FEEDBACK,
    )


def test_every_problem_comes_back_at_once_keyed_by_field() -> None:
    with pytest.raises(ImprovementProblem) as raised:
        new_item("", " ", "2026-10-19", [StepInput("Letter", "someday")], "", TODAY)
    assert raised.value.errors == {
        "what": "Say what will be improved.",
        "owner": "Say who owns this improvement.",
        "deadline": "That date is not in the future. Choose a date after today.",
        "milestones.0.due": "Choose a due date.",
    }


def test_a_milestone_after_the_deadline_is_refused() -> None:
    with pytest.raises(ImprovementProblem) as raised:
        item(deadline="2026-11-27")
    assert raised.value.errors == {
        "milestones.0.due": "This falls after the deadline, Friday 27 November 2026. Choose a date by then."
    }


def test_progress_then_done_with_the_day_it_was_done() -> None:
    moving = record_progress(item(), "Letter template changed")
    assert moving.status is CipStatus.IN_PROGRESS
    done = mark_done(moving, "All first letters name the caseworker", date(2027, 1, 15))
    assert (done.status, done.done_on) == (CipStatus.DONE, date(2027, 1, 15))
    with pytest.raises(ImprovementProblem, match="done, so it cannot be changed"):
        record_progress(done, "More")


def test_a_milestone_due_within_five_working_days_is_due_soon() -> None:
    # Monday 23 November 2026: the milestone due Monday 30 November is 5 working days away.
    assert due({"CIP-3": item()}, date(2026, 11, 23), CALENDAR) == [
        DueItem("CIP-3", "Named caseworker in the first letter", date(2026, 11, 30), False, 0)
    ]


def test_six_working_days_away_is_not_yet_due_soon() -> None:
    assert due({"CIP-3": item()}, date(2026, 11, 20), CALENDAR) == []


def test_a_milestone_past_its_date_is_overdue_and_comes_first() -> None:
    # Tuesday 26 January 2027: the milestone is overdue, the deadline (Friday 29th) due soon.
    assert due({"CIP-3": item()}, date(2027, 1, 26), CALENDAR) == [
        DueItem("CIP-3", "Named caseworker in the first letter", date(2026, 11, 30), True, 0),
        DueItem("CIP-3", "Name the caseworker at first contact", date(2027, 1, 29), False, None),
    ]


def test_bank_holidays_do_not_count_as_working_days() -> None:
    # Wednesday 23 December 2026 to Monday 4 January 2027 is 5 working days: Christmas Day, the Boxing
    # Day substitute (Monday 28th) and New Year's Day are not working days. Without them it would be 8.
    christmas = item(deadline="2027-01-04", milestones=())
    assert [d.due_on for d in due({"CIP-4": christmas}, date(2026, 12, 23), CALENDAR)] == [date(2027, 1, 4)]
    assert due({"CIP-4": item(deadline="2027-01-05", milestones=())}, date(2026, 12, 23), CALENDAR) == []


def test_a_done_item_is_never_due() -> None:
    done = mark_done(item(), "Done", date(2026, 11, 2))
    assert due({"CIP-3": done}, date(2027, 2, 1), CALENDAR) == []


def test_each_quarterly_meeting_reviews_open_items_and_those_done_since_the_last() -> None:
    items = {
        "CIP-1": mark_done(item(), "Done", date(2026, 9, 1)),  # done since the Q1 meeting on 21 July
        "CIP-2": mark_done(item(), "Done", date(2026, 7, 10)),  # done before the last meeting: reviewed then
        "CIP-3": item(),
    }
    assert for_review(items, since=date(2026, 7, 21)) == ["CIP-1", "CIP-3"]
