"""The action log: a contract's actions by level, open and done; and the picker of whose log to show."""

from __future__ import annotations

from typing import Any

from commissioning.actions import LEVEL_WORDS, ActionLevel, ActionStatus, is_overdue
from dialogs.actions.cards.entry import LIST_LIMIT, summary
from dialogs.base import Turn
from dialogs.cards import card, execute, facts, heading, plain, subtle, text
from storage.actions import action_state
from storage.meeting_models import ActionItem
from storage.models import Contract, Person


def log_picker_card(contracts: list[Contract]) -> dict[str, Any]:
    buttons = [
        execute(c.name[:60], "actions.log", {"contract_id": c.id})
        for c in sorted(contracts, key=lambda c: c.name)
    ]
    return card([heading("Which contract's action log?")], buttons)


def log_card(
    turn: Turn, contract: Contract, items: list[ActionItem], owners: dict[int, Person]
) -> dict[str, Any]:
    today = turn.local_now.date()
    body: list[dict[str, Any]] = [
        heading("Action log"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
    ]
    open_items = [i for i in items if i.status != ActionStatus.DONE.value]
    closed = [i for i in items if i.status == ActionStatus.DONE.value]
    overdue = sum(1 for i in open_items if is_overdue(action_state(i), today))
    body.append(
        facts(
            [
                ("Open", str(len(open_items))),
                ("Overdue", str(overdue)),
                (
                    "With the quarterly meeting",
                    str(sum(i.level == ActionLevel.QUARTERLY.value for i in open_items)),
                ),
                (
                    "With the governance board",
                    str(sum(i.level == ActionLevel.GOVERNANCE_BOARD.value for i in open_items)),
                ),
                ("Done", str(len(closed))),
            ]
        )
    )
    for level in (ActionLevel.GOVERNANCE_BOARD, ActionLevel.QUARTERLY, ActionLevel.MONTHLY):
        group = [i for i in open_items if i.level == level.value]
        if group:
            body.append(text(f"With the {LEVEL_WORDS[level]}", weight="Bolder", spacing="Large"))
            for item in group[:LIST_LIMIT]:
                owner = owners.get(item.owner_id)
                body.extend(summary(item, contract, today, owner.name if owner else ""))
    if closed:
        body.append(text("Done", weight="Bolder", spacing="Large"))
        for item in closed[-10:]:
            owner = owners.get(item.owner_id)
            body.append(subtle(f"{plain(item.description, 200)} · {plain(owner.name if owner else '')}"))
    if not items:
        body.append(text("No actions yet. Meetings raise them when they are recorded."))
    return card(body, [execute("My actions", "actions.mine")])
