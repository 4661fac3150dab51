"""aiosqlite with one trip to its thread per statement: execute and fetch together, cursors made in place.

Stock aiosqlite, as SQLAlchemy drives it, crosses to the connection's thread four times a statement
(make a cursor, execute, fetch, close), and each crossing costs a thread wake-up and a loop wake-up.
A help turn ran five statements and a commit: about twenty crossings, most of its time in the database.
Here a statement runs and fetches all its rows in one crossing; the cursor is made on the loop's thread
(the connection is opened with check_same_thread=False, as SQLAlchemy's own dialect does) and closed with
the statement, since its rows are already fetched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager

__all__ = ["connect"]


class OneTripCursor(aiosqlite.Cursor):
    """A cursor whose execute() brings back every row; fetches then read them without a crossing."""

    def __init__(self, conn: aiosqlite.Connection, cursor: sqlite3.Cursor) -> None:
        super().__init__(conn, cursor)
        self._rows: list[Any] = []
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> OneTripCursor:
        await self._conn._execute(self._run, sql, () if parameters is None else parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> OneTripCursor:
        await self._conn._execute(self._run_many, sql, parameters)
        return self

    def _run(self, sql: str, parameters: Iterable[Any]) -> None:
        """On the connection's thread: the statement, all its rows, and what the cursor says of it."""
        cursor = self._cursor
        self._conn_begin()
        cursor.execute(sql, parameters)  # type: ignore[arg-type]
        self._description = cursor.description
        self._rows = cursor.fetchall() if cursor.description else []
        self._rowcount, self._lastrowid = cursor.rowcount, cursor.lastrowid

    def _run_many(self, sql: str, parameters: Iterable[Iterable[Any]]) -> None:
        cursor = self._cursor
        self._conn_begin()
        cursor.executemany(sql, parameters)  # type: ignore[arg-type]
        self._description, self._rows = cursor.description, []
        self._rowcount, self._lastrowid = cursor.rowcount, cursor.lastrowid

    def _conn_begin(self) -> None:
        connection = self._conn
        if isinstance(connection, OneTripConnection) and connection.begin_pending:
            connection.begin_pending = False
            self._cursor.execute(connection.begin_statement)

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def close(self) -> None:
        """The rows are already here; the sqlite3 cursor is closed with its next statement or collected."""
        self._rows = []

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._lastrowid


class OneTripConnection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors are made without a crossing.

    `begin()` does not cross either: the transaction's BEGIN goes with its first statement, and a
    transaction that ran none commits or rolls back without a crossing.
    """

    begin_pending = False
    begin_statement = "BEGIN"

    def begin(self, statement: str) -> None:
        self.begin_statement, self.begin_pending = statement, True

    async def commit(self) -> None:
        if self.begin_pending:
            self.begin_pending = False
            return
        await super().commit()

    async def rollback(self) -> None:
        if self.begin_pending:
            self.begin_pending = False
            return
        await super().rollback()

    @contextmanager
    async def cursor(self) -> aiosqlite.Cursor:
        return OneTripCursor(self, self._conn.cursor())


def connect(database: str, **kwargs: Any) -> OneTripConnection:
    """Open `database` as aiosqlite does (the connection lives on its own thread), with one-trip cursors."""

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(database, check_same_thread=False, **kwargs)

    return OneTripConnection(connector, iter_chunk_size=64)
