"""Jobs run a bounded number at a time, those of one lane (a recipient) one after another in the order added."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable


class Lanes:
    """At most `parallel` jobs at once; a lane's next job starts once its previous one has finished.

    A job whose lane's previous job failed does not run (it returns 0), as a recipient's messages keep
    their order or stop. `queued` counts jobs added and not yet started, so whoever adds them can add
    more before the running ones run out.
    """

    def __init__(self, parallel: int) -> None:
        self._slots = asyncio.Semaphore(parallel)
        self._tails: dict[Hashable, asyncio.Task[int]] = {}
        self._tasks: list[asyncio.Task[int]] = []
        self._queued = 0
        self._started = asyncio.Event()

    @property
    def failed(self) -> bool:
        return any(task.done() and not task.cancelled() and task.exception() for task in self._tasks)

    def add(self, lane: Hashable, job: Callable[[], Awaitable[int]]) -> None:
        task = asyncio.create_task(self._run(self._tails.get(lane), job))
        self._tails[lane] = task
        self._tasks.append(task)
        self._queued += 1

    async def _run(self, previous: asyncio.Task[int] | None, job: Callable[[], Awaitable[int]]) -> int:
        try:
            if previous is not None:
                await asyncio.wait([previous])
                if previous.cancelled() or previous.exception() is not None:
                    return 0
            await self._slots.acquire()
        finally:
            self._queued -= 1
            self._started.set()
        try:
            return await job()
        finally:
            self._slots.release()

    async def until_queued_at_most(self, count: int) -> None:
        """Wait until no more than `count` jobs wait to start (or one has failed)."""
        while self._queued > count and not self.failed:
            self._started.clear()
            await self._started.wait()

    def cancel(self) -> None:
        for task in self._tasks:
            task.cancel()

    async def settle(self) -> None:
        """Wait for every job, whatever becomes of them."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def finished(self) -> int:
        """Wait for every job; the sum of what they returned, or the first failure raised."""
        results = await asyncio.gather(*self._tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return sum(result for result in results if isinstance(result, int))
