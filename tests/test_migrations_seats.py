"""Migration 0007 on SQLite and PostgreSQL: the seats columns are added, and dropped again on downgrade."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect

from storage.engine import Database
from tests.migrations import downgrade_to


def _seat_columns(connection: Connection) -> dict[str, bool]:
    found = inspect(connection)
    return {t: "seats" in {c["name"] for c in found.get_columns(t)} for t in ("organisation", "contract")}


async def _check(url: str) -> None:
    database = Database(url)
    await database.migrate()
    try:
        async with database.engine.begin() as connection:
            assert await connection.run_sync(_seat_columns) == {"organisation": True, "contract": True}
            await connection.run_sync(downgrade_to("0006"))
            assert await connection.run_sync(_seat_columns) == {"organisation": False, "contract": False}
    finally:
        await database.dispose()


async def test_0007_adds_and_drops_the_seats_columns_on_sqlite(tmp_path: Path) -> None:
    await _check(f"sqlite+aiosqlite:///{tmp_path / 'steward.db'}")


async def test_0007_adds_and_drops_the_seats_columns_on_postgresql(postgres_url: str) -> None:
    await _check(postgres_url)
