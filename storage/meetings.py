"""Repository for meetings and attendance, the action log with each action's history, and deliverables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.actions import ActionLevel, ActionState, ActionStatus
from storage.meeting_models import ActionEvent, ActionItem, DeliverableRecord, Meeting, MeetingAttendance
from storage.models import MonthlyReturn, Person, ReportingPeriod
from storage.statuses import MeetingStatus


@dataclass(frozen=True, slots=True)
class ReceivedReturn:
    """A submitted monthly return and the month it covers."""

    monthly: MonthlyReturn
    period: ReportingPeriod


def action_state(item: ActionItem) -> ActionState:
    """The pure rule object for a stored action."""
    return ActionState(
        status=ActionStatus(item.status),
        level=ActionLevel(item.level),
        due_on=item.due_on,
        requested_due_on=item.requested_due_on,
        progress=item.progress,
    )


def action_snapshot(item: ActionItem) -> dict[str, Any]:
    """What the history and the audit trail keep of an action, before and after a change."""
    return {
        "status": item.status,
        "level": item.level,
        "due_on": item.due_on.isoformat(),
        "requested_due_on": item.requested_due_on.isoformat() if item.requested_due_on else None,
        "progress": item.progress,
        "owner_id": item.owner_id,
    }


class MeetingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- meetings ------------------------------------------------------------------------------------------

    async def meeting(self, meeting_id: int) -> Meeting | None:
        return await self.session.get(Meeting, meeting_id)

    async def find_meeting(self, contract_id: int, kind: str, period_start: date) -> Meeting | None:
        query = select(Meeting).where(
            col(Meeting.contract_id) == contract_id,
            col(Meeting.kind) == kind,
            col(Meeting.period_start) == period_start,
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def find_or_create_meeting(
        self, contract_id: int, kind: str, period_start: date, period_label: str, now: datetime
    ) -> tuple[Meeting, bool]:
        """The meeting for a period, created on first use; True when it was created now."""
        found = await self.find_meeting(contract_id, kind, period_start)
        if found is not None:
            return found, False
        meeting = Meeting(
            contract_id=contract_id,
            kind=kind,
            period_start=period_start,
            period_label=period_label,
            created_at=now,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(meeting)
        except IntegrityError:
            found = await self.find_meeting(contract_id, kind, period_start)
            assert found is not None
            return found, False
        return meeting, True

    async def meetings(
        self, contract_ids: Iterable[int], *, status: str | None = None, kind: str | None = None
    ) -> list[Meeting]:
        ids = list(contract_ids)
        if not ids:
            return []
        query = select(Meeting).where(col(Meeting.contract_id).in_(ids))
        if status is not None:
            query = query.where(col(Meeting.status) == status)
        if kind is not None:
            query = query.where(col(Meeting.kind) == kind)
        query = query.order_by(col(Meeting.period_start), col(Meeting.id))
        return list((await self.session.execute(query)).scalars())

    async def previous_held(self, contract_id: int, kind: str, before: date) -> Meeting | None:
        """The last held meeting of `kind` for a period before `before`: where last quarter's focus was agreed."""
        query = (
            select(Meeting)
            .where(
                col(Meeting.contract_id) == contract_id,
                col(Meeting.kind) == kind,
                col(Meeting.status) == MeetingStatus.HELD,
                col(Meeting.period_start) < before,
            )
            .order_by(col(Meeting.period_start).desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def received_returns(self, contract_ids: Iterable[int]) -> list[ReceivedReturn]:
        ids = list(contract_ids)
        if not ids:
            return []
        query = (
            select(MonthlyReturn, ReportingPeriod)
            .join(ReportingPeriod, col(ReportingPeriod.id) == col(MonthlyReturn.period_id))
            .where(
                col(MonthlyReturn.contract_id).in_(ids),
                col(MonthlyReturn.received_at).is_not(None),
            )
            .order_by(col(ReportingPeriod.starts_on), col(MonthlyReturn.id))
        )
        return [ReceivedReturn(m, p) for m, p in (await self.session.execute(query)).all()]

    async def set_attendance(self, meeting_id: int, rows: list[tuple[int, str, str]]) -> None:
        """Replace the attendance of a meeting with (person id, seats, status) rows."""
        for old in await self.attendance(meeting_id):
            await self.session.delete(old)
        await self.session.flush()
        for person_id, seats, status in rows:
            self.session.add(
                MeetingAttendance(meeting_id=meeting_id, person_id=person_id, seats=seats, status=status)
            )

    async def attendance(self, meeting_id: int) -> list[MeetingAttendance]:
        query = (
            select(MeetingAttendance)
            .where(col(MeetingAttendance.meeting_id) == meeting_id)
            .order_by(col(MeetingAttendance.id))
        )
        return list((await self.session.execute(query)).scalars())

    # -- actions -------------------------------------------------------------------------------------------

    async def add_action(
        self,
        *,
        contract_id: int,
        meeting_id: int | None,
        description: str,
        owner_id: int,
        due_on: date,
        level: ActionLevel,
        by_id: int,
        now: datetime,
    ) -> ActionItem:
        item = ActionItem(
            contract_id=contract_id,
            meeting_id=meeting_id,
            description=description,
            owner_id=owner_id,
            due_on=due_on,
            status=ActionStatus.OPEN.value,
            level=level.value,
            created_by_id=by_id,
            created_at=now,
            updated_at=now,
        )
        self.session.add(item)
        await self.session.flush()
        self.add_event(
            item, kind="created", actor_id=by_id, now=now, note=description, after=action_snapshot(item)
        )
        return item

    async def action(self, action_id: int, *, for_update: bool = False) -> ActionItem | None:
        """An action; `for_update` locks its row (PostgreSQL) so two decisions cannot cross."""
        query = select(ActionItem).where(col(ActionItem.id) == action_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def actions_owned_by(self, person_id: int, *, include_done: bool = False) -> list[ActionItem]:
        query = select(ActionItem).where(col(ActionItem.owner_id) == person_id)
        if not include_done:
            query = query.where(col(ActionItem.status) != ActionStatus.DONE.value)
        query = query.order_by(col(ActionItem.due_on), col(ActionItem.id))
        return list((await self.session.execute(query)).scalars())

    async def actions_for(
        self, contract_ids: Iterable[int], *, include_done: bool = False
    ) -> list[ActionItem]:
        ids = list(contract_ids)
        if not ids:
            return []
        query = select(ActionItem).where(col(ActionItem.contract_id).in_(ids))
        if not include_done:
            query = query.where(col(ActionItem.status) != ActionStatus.DONE.value)
        query = query.order_by(col(ActionItem.due_on), col(ActionItem.id))
        return list((await self.session.execute(query)).scalars())

    async def awaiting_decision(self, contract_ids: Iterable[int]) -> list[ActionItem]:
        ids = list(contract_ids)
        if not ids:
            return []
        query = (
            select(ActionItem)
            .where(
                col(ActionItem.contract_id).in_(ids),
                col(ActionItem.requested_due_on).is_not(None),
                col(ActionItem.status) != ActionStatus.DONE.value,
            )
            .order_by(col(ActionItem.due_on), col(ActionItem.id))
        )
        return list((await self.session.execute(query)).scalars())

    def add_event(
        self,
        item: ActionItem,
        *,
        kind: str,
        actor_id: int | None,
        now: datetime,
        note: str = "",
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> ActionEvent:
        event = ActionEvent(
            action_id=item.id,
            at=now,
            actor_id=actor_id,
            kind=kind,
            note=note,
            before=before or {},
            after=after or {},
        )
        self.session.add(event)
        return event

    async def history(self, action_id: int) -> list[ActionEvent]:
        query = (
            select(ActionEvent)
            .where(col(ActionEvent.action_id) == action_id)
            .order_by(col(ActionEvent.at), col(ActionEvent.id))
        )
        return list((await self.session.execute(query)).scalars())

    async def people(self, person_ids: Iterable[int]) -> dict[int, Person]:
        ids = sorted(set(person_ids))
        if not ids:
            return {}
        query = select(Person).where(col(Person.id).in_(ids))
        return {p.id: p for p in (await self.session.execute(query)).scalars()}

    # -- deliverables --------------------------------------------------------------------------------------

    async def deliverables(self, contract_id: int, quarter_start: date) -> dict[str, DeliverableRecord]:
        query = select(DeliverableRecord).where(
            col(DeliverableRecord.contract_id) == contract_id,
            col(DeliverableRecord.quarter_start) == quarter_start,
        )
        return {row.code: row for row in (await self.session.execute(query)).scalars()}

    async def save_deliverable(
        self,
        *,
        contract_id: int,
        quarter_start: date,
        code: str,
        status: str,
        location: str,
        note: str,
        reason: str,
        by_id: int,
        now: datetime,
        existing: DeliverableRecord | None,
    ) -> DeliverableRecord:
        row = existing or DeliverableRecord(
            contract_id=contract_id,
            quarter_start=quarter_start,
            code=code,
            status=status,
            updated_by_id=by_id,
            updated_at=now,
        )
        row.status = status
        row.location = location
        row.note = note
        row.reason = reason
        row.updated_by_id = by_id
        row.updated_at = now
        self.session.add(row)
        return row
