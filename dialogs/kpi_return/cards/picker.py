"""The contract picker: which of the sender's contracts a KPI return is for."""

from __future__ import annotations

from typing import Any

from dialogs.cards import card, execute, heading, text
from storage.models import Contract


def kpi_contract_picker_card(choices: list[tuple[Contract, str, str]]) -> dict[str, Any]:
    """`choices`: each contract with its default quarter's key and label."""
    buttons = [
        execute(
            f"{contract.name[:50]} ({label})", "kpi_return.open", {"contract_id": contract.id, "quarter": key}
        )
        for contract, key, label in sorted(choices, key=lambda choice: choice[0].name)
    ]
    body = [
        heading("Which contract is this KPI return for?"),
        text("Each return is for the contract's last closed quarter."),
    ]
    return card(body, buttons)
