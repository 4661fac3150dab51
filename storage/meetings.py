"""Repository for review meetings and who attended them, and the returns waiting for one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.meeting_models import Meeting, MeetingAttendance
from storage.models import MonthlyReturn, ReportingPeriod
from storage.rows import find_or_add
from storage.statuses import MeetingStatus


@dataclass(frozen=True, slots=True)
class ReceivedReturn:
    """A submitted monthly return and the month it covers."""

    monthly: MonthlyReturn
    period: ReportingPeriod


class MeetingsRepository:
    """Review meetings, their attendance, and the received returns they review."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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
        return await find_or_add(
            self.session,
            lambda: self.find_meeting(contract_id, kind, period_start),
            lambda: Meeting(
                contract_id=contract_id,
                kind=kind,
                period_start=period_start,
                period_label=period_label,
                created_at=now,
            ),
        )

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
