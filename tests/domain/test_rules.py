"""The rules built once at start-up: what each part of them is told, and what they refuse."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime, time

import pytest

from commissioning.deadlines import LONDON, review_deadline
from commissioning.rules import Rules


def test_closure_days_reach_the_meeting_deadline() -> None:
    rules = Rules.build(closures=[date(2026, 6, 8)])

    deadline = review_deadline(datetime(2026, 6, 1, 9, 0, tzinfo=UTC), rules.meetings)

    assert deadline.last_day == date(2026, 6, 9)


def test_closure_days_reach_working_hours() -> None:
    rules = Rules.build(closures=[date(2026, 6, 8)])

    assert rules.hours.next_working_morning(datetime(2026, 6, 5, 12, 0, tzinfo=UTC)) == datetime(
        2026, 6, 9, 9, 0, tzinfo=LONDON
    )


def test_the_deadline_rule_the_hours_and_the_turn_share_one_calendar() -> None:
    rules = Rules.build(closures=[date(2026, 6, 8)])

    assert rules.calendar is rules.meetings.calendar is rules.hours.calendar


def test_close_of_business_reaches_the_meeting_deadline() -> None:
    rules = Rules.build(close_of_business=time(16, 0))

    deadline = review_deadline(datetime(2026, 6, 1, 15, 30, tzinfo=UTC), rules.meetings)  # 16:30 BST

    assert deadline.receipt_day == date(2026, 6, 2)


def test_without_configuration_only_the_built_in_factor_set_is_offered() -> None:
    assert list(Rules.build().factor_sets) == ["re_procurement"]


def test_factor_sets_without_the_built_in_one_are_refused() -> None:
    with pytest.raises(ValueError, match="the built-in factor set 're_procurement' is missing"):
        Rules.build(factor_sets={})


def test_the_rules_cannot_be_changed_once_built() -> None:
    rules = Rules.build()

    with pytest.raises(FrozenInstanceError):
        rules.meetings = rules.meetings  # type: ignore[misc]
    with pytest.raises(TypeError):
        rules.factor_sets["extra"] = rules.factor_sets["re_procurement"]  # type: ignore[index]
