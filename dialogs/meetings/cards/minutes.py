"""The minutes: what the meeting decided, for everyone who attends it."""

from __future__ import annotations

from typing import Any

from commissioning.actions import ActionStatus
from commissioning.dates import long_date
from commissioning.deadlines import is_late
from commissioning.indicators import Rag
from commissioning.meetings import FEE_SIGNED_OFF, MeetingType
from commissioning.periods import Month, Quarter
from dialogs.base import Turn
from dialogs.cards import card, container, execute, facts, heading, plain, subtle, text
from dialogs.common import meeting_title, short_date, when_text
from dialogs.improvement.agenda import flagged_buttons
from dialogs.meetings.cards.notice import NOTICE_WORDS
from dialogs.meetings.cards.record import ATTENDANCE_WORDS
from dialogs.meetings.cards.rows import pi_row
from dialogs.meetings.context import deadline_of
from dialogs.quarter.cards.words import money
from storage.meeting_models import Meeting, MeetingAttendance
from storage.models import Contract, Person
from storage.quarter import has_quarter
from storage.repositories import Repositories


async def minutes_card(
    turn: Turn, meeting: Meeting, contract: Contract, *, note: str | None = None
) -> dict[str, Any]:
    """What the meeting decided, for everyone who attends it."""
    repos = turn.repos
    attendance = await repos.meetings.attendance(meeting.id)
    people = await repos.people.by_ids(
        [a.person_id for a in attendance] + ([meeting.recorded_by_id] if meeting.recorded_by_id else [])
    )
    body: list[dict[str, Any]] = [heading(f"Minutes: {meeting_title(meeting)}")]
    if note:
        body.append(text(note, color="Good", size="Small"))
    body.append(facts(_held_pairs(turn, meeting, contract, people)))
    body += _attendance(attendance, people)
    body += _reviews(meeting)
    body += await _outcome_payment(turn, meeting, contract)
    decided = _decided_pairs(meeting)
    if decided:
        body.append(facts(decided))
    if meeting.decisions:
        body.append(
            container([text("Decisions", weight="Bolder"), text(plain(meeting.decisions))], spacing="Medium")
        )
    body += await _raised(repos, meeting, contract)
    body += await flagged_buttons(turn, meeting, contract)
    return card(
        body,
        [
            execute("Action log", "actions.log", {"contract_id": contract.id}),
            execute("My actions", "actions.mine"),
        ],
    )


def _held_pairs(
    turn: Turn, meeting: Meeting, contract: Contract, people: dict[int, Person]
) -> list[tuple[str, str]]:
    """When it was held, against its deadline, and who recorded it."""
    pairs = [("Contract", plain(contract.name))]
    if meeting.held_at:
        pairs.append(("Held", when_text(meeting.held_at, turn.zone)))
    deadline = deadline_of(meeting, turn)
    if deadline and meeting.held_at:
        missed = is_late(meeting.held_at, deadline)
        pairs.append(("Deadline", "met" if not missed else f"missed ({long_date(deadline.last_day)})"))
    if meeting.late_reason:
        pairs.append(("Reason for the later date", plain(meeting.late_reason)))
    if meeting.recorded_by_id in people:
        pairs.append(("Recorded by", plain(people[meeting.recorded_by_id].name)))
    return pairs


def _attendance(attendance: list[MeetingAttendance], people: dict[int, Person]) -> list[dict[str, Any]]:
    if not attendance:
        return []
    rows = [
        (
            plain(people[a.person_id].name) if a.person_id in people else "",
            f"{ATTENDANCE_WORDS.get(a.status, a.status)} ({plain(a.seats)})",
        )
        for a in attendance
    ]
    return [text("Attendance", weight="Bolder", spacing="Medium"), facts(rows)]


def _reviews(meeting: Meeting) -> list[dict[str, Any]]:
    """The PI and KPI reviews as the minutes kept them, each row with its comment."""
    body: list[dict[str, Any]] = []
    for heading_text, review in (("PI review", meeting.pi_review), ("KPI review", meeting.kpi_review)):
        if not review:
            continue
        body.append(text(heading_text, weight="Bolder", spacing="Medium"))
        for row in review:
            rating = Rag(row["rag"]) if row.get("rag") else None
            extra = [subtle("Comment: " + plain(row["note"]))] if row.get("note") else []
            measure = "Target" if row.get("measure") == "Target" else "Minimum"
            body.append(
                pi_row(
                    plain(row["name"]),
                    row.get("shown", ""),
                    row.get("requirement", ""),
                    rating,
                    extra,
                    measure=measure,
                )
            )
    return body


async def _outcome_payment(turn: Turn, meeting: Meeting, contract: Contract) -> list[dict[str, Any]]:
    """A quarterly meeting of a contract with KPIs (or a fee or PbR): the payment as approved (who, when, why),
    or not yet."""
    if meeting.kind != MeetingType.QUARTERLY_CONTRACT.value or not has_quarter(contract):
        return []
    what = "Outcome payment" if not contract.payment_terms else "Quarter's payment"
    quarter = Quarter.containing(Month.of(meeting.period_start), contract.year_start_month)
    approval = await turn.repos.quarter.approval(contract.id, quarter)
    if approval is None:
        return [facts([(what, "not approved yet")])]
    people = await turn.repos.people.by_ids([approval.approved_by_id])
    who = people[approval.approved_by_id].name if approval.approved_by_id in people else ""
    pairs = [
        (f"{what} approved", money(approval.amount_pence)),
        ("Approved by", f"{plain(who)}, {when_text(approval.approved_at, turn.zone)}"),
    ]
    if approval.reason:
        pairs += [("Computed", money(approval.computed_pence)), ("Reason", plain(approval.reason))]
    return [facts(pairs)]


def _decided_pairs(meeting: Meeting) -> list[tuple[str, str]]:
    """The fee decision, the quarter's deep-dive focus and any notice given."""
    pairs = []
    if meeting.fee_decision:
        word = "Signed off" if meeting.fee_decision == FEE_SIGNED_OFF else "Not signed off"
        met = "met" if meeting.requirements_met else "not all met"
        pairs.append(("Monthly service fee", f"{word} (minimum service requirements {met})"))
        if meeting.fee_reason:
            pairs.append(("Reason", plain(meeting.fee_reason)))
    if meeting.deep_dive_focus:
        pairs.append(("Deep-dive focus, quarter ahead", plain(meeting.deep_dive_focus)))
    if meeting.notice_kind:
        pairs.append(
            (
                f"Notice of {NOTICE_WORDS[meeting.notice_kind].lower()}",
                long_date(meeting.notice_on) if meeting.notice_on else "",
            )
        )
        if meeting.notice_note:
            pairs.append(("Notice details", plain(meeting.notice_note)))
    return pairs


async def _raised(repos: Repositories, meeting: Meeting, contract: Contract) -> list[dict[str, Any]]:
    """The actions this meeting raised, each with its owner and whether it is done."""
    raised = [
        a
        for a in await repos.actions.actions_for([contract.id], include_done=True)
        if a.meeting_id == meeting.id
    ]
    if not raised:
        return []
    owners = await repos.people.by_ids(a.owner_id for a in raised)
    body = [text("Actions", weight="Bolder", spacing="Medium")]
    for item in raised:
        owner = owners.get(item.owner_id)
        status = "done" if item.status == ActionStatus.DONE.value else f"due {short_date(item.due_on)}"
        body.append(
            text(
                f"• {plain(item.description, 300)} ({plain(owner.name if owner else '')}, {status})",
                spacing="None",
            )
        )
    return body
