"""Reminder and escalation rules: from a snapshot of returns, meetings, actions and deliverables, what is due now.

Pure: the sweep (scheduler/sweep.py) reads the tables into the plain facts below and writes what
`due_notices` returns to the outbox. Only the current stage of each item is returned, for each person:
after downtime an item a week overdue yields its overdue and escalation notices, never the stale
"due soon". A notice's key holds its kind, subject, due date and recipient, so when a date moves the
key moves with it, and writing the same notice twice is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from commissioning.calendar import WorkingCalendar
from commissioning.deadlines import LONDON, MeetingRules, review_deadline
from commissioning.deliverables import DeliverableStatus, missing
from commissioning.meetings import MeetingType, meeting_for_return
from commissioning.periods import Month, Quarter, last_completed_month
from commissioning.reminder_policy import ReminderPolicy, default_policy

RETURN_DUE_SOON = "return.due_soon"
RETURN_DUE_TODAY = "return.due_today"
RETURN_OVERDUE = "return.overdue"
RETURN_ESCALATED = "return.escalated"
RETURN_DIRECTOR = "return.director"
MEETING_UNSCHEDULED = "meeting.unscheduled"
MEETING_NOT_HELD = "meeting.not_held"
ACTION_DUE_SOON = "action.due_soon"
ACTION_OVERDUE = "action.overdue"
ACTION_CHAIR = "action.chair"
ACTION_MANAGER = "action.manager"
DELIVERABLES_MISSING = "deliverables.missing"
VISIT_NOTICE = "visit.notice"
PERSISTENT_BREACH = "breach.persistent"

KINDS = (
    RETURN_DUE_SOON,
    RETURN_DUE_TODAY,
    RETURN_OVERDUE,
    RETURN_ESCALATED,
    RETURN_DIRECTOR,
    MEETING_UNSCHEDULED,
    MEETING_NOT_HELD,
    ACTION_DUE_SOON,
    ACTION_OVERDUE,
    ACTION_CHAIR,
    ACTION_MANAGER,
    DELIVERABLES_MISSING,
    VISIT_NOTICE,
    PERSISTENT_BREACH,
)

PROVIDER_CONTACT, HEAD_OF_SERVICE = "provider_contact", "head_of_service"
COMMISSIONER, PROGRAMME_MANAGER, DIRECTOR = "commissioner", "programme_manager", "director"


# -- working hours --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When non-urgent notifications may go out: working days, between start and end, on the zone's clock.

    Times are read in `zone`, so 09:00 means 09:00 in London in summer (08:00 UTC) and in winter
    (09:00 UTC), whichever side of a clock change the moment falls.
    """

    start: time = time(9, 0)
    end: time = time(17, 30)
    zone: tzinfo = LONDON
    calendar: WorkingCalendar = field(kw_only=True)

    @classmethod
    def of(cls, policy: ReminderPolicy, zone: tzinfo, calendar: WorkingCalendar) -> WorkingHours:
        return cls(policy.working_hours.start, policy.working_hours.end, zone, calendar=calendar)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return self.calendar.is_working_day(local.date()) and self.start <= local.time() < self.end

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself when inside working hours, else the start of the next working period."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(self.zone)
        day = local.date()
        if not (self.calendar.is_working_day(day) and local.time() < self.start):
            day = self.calendar.next_working_day(day)
        return datetime.combine(day, self.start, tzinfo=self.zone).astimezone(moment.tzinfo)

    def next_working_morning(self, moment: datetime) -> datetime:
        """The start of working hours on the next working day after `moment`'s day: where a snooze ends."""
        day = self.calendar.next_working_day(moment.astimezone(self.zone).date())
        return datetime.combine(day, self.start, tzinfo=self.zone).astimezone(moment.tzinfo)


def working_days_before(calendar: WorkingCalendar, day: date, n: int) -> date:
    """The working day `n` working days before `day` (`day` itself never counts); n=0 gives `day`."""
    found = day
    for _ in range(n):
        found -= timedelta(days=1)
        while not calendar.is_working_day(found):
            found -= timedelta(days=1)
    return found


# -- the snapshot ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonFacts:
    id: int
    name: str
    manager_id: int | None = None
    teams_id: str | None = None  # Teams user id or Azure AD object id: what a mention needs


@dataclass(frozen=True, slots=True)
class ContractFacts:
    id: int
    name: str
    starts_on: date
    ends_on: date
    year_start_month: int = 4
    policy: ReminderPolicy = field(default_factory=default_policy)
    roles: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # role → person ids

    def holders(self, *roles: str) -> tuple[int, ...]:
        """Holders of the first of `roles` that anyone holds: the fallbacks come after."""
        for role in roles:
            found = self.roles.get(role, ())
            if found:
                return tuple(found)
        return ()

    def ran_in(self, month: Month) -> bool:
        return month.last_day >= self.starts_on and month.first_day <= self.ends_on


@dataclass(frozen=True, slots=True)
class ReturnFacts:
    """A monthly return that exists (draft or received); `missed` are indicators below their minimum."""

    contract_id: int
    month: Month
    return_id: int
    received_at: datetime | None = None
    clock_started_at: datetime | None = None
    missed: Mapping[str, str] = field(default_factory=dict)  # code → name, in the latest submitted version


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    id: int
    contract_id: int
    kind: str
    period_start: date
    period_label: str
    status: str = "scheduled"
    scheduled_for: datetime | None = None
    scheduled_by_id: int | None = None
    recorded_by_id: int | None = None
    recorded_at: datetime | None = None
    held_at: datetime | None = None
    notice_kind: str = ""
    notice_on: date | None = None
    kpi_missed: Mapping[str, str] = field(
        default_factory=dict
    )  # KPI code → name, from a held quarterly meeting


@dataclass(frozen=True, slots=True)
class ActionFacts:
    id: int
    contract_id: int
    description: str
    owner_id: int
    due_on: date
    chair_id: int | None = None  # who convened the meeting that raised it (or who raised it)


@dataclass(frozen=True, slots=True)
class Snapshot:
    contracts: Mapping[int, ContractFacts]
    people: Mapping[int, PersonFacts] = field(default_factory=dict)
    returns: tuple[ReturnFacts, ...] = ()
    meetings: tuple[MeetingFacts, ...] = ()
    actions: tuple[ActionFacts, ...] = ()
    # (contract id, quarter start) → codes supplied or marked not applicable
    deliverables: Mapping[tuple[int, date], frozenset[str]] = field(default_factory=dict)
    # (person id, subject) → the end of that person's latest snooze of it
    snoozes: Mapping[tuple[int, str], datetime] = field(default_factory=dict)
    # (person id, subject, due date) acknowledged
    acknowledged: frozenset[tuple[int, str, date]] = frozenset()


# -- what the rules return ------------------------------------------------------------------------------------


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

    @property
    def key(self) -> str:
        """The idempotency key: kind, subject, due date and recipient (plus the stage and snooze round)."""
        kind = f"{self.kind}@{self.stage}" if self.stage else self.kind
        key = f"remind:{kind}:{self.subject}:{self.due_on.isoformat()}:{self.recipient_id}"
        return key + (f"~{self.after_snooze}" if self.after_snooze else "")


def due_notices(snapshot: Snapshot, now: datetime, meeting_rules: MeetingRules) -> list[Notice]:
    """Every notice due at `now`: the current stage of each item for each person, snoozes and acks applied."""
    calendar, zone = meeting_rules.calendar, meeting_rules.zone
    today = now.astimezone(zone).date()
    found: list[Notice] = [
        *return_notices(snapshot, today, calendar),
        *meeting_notices(snapshot, today, meeting_rules),
        *action_notices(snapshot, today, calendar),
        *deliverable_notices(snapshot, today, calendar, zone),
        *visit_notices(snapshot, today, calendar, zone),
        *breach_notices(snapshot, today, zone),
    ]
    furthest: dict[tuple[str, int], Notice] = {}
    for notice in found:
        key = (notice.subject, notice.recipient_id)
        if key not in furthest or notice.rank > furthest[key].rank:
            furthest[key] = notice
    due: list[Notice] = []
    for notice in furthest.values():
        if notice.before_deadline and (
            (notice.recipient_id, notice.subject, notice.due_on) in snapshot.acknowledged
        ):
            continue
        until = snapshot.snoozes.get((notice.recipient_id, notice.subject))
        if until is not None and not notice.urgent:
            if until > now:
                continue
            notice = replace(notice, after_snooze=until.astimezone(zone).strftime("%Y%m%dT%H%M"))
        due.append(notice)
    return sorted(due, key=lambda n: (n.due_on, n.contract_id, n.subject, n.rank, n.recipient_id))


def _stale(policy: ReminderPolicy, day: date, today: date) -> bool:
    return (today - day).days > policy.stop_chasing_after_days


def _each(
    recipients: Iterable[int | None], template: dict[str, Any], subject: str, due_on: date, contract_id: int
) -> list[Notice]:
    """One notice per recipient, in order, each person once."""
    return [
        Notice(subject=subject, due_on=due_on, recipient_id=person, contract_id=contract_id, **template)
        for person in dict.fromkeys(recipients)
        if person is not None
    ]


# -- monthly returns ------------------------------------------------------------------------------------------


def return_due_date(month: Month, policy: ReminderPolicy, calendar: WorkingCalendar) -> date:
    """The Nth working day of the month after `month`."""
    return calendar.working_days_after(month.last_day, policy.monthly_return.due_working_day)


def return_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    """Due soon, due today and overdue to the provider contact; then the head of service and commissioner; then the director."""
    received = {(r.contract_id, r.month) for r in snapshot.returns if r.received_at is not None}
    notices: list[Notice] = []
    for contract in snapshot.contracts.values():
        policy = contract.policy
        month = last_completed_month(today)
        while month.last_day >= contract.starts_on:
            due = return_due_date(month, policy, calendar)
            if _stale(policy, due, today):
                break
            if contract.ran_in(month) and (contract.id, month) not in received:
                notices.extend(_return_stages(contract, month, due, today, calendar))
            month = month.previous()
    return notices


def _return_stages(
    contract: ContractFacts, month: Month, due: date, today: date, calendar: WorkingCalendar
) -> list[Notice]:
    rules = contract.policy.monthly_return
    subject = f"return:{contract.id}:{month.key}"
    ref = {"month": month.key, "contract_id": contract.id}
    providers = contract.holders(PROVIDER_CONTACT, HEAD_OF_SERVICE)
    escalate_on = calendar.working_days_after(due, rules.escalate_after_working_days)
    director_on = (
        calendar.working_days_after(due, rules.director_after_working_days)
        if rules.director_after_working_days is not None
        else None
    )
    notices: list[Notice] = []

    def add(recipients: Iterable[int | None], **template: Any) -> None:
        notices.extend(_each(recipients, {"ref": ref, **template}, subject, due, contract.id))

    soon_from = working_days_before(calendar, due, rules.due_soon_working_days)
    if today > due:
        add(
            providers, kind=RETURN_OVERDUE, rank=3, since=due, next_kind=RETURN_ESCALATED, next_on=escalate_on
        )
    elif today == due:
        add(providers, kind=RETURN_DUE_TODAY, rank=2, before_deadline=True)
    elif rules.due_soon_working_days and today >= soon_from:
        add(providers, kind=RETURN_DUE_SOON, rank=1, before_deadline=True)
    if today >= escalate_on:
        add(
            [*contract.holders(HEAD_OF_SERVICE), *contract.holders(COMMISSIONER, PROGRAMME_MANAGER)],
            kind=RETURN_ESCALATED,
            rank=4,
            escalation=True,
            since=due,
            responsible=providers,
            next_kind=RETURN_DIRECTOR if director_on else None,
            next_on=director_on,
        )
    if director_on is not None and today >= director_on:
        add(
            contract.holders(DIRECTOR),
            kind=RETURN_DIRECTOR,
            rank=5,
            escalation=True,
            since=due,
            responsible=providers,
        )
    return notices


# -- review meetings ------------------------------------------------------------------------------------------


def meeting_notices(snapshot: Snapshot, today: date, meeting_rules: MeetingRules) -> list[Notice]:
    """Not scheduled N working days after receipt → commissioner; not held by the deadline → their manager."""
    meetings = {(m.contract_id, m.kind, m.period_start): m for m in snapshot.meetings}
    notices: list[Notice] = []
    for ret in snapshot.returns:
        contract = snapshot.contracts.get(ret.contract_id)
        if contract is None or ret.clock_started_at is None:
            continue
        rules = contract.policy.review_meeting
        slot = meeting_for_return(ret.month, contract.year_start_month)
        deadline = review_deadline(ret.clock_started_at, meeting_rules)
        if _stale(contract.policy, deadline.last_day, today):
            continue
        meeting = meetings.get((contract.id, slot.kind.value, slot.period_start))
        if meeting is not None and meeting.status == "held":
            continue
        subject = f"meeting:{contract.id}:{slot.kind.value}:{slot.period_start.isoformat()}"
        ref = {
            "contract_id": contract.id,
            "return_id": ret.return_id,
            "meeting_id": meeting.id if meeting else None,
            "title": slot.title,
            "scheduled_for": meeting.scheduled_for.isoformat() if meeting and meeting.scheduled_for else None,
        }
        commissioners = contract.holders(COMMISSIONER, PROGRAMME_MANAGER)
        calendar = meeting_rules.calendar
        manager_on = calendar.working_days_after(deadline.last_day, rules.manager_after_working_days)
        remind_on = calendar.working_days_after(deadline.receipt_day, rules.schedule_within_working_days)
        scheduled = meeting is not None and meeting.scheduled_for is not None
        if not scheduled and today >= remind_on:
            notices.extend(
                _each(
                    commissioners,
                    {
                        "kind": MEETING_UNSCHEDULED,
                        "rank": 1,
                        "before_deadline": True,
                        "ref": ref,
                        "next_kind": MEETING_NOT_HELD,
                        "next_on": manager_on,
                    },
                    subject,
                    deadline.last_day,
                    contract.id,
                )
            )
        if today >= manager_on:
            managers = [snapshot.people[c].manager_id for c in commissioners if c in snapshot.people]
            if not any(managers):
                managers = list(contract.holders(DIRECTOR))
            notices.extend(
                _each(
                    managers,
                    {
                        "kind": MEETING_NOT_HELD,
                        "rank": 2,
                        "escalation": True,
                        "since": deadline.last_day,
                        "responsible": commissioners,
                        "ref": ref,
                    },
                    subject,
                    deadline.last_day,
                    contract.id,
                )
            )
    return notices


# -- actions --------------------------------------------------------------------------------------------------


def action_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    """Due soon and overdue to the owner; overdue beyond a limit → the meeting's chair, then the owner's manager."""
    notices: list[Notice] = []
    for action in snapshot.actions:
        contract = snapshot.contracts.get(action.contract_id)
        if contract is None or _stale(contract.policy, action.due_on, today):
            continue
        rules = contract.policy.actions
        due = action.due_on
        subject = f"action:{action.id}"
        ref = {"action_id": action.id, "contract_id": contract.id, "description": action.description}
        chair_on = calendar.working_days_after(due, rules.chair_after_working_days)
        manager_on = calendar.working_days_after(due, rules.manager_after_working_days)
        chair = action.chair_id if action.chair_id != action.owner_id else None
        owner = snapshot.people.get(action.owner_id)
        manager = owner.manager_id if owner else None
        if manager is None and action.chair_id in snapshot.people:
            manager = snapshot.people[action.chair_id].manager_id  # type: ignore[index]
        template: dict[str, Any] = {"ref": ref}

        def add(recipients: Iterable[int | None], **stage: Any) -> None:
            notices.extend(_each(recipients, {**template, **stage}, subject, due, contract.id))  # noqa: B023

        if today > due:
            add(
                [action.owner_id],
                kind=ACTION_OVERDUE,
                rank=2,
                since=due,
                next_kind=ACTION_CHAIR if chair else ACTION_MANAGER,
                next_on=chair_on if chair else manager_on,
            )
        elif rules.due_soon_working_days and today >= working_days_before(
            calendar, due, rules.due_soon_working_days
        ):
            add([action.owner_id], kind=ACTION_DUE_SOON, rank=1, before_deadline=True)
        if chair is not None and today >= chair_on:
            add(
                [chair],
                kind=ACTION_CHAIR,
                rank=3,
                escalation=True,
                since=due,
                responsible=(action.owner_id,),
                next_kind=ACTION_MANAGER if manager else None,
                next_on=manager_on if manager else None,
            )
        if manager is not None and manager != action.owner_id and today >= manager_on:
            add(
                [manager],
                kind=ACTION_MANAGER,
                rank=4,
                escalation=True,
                since=due,
                responsible=(action.owner_id,),
            )
    return notices


# -- quarterly deliverables -----------------------------------------------------------------------------------


def deliverable_notices(
    snapshot: Snapshot, today: date, calendar: WorkingCalendar, zone: tzinfo
) -> list[Notice]:
    """Deliverables still missing N working days before the quarterly meeting → the provider contact."""
    notices: list[Notice] = []
    for meeting in snapshot.meetings:
        contract = snapshot.contracts.get(meeting.contract_id)
        if (
            contract is None
            or meeting.kind != MeetingType.QUARTERLY_CONTRACT.value
            or meeting.status == "held"
            or meeting.scheduled_for is None
        ):
            continue
        meeting_day = meeting.scheduled_for.astimezone(zone).date()
        rules = contract.policy.quarterly_deliverables
        if today > meeting_day or today < working_days_before(
            calendar, meeting_day, rules.before_meeting_working_days
        ):
            continue
        done = snapshot.deliverables.get((contract.id, meeting.period_start), frozenset())
        gaps = missing(
            {code: DeliverableStatus.SUPPLIED for code in done}  # supplied or not applicable: not missing
        )
        if not gaps:
            continue
        quarter = Quarter.containing(Month.of(meeting.period_start), contract.year_start_month)
        notices.extend(
            _each(
                contract.holders(PROVIDER_CONTACT, HEAD_OF_SERVICE),
                {
                    "kind": DELIVERABLES_MISSING,
                    "rank": 1,
                    "before_deadline": True,
                    "ref": {
                        "contract_id": contract.id,
                        "quarter": quarter.key,
                        "quarter_label": quarter.label,
                        "meeting_id": meeting.id,
                        "meeting_at": meeting.scheduled_for.isoformat(),
                        "missing": [d.code for d in gaps],
                    },
                },
                f"deliverables:{contract.id}:{quarter.key}",
                meeting_day,
                contract.id,
            )
        )
    return notices


# -- audit and monitoring visits ------------------------------------------------------------------------------


def visit_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar, zone: tzinfo) -> list[Notice]:
    """Reminders of a planned audit or monitoring visit, N working days before it, to the provider side."""
    notices: list[Notice] = []
    for meeting in snapshot.meetings:
        contract = snapshot.contracts.get(meeting.contract_id)
        if contract is None or not meeting.notice_kind or meeting.notice_on is None:
            continue
        if today > meeting.notice_on:
            continue
        given = meeting.recorded_at.astimezone(zone).date() if meeting.recorded_at else None
        current: int | None = None
        for rank, days in enumerate(contract.policy.visits.notice_working_days_before, start=1):
            remind_on = working_days_before(calendar, meeting.notice_on, days)
            if today >= remind_on and (given is None or remind_on > given):
                current = rank
        if current is None:
            continue
        days = contract.policy.visits.notice_working_days_before[current - 1]
        notices.extend(
            _each(
                contract.holders(PROVIDER_CONTACT, HEAD_OF_SERVICE) + contract.holders(HEAD_OF_SERVICE),
                {
                    "kind": VISIT_NOTICE,
                    "rank": current,
                    "stage": f"{days}wd",
                    "before_deadline": True,
                    "ref": {
                        "contract_id": contract.id,
                        "meeting_id": meeting.id,
                        "visit": meeting.notice_kind,
                        "working_days": days,
                    },
                },
                f"visit:{meeting.id}",
                meeting.notice_on,
                contract.id,
            )
        )
    return notices


# -- persistent breach ----------------------------------------------------------------------------------------


def breach_notices(snapshot: Snapshot, today: date, zone: tzinfo) -> list[Notice]:
    """The same indicator missed in two periods running (months for PIs, quarters for KPIs) → the director."""
    notices: list[Notice] = []
    returns = {(r.contract_id, r.month): r for r in snapshot.returns if r.received_at is not None}
    for (contract_id, month), ret in sorted(returns.items(), key=lambda item: item[0]):
        before = returns.get((contract_id, month.previous()))
        contract = snapshot.contracts.get(contract_id)
        if before is None or contract is None or ret.received_at is None:
            continue
        on = ret.received_at.astimezone(zone).date()
        if _stale(contract.policy, on, today):
            continue
        for code in sorted(set(ret.missed) & set(before.missed)):
            notices.extend(
                _breach(
                    contract,
                    code,
                    ret.missed[code],
                    on,
                    f"breach:{contract.id}:{code}:{month.key}",
                    {"periods": [month.previous().label, month.label], "return_id": ret.return_id},
                    since=month.previous().first_day,
                )
            )
    held = {
        (m.contract_id, m.period_start): m
        for m in snapshot.meetings
        if m.kind == MeetingType.QUARTERLY_CONTRACT.value and m.status == "held" and m.held_at
    }
    for (contract_id, start), meeting in sorted(held.items()):
        contract = snapshot.contracts.get(contract_id)
        if contract is None:
            continue
        quarter = Quarter.containing(Month.of(start), contract.year_start_month)
        last_quarter = held.get((contract_id, quarter.previous().first_day))
        on = meeting.held_at.astimezone(zone).date()  # type: ignore[union-attr]
        if last_quarter is None or _stale(contract.policy, on, today):
            continue
        for code in sorted(set(meeting.kpi_missed) & set(last_quarter.kpi_missed)):
            notices.extend(
                _breach(
                    contract,
                    code,
                    meeting.kpi_missed[code],
                    on,
                    f"breach:{contract.id}:{code}:{quarter.key}",
                    {"periods": [quarter.previous().label, quarter.label], "meeting_id": meeting.id},
                    since=quarter.previous().first_day,
                )
            )
    return notices


def _breach(
    contract: ContractFacts,
    code: str,
    name: str,
    on: date,
    subject: str,
    extra: dict[str, Any],
    *,
    since: date,
) -> list[Notice]:
    return _each(
        contract.holders(DIRECTOR, COMMISSIONER),
        {
            "kind": PERSISTENT_BREACH,
            "rank": 1,
            "urgent": contract.policy.persistent_breach.urgent,
            "escalation": True,
            "since": since,
            "responsible": contract.holders(HEAD_OF_SERVICE, PROVIDER_CONTACT),
            "ref": {"contract_id": contract.id, "code": code, "name": name, **extra},
        },
        subject,
        on,
        contract.id,
    )
