"""The commissioner's decision on a request for a new due date: approve it, or refuse it with a note."""

from __future__ import annotations

from commissioning.actions import NOTE_MAX, ActionProblem, approve_due_date, refuse_due_date
from commissioning.roles import Permission
from dialogs.actions.cards.action import DUE_REFUSED, action_card, due_approved
from dialogs.actions.changes import record_change
from dialogs.actions.context import load_action
from dialogs.actions.notices import notify_requester
from dialogs.actions.payloads import ActionRef
from dialogs.actions.steps.problems import again
from dialogs.base import Refused, Reply, Turn
from dialogs.common import short_date
from dialogs.inputs import input_text
from storage.actions import action_state
from storage.meeting_models import ActionItem


async def approve(turn: Turn, payload: ActionRef) -> Reply:
    return await _decide(turn, payload, approved=True)


async def refuse(turn: Turn, payload: ActionRef) -> Reply:
    return await _decide(turn, payload, approved=False)


async def _decide(turn: Turn, payload: ActionRef, *, approved: bool) -> Reply:
    loaded = await load_action(turn, payload.action_id, for_update=True)
    item, contract = loaded.item, loaded.contract
    if not turn.may(item.contract_id, Permission.MANAGE_ACTIONS):
        raise Refused("Only the commissioner can decide a new due date.", reason=f"decide_due:{item.id}")
    if item.requested_by_id == turn.person.id:  # a commissioner decides a request, but never their own
        raise Refused(
            "Someone else must decide your own request for more time.", reason=f"own_request:{item.id}"
        )
    note = input_text(turn.raw, "decision_note", NOTE_MAX)
    asked_for = item.requested_due_on
    try:
        state = (
            approve_due_date(action_state(item)) if approved else refuse_due_date(action_state(item), note)
        )
    except ActionProblem as problem:
        if problem.field:
            problem.field = "decision_note"
        return await again(turn, loaded, problem)
    requester = item.requested_by_id
    kind = "due_approved" if approved else "due_refused"
    shown = short_date(asked_for) if asked_for else ""

    def cleared(stored: ActionItem) -> None:
        stored.request_reason = ""
        stored.requested_by_id = None

    record_change(turn, item, state, kind=kind, note=f"{shown}{': ' + note if note else ''}", extra=cleared)
    notified = False
    if requester is not None and requester != turn.person.id:
        await notify_requester(turn, item, contract, requester, kind=kind, shown=shown, approved=approved)
        notified = True
    message = due_approved(shown) if approved else DUE_REFUSED
    return Reply(card=await action_card(turn, item, contract, note=message), replace=True, notify=notified)
