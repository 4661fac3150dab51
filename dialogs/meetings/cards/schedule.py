"""Scheduling cards: the schedule form with its deadline, the scheduled meeting, and the attendees' invitation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commissioning.dates import long_date
from commissioning.deadlines import REASON_MAX, ReviewDeadline
from dialogs.base import Turn
from dialogs.cards import card, execute, facts, heading, input_text, plain, subtle, text
from dialogs.common import date_input, field, meeting_title, time_input, when_text
from dialogs.meetings.context import ReturnContext, Seat, deadline_of
from dialogs.meetings.payloads import LOCATION_MAX
from storage.meeting_models import Meeting
from storage.models import Contract

DEADLINE_RULE = (
    "Seed 001 §3.3: within five working days of receiving the return; the day of receipt does not count."
)
CHECK_ENTRIES = "Please check the entries below. Nothing has been saved yet."
LATE_HINT = "Only needed for a date after the deadline. It is recorded with the meeting."


def deadline_text(deadline: ReviewDeadline, turn: Turn) -> str:
    return (
        f"{long_date(deadline.last_day)}, close of business ({deadline.ends_at.astimezone(turn.zone):%H:%M})"
    )


def date_and_time(moment: datetime, turn: Turn) -> dict[str, str]:
    """The schedule form's date and time inputs for a moment, in the people's zone."""
    local = moment.astimezone(turn.zone)
    return {"meeting_date": local.date().isoformat(), "meeting_time": f"{local:%H:%M}"}


def schedule_button(return_id: int | None) -> dict[str, Any]:
    return execute("Schedule meeting", "meeting.schedule", {"return_id": return_id}, style="positive")


def schedule_card(
    turn: Turn,
    ctx: ReturnContext,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """The schedule form: the deadline in full, a proposed time, and the reason needed if it is later."""
    errors = errors or {}
    monthly = ctx.monthly
    received = when_text(monthly.clock_started_at, turn.zone) if monthly.clock_started_at else ""
    body: list[dict[str, Any]] = [
        heading("Schedule the review meeting"),
        text(plain(ctx.contract.name), weight="Bolder", spacing="None"),
        facts(
            [
                ("Meeting", ctx.slot.title),
                ("Return received", received),
                ("Deadline", deadline_text(ctx.deadline, turn)),
            ]
        ),
        subtle(DEADLINE_RULE),
    ]
    if note:
        body.append(text(note, size="Small"))
    if errors:
        body.append(text(CHECK_ENTRIES, color="Attention", weight="Bolder"))
    body.extend(schedule_fields(values, errors))
    return card(body, [schedule_button(monthly.id)])


def schedule_fields(values: dict[str, str], errors: dict[str, str]) -> list[dict[str, Any]]:
    """Date, time, place, and the reason a later date needs, each with its error beneath it."""
    when = date_input("meeting_date", "Date", values.get("meeting_date", ""))
    start = time_input("meeting_time", "Start time", values.get("meeting_time", ""))
    where = input_text(
        "location", "Where (room or Teams meeting)", values.get("location", ""), max_length=LOCATION_MAX
    )
    reason = input_text(
        "late_reason",
        "Reason, if after the deadline",
        values.get("late_reason", ""),
        multiline=True,
        max_length=REASON_MAX,
    )
    return [
        field(when, errors.get("meeting_date")),
        field(start, errors.get("meeting_time")),
        field(where, errors.get("location")),
        field(reason, errors.get("late_reason"), LATE_HINT),
    ]


def add_to_calendar(url: str) -> dict[str, Any]:
    """The button that downloads the meeting's invitation (.ics) for Outlook or the Teams calendar."""
    return {"type": "Action.OpenUrl", "title": "Add to calendar", "url": url}


def scheduled_card(
    turn: Turn,
    meeting: Meeting,
    contract: Contract,
    invitees: list[Seat],
    *,
    note: str,
    calendar_url: str | None = None,
) -> dict[str, Any]:
    pairs = [
        ("Contract", plain(contract.name)),
        ("When", when_text(meeting.scheduled_for, turn.zone) if meeting.scheduled_for else ""),
    ]
    if meeting.location:
        pairs.append(("Where", plain(meeting.location)))
    deadline = deadline_of(meeting, turn)
    if deadline:
        pairs.append(("Deadline", deadline_text(deadline, turn)))
    if meeting.late_reason:
        pairs.append(("Reason for the later date", plain(meeting.late_reason)))
    pairs.append(("Invited", plain(", ".join(s.person.name for s in invitees)) or "nobody yet"))
    body = [
        heading(f"Scheduled: {meeting_title(meeting)}"),
        text(note, color="Good", size="Small"),
        facts(pairs),
    ]
    ref = {"meeting_id": meeting.id}
    buttons = [
        execute("View agenda", "meeting.agenda", ref),
        execute("Record the meeting", "meeting.record_open", ref),
        execute("Change the time", "meeting.plan", {"return_id": meeting.return_id}),
    ]
    if calendar_url:
        buttons.append(add_to_calendar(calendar_url))
    return card(body, buttons)


def invitation_card(
    turn: Turn,
    meeting: Meeting,
    contract: Contract,
    seat: Seat,
    *,
    rescheduled: bool,
    calendar_url: str | None = None,
) -> dict[str, Any]:
    pairs = [
        ("Contract", plain(contract.name)),
        ("When", when_text(meeting.scheduled_for, turn.zone) if meeting.scheduled_for else ""),
        ("Your seat", plain(", ".join(seat.seats))),
    ]
    if meeting.location:
        pairs.append(("Where", plain(meeting.location)))
    title = ("Moved: " if rescheduled else "You're invited: ") + meeting_title(meeting)
    buttons = [execute("View agenda", "meeting.agenda", {"meeting_id": meeting.id})]
    if calendar_url:
        buttons.append(add_to_calendar(calendar_url))
    return card([heading(title), facts(pairs)], buttons)
