"""Replicas started together on one empty database: every one comes up, the schema is migrated once."""

from __future__ import annotations

import asyncio
import sys

import asyncpg

from tests.conftest import ROOT, fresh_postgres_database

MIGRATE = (
    "import asyncio, sys; from storage.engine import Database; asyncio.run(Database(sys.argv[1]).migrate())"
)
REPLICAS = 4


async def migrate_in_own_process(url: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        MIGRATE,
        url,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    return process.returncode or 0, stderr.decode()[-2000:]


async def test_replicas_migrating_an_empty_postgresql_database_at_once_all_come_up() -> None:
    async with fresh_postgres_database() as url:
        results = await asyncio.gather(*(migrate_in_own_process(url) for _ in range(REPLICAS)))

        assert [code for code, _ in results] == [0] * REPLICAS, "\n".join(err for _, err in results)
        connection = await asyncpg.connect(url)
        try:
            heads = await connection.fetch("SELECT version_num FROM alembic_version")
        finally:
            await connection.close()
        assert len(heads) == 1
