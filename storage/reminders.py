"""Repository for reminder snoozes and acknowledgements, and the scheduler's database lease."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.engine import rowcount, upsert_insert
from storage.reminder_models import ReminderAcknowledgement, ReminderSnooze, SchedulerLease


class RemindersRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def snooze(self, person_id: int, subject: str, until: datetime, now: datetime) -> None:
        """Remember (or move) a person's snooze of a subject; a second press just moves the time."""
        statement = (
            upsert_insert(self.session)(ReminderSnooze)
            .values(person_id=person_id, subject=subject, until=until, created_at=now)
            .on_conflict_do_update(
                index_elements=["person_id", "subject"], set_={"until": until, "created_at": now}
            )
        )
        await self.session.execute(statement)

    async def acknowledge(self, person_id: int, subject: str, due_on: date, key: str, now: datetime) -> bool:
        """True when this is the first acknowledgement of that subject and deadline by that person."""
        statement = (
            upsert_insert(self.session)(ReminderAcknowledgement)
            .values(person_id=person_id, subject=subject, due_on=due_on, notification_key=key, at=now)
            .on_conflict_do_nothing(index_elements=["person_id", "subject", "due_on"])
        )
        result = await self.session.execute(statement)
        return bool(rowcount(result))

    async def snoozes(self) -> dict[tuple[int, str], datetime]:
        rows = (await self.session.execute(select(ReminderSnooze))).scalars()
        return {(row.person_id, row.subject): row.until for row in rows}

    async def acknowledgements(self, since: date) -> list[ReminderAcknowledgement]:
        query = select(ReminderAcknowledgement).where(col(ReminderAcknowledgement.due_on) >= since)
        return list((await self.session.execute(query)).scalars())


class LeaseRepository:
    """One row per lease name: whoever holds an unexpired row runs the jobs. Works on SQLite and PostgreSQL."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def acquire(self, name: str, owner: str, now: datetime, expires_at: datetime) -> bool:
        """Renew our lease or take an expired one (a conditional UPDATE), else create it (INSERT … DO NOTHING)."""
        renewed = await self.session.execute(
            update(SchedulerLease)
            .where(
                col(SchedulerLease.name) == name,
                or_(col(SchedulerLease.owner) == owner, col(SchedulerLease.expires_at) <= now),
            )
            .values(owner=owner, expires_at=expires_at)
        )
        if rowcount(renewed):
            return True
        created = await self.session.execute(
            upsert_insert(self.session)(SchedulerLease)
            .values(name=name, owner=owner, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        return bool(rowcount(created))

    async def release(self, name: str, owner: str, now: datetime) -> None:
        await self.session.execute(
            update(SchedulerLease)
            .where(col(SchedulerLease.name) == name, col(SchedulerLease.owner) == owner)
            .values(expires_at=now)
        )

    async def holder(self, name: str) -> SchedulerLease | None:
        return await self.session.get(SchedulerLease, name, populate_existing=True)
