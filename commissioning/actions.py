"""Action log rules: an action's status, its due date changes, and its escalation path (seed 001 §3.5, §4.7)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

NOTE_MAX = 2000
WHAT_MAX = 1000
MAX_EXTENSION_DAYS = 366


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class ActionLevel(StrEnum):
    """Where an action is held to account: the escalation path monthly → quarterly → governance board."""

    MONTHLY = "monthly_review"
    QUARTERLY = "quarterly_contract"
    GOVERNANCE_BOARD = "governance_board"


STATUS_WORDS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
}
LEVEL_WORDS = {
    ActionLevel.MONTHLY: "monthly performance review",
    ActionLevel.QUARTERLY: "quarterly contract meeting",
    ActionLevel.GOVERNANCE_BOARD: "governance board",
}


class ActionProblem(Exception):
    """A change that cannot be made as asked; `field` is the card input it belongs beside ('' = the card)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class ActionState:
    """What the rules need to know about an action."""

    status: ActionStatus
    level: ActionLevel
    due_on: date
    requested_due_on: date | None = None
    progress: str = ""

    @property
    def is_open(self) -> bool:
        return self.status is not ActionStatus.DONE

    @property
    def awaiting_decision(self) -> bool:
        return self.requested_due_on is not None


def new_action(what: str, due_on: date, today: date, level: ActionLevel) -> ActionState:
    """An action as a meeting raises it: something to do, by a date from today on."""
    if not what.strip():
        raise ActionProblem("Say what is to be done.", "what")
    if len(what) > WHAT_MAX:
        raise ActionProblem(f"Keep it under {WHAT_MAX:,} characters.", "what")
    if due_on < today:
        raise ActionProblem("The due date has passed. Choose today or a later date.", "due")
    return ActionState(ActionStatus.OPEN, level, due_on)


def _open(state: ActionState) -> None:
    if not state.is_open:
        raise ActionProblem("This action is done, so it cannot be changed.")


def _note(note: str, *, required: bool, field: str = "note", what: str = "Add a short note.") -> str:
    note = note.strip()
    if required and not note:
        raise ActionProblem(what, field)
    if len(note) > NOTE_MAX:
        raise ActionProblem(f"Keep the note under {NOTE_MAX:,} characters.", field)
    return note


def record_progress(state: ActionState, note: str) -> ActionState:
    _open(state)
    text = _note(note, required=True, what="Say what has happened since the last update.")
    return replace(state, status=ActionStatus.IN_PROGRESS, progress=text)


def mark_done(state: ActionState, note: str) -> ActionState:
    """Done needs a note: what was done is the evidence the meeting looks at."""
    _open(state)
    text = _note(note, required=True, what="Say what was done, so the meeting can close it.")
    return replace(state, status=ActionStatus.DONE, progress=text, requested_due_on=None)


def request_due_date(state: ActionState, new_due: date | None, today: date, reason: str) -> ActionState:
    """The owner asks for more time; the commissioner decides. One request at a time."""
    _open(state)
    if state.awaiting_decision:
        raise ActionProblem("A new due date has already been asked for and is waiting for a decision.")
    if new_due is None:
        raise ActionProblem("Choose the new due date.", "new_due")
    if new_due <= state.due_on:
        raise ActionProblem("Choose a date after the current due date.", "new_due")
    if new_due < today:
        raise ActionProblem("Choose a date from today on.", "new_due")
    if (new_due - today).days > MAX_EXTENSION_DAYS:
        raise ActionProblem("Choose a date within a year.", "new_due")
    _note(reason, required=True, field="reason", what="Say why more time is needed.")
    return replace(state, requested_due_on=new_due)


def approve_due_date(state: ActionState) -> ActionState:
    _open(state)
    if state.requested_due_on is None:
        raise ActionProblem("There is no request for a new due date waiting.")
    return replace(state, due_on=state.requested_due_on, requested_due_on=None)


def refuse_due_date(state: ActionState, note: str) -> ActionState:
    _open(state)
    if state.requested_due_on is None:
        raise ActionProblem("There is no request for a new due date waiting.")
    _note(note, required=True, what="Say why the request is refused; the owner sees it.")
    return replace(state, requested_due_on=None)


def carry_to_quarterly(state: ActionState) -> ActionState:
    """Seed 001 §3.5/§4.7: what a monthly meeting cannot resolve goes to the quarterly meeting."""
    _open(state)
    if state.level is not ActionLevel.MONTHLY:
        raise ActionProblem(f"This action is already with the {LEVEL_WORDS[state.level]}.")
    return replace(state, level=ActionLevel.QUARTERLY)


def escalate_to_board(state: ActionState) -> ActionState:
    """Seed 001 §4.7 and §5.2: the quarterly meeting escalates to the governance board."""
    _open(state)
    if state.level is ActionLevel.GOVERNANCE_BOARD:
        raise ActionProblem("This action is already with the governance board.")
    if state.level is not ActionLevel.QUARTERLY:
        raise ActionProblem(
            "Only the quarterly contract meeting escalates to the governance board: carry it there first."
        )
    return replace(state, level=ActionLevel.GOVERNANCE_BOARD)


def is_overdue(state: ActionState, today: date) -> bool:
    return state.is_open and state.due_on < today


def standing(state: ActionState, today: date) -> str:
    """Where the action stands, in one line for its card."""
    if not state.is_open:
        return "Done."
    parts = [STATUS_WORDS[state.status]]
    if is_overdue(state, today):
        days = (today - state.due_on).days
        parts.append(f"overdue by {days} day{'s' if days != 1 else ''}")
    if state.level is ActionLevel.QUARTERLY:
        parts.append("carried to the quarterly contract meeting")
    elif state.level is ActionLevel.GOVERNANCE_BOARD:
        parts.append("escalated to the governance board")
    else:
        parts.append("followed up at the monthly performance review")
    if state.awaiting_decision:
        parts.append("a new due date is awaiting the commissioner's decision")
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."
