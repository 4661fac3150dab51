"""A row added at most once: found, or added in a savepoint that gives way to a unit of work that got in first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


async def find_or_add(
    session: AsyncSession, find: Callable[[], Awaitable[T | None]], make: Callable[[], T]
) -> tuple[T, bool]:
    """The row `find` finds, else `make()`'s row added now (`add_once`); True when this call added it."""
    found = await find()
    if found is not None:
        return found, False
    return await add_once(session, make(), find)


async def add_once(session: AsyncSession, row: T, find: Callable[[], Awaitable[T | None]]) -> tuple[T, bool]:
    """Add `row` in a savepoint; True when added. When another unit of work added the same row first (its
    unique key clashes: a double click, another replica), only the savepoint is undone and theirs, as
    `find` finds it, is returned."""
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        theirs = await find()
        assert theirs is not None, "a unique key clashed, yet no row has it"
        return theirs, False
    return row, True
