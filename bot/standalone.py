"""`steward scheduler`: the sweep and the dispatcher in their own process, on the same core as the bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.core import build_core
from bot.runtime import settle_heap
from bot.settings import Settings
from commissioning.clock import Clock, SystemClock

log = logging.getLogger(__name__)


async def run_standalone(
    settings: Settings,
    *,
    clock: Clock | None = None,
    stop: asyncio.Event | None = None,
    settle: bool = False,
) -> None:
    """Run the scheduler's jobs until SIGINT or SIGTERM (or `stop` is set); `settle`: tune the process's
    collector once started (bot/runtime.py), for the command line, not for a test's process."""
    core = await build_core(settings, clock or SystemClock(), run_scheduler=True)
    assert core.scheduler is not None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    if settle:
        settle_heap()
    core.scheduler.start()
    log.info("Steward scheduler running (owner %s); stop with Ctrl+C", core.scheduler.lease.owner)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)
        await core.close()
        log.info("Steward scheduler stopped")
