"""The outbox dispatcher: delivers due notifications through the outbound sender, effectively once.

Delivery is at least once, and the idempotency key plus these phases make it effectively once:

1. claim: pending → claimed, in its own transaction;
2. sending: claimed → sending, in a transaction committed immediately before the HTTP call;
3. send, then sent (with the Bot Connector's activity id) in a third transaction.

After a crash, a `claimed` left older than `stale_after` was never sent, so it goes back to pending and
is sent. A `sending` left that old may have reached Teams (the connector may have answered just
before the crash), so it is marked `uncertain`, not sent again, and the administrators are told.
The window this leaves is small and honest: a crash after step 2 commits but before the request
leaves the machine loses that one message; it is reported as uncertain rather than risking a
duplicate. A POST that times out (no answer) is treated the same way.

Non-urgent reminders and reports wait for working hours. Where one person has several of them due at
once (after downtime, say), they get one summary card and all are marked sent with its activity id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from commissioning.clock import Clock
from commissioning.reminders import WorkingHours
from connector.client import (
    CARD_CONTENT_TYPE,
    BotConnector,
    DeliveryFailed,
    DeliveryUncertain,
    RecipientUnreachable,
    Retry,
)
from scheduler.cards import NotificationCards
from scheduler.unreachable import REPORT_PREFIX, tell_unreachable
from storage.conversations import ConversationsRepository
from storage.engine import Database
from storage.models import Contract, ConversationRef, Notification, Person
from storage.outbox import Outbox, is_channel_kind, is_gated
from storage.people import PeopleRepository
from storage.statuses import DeliveryStatus, NotificationStatus

log = logging.getLogger(__name__)
# Recipients served at once in a round: a send waits mostly on Teams, so one at a time left the tenant's
# limit unused (fan-out of 1,000 reminders: 1.5x the time the limits allow).
PARALLEL_SENDS = 8

__all__ = ["MAX_ATTEMPTS", "Dispatcher", "proactive_activity"]

MAX_ATTEMPTS = 5


def proactive_activity(payload: dict[str, Any], *, conversation_id: str, bot_id: str) -> dict[str, Any]:
    activity: dict[str, Any] = {
        "type": "message",
        "from": {"id": bot_id},
        "conversation": {"id": conversation_id},
        "summary": payload.get("summary", ""),
    }
    if payload.get("card"):
        activity["attachments"] = [{"contentType": CARD_CONTENT_TYPE, "content": payload["card"]}]
    if payload.get("text"):
        activity["text"] = payload["text"]
    return activity


async def _mark_each(
    outbox: Outbox,
    claimed: Sequence[Notification],
    status: NotificationStatus,
    *,
    now: datetime,
    error: str,
    http_status: int | None = None,
) -> None:
    for notification in claimed:
        await outbox.mark(notification.id, status, now=now, error=error, http_status=http_status)


class Dispatcher:
    def __init__(
        self,
        database: Database,
        connector: BotConnector,
        clock: Clock,
        *,
        cards: NotificationCards,
        stale_after: timedelta = timedelta(minutes=10),
        hours: WorkingHours | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._db = database
        self._connector = connector
        self._clock = clock
        self._cards = cards
        # Longer than the sender can take over one message (4 tries, Retry-After up to 60 s each).
        self._stale_after = stale_after
        self._hours = hours
        self._max_attempts = max_attempts
        self._task: asyncio.Task[None] | None = None
        self._again = False

    def kick(self) -> None:
        """Deliver what is due soon, without holding up the turn that asked."""
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.create_task(self._drain(), name="outbox-dispatch")

    async def idle(self) -> None:
        """Wait until a kicked delivery round has finished (tests and shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _drain(self) -> None:
        while True:
            self._again = False
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox delivery round failed")
            if not self._again:
                return

    # -- one round -----------------------------------------------------------------------------------------

    async def run_once(self, limit: int = 100) -> int:
        """Recover after a crash, then deliver every due notification once; returns how many were sent."""
        await self.recover()
        now = self._clock.now()
        open_now = self._hours is None or self._hours.is_open(now)
        async with self._db.session() as session:
            due = await Outbox(session).due(now, working_hours=open_now, limit=limit)
        lanes: dict[tuple[str, int | None], list[list[int]]] = {}
        by_id = {notification.id: notification for notification in due}
        for batch in self._batches(due):
            first = by_id[batch[0]]
            lane = ("person", first.recipient_id) if first.recipient_id else ("contract", first.contract_id)
            lanes.setdefault(lane, []).append(batch)
        sends = asyncio.Semaphore(PARALLEL_SENDS)

        async def in_order(batches: list[list[int]]) -> int:
            """One recipient's batches one after another, so what they receive keeps its order."""
            delivered = 0
            for batch in batches:
                async with sends:
                    delivered += await self.deliver(batch)
            return delivered

        return sum(await asyncio.gather(*(in_order(batches) for batches in lanes.values())))

    def _batches(self, due: Sequence[Notification]) -> list[list[int]]:
        """One batch per notification, except that a person's non-urgent reminders go together."""
        batches: list[list[int]] = []
        gathered: dict[int, list[int]] = {}
        for notification in due:
            if not notification.urgent and is_gated(notification.kind) and notification.recipient_id:
                ids = gathered.setdefault(notification.recipient_id, [])
                if not ids:
                    batches.append(ids)  # keeps the person's place in the due order
                ids.append(notification.id)
            else:
                batches.append([notification.id])
        split: list[list[int]] = []
        for batch in batches:
            split.extend(
                batch[i : i + self._cards.max_summary] for i in range(0, len(batch), self._cards.max_summary)
            )
        return split

    async def recover(self) -> None:
        """Stale claims go back to pending; stale sends become uncertain and the administrators are told."""
        now = self._clock.now()
        async with self._db.session() as session:
            requeued, uncertain = await Outbox(session).recover(now, stale_after=self._stale_after)
            await self._report(session, "uncertain", uncertain, now)
        if requeued or uncertain:
            log.warning(
                "outbox recovery: %d claim(s) requeued, %d send(s) marked uncertain", requeued, len(uncertain)
            )

    async def deliver(self, ids: int | Sequence[int]) -> int:
        """Claim, mark sending, send, mark sent. Returns how many notifications were delivered."""
        wanted = [ids] if isinstance(ids, int) else list(ids)
        now = self._clock.now()
        async with self._db.session() as session:
            outbox = Outbox(session)
            claimed = [n for i in wanted if (n := await outbox.claim(i, now)) is not None]
            if not claimed:
                return 0
            ref, recipient = await self._target(session, claimed[0])
            if ref is None:
                if is_channel_kind(claimed[0].kind):
                    status, error = (
                        NotificationStatus.CANCELLED,
                        "no team channel is linked to the contract any more",
                    )
                else:
                    status, error = (
                        NotificationStatus.NO_CONVERSATION,
                        "the recipient has not opened a chat with Steward yet",
                    )
                await _mark_each(outbox, claimed, status, now=now, error=error)
                return 0
            if recipient is not None and recipient.unreachable_since is not None:
                # Known to have removed the app: wait for them to come back (the handler requeues these).
                error = f"{recipient.name} removed Steward; waiting until they add it again"
                await _mark_each(outbox, claimed, NotificationStatus.UNREACHABLE, now=now, error=error)
                await self._tell_unreachable(session, recipient, claimed, now)
                return 0
            await outbox.aim([n.id for n in claimed], ref.conversation_id)
        return await self._send(claimed, ref, recipient)

    async def _target(
        self, session: AsyncSession, first: Notification
    ) -> tuple[ConversationRef | None, Person | None]:
        """Where a batch goes: its contract's team channel (no recipient), or the recipient's personal chat."""
        if is_channel_kind(first.kind):
            if (
                first.contract_id is None
            ):  # a channel notice names its contract; without one it has no channel
                return None, None
            return await ConversationsRepository(session).channel(first.contract_id), None
        recipient = await session.get(Person, first.recipient_id) if first.recipient_id else None
        if recipient is None:
            return None, None
        return await ConversationsRepository(session).personal(recipient.id), recipient

    async def _send(
        self, claimed: Sequence[Notification], ref: ConversationRef, recipient: Person | None
    ) -> int:
        """Send one notification (or a person's summary) to a chat or a team channel, then mark it."""
        payload = (
            claimed[0].payload
            if len(claimed) == 1
            else self._cards.summary([(n.key, n.payload) for n in claimed])
        )
        activity = proactive_activity(payload, conversation_id=ref.conversation_id, bot_id=ref.bot_id)
        await self._start_sending(claimed)
        retried: list[Retry] = []
        try:
            activity_id = await self._connector.send(
                ref.service_url, ref.conversation_id, activity, tenant_id=ref.tenant_id, retried=retried
            )
        except DeliveryUncertain as error:
            await self._record_retries(claimed, retried)
            await self._uncertain(claimed, str(error))
            return 0
        except RecipientUnreachable as error:
            await self._record_retries(claimed, retried)
            if recipient is None:  # the bot was taken out of the team; the handler forgets the channel
                await self._failed(claimed, str(error), error.status)
                return 0
            await self._unreachable(claimed, recipient, str(error), error.status)
            return 0
        except DeliveryFailed as error:
            await self._record_retries(claimed, retried)
            await self._failed(claimed, str(error), error.status)
            return 0
        await self._record_retries(claimed, retried)
        await self._mark_sent(claimed, activity_id)
        return len(claimed)

    async def _record_retries(self, claimed: Sequence[Notification], retried: Sequence[Retry]) -> None:
        """The ledger's account of each try Teams turned away (429, 5xx) before the send's outcome."""
        if not retried:
            return
        async with self._db.session() as session:
            outbox = Outbox(session)
            for retry in retried:
                reason = f"{retry.reason}; tried again after {retry.waited:g}s"
                await outbox.record(
                    [n.id for n in claimed],
                    DeliveryStatus.RETRIED,
                    now=self._clock.now(),
                    reason=reason,
                    http_status=retry.status,
                )

    # -- phases (methods, so a test can stop the dispatcher between them) ----------------------------------

    async def _start_sending(self, claimed: Sequence[Notification]) -> None:
        async with self._db.session() as session:
            await Outbox(session).start_sending([n.id for n in claimed], self._clock.now())

    async def _mark_sent(self, claimed: Sequence[Notification], activity_id: str | None) -> None:
        async with self._db.session() as session:
            outbox = Outbox(session)
            for notification in claimed:
                await outbox.mark(
                    notification.id, NotificationStatus.SENT, now=self._clock.now(), activity_id=activity_id
                )

    # -- failures ------------------------------------------------------------------------------------------

    async def _uncertain(self, claimed: Sequence[Notification], error: str) -> None:
        now = self._clock.now()
        async with self._db.session() as session:
            await _mark_each(Outbox(session), claimed, NotificationStatus.UNCERTAIN, now=now, error=error)
            await self._report(session, "uncertain", claimed, now)
        log.warning("%d notification(s) may not have been delivered: %s", len(claimed), error)

    async def _failed(
        self, claimed: Sequence[Notification], error: str, http_status: int | None = None
    ) -> None:
        now = self._clock.now()
        async with self._db.session() as session:
            outbox = Outbox(session)
            dead: list[Notification] = []
            for notification in claimed:
                if notification.attempts >= self._max_attempts:
                    dead.append(notification)
                    await outbox.mark(
                        notification.id,
                        NotificationStatus.DEAD,
                        now=now,
                        error=error,
                        http_status=http_status,
                    )
                    log.error("notification %s dead-lettered: %s", notification.key, error)
                else:
                    retry_at = now + timedelta(minutes=2**notification.attempts)
                    await outbox.mark(
                        notification.id,
                        NotificationStatus.PENDING,
                        now=now,
                        error=error,
                        retry_at=retry_at,
                        http_status=http_status,
                    )
                    log.warning("notification %s failed, retry at %s: %s", notification.key, retry_at, error)
            await self._report(session, "dead", dead, now, error=error)

    async def _unreachable(
        self, claimed: Sequence[Notification], recipient: Person, error: str, http_status: int | None
    ) -> None:
        """Marked unreachable; what met the 403/404 waits with their later messages until they add Steward."""
        now = self._clock.now()
        async with self._db.session() as session:
            waiting = f"{error}: waiting until {recipient.name} adds Steward again"
            await _mark_each(
                Outbox(session),
                claimed,
                NotificationStatus.UNREACHABLE,
                now=now,
                error=waiting,
                http_status=http_status,
            )
            person = await session.get(Person, recipient.id, populate_existing=True)
            if person is not None:
                if person.unreachable_since is None:
                    person.unreachable_since = now
                    session.add(person)
                await self._tell_unreachable(session, person, claimed, now)
        log.warning("%s is unreachable (%s)", recipient.name, error)

    async def _tell_unreachable(
        self, session: AsyncSession, person: Person, claimed: Sequence[Notification], now: datetime
    ) -> None:
        await tell_unreachable(
            session, self._cards, person, claimed, now=now, not_before=self._open_from(now)
        )

    async def _report(
        self,
        session: AsyncSession,
        kind: str,
        notifications: Sequence[Notification],
        now: datetime,
        *,
        error: str = "",
    ) -> None:
        """Tell every administrator about dead or uncertain messages (never about a report itself)."""
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
            contract = (
                await session.get(Contract, notification.contract_id) if notification.contract_id else None
            )
            for admin in admins:
                await outbox.enqueue(
                    key=f"report.{kind}:{notification.id}:{admin.id}",
                    kind=f"report.{kind}",
                    recipient_id=admin.id,
                    payload=self._cards.report(
                        kind,
                        person=recipient.name if recipient else "nobody",
                        about=str(notification.payload.get("summary") or notification.kind),
                        contract=contract.name if contract else "",
                        error=error,
                        attempts=notification.attempts,
                    ),
                    now=now,
                    not_before=self._open_from(now),
                )

    def _open_from(self, now: datetime) -> datetime:
        return self._hours.next_open(now) if self._hours is not None else now
