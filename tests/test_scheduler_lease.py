"""The database lease: exactly one replica runs the scheduler's jobs, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commissioning.clock import FrozenClock
from scheduler.lease import Lease
from storage.engine import Database
from storage.reminders import LeaseRepository

START = datetime(2026, 11, 3, 10, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'lease.db'}")
        await db.migrate()
        yield db
        await db.dispose()
        return
    from tests.conftest import fresh_postgres_database

    async with fresh_postgres_database() as url:
        db = Database(url)
        await db.migrate()
        yield db
        await db.dispose()


async def holder(database: Database) -> str | None:
    async with database.session() as session:
        found = await LeaseRepository(session).holder("scheduler")
        return found.owner if found else None


async def test_the_first_replica_takes_the_lease_and_the_second_is_refused(database: Database) -> None:
    clock = FrozenClock(START)
    first, second = Lease(database, clock, owner="replica-a"), Lease(database, clock, owner="replica-b")

    assert await first.acquire() is True
    assert await second.acquire() is False
    assert await first.acquire() is True  # renewing our own lease
    assert await holder(database) == "replica-a"


async def test_a_lease_left_by_a_stopped_replica_is_taken_over_once_it_expires(database: Database) -> None:
    clock = FrozenClock(START)
    first = Lease(database, clock, owner="replica-a", ttl=timedelta(minutes=3))
    second = Lease(database, clock, owner="replica-b", ttl=timedelta(minutes=3))
    await first.acquire()

    clock.advance(minutes=2, seconds=59)
    assert await second.acquire() is False
    clock.advance(seconds=1)
    assert await second.acquire() is True
    assert await first.acquire() is False  # the old holder, back, does not run jobs alongside
    assert await holder(database) == "replica-b"


async def test_a_clean_shutdown_hands_the_lease_over_at_once(database: Database) -> None:
    clock = FrozenClock(START)
    first, second = Lease(database, clock, owner="replica-a"), Lease(database, clock, owner="replica-b")
    await first.acquire()

    await first.release()

    assert await second.acquire() is True


async def test_replicas_racing_for_a_free_lease_get_exactly_one_holder(database: Database) -> None:
    clock = FrozenClock(START)
    leases = [Lease(database, clock, owner=f"replica-{n}") for n in range(5)]

    results = await asyncio.gather(*(lease.acquire() for lease in leases))

    assert results.count(True) == 1
    assert await holder(database) == f"replica-{results.index(True)}"
