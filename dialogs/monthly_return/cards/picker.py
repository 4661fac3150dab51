"""The contract picker: which of the sender's contracts a return is for."""

from __future__ import annotations

from typing import Any

from commissioning.periods import Month
from dialogs.cards import card, execute, heading, text
from storage.models import Contract


def contract_picker_card(contracts: list[Contract], month: Month) -> dict[str, Any]:
    buttons = [
        execute(contract.name[:60], "return.open", {"contract_id": contract.id, "month": month.key})
        for contract in sorted(contracts, key=lambda c: c.name)
    ]
    body = [heading("Which contract is this return for?"), text(f"The return will be for {month.label}.")]
    return card(body, buttons)
