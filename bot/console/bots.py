"""The bot the console talks to: started here in-process on a loopback port, or already running at a URL."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol, TypeGuard
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.app import STEWARD, Steward, create_app
from bot.console.connector import LOOPBACK, LocalConnector
from bot.console.errors import ChatError
from bot.console.people import Identity, load_people
from bot.settings import Settings
from commissioning.clock import Clock
from connector.urls import is_loopback
from storage.engine import Database

log = logging.getLogger(__name__)

QUIET_SECONDS = 0.3  # a bot elsewhere has finished answering when nothing has arrived for this long
MOST_SECONDS = 5.0
MOST_DAYS = 260  # a clock moved on further than a year of working days catches up only the first year


class SettableClock(Clock, Protocol):
    def set(self, moment: datetime) -> None: ...

    def advance(self, **delta: float) -> datetime: ...


class ConsoleClock:
    """The in-process bot's clock: the real time until a script sets it, then held where it was put."""

    def __init__(self) -> None:
        self._held: datetime | None = None

    def now(self) -> datetime:
        return self._held or datetime.now(UTC)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the console clock needs an aware datetime")
        self._held = moment.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        self._held = self.now() + timedelta(**delta)
        return self._held


class Bot(Protocol):
    """What the chat needs from a bot, wherever it runs."""

    messages_url: str
    description: str
    clock: SettableClock | None
    zone: ZoneInfo

    async def people(self) -> list[Identity]: ...

    async def settle(self, connector: LocalConnector) -> None: ...

    async def catch_up(self, since: datetime) -> None: ...

    async def close(self) -> None: ...


class InProcessBot:
    """The real app from create_app, served on 127.0.0.1 for the length of the chat."""

    def __init__(
        self, runner: web.AppRunner, steward: Steward, port: int, clock: Clock, scratch: Path | None
    ):
        self._runner = runner
        self.steward = steward
        self._scratch = scratch
        self.messages_url = f"http://{LOOPBACK}:{port}/api/messages"
        self.clock: SettableClock | None = clock if _settable(clock) else None
        self.zone = steward.settings.zone
        database = steward.settings.database_url if scratch is None else "a new temporary database"
        self.description = f"Steward started here ({database})"

    @classmethod
    async def start(
        cls, settings: Settings, *, clock: Clock | None = None, fresh: bool = False
    ) -> InProcessBot:
        """Start the app in local mode: the console sends no Bot Framework token, so none is checked."""
        overrides: dict[str, object] = {"app_id": "", "allowed_tenants": []}
        if settings.app_id:
            log.info("the console runs the bot in local mode; MicrosoftAppId is ignored here")
        scratch = Path(tempfile.mkdtemp(prefix="steward-chat-")) if fresh else None
        if scratch is not None:
            overrides["database_url"] = f"sqlite:///{scratch / 'steward.db'}"
        settings = settings.model_copy(update=overrides)
        clock = clock or ConsoleClock()
        runner = web.AppRunner(create_app(settings, clock=clock), access_log=None)
        try:
            await runner.setup()
            await web.TCPSite(runner, LOOPBACK, 0).start()
        except Exception as error:
            await runner.cleanup()
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            raise ChatError(f"The bot could not start: {type(error).__name__}: {error}") from None
        return cls(runner, runner.app[STEWARD], runner.addresses[0][1], clock, scratch)

    async def people(self) -> list[Identity]:
        return await load_people(self.steward.database)

    async def settle(self, connector: LocalConnector) -> None:
        """Wait until the notifications the last turn queued have been delivered."""
        await asyncio.sleep(0)
        await self.steward.dispatcher.idle()

    async def catch_up(self, since: datetime) -> None:
        """Run what the scheduler would have run since `since`: the sweep, then the dispatch.

        The scheduler sweeps every few minutes, and what is due changes only from one day to the next,
        so a sweep at the start of working hours on each working day passed, then one now, sends every
        stage a real week would have sent (the overdue notice, then each escalation), each at its time.
        """
        if self.clock is None:  # a clock the console cannot set keeps its own time
            return
        now = self.clock.now()
        hours = self.steward.core.rules.hours
        moment = hours.next_open(since)
        for _ in range(MOST_DAYS):
            if not since < moment < now:
                break
            self.clock.set(moment)
            await self._run_scheduler()
            moment = hours.next_working_morning(moment)
        self.clock.set(now)
        await self._run_scheduler()

    async def _run_scheduler(self) -> None:
        await self.steward.sweep.run_once()
        self.steward.dispatcher.kick()
        await self.steward.dispatcher.idle()

    async def close(self) -> None:
        await self.steward.dispatcher.idle()
        await self._runner.cleanup()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)


class RemoteBot:
    """A bot started elsewhere (`steward serve`), on this machine and in local mode."""

    def __init__(self, url: str, settings: Settings) -> None:
        self.messages_url = messages_url(url)
        self.description = f"Steward at {self.messages_url}"
        self.clock: SettableClock | None = None
        self.zone = settings.zone
        self._settings = settings

    async def people(self) -> list[Identity]:
        """The portfolio's people from the configured database, when it can be read; else nobody, and
        the person must be named by email."""
        url = self._settings.database_url
        try:
            parsed = make_url(url)
            path = Path(parsed.database or "")
            if parsed.get_backend_name() == "sqlite" and not await asyncio.to_thread(path.is_file):
                return []
            database = Database(url)
        except (ValueError, SQLAlchemyError):
            return []
        try:
            return await load_people(database)
        except (SQLAlchemyError, OSError) as error:
            log.info("cannot read people from %s: %s", url, type(error).__name__)
            return []
        finally:
            await database.dispose()

    async def settle(self, connector: LocalConnector) -> None:
        """A bot elsewhere says nothing about its background work: wait until the messages stop coming."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + MOST_SECONDS
        seen = len(connector.deliveries)
        while loop.time() < give_up:
            try:
                await asyncio.wait_for(connector.wait_beyond(seen), QUIET_SECONDS)
            except TimeoutError:
                return
            seen = len(connector.deliveries)

    async def catch_up(self, since: datetime) -> None:
        """Nothing to do: a bot elsewhere keeps its own time and runs its own scheduler."""

    async def close(self) -> None:
        return None


def messages_url(url: str) -> str:
    """The /api/messages address of a bot given as http://127.0.0.1:3978 (with or without the path)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ChatError(f"{url!r} is not a URL; give the bot's address, e.g. http://127.0.0.1:3978")
    if not is_loopback(url):
        raise ChatError(
            f"The console talks only to a bot on this machine (127.0.0.1), not {parts.hostname}: "
            "the bot must run in local mode, and its replies come back to a connector on loopback."
        )
    path = parts.path.rstrip("/")
    if not path.endswith("/api/messages"):
        path += "/api/messages"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _settable(clock: Clock) -> TypeGuard[SettableClock]:
    return callable(getattr(clock, "set", None)) and callable(getattr(clock, "advance", None))
