"""The APScheduler set-up: two static jobs, run on the app's event loop, only by the lease holder."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.interval import IntervalTrigger

from bot.cli import build_parser
from bot.core import notification_cards
from bot.settings import Settings
from bot.standalone import run_standalone
from commissioning.clock import FrozenClock
from scheduler.jobs import DISPATCH_JOB, SWEEP_JOB, StewardScheduler
from scheduler.lease import Lease
from scheduler.sweep import Sweep
from tests.conftest import START, Harness
from tests.connector_standin import ConnectorStandIn
from tests.test_reminders_month import World, make_world

CARDS = notification_cards()

TUESDAY = datetime(2026, 11, 10, 10, tzinfo=UTC)


@pytest.fixture
async def world(tmp_path, connector: ConnectorStandIn) -> AsyncIterator[World]:
    made = await make_world(f"sqlite:///{tmp_path / 'j.db'}", FrozenClock(TUESDAY), connector)
    yield made
    await made.close()


def scheduler_for(world: World, owner: str, sweep: Sweep | None = None) -> StewardScheduler:
    return StewardScheduler(
        sweep or world.sweep, world.dispatcher, Lease(world.database, world.clock, owner=owner)
    )


async def test_the_jobs_are_static_with_explicit_ids_in_memory_and_registering_again_replaces_them(
    world: World,
) -> None:
    scheduler = scheduler_for(world, "replica-a")
    scheduler.start()
    try:
        scheduler.register()
        scheduler.register()
        jobs = sorted(scheduler.scheduler.get_jobs(), key=lambda job: job.id)
    finally:
        await scheduler.shutdown()

    assert [job.id for job in jobs] == [SWEEP_JOB, DISPATCH_JOB]
    assert [job.trigger.interval for job in jobs] == [timedelta(minutes=5), timedelta(minutes=1)]
    assert all(isinstance(job.trigger, IntervalTrigger) for job in jobs)
    assert [job.func for job in jobs] == [scheduler.sweep_job, scheduler.dispatch_job]
    assert isinstance(scheduler.scheduler._jobstores["default"], MemoryJobStore)  # nothing pickled


async def test_only_the_replica_holding_the_lease_sweeps_and_dispatches(world: World) -> None:
    first, second = scheduler_for(world, "replica-a"), scheduler_for(world, "replica-b")

    assert await first.sweep_job() is True
    assert await second.sweep_job() is False
    assert await second.dispatch_job() is False
    assert await first.dispatch_job() is True

    keys = [n.key for n in await world.notifications()]
    assert len(keys) == len(set(keys)) > 0
    assert {n.status for n in await world.notifications()} == {"sent"}


async def test_a_failing_job_is_logged_and_runs_again_next_time(world: World, caplog) -> None:
    class Broken(Sweep):
        async def run_once(self):  # type: ignore[no-untyped-def]
            raise RuntimeError("database went away")

    scheduler = scheduler_for(
        world, "replica-a", Broken(world.database, world.clock, world.sweep.rules, notice=CARDS.notice)
    )

    assert await scheduler.sweep_job() is True
    assert "scheduled sweep failed; it runs again at its next time" in caplog.text


async def test_the_jobs_run_on_the_running_event_loop(world: World) -> None:
    swept = asyncio.Event()
    sweep = Sweep(world.database, world.clock, world.sweep.rules, notice=CARDS.notice, on_added=swept.set)
    scheduler = scheduler_for(world, "replica-a", sweep)
    scheduler.start()
    try:
        scheduler.scheduler.get_job(SWEEP_JOB).modify(next_run_time=datetime.now(UTC))
        scheduler.scheduler.wakeup()
        await asyncio.wait_for(swept.wait(), timeout=30)
    finally:
        await scheduler.shutdown()

    assert len(await world.notifications()) > 0
    assert not scheduler.scheduler.running


async def test_the_app_runs_the_scheduler_by_default(harness: Harness) -> None:
    scheduler = harness.steward.scheduler

    assert scheduler is not None and scheduler.scheduler.running
    assert sorted(job.id for job in scheduler.scheduler.get_jobs()) == [SWEEP_JOB, DISPATCH_JOB]
    assert harness.steward.sweep is scheduler.sweep


async def test_served_with_scheduler_off_the_app_runs_none(
    database_url: str, connector: ConnectorStandIn
) -> None:
    running = await Harness(database_url, FrozenClock(START), connector, SCHEDULER="off").start()
    try:
        assert running.steward.scheduler is None
        assert running.steward.sweep is not None  # still built: the dispatcher is kicked by turns
    finally:
        await running.close()


async def test_steward_scheduler_runs_on_its_own_and_stops_cleanly(tmp_path) -> None:
    settings = Settings(_env_file=None, DATABASE_URL=f"sqlite:///{tmp_path / 'alone.db'}", SCHEDULER="off")  # type: ignore[arg-type]
    stop = asyncio.Event()
    stop.set()  # stop as soon as it has started

    await run_standalone(settings, clock=FrozenClock(START), stop=stop)

    assert (tmp_path / "alone.db").exists()


def test_the_command_line_offers_steward_scheduler() -> None:
    parser = build_parser()

    args = parser.parse_args(["scheduler"])

    assert args.func.__name__ == "cmd_scheduler"


async def test_when_the_lease_holder_dies_another_replica_takes_over_and_nothing_is_lost_or_sent_twice(
    world: World,
) -> None:
    dead, survivor = scheduler_for(world, "replica-a"), scheduler_for(world, "replica-b")
    assert await dead.sweep_job() is True  # it queued the day's reminders, then died before sending them
    queued = sorted(n.key for n in await world.notifications())

    world.clock.advance(minutes=2)
    assert await survivor.sweep_job() is False  # the dead replica's lease has not run out yet
    world.clock.advance(minutes=1, seconds=1)  # three minutes after the dead replica last renewed it
    assert await survivor.sweep_job() is True
    assert await survivor.dispatch_job() is True

    sent = [n for n in await world.notifications() if n.status == "sent"]
    assert sorted(n.key for n in sent) == queued
    assert len(world.standin.sent()) == len({n.recipient_id for n in sent}) > 0  # one card (or summary) each
