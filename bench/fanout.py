"""Fan-out, in its own process: N reminders through Steward's outbox and dispatcher to an enforcing stand-in.

Everyone is in one tenant, each in their own chat, so Teams' 50 calls a second per tenant is what binds:
the minimum is N / 50 seconds. Prints the time, the outbox's end states and the stand-in's counts as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import aiohttp
from sqlalchemy import select

from bench import portfolio
from bench.standin import TENANT_LIMIT
from bot.core import notification_cards
from commissioning.clock import SystemClock
from commissioning.portfolio import parse_portfolio
from connector.client import BotConnector
from scheduler.dispatcher import Dispatcher
from storage.engine import Database
from storage.models import ConversationRef, Notification, Person
from storage.outbox import Outbox, Queued
from storage.portfolio import import_portfolio

TERMINAL = {"sent", "dead", "unreachable", "uncertain", "cancelled", "no_conversation"}


async def prepare(database: Database, standin: str, n: int) -> None:
    """The portfolio, a chat with each of the first n people (tenant 0), and one urgent reminder for each."""
    await database.migrate()
    now = datetime.now(UTC)
    async with database.session() as session:
        await import_portfolio(session, parse_portfolio(portfolio.yaml_text(), "bench"), now=now)
    async with database.session() as session:
        ids = {p.email: p.id for p in (await session.execute(select(Person))).scalars()}
        reminders: list[Queued] = []
        for p in range(n):
            who = portfolio.person(p)
            person_id = ids[f"p{p}@prov{who.tenant}.example"]
            session.add(
                ConversationRef(
                    conversation_id=f"a:t00-p{p:04d}",
                    person_id=person_id,
                    scope="personal",
                    service_url=standin,
                    bot_id="28:steward-bot",
                    user_id=who.user_id,
                    tenant_id=portfolio.tenant_id(0),
                    updated_at=now,
                )
            )
            reminders.append(
                Queued(
                    key=f"bench:{p}",
                    kind="remind.bench",
                    recipient_id=person_id,
                    payload={"summary": f"Bench reminder {p}", "text": f"Bench reminder {p}"},
                    urgent=True,
                )
            )
        await Outbox(session).enqueue_many(reminders, now=now)


async def deliver(database: Database, limit: float) -> float:
    """Run the dispatcher until nothing is left to send; the seconds it took."""
    clock = SystemClock()
    async with aiohttp.ClientSession() as http:
        connector = BotConnector(http, tokens=None, timeout=10)
        dispatcher = Dispatcher(database, connector, clock, cards=notification_cards(), hours=None)
        started = time.perf_counter()
        while time.perf_counter() - started < limit:
            sent = await dispatcher.run_once(limit=100)
            if not sent and not await _due(database, clock.now()):
                break
        return time.perf_counter() - started


async def _due(database: Database, now: datetime) -> int:
    async with database.session() as session:
        return len(await Outbox(session).due(now, working_hours=True, limit=1))


async def statuses(database: Database) -> dict[str, int]:
    async with database.session() as session:
        rows = (await session.execute(select(Notification.status))).scalars()
        return dict(Counter(rows))


async def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(args.database or f"sqlite:///{folder}/fanout.db")
        try:
            await prepare(database, args.standin, args.n)
            async with aiohttp.ClientSession() as http:
                await http.post(args.standin + "reset")
            seconds = await deliver(database, args.timeout)
            outbox = await statuses(database)
        finally:
            await database.dispose()
    return {"seconds": seconds, "minimum": args.n / TENANT_LIMIT[0], "n": args.n, "outbox": outbox}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--standin", required=True)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--database", default="", help="default: a temporary SQLite file")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    sys.stdout.write(json.dumps(asyncio.run(run(args))) + "\n")


if __name__ == "__main__":
    main()
