"""Continuous improvement plan items (seed 001 §5.1): what, owner, milestones, deadline, and what is due."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from commissioning.calendar import WorkingCalendar
from commissioning.improvement.steps import (
    NOTE_MAX,
    ImprovementProblem,
    Step,
    StepInput,
    complete,
    future_date,
    note,
    refuse,
    steps,
    text,
)

DUE_SOON_WORKING_DAYS = 5


class CipStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class CipItem:
    """An improvement the provider implements, and the service-user feedback that prompted it."""

    what: str
    owner: str
    deadline: date
    milestones: tuple[Step, ...] = ()
    feedback: str = ""
    status: CipStatus = CipStatus.OPEN
    progress: str = ""
    done_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.status is not CipStatus.DONE


def new_item(
    what: object,
    owner: object,
    deadline: object,
    milestones: Sequence[StepInput],
    feedback: object,
    today: date,
) -> CipItem:
    """An item as the quarterly meeting records it; every problem comes back at once, keyed by field."""
    errors: dict[str, str] = {}
    words = text(what, "what", errors, missing="Say what will be improved.")
    who = text(owner, "owner", errors, missing="Say who owns this improvement.", limit=200)
    by = future_date(deadline, "deadline", today, errors)
    checked = steps(milestones, "milestones", today, by, errors)
    heard = str(feedback or "").strip()
    if len(heard) > NOTE_MAX:
        errors["feedback"] = f"Keep the feedback under {NOTE_MAX:,} characters."
    if errors or by is None:
        raise ImprovementProblem(errors)
    return CipItem(words, who, by, checked, heard)


def _open(item: CipItem) -> None:
    if not item.is_open:
        raise refuse("This improvement is done, so it cannot be changed.")


def record_progress(item: CipItem, progress: str) -> CipItem:
    _open(item)
    words = note(progress, missing="Say what has happened since the last quarterly meeting.")
    return replace(item, status=CipStatus.IN_PROGRESS, progress=words)


def complete_milestone(item: CipItem, number: int, on: date) -> CipItem:
    _open(item)
    return replace(item, milestones=complete(item.milestones, number, on))


def mark_done(item: CipItem, progress: str, on: date) -> CipItem:
    """Done needs a note of what changed: the quarterly meeting reviews it."""
    _open(item)
    words = note(progress, missing="Say what changed, so the meeting can review it.")
    return replace(item, status=CipStatus.DONE, progress=words, done_on=on)


@dataclass(frozen=True, slots=True)
class DueItem:
    """A deadline or milestone of an item, due soon or overdue on a date."""

    item_id: str
    what: str  # the item's own `what` for its deadline, else the milestone's
    due_on: date
    overdue: bool
    milestone: int | None = None  # which milestone; None for the item's deadline


def due(
    items: Mapping[str, CipItem],
    today: date,
    calendar: WorkingCalendar,
    soon: int = DUE_SOON_WORKING_DAYS,
) -> list[DueItem]:
    """What is overdue (due before today) or due soon (within `soon` working days) on `today`, as actions are."""
    found: list[DueItem] = []
    for item_id, item in sorted(items.items()):
        if not item.is_open:
            continue
        dated: list[tuple[str, date, int | None]] = [
            (step.what, step.due_on, number)
            for number, step in enumerate(item.milestones)
            if step.done_on is None
        ]
        dated.append((item.what, item.deadline, None))
        for what, due_on, number in dated:
            if due_on < today:
                found.append(DueItem(item_id, what, due_on, True, number))
            elif calendar.working_days_between(today, due_on) <= soon:
                found.append(DueItem(item_id, what, due_on, False, number))
    return sorted(found, key=lambda d: (not d.overdue, d.due_on, d.item_id))


def for_review(items: Mapping[str, CipItem], since: date) -> list[str]:
    """The items a quarterly meeting reviews: every open one, and those done since the last meeting."""
    return [
        item_id
        for item_id, item in sorted(items.items())
        if item.is_open or (item.done_on is not None and item.done_on > since)
    ]
