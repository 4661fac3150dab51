"""SQLModel tables for meetings, attendance, the action log with its history, and quarterly deliverables."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from commissioning.actions import ActionStatus
from storage.models import json_column, utc_column
from storage.statuses import MeetingStatus


def json_list_column() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Meeting(SQLModel, table=True):
    """A monthly performance review or quarterly contract meeting: scheduled, then recorded as held."""

    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("contract_id", "kind", "period_start"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    kind: str = Field(max_length=24)  # monthly_review | quarterly_contract
    period_start: date  # first day of the month (monthly) or quarter (quarterly) under review
    period_label: str = Field(max_length=40)
    return_id: int | None = Field(default=None, foreign_key="monthly_return.id")
    status: str = Field(default=MeetingStatus.SCHEDULED, max_length=16, index=True)  # a MeetingStatus
    deadline_on: date | None = None
    deadline_at: datetime | None = utc_column(nullable=True)
    scheduled_for: datetime | None = utc_column(nullable=True, index=True)
    location: str = Field(default="", max_length=200)
    late_reason: str = Field(default="", max_length=1000)
    scheduled_by_id: int | None = Field(default=None, foreign_key="person.id")
    scheduled_at: datetime | None = utc_column(nullable=True)
    held_at: datetime | None = utc_column(nullable=True)
    recorded_by_id: int | None = Field(default=None, foreign_key="person.id")
    recorded_at: datetime | None = utc_column(nullable=True)
    return_version: int = Field(default=0)
    pi_review: list[dict[str, Any]] = json_list_column()
    kpi_review: list[dict[str, Any]] = json_list_column()
    decisions: str = Field(default="", max_length=4000)
    requirements_met: bool | None = None
    fee_decision: str = Field(default="", max_length=16)  # signed_off | withheld
    fee_reason: str = Field(default="", max_length=1000)
    deep_dive_focus: str = Field(default="", max_length=1000)
    notice_kind: str = Field(default="", max_length=24)  # audit | monitoring_visit
    notice_on: date | None = None
    notice_note: str = Field(default="", max_length=1000)
    created_at: datetime = utc_column()
    # The calendar invitation's SEQUENCE: 0 when first sent, one more each time the meeting moves.
    invite_sequence: int = Field(default=0)


class MeetingAttendance(SQLModel, table=True):
    """Who was invited to a held meeting, in which seats, and whether they came."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    seats: str = Field(default="", max_length=400)
    status: str = Field(max_length=16)  # attended | apologies | absent


class ActionItem(SQLModel, table=True):
    """One entry in a contract's action log: what, who, by when, and where it stands."""

    __tablename__ = "action_item"

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    description: str = Field(max_length=1000)
    owner_id: int = Field(foreign_key="person.id", index=True)
    due_on: date
    status: str = Field(default=ActionStatus.OPEN, max_length=16, index=True)  # an ActionStatus
    level: str = Field(default="monthly_review", max_length=24)  # escalation path position
    progress: str = Field(default="", max_length=2000)
    carried_to: str = Field(default="", max_length=60)  # the quarter whose meeting it was carried to
    escalated_at: datetime | None = utc_column(nullable=True)
    requested_due_on: date | None = None
    request_reason: str = Field(default="", max_length=2000)
    requested_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    closed_at: datetime | None = utc_column(nullable=True)


class ActionEvent(SQLModel, table=True):
    """The action's history: every change, who made it and when, before and after."""

    __tablename__ = "action_event"

    id: int = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action_item.id", index=True)
    at: datetime = utc_column()
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    kind: str = Field(max_length=32)
    note: str = Field(default="", max_length=2000)
    before: dict[str, Any] = json_column()
    after: dict[str, Any] = json_column()


class DeliverableRecord(SQLModel, table=True):
    """The provider's entry for one required deliverable in one contract quarter; no row means missing."""

    __tablename__ = "deliverable"
    __table_args__ = (UniqueConstraint("contract_id", "quarter_start", "code"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    quarter_start: date
    code: str = Field(max_length=48)
    status: str = Field(max_length=16)  # supplied | not_applicable
    location: str = Field(default="", max_length=500)  # a link or a file name
    note: str = Field(default="", max_length=1000)
    reason: str = Field(default="", max_length=1000)
    updated_by_id: int = Field(foreign_key="person.id")
    updated_at: datetime = utc_column()
