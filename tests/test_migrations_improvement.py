"""Migration 0010 on SQLite and PostgreSQL: the improvement tables are made, and dropped again on downgrade."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect

from storage.engine import Database
from tests.migrations import downgrade_to

TABLES = {"pip", "cip_item", "change_request", "rating_response", "improvement_event"}


def _tables(connection: Connection) -> set[str]:
    return TABLES & set(inspect(connection).get_table_names())


async def _check(url: str) -> None:
    database = Database(url)
    await database.migrate()
    try:
        async with database.engine.begin() as connection:
            assert await connection.run_sync(_tables) == TABLES
            await connection.run_sync(downgrade_to("0009"))
            assert await connection.run_sync(_tables) == set()
    finally:
        await database.dispose()


async def test_0010_makes_and_drops_the_improvement_tables_on_sqlite(tmp_path: Path) -> None:
    await _check(f"sqlite+aiosqlite:///{tmp_path / 'steward.db'}")


async def test_0010_makes_and_drops_the_improvement_tables_on_postgresql(postgres_url: str) -> None:
    await _check(postgres_url)
