"""Repository for improvement: plans (PIPs), CIP items, change requests, rating answers, and their history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from commissioning.improvement.changes import (
    ChangeArea,
    ChangeEvent,
    ChangeRequest,
    ChangeStatus,
)
from commissioning.improvement.cip import CipItem, CipStatus
from commissioning.improvement.pips import Pip, PipStatus
from commissioning.improvement.steps import Step, StepStatus
from commissioning.indicators import Comparison
from commissioning.roles import Role, Side
from storage.improvement_models import (
    ChangeRecord,
    CipRecord,
    ImprovementEvent,
    PipRecord,
    RatingResponse,
)

OPEN_PIPS = (PipStatus.AGREED.value, PipStatus.ON_TRACK.value)
OPEN_CHANGES = (ChangeStatus.PROPOSED.value, ChangeStatus.AWAITING_APPROVAL.value)

T = TypeVar("T", bound=SQLModel)


def steps_json(steps: Sequence[Step]) -> list[dict[str, Any]]:
    return [
        {
            "what": s.what,
            "due": s.due_on.isoformat(),
            "status": s.status.value,
            "done_on": s.done_on.isoformat() if s.done_on else None,
        }
        for s in steps
    ]


def steps_of(rows: Sequence[dict[str, Any]]) -> tuple[Step, ...]:
    return tuple(
        Step(
            str(r["what"]),
            date.fromisoformat(r["due"]),
            StepStatus(r.get("status", "open")),
            date.fromisoformat(r["done_on"]) if r.get("done_on") else None,
        )
        for r in rows
    )


def pip_rule(record: PipRecord) -> Pip:
    """The pure rule object for a stored plan."""
    return Pip(
        record.code,
        record.name,
        record.level,
        Comparison(record.comparison),
        record.agreed_on,
        record.by_on,
        steps_of(record.actions),
        steps_of(record.milestones),
        PipStatus(record.status),
        PipStatus(record.outcome) if record.outcome else None,
        record.progress,
    )


def store_pip(record: PipRecord, pip: Pip, now: datetime) -> None:
    record.status = pip.status.value
    record.outcome = pip.outcome.value if pip.outcome else ""
    record.progress = pip.progress
    record.actions = steps_json(pip.actions)
    record.milestones = steps_json(pip.milestones)
    record.updated_at = now


def cip_rule(record: CipRecord, owner: str = "") -> CipItem:
    return CipItem(
        record.what,
        owner,
        record.deadline_on,
        steps_of(record.milestones),
        record.feedback,
        CipStatus(record.status),
        record.progress,
        record.done_on,
    )


def store_cip(record: CipRecord, item: CipItem, now: datetime) -> None:
    record.status = item.status.value
    record.progress = item.progress
    record.milestones = steps_json(item.milestones)
    record.done_on = item.done_on
    record.updated_at = now


def change_rule(record: ChangeRecord, events: Iterable[ImprovementEvent]) -> ChangeRequest:
    history = tuple(
        ChangeEvent(ChangeStatus(e.state), Role(e.role), e.at.date(), e.note)
        for e in events
        if e.role and e.state in ChangeStatus.__members__.values()
    )
    return ChangeRequest(
        record.what,
        frozenset(ChangeArea(a) for a in record.areas),
        Side(record.proposed_by_side),
        ChangeStatus(record.status),
        history,
    )


class ImprovementRepository:
    """Plans, CIP items, change requests and rating answers, each with its history."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, record: T) -> T:
        self.session.add(record)
        await self.session.flush()
        return record

    async def _one(self, model: type[T], row_id: int, for_update: bool) -> T | None:
        query = select(model).where(col(model.id) == row_id)  # type: ignore[attr-defined]
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def pip(self, pip_id: int, *, for_update: bool = False) -> PipRecord | None:
        return await self._one(PipRecord, pip_id, for_update)

    async def cip(self, cip_id: int, *, for_update: bool = False) -> CipRecord | None:
        return await self._one(CipRecord, cip_id, for_update)

    async def change(self, change_id: int, *, for_update: bool = False) -> ChangeRecord | None:
        return await self._one(ChangeRecord, change_id, for_update)

    async def response(self, response_id: int, *, for_update: bool = False) -> RatingResponse | None:
        return await self._one(RatingResponse, response_id, for_update)

    async def pips_for(self, contract_ids: Iterable[int], *, open_only: bool = True) -> list[PipRecord]:
        query = select(PipRecord).where(col(PipRecord.contract_id).in_(list(contract_ids)))
        if open_only:
            query = query.where(col(PipRecord.status).in_(OPEN_PIPS))
        query = query.order_by(col(PipRecord.by_on), col(PipRecord.id))
        return list((await self.session.execute(query)).scalars())

    async def open_pip(self, contract_id: int, code: str) -> PipRecord | None:
        """The plan still open for an indicator: one at a time."""
        found = [p for p in await self.pips_for([contract_id]) if p.code == code]
        return found[0] if found else None

    async def cips_for(self, contract_ids: Iterable[int], *, include_done: bool = True) -> list[CipRecord]:
        query = select(CipRecord).where(col(CipRecord.contract_id).in_(list(contract_ids)))
        if not include_done:
            query = query.where(col(CipRecord.status) != CipStatus.DONE.value)
        query = query.order_by(col(CipRecord.deadline_on), col(CipRecord.id))
        return list((await self.session.execute(query)).scalars())

    async def changes_for(
        self, contract_ids: Iterable[int], *, open_only: bool = False
    ) -> list[ChangeRecord]:
        query = select(ChangeRecord).where(col(ChangeRecord.contract_id).in_(list(contract_ids)))
        if open_only:
            query = query.where(col(ChangeRecord.status).in_(OPEN_CHANGES))
        query = query.order_by(col(ChangeRecord.created_at), col(ChangeRecord.id))
        return list((await self.session.execute(query)).scalars())

    async def responses_for(
        self, contract_ids: Iterable[int], *, return_id: int | None = None
    ) -> list[RatingResponse]:
        query = select(RatingResponse).where(col(RatingResponse.contract_id).in_(list(contract_ids)))
        if return_id is not None:
            query = query.where(col(RatingResponse.return_id) == return_id)
        query = query.order_by(col(RatingResponse.at), col(RatingResponse.id))
        return list((await self.session.execute(query)).scalars())

    def add_event(
        self,
        subject: str,
        subject_id: int,
        *,
        state: str,
        actor_id: int | None,
        now: datetime,
        role: str = "",
        note: str = "",
    ) -> ImprovementEvent:
        event = ImprovementEvent(
            subject=subject,
            subject_id=subject_id,
            at=now,
            actor_id=actor_id,
            role=role,
            state=state,
            note=note,
        )
        self.session.add(event)
        return event

    async def history(self, subject: str, subject_id: int) -> list[ImprovementEvent]:
        query = (
            select(ImprovementEvent)
            .where(col(ImprovementEvent.subject) == subject, col(ImprovementEvent.subject_id) == subject_id)
            .order_by(col(ImprovementEvent.at), col(ImprovementEvent.id))
        )
        return list((await self.session.execute(query)).scalars())
