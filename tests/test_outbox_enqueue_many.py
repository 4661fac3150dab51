"""Enqueueing many notifications at once: each key written once, the count is of those added."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from storage.engine import Database
from storage.models import Notification
from storage.outbox import Outbox, Queued
from tests.conftest import fresh_postgres_database

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'outbox.db'}"
        else:
            url = await stack.enter_async_context(fresh_postgres_database())
        db = Database(url)
        stack.push_async_callback(db.dispose)
        await db.migrate()
        yield db


def reminder(key: str, *, urgent: bool = False, not_before: datetime | None = None) -> Queued:
    return Queued(
        key=key,
        kind="remind.return_overdue",
        recipient_id=None,
        payload={"text": key},
        not_before=not_before,
        urgent=urgent,
    )


async def test_enqueue_many_adds_the_new_keys_and_counts_only_those(database: Database) -> None:
    async with database.session() as session:
        await Outbox(session).enqueue(
            key="a", kind="remind.return_overdue", recipient_id=None, payload={}, now=NOW
        )

    async with database.session() as session:
        added = await Outbox(session).enqueue_many(
            [reminder("a"), reminder("b", urgent=True), reminder("c", not_before=LATER)], now=NOW
        )

    assert added == 2
    async with database.session() as session:
        rows = (await session.execute(select(Notification).order_by(col(Notification.key)))).scalars().all()
    assert [(n.key, n.status, n.urgent, n.not_before, n.payload) for n in rows] == [
        ("a", "pending", False, NOW, {}),
        ("b", "pending", True, NOW, {"text": "b"}),
        ("c", "pending", False, LATER, {"text": "c"}),
    ]


async def test_enqueue_many_with_nothing_adds_nothing(database: Database) -> None:
    async with database.session() as session:
        assert await Outbox(session).enqueue_many([], now=NOW) == 0
