"""The contract picker: which contract's KPI card, each for its last closed quarter."""

from __future__ import annotations

from typing import Any

from commissioning.periods import Quarter
from dialogs.cards import card, execute, heading, text
from storage.models import Contract


def quarter_picker_card(choices: list[tuple[Contract, Quarter]]) -> dict[str, Any]:
    buttons = []
    for contract, quarter in sorted(choices, key=lambda choice: choice[0].name):
        data = {"contract_id": contract.id, "quarter": quarter.key}
        buttons.append(execute(f"{contract.name[:50]} ({quarter.label})", "quarter.card", data))
    body = [
        heading("Which contract's KPI card?"),
        text("Each card is for the contract's last closed quarter."),
    ]
    return card(body, buttons)
