"""Repository for conversation references: where Steward can reach a person, or a contract's team channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import ConversationRef


class ConversationsRepository:
    """The 1:1 chats and team channels Steward has been added to."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, ref: ConversationRef, now: datetime, *, touch: bool = False) -> ConversationRef:
        """Insert or refresh a conversation reference, keyed by conversation id; `touch`: count it as new."""
        query = select(ConversationRef).where(col(ConversationRef.conversation_id) == ref.conversation_id)
        stored = (await self.session.execute(query)).scalar_one_or_none()
        if stored is None:
            ref.updated_at = now
            self.session.add(ref)
            return ref
        changed = False
        for field in (
            "person_id",
            "contract_id",
            "scope",
            "service_url",
            "channel_id",
            "tenant_id",
            "bot_id",
            "user_id",
        ):
            value = getattr(ref, field)
            if value is not None and getattr(stored, field) != value:
                setattr(stored, field, value)
                changed = True
        if changed or touch:
            stored.updated_at = now
            self.session.add(stored)
        return stored

    async def personal(self, person_id: int) -> ConversationRef | None:
        query = (
            select(ConversationRef)
            .where(col(ConversationRef.person_id) == person_id, col(ConversationRef.scope) == "personal")
            .order_by(col(ConversationRef.updated_at).desc())
        )
        return (await self.session.execute(query)).scalars().first()

    async def personal_many(self, person_ids: Sequence[int]) -> dict[int, ConversationRef]:
        """`personal` for many people in one query: person id → their latest personal chat (if any)."""
        found: dict[int, ConversationRef] = {}
        if not person_ids:
            return found
        query = (
            select(ConversationRef)
            .where(
                col(ConversationRef.person_id).in_(list(person_ids)), col(ConversationRef.scope) == "personal"
            )
            .order_by(col(ConversationRef.updated_at).desc())
        )
        for ref in (await self.session.execute(query)).scalars():
            if ref.person_id is not None:
                found.setdefault(ref.person_id, ref)
        return found

    async def channel(self, contract_id: int) -> ConversationRef | None:
        """The team channel linked to a contract, where its notifications are also posted."""
        query = (
            select(ConversationRef)
            .where(col(ConversationRef.contract_id) == contract_id, col(ConversationRef.scope) == "channel")
            .order_by(col(ConversationRef.updated_at).desc())
        )
        return (await self.session.execute(query)).scalars().first()
