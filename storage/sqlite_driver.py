"""aiosqlite with one trip to its thread per statement: execute and fetch together, cursors made in place.

Stock aiosqlite, as SQLAlchemy drives it, crosses to the connection's thread four times a statement
(make a cursor, execute, fetch, close), and each crossing costs a thread wake-up and a loop wake-up.
A help turn ran five statements and a commit: about twenty crossings, most of its time in the database.
Here a statement runs and fetches all its rows in one crossing; the cursor is made on the loop's thread
(the connection is opened with check_same_thread=False, as SQLAlchemy's own dialect does) and closed with
the statement, since its rows are already fetched.

Statements that answer nothing and cannot fail on their own (BEGIN, SAVEPOINT, RELEASE SAVEPOINT) do not
cross by themselves: they go, in order, with the next statement that does. COMMIT releases every savepoint
and ROLLBACK undoes them, so at the end of a transaction the ones still waiting are dropped; a transaction
that never sent its BEGIN commits or rolls back without a crossing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager

__all__ = ["OneTripConnection", "connect"]

_RIDERS = ("SAVEPOINT ", "RELEASE SAVEPOINT ")


class OneTripCursor(aiosqlite.Cursor):
    """A cursor whose execute() brings back every row; fetches then read them without a crossing."""

    def __init__(self, conn: OneTripConnection, cursor: sqlite3.Cursor) -> None:
        super().__init__(conn, cursor)
        self._owner = conn
        self._rows: list[Any] = []
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> OneTripCursor:
        if not parameters and sql.startswith(_RIDERS) and self._owner.begun:
            self._owner.waiting.append(sql)  # goes with the next statement that crosses
            self._description, self._rows, self._rowcount = None, [], -1
            return self
        riders = self._owner.take_waiting()
        await self._conn._execute(self._run, riders, sql, () if parameters is None else parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> OneTripCursor:
        riders = self._owner.take_waiting()
        await self._conn._execute(self._run_many, riders, sql, parameters)
        return self

    def _run(self, riders: list[str], sql: str, parameters: Iterable[Any]) -> None:
        """On the connection's thread: the statement, all its rows, and what the cursor says of it."""
        cursor = self._cursor
        for rider in riders:
            cursor.execute(rider)
        cursor.execute(sql, parameters)  # type: ignore[arg-type]
        self._description = cursor.description
        self._rows = cursor.fetchall() if cursor.description else []
        self._rowcount, self._lastrowid = cursor.rowcount, cursor.lastrowid

    def _run_many(self, riders: list[str], sql: str, parameters: Iterable[Iterable[Any]]) -> None:
        cursor = self._cursor
        for rider in riders:
            cursor.execute(rider)
        cursor.executemany(sql, parameters)  # type: ignore[arg-type]
        self._description, self._rows = cursor.description, []
        self._rowcount, self._lastrowid = cursor.rowcount, cursor.lastrowid

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
    """An aiosqlite connection whose cursors, BEGINs and savepoints cost no crossing of their own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.waiting: list[str] = []  # statements to send, in order, before the next one that crosses
        self.begun = False  # begin() called, and not yet committed or rolled back
        self._sent_begin = False

    def begin(self, statement: str) -> None:
        self.waiting, self.begun, self._sent_begin = [statement], True, False

    def take_waiting(self) -> list[str]:
        riders, self.waiting = self.waiting, []
        if riders and self.begun:
            self._sent_begin = True
        return riders

    async def commit(self) -> None:
        await self._end(super().commit)

    async def rollback(self) -> None:
        await self._end(super().rollback)

    async def _end(self, finish: Any) -> None:
        """COMMIT or ROLLBACK; savepoints still waiting need not be sent, nor a BEGIN that never was."""
        unsent = self.begun and not self._sent_begin
        self.waiting, self.begun, self._sent_begin = [], False, False
        if not unsent:
            await finish()

    @contextmanager
    async def cursor(self) -> aiosqlite.Cursor:
        return OneTripCursor(self, self._conn.cursor())


def connect(database: str, **kwargs: Any) -> OneTripConnection:
    """Open `database` as aiosqlite does (the connection lives on its own thread), with one-trip cursors."""

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(database, check_same_thread=False, **kwargs)

    return OneTripConnection(connector, iter_chunk_size=64)
