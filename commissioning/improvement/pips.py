"""Performance improvement plans: agreed at the quarterly meeting, then on track, met or missed, and closed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from commissioning.dates import long_date
from commissioning.improvement.flags import Period
from commissioning.improvement.steps import (
    ImprovementProblem,
    Step,
    StepInput,
    complete,
    future_date,
    note,
    refuse,
    steps,
)
from commissioning.indicators import Comparison, IndicatorSpec, ValueError_, format_value, parse_value


class PipStatus(StrEnum):
    AGREED = "agreed"
    ON_TRACK = "on_track"
    MET = "met"
    MISSED = "missed"
    CLOSED = "closed"


STATUS_WORDS = {
    PipStatus.AGREED: "Agreed",
    PipStatus.ON_TRACK: "On track",
    PipStatus.MET: "Met",
    PipStatus.MISSED: "Missed",
    PipStatus.CLOSED: "Closed",
}


@dataclass(frozen=True, slots=True)
class Pip:
    """What the rules need to know about a performance improvement plan for one indicator."""

    code: str
    name: str
    level: float  # the level to reach, in the indicator's own unit
    comparison: Comparison
    agreed_on: date
    by: date
    actions: tuple[Step, ...]
    milestones: tuple[Step, ...] = ()
    status: PipStatus = PipStatus.AGREED
    outcome: PipStatus | None = None  # met or missed once known; kept when the plan is closed
    progress: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in (PipStatus.AGREED, PipStatus.ON_TRACK)

    def reaches(self, value: float | None) -> bool:
        if value is None:
            return False
        if self.comparison is Comparison.AT_LEAST:
            return value >= self.level
        return value <= self.level

    def overdue_steps(self, today: date) -> list[Step]:
        return [step for step in (*self.milestones, *self.actions) if step.is_overdue(today)]


def agree_plan(
    spec: IndicatorSpec,
    level: object,
    by: object,
    actions: Sequence[StepInput],
    milestones: Sequence[StepInput],
    today: date,
) -> Pip:
    """A plan as the quarterly meeting agrees it; every problem comes back at once, keyed by field."""
    errors: dict[str, str] = {}
    target = 0.0
    try:
        target = parse_value(spec, level)
    except ValueError_ as error:
        errors["level"] = error.message
    deadline = future_date(by, "by", today, errors)
    if not actions:
        errors["actions"] = "Add at least one action: what the provider will do to reach the level."
    checked_actions = steps(actions, "actions", today, deadline, errors)
    checked_milestones = steps(milestones, "milestones", today, deadline, errors)
    if errors or deadline is None:
        raise ImprovementProblem(errors)
    return Pip(
        spec.code,
        spec.name,
        target,
        spec.comparison,
        today,
        deadline,
        checked_actions,
        checked_milestones,
    )


def _open(pip: Pip) -> None:
    if not pip.is_open:
        raise refuse(f"This plan is {STATUS_WORDS[pip.status].lower()}, so it cannot be changed.")


def mark_on_track(pip: Pip, progress: str, today: date) -> Pip:
    """On track needs a note, and no milestone or action overdue."""
    _open(pip)
    late = pip.overdue_steps(today)
    if late:
        raise refuse(
            f"'{late[0].what}' was due on {long_date(late[0].due_on)} and is not done, "
            "so the plan is not on track."
        )
    text = note(progress, missing="Say what has been done since the plan was agreed.")
    return replace(pip, status=PipStatus.ON_TRACK, progress=text)


def complete_milestone(pip: Pip, number: int, on: date) -> Pip:
    _open(pip)
    return replace(pip, milestones=complete(pip.milestones, number, on))


def complete_action(pip: Pip, number: int, on: date) -> Pip:
    _open(pip)
    return replace(pip, actions=complete(pip.actions, number, on, "action"))


def record_result(pip: Pip, period: Period, value: float | None) -> Pip:
    """A period's result for the plan's indicator.

    Reaching the level in a period that starts by the deadline meets the plan. Falling short in the
    period the deadline falls in (or any later one) misses it. Falling short earlier leaves the plan
    open: that is a repeat miss while the plan is open, which the breach rule reports.
    """
    _open(pip)
    if period.last_day < pip.agreed_on:
        raise refuse("This result is from before the plan was agreed.")
    if period.first_day <= pip.by and pip.reaches(value):
        return replace(pip, status=PipStatus.MET, outcome=PipStatus.MET)
    if period.last_day >= pip.by:
        return replace(pip, status=PipStatus.MISSED, outcome=PipStatus.MISSED)
    return pip


def declare_missed(pip: Pip, reason: str) -> Pip:
    """Seed 001 §5.2: the provider failing to take the remedial action is a miss, whatever the date."""
    _open(pip)
    text = note(
        reason, missing="Say what remedial action was not taken; the director sees it.", field="reason"
    )
    return replace(pip, status=PipStatus.MISSED, outcome=PipStatus.MISSED, progress=text)


def close(pip: Pip, reason: str) -> Pip:
    """The quarterly meeting closes a plan once it is met or missed; the outcome is kept."""
    if pip.is_open:
        raise refuse(
            f"This plan is still open: record whether the level was reached by {long_date(pip.by)} first."
        )
    if pip.status is PipStatus.CLOSED:
        raise refuse("This plan is already closed.")
    text = note(reason, missing="Say why the plan is closed, for the minutes.")
    return replace(pip, status=PipStatus.CLOSED, progress=text)


def standing(pip: Pip, spec: IndicatorSpec, today: date) -> str:
    """Where the plan stands, in one line for its card."""
    aim = f"{'at least' if pip.comparison is Comparison.AT_LEAST else 'at most'} {format_value(spec, pip.level)}"
    line = f"{STATUS_WORDS[pip.status]}: {pip.name} to reach {aim} by {long_date(pip.by)}"
    if pip.status is PipStatus.CLOSED and pip.outcome is not None:
        line += f" ({STATUS_WORDS[pip.outcome].lower()})"
    late = pip.overdue_steps(today) if pip.is_open else []
    if late:
        line += f", {len(late)} step{'s' if len(late) != 1 else ''} overdue"
    return line + "."
