"""Review meetings: schedule within the deadline, record what happened, minutes, and the agenda card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from commissioning.actions import ActionLevel, ActionProblem, ActionStatus, new_action
from commissioning.agenda import ActionLine, AgendaFacts, IndicatorLine, build_agenda
from commissioning.deadlines import ATTENDEE_ROLES, MeetingType
from commissioning.deliverables import STATUS_WORDS, DeliverableStatus
from commissioning.deliverables import missing as missing_deliverables
from commissioning.indicators import Rag, format_value, rag, validate_values
from commissioning.meetings import (
    FEE_SIGNED_OFF,
    FEE_WITHHELD,
    REASON_MAX,
    MeetingSlot,
    ReviewDeadline,
    check_schedule,
    fee_problem,
    held_problem,
    is_late,
    long_date,
    meeting_for_return,
    parse_clock_time,
    parse_day,
    propose_meeting_time,
    requirements_met,
    review_deadline,
)
from commissioning.periods import Month, Quarter
from commissioning.roles import Permission, Role
from dialogs import actions as action_log
from dialogs.base import NoPayload, Payload, Refused, Reply, Router, Turn
from dialogs.cards import (
    card,
    columns,
    container,
    execute,
    facts,
    heading,
    input_number,
    input_text,
    plain,
    rag_badge,
    subtle,
    text,
)
from dialogs.common import (
    NO_ROLE,
    PROVIDER_ROLES,
    choice,
    contract_for,
    contract_people,
    date_input,
    field,
    list_entry,
    meeting_title,
    raw_text,
    short_date,
    time_input,
    when_text,
)
from storage.meeting_models import ActionItem, Meeting
from storage.meetings import MeetingsRepository, action_state
from storage.models import Contract, Indicator, MonthlyReturn, Person
from storage.people import indicator_spec

router = Router("meetings")
router.command(
    "meeting.schedule_list",
    "schedule meeting",
    "schedule a meeting",
    "schedule review meeting",
    "schedule the review meeting",
    help_text="Schedule the review meeting for a return that has come in (due within five working days)",
)
router.command(
    "meeting.record_list",
    "record meeting",
    "record a meeting",
    "minutes",
    help_text="Record a meeting that was held: attendance, PI review, decisions, the fee, new actions",
)
router.command(
    "meeting.agenda_list",
    "agenda",
    "meeting agenda",
    "next meeting",
    help_text="The agenda for a coming meeting, from its objectives and the latest figures",
)

LOCATION_MAX = 200
DECISIONS_MAX = 4000
NOTE_MAX = 500
NEW_ACTION_ROWS = 3
ATTENDANCE = [("Attended", "attended"), ("Sent apologies", "apologies"), ("Absent", "absent")]
ATTENDANCE_WORDS = {value: title for title, value in ATTENDANCE}
NOTICE_KINDS = [
    ("None planned", "none"),
    ("Annual audit (§5.3)", "audit"),
    ("Monitoring visit (§5.4)", "monitoring_visit"),
]
NOTICE_WORDS = {"audit": "Audit", "monitoring_visit": "Monitoring visit"}
FEE_CHOICES = [("Signed off", FEE_SIGNED_OFF), ("Not signed off", FEE_WITHHELD)]


class ReturnRef(Payload):
    return_id: int = Field(ge=1)


class MeetingRef(Payload):
    meeting_id: int = Field(ge=1)


# -- context --------------------------------------------------------------------------------------------------


@dataclass
class ReturnContext:
    contract: Contract
    monthly: MonthlyReturn
    month: Month
    slot: MeetingSlot
    deadline: ReviewDeadline


async def _return_context(turn: Turn, return_id: int, permission: Permission) -> ReturnContext:
    """A received return the sender may act on, with its meeting slot and deadline. Unknown ids look refused."""
    monthly = await turn.repos.returns.get(return_id)
    if monthly is None:
        raise Refused(NO_ROLE, reason="unknown return")
    contract = contract_for(turn, monthly.contract_id, permission)
    period = await turn.repos.returns.period(monthly.period_id)
    if monthly.clock_started_at is None or period is None:
        raise Refused(
            "That return has not been submitted yet, so there is no meeting to schedule.",
            reason="not received",
        )
    month = Month.of(period.starts_on)
    slot = meeting_for_return(month, contract.year_start_month)
    return ReturnContext(
        contract, monthly, month, slot, review_deadline(monthly.clock_started_at, zone=turn.zone)
    )


async def _meeting(turn: Turn, meeting_id: int, permission: Permission) -> tuple[Meeting, Contract]:
    meeting = await MeetingsRepository(turn.repos.session).meeting(meeting_id)
    if meeting is None:
        raise Refused(NO_ROLE, reason="unknown meeting")
    return meeting, contract_for(turn, meeting.contract_id, permission)


def _deadline_of(meeting: Meeting, turn: Turn) -> ReviewDeadline | None:
    if meeting.deadline_on is None or meeting.deadline_at is None:
        return None
    return ReviewDeadline(meeting.deadline_on, meeting.deadline_on, meeting.deadline_at.astimezone(turn.zone))


def _deadline_text(deadline: ReviewDeadline, turn: Turn) -> str:
    return (
        f"{long_date(deadline.last_day)}, close of business ({deadline.ends_at.astimezone(turn.zone):%H:%M})"
    )


def _meeting_entries(
    turn: Turn, meetings: list[Meeting], contracts: dict[int | None, Contract], button: str, verb: str
) -> list[dict[str, Any]]:
    """The first twenty meetings of a list card, each with when it is and a button to open it."""
    entries: list[dict[str, Any]] = []
    for meeting in meetings[:20]:
        when = when_text(meeting.scheduled_for, turn.zone) if meeting.scheduled_for else "not scheduled"
        entries += list_entry(
            f"{plain(contracts[meeting.contract_id].name)}: {meeting_title(meeting)}",
            when,
            execute(button, verb, {"meeting_id": meeting.id}),
        )
    return entries


@dataclass(frozen=True)
class MeetingOffer:
    """What the reviewers' card on receipt of a return adds: the meeting, its deadline, a proposed time."""

    elements: list[dict[str, Any]]
    buttons: list[dict[str, Any]]


@dataclass
class Seat:
    person: Person
    seats: list[str]


async def _invitees(turn: Turn, contract: Contract, kind: MeetingType) -> tuple[list[Seat], list[str]]:
    """Seed 001 §3.4/§4.5: each seat is filled by the contract's holders of its role; vacant seats listed."""
    seats: dict[int, Seat] = {}
    vacant: list[str] = []
    for seat in ATTENDEE_ROLES[kind]:
        holders = await turn.repos.people.people_with_roles(contract.id, frozenset({Role(seat.filled_by)}))  # type: ignore[arg-type]
        if not holders:
            vacant.append(seat.title)
        for person in holders:
            seats.setdefault(person.id, Seat(person, [])).seats.append(seat.title)  # type: ignore[arg-type]
    return list(seats.values()), vacant


# -- scheduling -----------------------------------------------------------------------------------------------


def review_meeting_offer(
    turn: Turn, contract: Contract, monthly: MonthlyReturn, month: Month
) -> MeetingOffer | None:
    """For the reviewers' card on receipt of a return: its meeting, the deadline, and a proposed time.

    None when the return has not been received.
    """
    if monthly.clock_started_at is None:
        return None
    slot = meeting_for_return(month, contract.year_start_month)
    deadline = review_deadline(monthly.clock_started_at, zone=turn.zone)
    proposal = propose_meeting_time(deadline, turn.now, zone=turn.zone)
    values = _date_and_time(proposal, turn)
    elements = [
        text("Review meeting", weight="Bolder", size="Medium", spacing="Large", separator=True),
        facts([("Meeting", slot.title), ("Deadline", _deadline_text(deadline, turn))]),
        subtle("A time inside the deadline is proposed below: change it if it doesn't suit."),
        *_schedule_fields(values, {}),
    ]
    button = execute("Schedule meeting", "meeting.schedule", {"return_id": monthly.id}, style="positive")
    return MeetingOffer(elements, [button])


@router.action("meeting.schedule_list", NoPayload)
async def schedule_list(turn: Turn, _: NoPayload) -> Reply:
    contracts = turn.contracts_where(Permission.SCHEDULE_MEETING)
    if not contracts:
        raise Refused(
            "Only the commissioner or a programme manager can schedule a review meeting.", reason="no role"
        )
    repo = MeetingsRepository(turn.repos.session)
    by_id = {c.id: c for c in contracts}
    held = {(m.contract_id, m.kind, m.period_start) for m in await repo.meetings(by_id, status="held")}
    body: list[dict[str, Any]] = [heading("Returns waiting for their review meeting")]
    waiting = 0
    for received in await repo.received_returns(by_id):
        contract = by_id[received.monthly.contract_id]
        slot = meeting_for_return(Month.of(received.period.starts_on), contract.year_start_month)
        if (contract.id, slot.kind.value, slot.period_start) in held:
            continue
        deadline = review_deadline(received.monthly.clock_started_at, zone=turn.zone)  # type: ignore[arg-type]
        body += list_entry(
            f"{plain(contract.name)}: {slot.title}",
            f"Deadline {_deadline_text(deadline, turn)}",
            execute("Schedule", "meeting.plan", {"return_id": received.monthly.id}),
        )
        waiting += 1
        if waiting == 20:
            break
    if not waiting:
        body.append(text("No returns are waiting for a meeting."))
    return Reply(card=card(body))


@router.action("meeting.plan", ReturnRef)
async def plan(turn: Turn, payload: ReturnRef) -> Reply:
    ctx = await _return_context(turn, payload.return_id, Permission.SCHEDULE_MEETING)
    repo = MeetingsRepository(turn.repos.session)
    meeting = await repo.find_meeting(ctx.contract.id, ctx.slot.kind.value, ctx.slot.period_start)  # type: ignore[arg-type]
    if meeting is not None and meeting.status == "held":
        return Reply(
            card=await minutes_card(turn, meeting, ctx.contract, note="This meeting has already been held.")
        )
    if meeting is not None and meeting.scheduled_for is not None:
        values = {
            **_date_and_time(meeting.scheduled_for, turn),
            "location": meeting.location,
            "late_reason": meeting.late_reason,
        }
        note = f"Scheduled for {when_text(meeting.scheduled_for, turn.zone)}. Saving a new time tells the attendees."
    else:
        values = _date_and_time(propose_meeting_time(ctx.deadline, turn.now, zone=turn.zone), turn)
        note = None
    return Reply(
        card=schedule_card(ctx.contract, ctx.slot, ctx.monthly, ctx.deadline, turn, values, note=note)
    )


@router.action("meeting.schedule", ReturnRef)
async def schedule(turn: Turn, payload: ReturnRef) -> Reply:
    ctx = await _return_context(turn, payload.return_id, Permission.SCHEDULE_MEETING)
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
        errors.update(check_schedule(when, ctx.deadline, turn.now, values["late_reason"]))
    repo = MeetingsRepository(turn.repos.session)
    existing = await repo.find_meeting(ctx.contract.id, ctx.slot.kind.value, ctx.slot.period_start)  # type: ignore[arg-type]
    if existing is not None and existing.status == "held":
        return Reply(
            card=await minutes_card(turn, existing, ctx.contract, note="This meeting has already been held.")
        )
    if errors or when is None:
        return Reply(
            card=schedule_card(
                ctx.contract, ctx.slot, ctx.monthly, ctx.deadline, turn, values, errors=errors
            ),
            replace=True,
        )
    meeting, created = await repo.find_or_create_meeting(
        ctx.contract.id,
        ctx.slot.kind.value,
        ctx.slot.period_start,
        ctx.slot.period_label,
        turn.now,  # type: ignore[arg-type]
    )
    late = is_late(when, ctx.deadline)
    before = _schedule_facts(meeting)
    meeting.return_id = ctx.monthly.id
    meeting.deadline_on = ctx.deadline.last_day
    meeting.deadline_at = ctx.deadline.ends_at
    meeting.scheduled_for = when
    meeting.location = values["location"]
    meeting.late_reason = values["late_reason"] if late else ""
    after = _schedule_facts(meeting)
    invitees, _ = await _invitees(turn, ctx.contract, ctx.slot.kind)
    if not created and before == after:
        return Reply(
            card=scheduled_card(
                turn, meeting, ctx.contract, invitees, note="Already scheduled for this time."
            ),
            replace=True,
        )
    meeting.scheduled_by_id = turn.person.id
    meeting.scheduled_at = turn.now
    turn.repos.session.add(meeting)
    await turn.repos.session.flush()
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="meeting.scheduled" if not before.get("scheduled_for") else "meeting.rescheduled",
        entity="meeting",
        entity_id=meeting.id,
        contract_id=ctx.contract.id,
        before=before if before.get("scheduled_for") else {},
        after={**after, "late": late},
    )
    sent = False
    for seat in invitees:
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
                    turn, meeting, ctx.contract, seat, rescheduled=bool(before.get("scheduled_for"))
                ),
                "summary": f"{ctx.contract.name}: {meeting_title(meeting)}, {when_text(when, turn.zone)}",
            },
        )
        sent = True
    note = (
        "Scheduled after the deadline; the reason is recorded." if late else "Scheduled within the deadline."
    )
    return Reply(
        card=scheduled_card(turn, meeting, ctx.contract, invitees, note=note), replace=True, notify=sent
    )


def _date_and_time(moment: datetime, turn: Turn) -> dict[str, str]:
    """The schedule form's date and time inputs for a moment, in the people's zone."""
    local = moment.astimezone(turn.zone)
    return {"meeting_date": local.date().isoformat(), "meeting_time": f"{local:%H:%M}"}


def _schedule_facts(meeting: Meeting) -> dict[str, Any]:
    return {
        "scheduled_for": meeting.scheduled_for.isoformat() if meeting.scheduled_for else None,
        "location": meeting.location,
        "late_reason": meeting.late_reason,
        "deadline_on": meeting.deadline_on.isoformat() if meeting.deadline_on else None,
    }


# -- recording ------------------------------------------------------------------------------------------------


@dataclass
class RecordContext:
    meeting: Meeting
    contract: Contract
    kind: MeetingType
    invitees: list[Seat]
    vacant: list[str]
    indicators: list[Indicator]
    values: dict[str, float]
    kpis: list[Indicator]
    people: list[Person]
    open_actions: list[ActionItem]
    deliverables: dict[str, DeliverableStatus]  # the quarter's checklist; empty for a monthly meeting
    met: bool

    @property
    def missing(self) -> list[str]:
        """The required deliverables not yet in, by title; none for a monthly meeting, which has no checklist."""
        if self.kind is not MeetingType.QUARTERLY_CONTRACT:
            return []
        return [d.title for d in missing_deliverables(self.deliverables)]

    @property
    def action_level(self) -> ActionLevel:
        """Where the actions this meeting raises are followed up."""
        return ActionLevel.MONTHLY if self.kind is MeetingType.MONTHLY_REVIEW else ActionLevel.QUARTERLY


async def _record_context(turn: Turn, meeting: Meeting, contract: Contract) -> RecordContext:
    kind = MeetingType(meeting.kind)
    invitees, vacant = await _invitees(turn, contract, kind)
    indicators = await turn.repos.people.indicators(contract.id)  # type: ignore[arg-type]
    values: dict[str, float] = {}
    if meeting.return_id is not None:
        monthly = await turn.repos.returns.get(meeting.return_id)
        if monthly is not None and monthly.current_version:
            latest = await turn.repos.returns.version(monthly.id, monthly.current_version)  # type: ignore[arg-type]
            values = latest.values if latest else {}
    kpis = (
        await turn.repos.people.indicators(contract.id, "quarterly")
        if kind is MeetingType.QUARTERLY_CONTRACT
        else []
    )  # type: ignore[arg-type]
    repo = MeetingsRepository(turn.repos.session)
    open_actions = await repo.actions_for([contract.id])  # type: ignore[list-item]
    deliverables: dict[str, DeliverableStatus] = {}
    if kind is MeetingType.QUARTERLY_CONTRACT:
        rows = await repo.deliverables(contract.id, meeting.period_start)  # type: ignore[arg-type]
        deliverables = {code: DeliverableStatus(r.status) for code, r in rows.items()}
    met = requirements_met(rag(indicator_spec(i), values.get(i.code)) for i in indicators)
    return RecordContext(
        meeting,
        contract,
        kind,
        invitees,
        vacant,
        indicators,
        values,
        kpis,
        await contract_people(turn, contract.id),  # type: ignore[arg-type]
        open_actions,
        deliverables,
        met,
    )


def _fates(kind: MeetingType, item: ActionItem) -> list[tuple[str, str]]:
    """What this meeting may decide about an open action it reviews."""
    level = ActionLevel(item.level)
    if kind is MeetingType.MONTHLY_REVIEW and level is ActionLevel.MONTHLY:
        return [("Keep open", "keep"), ("Not resolved: carry to the quarterly meeting", "carry")]
    if kind is MeetingType.QUARTERLY_CONTRACT and level is ActionLevel.MONTHLY:
        return [("Keep open", "keep"), ("Hold at the quarterly meeting", "carry")]
    if kind is MeetingType.QUARTERLY_CONTRACT and level is ActionLevel.QUARTERLY:
        return [("Keep open", "keep"), ("Escalate to the governance board", "escalate")]
    return []


@router.action("meeting.record_list", NoPayload)
async def record_list(turn: Turn, _: NoPayload) -> Reply:
    contracts = turn.contracts_where(Permission.RECORD_MEETING)
    if not contracts:
        raise Refused("Only the commissioner or a programme manager can record a meeting.", reason="no role")
    by_id = {c.id: c for c in contracts}
    scheduled = await MeetingsRepository(turn.repos.session).meetings(by_id, status="scheduled")
    body = [
        heading("Meetings to record"),
        *_meeting_entries(turn, scheduled, by_id, "Record", "meeting.record_open"),
    ]
    if not scheduled:
        body.append(text("No scheduled meeting is waiting to be recorded."))
    return Reply(card=card(body))


@router.action("meeting.record_open", MeetingRef)
async def record_open(turn: Turn, payload: MeetingRef) -> Reply:
    meeting, contract = await _meeting(turn, payload.meeting_id, Permission.RECORD_MEETING)
    if meeting.status == "held":
        return Reply(
            card=await minutes_card(turn, meeting, contract, note="This meeting has already been recorded.")
        )
    ctx = await _record_context(turn, meeting, contract)
    start = meeting.scheduled_for or turn.now
    local = start.astimezone(turn.zone)
    values: dict[str, str] = {"held_date": local.date().isoformat(), "held_time": f"{local:%H:%M}"}
    for seat in ctx.invitees:
        values[f"att_{seat.person.id}"] = "attended"
    for item in ctx.open_actions:
        if _fates(ctx.kind, item):
            values[f"fate_{item.id}"] = "keep"
    values["fee"] = FEE_SIGNED_OFF if ctx.met else ""
    return Reply(card=record_card(turn, ctx, values))


@router.action("meeting.record", MeetingRef)
async def record(turn: Turn, payload: MeetingRef) -> Reply:
    meeting, contract = await _meeting(turn, payload.meeting_id, Permission.RECORD_MEETING)
    if meeting.status == "held":
        return Reply(
            card=await minutes_card(turn, meeting, contract, note="This meeting has already been recorded."),
            replace=True,
        )
    ctx = await _record_context(turn, meeting, contract)
    values, errors = _read_record(turn, ctx)
    if errors:
        return Reply(card=record_card(turn, ctx, values, errors), replace=True)
    held_at = datetime.combine(
        parse_day(values["held_date"]), parse_clock_time(values["held_time"]), tzinfo=turn.zone
    )  # type: ignore[arg-type]
    pi_review = [
        _reviewed(i, ctx.values.get(i.code), values.get(f"pi_note_{i.code}", "")) for i in ctx.indicators
    ]
    kpi_values, _ = validate_values(
        [indicator_spec(k) for k in ctx.kpis],
        {k.code: values.get(f"kpi_{k.code}", "") for k in ctx.kpis},
        require_all=False,
    )
    kpi_review = [
        _reviewed(k, kpi_values.get(k.code), values.get(f"kpi_note_{k.code}", ""), blank_if_missing=True)
        for k in ctx.kpis
    ]
    late_reason = values.get("late_reason", "")
    meeting.status = "held"
    meeting.held_at = held_at
    meeting.recorded_by_id = turn.person.id
    meeting.recorded_at = turn.now
    meeting.pi_review = pi_review
    meeting.kpi_review = kpi_review
    meeting.requirements_met = ctx.met
    meeting.decisions = values.get("decisions", "")
    meeting.fee_decision = values["fee"]
    meeting.fee_reason = values.get("fee_reason", "")
    if late_reason and not meeting.late_reason:
        meeting.late_reason = late_reason
    if meeting.return_id is not None:
        monthly = await turn.repos.returns.get(meeting.return_id)
        meeting.return_version = monthly.current_version if monthly else 0
    if ctx.kind is MeetingType.QUARTERLY_CONTRACT:
        meeting.deep_dive_focus = values.get("deep_dive", "")
        kind = values.get("notice_kind", "none")
        if kind in NOTICE_WORDS:
            meeting.notice_kind = kind
            meeting.notice_on = parse_day(values.get("notice_date", ""))
            meeting.notice_note = values.get("notice_note", "")
    turn.repos.session.add(meeting)
    repo = MeetingsRepository(turn.repos.session)
    await repo.set_attendance(
        meeting.id,  # type: ignore[arg-type]
        [(s.person.id, ", ".join(s.seats), values[f"att_{s.person.id}"]) for s in ctx.invitees],  # type: ignore[misc]
    )
    notify = False
    people = {p.id: p for p in ctx.people}
    created: list[int] = []
    for row in range(1, NEW_ACTION_ROWS + 1):
        what = values.get(f"act_{row}_what", "")
        if not what:
            continue
        owner = people[int(values[f"act_{row}_owner"])]
        item = await repo.add_action(
            contract_id=contract.id,  # type: ignore[arg-type]
            meeting_id=meeting.id,
            description=what,
            owner_id=owner.id,  # type: ignore[arg-type]
            due_on=parse_day(values[f"act_{row}_due"]),  # type: ignore[arg-type]
            level=ctx.action_level,
            by_id=turn.person.id,  # type: ignore[arg-type]
            now=turn.now,
        )
        created.append(item.id)  # type: ignore[arg-type]
        notify |= await action_log.notify_assigned(turn, item, contract, owner, meeting_title(meeting))
    moved: dict[str, list[int]] = {"carried": [], "escalated": []}
    for item in ctx.open_actions:
        fate = values.get(f"fate_{item.id}", "keep")
        if fate == "carry":
            await action_log.carry(turn, item, contract, f"Not resolved at the {meeting_title(meeting)}.")
            moved["carried"].append(item.id)  # type: ignore[arg-type]
        elif fate == "escalate":
            notify |= await action_log.escalate(
                turn, item, contract, f"Escalated by the {meeting_title(meeting)}."
            )
            moved["escalated"].append(item.id)  # type: ignore[arg-type]
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="meeting.recorded",
        entity="meeting",
        entity_id=meeting.id,
        contract_id=contract.id,
        before={"status": "scheduled"},
        after={
            "status": "held",
            "held_at": held_at.isoformat(),
            "attendance": {str(s.person.id): values[f"att_{s.person.id}"] for s in ctx.invitees},
            "requirements_met": ctx.met,
            "fee_decision": meeting.fee_decision,
            "fee_reason": meeting.fee_reason,
            "late_reason": meeting.late_reason,
            "actions_created": created,
            **moved,
            "deep_dive_focus": meeting.deep_dive_focus,
            "notice": {
                "kind": meeting.notice_kind,
                "on": meeting.notice_on.isoformat() if meeting.notice_on else None,
            },
        },
    )
    await turn.repos.session.flush()
    minutes = await minutes_card(turn, meeting, contract)
    for seat in ctx.invitees:
        if seat.person.id == turn.person.id:
            continue
        await turn.repos.outbox.enqueue(
            key=f"meeting.recorded:{meeting.id}:{seat.person.id}",
            kind="meeting.recorded",
            recipient_id=seat.person.id,
            contract_id=contract.id,
            now=turn.now,
            payload={"card": minutes, "summary": f"{contract.name}: minutes of the {meeting_title(meeting)}"},
        )
        notify = True
    if meeting.notice_kind:
        for person in await turn.repos.people.people_with_roles(contract.id, PROVIDER_ROLES):  # type: ignore[arg-type]
            await turn.repos.outbox.enqueue(
                key=f"meeting.notice:{meeting.id}:{person.id}",
                kind="meeting.notice",
                recipient_id=person.id,
                contract_id=contract.id,
                now=turn.now,
                payload={
                    "card": notice_card(meeting, contract),
                    "summary": f"{contract.name}: notice of {NOTICE_WORDS[meeting.notice_kind].lower()}",
                },
            )
            notify = True
    return Reply(
        card=await minutes_card(
            turn, meeting, contract, note="Recorded. The minutes are sent to the attendees."
        ),
        replace=True,
        notify=notify,
    )


def _reviewed(
    indicator: Indicator, value: float | None, note: str, *, blank_if_missing: bool = False
) -> dict[str, Any]:
    """One indicator as the minutes keep it: its value, rating, minimum and the meeting's comment."""
    spec = indicator_spec(indicator)
    rating = rag(spec, value)
    return {
        "code": indicator.code,
        "name": indicator.name,
        "value": value,
        "shown": "" if value is None and blank_if_missing else format_value(spec, value),
        "rag": rating.value if rating else None,
        "requirement": spec.describe_requirement(),
        "note": note,
    }


def _read_record(turn: Turn, ctx: RecordContext) -> tuple[dict[str, str], dict[str, str]]:
    """Read and check every input of the record card. Nothing is stored unless there are no errors."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}

    def take(key: str, limit: int) -> str:
        values[key] = raw_text(turn, key, limit)
        if len(values[key]) > limit:
            errors[key] = f"Keep it under {limit:,} characters."
        return values[key]

    day, start = parse_day(take("held_date", 20)), parse_clock_time(take("held_time", 20))
    if day is None:
        errors["held_date"] = "Enter the date it was held, for example 2026-11-06."
    if start is None:
        errors["held_time"] = "Enter the time it started, for example 10:00."
    held_at = datetime.combine(day, start, tzinfo=turn.zone) if day and start else None
    if held_at is not None and (problem := held_problem(held_at, turn.now)):
        errors["held_date"] = problem
    deadline = _deadline_of(ctx.meeting, turn)
    late_reason = take("late_reason", REASON_MAX)
    if (
        held_at is not None
        and deadline is not None
        and is_late(held_at, deadline)
        and not ctx.meeting.late_reason
        and not late_reason
    ):
        errors["late_reason"] = (
            f"It was held after the deadline ({long_date(deadline.last_day)}). Give the reason; it is recorded."
        )
    for seat in ctx.invitees:
        key = f"att_{seat.person.id}"
        if take(key, 20) not in ATTENDANCE_WORDS:
            errors[key] = "Choose attended, sent apologies or absent."
    for indicator in ctx.indicators:
        take(f"pi_note_{indicator.code}", NOTE_MAX)
    if ctx.kpis:
        specs = [indicator_spec(k) for k in ctx.kpis]
        entries = {k.code: take(f"kpi_{k.code}", 100) for k in ctx.kpis}
        _, kpi_errors = validate_values(specs, entries, require_all=False)
        errors.update({f"kpi_{code}": message for code, message in kpi_errors.items()})
        for indicator in ctx.kpis:
            take(f"kpi_note_{indicator.code}", NOTE_MAX)
    take("decisions", DECISIONS_MAX)
    fee, reason = take("fee", 20), take("fee_reason", REASON_MAX)
    if (problem := fee_problem(fee, ctx.met, reason)) is not None:
        errors["fee" if fee not in (FEE_SIGNED_OFF, FEE_WITHHELD) else "fee_reason"] = problem
    owners = {str(p.id) for p in ctx.people}
    today = turn.local_now.date()
    for row in range(1, NEW_ACTION_ROWS + 1):
        what, owner, due = (
            take(f"act_{row}_what", 1000),
            take(f"act_{row}_owner", 20),
            take(f"act_{row}_due", 20),
        )
        if not (what or owner or due):
            continue
        if owner not in owners:
            errors[f"act_{row}_owner"] = "Choose who owns it from the contract's people."
        due_day = parse_day(due)
        if due_day is None:
            errors[f"act_{row}_due"] = "Choose the due date."
        try:
            new_action(what, due_day or today, today, ctx.action_level)
        except ActionProblem as problem:
            errors.setdefault(f"act_{row}_{problem.field}", problem.message)
    for item in ctx.open_actions:
        options = {value for _, value in _fates(ctx.kind, item)}
        if options:
            key = f"fate_{item.id}"
            if take(key, 20) not in options:
                errors[key] = "Choose what happens to this action."
    if ctx.kind is MeetingType.QUARTERLY_CONTRACT:
        if not take("deep_dive", REASON_MAX):
            errors["deep_dive"] = "Agree the deep-dive focus for the quarter ahead (seed 001 §4.2)."
        kind = take("notice_kind", 20) or "none"
        values["notice_kind"] = kind
        notice_day = parse_day(take("notice_date", 20))
        take("notice_note", REASON_MAX)
        if kind not in {"none", *NOTICE_WORDS}:
            errors["notice_kind"] = "Choose none, an audit or a monitoring visit."
        elif kind in NOTICE_WORDS:
            if notice_day is None:
                errors["notice_date"] = "Give the planned date, so the provider has notice."
            elif day is not None and notice_day <= day:
                errors["notice_date"] = "Notice is given in advance: choose a date after the meeting."
    return values, errors


# -- views ----------------------------------------------------------------------------------------------------


@router.action("meeting.view", MeetingRef)
async def view(turn: Turn, payload: MeetingRef) -> Reply:
    meeting, contract = await _meeting(turn, payload.meeting_id, Permission.VIEW_MEETING)
    if meeting.status != "held":
        return Reply(card=await agenda_card(turn, meeting, contract))
    return Reply(card=await minutes_card(turn, meeting, contract))


@router.action("meeting.agenda_list", NoPayload)
async def agenda_list(turn: Turn, _: NoPayload) -> Reply:
    contracts = {c.id: c for c in turn.contracts_where(Permission.VIEW_MEETING)}
    if not contracts:
        raise Refused("You have no role on a contract, so there is no meeting to show.", reason="no role")
    scheduled = await MeetingsRepository(turn.repos.session).meetings(contracts, status="scheduled")
    if len(scheduled) == 1:
        return Reply(card=await agenda_card(turn, scheduled[0], contracts[scheduled[0].contract_id]))
    body = [
        heading("Coming meetings"),
        *_meeting_entries(turn, scheduled, contracts, "Agenda", "meeting.agenda"),
    ]
    if not scheduled:
        body.append(
            text("No meeting is scheduled yet. A meeting is scheduled when a monthly return comes in.")
        )
    return Reply(card=card(body))


@router.action("meeting.agenda", MeetingRef)
async def agenda(turn: Turn, payload: MeetingRef) -> Reply:
    meeting, contract = await _meeting(turn, payload.meeting_id, Permission.VIEW_MEETING)
    return Reply(card=await agenda_card(turn, meeting, contract))


async def agenda_facts(turn: Turn, meeting: Meeting, contract: Contract) -> AgendaFacts:
    """The live data behind an agenda: the return's PIs, KPIs, open actions, deliverables, last focus, notices."""
    ctx = await _record_context(turn, meeting, contract)
    repo = MeetingsRepository(turn.repos.session)
    indicators = [
        IndicatorLine(
            plain(i.name),
            format_value(indicator_spec(i), ctx.values[i.code]) if i.code in ctx.values else "",
            rag(indicator_spec(i), ctx.values.get(i.code)),
            indicator_spec(i).describe_requirement(),
        )
        for i in ctx.indicators
    ]
    kpis = [
        IndicatorLine(plain(k.name), "", None, indicator_spec(k).describe_requirement()) for k in ctx.kpis
    ]
    owners = await repo.people(a.owner_id for a in ctx.open_actions)
    actions = [
        ActionLine(
            plain(a.description, 200),
            plain(owners[a.owner_id].name if a.owner_id in owners else ""),
            action_state(a),
        )
        for a in ctx.open_actions
    ]
    improvement = ""
    deep_dive = ""
    notices: list[str] = []
    today = turn.local_now.date()
    if ctx.kind is MeetingType.QUARTERLY_CONTRACT:
        improvement = STATUS_WORDS[
            ctx.deliverables.get("improvement_plan", DeliverableStatus.MISSING)
        ].lower()
    previous = await repo.previous_held(
        contract.id, MeetingType.QUARTERLY_CONTRACT.value, meeting.period_start
    )  # type: ignore[arg-type]
    if previous is not None:
        deep_dive = plain(previous.deep_dive_focus)
        if previous.notice_kind and previous.notice_on and previous.notice_on >= today:
            notices.append(
                f"{NOTICE_WORDS[previous.notice_kind]} planned for {long_date(previous.notice_on)}"
                + (f": {plain(previous.notice_note)}" if previous.notice_note else "")
            )
    return AgendaFacts(
        indicators=indicators,
        return_received=bool(ctx.values),
        kpis=kpis,
        actions=actions,
        missing_deliverables=list(ctx.missing) if ctx.kind is MeetingType.QUARTERLY_CONTRACT else None,
        improvement_plan=improvement,
        deep_dive_focus=deep_dive,
        notices=notices,
    )


async def agenda_card(turn: Turn, meeting: Meeting, contract: Contract) -> dict[str, Any]:
    kind = MeetingType(meeting.kind)
    data = await agenda_facts(turn, meeting, contract)
    items = build_agenda(kind, data, turn.local_now.date())
    pairs = [("Contract", plain(contract.name))]
    if meeting.scheduled_for:
        pairs.append(("When", when_text(meeting.scheduled_for, turn.zone)))
    if meeting.location:
        pairs.append(("Where", plain(meeting.location)))
    deadline = _deadline_of(meeting, turn)
    if deadline:
        pairs.append(("Deadline", _deadline_text(deadline, turn)))
    body: list[dict[str, Any]] = [heading(f"Agenda: {meeting_title(meeting)}"), facts(pairs)]
    for number, item in enumerate(items, start=1):
        lines = [text(f"{number}. {item.title}", weight="Bolder", spacing="Medium")]
        for line in item.lines:
            lines.append(
                text(
                    ("⚠ " if line.warning else "• ") + line.text,
                    spacing="None",
                    size="Small",
                    **({"color": "Attention"} if line.warning else {}),
                )
            )
        body.append(container(lines))
    buttons = []
    if turn.may(contract.id, Permission.RECORD_MEETING) and meeting.status != "held":  # type: ignore[arg-type]
        buttons.append(execute("Record the meeting", "meeting.record_open", {"meeting_id": meeting.id}))
    if kind is MeetingType.QUARTERLY_CONTRACT:
        quarter_key = _quarter_key(meeting, contract)
        buttons.append(
            execute("Deliverables", "deliverables.open", {"contract_id": contract.id, "quarter": quarter_key})
        )
    buttons.append(execute("Action log", "actions.log", {"contract_id": contract.id}))
    return card(body, buttons)


def _quarter_key(meeting: Meeting, contract: Contract) -> str:
    return Quarter.containing(Month.of(meeting.period_start), contract.year_start_month).key


# -- cards ----------------------------------------------------------------------------------------------------


def schedule_card(
    contract: Contract,
    slot: MeetingSlot,
    monthly: MonthlyReturn,
    deadline: ReviewDeadline,
    turn: Turn,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """The schedule form: the deadline in full, a proposed time, and the reason needed if it is later."""
    errors = errors or {}
    received = when_text(monthly.clock_started_at, turn.zone) if monthly.clock_started_at else ""
    body: list[dict[str, Any]] = [
        heading("Schedule the review meeting"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        facts(
            [
                ("Meeting", slot.title),
                ("Return received", received),
                ("Deadline", _deadline_text(deadline, turn)),
            ]
        ),
        subtle(
            "Seed 001 §3.3: within five working days of receiving the return; the day of receipt does not count."
        ),
    ]
    if note:
        body.append(text(note, size="Small"))
    if errors:
        body.append(
            text(
                "Please check the entries below. Nothing has been saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
    body.extend(_schedule_fields(values, errors))
    return card(
        body, [execute("Schedule meeting", "meeting.schedule", {"return_id": monthly.id}, style="positive")]
    )


def _schedule_fields(values: dict[str, str], errors: dict[str, str]) -> list[dict[str, Any]]:
    """Date, time, place, and the reason a later date needs, each with its error beneath it."""
    body: list[dict[str, Any]] = []
    body.append(
        field(date_input("meeting_date", "Date", values.get("meeting_date", "")), errors.get("meeting_date"))
    )
    body.append(
        field(
            time_input("meeting_time", "Start time", values.get("meeting_time", "")),
            errors.get("meeting_time"),
        )
    )
    body.append(
        field(
            input_text(
                "location",
                "Where (room or Teams meeting)",
                values.get("location", ""),
                max_length=LOCATION_MAX,
            ),
            errors.get("location"),
        )
    )
    body.append(
        field(
            input_text(
                "late_reason",
                "Reason, if after the deadline",
                values.get("late_reason", ""),
                multiline=True,
                max_length=REASON_MAX,
            ),
            errors.get("late_reason"),
            "Only needed for a date after the deadline. It is recorded with the meeting.",
        )
    )
    return body


def scheduled_card(
    turn: Turn, meeting: Meeting, contract: Contract, invitees: list[Seat], *, note: str
) -> dict[str, Any]:
    pairs = [
        ("Contract", plain(contract.name)),
        ("When", when_text(meeting.scheduled_for, turn.zone) if meeting.scheduled_for else ""),
    ]
    if meeting.location:
        pairs.append(("Where", plain(meeting.location)))
    deadline = _deadline_of(meeting, turn)
    if deadline:
        pairs.append(("Deadline", _deadline_text(deadline, turn)))
    if meeting.late_reason:
        pairs.append(("Reason for the later date", plain(meeting.late_reason)))
    pairs.append(("Invited", plain(", ".join(s.person.name for s in invitees)) or "nobody yet"))
    body = [
        heading(f"Scheduled: {meeting_title(meeting)}"),
        text(note, color="Good", size="Small"),
        facts(pairs),
    ]
    ref = {"meeting_id": meeting.id}
    return card(
        body,
        [
            execute("View agenda", "meeting.agenda", ref),
            execute("Record the meeting", "meeting.record_open", ref),
            execute("Change the time", "meeting.plan", {"return_id": meeting.return_id}),
        ],
    )


def invitation_card(
    turn: Turn, meeting: Meeting, contract: Contract, seat: Seat, *, rescheduled: bool
) -> dict[str, Any]:
    pairs = [
        ("Contract", plain(contract.name)),
        ("When", when_text(meeting.scheduled_for, turn.zone) if meeting.scheduled_for else ""),
        ("Your seat", plain(", ".join(seat.seats))),
    ]
    if meeting.location:
        pairs.append(("Where", plain(meeting.location)))
    title = ("Moved: " if rescheduled else "You're invited: ") + meeting_title(meeting)
    return card(
        [heading(title), facts(pairs)], [execute("View agenda", "meeting.agenda", {"meeting_id": meeting.id})]
    )


def notice_card(meeting: Meeting, contract: Contract) -> dict[str, Any]:
    """Seed 001 §5.3/§5.4: formal notice to the provider, given at the quarterly meeting."""
    what = NOTICE_WORDS.get(meeting.notice_kind, "Visit")
    pairs = [
        ("Contract", plain(contract.name)),
        ("Planned for", long_date(meeting.notice_on) if meeting.notice_on else ""),
    ]
    if meeting.notice_note:
        pairs.append(("Note", plain(meeting.notice_note)))
    return card(
        [
            heading(f"Notice of {what.lower()}"),
            facts(pairs),
            text(f"Notice given at the {meeting_title(meeting)}. Please support and facilitate it fully."),
        ],
        [execute("View minutes", "meeting.view", {"meeting_id": meeting.id})],
    )


def _pi_row(
    name: str, shown: str, requirement: str, rating: Rag | None, extra: list[dict[str, Any]]
) -> dict[str, Any]:
    return container(
        [
            columns(
                ([text(name, spacing="None"), subtle(f"Minimum: {requirement}")], "stretch"),
                ([text(shown or "not reported")], "auto"),
                ([rag_badge(rating)], "auto"),
            ),
            *extra,
        ],
        spacing="Small",
    )


def record_card(
    turn: Turn, ctx: RecordContext, values: dict[str, str], errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """Everything the meeting decides, in one form: nothing is stored until it all checks out."""
    errors = errors or {}
    meeting = ctx.meeting
    body: list[dict[str, Any]] = [
        heading(f"Record: {meeting_title(meeting)}"),
        text(plain(ctx.contract.name), weight="Bolder", spacing="None"),
    ]
    deadline = _deadline_of(meeting, turn)
    if deadline:
        body.append(subtle(f"Deadline {_deadline_text(deadline, turn)}"))
    if errors:
        count = len(errors)
        body.append(
            text(
                f"Please correct {count} {'entry' if count == 1 else 'entries'} below. Nothing has been saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
    body.append(
        field(date_input("held_date", "Held on", values.get("held_date", "")), errors.get("held_date"))
    )
    body.append(
        field(time_input("held_time", "Started at", values.get("held_time", "")), errors.get("held_time"))
    )
    if deadline and not meeting.late_reason:
        body.append(
            field(
                input_text(
                    "late_reason",
                    "Reason, if held after the deadline",
                    values.get("late_reason", ""),
                    max_length=REASON_MAX,
                ),
                errors.get("late_reason"),
            )
        )
    body.append(text("Attendance", weight="Bolder", size="Medium", spacing="Large"))
    for seat in ctx.invitees:
        key = f"att_{seat.person.id}"
        body.append(
            field(
                choice(key, plain(seat.person.name), ATTENDANCE, values.get(key, "")),
                errors.get(key),
                plain(", ".join(seat.seats)),
            )
        )
    if ctx.vacant:
        body.append(subtle("No one holds: " + plain(", ".join(ctx.vacant))))
    body.append(text("PI review", weight="Bolder", size="Medium", spacing="Large"))
    if not ctx.values:
        body.append(
            text("The return has not been received, so there are no figures to review.", color="Attention")
        )
    for indicator in ctx.indicators:
        spec = indicator_spec(indicator)
        value = ctx.values.get(indicator.code)
        key = f"pi_note_{indicator.code}"
        body.append(
            _pi_row(
                plain(indicator.name),
                format_value(spec, value) if value is not None else "",
                spec.describe_requirement(),
                rag(spec, value),
                [
                    field(
                        input_text(key, "Comment", values.get(key, ""), max_length=NOTE_MAX), errors.get(key)
                    )
                ],
            )
        )
    if ctx.kpis:
        body.append(text("KPI review", weight="Bolder", size="Medium", spacing="Large"))
        for indicator in ctx.kpis:
            spec = indicator_spec(indicator)
            key, note_key = f"kpi_{indicator.code}", f"kpi_note_{indicator.code}"
            raw = values.get(key, "")
            number = _number(raw)
            element = (
                input_text(key, f"{plain(indicator.name)} (result)", raw)
                if raw and number is None
                else input_number(
                    key,
                    f"{plain(indicator.name)} (result)",
                    number,
                    minimum=spec.lower_limit,
                    maximum=spec.upper_limit,
                )
            )
            body.append(
                field(element, errors.get(key), f"Minimum: {spec.describe_requirement()}", spacing="Small")
            )
            body.append(
                field(
                    input_text(note_key, "Comment", values.get(note_key, ""), max_length=NOTE_MAX),
                    errors.get(note_key),
                )
            )
    body.append(
        field(
            input_text(
                "decisions",
                "Decisions",
                values.get("decisions", ""),
                multiline=True,
                max_length=DECISIONS_MAX,
            ),
            errors.get("decisions"),
            spacing="Large",
        )
    )
    body.append(text("Monthly service fee", weight="Bolder", size="Medium", spacing="Large"))
    body.append(
        text(
            "Minimum service requirements met: the fee can be signed off."
            if ctx.met
            else "Minimum service requirements not all met: signing off the fee needs a recorded reason.",
            color="Good" if ctx.met else "Attention",
            size="Small",
        )
    )
    body.append(
        field(
            choice("fee", "Service fee", FEE_CHOICES, values.get("fee", ""), expanded=True), errors.get("fee")
        )
    )
    body.append(
        field(
            input_text(
                "fee_reason",
                "Reason (needed to withhold, or to sign off below the minimum)",
                values.get("fee_reason", ""),
                multiline=True,
                max_length=REASON_MAX,
            ),
            errors.get("fee_reason"),
        )
    )
    reviewable = [a for a in ctx.open_actions if _fates(ctx.kind, a)]
    if reviewable:
        body.append(text("Open actions", weight="Bolder", size="Medium", spacing="Large"))
        for item in reviewable[:15]:
            key = f"fate_{item.id}"
            label = f"{plain(item.description, 150)} (due {short_date(item.due_on)})"
            body.append(
                field(choice(key, label, _fates(ctx.kind, item), values.get(key, "")), errors.get(key))
            )
    body.append(text("New actions", weight="Bolder", size="Medium", spacing="Large"))
    owners = [(plain(p.name), str(p.id)) for p in ctx.people]
    for row in range(1, NEW_ACTION_ROWS + 1):
        what, owner, due = f"act_{row}_what", f"act_{row}_owner", f"act_{row}_due"
        body.append(
            container(
                [
                    field(
                        input_text(what, f"Action {row}: what", values.get(what, ""), max_length=1000),
                        errors.get(what),
                    ),
                    field(
                        choice(owner, "Owner", owners, values.get(owner, ""), placeholder="Choose"),
                        errors.get(owner),
                    ),
                    field(date_input(due, "Due", values.get(due, "")), errors.get(due)),
                ],
                spacing="Medium",
            )
        )
    if ctx.kind is MeetingType.QUARTERLY_CONTRACT:
        body.append(text("Quarter ahead", weight="Bolder", size="Medium", spacing="Large"))
        if ctx.missing:
            body.append(
                text(f"Deliverables still missing: {', '.join(ctx.missing)}", color="Attention", size="Small")
            )
        body.append(
            field(
                input_text(
                    "deep_dive",
                    "Deep-dive focus for the quarter ahead",
                    values.get("deep_dive", ""),
                    max_length=REASON_MAX,
                ),
                errors.get("deep_dive"),
            )
        )
        body.append(
            field(
                choice(
                    "notice_kind",
                    "Notice of audit or monitoring visit",
                    NOTICE_KINDS,
                    values.get("notice_kind", "none"),
                ),
                errors.get("notice_kind"),
            )
        )
        body.append(
            field(
                date_input("notice_date", "Planned for", values.get("notice_date", "")),
                errors.get("notice_date"),
            )
        )
        body.append(
            field(
                input_text(
                    "notice_note", "Notice details", values.get("notice_note", ""), max_length=REASON_MAX
                ),
                errors.get("notice_note"),
            )
        )
    return card(
        body, [execute("Record meeting", "meeting.record", {"meeting_id": meeting.id}, style="positive")]
    )


def _number(raw: str) -> float | None:
    try:
        number = float(raw) if raw.strip() else None
    except ValueError:
        return None
    return int(number) if number is not None and number.is_integer() else number


async def minutes_card(
    turn: Turn, meeting: Meeting, contract: Contract, *, note: str | None = None
) -> dict[str, Any]:
    """What the meeting decided, for everyone who attends it."""
    repo = MeetingsRepository(turn.repos.session)
    attendance = await repo.attendance(meeting.id)  # type: ignore[arg-type]
    people = await repo.people(
        [a.person_id for a in attendance] + ([meeting.recorded_by_id] if meeting.recorded_by_id else [])
    )
    pairs = [("Contract", plain(contract.name))]
    if meeting.held_at:
        pairs.append(("Held", when_text(meeting.held_at, turn.zone)))
    deadline = _deadline_of(meeting, turn)
    if deadline and meeting.held_at:
        pairs.append(
            (
                "Deadline",
                "met"
                if not is_late(meeting.held_at, deadline)
                else f"missed ({long_date(deadline.last_day)})",
            )
        )
    if meeting.late_reason:
        pairs.append(("Reason for the later date", plain(meeting.late_reason)))
    if meeting.recorded_by_id in people:
        pairs.append(("Recorded by", plain(people[meeting.recorded_by_id].name)))  # type: ignore[index]
    body: list[dict[str, Any]] = [heading(f"Minutes: {meeting_title(meeting)}")]
    if note:
        body.append(text(note, color="Good", size="Small"))
    body.append(facts(pairs))
    if attendance:
        body.append(text("Attendance", weight="Bolder", spacing="Medium"))
        body.append(
            facts(
                [
                    (
                        plain(people[a.person_id].name) if a.person_id in people else "",
                        f"{ATTENDANCE_WORDS.get(a.status, a.status)} ({plain(a.seats)})",
                    )
                    for a in attendance
                ]
            )
        )
    for heading_text, review in (("PI review", meeting.pi_review), ("KPI review", meeting.kpi_review)):
        if not review:
            continue
        body.append(text(heading_text, weight="Bolder", spacing="Medium"))
        for row in review:
            rating = Rag(row["rag"]) if row.get("rag") else None
            extra = [subtle("Comment: " + plain(row["note"]))] if row.get("note") else []
            body.append(
                _pi_row(plain(row["name"]), row.get("shown", ""), row.get("requirement", ""), rating, extra)
            )
    fee_pairs = []
    if meeting.fee_decision:
        word = "Signed off" if meeting.fee_decision == FEE_SIGNED_OFF else "Not signed off"
        met = "met" if meeting.requirements_met else "not all met"
        fee_pairs.append(("Monthly service fee", f"{word} (minimum service requirements {met})"))
        if meeting.fee_reason:
            fee_pairs.append(("Reason", plain(meeting.fee_reason)))
    if meeting.deep_dive_focus:
        fee_pairs.append(("Deep-dive focus, quarter ahead", plain(meeting.deep_dive_focus)))
    if meeting.notice_kind:
        fee_pairs.append(
            (
                f"Notice of {NOTICE_WORDS[meeting.notice_kind].lower()}",
                long_date(meeting.notice_on) if meeting.notice_on else "",
            )
        )
    if fee_pairs:
        body.append(facts(fee_pairs))
    if meeting.decisions:
        body.append(
            container([text("Decisions", weight="Bolder"), text(plain(meeting.decisions))], spacing="Medium")
        )
    raised = [
        a for a in await repo.actions_for([contract.id], include_done=True) if a.meeting_id == meeting.id
    ]  # type: ignore[list-item]
    if raised:
        owners = await repo.people(a.owner_id for a in raised)
        body.append(text("Actions", weight="Bolder", spacing="Medium"))
        for item in raised:
            owner = owners.get(item.owner_id)
            status = "done" if item.status == ActionStatus.DONE.value else f"due {short_date(item.due_on)}"
            body.append(
                text(
                    f"• {plain(item.description, 300)} ({plain(owner.name if owner else '')}, {status})",
                    spacing="None",
                )
            )
    return card(
        body,
        [
            execute("Action log", "actions.log", {"contract_id": contract.id}),
            execute("My actions", "actions.mine"),
        ],
    )
