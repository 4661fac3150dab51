"""Telling every administrator about messages that died or may not have arrived: one report each, never of a report."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.cards import NotificationCards
from scheduler.unreachable import REPORT_PREFIX
from storage.models import Contract, Notification, Person
from storage.outbox import Outbox
from storage.people import PeopleRepository

log = logging.getLogger(__name__)


async def report_to_administrators(
    session: AsyncSession,
    cards: NotificationCards,
    kind: str,
    notifications: Sequence[Notification],
    *,
    now: datetime,
    not_before: datetime,
    error: str = "",
) -> None:
    """A `report.<kind>` ("dead", "uncertain") to each administrator for each of `notifications`."""
    if not notifications:
        return
    outbox = Outbox(session)
    admins = await PeopleRepository(session).administrators()
    for notification in notifications:
        if notification.kind.startswith(REPORT_PREFIX):
            log.error("delivery report %s was %s; not reporting a report", notification.key, kind)
            continue
        recipient = (
            await session.get(Person, notification.recipient_id) if notification.recipient_id else None
        )
        contract = await session.get(Contract, notification.contract_id) if notification.contract_id else None
        for admin in admins:
            await outbox.enqueue(
                key=f"report.{kind}:{notification.id}:{admin.id}",
                kind=f"report.{kind}",
                recipient_id=admin.id,
                payload=cards.report(
                    kind,
                    person=recipient.name if recipient else "nobody",
                    about=str(notification.payload.get("summary") or notification.kind),
                    contract=contract.name if contract else "",
                    error=error,
                    attempts=notification.attempts,
                ),
                now=now,
                not_before=not_before,
            )
