"""The delivery ledger: what happened to each notification, resending what failed, and read receipts.

A notification's ledger status comes from its row (queued, sent, read, waiting, unreachable,
uncertain, dead, cancelled; failed while a retry is due) and its history from `delivery_event`
(storage/outbox.py writes those as the dispatcher goes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botbuilder.schema.teams import ReadReceiptInfo
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.reminders.opened import Opened, subject_of
from storage.conversations import ConversationsRepository
from storage.engine import rowcount
from storage.models import Contract, ConversationRef, DeliveryEvent, Notification, Person
from storage.outbox import REMINDER_PREFIX, Outbox, is_channel_kind
from storage.statuses import DeliveryStatus, NotificationStatus

LIMIT = 500
_IN_FLIGHT = (NotificationStatus.PENDING, NotificationStatus.CLAIMED, NotificationStatus.SENDING)
# What an administrator may resend: it never reached Teams, and nothing will send it by itself.
RESENDABLE = (NotificationStatus.DEAD, NotificationStatus.UNREACHABLE)
# How far back a person's reminders are read for the words of the next one (the policy's longest chase).
OPENED_LOOKBACK_DAYS = 400


def ledger_status(notification: Notification) -> DeliveryStatus:
    """The ledger's word for where a notification stands."""
    status = notification.status
    if status == NotificationStatus.SENT:
        return DeliveryStatus.READ if notification.read_at is not None else DeliveryStatus.SENT
    if status in _IN_FLIGHT:
        return DeliveryStatus.FAILED if notification.last_error else DeliveryStatus.QUEUED
    if status == NotificationStatus.NO_CONVERSATION:
        return DeliveryStatus.WAITING
    return DeliveryStatus(status)  # unreachable, uncertain, dead, cancelled: the same words


def _status_condition(status: DeliveryStatus) -> Any:
    """The rows `ledger_status` gives `status` for, as a query condition."""
    row = col(Notification.status)
    if status == DeliveryStatus.READ:
        return and_(row == NotificationStatus.SENT, col(Notification.read_at).is_not(None))
    if status == DeliveryStatus.SENT:
        return and_(row == NotificationStatus.SENT, col(Notification.read_at).is_(None))
    if status == DeliveryStatus.QUEUED:
        return and_(row.in_(_IN_FLIGHT), col(Notification.last_error) == "")
    if status == DeliveryStatus.FAILED:
        return and_(row.in_(_IN_FLIGHT), col(Notification.last_error) != "")
    if status == DeliveryStatus.WAITING:
        return row == NotificationStatus.NO_CONVERSATION
    return row == status.value


LISTED = tuple(
    s
    for s in DeliveryStatus
    if s not in (DeliveryStatus.RETRIED, DeliveryStatus.REQUEUED, DeliveryStatus.RESENT)
)


@dataclass(frozen=True)
class Filters:
    """Which notifications: of one contract, in one ledger status, touched since a moment, or these ids."""

    contract_id: int | None = None
    status: DeliveryStatus | None = None
    since: datetime | None = None
    ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One notification in the ledger, with who it was for, its contract and its history."""

    notification: Notification
    status: DeliveryStatus
    person: str
    contract: str
    events: tuple[DeliveryEvent, ...]

    @property
    def problem(self) -> DeliveryEvent | None:
        """The latest event that says what went wrong (with its reason and HTTP status), if any."""
        bad = (
            DeliveryStatus.RETRIED,
            DeliveryStatus.FAILED,
            DeliveryStatus.UNREACHABLE,
            DeliveryStatus.UNCERTAIN,
            DeliveryStatus.DEAD,
            DeliveryStatus.WAITING,
        )
        found = [event for event in self.events if event.status in bad]
        return found[-1] if found else None


class DeliveriesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _query(self, filters: Filters) -> Any:
        query = select(Notification)
        if filters.contract_id is not None:
            query = query.where(col(Notification.contract_id) == filters.contract_id)
        if filters.status is not None:
            query = query.where(_status_condition(filters.status))
        if filters.ids:
            query = query.where(col(Notification.id).in_(list(filters.ids)))
        if filters.since is not None:
            since = filters.since
            touched = select(col(DeliveryEvent.notification_id)).where(col(DeliveryEvent.at) >= since)
            query = query.where(
                or_(
                    col(Notification.created_at) >= since,
                    col(Notification.sent_at) >= since,
                    col(Notification.read_at) >= since,
                    col(Notification.id).in_(touched),
                )
            )
        return query

    async def entries(self, filters: Filters, *, limit: int = LIMIT) -> tuple[list[Entry], bool]:
        """The ledger, oldest first; True when there were more than `limit` (the newest are kept)."""
        query = self._query(filters).order_by(col(Notification.id).desc()).limit(limit + 1)
        rows = list((await self.session.execute(query)).scalars())
        cut = len(rows) > limit
        rows = list(reversed(rows[:limit]))
        events: dict[int, list[DeliveryEvent]] = {n.id: [] for n in rows}
        if rows:
            found = await self.session.execute(
                select(DeliveryEvent)
                .where(col(DeliveryEvent.notification_id).in_(list(events)))
                .order_by(col(DeliveryEvent.at), col(DeliveryEvent.id))
            )
            for event in found.scalars():
                events[event.notification_id].append(event)
        people = await self._names(Person, {n.recipient_id for n in rows if n.recipient_id})
        contracts = await self._names(Contract, {n.contract_id for n in rows if n.contract_id}, key=True)
        entries = [
            Entry(
                notification=n,
                status=ledger_status(n),
                person=people.get(n.recipient_id or 0, "the contract's team channel"),
                contract=contracts.get(n.contract_id or 0, "-"),
                events=tuple(events[n.id]),
            )
            for n in rows
        ]
        return entries, cut

    async def _names(self, table: Any, ids: set[int], *, key: bool = False) -> dict[int, str]:
        if not ids:
            return {}
        rows = (await self.session.execute(select(table).where(col(table.id).in_(ids)))).scalars()
        return {row.id: (row.key if key else row.name) for row in rows}

    # -- resending -----------------------------------------------------------------------------------------

    async def resendable(self, filters: Filters) -> list[Notification]:
        """Dead-lettered or unreachable notifications whose person can be reached now.

        Reachable now: a 1:1 chat is known and they are not marked unreachable; and for one that met a
        403/404, that chat was stored (they added Steward again) after it did. Never a channel post, and
        never one that was sent, or may have been (uncertain).
        """
        query = self._query(filters).where(
            col(Notification.status).in_(RESENDABLE), col(Notification.recipient_id).is_not(None)
        )
        candidates = [n for n in (await self.session.execute(query)).scalars() if not is_channel_kind(n.kind)]
        chats = ConversationsRepository(self.session)
        chosen: list[Notification] = []
        for notification in candidates:
            person = await self.session.get(Person, notification.recipient_id)
            ref = await chats.personal(notification.recipient_id or 0)
            if person is None or ref is None or person.unreachable_since is not None:
                continue
            if notification.status == NotificationStatus.UNREACHABLE:
                failed_at = await self._failed_at(notification)
                if failed_at is not None and ref.updated_at <= failed_at:
                    continue
            chosen.append(notification)
        return chosen

    async def _failed_at(self, notification: Notification) -> datetime | None:
        query = select(col(DeliveryEvent.at)).where(
            col(DeliveryEvent.notification_id) == notification.id,
            col(DeliveryEvent.status) == DeliveryStatus.UNREACHABLE,
        )
        found = (await self.session.execute(query.order_by(col(DeliveryEvent.at).desc()))).first()
        return found[0] if found else notification.not_before

    async def resend(self, notifications: Sequence[Notification], *, now: datetime, by: str) -> int:
        """Queue them once more; one already moved on (resent, sent, cancelled) is left alone."""
        resent: list[int] = []
        for notification in notifications:
            result = await self.session.execute(
                update(Notification)
                .where(
                    col(Notification.id) == notification.id,
                    col(Notification.status) == notification.status,
                    col(Notification.status).in_(RESENDABLE),
                )
                .values(status=NotificationStatus.PENDING, attempts=0, not_before=now, last_error="")
            )
            if rowcount(result):
                resent.append(notification.id)
        await Outbox(self.session).record(resent, DeliveryStatus.RESENT, now=now, reason=f"resent by {by}")
        return len(resent)

    # -- read receipts -------------------------------------------------------------------------------------

    async def record_read(self, conversation_id: str, user_id: str, last_read: str, now: datetime) -> int:
        """A read receipt: what was delivered to that chat up to `last_read` was read now. How many."""
        ref = (
            await self.session.execute(
                select(ConversationRef).where(
                    col(ConversationRef.conversation_id) == conversation_id,
                    col(ConversationRef.scope) == "personal",
                )
            )
        ).scalar_one_or_none()
        if ref is None or ref.person_id is None or (ref.user_id and ref.user_id != user_id):
            return 0  # a chat Steward does not know, or someone else's: nothing to record
        unread = list(
            (
                await self.session.execute(
                    select(Notification).where(
                        col(Notification.conversation_id) == conversation_id,
                        col(Notification.status) == NotificationStatus.SENT,
                        col(Notification.read_at).is_(None),
                    )
                )
            ).scalars()
        )
        ids = [n.id for n in read_by(unread, last_read)]
        if ids:
            await self.session.execute(
                update(Notification).where(col(Notification.id).in_(ids)).values(read_at=now)
            )
        return len(ids)

    async def opened(self, now: datetime) -> list[tuple[int, str, datetime, datetime | None]]:
        """(person, reminder key, sent at, read at) of the reminders sent to people, oldest first."""
        since = now - timedelta(days=OPENED_LOOKBACK_DAYS)
        query = (
            select(
                col(Notification.recipient_id),
                col(Notification.key),
                col(Notification.sent_at),
                col(Notification.read_at),
            )
            .where(
                col(Notification.kind).startswith(REMINDER_PREFIX),
                col(Notification.status) == NotificationStatus.SENT,
                col(Notification.recipient_id).is_not(None),
                col(Notification.sent_at) >= since,
            )
            .order_by(col(Notification.sent_at))
        )
        rows = (await self.session.execute(query)).all()
        return [(row[0], row[1], row[2], row[3]) for row in rows if row[0] is not None and row[2] is not None]

    async def receipts_seen(self) -> frozenset[int]:
        """People Teams has sent a read receipt for at least once (so it does for them)."""
        query = select(col(Notification.recipient_id)).where(
            col(Notification.read_at).is_not(None), col(Notification.recipient_id).is_not(None)
        )
        found = (await self.session.execute(query.distinct())).scalars()
        return frozenset(person for person in found if person is not None)


async def opened_facts(session: AsyncSession, now: datetime) -> dict[tuple[int, str], Opened]:
    """(person, subject) → their latest sent reminder about it and what Teams said of it, for the sweep."""
    repo = DeliveriesRepository(session)
    receipts = await repo.receipts_seen()
    found: dict[tuple[int, str], Opened] = {}
    for person, key, sent_at, read_at in await repo.opened(now):  # oldest first: the latest wins
        subject = subject_of(key)
        if subject is not None:
            found[(person, subject)] = Opened(sent_at, read_at, receipts=person in receipts)
    return found


def read_by(delivered: Sequence[Notification], last_read: str) -> list[Notification]:
    """Those of `delivered` a receipt for `last_read` covers: Teams ids are ordered numbers, so every
    one up to it (botbuilder's ReadReceiptInfo rule); where ids are not numbers, that message itself and
    every one sent before it."""
    cutoff = next((n.sent_at for n in delivered if n.activity_id == last_read), None)
    return [
        n
        for n in delivered
        if n.activity_id
        and (
            ReadReceiptInfo.is_message_read(n.activity_id, last_read)
            or (cutoff is not None and n.sent_at is not None and n.sent_at <= cutoff)
        )
    ]
