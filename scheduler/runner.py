"""Builds the reminder machinery (dispatcher, sweep, scheduler) for the app, or runs it as its own process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass

import aiohttp

from bot.connector import BotConnector
from bot.settings import Settings
from bot.token import BotTokenProvider, client_ssl_context
from commissioning import calendar as working_calendar
from commissioning import meetings as meeting_rules
from commissioning.calendar import default_calendar
from commissioning.clock import Clock, SystemClock
from commissioning.reminders import WorkingHours
from dialogs import reminders as reminder_cards
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import StewardScheduler
from scheduler.lease import Lease
from scheduler.sweep import Sweep
from storage.engine import Database

log = logging.getLogger(__name__)


@dataclass
class ReminderParts:
    dispatcher: Dispatcher
    sweep: Sweep
    scheduler: StewardScheduler | None


def build_reminder_parts(
    settings: Settings, database: Database, connector: BotConnector, clock: Clock, *, run_scheduler: bool
) -> ReminderParts:
    """The dispatcher every turn kicks, the sweep, and (when this process runs it) the scheduler.

    Call after the working calendar is configured: working hours count working days.
    """
    policy = settings.reminder_policy()
    hours = WorkingHours.of(policy, settings.zone, default_calendar())
    reminder_cards.configure(hours)
    dispatcher = Dispatcher(database, connector, clock, hours=hours)
    sweep = Sweep(
        database, clock, policy=policy, zone=settings.zone, calendar=hours.calendar, on_added=dispatcher.kick
    )
    scheduler = StewardScheduler(sweep, dispatcher, Lease(database, clock)) if run_scheduler else None
    return ReminderParts(dispatcher, sweep, scheduler)


async def run_standalone(
    settings: Settings, *, clock: Clock | None = None, stop: asyncio.Event | None = None
) -> None:
    """`steward scheduler`: the sweep and the dispatcher in their own process, until SIGINT or SIGTERM."""
    clock = clock or SystemClock()
    working_calendar.configure(settings.closure_days)
    meeting_rules.configure(close_of_business=settings.close_of_business)
    database = Database(settings.database_url)
    await database.migrate()
    http = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=client_ssl_context(), limit=50, keepalive_timeout=60)
    )
    tokens = None if settings.local_mode else BotTokenProvider(settings, http)
    connector = BotConnector(http, tokens=tokens, timeout=settings.outbound_timeout_seconds)
    parts = build_reminder_parts(settings, database, connector, clock, run_scheduler=True)
    assert parts.scheduler is not None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    parts.scheduler.start()
    log.info("Steward scheduler running (owner %s); stop with Ctrl+C", parts.scheduler.lease.owner)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)
        await parts.scheduler.shutdown()
        await parts.dispatcher.close()
        await http.close()
        await database.dispose()
        log.info("Steward scheduler stopped")
