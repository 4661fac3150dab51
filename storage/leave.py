"""Repository for leave: record a person's leave (replacing leave it overlaps), and read it for the sweep."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.leave import Leave
from storage.leave_models import LeaveRecord
from storage.models import Notification


def as_leave(row: LeaveRecord) -> Leave:
    return Leave(
        id=row.id,
        person_id=row.person_id,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        delegates={int(contract): int(person) for contract, person in (row.delegates or {}).items()},
    )


class LeaveRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        person_id: int,
        starts_on: date,
        ends_on: date,
        delegates: Mapping[int, int],
        *,
        by_id: int | None,
        now: datetime,
    ) -> tuple[LeaveRecord, list[LeaveRecord]]:
        """Record leave; leave of theirs it overlaps is replaced (returned, for the audit). Recording the same
        leave twice leaves one row."""
        overlapping = list(
            (
                await self.session.execute(
                    select(LeaveRecord).where(
                        col(LeaveRecord.person_id) == person_id,
                        col(LeaveRecord.starts_on) <= ends_on,
                        col(LeaveRecord.ends_on) >= starts_on,
                    )
                )
            ).scalars()
        )
        if overlapping:
            await self.session.execute(
                delete(LeaveRecord).where(col(LeaveRecord.id).in_([row.id for row in overlapping]))
            )
        row = LeaveRecord(
            person_id=person_id,
            starts_on=starts_on,
            ends_on=ends_on,
            delegates={str(contract): person for contract, person in delegates.items()},
            recorded_by_id=by_id,
            recorded_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return row, overlapping

    async def of(self, person_id: int, since: date) -> list[LeaveRecord]:
        """The person's leave ending on or after `since`, earliest first."""
        query = (
            select(LeaveRecord)
            .where(col(LeaveRecord.person_id) == person_id, col(LeaveRecord.ends_on) >= since)
            .order_by(col(LeaveRecord.starts_on))
        )
        return list((await self.session.execute(query)).scalars())

    async def since(self, day: date) -> tuple[Leave, ...]:
        """Everyone's leave ending on or after `day`: what the sweep needs."""
        query = select(LeaveRecord).where(col(LeaveRecord.ends_on) >= day)
        return tuple(as_leave(row) for row in (await self.session.execute(query)).scalars())


async def covered_lines(session: AsyncSession, leaves: tuple[Leave, ...]) -> dict[int, tuple[str, ...]]:
    """Per person on leave, the one-line summaries of what went to their stand-ins while they were away."""
    if not leaves:
        return {}
    earliest = datetime.combine(min(leave.starts_on for leave in leaves), time(0), tzinfo=UTC)
    query = (
        select(Notification)
        .where(
            col(Notification.kind).startswith("remind."),
            col(Notification.status) == "sent",
            col(Notification.sent_at) >= earliest,
        )
        .order_by(col(Notification.id))
    )
    found: dict[int, list[str]] = {}
    for row in (await session.execute(query)).scalars():
        meta = row.payload.get("reminder") if isinstance(row.payload, dict) else None
        covering = meta.get("covering_for") if isinstance(meta, dict) else None
        if not isinstance(covering, int) or row.sent_at is None or not isinstance(meta, dict):
            continue
        sent_on = row.sent_at.date()
        if any(leave.person_id == covering and leave.covers(sent_on) for leave in leaves):
            found.setdefault(covering, []).append(f"{meta.get('line', '')} (sent to {meta.get('to', '')})")
    return {person: tuple(lines) for person, lines in found.items()}
