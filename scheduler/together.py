"""Group commit: what many concurrent sends write goes in one transaction, each waiting for the one with theirs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Together(Generic[T]):
    """Writes the items of concurrent callers with one call of `write`; `add` returns once its item is written.

    Items that arrive while a write is under way wait, and go together in the next one: under load each
    transaction carries many items, and a lone caller still waits for only one transaction. When a write
    fails, every caller whose item was in it gets the error.
    """

    def __init__(self, write: Callable[[Sequence[T]], Awaitable[None]]) -> None:
        self._write = write
        self._waiting: list[tuple[T, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, item: T) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(), name="group-commit")
        await future

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._write([item for item, _ in batch])
            except asyncio.CancelledError:
                for _, future in [*batch, *self._waiting]:
                    future.cancel()
                self._waiting = []
                raise
            except Exception as error:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                        future.exception()  # handed to the caller; not "never retrieved" if they left
                continue
            for _, future in batch:
                if not future.done():
                    future.set_result(None)
