"""Activities already acted on, by key: the record that makes a redelivered activity get the first answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedActivity

PROCESSED = ProcessedActivity.__table__  # type: ignore[attr-defined]  # sqlmodel declares no __table__
# Built once: every turn runs it, and building an INSERT (and its cache key) cost more than sending it.
_RECORD = insert(PROCESSED)


async def record(session: AsyncSession, key: str, at: datetime, response: dict[str, Any]) -> None:
    """Record the activity as handled, in the unit of work that handled it.

    A plain INSERT, sent at once: when another turn has recorded the same key, it raises IntegrityError
    here (on PostgreSQL after waiting for that turn to commit), the unit of work rolls back, and the
    caller answers with the first turn's answer. So no read is needed beforehand.
    """
    connection = await session.connection()
    await connection.execute(_RECORD, {"key": key, "processed_at": at, "response": response})


async def answer(session: AsyncSession, key: str) -> ProcessedActivity | None:
    return await session.get(ProcessedActivity, key)
