"""SQLModel tables for reminders: snoozes, acknowledgements, and the lease that elects the one scheduler."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import utc_column


class ReminderSnooze(SQLModel, table=True):
    """A person asked not to be reminded about a subject until a time (the next working morning)."""

    __tablename__ = "reminder_snooze"
    __table_args__ = (UniqueConstraint("person_id", "subject"),)

    id: int = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    subject: str = Field(max_length=200)
    until: datetime = utc_column()
    created_at: datetime = utc_column()


class ReminderAcknowledgement(SQLModel, table=True):
    """A person acknowledged a reminder: no more reminders before that deadline, and escalations say so."""

    __tablename__ = "reminder_ack"
    __table_args__ = (UniqueConstraint("person_id", "subject", "due_on"),)

    id: int = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    subject: str = Field(max_length=200)
    due_on: date
    notification_key: str = Field(max_length=400)
    at: datetime = utc_column()


class SchedulerLease(SQLModel, table=True):
    """Who runs the scheduler's jobs: the one replica whose lease has not expired."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True, max_length=64)
    owner: str = Field(max_length=200)
    expires_at: datetime = utc_column()
