"""Continuous improvement plan items: the list a quarterly meeting reviews, the form to add one, one item."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commissioning.dates import long_date
from commissioning.improvement.cip import CipItem, CipStatus
from dialogs.base import Turn
from dialogs.cards import card, error_text, execute, facts, heading, input_text, plain, text
from dialogs.common import choice, date_input, field, list_entry
from dialogs.improvement.cards.parts import history, note_input, step_inputs, step_list
from dialogs.improvement.payloads import NOTE_MAX
from storage.improvement_models import CipRecord, ImprovementEvent
from storage.models import Contract, Person

STATUS_WORDS = {CipStatus.OPEN: "Open", CipStatus.IN_PROGRESS: "In progress", CipStatus.DONE: "Done"}
EVENT_WORDS = {"added": "Added", "progress": "Progress", "done": "Marked done"}
ADDED = "Added to the continuous improvement plan. Its owner is told; its milestones are chased like actions."
PROGRESS = "Progress recorded."
DONE = "Marked done. The next quarterly meeting reviews it."
STEP_DONE = "Milestone marked done."


def cip_list_card(
    turn: Turn, contract: Contract, items: list[CipRecord], owners: Mapping[int, Person], may_add: bool
) -> dict[str, Any]:
    today = turn.local_now.date()
    body: list[dict[str, Any]] = [
        heading("Continuous improvement plan"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
    ]
    if not items:
        body.append(text("No item is on the plan yet."))
    for item in items[:20]:
        owner = owners.get(item.owner_id)
        late = " (overdue)" if item.status != CipStatus.DONE and item.deadline_on < today else ""
        body += list_entry(
            f"{plain(item.what, 200)}: {STATUS_WORDS[CipStatus(item.status)]}",
            f"{plain(owner.name if owner else '')} · by {long_date(item.deadline_on)}{late}",
            execute("Open", "improve.cip_view", {"cip_id": item.id}),
        )
    buttons = [execute("Add an item", "improve.cip_new", {"contract_id": contract.id})] if may_add else []
    return card(body, buttons)


def cip_form_card(
    contract: Contract,
    people: list[Person],
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    values, errors = values or {}, errors or {}
    body: list[dict[str, Any]] = [
        heading("Add a continuous improvement item"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
    ]
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    what = input_text(
        "what", "What will be improved", values.get("what", ""), multiline=True, max_length=1000
    )
    body.append(field(what, errors.get("what")))
    owners = [(plain(p.name), str(p.id)) for p in people]
    body.append(field(choice("owner", "Owner", owners, values.get("owner", "")), errors.get("owner")))
    body.append(field(date_input("deadline", "Deadline", values.get("deadline", "")), errors.get("deadline")))
    body += step_inputs("milestone", "Milestones", values, errors)
    feedback = input_text(
        "feedback",
        "Service-user feedback that prompted it",
        values.get("feedback", ""),
        multiline=True,
        max_length=NOTE_MAX,
    )
    body.append(field(feedback, errors.get("feedback"), spacing="Medium"))
    return card(
        body, [execute("Add the item", "improve.cip_add", {"contract_id": contract.id}, style="positive")]
    )


@dataclass(frozen=True)
class CipView:
    record: CipRecord
    item: CipItem
    contract: Contract
    owner: Person | None
    updates: bool  # the owner or the commissioner
    events: list[ImprovementEvent]
    people: Mapping[int, Person]


def cip_card(
    turn: Turn,
    view: CipView,
    *,
    note: str | None = None,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    values, errors = values or {}, errors or {}
    item, record = view.item, view.record
    body: list[dict[str, Any]] = [
        heading(f"Improvement item {record.id}"),
        text(plain(item.what), weight="Bolder"),
    ]
    if note:
        body.append(text(note, color="Good", size="Small"))
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    pairs = [
        ("Contract", plain(view.contract.name)),
        ("Owner", plain(view.owner.name if view.owner else "")),
        ("Deadline", long_date(item.deadline)),
        ("Status", STATUS_WORDS[item.status] + (f" ({long_date(item.done_on)})" if item.done_on else "")),
    ]
    if item.feedback:
        pairs.append(("Prompted by", plain(item.feedback)))
    if item.progress:
        pairs.append(("Latest", plain(item.progress)))
    body.append(facts(pairs))
    ref = {"cip_id": record.id}
    button = (
        (lambda n: execute(f"Milestone {n + 1} done", "improve.cip_step", {**ref, "number": n}))
        if item.is_open and view.updates
        else None
    )
    body += step_list("Milestones", item.milestones, button)
    buttons: list[dict[str, Any]] = []
    if item.is_open and view.updates:
        body.append(note_input("note", "Progress, or what changed", values, errors))
        buttons += [
            execute("Record progress", "improve.cip_progress", ref),
            execute("Mark done", "improve.cip_done", ref, style="positive"),
        ]
    body.append(history(view.events, view.people, turn.zone, EVENT_WORDS))
    buttons.append(execute("The plan", "improve.cip", {"contract_id": view.contract.id}))
    return card(body, buttons)
