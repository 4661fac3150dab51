"""The owner's verbs: record progress, mark done, ask for a new due date."""

from __future__ import annotations

from collections.abc import Callable

from commissioning.actions import (
    NOTE_MAX,
    ActionProblem,
    ActionState,
    mark_done,
    record_progress,
    request_due_date,
)
from commissioning.dates import parse_day
from dialogs.actions.cards.action import DUE_ASKED, MARKED_DONE, PROGRESS_RECORDED, action_card
from dialogs.actions.changes import record_change
from dialogs.actions.context import is_owner, load_action, may_update, refuse_update
from dialogs.actions.notices import notify_deciders
from dialogs.actions.payloads import ActionRef
from dialogs.actions.steps.problems import again
from dialogs.base import Refused, Reply, Turn
from dialogs.common import short_date
from dialogs.inputs import input_text
from storage.actions import action_state
from storage.meeting_models import ActionItem


async def progress(turn: Turn, payload: ActionRef) -> Reply:
    return await _update(turn, payload, record_progress, kind="progress", message=PROGRESS_RECORDED)


async def done(turn: Turn, payload: ActionRef) -> Reply:
    return await _update(turn, payload, mark_done, kind="done", message=MARKED_DONE)


async def _update(
    turn: Turn,
    payload: ActionRef,
    rule: Callable[[ActionState, str], ActionState],
    *,
    kind: str,
    message: str,
) -> Reply:
    """The owner's or the commissioner's note on an action: progress, or what was done."""
    loaded = await load_action(turn, payload.action_id, for_update=True)
    item, contract = loaded.item, loaded.contract
    if not may_update(turn, item):
        raise refuse_update(item)
    note = input_text(turn.raw, "note", NOTE_MAX)
    try:
        state = rule(action_state(item), note)
    except ActionProblem as problem:
        return await again(turn, loaded, problem)
    record_change(turn, item, state, kind=kind, note=note)
    return Reply(card=await action_card(turn, item, contract, note=message), replace=True)


async def ask_for_time(turn: Turn, payload: ActionRef) -> Reply:
    loaded = await load_action(turn, payload.action_id, for_update=True)
    item, contract = loaded.item, loaded.contract
    if not is_owner(turn, item):
        raise Refused("Only the action's owner can ask for a new due date.", reason=f"request_due:{item.id}")
    raw_due, reason = input_text(turn.raw, "new_due", 20), input_text(turn.raw, "reason", NOTE_MAX)
    try:
        if raw_due and parse_day(raw_due) is None:
            raise ActionProblem("Enter the date, for example 2026-12-04.", "new_due")
        state = request_due_date(action_state(item), parse_day(raw_due), turn.local_now.date(), reason)
    except ActionProblem as problem:
        return await again(turn, loaded, problem)

    def asked(stored: ActionItem) -> None:
        stored.request_reason = reason
        stored.requested_by_id = turn.person.id

    assert state.requested_due_on is not None
    record_change(
        turn,
        item,
        state,
        kind="due_requested",
        note=f"{short_date(state.requested_due_on)}: {reason}",
        extra=asked,
    )
    notified = await notify_deciders(turn, item, contract)
    return Reply(card=await action_card(turn, item, contract, note=DUE_ASKED), replace=True, notify=notified)
