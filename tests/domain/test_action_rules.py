"""Action log rules: status changes, due-date requests and the escalation path monthly → quarterly → board."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from commissioning.actions import (
    ActionLevel,
    ActionProblem,
    ActionState,
    ActionStatus,
    approve_due_date,
    carry_to_quarterly,
    escalate_to_board,
    is_overdue,
    mark_done,
    new_action,
    record_progress,
    refuse_due_date,
    request_due_date,
    standing,
)

TODAY = date(2026, 11, 6)
OPEN = ActionState(ActionStatus.OPEN, ActionLevel.MONTHLY, date(2026, 11, 20))
ASKED = ActionState(ActionStatus.IN_PROGRESS, ActionLevel.MONTHLY, date(2026, 11, 20), date(2026, 12, 4))
DONE = ActionState(ActionStatus.DONE, ActionLevel.MONTHLY, date(2026, 11, 20))
QUARTERLY = ActionState(ActionStatus.OPEN, ActionLevel.QUARTERLY, date(2026, 11, 20))
BOARD = ActionState(ActionStatus.OPEN, ActionLevel.GOVERNANCE_BOARD, date(2026, 11, 20))


@pytest.mark.parametrize(
    ("change", "state", "expected"),
    [
        pytest.param(
            lambda s: record_progress(s, "Two new starters"),
            OPEN,
            ActionState(
                ActionStatus.IN_PROGRESS, ActionLevel.MONTHLY, date(2026, 11, 20), None, "Two new starters"
            ),
            id="progress-moves-to-in-progress",
        ),
        pytest.param(
            lambda s: mark_done(s, "Back at 92%"),
            ASKED,
            ActionState(ActionStatus.DONE, ActionLevel.MONTHLY, date(2026, 11, 20), None, "Back at 92%"),
            id="done-drops-a-pending-request",
        ),
        pytest.param(
            lambda s: request_due_date(s, date(2026, 12, 4), TODAY, "Recruitment"),
            OPEN,
            ActionState(ActionStatus.OPEN, ActionLevel.MONTHLY, date(2026, 11, 20), date(2026, 12, 4)),
            id="request-waits-for-a-decision",
        ),
        pytest.param(
            approve_due_date,
            ASKED,
            ActionState(ActionStatus.IN_PROGRESS, ActionLevel.MONTHLY, date(2026, 12, 4)),
            id="approve-moves-the-due-date",
        ),
        pytest.param(
            lambda s: refuse_due_date(s, "Needed for the quarterly meeting"),
            ASKED,
            ActionState(ActionStatus.IN_PROGRESS, ActionLevel.MONTHLY, date(2026, 11, 20)),
            id="refuse-keeps-the-due-date",
        ),
        pytest.param(
            carry_to_quarterly,
            OPEN,
            ActionState(ActionStatus.OPEN, ActionLevel.QUARTERLY, date(2026, 11, 20)),
            id="carry-to-quarterly",
        ),
        pytest.param(
            escalate_to_board,
            QUARTERLY,
            ActionState(ActionStatus.OPEN, ActionLevel.GOVERNANCE_BOARD, date(2026, 11, 20)),
            id="escalate-from-quarterly",
        ),
    ],
)
def test_allowed_changes(
    change: Callable[[ActionState], ActionState], state: ActionState, expected: ActionState
) -> None:
    assert change(state) == expected


@pytest.mark.parametrize(
    ("change", "state", "message", "field"),
    [
        pytest.param(
            lambda s: record_progress(s, "  "),
            OPEN,
            "Say what has happened since the last update.",
            "note",
            id="progress-needs-a-note",
        ),
        pytest.param(
            lambda s: mark_done(s, ""),
            OPEN,
            "Say what was done, so the meeting can close it.",
            "note",
            id="done-needs-a-note",
        ),
        pytest.param(
            lambda s: record_progress(s, "x"),
            DONE,
            "This action is done, so it cannot be changed.",
            "",
            id="done-is-final",
        ),
        pytest.param(
            lambda s: request_due_date(s, None, TODAY, "Why"),
            OPEN,
            "Choose the new due date.",
            "new_due",
            id="no-date",
        ),
        pytest.param(
            lambda s: request_due_date(s, date(2026, 11, 20), TODAY, "Why"),
            OPEN,
            "Choose a date after the current due date.",
            "new_due",
            id="not-later",
        ),
        pytest.param(
            lambda s: request_due_date(s, date(2026, 11, 5), TODAY, "Why"),
            ActionState(ActionStatus.OPEN, ActionLevel.MONTHLY, date(2026, 11, 1)),
            "Choose a date from today on.",
            "new_due",
            id="in-the-past",
        ),
        pytest.param(
            lambda s: request_due_date(s, date(2028, 1, 1), TODAY, "Why"),
            OPEN,
            "Choose a date within a year.",
            "new_due",
            id="too-far",
        ),
        pytest.param(
            lambda s: request_due_date(s, date(2026, 12, 4), TODAY, ""),
            OPEN,
            "Say why more time is needed.",
            "reason",
            id="needs-a-reason",
        ),
        pytest.param(
            lambda s: request_due_date(s, date(2026, 12, 11), TODAY, "Again"),
            ASKED,
            "A new due date has already been asked for and is waiting for a decision.",
            "",
            id="one-request-at-a-time",
        ),
        pytest.param(
            approve_due_date,
            OPEN,
            "There is no request for a new due date waiting.",
            "",
            id="nothing-to-approve",
        ),
        pytest.param(
            lambda s: refuse_due_date(s, ""),
            ASKED,
            "Say why the request is refused; the owner sees it.",
            "note",
            id="refusal-needs-a-note",
        ),
        pytest.param(
            carry_to_quarterly,
            QUARTERLY,
            "This action is already with the quarterly contract meeting.",
            "",
            id="carry-twice",
        ),
        pytest.param(
            escalate_to_board,
            OPEN,
            "Only the quarterly contract meeting escalates to the governance board: carry it there first.",
            "",
            id="escalate-skipping-the-quarterly",
        ),
        pytest.param(
            escalate_to_board,
            BOARD,
            "This action is already with the governance board.",
            "",
            id="escalate-twice",
        ),
        pytest.param(
            escalate_to_board, DONE, "This action is done, so it cannot be changed.", "", id="escalate-done"
        ),
    ],
)
def test_refused_changes(
    change: Callable[[ActionState], ActionState], state: ActionState, message: str, field: str
) -> None:
    with pytest.raises(ActionProblem) as problem:
        change(state)

    assert (problem.value.message, problem.value.field) == (message, field)


@pytest.mark.parametrize(
    ("what", "due", "message", "field"),
    [
        pytest.param("", date(2026, 11, 20), "Say what is to be done.", "what", id="nothing-to-do"),
        pytest.param(
            "x" * 1001, date(2026, 11, 20), "Keep it under 1,000 characters.", "what", id="too-long"
        ),
        pytest.param(
            "Recover",
            date(2026, 11, 5),
            "The due date has passed. Choose today or a later date.",
            "due",
            id="past",
        ),
    ],
)
def test_new_action_refuses(what: str, due: date, message: str, field: str) -> None:
    with pytest.raises(ActionProblem) as problem:
        new_action(what, due, TODAY, ActionLevel.MONTHLY)

    assert (problem.value.message, problem.value.field) == (message, field)


def test_new_action_starts_open_at_its_meetings_level() -> None:
    assert new_action("Recover", TODAY, TODAY, ActionLevel.QUARTERLY) == ActionState(
        ActionStatus.OPEN, ActionLevel.QUARTERLY, TODAY
    )


@pytest.mark.parametrize(
    ("state", "today", "overdue"),
    [
        pytest.param(OPEN, date(2026, 11, 20), False, id="due-today"),
        pytest.param(OPEN, date(2026, 11, 21), True, id="day-after"),
        pytest.param(DONE, date(2026, 12, 1), False, id="done-is-never-overdue"),
    ],
)
def test_is_overdue(state: ActionState, today: date, overdue: bool) -> None:
    assert is_overdue(state, today) is overdue


@pytest.mark.parametrize(
    ("state", "today", "expected"),
    [
        pytest.param(OPEN, TODAY, "Open, followed up at the monthly performance review.", id="open"),
        pytest.param(
            ASKED,
            date(2026, 11, 23),
            "In progress, overdue by 3 days, followed up at the monthly performance review, a new due date is "
            "awaiting the commissioner's decision.",
            id="overdue-and-asking",
        ),
        pytest.param(QUARTERLY, TODAY, "Open, carried to the quarterly contract meeting.", id="carried"),
        pytest.param(
            BOARD,
            date(2026, 11, 21),
            "Open, overdue by 1 day, escalated to the governance board.",
            id="board",
        ),
        pytest.param(DONE, TODAY, "Done.", id="done"),
    ],
)
def test_standing_says_where_the_action_is(state: ActionState, today: date, expected: str) -> None:
    assert standing(state, today) == expected
