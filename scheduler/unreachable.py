"""A person Teams will not let Steward reach (403/404): who is told, once per spell, and what the notice says."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from commissioning.roles import Role
from scheduler.cards import NotificationCards
from storage.models import Contract, Notification, Person
from storage.outbox import Outbox
from storage.people import PeopleRepository

REPORT_PREFIX = "report."
# On each of the person's contracts, the first of these that has someone else in it hears.
LOOKS_AFTER = (Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.DIRECTOR)


async def told_of(people: PeopleRepository, person: Person) -> list[Person]:
    """Their commissioner on each of their contracts (else programme manager, else director); else the admins."""
    told: dict[int, Person] = {}
    for contract_id in dict.fromkeys(m.contract.id for m in await people.memberships(person.id)):
        for role in LOOKS_AFTER:
            found = [
                p for p in await people.people_with_roles(contract_id, frozenset({role})) if p.id != person.id
            ]
            if found:
                told.update((p.id, p) for p in found)
                break
    if not told:
        told = {p.id: p for p in await people.administrators() if p.id != person.id}
    return sorted(told.values(), key=lambda p: (p.name, p.id))


async def tell_unreachable(
    session: AsyncSession,
    cards: NotificationCards,
    person: Person,
    claimed: Sequence[Notification],
    *,
    now: datetime,
    not_before: datetime,
) -> None:
    """Once per unreachable spell per person (whatever the contract): who could not be reached, about what.

    The report's key names the person, the spell and who is told, never the contract or the message, so
    every later message that waits for them, on any contract, only repeats the first one's keys.
    """
    first = next((n for n in claimed if not n.kind.startswith(REPORT_PREFIX)), None)
    if first is None:  # a report that could not reach them is not itself reported
        return
    since = (person.unreachable_since or now).strftime("%Y%m%dT%H%M%S")
    told = await told_of(PeopleRepository(session), person)
    contract = await session.get(Contract, first.contract_id) if first.contract_id else None
    payload = cards.report(
        "unreachable",
        person=person.name,
        about=str(first.payload.get("summary") or first.kind),
        contract=contract.name if contract else "",
        told=[someone.name for someone in told],
    )
    outbox = Outbox(session)
    for someone in told:
        await outbox.enqueue(
            key=f"report.unreachable:{person.id}:{since}:{someone.id}",
            kind="report.unreachable",
            recipient_id=someone.id,
            contract_id=contract.id if contract else None,
            payload=payload,
            now=now,
            not_before=not_before,
        )
