"""Change requests (seed 002 §6): the contract's requests, the form to raise one, and one request's card."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commissioning.improvement.changes import ChangeArea, ChangeStatus, ChangeTier
from commissioning.roles import Side
from dialogs.base import Turn
from dialogs.cards import card, error_text, execute, facts, heading, input_choice, input_text, plain, text
from dialogs.common import field, list_entry, short_date
from dialogs.improvement.cards.parts import history, note_input
from dialogs.improvement.payloads import NOTE_MAX
from storage.improvement_models import ChangeRecord, ImprovementEvent
from storage.models import Contract, Person

AREA_WORDS = {
    ChangeArea.INTERVENTIONS: "Type or nature of interventions",
    ChangeArea.DELIVERY: "How the service is delivered",
    ChangeArea.TERMS: "Terms of the contract",
    ChangeArea.BUDGET: "Budget",
    ChangeArea.STAFFING: "Staffing structure",
}
TIER_WORDS = {
    ChangeTier.INFORMAL: "Informal: agreed between the provider and the contract team",
    ChangeTier.FORMAL: "Formal: needs the director's approval",
}
STATUS_WORDS = {
    ChangeStatus.PROPOSED: "Proposed",
    ChangeStatus.AGREED: "Agreed: in force",
    ChangeStatus.AWAITING_APPROVAL: "Agreed by both sides: awaiting the director's approval",
    ChangeStatus.APPROVED: "Approved: in force",
    ChangeStatus.DECLINED: "Declined",
    ChangeStatus.REFUSED: "Refused by the director",
    ChangeStatus.WITHDRAWN: "Withdrawn",
}
SIDE_WORDS = {Side.PROVIDER: "the provider", Side.COMMISSIONER: "the contract team"}
EVENT_WORDS = {s.value: w for s, w in STATUS_WORDS.items()}
MOVED = {
    ChangeStatus.PROPOSED: "Raised. The other side is asked to agree it.",
    ChangeStatus.AGREED: "Agreed: the change is in force.",
    ChangeStatus.AWAITING_APPROVAL: "Agreed. It is a formal change, so the director is asked to approve it.",
    ChangeStatus.APPROVED: "Approved: the change is in force.",
    ChangeStatus.DECLINED: "Declined; the other side is told why.",
    ChangeStatus.REFUSED: "Refused; both sides are told why.",
    ChangeStatus.WITHDRAWN: "Withdrawn.",
}


def changes_card(contract: Contract, changes: list[ChangeRecord], may_raise: bool) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        heading("Change requests"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
    ]
    if not changes:
        body.append(text("No change has been requested on this contract."))
    for change in changes[-20:]:
        body += list_entry(
            f"{plain(change.what, 200)}",
            f"{ChangeTier(change.tier).value.capitalize()} · {STATUS_WORDS[ChangeStatus(change.status)]} · "
            f"raised {short_date(change.created_at.date())}",
            execute("Open", "improve.change_view", {"change_id": change.id}),
        )
    buttons = (
        [execute("Raise a change request", "improve.change_new", {"contract_id": contract.id})]
        if may_raise
        else []
    )
    return card(body, buttons)


def change_form_card(
    contract: Contract, *, values: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None
) -> dict[str, Any]:
    values, errors = values or {}, errors or {}
    body: list[dict[str, Any]] = [
        heading("Raise a change request"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        text(
            "A change to the interventions or how the service is delivered is informal: the provider and the "
            "contract team agree it. One that touches the terms, the budget or the staffing is formal and needs "
            "the director's approval.",
            size="Small",
        ),
    ]
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    what = input_text(
        "what", "What would change, and why", values.get("what", ""), multiline=True, max_length=1000
    )
    body.append(field(what, errors.get("what")))
    areas = input_choice(
        "areas", "What it alters", [(w, a.value) for a, w in AREA_WORDS.items()], values.get("areas", "")
    )
    areas["isMultiSelect"] = True
    body.append(field(areas, errors.get("areas")))
    effect = input_text(
        "effect",
        "Effect on the budget or staffing",
        values.get("effect", ""),
        multiline=True,
        max_length=NOTE_MAX,
    )
    body.append(field(effect, errors.get("effect"), "Say 'none' for an informal change."))
    return card(
        body, [execute("Raise it", "improve.change_raise", {"contract_id": contract.id}, style="positive")]
    )


@dataclass(frozen=True)
class ChangeView:
    record: ChangeRecord
    contract: Contract
    may_agree: bool  # the viewer is on the other side, with AGREE_CHANGE
    may_withdraw: bool  # the viewer is on the side that proposed it, with AGREE_CHANGE
    may_approve: bool  # APPROVE_CHANGE: the director
    events: list[ImprovementEvent]
    people: Mapping[int, Person]


def change_card(
    turn: Turn,
    view: ChangeView,
    *,
    note: str | None = None,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    values, errors = values or {}, errors or {}
    change = view.record
    status = ChangeStatus(change.status)
    body: list[dict[str, Any]] = [
        heading(f"Change request {change.id}"),
        text(plain(change.what), weight="Bolder"),
    ]
    if note:
        body.append(text(note, color="Good", size="Small"))
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    pairs = [
        ("Contract", plain(view.contract.name)),
        ("Tier", TIER_WORDS[ChangeTier(change.tier)]),
        ("Alters", ", ".join(AREA_WORDS[ChangeArea(a)].lower() for a in change.areas)),
        ("Proposed by", SIDE_WORDS[Side(change.proposed_by_side)]),
        ("Status", STATUS_WORDS[status]),
    ]
    if change.effect:
        pairs.append(("Effect on budget or staffing", plain(change.effect)))
    body.append(facts(pairs))
    ref = {"change_id": change.id}
    buttons: list[dict[str, Any]] = []
    if status is ChangeStatus.PROPOSED and view.may_agree:
        buttons += [
            execute("Agree", "improve.change_agree", ref, style="positive"),
            execute("Decline", "improve.change_decline", ref),
        ]
    if status is ChangeStatus.AWAITING_APPROVAL and view.may_approve:
        buttons += [
            execute("Approve", "improve.change_approve", ref, style="positive"),
            execute("Refuse", "improve.change_refuse", ref, style="destructive"),
        ]
    if status in (ChangeStatus.PROPOSED, ChangeStatus.AWAITING_APPROVAL) and view.may_withdraw:
        buttons.append(execute("Withdraw", "improve.change_withdraw", ref))
    if buttons:
        body.append(
            note_input("reason", "Note or reason (needed to decline, refuse or withdraw)", values, errors)
        )
    body.append(history(view.events, view.people, turn.zone, EVENT_WORDS))
    buttons.append(execute("Change requests", "improve.changes", {"contract_id": view.contract.id}))
    return card(body, buttons)
