"""Whether a person opened their last reminder, and how the next reminder and the escalation word it.

Teams tells a bot when someone reads its messages in their 1:1 chat (a read receipt), but only when
they have read receipts turned on. So an unread reminder is "not opened" only for someone Teams has
sent receipts for before; for anyone else it is unknown, never "unread".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from commissioning.reminders import kinds

# What the person responsible has not done, by the escalation's kind.
NOT_DONE = {
    kinds.RETURN_ESCALATED: "has not submitted",
    kinds.RETURN_DIRECTOR: "has not submitted",
    kinds.MEETING_NOT_HELD: "has not recorded the meeting",
    kinds.ACTION_CHAIR: "has not closed the action",
    kinds.ACTION_MANAGER: "has not closed the action",
}


@dataclass(frozen=True, slots=True)
class Opened:
    """What is known of a person's latest reminder about one subject."""

    sent_at: datetime
    read_at: datetime | None = None
    receipts: bool = False  # Teams has sent read receipts for this person before


def subject_of(key: str) -> str | None:
    """The subject in a reminder's idempotency key (Notice.key), or None for any other key."""
    if not key.startswith("remind:"):
        return None
    rest = key.removeprefix("remind:").split("~", 1)[0]
    head, _, recipient = rest.rpartition(":")
    head, _, due = head.rpartition(":")
    _, _, subject = head.partition(":")
    return subject if subject and due and recipient else None


def _day(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B}"


def reminder_words(opened: Opened | None, zone: tzinfo) -> str | None:
    """For the person chased again: whether they opened the last reminder. None before the first."""
    if opened is None:
        return None
    if opened.read_at is not None:
        return f"You opened the last reminder on {_day(opened.read_at, zone)}; it has not been acted on yet."
    if opened.receipts:
        return f"The last reminder, sent on {_day(opened.sent_at, zone)}, has not been opened."
    return (
        f"Whether the last reminder, sent on {_day(opened.sent_at, zone)}, was opened is unknown: "
        "Teams has not said."
    )


def escalation_words(name: str, opened: Opened | None, kind: str, zone: tzinfo) -> str | None:
    """For whoever an item is escalated to: whether the person responsible read their reminder.

    None when no reminder about it has been sent to them (the ledger says why: `steward deliveries`).
    """
    if opened is None:
        return None
    if opened.read_at is not None:
        not_done = NOT_DONE.get(kind, "has not acted on it")
        return f"{name} read the reminder on {_day(opened.read_at, zone)} and {not_done}."
    sent = _day(opened.sent_at, zone)
    if opened.receipts:
        return f"{name} has not opened the reminder sent on {sent}."
    return f"Whether {name} has read the reminder sent on {sent} is unknown: Teams has not said."
