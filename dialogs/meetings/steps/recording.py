"""Recording a meeting that was held: the form, then the minutes stored, actions raised and moved, all told."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commissioning.dates import parse_day
from commissioning.indicators import format_value, rag, validate_values
from commissioning.meetings import FEE_SIGNED_OFF
from commissioning.roles import Permission
from dialogs import actions as action_log
from dialogs.base import NoPayload, Refused, Reply, Turn
from dialogs.common import PROVIDER_ROLES, meeting_title
from dialogs.meetings.cards.kpis import computed_kpis
from dialogs.meetings.cards.lists import to_record_card
from dialogs.meetings.cards.minutes import minutes_card
from dialogs.meetings.cards.notice import NOTICE_WORDS, notice_card
from dialogs.meetings.cards.record import ON_THE_CONTRACT, RecordView, record_card
from dialogs.meetings.context import RecordContext, fates, open_meeting, record_context
from dialogs.meetings.payloads import NEW_ACTION_ROWS, MeetingRef
from dialogs.meetings.record_form import read_record
from storage.contracts import indicator_spec
from storage.models import Indicator
from storage.repositories import Repositories

ALREADY_RECORDED = "This meeting has already been recorded."


async def record_list(turn: Turn, _: NoPayload) -> Reply:
    contracts = turn.contracts_where(Permission.RECORD_MEETING)
    if not contracts:
        raise Refused("Only the commissioner or a programme manager can record a meeting.", reason="no role")
    by_id = {c.id: c for c in contracts}
    scheduled = await turn.repos.meetings.meetings(by_id, status="scheduled")
    return Reply(card=to_record_card(turn, scheduled, by_id))


async def record_open(turn: Turn, payload: MeetingRef) -> Reply:
    opened = await open_meeting(turn, payload.meeting_id, Permission.RECORD_MEETING)
    meeting, contract = opened.meeting, opened.contract
    if meeting.status == "held":
        return Reply(card=await minutes_card(turn, meeting, contract, note=ALREADY_RECORDED))
    ctx = await record_context(turn, meeting, contract)
    start = meeting.scheduled_for or turn.now
    local = start.astimezone(turn.zone)
    values: dict[str, str] = {"held_date": local.date().isoformat(), "held_time": f"{local:%H:%M}"}
    for seat in ctx.invitees:
        values[f"att_{seat.person.id}"] = "attended"
    for item in ctx.open_actions:
        if fates(ctx.kind, item):
            values[f"fate_{item.id}"] = "keep"
    values["fee"] = FEE_SIGNED_OFF if ctx.met else ""
    return Reply(card=record_card(turn, RecordView(ctx, values, {})))


@dataclass
class ActionsDecided:
    """The actions the meeting raised and moved, and whether anyone was told through the outbox."""

    created: list[int] = field(default_factory=list)
    carried: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    notify: bool = False


async def record(turn: Turn, payload: MeetingRef) -> Reply:
    opened = await open_meeting(turn, payload.meeting_id, Permission.RECORD_MEETING)
    meeting, contract = opened.meeting, opened.contract
    if meeting.status == "held":
        return Reply(card=await minutes_card(turn, meeting, contract, note=ALREADY_RECORDED), replace=True)
    ctx = await record_context(turn, meeting, contract)
    view = read_record(turn, ctx)
    if view.errors or view.held_at is None:
        return Reply(card=record_card(turn, view), replace=True)
    held_at = view.held_at
    await _store_minutes(turn, view, held_at)
    turn.repos.session.add(meeting)
    repos = turn.repos
    await repos.meetings.set_attendance(meeting.id, _attendance(view))
    decided = ActionsDecided()
    await _raise_actions(turn, view, repos, decided)
    await _move_actions(turn, view, decided)
    _audit(turn, view, held_at, decided)
    await turn.repos.session.flush()
    notify = await _send_minutes(turn, ctx) | decided.notify
    notify = await _send_notice(turn, ctx) | notify
    return Reply(
        card=await minutes_card(
            turn, meeting, contract, note="Recorded. The minutes are sent to the attendees."
        ),
        replace=True,
        notify=notify,
    )


def _attendance(view: RecordView) -> list[tuple[int, str, str]]:
    """Each seat holder as marked, and anyone else on the contract who was there."""
    ctx, values = view.ctx, view.values
    rows = [(s.person.id, ", ".join(s.seats), values[f"att_{s.person.id}"]) for s in ctx.invitees]
    rows += [
        (p.id, ON_THE_CONTRACT, "attended") for p in ctx.others if values.get(f"att_{p.id}") == "attended"
    ]
    return rows


async def _store_minutes(turn: Turn, view: RecordView, held_at: datetime) -> None:
    """The meeting as held: when, who recorded it, the reviews, decisions, fee and the quarter's agreements."""
    ctx, values, meeting = view.ctx, view.values, view.ctx.meeting
    late_reason = values.get("late_reason", "")
    meeting.status = "held"
    meeting.held_at = held_at
    meeting.recorded_by_id = turn.person.id
    meeting.recorded_at = turn.now
    meeting.pi_review = _pi_review(ctx, values)
    meeting.kpi_review = _kpi_review(ctx, values)
    meeting.requirements_met = ctx.met
    meeting.decisions = values.get("decisions", "")
    meeting.fee_decision = values["fee"]
    meeting.fee_reason = values.get("fee_reason", "")
    if late_reason and not meeting.late_reason:
        meeting.late_reason = late_reason
    if meeting.return_id is not None:
        monthly = await turn.repos.returns.get(meeting.return_id)
        meeting.return_version = monthly.current_version if monthly else 0
    if ctx.quarterly:
        meeting.deep_dive_focus = values.get("deep_dive", "")
        kind = values.get("notice_kind", "none")
        if kind in NOTICE_WORDS:
            meeting.notice_kind = kind
            meeting.notice_on = parse_day(values.get("notice_date", ""))
            meeting.notice_note = values.get("notice_note", "")


def _pi_review(ctx: RecordContext, values: dict[str, str]) -> list[dict[str, Any]]:
    """The return's PIs as the minutes keep them, each with the meeting's comment."""
    return [
        reviewed_indicator(i, ctx.values.get(i.code), values.get(f"pi_note_{i.code}", ""))
        for i in ctx.indicators
    ]


def _kpi_review(ctx: RecordContext, values: dict[str, str]) -> list[dict[str, Any]]:
    """The quarter's KPI results as worked out (or, without `kpis`, as entered); a result left empty is blank."""
    if ctx.worked is not None:
        return [kpi.as_review(values.get(f"kpi_note_{kpi.code}", "")) for kpi in computed_kpis(ctx.worked)]
    kpi_values, _ = validate_values(
        [indicator_spec(k) for k in ctx.kpis],
        {k.code: values.get(f"kpi_{k.code}", "") for k in ctx.kpis},
        require_all=False,
    )
    return [
        reviewed_indicator(
            k, kpi_values.get(k.code), values.get(f"kpi_note_{k.code}", ""), blank_if_missing=True
        )
        for k in ctx.kpis
    ]


def reviewed_indicator(
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


async def _raise_actions(turn: Turn, view: RecordView, repos: Repositories, decided: ActionsDecided) -> None:
    """Each filled-in new action row becomes an action, and its owner is told."""
    ctx, values, meeting = view.ctx, view.values, view.ctx.meeting
    people = {p.id: p for p in ctx.people}
    for row in range(1, NEW_ACTION_ROWS + 1):
        what = values.get(f"act_{row}_what", "")
        if not what:
            continue
        owner = people[int(values[f"act_{row}_owner"])]
        item = await repos.actions.add_action(
            contract_id=ctx.contract.id,
            meeting_id=meeting.id,
            description=what,
            owner_id=owner.id,
            due_on=parse_day(values[f"act_{row}_due"]),  # type: ignore[arg-type]  # read_record refused the row unless it parsed
            level=ctx.action_level,
            by_id=turn.person.id,
            now=turn.now,
        )
        decided.created.append(item.id)
        decided.notify |= await action_log.notify_assigned(
            turn, item, ctx.contract, owner, meeting_title(meeting)
        )


async def _move_actions(turn: Turn, view: RecordView, decided: ActionsDecided) -> None:
    """The open actions the meeting carried to the quarterly meeting or escalated to the governance board."""
    ctx, title = view.ctx, meeting_title(view.ctx.meeting)
    for item in ctx.open_actions:
        fate = view.values.get(f"fate_{item.id}", "keep")
        if fate == "carry":
            await action_log.carry(turn, item, ctx.contract, f"Not resolved at the {title}.")
            decided.carried.append(item.id)
        elif fate == "escalate":
            decided.notify |= await action_log.escalate(
                turn, item, ctx.contract, f"Escalated by the {title}."
            )
            decided.escalated.append(item.id)


def _audit(turn: Turn, view: RecordView, held_at: datetime, decided: ActionsDecided) -> None:
    ctx, meeting = view.ctx, view.ctx.meeting
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="meeting.recorded",
        entity="meeting",
        entity_id=meeting.id,
        contract_id=ctx.contract.id,
        before={"status": "scheduled"},
        after={
            "status": "held",
            "held_at": held_at.isoformat(),
            "attendance": {str(s.person.id): view.values[f"att_{s.person.id}"] for s in ctx.invitees},
            "requirements_met": ctx.met,
            "fee_decision": meeting.fee_decision,
            "fee_reason": meeting.fee_reason,
            "late_reason": meeting.late_reason,
            "actions_created": decided.created,
            "carried": decided.carried,
            "escalated": decided.escalated,
            "deep_dive_focus": meeting.deep_dive_focus,
            "notice": {
                "kind": meeting.notice_kind,
                "on": meeting.notice_on.isoformat() if meeting.notice_on else None,
            },
        },
    )


async def _send_minutes(turn: Turn, ctx: RecordContext) -> bool:
    """Every attendee but the one recording gets the minutes; False when no one was sent them."""
    meeting, contract = ctx.meeting, ctx.contract
    minutes = await minutes_card(turn, meeting, contract)
    sent = False
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
        sent = True
    return sent


async def _send_notice(turn: Turn, ctx: RecordContext) -> bool:
    """Seed 001 §5.3/§5.4: the provider's people get formal notice of a planned audit or visit."""
    meeting, contract = ctx.meeting, ctx.contract
    if not meeting.notice_kind:
        return False
    sent = False
    for person in await turn.repos.people.people_with_roles(contract.id, PROVIDER_ROLES):
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
        sent = True
    return sent
