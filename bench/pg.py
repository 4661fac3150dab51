"""A fresh PostgreSQL database on the local server for one bench run, dropped afterwards."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

ADMIN = os.environ.get("STEWARD_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


async def _run(sql: str) -> None:
    connection = await asyncio.wait_for(asyncpg.connect(ADMIN), timeout=3)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def available() -> bool:
    try:
        asyncio.run(_run("SELECT 1"))
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    return True


@contextmanager
def fresh_database() -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it on the way out."""
    name = f"steward_bench_{uuid.uuid4().hex[:12]}"
    asyncio.run(_run(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
