"""The load generator, in its own process: POSTs Teams-shaped activities and prints what it measured as JSON.

`python -m bench.load --target URL --service-url URL --kind help --n 1000 --concurrency 20 --tag r1`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import replace
from typing import Any

import aiohttp

from bench import portfolio
from bench.portfolio import Who

BOT = {"id": "28:steward-bot", "name": "Steward"}


def envelope(who: Who, service_url: str, activity_id: str, kind: str, **extra: Any) -> dict[str, Any]:
    """An activity as the Bot Connector would deliver it from Teams."""
    activity: dict[str, Any] = {
        "type": kind,
        "id": activity_id,
        "timestamp": "2026-12-01T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": who.user_id, "name": who.name, "aadObjectId": who.aad},
        "conversation": {"conversationType": "personal", "tenantId": who.tenant_id, "id": who.conversation},
        "recipient": BOT,
        "channelData": {"tenant": {"id": who.tenant_id}},
        "locale": "en-GB",
    }
    activity.update(extra)
    return activity


def activity(kind: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """The nth activity of a run: a help message, a stranger's help, a return submission or an install."""
    activity_id = f"{args.tag}-{n}"
    if kind == "install":
        who = portfolio.commissioner(n % portfolio.TENANTS)
        return envelope(
            who,
            args.service_url,
            activity_id,
            "conversationUpdate",
            membersAdded=[BOT],
            channelData={"tenant": {"id": who.tenant_id}, "eventType": "teamMemberAdded"},
        )
    p = portfolio.spread(n)
    if kind == "stranger":
        return envelope(portfolio.stranger(p), args.service_url, activity_id, "message", text="help")
    who = portfolio.person(p)
    if args.one_tenant:  # everyone in tenant 0, each in their own chat (`a:t00-…` is what the stand-in reads)
        who = replace(who, tenant=0, conversation=f"a:t00-p{p:04d}")
    if kind == "help":
        return envelope(who, args.service_url, activity_id, "message", text="help")
    month = portfolio.month(args.month_offset + (n // portfolio.PEOPLE) * 5 + p % 5)
    data = {"verb": "return.submit", "contract_id": who.contract, "month": month, **portfolio.GOOD_VALUES}
    return envelope(
        who,
        args.service_url,
        activity_id,
        "invoke",
        name="adaptiveCard/action",
        replyToId="card-1",
        value={
            "action": {"type": "Action.Execute", "verb": "return.submit", "data": data},
            "trigger": "manual",
        },
    )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Send args.n activities from args.concurrency workers; time each one."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    unexpected = 0
    counter = iter(range(args.n))
    url = args.target.rstrip("/") + "/api/messages"
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal unexpected
            for n in counter:
                body = activity(args.kind, n, args)
                started = time.perf_counter()
                async with session.post(url, json=body) as response:
                    text = await response.text()
                latencies.append(time.perf_counter() - started)
                statuses[response.status] += 1
                if args.kind == "submit" and response.status == 200 and "received" not in text:
                    unexpected += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "latencies": latencies,
        "statuses": {str(k): v for k, v in statuses.items()},
        "unexpected": unexpected,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", required=True)
    parser.add_argument("--service-url", required=True)
    parser.add_argument("--kind", choices=["help", "stranger", "submit", "install"], required=True)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--tag", default="run")
    parser.add_argument("--month-offset", type=int, default=0)
    parser.add_argument(
        "--one-tenant", action="store_true", help="everyone speaks from tenant 0 (a fresh Steward)"
    )
    args = parser.parse_args()
    sys.stdout.write(json.dumps(asyncio.run(run(args))) + "\n")


if __name__ == "__main__":
    main()
