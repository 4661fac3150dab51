"""Repository for go/no-go evaluations: assessors, the full history of scores, closing, and export."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.export import evaluation_frames, to_csv_bytes, to_xlsx_bytes
from commissioning.gonogo import (
    AssessorScore,
    EvaluationResult,
    FactorSet,
    Rating,
    evaluate,
    factor_set_from_dict,
    factor_set_to_dict,
)
from storage.engine import rowcount
from storage.evaluation_models import Evaluation, EvaluationAssessor, EvaluationScore
from storage.models import Contract, Person
from storage.statuses import EvaluationStatus

ExportFormat = Literal["xlsx", "csv"]
CSV_SHEETS = {"summary": "Summary", "factors": "Factors", "scores": "Scores"}


class ScoreConflict(Exception):
    """Two saves of the same assessor's scores crossed; the later one must look again."""


def factor_set_of(evaluation: Evaluation) -> FactorSet:
    """The factor set the evaluation was started with (its stored copy, not today's configuration)."""
    return factor_set_from_dict(evaluation.factor_set)


class EvaluationsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- evaluations ---------------------------------------------------------------------------------------

    async def create(
        self,
        *,
        title: str,
        contract_id: int | None,
        prospective_service: str,
        organisation_id: int,
        lead_id: int,
        factor_set: FactorSet,
        now: datetime,
    ) -> Evaluation:
        evaluation = Evaluation(
            title=title,
            contract_id=contract_id,
            prospective_service=prospective_service,
            organisation_id=organisation_id,
            lead_id=lead_id,
            factor_set_key=factor_set.key,
            factor_set=factor_set_to_dict(factor_set),
            status=EvaluationStatus.OPEN,
            created_at=now,
        )
        self.session.add(evaluation)
        await self.session.flush()
        return evaluation

    async def get(self, evaluation_id: int, *, lock: bool = False) -> Evaluation | None:
        """The evaluation; `lock` holds its row (PostgreSQL) so a save and a close cannot cross."""
        if lock:
            return await self.session.get(
                Evaluation, evaluation_id, with_for_update=True, populate_existing=True
            )
        return await self.session.get(Evaluation, evaluation_id)

    async def find_open(
        self, *, lead_id: int, contract_id: int | None, prospective_service: str, title: str
    ) -> Evaluation | None:
        """An open evaluation the same lead already started on the same subject under the same name."""
        query = select(Evaluation).where(
            col(Evaluation.lead_id) == lead_id,
            col(Evaluation.status) == EvaluationStatus.OPEN,
            col(Evaluation.title) == title,
            col(Evaluation.prospective_service) == prospective_service,
            col(Evaluation.contract_id).is_(None)
            if contract_id is None
            else col(Evaluation.contract_id) == contract_id,
        )
        return (await self.session.execute(query)).scalars().first()

    async def involving(self, person_id: int, *, limit: int = 10) -> list[Evaluation]:
        """Evaluations the person leads or was invited to score, newest first."""
        invited = select(col(EvaluationAssessor.evaluation_id)).where(
            col(EvaluationAssessor.person_id) == person_id
        )
        query = (
            select(Evaluation)
            .where(or_(col(Evaluation.lead_id) == person_id, col(Evaluation.id).in_(invited)))
            .order_by(col(Evaluation.created_at).desc(), col(Evaluation.id).desc())
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def close(
        self, evaluation: Evaluation, *, by_id: int, now: datetime, result: dict[str, Any]
    ) -> bool:
        """Close an open evaluation. False when it was already closed (a second click, or someone else)."""
        statement = (
            update(Evaluation)
            .where(col(Evaluation.id) == evaluation.id, col(Evaluation.status) == EvaluationStatus.OPEN)
            .values(status=EvaluationStatus.CLOSED, closed_at=now, closed_by_id=by_id, result=result)
        )
        closed = bool(rowcount(await self.session.execute(statement)))
        await self.session.refresh(evaluation)
        return closed

    async def subject(self, evaluation: Evaluation) -> str:
        """What the evaluation is about: the contract's name, or the prospective service's."""
        if evaluation.contract_id is not None:
            contract = await self.session.get(Contract, evaluation.contract_id)
            return contract.name if contract else ""
        return f"Prospective service: {evaluation.prospective_service}"

    # -- people --------------------------------------------------------------------------------------------

    async def organisation_people(self, organisation_id: int) -> list[Person]:
        query = (
            select(Person).where(col(Person.organisation_id) == organisation_id).order_by(col(Person.name))
        )
        return list((await self.session.execute(query)).scalars())

    async def assessors(self, evaluation_id: int) -> list[tuple[EvaluationAssessor, Person]]:
        """Invited assessors in the order they were invited."""
        query = (
            select(EvaluationAssessor, Person)
            .join(Person, col(Person.id) == col(EvaluationAssessor.person_id))
            .where(col(EvaluationAssessor.evaluation_id) == evaluation_id)
            .order_by(col(EvaluationAssessor.id))
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]

    async def assessor(self, evaluation_id: int, person_id: int) -> EvaluationAssessor | None:
        query = select(EvaluationAssessor).where(
            col(EvaluationAssessor.evaluation_id) == evaluation_id,
            col(EvaluationAssessor.person_id) == person_id,
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def invite(
        self, evaluation_id: int, person_id: int, *, by_id: int, now: datetime
    ) -> EvaluationAssessor | None:
        """Invite someone; None when they were already invited (including by a crossing click)."""
        if await self.assessor(evaluation_id, person_id) is not None:
            return None
        row = EvaluationAssessor(
            evaluation_id=evaluation_id, person_id=person_id, invited_by_id=by_id, invited_at=now
        )
        try:
            async with self.session.begin_nested():
                self.session.add(row)
                await self.session.flush()
        except IntegrityError:
            return None
        return row

    # -- scores --------------------------------------------------------------------------------------------

    async def current_scores(self, evaluation_id: int, person_id: int | None = None) -> list[EvaluationScore]:
        """Each assessor's latest score on each factor they have scored."""
        query = select(EvaluationScore).where(
            col(EvaluationScore.evaluation_id) == evaluation_id,
            col(EvaluationScore.current).is_(True),
        )
        if person_id is not None:
            query = query.where(col(EvaluationScore.person_id) == person_id)
        return list((await self.session.execute(query.order_by(col(EvaluationScore.id)))).scalars())

    async def history(self, evaluation_id: int) -> list[EvaluationScore]:
        """Every score ever saved, earlier revisions included, in the order they were saved."""
        query = (
            select(EvaluationScore)
            .where(col(EvaluationScore.evaluation_id) == evaluation_id)
            .order_by(col(EvaluationScore.id))
        )
        return list((await self.session.execute(query)).scalars())

    async def record_scores(
        self,
        evaluation_id: int,
        person_id: int,
        changes: dict[str, tuple[Rating, str]],
        *,
        now: datetime,
    ) -> None:
        """Add a new revision for each changed factor and retire the one it replaces; nothing is deleted.

        Raises ScoreConflict when another save of the same assessor's score got in first.
        """
        current = {score.factor_key: score for score in await self.current_scores(evaluation_id, person_id)}
        try:
            async with self.session.begin_nested():
                for factor_key, (rating, rationale) in changes.items():
                    previous = current.get(factor_key)
                    if previous is not None:
                        previous.current = False
                        self.session.add(previous)
                    self.session.add(
                        EvaluationScore(
                            evaluation_id=evaluation_id,
                            person_id=person_id,
                            factor_key=factor_key,
                            revision=previous.revision + 1 if previous else 1,
                            rating=rating.value,
                            rationale=rationale,
                            scored_at=now,
                            current=True,
                        )
                    )
                await self.session.flush()
        except IntegrityError as error:
            raise ScoreConflict(
                f"scores of person {person_id} on evaluation {evaluation_id} moved on"
            ) from error

    async def progress(self, evaluation_id: int) -> dict[int, set[str]]:
        """Which factors each assessor has scored so far, by person id."""
        scored: dict[int, set[str]] = {}
        for score in await self.current_scores(evaluation_id):
            scored.setdefault(score.person_id, set()).add(score.factor_key)
        return scored

    # -- results -------------------------------------------------------------------------------------------

    async def result(self, evaluation: Evaluation) -> tuple[EvaluationResult, dict[str, str]]:
        """The evaluation scored by the pure rules, and assessor names by the ids the result uses."""
        assessors = await self.assessors(evaluation.id)
        names = {str(person.id): person.name for _, person in assessors}
        scores = [
            AssessorScore(str(score.person_id), score.factor_key, Rating(score.rating), score.rationale)
            for score in await self.current_scores(evaluation.id)
        ]
        result = evaluate(factor_set_of(evaluation), scores, assessors=list(names))
        return result, names

    async def export(self, evaluation_id: int, fmt: ExportFormat, *, sheet: str = "scores") -> bytes:
        """The evaluation as an Excel workbook (three sheets) or one sheet as CSV, formulas neutralised.

        Raises LookupError for an unknown evaluation and ValueError for an unknown format or sheet.
        """
        evaluation = await self.get(evaluation_id)
        if evaluation is None:
            raise LookupError(f"there is no evaluation {evaluation_id}")
        result, names = await self.result(evaluation)
        lead = await self.session.get(Person, evaluation.lead_id)
        status = "Open"
        if evaluation.status == EvaluationStatus.CLOSED and evaluation.closed_at is not None:
            closer = (
                await self.session.get(Person, evaluation.closed_by_id) if evaluation.closed_by_id else None
            )
            status = f"Closed {evaluation.closed_at:%Y-%m-%d %H:%M} UTC" + (
                f" by {closer.name}" if closer else ""
            )
        details = [
            ("Evaluation", evaluation.title),
            ("Evaluation id", evaluation.id),
            ("Subject", await self.subject(evaluation)),
            ("Lead", lead.name if lead else ""),
            ("Status", status),
        ]
        frames = evaluation_frames(result, names, details)
        if fmt == "xlsx":  # building a workbook takes a while: off the event loop
            return await asyncio.to_thread(to_xlsx_bytes, frames)
        if fmt == "csv":
            if sheet not in CSV_SHEETS:
                raise ValueError(f"unknown sheet {sheet!r}: choose {', '.join(CSV_SHEETS)}")
            return to_csv_bytes(frames[CSV_SHEETS[sheet]])
        raise ValueError(f"unknown format {fmt!r}: choose xlsx or csv")
