"""What every meeting step starts from: the return or meeting checked, its deadline, seats and live figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from commissioning.actions import ActionLevel
from commissioning.deadlines import ReviewDeadline, review_deadline
from commissioning.deliverables import DeliverableStatus
from commissioning.deliverables import missing as missing_deliverables
from commissioning.indicators import rag
from commissioning.meetings import (
    AttendeeRole,
    MeetingSlot,
    MeetingType,
    meeting_for_return,
    requirements_met,
)
from commissioning.periods import Month, Quarter
from commissioning.roles import Permission, Role
from commissioning.seats import fills, seats_for
from dialogs.base import Refused, Turn
from dialogs.common import NO_ROLE, contract_for, contract_people
from storage.contracts import indicator_spec
from storage.meeting_models import ActionItem, Meeting
from storage.models import Contract, Indicator, MonthlyReturn, Person
from storage.quarter import WorkedQuarter, uses_pbr


@dataclass
class ReturnContext:
    contract: Contract
    monthly: MonthlyReturn
    month: Month
    slot: MeetingSlot
    deadline: ReviewDeadline


async def return_context(turn: Turn, return_id: int, permission: Permission) -> ReturnContext:
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
    started = await clock_start(turn, contract, monthly.clock_started_at, slot)
    return ReturnContext(contract, monthly, month, slot, review_deadline(started, turn.rules.meetings))


async def clock_start(turn: Turn, contract: Contract, received: datetime, slot: MeetingSlot) -> datetime:
    """When the meeting's five working days start: a quarterly meeting whose KPI return is in runs from the
    later of the quarter's last monthly return and the KPI return (docs/quarter.md)."""
    if slot.kind is not MeetingType.QUARTERLY_CONTRACT or not (contract.kpis or uses_pbr(contract)):
        return received
    quarter = Quarter.containing(Month.of(slot.period_start), contract.year_start_month)
    kpi_return = await turn.repos.quarter.find_return(contract.id, quarter)
    if kpi_return is None or kpi_return.received_at is None:
        return received
    return max(received, kpi_return.received_at)


@dataclass(frozen=True)
class OpenedMeeting:
    """A meeting the sender may act on, and its contract."""

    meeting: Meeting
    contract: Contract


async def open_meeting(turn: Turn, meeting_id: int, permission: Permission) -> OpenedMeeting:
    meeting = await turn.repos.meetings.meeting(meeting_id)
    if meeting is None:
        raise Refused(NO_ROLE, reason="unknown meeting")
    return OpenedMeeting(meeting, contract_for(turn, meeting.contract_id, permission))


def deadline_of(meeting: Meeting, turn: Turn) -> ReviewDeadline | None:
    if meeting.deadline_on is None or meeting.deadline_at is None:
        return None
    return ReviewDeadline(meeting.deadline_on, meeting.deadline_on, meeting.deadline_at.astimezone(turn.zone))


@dataclass
class Seat:
    person: Person
    seats: list[str]


@dataclass(frozen=True)
class Invitees:
    """Who is invited, each with the seats they fill; the seats no one holds; the others on the contract."""

    seats: list[Seat]
    vacant: list[str]
    others: list[Person] = field(default_factory=list)


async def invitees(turn: Turn, contract: Contract, kind: MeetingType) -> Invitees:
    """The meeting's seats (the portfolio's, else seed 001 §3.4/§4.5), each filled from the contract's people."""
    people, roles = await _people_on(turn, contract)
    seats: dict[int, Seat] = {}
    vacant: list[str] = []
    for seat in await _seat_rules(turn, contract, kind):
        holders = [p for p in people if fills(seat, p.email, roles[p.id])]
        if not holders:
            vacant.append(seat.title)
        for person in holders:
            seats.setdefault(person.id, Seat(person, [])).seats.append(seat.title)
    others = [p for p in people if p.id not in seats]
    return Invitees(list(seats.values()), vacant, others)


async def _people_on(turn: Turn, contract: Contract) -> tuple[list[Person], dict[int, set[Role]]]:
    """Everyone with a role on the contract, in the order people are listed, and the roles each holds."""
    people: dict[int, Person] = {}
    roles: dict[int, set[Role]] = {}
    for role in Role:
        for person in await turn.repos.people.people_with_roles(contract.id, frozenset({role})):
            people.setdefault(person.id, person)
            roles.setdefault(person.id, set()).add(role)
    return sorted(people.values(), key=lambda p: p.id), roles


async def _seat_rules(turn: Turn, contract: Contract, kind: MeetingType) -> tuple[AttendeeRole, ...]:
    commissioner = await turn.repos.contracts.organisation(contract.commissioner_org_id)
    provider = await turn.repos.contracts.organisation(contract.provider_org_id)
    return seats_for(
        kind,
        contract=contract.seats,
        commissioner=commissioner.seats if commissioner else None,
        provider=provider.seats if provider else None,
    )


@dataclass
class RecordContext:
    meeting: Meeting
    contract: Contract
    kind: MeetingType
    invitees: list[Seat]
    vacant: list[str]
    others: list[Person]  # on the contract without a seat: any of them can be marked present
    indicators: list[Indicator]
    values: dict[str, float]
    kpis: list[Indicator]
    people: list[Person]
    open_actions: list[ActionItem]
    deliverables: dict[str, DeliverableStatus]  # the quarter's checklist; empty for a monthly meeting
    met: bool
    # A quarterly meeting of a contract with `kpis`: the quarter worked out by the rules (docs/quarter.md),
    # shown instead of asking for typed-in results.
    worked: WorkedQuarter | None = None

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

    @property
    def quarterly(self) -> bool:
        return self.kind is MeetingType.QUARTERLY_CONTRACT


RECORDING = "Recording the meeting"


def with_recorder(seats: list[Seat], recorder: Person) -> list[Seat]:
    """The invitees and, when they hold no seat, the person recording: they were there too."""
    if any(seat.person.id == recorder.id for seat in seats):
        return seats
    return [*seats, Seat(recorder, [RECORDING])]


async def record_context(turn: Turn, meeting: Meeting, contract: Contract) -> RecordContext:
    kind = MeetingType(meeting.kind)
    invited = await invitees(turn, contract, kind)
    indicators = await turn.repos.contracts.indicators(contract.id)
    values = await _return_values(turn, meeting)
    kpis = (
        await turn.repos.contracts.indicators(contract.id, "quarterly")
        if kind is MeetingType.QUARTERLY_CONTRACT
        else []
    )
    worked = None
    if kind is MeetingType.QUARTERLY_CONTRACT and contract.kpis:
        quarter = Quarter.containing(Month.of(meeting.period_start), contract.year_start_month)
        worked = await turn.repos.quarter.work_out(contract, quarter)
        kpis = []  # the contract's KPIs are worked out from the returns, not typed in at the meeting
    repos = turn.repos
    open_actions = await repos.actions.actions_for([contract.id])
    deliverables: dict[str, DeliverableStatus] = {}
    if kind is MeetingType.QUARTERLY_CONTRACT:
        rows = await repos.deliverables.deliverables(contract.id, meeting.period_start)
        deliverables = {code: DeliverableStatus(r.status) for code, r in rows.items()}
    met = requirements_met(rag(indicator_spec(i), values.get(i.code)) for i in indicators)
    return RecordContext(
        meeting,
        contract,
        kind,
        with_recorder(invited.seats, turn.person),
        invited.vacant,
        [p for p in invited.others if p.id != turn.person.id],
        indicators,
        values,
        kpis,
        await contract_people(turn, contract.id),
        open_actions,
        deliverables,
        met,
        worked,
    )


async def _return_values(turn: Turn, meeting: Meeting) -> dict[str, float]:
    """The figures of the return the meeting reviews, as last submitted; none when it has not come in."""
    if meeting.return_id is None:
        return {}
    monthly = await turn.repos.returns.get(meeting.return_id)
    if monthly is None or not monthly.current_version:
        return {}
    latest = await turn.repos.returns.version(monthly.id, monthly.current_version)
    return latest.values if latest else {}


def fates(kind: MeetingType, item: ActionItem) -> list[tuple[str, str]]:
    """What this meeting may decide about an open action it reviews."""
    level = ActionLevel(item.level)
    if kind is MeetingType.MONTHLY_REVIEW and level is ActionLevel.MONTHLY:
        return [("Keep open", "keep"), ("Not resolved: carry to the quarterly meeting", "carry")]
    if kind is MeetingType.QUARTERLY_CONTRACT and level is ActionLevel.MONTHLY:
        return [("Keep open", "keep"), ("Hold at the quarterly meeting", "carry")]
    if kind is MeetingType.QUARTERLY_CONTRACT and level is ActionLevel.QUARTERLY:
        return [("Keep open", "keep"), ("Escalate to the governance board", "escalate")]
    return []
