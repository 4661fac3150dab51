"""Change requests: raised by either side, agreed by the other, a formal one approved by the director.

Every move is authorised here on the server from the sender's roles on the contract (commissioning/roles.py
AGREE_CHANGE, APPROVE_CHANGE): a forged button is refused and records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from commissioning.improvement import changes
from commissioning.improvement.changes import ChangeRequest, ChangeStatus
from commissioning.improvement.steps import ImprovementProblem
from commissioning.roles import Permission, Role, Side, allowed
from dialogs.base import Refused, Reply, Turn
from dialogs.common import contract_for
from dialogs.improvement.cards.changes import MOVED, ChangeView, change_card, change_form_card, changes_card
from dialogs.improvement.common import chosen_contract, found, picker, record, role_for, trail
from dialogs.improvement.payloads import NOTE_MAX, ChangeRaise, ChangeRef, ContractPick
from dialogs.inputs import input_ids, input_text
from storage.improvement import change_rule
from storage.improvement_models import ChangeRecord
from storage.models import Contract

Move = Callable[[ChangeRequest, Role, date, str], ChangeRequest]
# Who is asked to agree a change the other side proposed: the provider's head of service, or the contract team.
CONTRACT_TEAM = {
    Side.PROVIDER: frozenset({Role.HEAD_OF_SERVICE}),
    Side.COMMISSIONER: frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER}),
}
DIRECTORS = frozenset(r for r in Role if allowed({r}, Permission.APPROVE_CHANGE))


async def listing(turn: Turn, payload: ContractPick) -> Reply:
    contract = chosen_contract(turn, payload.contract_id, Permission.VIEW_MEETING)
    if contract is None:
        return picker(
            "Which contract's change requests?",
            "improve.changes",
            turn.contracts_where(Permission.VIEW_MEETING),
        )
    found = await turn.repos.improvement.changes_for([contract.id])
    return Reply(card=changes_card(contract, found, turn.may(contract.id, Permission.AGREE_CHANGE)))


async def new_form(turn: Turn, payload: ChangeRaise) -> Reply:
    return Reply(card=change_form_card(contract_for(turn, payload.contract_id, Permission.AGREE_CHANGE)))


async def raise_change(turn: Turn, payload: ChangeRaise) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.AGREE_CHANGE)
    role = role_for(turn, contract.id, Permission.AGREE_CHANGE)
    values = {k: input_text(turn.raw, k, NOTE_MAX) for k in ("what", "areas", "effect")}
    try:
        proposed = changes.propose(values["what"], input_ids(turn.raw, "areas"), role, turn.local_now.date())
    except ImprovementProblem as problem:
        errors = {(k or "_form"): v for k, v in problem.errors.items()}
        return Reply(card=change_form_card(contract, values=values, errors=errors), replace=True)
    stored = await turn.repos.improvement.add(
        ChangeRecord(
            contract_id=contract.id,
            what=proposed.what,
            areas=sorted(a.value for a in proposed.areas),
            tier=proposed.tier.value,
            effect=values["effect"],
            proposed_by_side=proposed.proposed_by.value,
            status=proposed.status.value,
            created_by_id=turn.person.id,
            created_at=turn.now,
            updated_at=turn.now,
        )
    )
    record(
        turn,
        "change",
        stored.id,
        contract.id,
        state=proposed.status.value,
        role=role,
        after={"tier": stored.tier},
    )
    other = Side.COMMISSIONER if proposed.proposed_by is Side.PROVIDER else Side.PROVIDER
    notified = await _tell(turn, stored, contract, CONTRACT_TEAM[other], "A change is proposed")
    return Reply(
        card=await _card(turn, stored, contract, note=MOVED[proposed.status]), replace=True, notify=notified
    )


async def _load(turn: Turn, change_id: int) -> tuple[ChangeRecord, Contract]:
    return found(turn, await turn.repos.improvement.change(change_id, for_update=True), "change request")


async def _card(
    turn: Turn,
    stored: ChangeRecord,
    contract: Contract,
    *,
    note: str | None = None,
    viewer_id: int | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, object]:
    viewer = viewer_id if viewer_id is not None else turn.person.id
    seen = await trail(turn, "change", stored.id, contract, viewer)
    proposer = Side(stored.proposed_by_side)
    agreeing = {r for r in seen.roles if allowed({r}, Permission.AGREE_CHANGE)}
    view = ChangeView(
        stored,
        contract,
        may_agree=any(r.side is not proposer for r in agreeing),
        may_withdraw=any(r.side is proposer for r in agreeing),
        may_approve=allowed(seen.roles, Permission.APPROVE_CHANGE),
        events=seen.events,
        people=seen.people,
    )
    return change_card(turn, view, note=note, values=values, errors=errors)


async def view(turn: Turn, payload: ChangeRef) -> Reply:
    stored, contract = await _load(turn, payload.change_id)
    return Reply(card=await _card(turn, stored, contract))


async def _move(
    turn: Turn, payload: ChangeRef, rule: Move, permission: Permission, *, doing: str, side: str
) -> Reply:
    """Authorise first (a forged press is refused and records nothing), then let the rule decide."""
    stored, contract = await _load(turn, payload.change_id)
    if not turn.may(contract.id, permission):
        held = role_for(turn, contract.id, permission)
        raise Refused(
            f"As {held.label} you cannot {doing} a change request on this contract.",
            reason=f"change.{doing}:{stored.id}",
        )
    proposer = Side(stored.proposed_by_side)
    opposite = Side.COMMISSIONER if proposer is Side.PROVIDER else Side.PROVIDER
    role = role_for(turn, contract.id, permission, not_side=proposer if side == "other" else opposite)
    reason = input_text(turn.raw, "reason", NOTE_MAX)
    events = await turn.repos.improvement.history("change", stored.id)
    try:
        moved = rule(change_rule(stored, events), role, turn.local_now.date(), reason)
    except ImprovementProblem as problem:
        errors = {(k or "_form"): v for k, v in problem.errors.items()}
        return Reply(
            card=await _card(turn, stored, contract, values={"reason": reason}, errors=errors), replace=True
        )
    before = stored.status
    stored.status = moved.status.value
    stored.updated_at = turn.now
    if moved.status in (ChangeStatus.AGREED, ChangeStatus.AWAITING_APPROVAL):
        stored.agreed_by_id = turn.person.id
    if moved.status in (ChangeStatus.APPROVED, ChangeStatus.REFUSED):
        stored.decided_by_id = turn.person.id
    turn.repos.session.add(stored)
    record(
        turn,
        "change",
        stored.id,
        contract.id,
        state=moved.status.value,
        role=role,
        note=reason.strip(),
        after={"from": before},
    )
    notified = await _tell_after(turn, stored, contract, moved.status)
    return Reply(
        card=await _card(turn, stored, contract, note=MOVED[moved.status]), replace=True, notify=notified
    )


async def _tell_after(turn: Turn, stored: ChangeRecord, contract: Contract, status: ChangeStatus) -> bool:
    """A formal change both sides agreed goes to the director; any decision goes back to who raised it."""
    if status is ChangeStatus.AWAITING_APPROVAL:
        return await _tell(turn, stored, contract, DIRECTORS, "A formal change awaits your approval")
    if status is ChangeStatus.WITHDRAWN:
        return False
    told = False
    if stored.created_by_id != turn.person.id:
        told = await _tell_person(
            turn, stored, contract, stored.created_by_id, "A change you raised was decided"
        )
    if status in (ChangeStatus.APPROVED, ChangeStatus.REFUSED) and stored.agreed_by_id not in (
        None,
        turn.person.id,
        stored.created_by_id,
    ):
        assert stored.agreed_by_id is not None
        told = (
            await _tell_person(turn, stored, contract, stored.agreed_by_id, "A change you agreed was decided")
            or told
        )
    return told


async def _tell(
    turn: Turn, stored: ChangeRecord, contract: Contract, roles: frozenset[Role], title: str
) -> bool:
    people = [
        p for p in await turn.repos.people.people_with_roles(contract.id, roles) if p.id != turn.person.id
    ]
    for person in people:
        await _tell_person(turn, stored, contract, person.id, title)
    return bool(people)


async def _tell_person(
    turn: Turn, stored: ChangeRecord, contract: Contract, person_id: int, title: str
) -> bool:
    await turn.repos.outbox.enqueue(
        key=f"change.{stored.status}:{stored.id}:{person_id}",
        kind=f"change.{stored.status}",
        recipient_id=person_id,
        contract_id=contract.id,
        now=turn.now,
        payload={
            "card": await _card(turn, stored, contract, viewer_id=person_id, note=title + "."),
            "summary": f"{contract.name}: {title.lower()}",
        },
    )
    return True


async def agree(turn: Turn, payload: ChangeRef) -> Reply:
    return await _move(turn, payload, changes.agree, Permission.AGREE_CHANGE, doing="agree", side="other")


async def decline(turn: Turn, payload: ChangeRef) -> Reply:
    return await _move(turn, payload, changes.decline, Permission.AGREE_CHANGE, doing="decline", side="other")


async def withdraw(turn: Turn, payload: ChangeRef) -> Reply:
    return await _move(turn, payload, changes.withdraw, Permission.AGREE_CHANGE, doing="withdraw", side="own")


async def approve(turn: Turn, payload: ChangeRef) -> Reply:
    return await _move(
        turn, payload, changes.approve, Permission.APPROVE_CHANGE, doing="approve", side="other"
    )


async def refuse(turn: Turn, payload: ChangeRef) -> Reply:
    return await _move(
        turn, payload, changes.refuse_change, Permission.APPROVE_CHANGE, doing="refuse", side="other"
    )
