"""Repository for the notification outbox: idempotent enqueue, claim, and delivery bookkeeping."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Notification

PENDING, SENDING, SENT, DEAD, UNREACHABLE = "pending", "sending", "sent", "dead", "unreachable"


class Outbox:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        *,
        key: str,
        kind: str,
        recipient_id: int | None,
        payload: dict[str, Any],
        now: datetime,
        contract_id: int | None = None,
        not_before: datetime | None = None,
        urgent: bool = False,
    ) -> bool:
        """Add a notification unless one with the same idempotency key exists. True when added."""
        values = dict(
            key=key,
            kind=kind,
            recipient_id=recipient_id,
            contract_id=contract_id,
            payload=payload,
            status=PENDING,
            attempts=0,
            urgent=urgent,
            not_before=not_before or now,
            created_at=now,
            last_error="",
        )
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(Notification).values(**values).on_conflict_do_nothing(index_elements=["key"])
        result = await self.session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def due_ids(self, now: datetime, *, stale_after: timedelta, limit: int = 100) -> list[int]:
        """Pending notifications whose time has come, plus any claim left over by a crashed dispatcher."""
        query = (
            select(Notification.id)
            .where(
                or_(
                    (Notification.status == PENDING) & (Notification.not_before <= now),
                    (Notification.status == SENDING) & (Notification.not_before <= now - stale_after),
                )
            )
            .order_by(Notification.urgent.desc(), Notification.not_before, Notification.id)  # type: ignore[attr-defined]
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def claim(
        self, notification_id: int, now: datetime, *, stale_after: timedelta
    ) -> Notification | None:
        """Atomically take a notification for sending; None when another dispatcher has it."""
        statement = (
            update(Notification)
            .where(
                Notification.id == notification_id,
                or_(
                    Notification.status == PENDING,
                    (Notification.status == SENDING) & (Notification.not_before <= now - stale_after),
                ),
            )
            .values(status=SENDING, not_before=now, attempts=Notification.attempts + 1)
        )
        result = await self.session.execute(statement)
        if not result.rowcount:  # type: ignore[attr-defined]
            return None
        return await self.session.get(Notification, notification_id, populate_existing=True)

    async def get(self, notification_id: int) -> Notification | None:
        return await self.session.get(Notification, notification_id)

    async def by_key(self, key: str) -> Notification | None:
        query = select(Notification).where(Notification.key == key)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def mark(
        self,
        notification_id: int,
        status: str,
        *,
        now: datetime,
        error: str = "",
        activity_id: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status, "last_error": error[:1000]}
        if status == SENT:
            values.update(sent_at=now, activity_id=activity_id)
        if retry_at is not None:
            values["not_before"] = retry_at
        await self.session.execute(
            update(Notification).where(Notification.id == notification_id).values(**values)
        )

    async def all(self) -> list[Notification]:
        return list((await self.session.execute(select(Notification).order_by(Notification.id))).scalars())
