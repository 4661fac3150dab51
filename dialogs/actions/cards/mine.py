"""The "my actions" card: the sender's open actions, and the requests waiting for their decision."""

from __future__ import annotations

from typing import Any

from commissioning.actions import is_overdue
from dialogs.actions.cards.entry import LIST_LIMIT, summary
from dialogs.base import Turn
from dialogs.cards import card, execute, heading, text
from storage.actions import action_state
from storage.meeting_models import ActionItem
from storage.models import Contract


def my_actions_card(
    turn: Turn, owned: list[ActionItem], waiting: list[ActionItem], contracts: dict[int, Contract]
) -> dict[str, Any]:
    today = turn.local_now.date()
    body: list[dict[str, Any]] = [heading("Your actions")]
    if owned:
        overdue = sum(1 for a in owned if is_overdue(action_state(a), today))
        body.append(
            text(
                f"{len(owned)} open" + (f", {overdue} overdue." if overdue else "."),
                color="Attention" if overdue else "Default",
            )
        )
        for item in owned[:LIST_LIMIT]:
            body.extend(summary(item, contracts[item.contract_id], today))
    else:
        body.append(text("You have no open actions."))
    if waiting:
        body.append(text("Waiting for your decision", weight="Bolder", size="Medium", spacing="Large"))
        for item in waiting[:LIST_LIMIT]:
            body.extend(summary(item, contracts[item.contract_id], today))
    return card(body, [execute("Help", "help")])
