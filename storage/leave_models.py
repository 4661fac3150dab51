"""SQLModel table for leave: a person away from a first to a last day, with a delegate per contract."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.models import utc_column


class LeaveRecord(SQLModel, table=True):
    """A person's leave (both days included); `delegates` maps a contract id (as text) to a person id."""

    __tablename__ = "leave"

    id: int = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    starts_on: date
    ends_on: date = Field(index=True)
    delegates: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    recorded_by_id: int | None = Field(default=None, foreign_key="person.id")  # None: `steward leave`
    recorded_at: datetime = utc_column()
