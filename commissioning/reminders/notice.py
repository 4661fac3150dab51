"""A notice that is due, and the helpers every reminder rule uses to make them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from commissioning.reminder_policy import ReminderPolicy


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification that is due: what, about which subject, for which deadline, to whom."""

    kind: str
    subject: str
    due_on: date
    recipient_id: int
    contract_id: int
    rank: int = 0  # how far along its item's ladder; only the furthest reached is kept per person
    stage: str = ""  # tells apart notices of one kind for one deadline (visit reminders)
    urgent: bool = False
    escalation: bool = False  # says what is late, since when, who is responsible and what happens next
    before_deadline: bool = False  # a reminder an acknowledgement quietens
    since: date | None = None
    responsible: tuple[int, ...] = ()
    next_kind: str | None = None
    next_on: date | None = None
    ref: Mapping[str, Any] = field(default_factory=dict)  # what the card needs to name and open the item
    after_snooze: str = ""  # set when the recipient snoozed this subject and the snooze has ended
    covering_for: int | None = None  # sent to a stand-in because this person is on leave
    away_until: date | None = None  # the last day of that leave

    @property
    def key(self) -> str:
        """The idempotency key: kind, subject, due date and recipient (plus the stage and snooze round)."""
        kind = f"{self.kind}@{self.stage}" if self.stage else self.kind
        key = f"remind:{kind}:{self.subject}:{self.due_on.isoformat()}:{self.recipient_id}"
        return key + (f"~{self.after_snooze}" if self.after_snooze else "")


def stale(policy: ReminderPolicy, day: date, today: date) -> bool:
    return (today - day).days > policy.stop_chasing_after_days


def each(
    recipients: Iterable[int | None], template: dict[str, Any], subject: str, due_on: date, contract_id: int
) -> list[Notice]:
    """One notice per recipient, in order, each person once."""
    return [
        Notice(subject=subject, due_on=due_on, recipient_id=person, contract_id=contract_id, **template)
        for person in dict.fromkeys(recipients)
        if person is not None
    ]
