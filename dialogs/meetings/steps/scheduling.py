"""Scheduling the review meeting: the returns waiting for one, the form, and storing the time with invitations.

Each attendee's invitation card carries an "Add to calendar" link to the meeting's .ics (made for them,
see dialogs/meetings/calendar.py); moving the meeting raises the invitation's SEQUENCE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commissioning.dates import parse_clock_time, parse_day
from commissioning.deadlines import REASON_MAX, check_schedule, is_late, propose_meeting_time, review_deadline
from commissioning.meetings import meeting_for_return
from commissioning.periods import Month
from commissioning.roles import Permission
from dialogs.base import NoPayload, Refused, Reply, Turn
from dialogs.common import meeting_title, raw_text, when_text
from dialogs.meetings.calendar import invitation_link
from dialogs.meetings.cards.lists import LIST_MAX, WaitingReturn, waiting_card
from dialogs.meetings.cards.minutes import minutes_card
from dialogs.meetings.cards.schedule import date_and_time, invitation_card, schedule_card, scheduled_card
from dialogs.meetings.context import ReturnContext, Seat, clock_start, invitees, return_context
from dialogs.meetings.payloads import LOCATION_MAX, ReturnRef
from storage.meeting_models import Meeting

ALREADY_HELD = "This meeting has already been held."


async def schedule_list(turn: Turn, _: NoPayload) -> Reply:
    contracts = turn.contracts_where(Permission.SCHEDULE_MEETING)
    if not contracts:
        raise Refused(
            "Only the commissioner or a programme manager can schedule a review meeting.", reason="no role"
        )
    repos = turn.repos
    by_id = {c.id: c for c in contracts}
    held = {
        (m.contract_id, m.kind, m.period_start) for m in await repos.meetings.meetings(by_id, status="held")
    }
    waiting: list[WaitingReturn] = []
    for received in await repos.meetings.received_returns(by_id):
        contract = by_id[received.monthly.contract_id]
        slot = meeting_for_return(Month.of(received.period.starts_on), contract.year_start_month)
        started = received.monthly.clock_started_at
        if started is None or (contract.id, slot.kind.value, slot.period_start) in held:
            continue  # a received return always has its clock started; a held meeting needs no scheduling
        started = await clock_start(turn, contract, started, slot)
        deadline = review_deadline(started, turn.rules.meetings)
        waiting.append(WaitingReturn(contract, slot, deadline, received.monthly.id))
        if len(waiting) == LIST_MAX:
            break
    return Reply(card=waiting_card(turn, waiting))


async def plan(turn: Turn, payload: ReturnRef) -> Reply:
    ctx = await return_context(turn, payload.return_id, Permission.SCHEDULE_MEETING)
    repos = turn.repos
    meeting = await repos.meetings.find_meeting(ctx.contract.id, ctx.slot.kind.value, ctx.slot.period_start)
    if meeting is not None and meeting.status == "held":
        return Reply(card=await minutes_card(turn, meeting, ctx.contract, note=ALREADY_HELD))
    if meeting is not None and meeting.scheduled_for is not None:
        values = {
            **date_and_time(meeting.scheduled_for, turn),
            "location": meeting.location,
            "late_reason": meeting.late_reason,
        }
        note = f"Scheduled for {when_text(meeting.scheduled_for, turn.zone)}. Saving a new time tells the attendees."
    else:
        values = date_and_time(propose_meeting_time(ctx.deadline, turn.now, turn.rules.meetings), turn)
        note = None
    return Reply(card=schedule_card(turn, ctx, values, note=note))


@dataclass(frozen=True)
class ScheduleForm:
    """The schedule form as sent: the entries as typed, what is wrong, and the time they give."""

    values: dict[str, str]
    errors: dict[str, str]
    when: datetime | None


def read_schedule(turn: Turn, ctx: ReturnContext) -> ScheduleForm:
    values = {
        "meeting_date": raw_text(turn, "meeting_date", 20),
        "meeting_time": raw_text(turn, "meeting_time", 20),
        "location": raw_text(turn, "location", LOCATION_MAX),
        "late_reason": raw_text(turn, "late_reason", REASON_MAX),
    }
    errors: dict[str, str] = {}
    day, start = parse_day(values["meeting_date"]), parse_clock_time(values["meeting_time"])
    if day is None:
        errors["meeting_date"] = "Enter the date, for example 2026-11-06."
    if start is None:
        errors["meeting_time"] = "Enter the start time, for example 10:00."
    if len(values["location"]) > LOCATION_MAX:
        errors["location"] = f"Keep it under {LOCATION_MAX} characters."
    when = datetime.combine(day, start, tzinfo=turn.zone) if day and start else None
    if when is not None:
        errors.update(
            check_schedule(when, ctx.deadline, turn.now, values["late_reason"], turn.rules.meetings)
        )
    return ScheduleForm(values, errors, when)


async def schedule(turn: Turn, payload: ReturnRef) -> Reply:
    ctx = await return_context(turn, payload.return_id, Permission.SCHEDULE_MEETING)
    form = read_schedule(turn, ctx)
    repos = turn.repos
    existing = await repos.meetings.find_meeting(ctx.contract.id, ctx.slot.kind.value, ctx.slot.period_start)
    if existing is not None and existing.status == "held":
        return Reply(card=await minutes_card(turn, existing, ctx.contract, note=ALREADY_HELD))
    if form.errors or form.when is None:
        return Reply(card=schedule_card(turn, ctx, form.values, errors=form.errors), replace=True)
    when = form.when
    meeting, created = await repos.meetings.find_or_create_meeting(
        ctx.contract.id,
        ctx.slot.kind.value,
        ctx.slot.period_start,
        ctx.slot.period_label,
        turn.now,
    )
    late = is_late(when, ctx.deadline)
    before = _schedule_facts(meeting)
    meeting.return_id = ctx.monthly.id
    meeting.deadline_on = ctx.deadline.last_day
    meeting.deadline_at = ctx.deadline.ends_at
    meeting.scheduled_for = when
    meeting.location = form.values["location"]
    meeting.late_reason = form.values["late_reason"] if late else ""
    after = _schedule_facts(meeting)
    invited = (await invitees(turn, ctx.contract, ctx.slot.kind)).seats
    if not created and before == after:
        card = scheduled_card(turn, meeting, ctx.contract, invited, note="Already scheduled for this time.")
        return Reply(card=card, replace=True)
    meeting.scheduled_by_id = turn.person.id
    meeting.scheduled_at = turn.now
    if before.get("scheduled_for"):  # moved: calendars take the invitation with the higher SEQUENCE
        meeting.invite_sequence += 1
    turn.repos.session.add(meeting)
    await turn.repos.session.flush()
    _audit(turn, ctx, meeting, before, {**after, "late": late})
    sent = await _invite(turn, ctx, meeting, invited, when, rescheduled=bool(before.get("scheduled_for")))
    note = (
        "Scheduled after the deadline; the reason is recorded." if late else "Scheduled within the deadline."
    )
    mine = invitation_link(turn, meeting, turn.person.id)
    return Reply(
        card=scheduled_card(turn, meeting, ctx.contract, invited, note=note, calendar_url=mine),
        replace=True,
        notify=sent,
    )


def _audit(
    turn: Turn, ctx: ReturnContext, meeting: Meeting, before: dict[str, Any], after: dict[str, Any]
) -> None:
    rescheduled = bool(before.get("scheduled_for"))
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="meeting.rescheduled" if rescheduled else "meeting.scheduled",
        entity="meeting",
        entity_id=meeting.id,
        contract_id=ctx.contract.id,
        before=before if rescheduled else {},
        after=after,
    )


async def _invite(
    turn: Turn,
    ctx: ReturnContext,
    meeting: Meeting,
    invited: list[Seat],
    when: datetime,
    *,
    rescheduled: bool,
) -> bool:
    """Each attendee but the one scheduling gets the invitation; False when no one was sent it."""
    sent = False
    for seat in invited:
        if seat.person.id == turn.person.id:
            continue
        await turn.repos.outbox.enqueue(
            key=f"meeting.invite:{meeting.id}:{when.isoformat()}:{seat.person.id}",
            kind="meeting.invite",
            recipient_id=seat.person.id,
            contract_id=ctx.contract.id,
            now=turn.now,
            payload={
                "card": invitation_card(
                    turn,
                    meeting,
                    ctx.contract,
                    seat,
                    rescheduled=rescheduled,
                    calendar_url=invitation_link(turn, meeting, seat.person.id),
                ),
                "summary": f"{ctx.contract.name}: {meeting_title(meeting)}, {when_text(when, turn.zone)}",
            },
        )
        sent = True
    return sent


def _schedule_facts(meeting: Meeting) -> dict[str, Any]:
    return {
        "scheduled_for": meeting.scheduled_for.isoformat() if meeting.scheduled_for else None,
        "location": meeting.location,
        "late_reason": meeting.late_reason,
        "deadline_on": meeting.deadline_on.isoformat() if meeting.deadline_on else None,
    }
