"""Continuous improvement plan items: reviewed, added at the quarterly meeting, updated by their owner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from commissioning.improvement import cip
from commissioning.improvement.cip import CipItem
from commissioning.improvement.steps import ImprovementProblem
from commissioning.meetings import MeetingType
from commissioning.roles import Permission, allowed
from dialogs.base import Refused, Reply, Turn
from dialogs.common import contract_for, contract_people
from dialogs.improvement.cards.cip import (
    ADDED,
    DONE,
    PROGRESS,
    STEP_DONE,
    CipView,
    cip_card,
    cip_form_card,
    cip_list_card,
)
from dialogs.improvement.common import chosen_contract, form_errors, found, picker, record, step_rows, trail
from dialogs.improvement.payloads import NOTE_MAX, CipAdd, CipRef, CipStepRef, ContractPick
from dialogs.inputs import input_text
from storage.improvement import cip_rule, steps_json, store_cip
from storage.improvement_models import CipRecord
from storage.models import Contract

FORM_INPUTS = (
    "what",
    "owner",
    "deadline",
    "feedback",
    *tuple(f"milestone_{n}_{which}" for n in range(3) for which in ("what", "due")),
)


async def last_quarterly_on(turn: Turn, contract: Contract) -> date:
    """When the last quarterly meeting was held: the plan is reviewed from then."""
    held = await turn.repos.meetings.previous_held(
        contract.id, MeetingType.QUARTERLY_CONTRACT.value, date.max
    )
    return held.held_at.astimezone(turn.zone).date() if held and held.held_at else date.min


async def listing(turn: Turn, payload: ContractPick) -> Reply:
    """What the quarterly meeting reviews: every open item, and those done since the last meeting."""
    contract = chosen_contract(turn, payload.contract_id, Permission.VIEW_MEETING)
    if contract is None:
        return picker(
            "Whose continuous improvement plan?", "improve.cip", turn.contracts_where(Permission.VIEW_MEETING)
        )
    records = await turn.repos.improvement.cips_for([contract.id])
    owners = await turn.repos.people.by_ids(r.owner_id for r in records)
    since = await last_quarterly_on(turn, contract)
    wanted = set(cip.for_review({str(r.id): cip_rule(r) for r in records}, since))
    shown = [r for r in records if str(r.id) in wanted]
    may_add = turn.may(contract.id, Permission.RECORD_MEETING)
    return Reply(card=cip_list_card(turn, contract, shown, owners, may_add))


async def new_form(turn: Turn, payload: CipAdd) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.RECORD_MEETING)
    return Reply(card=cip_form_card(contract, await contract_people(turn, contract.id)))


async def add(turn: Turn, payload: CipAdd) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.RECORD_MEETING)
    people = await contract_people(turn, contract.id)
    values = {key: input_text(turn.raw, key, NOTE_MAX) for key in FORM_INPUTS}
    milestones, rows = step_rows(turn.raw, "milestone")
    owner = next((p for p in people if str(p.id) == values["owner"]), None)
    errors: dict[str, str] = {}
    item: CipItem | None = None
    try:
        item = cip.new_item(
            values["what"],
            owner.name if owner else "",
            values["deadline"],
            milestones,
            values["feedback"],
            turn.local_now.date(),
        )
    except ImprovementProblem as problem:
        errors = dict(problem.errors)
    if owner is None:
        errors["owner"] = "Choose who owns this improvement: someone on the contract."
    if errors or item is None or owner is None:
        shown = form_errors(errors, {"milestones": rows})
        return Reply(card=cip_form_card(contract, people, values=values, errors=shown), replace=True)
    stored = await turn.repos.improvement.add(
        CipRecord(
            contract_id=contract.id,
            what=item.what,
            owner_id=owner.id,
            deadline_on=item.deadline,
            milestones=steps_json(item.milestones),
            feedback=item.feedback,
            status=item.status.value,
            created_by_id=turn.person.id,
            created_at=turn.now,
            updated_at=turn.now,
        )
    )
    record(
        turn, "cip", stored.id, contract.id, state="added", after={"what": item.what, "owner_id": owner.id}
    )
    notified = await _tell_owner(turn, stored, contract)
    return Reply(card=await _card(turn, stored, contract, note=ADDED), replace=True, notify=notified)


async def _tell_owner(turn: Turn, stored: CipRecord, contract: Contract) -> bool:
    if stored.owner_id == turn.person.id:
        return False
    await turn.repos.outbox.enqueue(
        key=f"cip.added:{stored.id}",
        kind="cip.added",
        recipient_id=stored.owner_id,
        contract_id=contract.id,
        now=turn.now,
        payload={
            "card": await _card(
                turn,
                stored,
                contract,
                viewer_id=stored.owner_id,
                note="A continuous improvement item for you.",
            ),
            "summary": f"{contract.name}: a continuous improvement item for you",
        },
    )
    return True


async def _load(turn: Turn, cip_id: int, *, for_update: bool = False) -> tuple[CipRecord, Contract]:
    return found(turn, await turn.repos.improvement.cip(cip_id, for_update=for_update), "cip item")


async def _card(
    turn: Turn,
    stored: CipRecord,
    contract: Contract,
    *,
    note: str | None = None,
    viewer_id: int | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, object]:
    viewer = viewer_id if viewer_id is not None else turn.person.id
    seen = await trail(turn, "cip", stored.id, contract, viewer)
    owner = await turn.repos.people.person(stored.owner_id)
    updates = viewer == stored.owner_id or allowed(seen.roles, Permission.MANAGE_ACTIONS)
    view = CipView(
        stored,
        cip_rule(stored, owner.name if owner else ""),
        contract,
        owner,
        updates,
        seen.events,
        seen.people,
    )
    return cip_card(turn, view, note=note, values=values, errors=errors)


async def view(turn: Turn, payload: CipRef) -> Reply:
    stored, contract = await _load(turn, payload.cip_id)
    return Reply(card=await _card(turn, stored, contract))


async def _update(
    turn: Turn, cip_id: int, rule: Callable[[CipItem, str], CipItem], *, state: str, message: str
) -> Reply:
    stored, contract = await _load(turn, cip_id, for_update=True)
    if stored.owner_id != turn.person.id and not turn.may(contract.id, Permission.MANAGE_ACTIONS):
        raise Refused(
            "Only the item's owner or the commissioner can change it.", reason=f"cip.{state}:{stored.id}"
        )
    note = input_text(turn.raw, "note", NOTE_MAX)
    try:
        item = rule(cip_rule(stored), note)
    except ImprovementProblem as problem:
        errors = {(k or "_form"): v for k, v in problem.errors.items()}
        return Reply(
            card=await _card(turn, stored, contract, values={"note": note}, errors=errors), replace=True
        )
    store_cip(stored, item, turn.now)
    turn.repos.session.add(stored)
    record(turn, "cip", stored.id, contract.id, state=state, note=note, after={"status": item.status.value})
    return Reply(card=await _card(turn, stored, contract, note=message), replace=True)


async def progress(turn: Turn, payload: CipRef) -> Reply:
    return await _update(turn, payload.cip_id, cip.record_progress, state="progress", message=PROGRESS)


async def done(turn: Turn, payload: CipRef) -> Reply:
    today = turn.local_now.date()
    return await _update(
        turn, payload.cip_id, lambda i, n: cip.mark_done(i, n, today), state="done", message=DONE
    )


async def step_done(turn: Turn, payload: CipStepRef) -> Reply:
    today = turn.local_now.date()
    return await _update(
        turn,
        payload.cip_id,
        lambda i, _: cip.complete_milestone(i, payload.number, today),
        state=f"milestone.{payload.number}.done",
        message=STEP_DONE,
    )
