"""What the improvement cards share: step rows on a form, a plan's or item's steps, and a history."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from commissioning.improvement.steps import Step, StepStatus
from commissioning.roles import Role
from dialogs.cards import container, input_text, plain, text
from dialogs.common import date_input, field, short_date, when_text
from dialogs.improvement.payloads import NOTE_MAX, STEP_ROWS
from storage.improvement_models import ImprovementEvent
from storage.models import Person


def step_inputs(
    part: str, title: str, values: Mapping[str, str], errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Rows of 'what' and 'due' for actions or milestones, each error beside its own input."""
    items: list[dict[str, Any]] = [text(title, weight="Bolder", spacing="Medium")]
    if part + "s" in errors:
        items.append(text(errors[part + "s"], color="Attention", size="Small", spacing="None"))
    for number in range(STEP_ROWS):
        what, due = f"{part}_{number}_what", f"{part}_{number}_due"
        label = f"{part.capitalize()} {number + 1}"
        items.append(field(input_text(what, label, values.get(what, ""), max_length=1000), errors.get(what)))
        items.append(field(date_input(due, f"{label}: due", values.get(due, "")), errors.get(due)))
    return [container(items)]


def note_input(
    input_id: str, label: str, values: Mapping[str, str], errors: Mapping[str, str]
) -> dict[str, Any]:
    element = input_text(input_id, label, values.get(input_id, ""), multiline=True, max_length=NOTE_MAX)
    return field(element, errors.get(input_id), spacing="Medium")


def step_list(
    title: str,
    steps: Sequence[Step],
    button: Callable[[int], dict[str, Any]] | None,
) -> list[dict[str, Any]]:
    """Each step with its due date and status; an open one with a 'Done' button when the viewer may."""
    if not steps:
        return []
    items: list[dict[str, Any]] = [text(title, weight="Bolder", spacing="Medium")]
    for number, step in enumerate(steps):
        state = (
            f"done {short_date(step.done_on)}"
            if step.status is StepStatus.DONE and step.done_on
            else f"due {short_date(step.due_on)}"
        )
        items.append(text(f"{number + 1}. {plain(step.what, 300)} ({state})", spacing="None"))
        if button is not None and step.status is StepStatus.OPEN:
            items.append({"type": "ActionSet", "actions": [button(number)]})
    return [container(items)]


def history(
    events: Sequence[ImprovementEvent], people: Mapping[int, Person], zone: ZoneInfo, words: Mapping[str, str]
) -> dict[str, Any]:
    lines = []
    for event in events[-12:]:
        person = people.get(event.actor_id) if event.actor_id is not None else None
        who = person.name if person else "Steward"
        role = f" ({Role(event.role).label})" if event.role else ""
        what = words.get(event.state) or _step_words(event.state)
        note = f": {plain(event.note, 300)}" if event.note else ""
        lines.append(
            text(
                f"{when_text(event.at, zone)} · {plain(who)}{role} · {what}{note}",
                size="Small",
                spacing="None",
            )
        )
    return container([text("History", weight="Bolder"), *lines], spacing="Large")


def _step_words(state: str) -> str:
    """'milestone.0.done' → 'Milestone 1 done'."""
    parts = state.split(".")
    if len(parts) == 3 and parts[1].isdigit():
        return f"{parts[0].capitalize()} {int(parts[1]) + 1} {parts[2]}"
    return state.replace("_", " ")
