"""Migration 0012 on SQLite and PostgreSQL: the performance notice table is made, and dropped on downgrade."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect

from storage.engine import Database
from tests.migrations import downgrade_to


def _has_notices(connection: Connection) -> bool:
    return "performance_notice" in inspect(connection).get_table_names()


async def _check(url: str) -> None:
    database = Database(url)
    await database.migrate()
    try:
        async with database.engine.begin() as connection:
            assert await connection.run_sync(_has_notices)
            await connection.run_sync(downgrade_to("0011"))
            assert not await connection.run_sync(_has_notices)
    finally:
        await database.dispose()


async def test_0012_makes_and_drops_the_notice_table_on_sqlite(tmp_path: Path) -> None:
    await _check(f"sqlite+aiosqlite:///{tmp_path / 'steward.db'}")


async def test_0012_makes_and_drops_the_notice_table_on_postgresql(postgres_url: str) -> None:
    await _check(postgres_url)
