"""One action as a line: where it stands in words, and its row in a list of actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from commissioning.actions import ActionLevel, ActionStatus, standing
from dialogs.cards import execute, plain
from dialogs.common import list_entry, short_date
from storage.actions import action_state
from storage.meeting_models import ActionItem
from storage.models import Contract

LIST_LIMIT = 25


def where_it_stands(item: ActionItem, today: date) -> str:
    line = standing(action_state(item), today)
    if (
        item.level == ActionLevel.QUARTERLY.value
        and item.carried_to
        and item.status != ActionStatus.DONE.value
    ):
        line = line.replace(
            "carried to the quarterly contract meeting",
            f"carried to the {item.carried_to} quarterly contract meeting",
        )
    return line


def summary(item: ActionItem, contract: Contract, today: date, owner: str = "") -> list[dict[str, Any]]:
    who = f"{plain(owner)} · " if owner else ""
    return list_entry(
        plain(item.description, 300),
        f"{plain(contract.name)} · {who}due {short_date(item.due_on)} · {where_it_stands(item, today)}",
        execute("Open", "actions.view", {"action_id": item.id}),
    )
