"""The async database engine and sessions: SQLite file by default, PostgreSQL by URL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import CursorResult, Result, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage import sqlite_driver

log = logging.getLogger(__name__)


def async_url(url: str) -> str:
    """Pick the async driver for a plain database URL (sqlite → aiosqlite, postgresql → asyncpg)."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif driver in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif driver not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ValueError(f"unsupported database URL scheme {driver!r}: use sqlite:/// or postgresql://")
    return parsed.render_as_string(hide_password=False)


class Database:
    """Owns the engine; hands out sessions; applies migrations."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        options: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            # Every unit of work ends in its own commit or rollback (session() below), so the pool's extra
            # rollback on check-in would only cost a trip to the driver's thread.
            options.update(pool_reset_on_return=None, async_creator=_one_trip_sqlite(self.url))
        else:
            options.update(pool_size=5, max_overflow=5, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin_immediate)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer. Units of work take turns here, in order, instead of polling for its lock.
        self._one_at_a_time = asyncio.Lock() if self.is_sqlite else None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: commits on success, rolls back on any error, so nothing is half-written.

        On SQLite a unit of work holds the write lock from its start (BEGIN IMMEDIATE) and units of work
        in this process queue for it: a read followed by a write can never find its snapshot stale.
        """
        if self._one_at_a_time is None:
            async with self._unit_of_work() as session:
                yield session
            return
        async with self._one_at_a_time, self._unit_of_work() as session:
            yield session

    @asynccontextmanager
    async def _unit_of_work(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def migrate(self) -> None:
        """Bring the schema to the newest revision of every migration branch (features add their own).

        Safe on several replicas at once on PostgreSQL: the upgrade runs under an advisory lock.
        """
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _one_trip_sqlite(url: str) -> Callable[[], Awaitable[Any]]:
    """Connections opened with the arguments SQLAlchemy's dialect would pass, on the one-trip driver."""
    parsed = make_url(url)
    args, kwargs = parsed.get_dialect()().create_connect_args(parsed)
    kwargs.pop("check_same_thread", None)  # the driver makes cursors on the loop's thread

    async def connect() -> Any:
        return await sqlite_driver.connect(*args, **kwargs)

    return connect


def upsert_insert(session: AsyncSession) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING (SQLite and PostgreSQL spell it alike)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def rowcount(result: Result[Any]) -> int:
    """Rows an INSERT, UPDATE or DELETE touched: its result is a CursorResult, though execute() is typed Result."""
    return cast(CursorResult[Any], result).rowcount


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is off (it would begin lazily, before the first write, and
    # breaks SAVEPOINT); SQLAlchemy's "begin" event below starts every transaction instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(connection: Connection) -> None:
    driver = connection.connection.driver_connection
    if isinstance(driver, sqlite_driver.OneTripConnection):
        driver.begin("BEGIN IMMEDIATE")  # sent with the transaction's first statement
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config() -> Config:
    folder = resources.files("storage") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(folder))
    return config


# Any fixed 64-bit number of our own: replicas starting together queue on it, one migrates, the rest see
# the schema already at head. It is a transaction lock, so it is let go at commit or on a crash.
MIGRATION_LOCK = 0x5374657761726431  # "Steward1"


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")
