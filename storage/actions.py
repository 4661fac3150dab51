"""Repository for the action log: actions raised at meetings, each with its history of changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.actions import ActionLevel, ActionState, ActionStatus
from storage.meeting_models import ActionEvent, ActionItem


def action_state(item: ActionItem) -> ActionState:
    """The pure rule object for a stored action."""
    return ActionState(
        status=ActionStatus(item.status),
        level=ActionLevel(item.level),
        due_on=item.due_on,
        requested_due_on=item.requested_due_on,
        progress=item.progress,
    )


def action_snapshot(item: ActionItem) -> dict[str, Any]:
    """What the history and the audit trail keep of an action, before and after a change."""
    return {
        "status": item.status,
        "level": item.level,
        "due_on": item.due_on.isoformat(),
        "requested_due_on": item.requested_due_on.isoformat() if item.requested_due_on else None,
        "progress": item.progress,
        "owner_id": item.owner_id,
    }


class ActionsRepository:
    """Actions and their history."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_action(
        self,
        *,
        contract_id: int,
        meeting_id: int | None,
        description: str,
        owner_id: int,
        due_on: date,
        level: ActionLevel,
        by_id: int,
        now: datetime,
    ) -> ActionItem:
        item = ActionItem(
            contract_id=contract_id,
            meeting_id=meeting_id,
            description=description,
            owner_id=owner_id,
            due_on=due_on,
            status=ActionStatus.OPEN.value,
            level=level.value,
            created_by_id=by_id,
            created_at=now,
            updated_at=now,
        )
        self.session.add(item)
        await self.session.flush()
        self.add_event(
            item, kind="created", actor_id=by_id, now=now, note=description, after=action_snapshot(item)
        )
        return item

    async def action(self, action_id: int, *, for_update: bool = False) -> ActionItem | None:
        """An action; `for_update` locks its row (PostgreSQL) so two decisions cannot cross."""
        query = select(ActionItem).where(col(ActionItem.id) == action_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def actions_owned_by(self, person_id: int, *, include_done: bool = False) -> list[ActionItem]:
        query = select(ActionItem).where(col(ActionItem.owner_id) == person_id)
        if not include_done:
            query = query.where(col(ActionItem.status) != ActionStatus.DONE.value)
        query = query.order_by(col(ActionItem.due_on), col(ActionItem.id))
        return list((await self.session.execute(query)).scalars())

    async def actions_for(
        self, contract_ids: Iterable[int], *, include_done: bool = False
    ) -> list[ActionItem]:
        ids = list(contract_ids)
        if not ids:
            return []
        query = select(ActionItem).where(col(ActionItem.contract_id).in_(ids))
        if not include_done:
            query = query.where(col(ActionItem.status) != ActionStatus.DONE.value)
        query = query.order_by(col(ActionItem.due_on), col(ActionItem.id))
        return list((await self.session.execute(query)).scalars())

    async def awaiting_decision(self, contract_ids: Iterable[int]) -> list[ActionItem]:
        ids = list(contract_ids)
        if not ids:
            return []
        query = (
            select(ActionItem)
            .where(
                col(ActionItem.contract_id).in_(ids),
                col(ActionItem.requested_due_on).is_not(None),
                col(ActionItem.status) != ActionStatus.DONE.value,
            )
            .order_by(col(ActionItem.due_on), col(ActionItem.id))
        )
        return list((await self.session.execute(query)).scalars())

    def add_event(
        self,
        item: ActionItem,
        *,
        kind: str,
        actor_id: int | None,
        now: datetime,
        note: str = "",
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> ActionEvent:
        event = ActionEvent(
            action_id=item.id,
            at=now,
            actor_id=actor_id,
            kind=kind,
            note=note,
            before=before or {},
            after=after or {},
        )
        self.session.add(event)
        return event

    async def history(self, action_id: int) -> list[ActionEvent]:
        query = (
            select(ActionEvent)
            .where(col(ActionEvent.action_id) == action_id)
            .order_by(col(ActionEvent.at), col(ActionEvent.id))
        )
        return list((await self.session.execute(query)).scalars())
