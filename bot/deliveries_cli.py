"""`steward deliveries`: the delivery ledger as a table or JSON, and resending what could not be delivered."""

from __future__ import annotations

import argparse
import asyncio
import json
import textwrap
from datetime import datetime, time, tzinfo
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from bot.audit_report import clip
from bot.cli_common import UsageError, echo, iso_date, load_settings, table
from commissioning.clock import SystemClock
from storage.deliveries import LISTED, DeliveriesRepository, Entry, Filters
from storage.engine import Database
from storage.models import Contract
from storage.statuses import DeliveryStatus

WIDTH = 100
HEADERS = ["id", "to", "contract", "about", "status", "queued", "sent", "read", "what went wrong"]
MEANINGS = {
    DeliveryStatus.QUEUED: "waiting for its time or for working hours",
    DeliveryStatus.FAILED: "a send failed (HTTP 5xx, timeouts to connect, a refusal); another try is due",
    DeliveryStatus.SENT: "Teams accepted it; no read receipt (yet, or the person has them turned off)",
    DeliveryStatus.READ: "Teams said the person read it (a read receipt)",
    DeliveryStatus.WAITING: "the person has not opened a chat with Steward yet; it goes when they do",
    DeliveryStatus.UNREACHABLE: "Teams refused (HTTP 403/404): the person removed Steward; it goes when "
    "they add it again, or with --resend once they have",
    DeliveryStatus.UNCERTAIN: "Steward cannot tell whether Teams got it; never sent again by itself",
    DeliveryStatus.DEAD: "given up after the last try (dead-lettered); --resend tries again",
    DeliveryStatus.CANCELLED: "no longer due before it went (the return came in, the date moved)",
}
DESCRIPTION = "\n".join(
    [
        textwrap.fill(
            "Every notification Steward has queued: who it was for, when it was queued, sent and read, "
            "and what went wrong (the HTTP status and error), oldest first. What each status means:",
            WIDTH,
        ),
        "",
        *(
            textwrap.fill(meaning, WIDTH, initial_indent=f"  {status.value:<12} ", subsequent_indent=" " * 15)
            for status, meaning in MEANINGS.items()
        ),
        "",
        textwrap.fill(
            "--resend queues again the dead and unreachable ones (with the same filters, or --id) whose "
            "person can be reached now: they have a chat with Steward and are not marked unreachable, and "
            "for an unreachable one that chat is newer than the failure (they added the app again). One "
            "that was sent, or may have been (uncertain), is never resent; running it twice resends once.",
            WIDTH,
        ),
    ]
)


class DeliveriesProblem(Exception):
    """A filter the administrator can fix (an unknown contract)."""


def register(commands: Any) -> None:
    """Add `deliveries` to the `steward` subcommands."""

    parser = commands.add_parser(
        "deliveries",
        help="the delivery ledger: each notification's queued, sent, read and failed times with the "
        "reason; --resend what failed for people who can be reached again",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--contract", metavar="KEY", help="only this contract's (its key, e.g. IVWS)")
    parser.add_argument(
        "--status", choices=[status.value for status in LISTED], help="only those in this status"
    )
    parser.add_argument(
        "--since", metavar="YYYY-MM-DD", type=iso_date, help="only those queued or changed from this day on"
    )
    parser.add_argument(
        "--id",
        dest="ids",
        metavar="N",
        type=int,
        action="append",
        default=[],
        help="only this one (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print the ledger as JSON, one object each")
    parser.add_argument(
        "--resend", action="store_true", help="queue again the dead and unreachable ones that can go now"
    )
    parser.set_defaults(func=cmd_deliveries)


def cmd_deliveries(args: argparse.Namespace) -> None:

    settings = load_settings()

    async def run() -> list[str]:
        database = Database(settings.database_url)
        try:
            await database.migrate()
            filters = await _filters(database, args, settings.zone)
            if args.resend:
                return await resend_lines(database, filters, now=SystemClock().now())
            return await ledger_lines(database, filters, settings.zone, as_json=args.json)
        finally:
            await database.dispose()

    try:
        lines = asyncio.run(run())
    except DeliveriesProblem as problem:
        raise UsageError(str(problem)) from None
    for line in lines:
        echo(line)


async def _filters(database: Database, args: argparse.Namespace, zone: tzinfo) -> Filters:
    contract_id = None
    if args.contract:
        async with database.session() as session:
            found = await session.execute(select(col(Contract.id)).where(col(Contract.key) == args.contract))
            contract_id = found.scalar_one_or_none()
        if contract_id is None:
            raise DeliveriesProblem(
                f"no contract has the key {args.contract}; `steward contracts` lists them"
            )
    since = datetime.combine(args.since, time(0), tzinfo=zone) if args.since else None
    status = DeliveryStatus(args.status) if args.status else None
    return Filters(contract_id=contract_id, status=status, since=since, ids=tuple(args.ids))


async def ledger_lines(
    database: Database, filters: Filters, zone: tzinfo, *, as_json: bool = False
) -> list[str]:
    """The ledger as table lines (or one JSON document), oldest first."""

    async with database.session() as session:
        entries, cut = await DeliveriesRepository(session).entries(filters)
    if as_json:
        return [json.dumps([as_object(entry) for entry in entries], indent=2)]
    lines = table(HEADERS, [_row(entry, zone) for entry in entries])
    if cut:
        lines.append("(the newest only: narrow the list with --since, --status or --contract)")
    return lines


async def resend_lines(database: Database, filters: Filters, *, now: datetime) -> list[str]:
    """Resend what can go now; a line for each, or one saying there was nothing to resend."""
    async with database.session() as session:
        repo = DeliveriesRepository(session)
        chosen = await repo.resendable(filters)
        resent = await repo.resend(chosen, now=now, by="an administrator (steward deliveries --resend)")
        entries, _ = await repo.entries(Filters(ids=tuple(n.id for n in chosen))) if chosen else ([], False)
    if not resent:
        return [
            "Nothing to resend: no dead or unreachable notification is for someone Steward can reach now. "
            "Someone who removed the app must add Steward again first (`steward people --unreachable`)."
        ]
    lines = [
        f"Queued again {resent} notification{'s' if resent != 1 else ''}; they go on the next delivery round:"
    ]
    lines.extend(f"  {entry.notification.id}  {entry.person}: {_about(entry)}" for entry in entries)
    return lines


def _about(entry: Entry) -> str:
    return clip(str(entry.notification.payload.get("summary") or entry.notification.kind), 60)


def _when(moment: datetime | None, zone: tzinfo) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment is not None else "-"


def _problem(entry: Entry, zone: tzinfo) -> str:
    event = entry.problem
    if event is None:
        return "-"
    status = (
        f"HTTP {event.http_status} "
        if event.http_status and f"HTTP {event.http_status}" not in event.reason
        else ""
    )
    return clip(f"{_when(event.at, zone)} {event.status}: {status}{event.reason}", 110)


def _row(entry: Entry, zone: tzinfo) -> list[str]:
    n = entry.notification
    return [
        str(n.id),
        clip(entry.person, 30),
        entry.contract,
        _about(entry),
        entry.status.value,
        _when(n.created_at, zone),
        _when(n.sent_at, zone),
        _when(n.read_at, zone),
        _problem(entry, zone),
    ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def as_object(entry: Entry) -> dict[str, Any]:
    """One ledger entry as JSON: times in UTC (ISO 8601), its events oldest first."""
    n = entry.notification
    return {
        "id": n.id,
        "kind": n.kind,
        "to": entry.person,
        "contract": entry.contract,
        "about": str(n.payload.get("summary") or n.kind),
        "status": entry.status.value,
        "attempts": n.attempts,
        "queued_at": _iso(n.created_at),
        "sent_at": _iso(n.sent_at),
        "read_at": _iso(n.read_at),
        "events": [
            {"at": _iso(e.at), "status": e.status, "http_status": e.http_status, "reason": e.reason}
            for e in entry.events
        ],
    }
