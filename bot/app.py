"""The app factory: `create_app(settings)` builds every part and wires start-up and shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import func, select, text

from bot.adapter import StewardAdapter
from bot.auth import BotAuthenticator, OpenIdKeys
from bot.core import Core, build_core
from bot.demo_history import load_history, parse_history
from bot.downloads import serve_download
from bot.handler import StewardBot
from bot.messages import MessagesEndpoint
from bot.report_downloads import granted_workbook
from bot.settings import Settings
from bot.tab_sso import TabTokens
from commissioning.clock import Clock, SystemClock
from commissioning.portfolio import parse_portfolio
from commissioning.rules import Rules
from connector.client import BotConnector
from dialogs import (
    actions,
    deliverables,
    gonogo,
    improvement,
    kpi_return,
    leave,
    meetings,
    monthly_return,
    notice,
    quarter,
    reminders,
    status,
    welcome,
)
from dialogs.base import Dispatch
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import StewardScheduler
from scheduler.sweep import Sweep
from storage.engine import Database
from storage.models import Contract
from storage.portfolio import import_portfolio
from storage.repositories import Repositories
from tab import TabConfig, TabSources, add_tab_routes

log = logging.getLogger(__name__)

ROUTERS = (
    welcome.router,
    monthly_return.router,
    kpi_return.router,
    quarter.router,
    notice.router,
    gonogo.router,
    meetings.router,
    actions.router,
    deliverables.router,
    reminders.router,
    leave.router,
    improvement.router,
    status.router,
)


@dataclass
class Steward:
    """Every long-lived part of a running Steward, built once per app: the core and the bot's own edge."""

    core: Core
    adapter: StewardAdapter
    bot: StewardBot
    dispatch: Dispatch
    endpoint: MessagesEndpoint

    # The core's parts by name, as the tests, the console and the CLI reach them.
    @property
    def settings(self) -> Settings:
        return self.core.settings

    @property
    def clock(self) -> Clock:
        return self.core.clock

    @property
    def database(self) -> Database:
        return self.core.database

    @property
    def http(self) -> aiohttp.ClientSession:
        return self.core.http

    @property
    def connector(self) -> BotConnector:
        return self.core.connector

    @property
    def dispatcher(self) -> Dispatcher:
        return self.core.dispatcher

    @property
    def sweep(self) -> Sweep:
        return self.core.sweep

    @property
    def scheduler(self) -> StewardScheduler | None:
        return self.core.scheduler


STEWARD = web.AppKey("steward", Steward)
TAB = web.AppKey("tab", TabSources)


def build_dispatch() -> Dispatch:
    return Dispatch(list(ROUTERS))


def create_app(
    settings: Settings, *, clock: Clock | None = None, sleep: Callable[[float], Awaitable[None]] | None = None
) -> web.Application:
    """Build the aiohttp app; the database, HTTP session and bot are made on start-up, closed on cleanup."""
    app = web.Application(client_max_size=settings.max_body_bytes)
    clock = clock or SystemClock()

    async def start(app: web.Application) -> None:
        if settings.local_mode:
            log.warning(
                "LOCAL MODE: no MicrosoftAppId is set, so no Bot Framework token is checked or sent. "
                "Only loopback service URLs are served (Emulator, console chat, tests)."
            )
        elif not settings.public_url:
            log.warning("PUBLIC_URL is not set, so cards offer no download links (see docs/security.md).")
        core = await build_core(settings, clock, run_scheduler=settings.scheduler == "app", sleep=sleep)
        if settings.demo_portfolio is not None:
            await load_demo(core.database, settings.demo_portfolio, clock, core.rules, settings.demo_history)
        authenticator = (
            None
            if settings.local_mode
            else BotAuthenticator(settings, core.http, OpenIdKeys(settings, core.http))
        )
        adapter = StewardAdapter(core.connector)
        dispatch = build_dispatch()
        bot = StewardBot(
            database=core.database,
            connector=core.connector,
            dispatcher=core.dispatcher,
            dispatch=dispatch,
            clock=clock,
            rules=core.rules,
            local_mode=settings.local_mode,
        )
        endpoint = MessagesEndpoint(settings, adapter, bot, authenticator, core.connector)
        app[STEWARD] = Steward(core, adapter, bot, dispatch, endpoint)
        tab_tokens = None if settings.local_mode else TabTokens(settings, core.http)
        app[TAB] = TabSources(
            core.database, clock, core.rules.zone, tab_tokens.verify if tab_tokens else None, granted_workbook
        )
        if core.scheduler is not None:
            core.scheduler.start()  # the sweep and dispatch jobs, run only by the lease holder
        core.dispatcher.kick()  # deliver anything left in the outbox by the last run

    async def stop(app: web.Application) -> None:
        steward = app.get(STEWARD)
        if steward is not None:
            await steward.core.close()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await request.app[STEWARD].endpoint(request)

    async def download(request: web.Request) -> web.StreamResponse:
        return await serve_download(request, request.app[STEWARD].core)

    async def health(request: web.Request) -> web.Response:
        steward = request.app[STEWARD]
        try:
            async with steward.database.session() as session:
                await session.execute(text("select 1"))
        except Exception as error:
            log.error("health check: database unavailable: %s", type(error).__name__)
            return web.json_response({"status": "unavailable", "database": "down"}, status=503)
        return web.json_response(
            {"status": "ok", "database": "ok", "mode": "local" if settings.local_mode else "bot-framework"}
        )

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", health)
    app.router.add_get("/downloads/{token}", download)
    add_tab_routes(app, tab_config(settings), lambda running: running[TAB])
    return app


def tab_config(settings: Settings) -> TabConfig:
    return TabConfig(
        local_mode=settings.local_mode,
        frame_ancestors=tuple(settings.tab_frame_ancestors),
        session_key=settings.tab_session_key(),
        session_minutes=settings.tab_session_minutes,
    )


async def load_demo(
    database: Database, path: Path, clock: Clock, rules: Rules | None = None, history: Path | None = None
) -> bool:
    """Load the demo portfolio into an empty database; leave a database with contracts alone.

    With a `history` file (and the `rules` it is read under), the demo's past is loaded too, as far as
    the clock has reached: a year of returns and their meetings.
    """
    async with database.session() as session:
        count = (await session.execute(select(func.count()).select_from(Contract))).scalar_one()
        if count:
            return False
        content = await asyncio.to_thread(path.read_text, encoding="utf-8")
        portfolio = parse_portfolio(content, str(path))
        summary = await import_portfolio(session, portfolio, now=clock.now())
        months = 0
        if rules is not None and history is not None:
            text = await asyncio.to_thread(history.read_text, encoding="utf-8")
            past = parse_history(text, str(history))
            months = await load_history(Repositories.on(session), past, rules, clock.now())
    log.info("demo portfolio loaded from %s: %s; %d months of history", path, summary.describe(), months)
    return True
