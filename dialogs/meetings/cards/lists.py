"""The list cards: returns waiting for their review meeting, meetings to record, coming meetings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.deadlines import ReviewDeadline
from commissioning.meetings import MeetingSlot
from dialogs.base import Turn
from dialogs.cards import card, execute, heading, plain, text
from dialogs.common import list_entry, meeting_title, when_text
from dialogs.meetings.cards.schedule import deadline_text
from storage.meeting_models import Meeting
from storage.models import Contract

LIST_MAX = 20
NONE_WAITING = "No returns are waiting for a meeting."
NONE_TO_RECORD = "No scheduled meeting is waiting to be recorded."
NONE_HELD = "No meeting has been held and recorded yet."
NONE_COMING = "No meeting is scheduled yet. A meeting is scheduled when a monthly return comes in."


@dataclass(frozen=True)
class WaitingReturn:
    """A received return whose review meeting has not been held."""

    contract: Contract
    slot: MeetingSlot
    deadline: ReviewDeadline
    return_id: int | None


def waiting_card(turn: Turn, waiting: list[WaitingReturn]) -> dict[str, Any]:
    body: list[dict[str, Any]] = [heading("Returns waiting for their review meeting")]
    for entry in waiting:
        body += list_entry(
            f"{plain(entry.contract.name)}: {entry.slot.title}",
            f"Deadline {deadline_text(entry.deadline, turn)}",
            execute("Schedule", "meeting.plan", {"return_id": entry.return_id}),
        )
    if not waiting:
        body.append(text(NONE_WAITING))
    return card(body)


def to_record_card(turn: Turn, scheduled: list[Meeting], contracts: dict[int, Contract]) -> dict[str, Any]:
    body = [
        heading("Meetings to record"),
        *_meeting_entries(turn, scheduled, contracts, "Record", "meeting.record_open"),
    ]
    if not scheduled:
        body.append(text(NONE_TO_RECORD))
    return card(body)


def coming_card(turn: Turn, scheduled: list[Meeting], contracts: dict[int, Contract]) -> dict[str, Any]:
    body = [
        heading("Coming meetings"),
        *_meeting_entries(turn, scheduled, contracts, "Agenda", "meeting.agenda"),
    ]
    if not scheduled:
        body.append(text(NONE_COMING))
    return card(body)


def held_card(turn: Turn, held: list[Meeting], contracts: dict[int, Contract]) -> dict[str, Any]:
    """The meetings held, the latest first, each opening its minutes."""
    body: list[dict[str, Any]] = [heading("Minutes of meetings held")]
    for meeting in held[:LIST_MAX]:
        when = when_text(meeting.held_at, turn.zone) if meeting.held_at else "held"
        body += list_entry(
            f"{plain(contracts[meeting.contract_id].name)}: {meeting_title(meeting)}",
            when,
            execute(f"Minutes: {meeting.period_label}", "meeting.view", {"meeting_id": meeting.id}),
        )
    if not held:
        body.append(text(NONE_HELD))
    return card(body)


def _meeting_entries(
    turn: Turn, meetings: list[Meeting], contracts: dict[int, Contract], button: str, verb: str
) -> list[dict[str, Any]]:
    """The first twenty meetings of a list card, each with when it is and a button to open it."""
    entries: list[dict[str, Any]] = []
    for meeting in meetings[:LIST_MAX]:
        when = when_text(meeting.scheduled_for, turn.zone) if meeting.scheduled_for else "not scheduled"
        entries += list_entry(
            f"{plain(contracts[meeting.contract_id].name)}: {meeting_title(meeting)}",
            when,
            execute(button, verb, {"meeting_id": meeting.id}),
        )
    return entries
