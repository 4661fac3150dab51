"""SQLModel tables for improvement: plans (PIPs), CIP items, change requests, rating answers, and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.models import utc_column


def _steps_column() -> Any:
    """A list of steps: [{"what", "due" (ISO date), "status" (open|done), "done_on" (ISO date or null)}]."""
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class PipRecord(SQLModel, table=True):
    """A performance improvement plan for one missed indicator, as the quarterly meeting agreed it."""

    __tablename__ = "pip"

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    code: str = Field(max_length=48)  # the indicator or KPI
    name: str = Field(max_length=200)
    level: float
    comparison: str = Field(max_length=16)  # at_least | at_most
    agreed_on: date
    by_on: date
    status: str = Field(max_length=16, index=True)  # a PipStatus
    outcome: str = Field(default="", max_length=16)  # met | missed, once known
    progress: str = Field(default="", max_length=2000)
    actions: list[dict[str, Any]] = _steps_column()
    milestones: list[dict[str, Any]] = _steps_column()
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()


class CipRecord(SQLModel, table=True):
    """A continuous improvement plan item: what, who owns it, its milestones and deadline, and why."""

    __tablename__ = "cip_item"

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    what: str = Field(max_length=1000)
    owner_id: int = Field(foreign_key="person.id", index=True)
    deadline_on: date
    milestones: list[dict[str, Any]] = _steps_column()
    feedback: str = Field(default="", max_length=2000)  # the service-user feedback that prompted it
    status: str = Field(max_length=16, index=True)  # a CipStatus
    progress: str = Field(default="", max_length=2000)
    done_on: date | None = None
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()


class ChangeRecord(SQLModel, table=True):
    """A change request (seed 002 §6): informal, agreed by the contract team; formal, approved by the director."""

    __tablename__ = "change_request"

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    what: str = Field(max_length=1000)
    areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tier: str = Field(max_length=16)  # informal | formal
    effect: str = Field(default="", max_length=2000)  # its effect on the budget or staffing, in words
    proposed_by_side: str = Field(max_length=16)  # commissioner | provider
    status: str = Field(max_length=24, index=True)  # a ChangeStatus
    created_by_id: int = Field(foreign_key="person.id")
    agreed_by_id: int | None = Field(default=None, foreign_key="person.id")
    decided_by_id: int | None = Field(default=None, foreign_key="person.id")  # the director's approval
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()


class RatingResponse(SQLModel, table=True):
    """A provider's answer to a red or amber rating, on a return (a PI) or on the KPI card (a KPI, `quarter`
    set and no return): an explanation, or a challenge to rule on."""

    __tablename__ = "rating_response"

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    return_id: int | None = Field(default=None, foreign_key="monthly_return.id", index=True)
    quarter: str | None = Field(default=None, max_length=8)  # a KPI's quarter, like '2026Q2'
    version: int  # the return's version answered (for a KPI, the KPI return's; 0 before it is in)
    code: str = Field(max_length=48)
    name: str = Field(max_length=200)
    rating: str = Field(max_length=8)  # red | amber
    kind: str = Field(max_length=16)  # explanation | challenge
    text: str = Field(max_length=2000)
    by_id: int = Field(foreign_key="person.id")
    at: datetime = utc_column()
    ruling: str = Field(default="", max_length=16)  # upheld | rejected (a challenge only)
    ruling_reason: str = Field(default="", max_length=2000)
    ruled_by_id: int | None = Field(default=None, foreign_key="person.id")
    ruled_at: datetime | None = utc_column(nullable=True)


class ImprovementEvent(SQLModel, table=True):
    """The history of a plan, an item, a change or a rating answer: each move, who (in which role), when, why."""

    __tablename__ = "improvement_event"

    id: int = Field(default=None, primary_key=True)
    subject: str = Field(max_length=16)  # pip | cip | change | rating
    subject_id: int = Field(index=True)
    at: datetime = utc_column()
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    role: str = Field(default="", max_length=24)
    state: str = Field(max_length=32)  # what it became, or what was done (milestone.0 done …)
    note: str = Field(default="", max_length=2000)
