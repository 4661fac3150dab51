"""The deadline sweep: reads returns, meetings, actions and deliverables, and writes what is due to the outbox.

Reminders are derived from state on every run, never kept as one-off jobs. Each notice carries an
idempotency key (kind, subject, due date, recipient): writing it again is a no-op, so two sweeps at
once, a restart or a second replica send nothing twice. A reminder still waiting to go whose subject no
longer applies (the return came in, the action was done, the date moved) is cancelled before it goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.actions import ActionStatus
from commissioning.clock import Clock
from commissioning.deliverables import DeliverableStatus
from commissioning.meetings import MeetingType
from commissioning.periods import Month
from commissioning.reminder_policy import PolicyError, ReminderPolicy
from commissioning.reminders import (
    ActionFacts,
    ContractFacts,
    MeetingFacts,
    Notice,
    PersonFacts,
    ReturnFacts,
    Snapshot,
    WorkingHours,
    due_notices,
)
from commissioning.rules import Rules
from scheduler.cards import NoticeRenderer
from storage.deliveries import opened_facts
from storage.engine import Database
from storage.improvement_facts import improvement_facts
from storage.leave import LeaveRepository, covered_lines
from storage.meeting_models import ActionItem, DeliverableRecord, Meeting
from storage.models import (
    Contract,
    ContractRole,
    MonthlyReturn,
    Person,
    ReportingPeriod,
)
from storage.notices import notices_due
from storage.outbox import REMINDER_PREFIX, Outbox, Queued
from storage.quarter import expected_kpi_returns
from storage.reminders import RemindersRepository
from storage.statuses import MeetingStatus, NotificationStatus

log = logging.getLogger(__name__)

# How far back the sweep reads: enough for any policy's stop_chasing_after_days plus a month either side.
LOOKBACK = timedelta(days=430)
DONE_STATUSES = (DeliverableStatus.SUPPLIED, DeliverableStatus.NOT_APPLICABLE)


@dataclass(frozen=True, slots=True)
class SweepResult:
    due: int = 0
    added: int = 0
    revived: int = 0
    cancelled: int = 0


def _reach(contracts: Mapping[int, ContractFacts], today: date) -> dict[int, date]:
    """Per contract, the earliest day a result can have come in and still be chased (its stop_chasing_after_days)."""
    return {
        contract_id: today - timedelta(days=contract.policy.stop_chasing_after_days)
        for contract_id, contract in contracts.items()
    }


class Sweep:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        rules: Rules,
        *,
        notice: NoticeRenderer,
        on_added: Callable[[], None] | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self._rules = rules
        self._notice = notice
        self._policy = rules.policy
        self._zone = rules.zone
        self._calendar = rules.calendar
        self._hours = rules.hours
        self._on_added = on_added

    @property
    def rules(self) -> Rules:
        return self._rules

    @property
    def hours(self) -> WorkingHours:
        return self._hours

    async def run_once(self) -> SweepResult:
        """Read the state, work out what is due now, enqueue it and withdraw what no longer applies."""
        now = self._clock.now()
        async with self._db.session() as session:
            snapshot = await self.snapshot(session, now)
        notices = due_notices(snapshot, now, self._rules.meetings)
        today = now.astimezone(self._zone).date()
        added = revived = 0
        async with self._db.session() as session:
            outbox = Outbox(session)
            existing = await outbox.statuses([n.key for n in notices])
            fresh: dict[str, Queued] = {}  # by key: a notice listed twice is written once
            opens = self._hours.next_open(now)
            for notice in notices:
                not_before = now if notice.urgent else opens
                status = existing.get(notice.key)
                if status is None and notice.key not in fresh:
                    fresh[notice.key] = Queued(
                        key=notice.key,
                        kind=REMINDER_PREFIX + notice.kind,
                        recipient_id=notice.recipient_id,
                        contract_id=notice.contract_id,
                        payload=self._payload(notice, snapshot, today),
                        not_before=not_before,
                        urgent=notice.urgent,
                    )
                elif status == NotificationStatus.CANCELLED:
                    revived += await outbox.revive(notice.key, not_before=not_before)
            added = await outbox.enqueue_many(list(fresh.values()), now=now)  # in the order the notices came
            wanted = {notice.key for notice in notices}
            stale = [row_id for row_id, key in await outbox.waiting_reminders() if key not in wanted]
            cancelled = await outbox.cancel(stale, reason="no longer due") if stale else 0
        if (added or revived) and self._on_added is not None:
            self._on_added()
        if added or revived or cancelled:
            log.info(
                "sweep: %d due, %d added, %d revived, %d withdrawn", len(notices), added, revived, cancelled
            )
        return SweepResult(len(notices), added, revived, cancelled)

    def _payload(self, notice: Notice, snapshot: Snapshot, today: date) -> dict[str, object]:
        late = (
            self._calendar.working_days_between(notice.since or notice.due_on, today)
            if notice.escalation
            else None
        )
        return self._notice(notice, snapshot, zone=self._zone, working_days_late=late)

    # -- reading the state ---------------------------------------------------------------------------------

    async def snapshot(self, session: AsyncSession, now: datetime) -> Snapshot:
        today = now.astimezone(self._zone).date()
        since = today - LOOKBACK
        running = list(
            (await session.execute(select(Contract).where(col(Contract.ends_on) >= since))).scalars()
        )
        contracts = await self._contracts(session, running)
        ids = list(contracts)
        query = select(
            col(Person.id),
            col(Person.name),
            col(Person.manager_id),
            col(Person.teams_user_id),
            col(Person.aad_object_id),
        )
        people = {
            pid: PersonFacts(pid, name, manager, teams_id or aad_id)
            for pid, name, manager, teams_id, aad_id in await session.execute(query)
        }
        returns, received = await self._returns(session, ids, since) if ids else ((), {})
        meetings, rows = await self._meetings(session, ids, since) if ids else ((), [])
        actions = await self._actions(session, ids) if ids else ()
        deliverables = await self._deliverables(session, rows) if rows else {}
        repo = RemindersRepository(session)
        acknowledged = frozenset(
            (a.person_id, a.subject, a.due_on) for a in await repo.acknowledgements(since)
        )
        leave = await LeaveRepository(session).since(since)
        return Snapshot(
            contracts=contracts,
            people=people,
            returns=returns,
            meetings=meetings,
            actions=actions,
            deliverables=deliverables,
            snoozes=await repo.snoozes(),
            acknowledged=acknowledged,
            improvement=await improvement_facts(
                session, ids, since, self._zone, _reach(contracts, today), received
            ),
            kpi_returns=await expected_kpi_returns(session, running, since, today),
            opened=await opened_facts(session, now),
            leave=leave,
            covered=await covered_lines(session, leave),
            performance_notices=await notices_due(session, running, since, today),
        )

    async def _contracts(self, session: AsyncSession, rows: list[Contract]) -> dict[int, ContractFacts]:
        roles: dict[int, dict[str, list[int]]] = {}
        if rows:
            query = (
                select(col(ContractRole.contract_id), col(ContractRole.role), col(ContractRole.person_id))
                .where(col(ContractRole.contract_id).in_([c.id for c in rows]))
                .order_by(col(ContractRole.person_id))
            )
            for contract_id, role, person_id in await session.execute(query):
                roles.setdefault(contract_id, {}).setdefault(role, []).append(person_id)
        found: dict[int, ContractFacts] = {}
        for contract in rows:
            found[contract.id] = ContractFacts(
                id=contract.id,
                name=contract.name,
                starts_on=contract.starts_on,
                ends_on=contract.ends_on,
                year_start_month=contract.year_start_month,
                policy=self._contract_policy(contract),
                roles={role: tuple(people) for role, people in roles.get(contract.id, {}).items()},
            )
        return found

    def _contract_policy(self, contract: Contract) -> ReminderPolicy:
        try:
            return self._policy.with_overrides(contract.reminders)
        except PolicyError as error:  # the import checks overrides; a hand-edited row is reported, not fatal
            log.warning("contract %s: reminder overrides ignored: %s", contract.key, error)
            return self._policy

    async def _returns(
        self, session: AsyncSession, ids: list[int], since: date
    ) -> tuple[tuple[ReturnFacts, ...], dict[int, tuple[int, date, datetime]]]:
        """Every monthly return of these contracts since `since`, and of those the ones received (a version
        submitted): return id → (contract id, first day of its month, when it came in)."""
        query = (
            select(
                col(MonthlyReturn.id),
                col(MonthlyReturn.contract_id),
                col(ReportingPeriod.starts_on),
                col(MonthlyReturn.received_at),
                col(MonthlyReturn.clock_started_at),
                col(MonthlyReturn.current_version),
            )
            .join(ReportingPeriod, col(ReportingPeriod.id) == col(MonthlyReturn.period_id))
            .where(
                col(MonthlyReturn.contract_id).in_(ids),
                col(ReportingPeriod.kind) == "month",
                col(ReportingPeriod.starts_on) >= since,
            )
        )
        months: dict[date, Month] = {}
        facts: list[ReturnFacts] = []
        received: dict[int, tuple[int, date, datetime]] = {}
        for (
            return_id,
            contract_id,
            starts_on,
            received_at,
            clock_started_at,
            version,
        ) in await session.execute(query):
            month = months.get(starts_on) or months.setdefault(starts_on, Month.of(starts_on))
            facts.append(
                ReturnFacts(contract_id, month, return_id, received_at, clock_started_at or received_at)
            )
            if received_at is not None and version > 0:
                received[return_id] = (contract_id, starts_on, received_at)
        return tuple(facts), received

    async def _meetings(
        self, session: AsyncSession, ids: list[int], since: date
    ) -> tuple[tuple[MeetingFacts, ...], list[Meeting]]:
        query = select(Meeting).where(
            col(Meeting.contract_id).in_(ids),
            col(Meeting.period_start) >= since,
        )
        rows = list((await session.execute(query)).scalars())
        facts = tuple(
            MeetingFacts(
                id=m.id,
                contract_id=m.contract_id,
                kind=m.kind,
                period_start=m.period_start,
                period_label=m.period_label,
                status=m.status,
                scheduled_for=m.scheduled_for,
                scheduled_by_id=m.scheduled_by_id,
                recorded_by_id=m.recorded_by_id,
                recorded_at=m.recorded_at,
                held_at=m.held_at,
                notice_kind=m.notice_kind,
                notice_on=m.notice_on,
                kpi_missed={
                    str(row.get("code")): str(row.get("name", row.get("code")))
                    for row in m.kpi_review or []
                    if isinstance(row, dict) and row.get("rag") in ("red", "amber")
                },
            )
            for m in rows
        )
        return facts, rows

    async def _actions(self, session: AsyncSession, ids: list[int]) -> tuple[ActionFacts, ...]:
        query = select(ActionItem).where(
            col(ActionItem.contract_id).in_(ids),
            col(ActionItem.status) != ActionStatus.DONE,
        )
        items = list((await session.execute(query)).scalars())
        meeting_ids = {a.meeting_id for a in items if a.meeting_id is not None}
        chairs: dict[int, int | None] = {}
        if meeting_ids:
            rows = await session.execute(
                select(col(Meeting.id), col(Meeting.scheduled_by_id), col(Meeting.recorded_by_id)).where(
                    col(Meeting.id).in_(meeting_ids)
                )
            )
            chairs = {row[0]: row[1] or row[2] for row in rows.all()}
        return tuple(
            ActionFacts(
                id=a.id,
                contract_id=a.contract_id,
                description=a.description,
                owner_id=a.owner_id,
                due_on=a.due_on,
                # No chair is recorded: the person who convened the meeting chairs it, else who raised the action.
                chair_id=(chairs.get(a.meeting_id) if a.meeting_id else None) or a.created_by_id,
            )
            for a in items
        )

    async def _deliverables(
        self, session: AsyncSession, meetings: list[Meeting]
    ) -> dict[tuple[int, date], frozenset[str]]:
        quarters = {
            (m.contract_id, m.period_start)
            for m in meetings
            if m.kind == MeetingType.QUARTERLY_CONTRACT.value and m.status != MeetingStatus.HELD
        }
        if not quarters:
            return {}
        # One query for every quarter; rows matching a contract and a start from different quarters are skipped.
        query = select(
            col(DeliverableRecord.contract_id),
            col(DeliverableRecord.quarter_start),
            col(DeliverableRecord.code),
        ).where(
            col(DeliverableRecord.contract_id).in_({contract_id for contract_id, _ in quarters}),
            col(DeliverableRecord.quarter_start).in_({start for _, start in quarters}),
            col(DeliverableRecord.status).in_(DONE_STATUSES),
        )
        done: dict[tuple[int, date], set[str]] = {quarter: set() for quarter in quarters}
        for contract_id, start, code in (await session.execute(query)).all():
            if (contract_id, start) in done:
                done[(contract_id, start)].add(code)
        return {quarter: frozenset(codes) for quarter, codes in done.items()}
