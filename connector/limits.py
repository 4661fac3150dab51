"""Teams' rate limits as Teams counts them: over moving windows, per tenant and per conversation."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache

# Teams' ceiling of 50 requests a second per app per tenant covers every bot→Teams call (sends, updates,
# deletes, member lookups); a conversation also takes at most 7 a second, 8 in 2 s, 60 in 30 s, 1,800 an hour.
TENANT_LIMIT: tuple[int, float] = (50, 1)
CONVERSATION_LIMITS: tuple[tuple[int, float], ...] = ((7, 1), (8, 2), (60, 30), (1800, 3600))
# Calls kept back from the tenant's 50: a call admitted here at the very end of one second can reach Teams
# inside the next, and Teams counts the calls it refuses too, so one over would cascade into 429s.
TENANT_HEADROOM = 4
TRACKED = 20_000  # windows kept; the least recently used go first (they are quiet, so empty or nearly)
SHORTEST_WAIT = 0.001


@dataclass(frozen=True, slots=True)
class Window:
    """At most `count` calls in any `seconds`."""

    count: int
    seconds: float


TENANT_WINDOW = Window(TENANT_LIMIT[0] - TENANT_HEADROOM, TENANT_LIMIT[1])
CONVERSATION_WINDOWS = tuple(Window(count, seconds) for count, seconds in CONVERSATION_LIMITS)


class TeamsLimits:
    """Admits a call only when it fits every window it counts against, and waits until it does.

    A token bucket lets a full bucket through at once and then refills, so in one second it admits nearly
    twice its rate; Teams counts over a moving window and answers 429. Each window here keeps the times of
    the calls it admitted and forgets them as they fall out, so nothing runs between calls. (The `limits`
    library's moving window rescans every key every 10 ms: a tenth of the event loop at 100 turns a second.)
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._calls: LRUCache[tuple[Window, str], deque[float]] = LRUCache(maxsize=TRACKED)

    async def acquire(self, tenant_id: str | None, conversation_id: str | None) -> None:
        wait = self.try_acquire(tenant_id, conversation_id)
        while wait is not None:  # the wait is known to the millisecond: no event would come sooner
            await asyncio.sleep(wait)
            wait = self.try_acquire(tenant_id, conversation_id)

    def try_acquire(self, tenant_id: str | None, conversation_id: str | None) -> float | None:
        """Take a place in every window and return None, or take none and return seconds to wait."""
        checks = [(TENANT_WINDOW, f"tenant:{tenant_id or '-'}")]
        if conversation_id is not None:
            checks += [(window, f"conversation:{conversation_id}") for window in CONVERSATION_WINDOWS]
        now = self._clock()
        calls = [self._recent(window, key, now) for window, key in checks]
        waits = [
            times[0] + window.seconds - now
            for (window, _), times in zip(checks, calls, strict=True)
            if len(times) >= window.count
        ]
        if waits:
            return max(max(waits), SHORTEST_WAIT)
        for times in calls:
            times.append(now)
        return None

    def _recent(self, window: Window, key: str, now: float) -> deque[float]:
        """The times of the calls still inside `window` for `key`, oldest first."""
        times = self._calls.get((window, key))
        if times is None:
            times = self._calls[(window, key)] = deque()
        while times and now - times[0] >= window.seconds:
            times.popleft()
        return times
