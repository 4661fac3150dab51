"""The APScheduler set-up: two static jobs on the app's event loop, run only by the lease holder.

Exactly one scheduler acts at a time: in the app (SCHEDULER=app, the default) or in its own process
(`steward scheduler`, with the app served with SCHEDULER=off); with several replicas, only the one
holding the database lease runs the jobs. The jobs are registered with explicit ids and
replace_existing=True in the default memory job store, so nothing is pickled: they only trigger
functions that read our tables (the deadline sweep and the outbox dispatch).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.dispatcher import Dispatcher
from scheduler.lease import Lease
from scheduler.sweep import Sweep

log = logging.getLogger(__name__)

SWEEP_JOB = "steward.deadline_sweep"
DISPATCH_JOB = "steward.outbox_dispatch"
SWEEP_EVERY = timedelta(minutes=5)
DISPATCH_EVERY = timedelta(minutes=1)


class StewardScheduler:
    """Owns the AsyncIOScheduler; its jobs renew the lease, then sweep or dispatch."""

    def __init__(
        self,
        sweep: Sweep,
        dispatcher: Dispatcher,
        lease: Lease,
        *,
        sweep_every: timedelta = SWEEP_EVERY,
        dispatch_every: timedelta = DISPATCH_EVERY,
    ) -> None:
        self.sweep = sweep
        self.dispatcher = dispatcher
        self.lease = lease
        self._sweep_every = sweep_every
        self._dispatch_every = dispatch_every
        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
        )
        self.register()

    @property
    def scheduler(self) -> AsyncIOScheduler:
        return self._scheduler

    def register(self) -> None:
        """Static jobs with explicit ids: registering again replaces them, never doubles them."""
        self._scheduler.add_job(
            self.sweep_job,
            IntervalTrigger(seconds=self._sweep_every.total_seconds(), timezone=UTC),
            id=SWEEP_JOB,
            name="deadline sweep: state → due notifications",
            replace_existing=True,
        )
        self._scheduler.add_job(
            self.dispatch_job,
            IntervalTrigger(seconds=self._dispatch_every.total_seconds(), timezone=UTC),
            id=DISPATCH_JOB,
            name="outbox dispatch: notifications → Teams",
            replace_existing=True,
        )

    def start(self) -> None:
        """Start on the running event loop (call from inside it)."""
        self._scheduler.start()
        log.info("scheduler started (owner %s)", self.lease.owner)

    async def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        await self.lease.release()

    async def sweep_job(self) -> bool:
        """The deadline sweep, if this replica holds the lease. True when it ran."""
        return await self._guarded("sweep", self.sweep.run_once)

    async def dispatch_job(self) -> bool:
        """The outbox dispatch, if this replica holds the lease. True when it ran."""
        return await self._guarded("dispatch", self.dispatcher.run_once)

    async def _guarded(self, name: str, job: Callable[[], Awaitable[object]]) -> bool:
        try:
            if not await self.lease.acquire():
                return False
            await job()
        except Exception:
            log.exception("scheduled %s failed; it runs again at its next time", name)
        return True
