"""The outbox dispatcher: delivers due notifications through the outbound sender, at least once.

Each notification is claimed in its own transaction, sent outside any transaction, then marked.
A claim left by a crashed dispatcher is taken again once it is stale.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from bot.connector import BotConnector, DeliveryFailed, RecipientUnreachable
from commissioning.clock import Clock
from dialogs.cards import CARD_CONTENT_TYPE
from storage.engine import Database
from storage.models import Notification, Person
from storage.outbox import DEAD, PENDING, SENT, UNREACHABLE, Outbox
from storage.people import PeopleRepository

log = logging.getLogger(__name__)

NO_CONVERSATION = "no_conversation"
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


class Dispatcher:
    def __init__(
        self,
        database: Database,
        connector: BotConnector,
        clock: Clock,
        *,
        stale_after: timedelta = timedelta(minutes=2),
    ) -> None:
        self._db = database
        self._connector = connector
        self._clock = clock
        self._stale_after = stale_after
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

    async def run_once(self, limit: int = 100) -> int:
        """Deliver every due notification once; returns how many were sent."""
        async with self._db.session() as session:
            due = await Outbox(session).due_ids(self._clock.now(), stale_after=self._stale_after, limit=limit)
        sent = 0
        for notification_id in due:
            sent += await self.deliver(notification_id)
        return sent

    async def deliver(self, notification_id: int) -> int:
        now = self._clock.now()
        async with self._db.session() as session:
            outbox = Outbox(session)
            notification = await outbox.claim(notification_id, now, stale_after=self._stale_after)
            if notification is None:
                return 0
            target = await self._target(session, notification)
            if target is None:
                await outbox.mark(
                    notification_id,
                    NO_CONVERSATION,
                    now=now,
                    error="the recipient has not opened a chat with Steward yet",
                )
                return 0
        service_url, conversation_id, bot_id = target
        activity = proactive_activity(notification.payload, conversation_id=conversation_id, bot_id=bot_id)
        try:
            activity_id = await self._connector.send(service_url, conversation_id, activity)
        except RecipientUnreachable as error:
            await self._finish(notification, UNREACHABLE, str(error), unreachable=True)
            return 0
        except DeliveryFailed as error:
            final = notification.attempts >= MAX_ATTEMPTS
            retry_at = None if final else self._clock.now() + timedelta(minutes=2**notification.attempts)
            await self._finish(notification, DEAD if final else PENDING, str(error), retry_at=retry_at)
            return 0
        async with self._db.session() as session:
            await Outbox(session).mark(notification_id, SENT, now=self._clock.now(), activity_id=activity_id)
        return 1

    async def _target(self, session: Any, notification: Notification) -> tuple[str, str, str] | None:
        if notification.recipient_id is None:
            return None
        ref = await PeopleRepository(session).personal_conversation(notification.recipient_id)
        if ref is None:
            return None
        return ref.service_url, ref.conversation_id, ref.bot_id

    async def _finish(
        self,
        notification: Notification,
        status: str,
        error: str,
        *,
        unreachable: bool = False,
        retry_at: Any = None,
    ) -> None:
        now = self._clock.now()
        async with self._db.session() as session:
            await Outbox(session).mark(notification.id, status, now=now, error=error, retry_at=retry_at)  # type: ignore[arg-type]
            if unreachable and notification.recipient_id is not None:
                person = await session.get(Person, notification.recipient_id)
                if person is not None and person.unreachable_since is None:
                    person.unreachable_since = now
                    session.add(person)
        log.warning("notification %s %s: %s", notification.key, status, error)
