"""Migration 0013 on SQLite and PostgreSQL: the leave table comes, and goes on downgrade."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect

from storage.engine import Database
from tests.migrations import downgrade_to


def _has_leave(connection: Connection) -> bool:
    return inspect(connection).has_table("leave")


async def _check(url: str) -> None:
    database = Database(url)
    await database.migrate()
    try:
        async with database.engine.begin() as connection:
            assert await connection.run_sync(_has_leave)
            await connection.run_sync(downgrade_to("0012"))
            assert not await connection.run_sync(_has_leave)
    finally:
        await database.dispose()


async def test_0013_adds_and_drops_the_leave_table_on_sqlite(tmp_path: Path) -> None:
    await _check(f"sqlite+aiosqlite:///{tmp_path / 'steward.db'}")


async def test_0013_adds_and_drops_the_leave_table_on_postgresql(postgres_url: str) -> None:
    await _check(postgres_url)
