"""A change the rules refused: the same card again, what was typed kept, the problem beside its field."""

from __future__ import annotations

from commissioning.actions import NOTE_MAX, ActionProblem
from dialogs.actions.cards.action import action_card
from dialogs.actions.context import LoadedAction
from dialogs.base import Reply, Turn
from dialogs.inputs import input_text

TYPED = ("note", "new_due", "reason", "decision_note")  # the action card's inputs


async def again(turn: Turn, loaded: LoadedAction, problem: ActionProblem) -> Reply:
    """The same card with what was typed kept and the problem beside its field; nothing stored."""
    values = {key: input_text(turn.raw, key, NOTE_MAX) for key in TYPED}
    errors = {problem.field or "_form": problem.message}
    card = await action_card(turn, loaded.item, loaded.contract, values=values, errors=errors)
    return Reply(card=card, replace=True)
