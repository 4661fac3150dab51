"""The sender's own reminders, and the acknowledgement or snooze recorded for each, with its audit event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from dialogs.base import Refused, Turn
from storage.models import Notification

NOT_YOURS = "Only the person this reminder was sent to can acknowledge or snooze it."


async def own(turn: Turn, keys: Sequence[str]) -> list[Notification]:
    """The sender's own reminders with these keys; anyone else's (a forged press) is refused."""
    wanted = list(dict.fromkeys(keys))
    by_key = {n.key: n for n in await turn.repos.outbox.by_keys(wanted)}
    found = []
    for key in wanted:
        notification = by_key.get(key)
        if notification is None or notification.recipient_id != turn.person.id:
            raise Refused(NOT_YOURS, reason="not the recipient")
        found.append(notification)
    return found


def meta_of(notification: Notification) -> dict[str, Any] | None:
    meta = notification.payload.get("reminder") if isinstance(notification.payload, dict) else None
    return meta if isinstance(meta, dict) and meta.get("subject") and meta.get("due_on") else None


async def record_acknowledgement(turn: Turn, notification: Notification) -> None:
    meta = meta_of(notification)
    if meta is None:
        return
    due_on = date.fromisoformat(meta["due_on"])
    added = await turn.repos.reminders.acknowledge(
        turn.person.id,
        meta["subject"],
        due_on,
        notification.key,
        turn.now,
    )
    if added:
        turn.repos.audit.record(
            at=turn.now,
            actor_id=turn.person.id,
            action="reminder.acknowledged",
            entity="notification",
            entity_id=notification.id,
            contract_id=notification.contract_id,
            after={"subject": meta["subject"], "due_on": meta["due_on"], "kind": notification.kind},
        )


async def record_snooze(turn: Turn, notification: Notification, until: datetime) -> None:
    meta = meta_of(notification)
    if meta is None:
        return
    await turn.repos.reminders.snooze(
        turn.person.id,
        meta["subject"],
        until,
        turn.now,
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="reminder.snoozed",
        entity="notification",
        entity_id=notification.id,
        contract_id=notification.contract_id,
        after={"subject": meta["subject"], "until": until.isoformat(), "kind": notification.kind},
    )


def items(notifications: Sequence[Notification]) -> list[tuple[str, dict[str, Any]]]:
    """The summary card's items: each notification's key and payload."""
    return [(n.key, n.payload) for n in notifications]
