"""The composition root: `build_core(settings)` makes the parts the bot and the standalone scheduler share."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.settings import Settings
from commissioning.clock import Clock
from commissioning.rules import Rules
from connector.client import BotConnector
from connector.token import BotTokenProvider, client_ssl_context
from dialogs import reminders as reminder_dialog
from scheduler.cards import NotificationCards
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import StewardScheduler
from scheduler.lease import Lease
from scheduler.sweep import Sweep
from storage.engine import Database

log = logging.getLogger(__name__)


def notification_cards() -> NotificationCards:
    """The reminder dialog's card builders, as the sweep and the dispatcher are given them."""
    return NotificationCards(
        notice=reminder_dialog.notice_payload,
        summary=reminder_dialog.summary_payload,
        report=reminder_dialog.report_payload,
        max_summary=reminder_dialog.MAX_SUMMARY,
    )


@dataclass
class Core:
    """What every Steward process runs on: the database, the outbound client and the reminder machinery."""

    settings: Settings
    clock: Clock
    database: Database
    http: aiohttp.ClientSession
    connector: BotConnector
    rules: Rules
    dispatcher: Dispatcher
    sweep: Sweep
    scheduler: StewardScheduler | None  # None where another process runs the jobs

    async def close(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.shutdown()
        await self.dispatcher.close()
        await self.http.close()
        await self.database.dispose()


async def build_core(
    settings: Settings,
    clock: Clock,
    *,
    run_scheduler: bool,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> Core:
    """Migrate the database and build the outbound client, dispatcher, sweep and (optionally) scheduler."""
    rules = settings.rules()  # read once: calendar, deadline rule, working hours, factor sets
    database = Database(settings.database_url)
    await database.migrate()
    http = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=client_ssl_context(), limit=50, keepalive_timeout=60),
        # The Bot Connector, the token and the signing-key endpoints set no cookies Steward needs, and no
        # cookie from one service URL should ride along to another: none are kept (nor looked up per call).
        cookie_jar=aiohttp.DummyCookieJar(),
    )
    tokens = None if settings.local_mode else BotTokenProvider(settings, http)
    extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
    connector = BotConnector(http, tokens=tokens, timeout=settings.outbound_timeout_seconds, **extra)
    cards = notification_cards()
    dispatcher = Dispatcher(database, connector, clock, cards=cards, hours=rules.hours)
    sweep = Sweep(database, clock, rules, notice=cards.notice, on_added=dispatcher.kick)
    scheduler = StewardScheduler(sweep, dispatcher, Lease(database, clock)) if run_scheduler else None
    return Core(settings, clock, database, http, connector, rules, dispatcher, sweep, scheduler)
