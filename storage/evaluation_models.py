"""Go/no-go evaluation tables: the evaluation, its invited assessors, and every score ever given."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import json_column, utc_column
from storage.statuses import EvaluationStatus


class Evaluation(SQLModel, table=True):
    """One go/no-go decision: about a contract, or a prospective service not yet commissioned.

    `factor_set` is a copy of the set (factors, weights, thresholds) taken when the evaluation was
    started, so a later change to configuration never changes it. `result` is what closing decided.
    """

    id: int = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    contract_id: int | None = Field(default=None, foreign_key="contract.id", index=True)
    prospective_service: str = Field(default="", max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    lead_id: int = Field(foreign_key="person.id", index=True)
    factor_set_key: str = Field(max_length=64)
    factor_set: dict[str, Any] = json_column()
    status: str = Field(default=EvaluationStatus.OPEN, max_length=16, index=True)  # an EvaluationStatus
    created_at: datetime = utc_column()
    closed_at: datetime | None = utc_column(nullable=True)
    closed_by_id: int | None = Field(default=None, foreign_key="person.id")
    result: dict[str, Any] = json_column()


class EvaluationAssessor(SQLModel, table=True):
    """A person invited to score an evaluation; only they may score it."""

    __tablename__ = "evaluation_assessor"
    __table_args__ = (UniqueConstraint("evaluation_id", "person_id"),)

    id: int = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    invited_by_id: int = Field(foreign_key="person.id")
    invited_at: datetime = utc_column()
    last_scored_at: datetime | None = utc_column(nullable=True)
    finished_at: datetime | None = utc_column(nullable=True)  # first time every factor had a score
    reminded_at: datetime | None = utc_column(nullable=True)


class EvaluationScore(SQLModel, table=True):
    """One revision of one assessor's score on one factor. Rows are never changed, only superseded:
    `current` marks the latest revision, and the earlier ones are the history of changes."""

    __tablename__ = "evaluation_score"
    __table_args__ = (UniqueConstraint("evaluation_id", "person_id", "factor_key", "revision"),)

    id: int = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    factor_key: str = Field(max_length=64)
    revision: int = Field(default=1)
    rating: str = Field(max_length=16)  # negative | neutral | positive
    rationale: str = Field(default="", max_length=2000)
    scored_at: datetime = utc_column()
    current: bool = Field(default=True, index=True)
