"""The reminders' journey in one table: the cards the scheduler sends, each verb's payload and step, what follows.

The router is built from the table, so a verb is routed exactly when it is listed here. Nobody types a
reminder command: every verb is pressed on a card the sweep or the dispatcher sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.base import Payload, Router, Step
from dialogs.reminders.payloads import ReminderKeys, ReminderRef
from dialogs.reminders.steps import acknowledging, snoozing


@dataclass(frozen=True)
class Card:
    """A card the journey shows, and the verbs its buttons offer."""

    name: str
    offers: tuple[str, ...]


@dataclass(frozen=True)
class Verb:
    """A button's verb: the payload it carries, the step it runs, the cards that step replies with."""

    verb: str
    model: type[Payload]
    step: Step
    shows: tuple[Card, ...]

    @property
    def offers(self) -> tuple[str, ...]:
        """The verbs the step's reply may offer next."""
        return tuple(dict.fromkeys(verb for shown in self.shows for verb in shown.offers))


# The button that opens the right form on the spot, one per kind of notice (dialogs/reminders/cards/items.py).
OPENS = (
    "return.start",
    "meeting.plan",
    "actions.view",
    "deliverables.open",
    "meeting.view",
    "return.view",
)
NOTICE = Card("notice", (*OPENS, "reminder.ack", "reminder.snooze"))  # no snooze on an urgent one
SUMMARY = Card("summary", (*OPENS, "reminder.ack_all", "reminder.snooze_all"))
REPORT = Card("delivery report", ())  # dead, uncertain or unreachable: nothing to press
ACTED = Card("acted notice", OPENS)
ACTED_SUMMARY = Card("acted summary", OPENS)

# What the sweep and the dispatcher send (through bot/core.py's notification_cards()).
SENT: tuple[Card, ...] = (NOTICE, SUMMARY, REPORT)

FLOW: tuple[Verb, ...] = (
    Verb("reminder.ack", ReminderRef, acknowledging.acknowledge, (ACTED,)),
    Verb("reminder.snooze", ReminderRef, snoozing.snooze, (ACTED,)),
    Verb("reminder.ack_all", ReminderKeys, acknowledging.acknowledge_all, (ACTED_SUMMARY,)),
    Verb("reminder.snooze_all", ReminderKeys, snoozing.snooze_all, (ACTED_SUMMARY,)),
)

router = Router("reminders")
for entry in FLOW:
    router.action(entry.verb, entry.model)(entry.step)
