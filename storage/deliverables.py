"""Repository for the quarterly deliverables each contract supplies."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.meeting_models import DeliverableRecord


class DeliverablesRepository:
    """What a provider has supplied for each quarter's checklist."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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
