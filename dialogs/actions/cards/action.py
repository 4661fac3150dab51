"""One action's card: where it stands, its history, and the inputs and buttons the viewer may use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from commissioning.actions import NOTE_MAX, ActionLevel, ActionState, is_overdue
from dialogs.actions.cards.entry import where_it_stands
from dialogs.actions.context import ActionView, load_view
from dialogs.base import Turn
from dialogs.cards import card, container, error_text, execute, facts, heading, input_text, plain, text
from dialogs.common import date_input, field, short_date, when_text
from storage.actions import action_state
from storage.meeting_models import ActionItem
from storage.models import Contract

EVENT_WORDS = {
    "created": "Created",
    "progress": "Progress",
    "done": "Marked done",
    "due_requested": "New due date asked for",
    "due_approved": "New due date approved",
    "due_refused": "New due date refused",
    "carried": "Carried to the quarterly contract meeting",
    "escalated": "Escalated to the governance board",
}

# What the card says after a change.
PROGRESS_RECORDED = "Progress recorded."
MARKED_DONE = "Marked done. Thank you."
DUE_ASKED = "Asked. The commissioner will approve or refuse it."
DUE_REFUSED = "Request refused; the owner is told why."
ESCALATED = "Escalated to the governance board; the director is told."


def due_approved(shown: str) -> str:
    return f"New due date {shown} approved."


def carried(label: str | None) -> str:
    return f"Carried to the {label} quarterly meeting's agenda."


# The titles of the cards sent to others.
TITLE_DUE_ASKED = "A new due date is asked for"
TITLE_ESCALATED = "Escalated to the governance board"


def title_assigned(raised_at: str) -> str:
    return f"New action for you from the {raised_at}"


def title_decided(shown: str, word: str) -> str:
    return f"Your new due date ({shown}) was {word}"


@dataclass(frozen=True)
class _Controls:
    """The inputs one part of the card adds to its body, and the buttons that go with them."""

    inputs: list[dict[str, Any]]
    buttons: list[dict[str, Any]]


async def action_card(
    turn: Turn,
    item: ActionItem,
    contract: Contract,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    note: str | None = None,
    viewer_id: int | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """One action: where it stands, its history, and the buttons the viewer may use."""
    values, errors = values or {}, errors or {}
    viewer = viewer_id if viewer_id is not None else turn.person.id
    view = await load_view(turn, item, contract, viewer)
    body: list[dict[str, Any]] = [
        heading(title or f"Action {item.id}"),
        text(plain(item.description), weight="Bolder"),
    ]
    if note:
        body.append(text(note, color="Good", size="Small"))
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    body.append(facts(_facts(view, turn.local_now.date(), turn.zone)))
    if item.progress:
        body.append(
            container([text("Latest update", weight="Bolder"), text(plain(item.progress))], spacing="Medium")
        )
    state = action_state(item)
    actions: list[dict[str, Any]] = []
    if state.is_open:
        for part in _controls(view, state, values, errors):
            body.extend(part.inputs)
            actions.extend(part.buttons)
    body.append(_history(view, turn.zone))
    actions.append(execute("My actions", "actions.mine"))
    return card(body, actions[:6])


def _facts(view: ActionView, today: date, zone: ZoneInfo) -> list[tuple[str, str]]:
    item, owner = view.item, view.owner
    pairs = [
        ("Contract", plain(view.contract.name)),
        ("Owner", plain(owner.name if owner else "")),
        ("Due", short_date(item.due_on) + (" (overdue)" if is_overdue(action_state(item), today) else "")),
        ("Status", where_it_stands(item, today)),
    ]
    if view.raised:
        pairs.append(("Raised at", plain(view.raised)))
    if item.escalated_at is not None:
        pairs.append(("Escalated", when_text(item.escalated_at, zone)))
    if item.requested_due_on is not None:
        pairs.append(
            ("New due date asked for", f"{short_date(item.requested_due_on)}: {plain(item.request_reason)}")
        )
    return pairs


def _controls(
    view: ActionView, state: ActionState, values: dict[str, str], errors: dict[str, str]
) -> list[_Controls]:
    """An open action's inputs and buttons: the owner's and the commissioner's."""
    is_owner = view.item.owner_id == view.viewer_id
    ref = {"action_id": view.item.id}
    parts = []
    if is_owner or view.manages:
        parts.append(_update_controls(ref, values, errors))
    if is_owner and not state.awaiting_decision:
        parts.append(_due_date_controls(ref, values, errors))
    if view.manages:
        parts.append(_manager_controls(view, state, ref, values, errors))
    return parts


def _update_controls(ref: dict[str, Any], values: dict[str, str], errors: dict[str, str]) -> _Controls:
    note = input_text(
        "note", "Progress or what was done", values.get("note", ""), multiline=True, max_length=NOTE_MAX
    )
    return _Controls(
        [field(note, errors.get("note"), spacing="Medium")],
        [
            execute("Update progress", "actions.progress", ref),
            execute("Mark done", "actions.done", ref, style="positive"),
        ],
    )


def _due_date_controls(ref: dict[str, Any], values: dict[str, str], errors: dict[str, str]) -> _Controls:
    reason = input_text("reason", "Why more time is needed", values.get("reason", ""), max_length=NOTE_MAX)
    return _Controls(
        [
            field(date_input("new_due", "New due date", values.get("new_due", "")), errors.get("new_due")),
            field(reason, errors.get("reason")),
        ],
        [execute("Ask for a new due date", "actions.request_due", ref)],
    )


def _manager_controls(
    view: ActionView, state: ActionState, ref: dict[str, Any], values: dict[str, str], errors: dict[str, str]
) -> _Controls:
    """The commissioner's: decide a request for more time (never their own), carry or escalate."""
    deciding = state.awaiting_decision and view.item.requested_by_id != view.viewer_id
    escalating = state.level is not ActionLevel.GOVERNANCE_BOARD
    inputs, buttons = [], []
    if deciding or escalating:
        decision_note = input_text(
            "decision_note", "Commissioner's note", values.get("decision_note", ""), max_length=NOTE_MAX
        )
        inputs.append(
            field(
                decision_note,
                errors.get("decision_note"),
                "Needed to refuse a new due date; kept with the action's history.",
            )
        )
    if deciding:
        buttons += [
            execute("Approve new due date", "actions.approve_due", ref, style="positive"),
            execute("Refuse new due date", "actions.refuse_due", ref),
        ]
    if state.level is ActionLevel.MONTHLY:
        buttons.append(execute("Carry to the quarterly meeting", "actions.carry", ref))
    elif state.level is ActionLevel.QUARTERLY:
        buttons.append(
            execute("Escalate to the governance board", "actions.escalate", ref, style="destructive")
        )
    return _Controls(inputs, buttons)


def _history(view: ActionView, zone: ZoneInfo) -> dict[str, Any]:
    lines = []
    for line in view.history[-12:]:
        event = line.event
        what = EVENT_WORDS.get(event.kind, event.kind)
        lines.append(
            text(
                f"{when_text(event.at, zone)} · {plain(line.who)} · {what}"
                + (f": {plain(event.note, 300)}" if event.note else ""),
                size="Small",
                spacing="None",
            )
        )
    return container([text("History", weight="Bolder"), *lines], spacing="Large")
