"""The month choice: which month a provider's return is for, among those due, overdue or with a draft."""

from __future__ import annotations

from typing import Any

from commissioning.return_log import ReturnState
from dialogs.cards import card, execute, heading, plain, text
from dialogs.common import short_date
from dialogs.monthly_return.log import LoggedMonth
from storage.models import Contract

MONTHS_SHOWN = 12


def month_label(entry: LoggedMonth) -> str:
    """'September 2026 (overdue: due 14 Oct 2026)', 'October 2026 (due by 13 Nov 2026)', '… (draft saved)'."""
    status = entry.status
    if status.received:
        state = f"amendment draft saved, version {status.version} received"
    elif status.state is ReturnState.MISSING:
        state = f"overdue: due {short_date(status.due_on)}"
    else:
        state = f"due by {short_date(status.due_on)}"
    if status.has_draft and not status.received:
        state += ", draft saved"
    return f"{entry.month.label} ({state})"


def also_open_line(others: list[LoggedMonth]) -> str:
    """The form's line naming the other months that are open."""
    return "Also open: " + "; ".join(month_label(m) for m in others) + "."


def month_choice_card(contract: Contract, months: list[LoggedMonth]) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        heading("Which month is this return for?"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
    ]
    if not months:
        body.append(text("No month is open: every return that is due has been received."))
    else:
        body.append(text("Months due or overdue, and drafts you have saved:"))
    for entry in months[:MONTHS_SHOWN]:  # one button a row: a card's own actions overflow after a few
        ref = {"contract_id": contract.id, "month": entry.month.key}
        body.append({"type": "ActionSet", "actions": [execute(month_label(entry), "return.open", ref)]})
    return card(body, [execute("All returns", "return.list", {"contract_id": contract.id})])
