"""Acknowledge: recorded with an audit event, no more reminders before the deadline; the card says so."""

from __future__ import annotations

from dialogs.base import Reply, Turn
from dialogs.reminders.cards.acted import acted_card
from dialogs.reminders.cards.summary import summary_card
from dialogs.reminders.context import items, own, record_acknowledgement
from dialogs.reminders.payloads import ReminderKeys, ReminderRef
from dialogs.reminders.words import when


async def acknowledge(turn: Turn, payload: ReminderRef) -> Reply:
    [notification] = await own(turn, [payload.key])
    await record_acknowledgement(turn, notification)
    note = f"You acknowledged this at {when(turn.now, turn.zone)}."
    if notification.payload.get("reminder", {}).get("before_deadline"):
        note += " Steward won't remind you again before it is due."
    return Reply(card=acted_card(notification.payload.get("card") or {}, note), replace=True)


async def acknowledge_all(turn: Turn, payload: ReminderKeys) -> Reply:
    notifications = await own(turn, payload.keys)
    for notification in notifications:
        await record_acknowledgement(turn, notification)
    note = f"You acknowledged all of these at {when(turn.now, turn.zone)}."
    return Reply(card=summary_card(items(notifications), note=note), replace=True)
