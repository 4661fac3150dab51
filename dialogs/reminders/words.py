"""How the reminder cards word times, dates, months, people (as mentions) and what happens next."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from commissioning.periods import Month
from commissioning.reminders import Notice, Snapshot, kinds
from dialogs.cards import plain


def when(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B}"


def short(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def month_label(key: str) -> str:
    return Month.parse(key).label


class Names:
    """Names and mentions from the snapshot the sweep read."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.entities: list[dict[str, Any]] = []

    def mention(self, person_id: int) -> str:
        """`<at>Name</at>` with its entity when Teams knows the person, else the plain name."""
        person = self.snapshot.people.get(person_id)
        if person is None:
            return "someone"
        if not person.teams_id:
            return plain(person.name)
        shown = f"<at>{plain(person.name)}</at>"
        if not any(e["text"] == shown for e in self.entities):
            self.entities.append(
                {"type": "mention", "text": shown, "mentioned": {"id": person.teams_id, "name": person.name}}
            )
        return shown


def next_words(notice: Notice) -> str:
    if notice.next_kind is None or notice.next_on is None:
        if notice.kind == kinds.PERSISTENT_BREACH:
            return (
                "Seed 001 §5.2: a repeated failure is a material or persistent breach. Take it to the "
                "quarterly contract meeting and, where needed, the governance board."
            )
        return "This was the last step: Steward will not escalate it further."
    on = short(notice.next_on)
    who = {
        kinds.RETURN_ESCALATED: "the head of service and the commissioner will be told",
        kinds.RETURN_DIRECTOR: "the director will be told",
        kinds.KPI_RETURN_ESCALATED: "the head of service and the commissioner will be told",
        kinds.KPI_RETURN_DIRECTOR: "the director will be told",
        kinds.MEETING_NOT_HELD: "your manager will be told",
        kinds.ACTION_CHAIR: "the chair of the meeting that raised it will be told",
        kinds.ACTION_MANAGER: "the owner's manager will be told",
        kinds.PIP_STEP_ESCALATED: "the commissioner will be told",
        kinds.CIP_ESCALATED: "the commissioner will be told",
    }.get(notice.next_kind, "it will be escalated")
    return f"If it is still outstanding on {on}, {who}."
