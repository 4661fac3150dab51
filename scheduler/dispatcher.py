"""The outbox dispatcher: delivers due notifications through the outbound sender, effectively once.

Delivery is at least once, and the idempotency key plus these phases make it effectively once:

1. claim: pending → claimed, in its own transaction (a page of due notifications together);
2. sending: claimed → sending, in a transaction committed before the HTTP call;
3. send, then sent (with the Bot Connector's activity id) in a third transaction.

Up to PARALLEL_SENDS sends are under way at once, each waiting for its place in Teams' limits. Sends that
reach step 2 (or step 3) at about the same time share its transaction (scheduler/together.py): one commit
for many, each send still waiting for the commit that carries its own row before it goes on.

After a crash (a round looks at most once a minute), a `claimed` left older than `stale_after` was never
sent, so it goes back to pending and is sent. A `sending` left that old may have reached Teams (the
connector may have answered just before the crash), so it is marked `uncertain`, not sent again, and the
administrators are told.
The window this leaves is small and honest: a crash after step 2 commits but before the request
leaves the machine loses the messages then in flight; they are reported as uncertain rather than risking a
duplicate. A POST that times out (no answer) is treated the same way.

Non-urgent reminders and reports wait for working hours. Where one person has several of them due at
once (after downtime, say), they get one summary card and all are marked sent with its activity id.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
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
from scheduler.lanes import Lanes
from scheduler.reports import report_to_administrators
from scheduler.together import Together
from scheduler.unreachable import tell_unreachable
from storage.conversations import ConversationsRepository
from storage.engine import Database
from storage.models import ConversationRef, Notification, Person
from storage.outbox import Outbox, is_channel_kind, is_gated
from storage.people import PeopleRepository
from storage.statuses import DeliveryStatus, NotificationStatus

log = logging.getLogger(__name__)
# Sends under way at once in a round. A send waits mostly on Teams, and the sender's limiter holds each
# call's place until its answer and a second after, so about a tenant's 50 in flight keep its limit in use
# (one at a time: fan-out of 1,000 reminders took 1.5x the time the limits allow; eight: 1.4x).
PARALLEL_SENDS = 50

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


@dataclass(frozen=True, slots=True)
class _Batch:
    """Claimed notifications that go as one message, where they go, and to whom (None: a team channel)."""

    claimed: list[Notification]
    ref: ConversationRef
    recipient: Person | None

    @property
    def lane(self) -> tuple[str, int | None]:
        """A recipient's (or a channel's) messages go one after another, in order."""
        first = self.claimed[0]
        return ("person", first.recipient_id) if first.recipient_id else ("contract", first.contract_id)


# A round looks for what a crash left behind at most this often: claims are stale only after `stale_after`
# (ten minutes), so a look on every round (each reply to a submitted return kicks one) found nothing.
RECOVER_EVERY = timedelta(minutes=1)


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
        self._recovered_at: datetime | None = None
        self._sending: Together[list[int]] = Together(self._write_sending)
        self._sent: Together[list[tuple[int, str | None]]] = Together(self._write_sent)

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
        """Recover after a crash (at most once a minute), then deliver what is due, a page at a time; returns
        how many were sent.

        Each page of `limit` is claimed in one transaction, and the next is claimed while the sends of the
        last are still going, so Teams' limits, not the database, set the pace. A page shorter than `limit`
        is the round's last: what becomes due meanwhile (a report of this round, say) waits for the next.
        """
        now = self._clock.now()
        if self._recovered_at is None or now - self._recovered_at >= RECOVER_EVERY:
            await self.recover()
            self._recovered_at = now
        lanes = Lanes(PARALLEL_SENDS)
        unreachable: set[int] = set()  # people a send of this round found gone (403/404)
        try:
            while not lanes.failed:
                found, batches = await self._claim_page(limit)
                for batch in batches:
                    lanes.add(batch.lane, functools.partial(self._send, batch, unreachable))
                if found < limit:
                    break
                await lanes.until_queued_at_most(PARALLEL_SENDS)
        except asyncio.CancelledError:
            lanes.cancel()
            raise
        except Exception:
            await lanes.settle()  # the sends already under way finish and are marked
            raise
        return await lanes.finished()

    async def _claim_page(self, limit: int) -> tuple[int, list[_Batch]]:
        """In one transaction: a page of what is due claimed, each message aimed, what cannot go yet held."""
        now = self._clock.now()
        open_now = self._hours is None or self._hours.is_open(now)
        async with self._db.session() as session:
            outbox = Outbox(session)
            due = await outbox.due(now, working_hours=open_now, limit=limit)
            claimed = await outbox.claim_many([n.id for n in due], now)
            people, chats = await self._people_and_chats(session, claimed)
            batches: list[_Batch] = []
            for together in self._batches(claimed):
                ref, recipient = await self._target(session, together[0], people, chats)
                if ref is None or (recipient is not None and recipient.unreachable_since is not None):
                    await self._hold(session, together, ref, recipient, now)
                else:
                    batches.append(_Batch(together, ref, recipient))
            await outbox.aim_many([([n.id for n in b.claimed], b.ref.conversation_id) for b in batches])
        return len(due), batches

    def _batches(self, due: Sequence[Notification]) -> list[list[Notification]]:
        """One batch per notification, except that a person's non-urgent reminders go together."""
        batches: list[list[Notification]] = []
        gathered: dict[int, list[Notification]] = {}
        for notification in due:
            if not notification.urgent and is_gated(notification.kind) and notification.recipient_id:
                together = gathered.setdefault(notification.recipient_id, [])
                if not together:
                    batches.append(together)  # keeps the person's place in the due order
                together.append(notification)
            else:
                batches.append([notification])
        split: list[list[Notification]] = []
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

    @staticmethod
    async def _people_and_chats(
        session: AsyncSession, claimed: Sequence[Notification]
    ) -> tuple[dict[int, Person], dict[int, ConversationRef]]:
        """The recipients of a page's personal messages, and each one's personal chat, in two queries."""
        ids = sorted({n.recipient_id for n in claimed if n.recipient_id and not is_channel_kind(n.kind)})
        people = await PeopleRepository(session).by_ids(ids)
        return people, await ConversationsRepository(session).personal_many(ids)

    async def _target(
        self,
        session: AsyncSession,
        first: Notification,
        people: dict[int, Person],
        chats: dict[int, ConversationRef],
    ) -> tuple[ConversationRef | None, Person | None]:
        """Where a batch goes: its contract's team channel (no recipient), or the recipient's personal chat."""
        if is_channel_kind(first.kind):
            if (
                first.contract_id is None
            ):  # a channel notice names its contract; without one it has no channel
                return None, None
            return await ConversationsRepository(session).channel(first.contract_id), None
        recipient = people.get(first.recipient_id) if first.recipient_id else None
        if recipient is None:
            return None, None
        return chats.get(recipient.id), recipient

    async def _hold(
        self,
        session: AsyncSession,
        claimed: Sequence[Notification],
        ref: ConversationRef | None,
        recipient: Person | None,
        now: datetime,
    ) -> None:
        """A batch with nowhere to go, or for someone known to have removed the app: marked, not sent."""
        if ref is not None and recipient is not None:
            await self._wait_for_return(session, recipient, claimed, now)
            return
        if is_channel_kind(claimed[0].kind):
            status, error = NotificationStatus.CANCELLED, "no team channel is linked to the contract any more"
        else:
            status, error = (
                NotificationStatus.NO_CONVERSATION,
                "the recipient has not opened a chat with Steward yet",
            )
        await _mark_each(Outbox(session), claimed, status, now=now, error=error)

    async def _wait_for_return(
        self, session: AsyncSession, recipient: Person, claimed: Sequence[Notification], now: datetime
    ) -> None:
        """Known to have removed the app: wait for them to come back (the handler requeues these)."""
        error = f"{recipient.name} removed Steward; waiting until they add it again"
        await _mark_each(Outbox(session), claimed, NotificationStatus.UNREACHABLE, now=now, error=error)
        await self._tell_unreachable(session, recipient, claimed, now)

    async def _send(self, batch: _Batch, unreachable: set[int]) -> int:
        """Send one notification (or a person's summary) to a chat or a team channel, then mark it."""
        claimed, ref, recipient = batch.claimed, batch.ref, batch.recipient
        if recipient is not None and recipient.id in unreachable:  # an earlier send this round was refused
            return await self._hold_for(recipient, claimed)
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
            unreachable.add(recipient.id)
            await self._unreachable(claimed, recipient, str(error), error.status)
            return 0
        except DeliveryFailed as error:
            await self._record_retries(claimed, retried)
            await self._failed(claimed, str(error), error.status)
            return 0
        await self._record_retries(claimed, retried)
        await self._mark_sent(claimed, activity_id)
        return len(claimed)

    async def _hold_for(self, recipient: Person, claimed: Sequence[Notification]) -> int:
        """A later message of the round for someone a send just found gone waits with the first."""
        now = self._clock.now()
        async with self._db.session() as session:
            person = await session.get(Person, recipient.id, populate_existing=True)
            await self._wait_for_return(session, person or recipient, claimed, now)
        return 0

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
        """Claimed → sending, committed before the HTTP call; concurrent sends share the commit."""
        await self._sending.add([n.id for n in claimed])

    async def _mark_sent(self, claimed: Sequence[Notification], activity_id: str | None) -> None:
        """Sent, with Teams' activity id; concurrent sends share the commit."""
        await self._sent.add([(n.id, activity_id) for n in claimed])

    async def _write_sending(self, batches: Sequence[list[int]]) -> None:
        async with self._db.session() as session:
            await Outbox(session).start_sending([i for ids in batches for i in ids], self._clock.now())

    async def _write_sent(self, batches: Sequence[list[tuple[int, str | None]]]) -> None:
        async with self._db.session() as session:
            await Outbox(session).mark_sent(
                [sent for pairs in batches for sent in pairs], now=self._clock.now()
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
        """Tell every administrator about dead or uncertain messages (scheduler/reports.py)."""
        await report_to_administrators(
            session, self._cards, kind, notifications, now=now, not_before=self._open_from(now), error=error
        )

    def _open_from(self, now: datetime) -> datetime:
        return self._hours.next_open(now) if self._hours is not None else now
