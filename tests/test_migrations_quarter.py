"""Migration 0009 on SQLite and PostgreSQL: the quarter's four tables are made, and dropped on downgrade."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect

from storage.engine import Database
from tests.migrations import downgrade_to

TABLES = {"kpi_return", "kpi_return_version", "kpi_evidence_check", "outcome_approval"}


def _quarter_tables(connection: Connection) -> set[str]:
    return TABLES & set(inspect(connection).get_table_names())


async def _check(url: str) -> None:
    database = Database(url)
    await database.migrate()
    try:
        async with database.engine.begin() as connection:
            assert await connection.run_sync(_quarter_tables) == TABLES
            await connection.run_sync(downgrade_to("0008"))
            assert await connection.run_sync(_quarter_tables) == set()
    finally:
        await database.dispose()


async def test_0009_makes_and_drops_the_quarter_tables_on_sqlite(tmp_path: Path) -> None:
    await _check(f"sqlite+aiosqlite:///{tmp_path / 'steward.db'}")


async def test_0009_makes_and_drops_the_quarter_tables_on_postgresql(postgres_url: str) -> None:
    await _check(postgres_url)
