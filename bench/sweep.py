"""The deadline sweep, in its own process: `Sweep.run_once` at several portfolio sizes with three years of returns.

Each size gets a fresh SQLite database: the contracts (imported as a portfolio file) and, for each, 36
submitted monthly returns (period, return, version and values) written directly through the storage
models. Prints, per size, the seconds of the first sweep (which enqueues) and of a repeat, as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from bench.portfolio import INDICATORS
from bot.core import notification_cards
from bot.runtime import settle_heap
from commissioning.clock import SystemClock
from commissioning.deadlines import LONDON
from commissioning.portfolio import parse_portfolio
from commissioning.reminder_policy import default_policy
from commissioning.rules import Rules
from scheduler.sweep import Sweep
from storage.engine import Database
from storage.models import (
    Contract,
    Indicator,
    MonthlyReturn,
    Person,
    ReportingPeriod,
    ReturnValue,
    ReturnVersion,
)
from storage.portfolio import import_portfolio

HISTORY_MONTHS = 36


def portfolio_text(contracts: int) -> str:
    """`contracts` contracts, each with its own provider contact, ten commissioners between them."""
    lines = ["organisations:", "  - {key: comm, name: Commissioner, kind: commissioner}"]
    lines += ["  - {key: prov, name: Provider, kind: provider}", "people:"]
    lines += [
        f"  - {{email: c{k}@comm.example, name: Commissioner {k}, organisation: comm}}" for k in range(10)
    ]
    lines += [
        f"  - {{email: p{k}@prov.example, name: Provider {k}, organisation: prov}}" for k in range(contracts)
    ]
    lines.append("contracts:")
    for k in range(contracts):
        lines.append(
            f"""  - key: S{k:04d}
    name: Contract {k}
    commissioner: comm
    provider: prov
    starts_on: 2023-12-01
    ends_on: 2028-11-30
    roles: {{provider_contact: [p{k}@prov.example], commissioner: [c{k % 10}@comm.example],
            director: [c{(k + 1) % 10}@comm.example]}}
    indicators:
{INDICATORS}"""
        )
    return "\n".join(lines)


def months(first: date, count: int) -> list[tuple[date, date]]:
    spans = []
    for i in range(count):
        year, month = divmod(first.month - 1 + i, 12)
        start = date(first.year + year, month + 1, 1)
        year, month = divmod(start.month, 12)
        spans.append((start, date(start.year + year, month + 1, 1) - timedelta(days=1)))
    return spans


async def history(database: Database) -> None:
    """Thirty-six submitted returns a contract, each with one version and a value for every indicator."""
    async with database.session() as session:
        contracts = (await session.execute(select(Contract.id))).scalars().all()
        submitter = (await session.execute(select(Person.id))).scalars().first()
        indicators: dict[int, list[int]] = {}
        for contract_id, indicator_id in await session.execute(select(Indicator.contract_id, Indicator.id)):
            indicators.setdefault(contract_id, []).append(indicator_id)
        spans = months(date(2023, 12, 1), HISTORY_MONTHS)
        periods = [
            {"contract_id": c, "kind": "month", "starts_on": s, "ends_on": e, "label": s.strftime("%B %Y")}
            for c in contracts
            for s, e in spans
        ]
        period_ids = (
            await session.execute(insert(ReportingPeriod).returning(ReportingPeriod.id), periods)
        ).scalars()
        returns = []
        for period, period_id in zip(periods, period_ids, strict=True):
            received = datetime.combine(period["ends_on"] + timedelta(days=6), datetime.min.time(), UTC)
            returns.append(
                {
                    "contract_id": period["contract_id"],
                    "period_id": period_id,
                    "status": "submitted",
                    "current_version": 1,
                    "draft_values": {},
                    "received_at": received,
                    "clock_started_at": received,
                    "created_at": received,
                }
            )
        return_ids = (
            await session.execute(insert(MonthlyReturn).returning(MonthlyReturn.id), returns)
        ).scalars()
        versions = [
            {"return_id": r, "version": 1, "submitted_by_id": submitter, "received_at": row["received_at"]}
            for r, row in zip(return_ids, returns, strict=True)
        ]
        version_ids = (
            await session.execute(insert(ReturnVersion).returning(ReturnVersion.id), versions)
        ).scalars()
        values = [
            {"version_id": v, "indicator_id": i, "value": 100.0}
            for v, row in zip(version_ids, returns, strict=True)
            for i in indicators[row["contract_id"]]
        ]
        await session.execute(insert(ReturnValue), values)


async def one_size(contracts: int, repeats: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{folder}/sweep.db")
        try:
            await database.migrate()
            async with database.session() as session:
                await import_portfolio(
                    session, parse_portfolio(portfolio_text(contracts), "sweep"), now=datetime.now(UTC)
                )
            await history(database)
            rules = Rules.build(zone=LONDON, closures=[], policy=default_policy())
            sweep = Sweep(database, SystemClock(), rules, notice=notification_cards().notice)
            settle_heap()  # as `python -m bot scheduler` and `serve` do once started
            timings = []
            for _ in range(1 + repeats):
                started = time.perf_counter()
                result = await sweep.run_once()
                timings.append(time.perf_counter() - started)
        finally:
            await database.dispose()
    return {
        "contracts": contracts,
        "first": timings[0],
        "repeat": statistics.median(timings[1:]),
        "due": result.due,
    }


async def run(sizes: list[int], repeats: int) -> list[dict[str, Any]]:
    return [await one_size(size, repeats) for size in sizes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    sys.stdout.write(json.dumps({"sizes": asyncio.run(run(sizes, args.repeats))}) + "\n")


if __name__ == "__main__":
    main()
