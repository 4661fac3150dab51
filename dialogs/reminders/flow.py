"""The reminders' journey in one table: the cards the scheduler sends, each verb's payload and step, what follows.

The router is built from the table, so a verb is routed exactly when it is listed here. Nobody types a
reminder command: every verb is pressed on a card the sweep or the dispatcher sent.
"""

from __future__ import annotations

from dialogs.base import Router
from dialogs.flow import Card, Verb, route
from dialogs.reminders.payloads import ReminderKeys, ReminderRef
from dialogs.reminders.steps import acknowledging, snoozing

# The button that opens the right form on the spot, one per kind of notice (dialogs/reminders/cards/items.py).
OPENS = (
    "return.start",
    "kpi_return.start",
    "meeting.plan",
    "actions.view",
    "deliverables.open",
    "meeting.view",
    "return.view",
    "improve.pip_view",
    "improve.cip_view",
    "improve.change_view",
    "notice.card",
)
NOTICE = Card("notice", (*OPENS, "reminder.ack", "reminder.snooze"))  # no snooze on an urgent one
SUMMARY = Card("summary", (*OPENS, "reminder.ack_all", "reminder.snooze_all"))
BACK = Card("back from leave", OPENS)  # one summary on the first working day back (cards/back.py)
REPORT = Card("delivery report", ())  # dead, uncertain or unreachable: nothing to press
ACTED = Card("acted notice", OPENS)
ACTED_SUMMARY = Card("acted summary", OPENS)

# What the sweep and the dispatcher send (through bot/core.py's notification_cards()).
SENT: tuple[Card, ...] = (NOTICE, SUMMARY, BACK, REPORT)

FLOW: tuple[Verb, ...] = (
    Verb("reminder.ack", ReminderRef, acknowledging.acknowledge, (ACTED,)),
    Verb("reminder.snooze", ReminderRef, snoozing.snooze, (ACTED,)),
    Verb("reminder.ack_all", ReminderKeys, acknowledging.acknowledge_all, (ACTED_SUMMARY,)),
    Verb("reminder.snooze_all", ReminderKeys, snoozing.snooze_all, (ACTED_SUMMARY,)),
)

router = Router("reminders")
route(router, FLOW)
