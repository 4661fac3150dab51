"""The real app with the demo portfolio and its year of history, served on a loopback port from a thread.

For the browser tests: Playwright's sync API drives Chromium from the test's own thread, so the app runs
on an event loop of its own. The clock is frozen at the suite's START, so every run shows the same pages.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from aiohttp import web

from bot.app import create_app
from bot.settings import Settings
from commissioning.clock import FrozenClock
from tests.conftest import DEMO, START


class TabServer:
    """`start()` returns once the app is listening; `url` is its base; `stop()` shuts it down."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.url = ""

    def start(self) -> TabServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=120)
        return self

    async def _start(self) -> None:
        settings = Settings(
            _env_file=None,
            DATABASE_URL=f"sqlite:///{self._folder / 'steward.db'}",
            DEMO_PORTFOLIO=DEMO,
            SCHEDULER="off",
        )  # type: ignore[call-arg]
        self._runner = web.AppRunner(create_app(settings, clock=FrozenClock(START)))
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
