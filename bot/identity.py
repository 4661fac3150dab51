"""Who is speaking and where to reach them: the sender found in the portfolio, their 1:1 chat remembered."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from botbuilder.schema import Activity, ChannelAccount
from cachetools import TTLCache
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.adapter import tenant_of
from connector.client import BotConnector, DeliveryFailed
from storage.conversations import ConversationsRepository
from storage.engine import rowcount
from storage.models import ConversationRef, Notification, Person
from storage.outbox import HELD, Outbox
from storage.people import PeopleRepository
from storage.statuses import DeliveryStatus, NotificationStatus

log = logging.getLogger(__name__)
KEPT = 10_000
# A member lookup that matched nobody is not asked again for this long: a stranger's every message would
# otherwise cost a call against the tenant's limit. Someone added to the portfolio is found after it.
STRANGER_SECONDS = 60
# A chat reference this process stored is not read and written again for this long when a turn shows it
# unchanged. Bounded in time, so a reference removed elsewhere comes back.
REMEMBERED_SECONDS = 300


@dataclass(frozen=True)
class Reference:
    """Where a person's 1:1 chat is, as a turn in it shows: what the chat's stored reference must say."""

    conversation_id: str
    person_id: int
    service_url: str
    channel_id: str
    tenant_id: str | None
    bot_id: str
    user_id: str

    @classmethod
    def of(cls, person: Person, activity: Activity) -> Reference:
        return cls(
            conversation_id=activity.conversation.id,
            person_id=person.id,
            service_url=activity.service_url,
            channel_id=activity.channel_id or "msteams",
            tenant_id=tenant_of(activity),
            bot_id=activity.recipient.id if activity.recipient else "",
            user_id=activity.from_property.id,
        )


class Senders:
    """Finds the sender in the portfolio: by Azure AD object id, Teams user id, or a Teams member lookup."""

    def __init__(self, connector: BotConnector, *, local_mode: bool) -> None:
        self._connector = connector
        self._local_mode = local_mode
        self._strangers: TTLCache[tuple[str | None, str], bool] = TTLCache(maxsize=KEPT, ttl=STRANGER_SECONDS)

    async def identify(self, session: AsyncSession, activity: Activity) -> tuple[Person | None, bool]:
        """The sender, linked to how Teams names them, and whether they are back from being unreachable."""
        people = PeopleRepository(session)
        sender: ChannelAccount | None = activity.from_property
        if sender is None or not sender.id:
            return None, False
        aad_id = sender.aad_object_id
        tenant_id = tenant_of(activity)
        person = await people.by_aad_object_id(aad_id, tenant_id) if aad_id else None
        person = person or await people.by_teams_user_id(sender.id, tenant_id)
        if person is None and self._local_mode:
            person = (
                await people.by_email(sender.id)
                if "@" in sender.id
                else await people.by_aad_object_id(sender.id, tenant_id)
            )
        if person is None:
            person = await self._lookup_member(people, activity)
        if person is None:
            return None, False
        back = person.unreachable_since is not None
        await people.link_identity(person, aad_object_id=aad_id, tenant_id=tenant_id, teams_user_id=sender.id)
        return person, back

    async def _lookup_member(self, people: PeopleRepository, activity: Activity) -> Person | None:
        stranger = (tenant_of(activity), activity.from_property.id)
        if stranger in self._strangers:
            return None
        person = await self._member_in_portfolio(people, activity)
        if person is None:
            self._strangers[stranger] = True
        return person

    async def _member_in_portfolio(self, people: PeopleRepository, activity: Activity) -> Person | None:
        """Ask Teams who the sender is (email, UPN, object id) and find them in the portfolio."""
        tenant_id = tenant_of(activity)
        try:
            member = await self._connector.member(
                activity.service_url, activity.conversation.id, activity.from_property.id, tenant_id=tenant_id
            )
        except DeliveryFailed as error:
            log.info("member lookup failed: %s", error)
            return None
        for field in ("email", "userPrincipalName"):
            value = member.get(field)
            if isinstance(value, str) and "@" in value:
                person = await people.by_email(value)
                if person is not None and person.tenant_id in (None, tenant_id):  # never another tenant's
                    return person
        aad = member.get("aadObjectId")
        return await people.by_aad_object_id(aad, tenant_id) if isinstance(aad, str) and aad else None


class Chats:
    """The 1:1 chats Steward can reach people in: stored when they change, remembered once stored."""

    def __init__(self) -> None:
        self._remembered: TTLCache[str, Reference] = TTLCache(maxsize=KEPT, ttl=REMEMBERED_SECONDS)

    def unchanged(self, reference: Reference) -> bool:
        return self._remembered.get(reference.conversation_id) == reference

    def stored(self, reference: Reference) -> None:
        """Call once the unit of work that stored it has committed."""
        self._remembered[reference.conversation_id] = reference

    def forget(self, conversation_id: str) -> None:
        self._remembered.pop(conversation_id, None)

    async def remember(
        self, session: AsyncSession, reference: Reference, now: datetime, *, back: bool = False
    ) -> bool:
        """Keep a 1:1 chat's reference; True when notifications that were waiting for it are due again.

        `back`: the person had removed Steward and is here again, so the reference counts as new from
        now even where Teams kept the same chat (what `steward deliveries --resend` goes by).
        """
        await ConversationsRepository(session).save(
            ConversationRef(
                conversation_id=reference.conversation_id,
                person_id=reference.person_id,
                scope="personal",
                service_url=reference.service_url,
                channel_id=reference.channel_id,
                tenant_id=reference.tenant_id,
                bot_id=reference.bot_id,
                user_id=reference.user_id,
                updated_at=now,
            ),
            now,
            touch=back,
        )
        held = (
            col(Notification.recipient_id) == reference.person_id,
            col(Notification.status).in_(HELD),
        )
        # Read first: an UPDATE, even of no rows, takes SQLite's write lock on every turn.
        ids = list((await session.execute(select(col(Notification.id)).where(*held))).scalars())
        if not ids:
            return False
        waiting = await session.execute(
            update(Notification)
            .where(col(Notification.id).in_(ids), *held)
            .values(status=NotificationStatus.PENDING, not_before=now, last_error="")
        )
        await Outbox(session).record(
            ids, DeliveryStatus.REQUEUED, now=now, reason="the person opened their chat with Steward"
        )
        return bool(rowcount(waiting))
