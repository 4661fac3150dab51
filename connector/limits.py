"""Teams' rate limits as Teams counts them: over sliding windows, per tenant and per conversation."""

from __future__ import annotations

import asyncio
import time

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

# Teams' ceiling of 50 requests a second per app per tenant covers every bot→Teams call (sends, updates,
# deletes, member lookups); a conversation also takes at most 7 a second, 8 in 2 s, 60 in 30 s, 1,800 an hour.
TENANT_LIMIT: tuple[int, float] = (50, 1)
CONVERSATION_LIMITS: tuple[tuple[int, float], ...] = ((7, 1), (8, 2), (60, 30), (1800, 3600))
# Calls kept back from the tenant's 50: a call admitted here at the very end of one second can reach Teams
# inside the next, and Teams counts the calls it refuses too, so one over would cascade into 429s.
TENANT_HEADROOM = 4
SHORTEST_WAIT = 0.001


def _item(count: int, seconds: float) -> RateLimitItem:
    if seconds >= 3600 and seconds % 3600 == 0:
        return RateLimitItemPerHour(count, int(seconds // 3600))
    return RateLimitItemPerSecond(count, int(seconds))


TENANT_ITEM = _item(TENANT_LIMIT[0] - TENANT_HEADROOM, TENANT_LIMIT[1])
CONVERSATION_ITEMS = tuple(_item(count, seconds) for count, seconds in CONVERSATION_LIMITS)


class TeamsLimits:
    """Admits a call only when it fits every window it counts against, and waits until it does.

    A token bucket lets a full bucket through at once and then refills, so in one second it can admit
    nearly twice its rate; Teams counts over a moving window and answers 429. A moving window here
    admits exactly what Teams would, and no less.
    """

    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._deciding = asyncio.Lock()  # a check and its hits are one step: no call slips in between

    async def acquire(self, tenant_id: str | None, conversation_id: str | None) -> None:
        while True:
            wait = await self.try_acquire(tenant_id, conversation_id)
            if wait is None:
                return
            await asyncio.sleep(wait)

    async def try_acquire(self, tenant_id: str | None, conversation_id: str | None) -> float | None:
        """Take a place in every window and return None, or leave them all and return seconds to wait."""
        checks = [(TENANT_ITEM, ("tenant", tenant_id or "-"))]
        if conversation_id is not None:
            checks += [(item, ("conversation", conversation_id)) for item in CONVERSATION_ITEMS]
        async with self._deciding:
            waits = [
                await self._until_free(item, keys)
                for item, keys in checks
                if not await self._limiter.test(item, *keys)
            ]
            if waits:
                return max(max(waits), SHORTEST_WAIT)
            for item, keys in checks:
                await self._limiter.hit(item, *keys)
        return None

    async def _until_free(self, item: RateLimitItem, keys: tuple[str, str]) -> float:
        stats = await self._limiter.get_window_stats(item, *keys)
        return stats.reset_time - time.time()
