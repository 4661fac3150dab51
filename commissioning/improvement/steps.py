"""Milestones and actions of an improvement plan: a step with a due date and a status, and form errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from commissioning.dates import long_date, parse_day

WHAT_MAX = 1000
NOTE_MAX = 2000
MAX_PLAN_DAYS = 731  # a plan, an item or a change runs for two years at most


class StepStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Step:
    """A milestone or an action: what, by when, and whether it is done (and on which day)."""

    what: str
    due_on: date
    status: StepStatus = StepStatus.OPEN
    done_on: date | None = None

    def is_overdue(self, today: date) -> bool:
        return self.status is StepStatus.OPEN and self.due_on < today


@dataclass(frozen=True, slots=True)
class StepInput:
    """A milestone or an action as a card sends it: text and a date, both still to be checked."""

    what: object
    due: object


class ImprovementProblem(Exception):
    """Input that cannot be accepted; `errors` maps each card field ('' = the card) to what to fix."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k or 'card'}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def refuse(message: str, field: str = "") -> ImprovementProblem:
    return ImprovementProblem({field: message})


def text(raw: object, field: str, errors: dict[str, str], *, missing: str, limit: int = WHAT_MAX) -> str:
    """Checked free text: required, and not too long. A problem goes into `errors` under `field`."""
    value = str(raw or "").strip()
    if not value:
        errors[field] = missing
    elif len(value) > limit:
        errors[field] = f"Keep it under {limit:,} characters."
    return value


def note(raw: str, *, missing: str, field: str = "note") -> str:
    """A required note (what was done, why): raises at once, as a single-field change."""
    errors: dict[str, str] = {}
    value = text(raw, field, errors, missing=missing, limit=NOTE_MAX)
    if errors:
        raise ImprovementProblem(errors)
    return value


def future_date(raw: object, field: str, today: date, errors: dict[str, str]) -> date | None:
    """A deadline: a real date after today and within two years."""
    day = parse_day(raw)
    if day is None:
        errors[field] = "Choose a date."
    elif day <= today:
        errors[field] = "That date is not in the future. Choose a date after today."
    elif (day - today).days > MAX_PLAN_DAYS:
        errors[field] = "Choose a date within two years."
    else:
        return day
    return None


def steps(
    raw: Sequence[StepInput], name: str, today: date, by: date | None, errors: dict[str, str]
) -> tuple[Step, ...]:
    """Milestones or actions, each due from today to the deadline; fields are keyed like 'milestones.0.due'."""
    checked: list[Step] = []
    for number, given in enumerate(raw):
        key = f"{name}.{number}"
        what = text(given.what, f"{key}.what", errors, missing="Say what is to be done.")
        due = parse_day(given.due)
        if due is None:
            errors[f"{key}.due"] = "Choose a due date."
        elif due < today:
            errors[f"{key}.due"] = "The due date has passed. Choose today or a later date."
        elif by is not None and due > by:
            errors[f"{key}.due"] = f"This falls after the deadline, {long_date(by)}. Choose a date by then."
        elif what:
            checked.append(Step(what, due))
    return tuple(checked)


def complete(items: tuple[Step, ...], number: int, on: date, name: str = "milestone") -> tuple[Step, ...]:
    """Mark step `number` done on `on`."""
    if not 0 <= number < len(items):
        raise refuse(f"There is no such {name}.")
    if items[number].status is StepStatus.DONE:
        raise refuse(f"This {name} is already done.")
    done = replace(items[number], status=StepStatus.DONE, done_on=on)
    return (*items[:number], done, *items[number + 1 :])
