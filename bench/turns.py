"""Per-turn cost of Steward against the Bot Framework echo sample (stock CloudAdapter), same machine, same run.

Both bots answer sequential Teams-shaped message turns whose replies go to the same loopback Bot Connector
stand-in. Steward's turn does real work (dedupe, identify, state, dialog, commit); the echo bot does none,
so the ratio is what Steward's own work costs on top of the protocol. The issue's target: at most 10x.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from tests.connector_standin import ConnectorStandIn
from tests.teams import TeamsUser

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo-portfolio.yaml"
PRIYA_AAD = "7f1c2a10-0000-4000-8000-000000000033"
TARGET_RATIO = 10.0
CONVERSATIONS = 50


@dataclass
class Run:
    name: str
    seconds: list[float]
    new_connections: int
    peak_bytes: int

    @property
    def turns_per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.seconds, n=20)[18] * 1000


def echo_app() -> web.Application:
    """The Bot Framework echo sample: CloudAdapter + ConfigurationBotFrameworkAuthentication, auth off."""
    from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    class Config:
        APP_ID = ""
        APP_PASSWORD = ""
        APP_TYPE = "MultiTenant"
        APP_TENANTID = ""

    class EchoBot(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Config()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


async def measure(
    name: str,
    app: web.Application,
    connector: ConnectorStandIn,
    turns: int,
    make_turn: Callable[[TeamsUser], Awaitable[Any]],
) -> Run:
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        # Teams limits each conversation to 60 messages in 30 s, and the sender honours that, so the turns are
        # spread over many people's chats, as real traffic is: one person cannot type twice a second.
        users = [
            TeamsUser(
                client,
                connector.url,
                "Priya Shah",
                PRIYA_AAD,
                validate_cards=False,
                conversation_id=f"a:bench-{n}",
            )
            for n in range(CONVERSATIONS)
        ]
        for user in users[:5]:  # warm up: imports, caches, first connections
            await make_turn(user)
        connector.client_ports.clear()
        gc.collect()
        tracemalloc.start()
        seconds = []
        for n in range(turns):
            started = time.perf_counter()
            await make_turn(users[n % CONVERSATIONS])
            seconds.append(time.perf_counter() - started)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return Run(name, seconds, len(set(connector.client_ports)), peak)
    finally:
        await client.close()


async def say_help(user: TeamsUser) -> None:
    status, _ = await user.post(user.envelope("message", text="help"))
    assert status in (200, 201), status


async def main(turns: int = 300) -> list[Run]:
    logging.disable(logging.WARNING)
    connector = await ConnectorStandIn(validate_cards=False).start()
    try:
        echo = await measure("echo sample (CloudAdapter)", echo_app(), connector, turns, say_help)
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                _env_file=None, DATABASE_URL=f"sqlite:///{folder}/bench.db", DEMO_PORTFOLIO=DEMO
            )
            steward = await measure(
                "Steward message turn (help card)", create_app(settings), connector, turns, say_help
            )
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                _env_file=None, DATABASE_URL=f"sqlite:///{folder}/bench.db", DEMO_PORTFOLIO=DEMO
            )

            async def open_form(user: TeamsUser) -> None:
                await user.press("return.start", {"contract_id": 1, "month": "2026-10"})

            form = await measure(
                "Steward invoke turn (return form)", create_app(settings), connector, turns, open_form
            )
        return [echo, steward, form]
    finally:
        await connector.close()


def report(runs: list[Run]) -> str:
    baseline = runs[0]
    lines = [
        f"{'run':38} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'x echo':>7} {'new conns':>9} {'peak KiB':>9}"
    ]
    for run in runs:
        ratio = baseline.turns_per_second / run.turns_per_second
        lines.append(
            f"{run.name:38} {run.turns_per_second:8.1f} {run.p50_ms:8.2f} {run.p95_ms:8.2f} "
            f"{ratio:7.2f} {run.new_connections:9d} {run.peak_bytes / 1024:9.0f}"
        )
    worst = max(baseline.turns_per_second / run.turns_per_second for run in runs[1:])
    verdict = "within" if worst <= TARGET_RATIO else "OVER"
    lines.append(
        f"worst Steward turn costs {worst:.2f}x an echo turn: {verdict} the {TARGET_RATIO:.0f}x target"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    sys.stdout.write(report(asyncio.run(main())) + "\n")
