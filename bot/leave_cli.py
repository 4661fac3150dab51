"""`steward leave`: an administrator records someone's leave, with a delegate per contract, audited."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from bot.cli_common import UsageError, echo, iso_date, load_settings
from commissioning.clock import SystemClock
from commissioning.dates import long_date
from commissioning.leave import LeaveError, check_leave
from commissioning.roles import Role
from storage.engine import Database
from storage.models import Contract, Person
from storage.repositories import Repositories

DESCRIPTION = (
    "Record leave for someone: from FROM to TO, both days included. While they are away their reminders "
    "wait; a persistent breach, an escalation or a review meeting inside its deadline goes to the delegate "
    "named for that contract (someone on the same contract and side), or when there is none to the next "
    "person in the contract's chain. Leave it overlaps is replaced. The change is audited."
)


class LeaveProblem(Exception):
    """Something the administrator can fix: an unknown person or contract, a date, a delegate."""


def register(commands: Any) -> None:
    """Add `leave` to the `steward` subcommands."""

    parser = commands.add_parser(
        "leave",
        help="record someone's leave (reminders wait, what cannot wait goes to their delegate)",
        description=DESCRIPTION,
    )
    parser.add_argument("person", metavar="PERSON", help="their email address or full name")
    parser.add_argument("starts_on", metavar="FROM", type=iso_date, help="first day away, YYYY-MM-DD")
    parser.add_argument("ends_on", metavar="TO", type=iso_date, help="last day away, YYYY-MM-DD")
    parser.add_argument(
        "--delegate",
        dest="delegates",
        metavar="CONTRACT=EMAIL",
        action="append",
        default=[],
        help="who covers on that contract (its key, e.g. IVWS); repeatable",
    )
    parser.set_defaults(func=cmd_leave)


def cmd_leave(args: argparse.Namespace) -> None:

    settings = load_settings()

    async def run() -> list[str]:
        database = Database(settings.database_url)
        try:
            await database.migrate()
            today = SystemClock().now().astimezone(settings.zone).date()
            return await record_leave_lines(
                database,
                args.person,
                args.starts_on,
                args.ends_on,
                args.delegates,
                now=SystemClock().now(),
                today=today,
            )
        finally:
            await database.dispose()

    try:
        lines = asyncio.run(run())
    except LeaveProblem as problem:
        raise UsageError(str(problem)) from None
    for line in lines:
        echo(line)


async def record_leave_lines(
    database: Database,
    who: str,
    starts_on: date,
    ends_on: date,
    delegates: Sequence[str],
    *,
    now: datetime,
    today: date,
) -> list[str]:
    """Record the leave; the lines to print. Raises LeaveProblem with a one-line fix."""
    try:
        check_leave(starts_on, ends_on, today)
    except LeaveError as error:
        raise LeaveProblem(error.message) from None
    async with database.session() as session:
        repos = Repositories.on(session)
        person = await _person(session, who)
        chosen: dict[int, int] = {}
        shown: list[str] = []
        for item in delegates:
            contract, delegate = await _delegate(session, repos, person, item)
            chosen[contract.id] = delegate.id
            shown.append(f"  {contract.key}: {delegate.name}")
        row, replaced = await repos.leave.record(person.id, starts_on, ends_on, chosen, by_id=None, now=now)
        repos.audit.record(
            at=now,
            actor_id=None,
            action="leave.recorded",
            entity="leave",
            entity_id=row.id,
            before={
                "replaced": [
                    {"starts_on": r.starts_on.isoformat(), "ends_on": r.ends_on.isoformat()} for r in replaced
                ]
            },
            after={
                "person_id": person.id,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "delegates": {str(c): p for c, p in chosen.items()},
                "by": "an administrator (steward leave)",
            },
        )
    lines = [f"Recorded leave for {person.name}: {long_date(starts_on)} to {long_date(ends_on)}."]
    if shown:
        lines += ["Delegates:", *shown]
    return lines


async def _person(session: Any, who: str) -> Person:
    wanted = who.strip().lower()
    query = select(Person).where(
        (func.lower(col(Person.email)) == wanted) | (func.lower(col(Person.name)) == wanted)
    )
    found = list((await session.execute(query)).scalars())
    if len(found) != 1:
        raise LeaveProblem(f"no one is called or has the email {who}; `steward people` lists them")
    return found[0]


async def _delegate(session: Any, repos: Repositories, person: Person, item: str) -> tuple[Contract, Person]:
    key, _, email = item.partition("=")
    if not key or not email:
        raise LeaveProblem(
            f"--delegate {item}: write it as CONTRACT=EMAIL, like IVWS=tom.whitaker@victimsupport.example"
        )
    contract = (
        await session.execute(select(Contract).where(col(Contract.key) == key.strip()))
    ).scalar_one_or_none()
    if contract is None:
        raise LeaveProblem(
            f"--delegate {item}: no contract has the key {key}; `steward contracts` lists them"
        )
    sides = {role.side for role in await repos.people.roles_on(person.id, contract.id)}
    if not sides:
        raise LeaveProblem(f"--delegate {item}: {person.name} has no role on {key}")
    same_side = frozenset(role for role in Role if role.side in sides)
    for candidate in await repos.people.people_with_roles(contract.id, same_side):
        if candidate.email.lower() == email.strip().lower() and candidate.id != person.id:
            return contract, candidate
    raise LeaveProblem(f"--delegate {item}: {email} is not on {key} on {person.name}'s side of it")
