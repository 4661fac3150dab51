"""Repository for the audit trail: who changed what, when, before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AuditEvent


class AuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(
        self,
        *,
        at: datetime,
        actor_id: int | None,
        action: str,
        entity: str,
        entity_id: object = "",
        contract_id: int | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """Add an event to the current unit of work, so it commits (or not) with the change itself."""
        event = AuditEvent(
            at=at,
            actor_id=actor_id,
            contract_id=contract_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before or {},
            after=after or {},
        )
        self.session.add(event)
        return event

    async def events(
        self, *, contract_id: int | None = None, since: datetime | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        query = select(AuditEvent).order_by(col(AuditEvent.at), col(AuditEvent.id)).limit(limit)
        if contract_id is not None:
            query = query.where(col(AuditEvent.contract_id) == contract_id)
        if since is not None:
            query = query.where(col(AuditEvent.at) >= since)
        return list((await self.session.execute(query)).scalars())
