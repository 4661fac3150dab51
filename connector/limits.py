"""Teams' rate limits as Teams counts them: over moving windows, per tenant and per conversation."""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cachetools import LRUCache

# Teams' ceiling of 50 requests a second per app per tenant covers every bot→Teams call (sends, updates,
# deletes, member lookups); a conversation also takes at most 7 a second, 8 in 2 s, 60 in 30 s, 1,800 an hour.
TENANT_LIMIT: tuple[int, float] = (50, 1)
CONVERSATION_LIMITS: tuple[tuple[int, float], ...] = ((7, 1), (8, 2), (60, 30), (1800, 3600))
# Calls kept back from the tenant's 50: none. A call holds its place from when it is let through until a
# window's length after its answer came back, and Teams counts it on arrival, which lies in between; so any
# second Teams looks at holds at most 50 of ours, whichever second it looks at (a moving window's bound
# holds for fixed seconds too). Keeping one back cost 2% of the tenant's rate and bought nothing.
TENANT_HEADROOM = 0
TRACKED = 20_000  # windows kept; the least recently used go first (they are quiet, so empty or nearly)
SHORTEST_WAIT = 0.001
IN_FLIGHT_POLL = 0.005  # a window full of calls still waiting for their answer is looked at again this soon


@dataclass(frozen=True, slots=True)
class Window:
    """At most `count` calls in any `seconds`."""

    count: int
    seconds: float


TENANT_WINDOW = Window(TENANT_LIMIT[0] - TENANT_HEADROOM, TENANT_LIMIT[1])
CONVERSATION_WINDOWS = tuple(Window(count, seconds) for count, seconds in CONVERSATION_LIMITS)


@dataclass(slots=True)
class _Places:
    """One window's places for one key: calls still out, and when each answered one leaves the window."""

    out: int = 0
    leaving: list[float] = field(default_factory=list)  # a heap of times

    def taken(self, now: float) -> int:
        while self.leaving and self.leaving[0] <= now:
            heapq.heappop(self.leaving)
        return self.out + len(self.leaving)


class TeamsLimits:
    """Admits a call only when it fits every window it counts against, and waits until it does.

    A token bucket lets a full bucket through at once and then refills, so in one second it admits nearly
    twice its rate; Teams counts over a moving window and answers 429. Each window here keeps a place for
    every call from the moment it is let through (`try_acquire`) until a window's length after its answer
    came back (`release`), so calls slowed on the way, or answered late, are never counted twice as few.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._places: LRUCache[tuple[Window, str], _Places] = LRUCache(maxsize=TRACKED)

    async def acquire(self, tenant_id: str | None, conversation_id: str | None) -> None:
        wait = self.try_acquire(tenant_id, conversation_id)
        while wait is not None:
            await asyncio.sleep(wait)
            wait = self.try_acquire(tenant_id, conversation_id)

    def try_acquire(self, tenant_id: str | None, conversation_id: str | None) -> float | None:
        """Take a place in every window and return None, or take none and return seconds to wait."""
        checks = self._checks(tenant_id, conversation_id)
        now = self._clock()
        places = [self._get(window, key) for window, key in checks]
        waits = [
            self._wait(place, now)
            for (window, _), place in zip(checks, places, strict=True)
            if place.taken(now) >= window.count
        ]
        if waits:
            return max(max(waits), SHORTEST_WAIT)
        for place in places:
            place.out += 1
        return None

    def release(self, tenant_id: str | None, conversation_id: str | None) -> None:
        """The call let through by `try_acquire` has its answer (or gave up): its places leave a window from now."""
        now = self._clock()
        for window, key in self._checks(tenant_id, conversation_id):
            place = self._get(window, key)
            place.out = max(place.out - 1, 0)
            heapq.heappush(place.leaving, now + window.seconds)

    @staticmethod
    def _checks(tenant_id: str | None, conversation_id: str | None) -> list[tuple[Window, str]]:
        checks = [(TENANT_WINDOW, f"tenant:{tenant_id or '-'}")]
        if conversation_id is not None:
            checks += [(window, f"conversation:{conversation_id}") for window in CONVERSATION_WINDOWS]
        return checks

    @staticmethod
    def _wait(place: _Places, now: float) -> float:
        """Until the first answered call leaves; while every place is a call still out, a short look again."""
        if place.out and (not place.leaving or place.leaving[0] - now > IN_FLIGHT_POLL):
            return IN_FLIGHT_POLL
        return place.leaving[0] - now

    def _get(self, window: Window, key: str) -> _Places:
        place = self._places.get((window, key))
        if place is None:
            place = self._places[(window, key)] = _Places()
        return place
