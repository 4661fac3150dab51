"""The commissioner moves an action up: carried to the quarterly meeting, escalated to the governance board."""

from __future__ import annotations

from commissioning.actions import NOTE_MAX, ActionProblem
from commissioning.roles import Permission
from dialogs.actions.cards.action import ESCALATED, action_card, carried
from dialogs.actions.context import load_action
from dialogs.actions.levels import carry, escalate
from dialogs.actions.payloads import ActionRef
from dialogs.actions.steps.problems import again
from dialogs.base import Refused, Reply, Turn
from dialogs.inputs import input_text


async def carry_step(turn: Turn, payload: ActionRef) -> Reply:
    loaded = await load_action(turn, payload.action_id, for_update=True)
    item, contract = loaded.item, loaded.contract
    if not turn.may(item.contract_id, Permission.MANAGE_ACTIONS):
        raise Refused(
            "Only the commissioner can carry an action to the quarterly meeting.", reason=f"carry:{item.id}"
        )
    try:
        await carry(turn, item, contract, input_text(turn.raw, "decision_note", NOTE_MAX))
    except ActionProblem as problem:
        return await again(turn, loaded, problem)
    return Reply(card=await action_card(turn, item, contract, note=carried(item.carried_to)), replace=True)


async def escalate_step(turn: Turn, payload: ActionRef) -> Reply:
    loaded = await load_action(turn, payload.action_id, for_update=True)
    item, contract = loaded.item, loaded.contract
    if not turn.may(item.contract_id, Permission.MANAGE_ACTIONS):
        raise Refused("Only the commissioner can escalate an action.", reason=f"escalate:{item.id}")
    try:
        notified = await escalate(turn, item, contract, input_text(turn.raw, "decision_note", NOTE_MAX))
    except ActionProblem as problem:
        return await again(turn, loaded, problem)
    return Reply(card=await action_card(turn, item, contract, note=ESCALATED), replace=True, notify=notified)
