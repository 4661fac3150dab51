"""Migration 0011 on SQLite and PostgreSQL: the ledger table and its columns come, and go on downgrade."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect

from storage.engine import Database
from tests.migrations import downgrade_to


def _shape(connection: Connection) -> dict[str, object]:
    found = inspect(connection)
    columns = {t: {c["name"] for c in found.get_columns(t)} for t in ("notification", "meeting")}
    return {
        "delivery_event": found.has_table("delivery_event"),
        "read_at": "read_at" in columns["notification"],
        "conversation_id": "conversation_id" in columns["notification"],
        "invite_sequence": "invite_sequence" in columns["meeting"],
    }


async def _check(url: str) -> None:
    database = Database(url)
    await database.migrate()
    try:
        async with database.engine.begin() as connection:
            assert set((await connection.run_sync(_shape)).values()) == {True}
            await connection.run_sync(downgrade_to("0010"))
            assert set((await connection.run_sync(_shape)).values()) == {False}
    finally:
        await database.dispose()


async def test_0011_adds_and_drops_the_delivery_ledger_on_sqlite(tmp_path: Path) -> None:
    await _check(f"sqlite+aiosqlite:///{tmp_path / 'steward.db'}")


async def test_0011_adds_and_drops_the_delivery_ledger_on_postgresql(postgres_url: str) -> None:
    await _check(postgres_url)
