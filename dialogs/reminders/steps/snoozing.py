"""Remind me tomorrow: the subject waits for that person until 09:00 on the next working day."""

from __future__ import annotations

from dialogs.base import Reply, Turn
from dialogs.reminders.cards.acted import acted_card
from dialogs.reminders.cards.summary import summary_card
from dialogs.reminders.context import items, own, record_snooze
from dialogs.reminders.payloads import ReminderKeys, ReminderRef
from dialogs.reminders.words import when


async def snooze(turn: Turn, payload: ReminderRef) -> Reply:
    [notification] = await own(turn, [payload.key])
    until = turn.rules.hours.next_working_morning(turn.now)  # a snooze ends when the next working day starts
    await record_snooze(turn, notification, until)
    note = f"Snoozed: Steward will remind you again at {when(until, turn.zone)}."
    return Reply(card=acted_card(notification.payload.get("card") or {}, note), replace=True)


async def snooze_all(turn: Turn, payload: ReminderKeys) -> Reply:
    notifications = await own(turn, payload.keys)
    until = turn.rules.hours.next_working_morning(turn.now)  # a snooze ends when the next working day starts
    for notification in notifications:
        await record_snooze(turn, notification, until)
    note = f"Snoozed: Steward will remind you again at {when(until, turn.zone)}."
    return Reply(card=summary_card(items(notifications), note=note), replace=True)
