"""Repository for the notification outbox: idempotent enqueue, the delivery phases, cancelling and recovery.

A notification moves pending → claimed → sending → sent. `claimed` is taken in one transaction;
`sending` is written in another just before the HTTP call. After a crash a stale `claimed` was never
sent and goes back to pending; a stale `sending` may have reached Teams, so it becomes `uncertain` and
is reported, never resent. Other ends: dead (gave up), unreachable (the person removed the app),
cancelled (no longer due), no_conversation (waiting for the person to open a chat with Steward).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import upsert_insert
from storage.models import Notification

PENDING, CLAIMED, SENDING, SENT = "pending", "claimed", "sending", "sent"
DEAD, UNREACHABLE, UNCERTAIN, CANCELLED = "dead", "unreachable", "uncertain", "cancelled"
NO_CONVERSATION = "no_conversation"
# Kinds the working-hours gate holds back (unless urgent) and a summary card may gather.
GATED_PREFIXES = ("remind.", "report.")
REMINDER_PREFIX = "remind."
_CHUNK = 500


CHANNEL_PREFIX = "channel."


def is_channel_kind(kind: str) -> bool:
    """Notifications for a contract's team channel rather than a person's chat."""
    return kind.startswith(CHANNEL_PREFIX)


def is_gated(kind: str) -> bool:
    return kind.startswith(GATED_PREFIXES)


def _gated_kind() -> Any:
    return or_(*(Notification.kind.startswith(prefix) for prefix in GATED_PREFIXES))  # type: ignore[attr-defined]


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class Outbox:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        *,
        key: str,
        kind: str,
        recipient_id: int | None,
        payload: dict[str, Any],
        now: datetime,
        contract_id: int | None = None,
        not_before: datetime | None = None,
        urgent: bool = False,
    ) -> bool:
        """Add a notification unless one with the same idempotency key exists. True when added."""
        values = dict(
            key=key,
            kind=kind,
            recipient_id=recipient_id,
            contract_id=contract_id,
            payload=payload,
            status=PENDING,
            attempts=0,
            urgent=urgent,
            not_before=not_before or now,
            created_at=now,
            last_error="",
        )
        insert = upsert_insert(self.session)
        statement = insert(Notification).values(**values).on_conflict_do_nothing(index_elements=["key"])
        result = await self.session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- delivery phases -----------------------------------------------------------------------------------

    async def due(self, now: datetime, *, working_hours: bool = True, limit: int = 100) -> list[Notification]:
        """Pending notifications whose time has come; outside working hours only urgent or ungated ones."""
        query = select(Notification).where(Notification.status == PENDING, Notification.not_before <= now)
        if not working_hours:
            query = query.where(or_(Notification.urgent.is_(True), not_(_gated_kind())))  # type: ignore[attr-defined]
        query = query.order_by(
            Notification.urgent.desc(),  # type: ignore[attr-defined]
            Notification.not_before,
            Notification.id,
        ).limit(limit)
        return list((await self.session.execute(query)).scalars())

    async def claim(self, notification_id: int, now: datetime) -> Notification | None:
        """Atomically take a pending notification for sending; None when another dispatcher has it."""
        statement = (
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == PENDING)
            .values(status=CLAIMED, not_before=now, attempts=Notification.attempts + 1)
        )
        result = await self.session.execute(statement)
        if not result.rowcount:  # type: ignore[attr-defined]
            return None
        return await self.session.get(Notification, notification_id, populate_existing=True)

    async def start_sending(self, ids: Sequence[int], now: datetime) -> int:
        """Claimed → sending, committed just before the HTTP call: from here a crash means 'uncertain'."""
        result = await self.session.execute(
            update(Notification)
            .where(Notification.id.in_(list(ids)), Notification.status == CLAIMED)  # type: ignore[union-attr]
            .values(status=SENDING, not_before=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def recover(self, now: datetime, *, stale_after: timedelta) -> tuple[int, list[Notification]]:
        """After a crash: stale claims go back to pending; stale sends become uncertain (returned)."""
        cutoff = now - stale_after
        requeued = await self.session.execute(
            update(Notification)
            .where(Notification.status == CLAIMED, Notification.not_before <= cutoff)
            .values(status=PENDING, not_before=now, last_error="the dispatcher stopped before sending")
        )
        stale = list(
            (
                await self.session.execute(
                    select(Notification.id).where(
                        Notification.status == SENDING, Notification.not_before <= cutoff
                    )
                )
            ).scalars()
        )
        uncertain: list[Notification] = []
        for notification_id in stale:
            result = await self.session.execute(
                update(Notification)
                .where(Notification.id == notification_id, Notification.status == SENDING)
                .values(
                    status=UNCERTAIN,
                    last_error="the dispatcher stopped while sending: it may or may not have been delivered",
                )
            )
            if result.rowcount:  # type: ignore[attr-defined]
                found = await self.session.get(Notification, notification_id, populate_existing=True)
                if found is not None:
                    uncertain.append(found)
        return int(requeued.rowcount), uncertain  # type: ignore[attr-defined]

    async def by_key(self, key: str) -> Notification | None:
        query = select(Notification).where(Notification.key == key)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_keys(self, keys: Sequence[str]) -> list[Notification]:
        found: list[Notification] = []
        for chunk in _chunks(list(keys)):
            query = select(Notification).where(Notification.key.in_(chunk))  # type: ignore[attr-defined]
            found.extend((await self.session.execute(query)).scalars())
        return found

    async def statuses(self, keys: Sequence[str]) -> dict[str, str]:
        """Key → status for those of `keys` that exist."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(keys)):
            query = select(Notification.key, Notification.status).where(Notification.key.in_(chunk))  # type: ignore[attr-defined]
            found.update({key: status for key, status in (await self.session.execute(query)).all()})
        return found

    async def mark(
        self,
        notification_id: int,
        status: str,
        *,
        now: datetime,
        error: str = "",
        activity_id: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status, "last_error": error[:1000]}
        if status == SENT:
            values.update(sent_at=now, activity_id=activity_id)
        if retry_at is not None:
            values["not_before"] = retry_at
        await self.session.execute(
            update(Notification).where(Notification.id == notification_id).values(**values)
        )

    # -- what the sweep withdraws and brings back ----------------------------------------------------------

    async def waiting_reminders(self) -> list[tuple[int, str]]:
        """(id, key) of reminders not yet sent: pending, or waiting for the person to open a chat."""
        query = select(Notification.id, Notification.key).where(
            Notification.kind.startswith(REMINDER_PREFIX),  # type: ignore[attr-defined]
            Notification.status.in_([PENDING, NO_CONVERSATION]),  # type: ignore[attr-defined]
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]

    async def cancel(self, ids: Sequence[int], *, reason: str) -> int:
        """Withdraw reminders that no longer apply; one a dispatcher has already claimed goes ahead."""
        cancelled = 0
        for chunk in _chunks(list(ids)):
            result = await self.session.execute(
                update(Notification)
                .where(
                    Notification.id.in_(chunk),  # type: ignore[union-attr]
                    Notification.status.in_([PENDING, NO_CONVERSATION]),  # type: ignore[attr-defined]
                )
                .values(status=CANCELLED, last_error=reason[:1000])
            )
            cancelled += int(result.rowcount)  # type: ignore[attr-defined]
        return cancelled

    async def revive(self, key: str, *, not_before: datetime) -> bool:
        """A cancelled reminder that applies again (a date moved back): pending once more."""
        result = await self.session.execute(
            update(Notification)
            .where(and_(Notification.key == key, Notification.status == CANCELLED))
            .values(status=PENDING, not_before=not_before, last_error="")
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
