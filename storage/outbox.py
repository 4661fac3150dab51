"""Repository for the notification outbox: idempotent enqueue, the delivery phases, cancelling and recovery.

A notification moves pending → claimed → sending → sent. `claimed` is taken in one transaction (a page
at a time, `claim_many`); `sending` is written in another just before the HTTP call. After a crash a stale `claimed` was never
sent and goes back to pending; a stale `sending` may have reached Teams, so it becomes `uncertain` and
is reported, never resent. Other ends: dead (gave up), unreachable (the person removed the app; it
waits until they add Steward again), cancelled (no longer due), no_conversation (waiting for the person
to open a chat with Steward). Every change of delivery after the queueing is also written to the
delivery ledger (`delivery_event`, see storage/deliveries.py) with its reason and HTTP status.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, insert, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.engine import rowcount, upsert_insert
from storage.models import DeliveryEvent, Notification
from storage.statuses import DeliveryStatus, NotificationStatus

# Kinds the working-hours gate holds back (unless urgent) and a summary card may gather.
GATED_PREFIXES = ("remind.", "report.")
REMINDER_PREFIX = "remind."
_CHUNK = 500
# Keys looked up at once: well inside SQLite's 32,766 and asyncpg's 32,767 bound parameters.
_LOOKUP_CHUNK = 5000
# Not sent yet and waiting for something other than the clock: the person to open, or re-add, the chat.
HELD = (NotificationStatus.NO_CONVERSATION, NotificationStatus.UNREACHABLE)
# The ledger event a change of status writes when the caller names none.
_EVENTS = {
    NotificationStatus.SENT: DeliveryStatus.SENT,
    NotificationStatus.DEAD: DeliveryStatus.DEAD,
    NotificationStatus.UNCERTAIN: DeliveryStatus.UNCERTAIN,
    NotificationStatus.PENDING: DeliveryStatus.FAILED,
    NotificationStatus.NO_CONVERSATION: DeliveryStatus.WAITING,
    NotificationStatus.UNREACHABLE: DeliveryStatus.UNREACHABLE,
    NotificationStatus.CANCELLED: DeliveryStatus.CANCELLED,
}


CHANNEL_PREFIX = "channel."


def is_channel_kind(kind: str) -> bool:
    """Notifications for a contract's team channel rather than a person's chat."""
    return kind.startswith(CHANNEL_PREFIX)


def is_gated(kind: str) -> bool:
    return kind.startswith(GATED_PREFIXES)


def _gated_kind() -> Any:
    return or_(*(col(Notification.kind).startswith(prefix) for prefix in GATED_PREFIXES))


_STATUSES = select(col(Notification.key), col(Notification.status)).where(
    col(Notification.key).in_(bindparam("keys", expanding=True))
)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class Queued:
    """One notification to add, as `Outbox.enqueue` takes it (`enqueue_many` adds many in one statement)."""

    key: str
    kind: str
    recipient_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)
    contract_id: int | None = None
    not_before: datetime | None = None
    urgent: bool = False

    def row(self, now: datetime) -> dict[str, Any]:
        return dict(
            key=self.key,
            kind=self.kind,
            recipient_id=self.recipient_id,
            contract_id=self.contract_id,
            payload=self.payload,
            status=NotificationStatus.PENDING,
            attempts=0,
            urgent=self.urgent,
            not_before=self.not_before or now,
            created_at=now,
            last_error="",
        )


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
        queued = Queued(key, kind, recipient_id, payload, contract_id, not_before, urgent)
        insert = upsert_insert(self.session)
        statement = (
            insert(Notification).values(**queued.row(now)).on_conflict_do_nothing(index_elements=["key"])
        )
        result = await self.session.execute(statement)
        return bool(rowcount(result))

    async def enqueue_many(self, queued: Sequence[Queued], *, now: datetime) -> int:
        """Add each notification unless its key exists; how many were added.

        One statement compiled once and given the rows as parameters: the driver layer sends them a page
        at a time (SQLAlchemy's "insertmanyvalues"), where a VALUES list built per call compiled a bound
        parameter per column of every row.
        """
        if not queued:
            return 0
        insert = upsert_insert(self.session)
        statement = (
            insert(Notification)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(col(Notification.id))
        )
        connection = await self.session.connection()
        added = 0
        for chunk in _chunks(list(queued)):
            result = await connection.execute(statement, [item.row(now) for item in chunk])
            added += len(result.all())
        return added

    # -- delivery phases -----------------------------------------------------------------------------------

    async def due(self, now: datetime, *, working_hours: bool = True, limit: int = 100) -> list[Notification]:
        """Pending notifications whose time has come; outside working hours only urgent or ungated ones."""
        query = select(Notification).where(
            col(Notification.status) == NotificationStatus.PENDING, col(Notification.not_before) <= now
        )
        if not working_hours:
            query = query.where(or_(col(Notification.urgent).is_(True), not_(_gated_kind())))
        query = query.order_by(
            col(Notification.urgent).desc(),
            col(Notification.not_before),
            col(Notification.id),
        ).limit(limit)
        return list((await self.session.execute(query)).scalars())

    async def claim(self, notification_id: int, now: datetime) -> Notification | None:
        """Atomically take a pending notification for sending; None when another dispatcher has it."""
        statement = (
            update(Notification)
            .where(
                col(Notification.id) == notification_id,
                col(Notification.status) == NotificationStatus.PENDING,
            )
            .values(
                status=NotificationStatus.CLAIMED, not_before=now, attempts=col(Notification.attempts) + 1
            )
        )
        result = await self.session.execute(statement)
        if not rowcount(result):
            return None
        return await self.session.get(Notification, notification_id, populate_existing=True)

    async def claim_many(self, ids: Sequence[int], now: datetime) -> list[Notification]:
        """Atomically take those of `ids` still pending; the ones taken, in the order of `ids`.

        One statement for the lot (a few hundred at a time), so a dispatcher takes its page in one
        transaction, not one each; one that another dispatcher has is left out.
        """
        taken: set[int] = set()
        for chunk in _chunks(list(ids)):
            result = await self.session.execute(
                update(Notification)
                .where(
                    col(Notification.id).in_(chunk), col(Notification.status) == NotificationStatus.PENDING
                )
                .values(
                    status=NotificationStatus.CLAIMED,
                    not_before=now,
                    attempts=col(Notification.attempts) + 1,
                )
                .returning(col(Notification.id))
                .execution_options(synchronize_session=False)
            )
            taken.update(result.scalars())
        found: dict[int, Notification] = {}
        for chunk in _chunks(sorted(taken)):
            query = (
                select(Notification)
                .where(col(Notification.id).in_(chunk))
                .execution_options(populate_existing=True)
            )
            found.update((n.id, n) for n in (await self.session.execute(query)).scalars())
        return [found[i] for i in ids if i in found]

    async def start_sending(self, ids: Sequence[int], now: datetime) -> int:
        """Claimed → sending, committed just before the HTTP call: from here a crash means 'uncertain'."""
        started = 0
        for chunk in _chunks(list(ids)):
            result = await self.session.execute(
                update(Notification)
                .where(
                    col(Notification.id).in_(chunk), col(Notification.status) == NotificationStatus.CLAIMED
                )
                .values(status=NotificationStatus.SENDING, not_before=now)
            )
            started += rowcount(result)
        return started

    async def aim(self, ids: Sequence[int], conversation_id: str) -> None:
        """The chat these claimed notifications are about to be sent to (read receipts find them by it)."""
        await self.session.execute(
            update(Notification)
            .where(col(Notification.id).in_(list(ids)))
            .values(conversation_id=conversation_id)
        )

    async def aim_many(self, aims: Sequence[tuple[Sequence[int], str]]) -> None:
        """`aim` for several batches at once: (ids, chat) pairs, one statement for them all."""
        rows = [{"id": i, "conversation_id": chat} for ids, chat in aims for i in ids]
        if rows:
            await self.session.execute(update(Notification), rows)

    async def recover(self, now: datetime, *, stale_after: timedelta) -> tuple[int, list[Notification]]:
        """After a crash: stale claims go back to pending; stale sends become uncertain (returned)."""
        cutoff = now - stale_after
        requeued = await self.session.execute(
            update(Notification)
            .where(
                col(Notification.status) == NotificationStatus.CLAIMED, col(Notification.not_before) <= cutoff
            )
            .values(
                status=NotificationStatus.PENDING,
                not_before=now,
                last_error="the dispatcher stopped before sending",
            )
        )
        stale = list(
            (
                await self.session.execute(
                    select(col(Notification.id)).where(
                        col(Notification.status) == NotificationStatus.SENDING,
                        col(Notification.not_before) <= cutoff,
                    )
                )
            ).scalars()
        )
        uncertain: list[Notification] = []
        for notification_id in stale:
            result = await self.session.execute(
                update(Notification)
                .where(
                    col(Notification.id) == notification_id,
                    col(Notification.status) == NotificationStatus.SENDING,
                )
                .values(
                    status=NotificationStatus.UNCERTAIN,
                    last_error="the dispatcher stopped while sending: it may or may not have been delivered",
                )
            )
            if rowcount(result):
                found = await self.session.get(Notification, notification_id, populate_existing=True)
                if found is not None:
                    uncertain.append(found)
        if uncertain:
            await self.record(
                [n.id for n in uncertain],
                DeliveryStatus.UNCERTAIN,
                now=now,
                reason="the dispatcher stopped while sending: it may or may not have been delivered",
            )
        return rowcount(requeued), uncertain

    async def by_key(self, key: str) -> Notification | None:
        query = select(Notification).where(col(Notification.key) == key)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_keys(self, keys: Sequence[str]) -> list[Notification]:
        found: list[Notification] = []
        for chunk in _chunks(list(keys)):
            query = select(Notification).where(col(Notification.key).in_(chunk))
            found.extend((await self.session.execute(query)).scalars())
        return found

    async def statuses(self, keys: Sequence[str]) -> dict[str, str]:
        """Key → status for those of `keys` that exist (the sweep asks for every notice due: thousands)."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(keys), _LOOKUP_CHUNK):
            found.update(dict((await self.session.execute(_STATUSES, {"keys": chunk})).tuples().all()))
        return found

    async def mark(
        self,
        notification_id: int,
        status: NotificationStatus,
        *,
        now: datetime,
        error: str = "",
        activity_id: str | None = None,
        retry_at: datetime | None = None,
        http_status: int | None = None,
        conversation_id: str | None = None,
    ) -> None:
        """Set a notification's status and write what happened to the delivery ledger."""
        values: dict[str, Any] = {"status": status, "last_error": error[:1000]}
        if status == NotificationStatus.SENT:
            values.update(sent_at=now, activity_id=activity_id)
        if conversation_id is not None:
            values["conversation_id"] = conversation_id
        if retry_at is not None:
            values["not_before"] = retry_at
        await self.session.execute(
            update(Notification).where(col(Notification.id) == notification_id).values(**values)
        )
        event = _EVENTS.get(status)
        if event is not None:
            await self.record([notification_id], event, now=now, reason=error, http_status=http_status)

    async def mark_sent(self, sent: Sequence[tuple[int, str | None]], *, now: datetime) -> None:
        """Many notifications sent, each with the activity id Teams gave it, and their ledger events."""
        rows = [
            {
                "id": notification_id,
                "status": NotificationStatus.SENT,
                "last_error": "",
                "sent_at": now,
                "activity_id": activity_id,
            }
            for notification_id, activity_id in sent
        ]
        if rows:
            await self.session.execute(update(Notification), rows)
            await self.record([notification_id for notification_id, _ in sent], DeliveryStatus.SENT, now=now)

    async def record(
        self,
        ids: Sequence[int],
        status: DeliveryStatus,
        *,
        now: datetime,
        reason: str = "",
        http_status: int | None = None,
    ) -> None:
        """Write one ledger event for each of `ids`."""
        rows = [
            {
                "notification_id": notification_id,
                "at": now,
                "status": status.value,
                "http_status": http_status,
                "reason": reason[:1000],
            }
            for notification_id in ids
        ]
        if rows:
            await self.session.execute(insert(DeliveryEvent), rows)

    # -- what the sweep withdraws and brings back ----------------------------------------------------------

    async def waiting_reminders(self) -> list[tuple[int, str]]:
        """(id, key) of reminders not yet sent: pending, or waiting for the person to open or re-add the chat."""
        query = select(col(Notification.id), col(Notification.key)).where(
            col(Notification.kind).startswith(REMINDER_PREFIX),
            col(Notification.status).in_([NotificationStatus.PENDING, *HELD]),
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]

    async def cancel(self, ids: Sequence[int], *, reason: str) -> int:
        """Withdraw reminders that no longer apply; one a dispatcher has already claimed goes ahead."""
        cancelled = 0
        for chunk in _chunks(list(ids)):
            result = await self.session.execute(
                update(Notification)
                .where(
                    col(Notification.id).in_(chunk),
                    col(Notification.status).in_([NotificationStatus.PENDING, *HELD]),
                )
                .values(status=NotificationStatus.CANCELLED, last_error=reason[:1000])
            )
            cancelled += rowcount(result)
        return cancelled

    async def revive(self, key: str, *, not_before: datetime) -> bool:
        """A cancelled reminder that applies again (a date moved back): pending once more."""
        result = await self.session.execute(
            update(Notification)
            .where(
                and_(col(Notification.key) == key, col(Notification.status) == NotificationStatus.CANCELLED)
            )
            .values(status=NotificationStatus.PENDING, not_before=not_before, last_error="")
        )
        return bool(rowcount(result))

    async def for_contract(self, contract_id: int, *, prefix: str = REMINDER_PREFIX) -> list[Notification]:
        """The contract's notifications of one family (reminders and escalations by default), newest first."""
        query = (
            select(Notification)
            .where(col(Notification.contract_id) == contract_id, col(Notification.kind).startswith(prefix))
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        )
        return list((await self.session.execute(query)).scalars())
