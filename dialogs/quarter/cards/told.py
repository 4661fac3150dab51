"""What the provider is sent when the quarter's outcome payment is approved: the amount, who, when, and why."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from dialogs.cards import message_card, plain
from dialogs.common import when_text
from dialogs.quarter.cards.words import money
from storage.models import Contract
from storage.quarter_models import OutcomeApproval


def payment_approved_card(
    contract: Contract, quarter_label: str, row: OutcomeApproval, approver: str, zone: ZoneInfo
) -> dict[str, Any]:
    lines = [
        plain(contract.name),
        f"Approved: {money(row.amount_pence)}, by {plain(approver)} on {when_text(row.approved_at, zone)}.",
    ]
    if row.reason:
        lines.append(
            f"Steward worked out {money(row.computed_pence)}; the amount was adjusted: {plain(row.reason)}"
        )
    what = "Outcome payment" if not contract.payment_terms else "Quarter's payment"
    return message_card(f"{what} approved: {quarter_label}", lines)
