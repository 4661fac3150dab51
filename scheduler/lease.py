"""The database lease that makes exactly one replica run the scheduler's jobs.

APScheduler 3 cannot share a job store between processes, so each replica runs its own scheduler and
every job first renews (or takes) this lease: a row holding an owner id and an expiry time, changed
by a conditional UPDATE (ours, or expired) or created by INSERT … ON CONFLICT DO NOTHING. Only the
holder runs the job. If it stops, the lease expires after `ttl` and another replica takes it.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta

from commissioning.clock import Clock
from storage.engine import Database
from storage.reminders import LeaseRepository

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"


def new_owner_id() -> str:
    """This process, recognisably: host, process id and a random part (a restarted process is a new owner)."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class Lease:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        owner: str | None = None,
        name: str = LEASE_NAME,
        ttl: timedelta = timedelta(minutes=3),
    ) -> None:
        self._db = database
        self._clock = clock
        self.owner = owner or new_owner_id()
        self.name = name
        self._ttl = ttl
        self._held = False

    @property
    def held(self) -> bool:
        """Whether the last acquire succeeded (for logs and health; jobs call acquire every time)."""
        return self._held

    async def acquire(self) -> bool:
        """Renew or take the lease; False when another live replica holds it."""
        now = self._clock.now()
        async with self._db.session() as session:
            held = await LeaseRepository(session).acquire(self.name, self.owner, now, now + self._ttl)
        if held != self._held:
            log.info("scheduler lease %s by %s", "taken" if held else "lost", self.owner)
        self._held = held
        return held

    async def release(self) -> None:
        """Let another replica take over at once (on a clean shutdown)."""
        if not self._held:
            return
        async with self._db.session() as session:
            await LeaseRepository(session).release(self.name, self.owner, self._clock.now())
        self._held = False
