"""Back from leave: one card of what went to stand-ins while the person was away, and what is due now."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from commissioning.dates import long_date
from commissioning.reminders import Notice, Snapshot
from dialogs.cards import card, container, heading, plain, subtle, text
from dialogs.reminders.cards.items import BUILDERS


def back_payload(notice: Notice, snapshot: Snapshot, zone: tzinfo) -> dict[str, Any]:
    """The summary a person gets on their first working day back; their reminders resume the next day."""
    covered: tuple[str, ...] = tuple(notice.ref.get("covered", ()))
    due: tuple[Notice, ...] = tuple(notice.ref.get("due", ()))
    away = f"{long_date(notice.since or notice.due_on)} to {long_date(notice.due_on)}"
    body: list[dict[str, Any]] = [heading("Welcome back"), subtle(f"While you were on leave, {away}.")]
    body.append(text("Sent to others while you were away", weight="Bolder", spacing="Medium"))
    if covered:
        body.extend(text("• " + plain(line, 300), spacing="None") for line in covered)
    else:
        body.append(text("Nothing needed sending to anyone else.", spacing="None"))
    body.append(text("Due now", weight="Bolder", spacing="Medium"))
    lines: list[str] = []
    for item in due:
        roles = {
            role
            for role, people in snapshot.contracts[item.contract_id].roles.items()
            if item.recipient_id in people
        }
        _, _, open_button, line = BUILDERS[item.kind](item, roles, zone)
        contract = snapshot.contracts[item.contract_id].name
        lines.append(f"{contract}: {line}")
        entry: list[dict[str, Any]] = [text("• " + plain(f"{contract}: {line}", 300), spacing="None")]
        if open_button is not None:
            entry.append({"type": "ActionSet", "actions": [open_button]})
        body.append(container(entry))
    if not due:
        body.append(text("Nothing is waiting for you.", spacing="None"))
    body.append(subtle("Your usual reminders start again on your next working day."))
    summary = f"Welcome back: {len(covered)} sent to others while you were away, {len(due)} due now"
    meta = {
        "kind": notice.kind,
        "subject": notice.subject,
        "due_on": notice.due_on.isoformat(),
        "before_deadline": False,
        "line": summary,
        "open": None,
        "opened": [],
    }
    return {"card": card(body), "summary": summary, "reminder": meta}
