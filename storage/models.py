"""SQLModel tables: the database is the source of truth for everything Steward knows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from storage.statuses import NotificationStatus, ReturnStatus


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always hands back aware UTC datetimes (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_column(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable, index=index))


def json_column() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Organisation(SQLModel, table=True):
    # Every table's id is typed int: it is None only until the flush, when the database assigns it.
    id: int = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)  # commissioner | provider
    # Its own seats at each meeting, by meeting kind (commissioning/seats.py); NULL: seed 001's.
    seats: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Person(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(max_length=200)
    job_title: str = Field(default="", max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    aad_object_id: str | None = Field(default=None, index=True, unique=True, max_length=64)
    tenant_id: str | None = Field(default=None, max_length=64)
    teams_user_id: str | None = Field(default=None, index=True, max_length=200)
    manager_id: int | None = Field(default=None, foreign_key="person.id")
    is_administrator: bool = Field(default=False)
    unreachable_since: datetime | None = utc_column(nullable=True)


class Contract(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=200)
    service: str = Field(default="", max_length=200)
    commissioner_org_id: int = Field(foreign_key="organisation.id")
    provider_org_id: int = Field(foreign_key="organisation.id")
    starts_on: date
    ends_on: date
    value_pence: int = Field(default=0)
    outcome_share: float = Field(default=0.0)
    year_start_month: int = Field(default=4)
    # The contract's own reminder delays, laid over the policy file (commissioning/reminder_policy.py).
    reminders: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # This contract's own seats at each meeting, by meeting kind, in place of its organisations'.
    seats: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The portfolio file's KPI definitions, as `Kpi.model_dump(mode="json")`; NULL: none (docs/quarter.md).
    kpis: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The portfolio file's fee for service and PbR terms, as `PaymentTerms.model_dump(mode="json")`;
    # NULL: none (commissioning/quarter/payment_terms.py).
    payment_terms: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ContractRole(SQLModel, table=True):
    __tablename__ = "contract_role"
    __table_args__ = (UniqueConstraint("contract_id", "person_id", "role"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=32)


class Indicator(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("contract_id", "code"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=1000)
    frequency: str = Field(max_length=16)  # monthly | quarterly
    kind: str = Field(max_length=16)
    unit: str = Field(default="", max_length=32)
    minimum: float | None = None
    maximum: float | None = None
    requirement: float | None = None
    comparison: str = Field(default=">=", max_length=2)
    amber_margin: float = Field(default=0.0)
    position: int = Field(default=0)
    active: bool = Field(default=True)


class ReportingPeriod(SQLModel, table=True):
    __tablename__ = "reporting_period"
    __table_args__ = (UniqueConstraint("contract_id", "kind", "starts_on"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    kind: str = Field(max_length=16)  # month | quarter
    starts_on: date
    ends_on: date
    label: str = Field(max_length=40)


class MonthlyReturn(SQLModel, table=True):
    """One contract's return for one month: a working draft plus the submitted versions."""

    __tablename__ = "monthly_return"
    __table_args__ = (UniqueConstraint("contract_id", "period_id"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    period_id: int = Field(foreign_key="reporting_period.id", index=True)
    status: str = Field(default=ReturnStatus.DRAFT, max_length=16)  # a ReturnStatus
    current_version: int = Field(default=0)
    draft_values: dict[str, Any] = json_column()
    draft_narrative: str = Field(default="", max_length=4000)
    draft_saved_at: datetime | None = utc_column(nullable=True)
    draft_saved_by_id: int | None = Field(default=None, foreign_key="person.id")
    received_at: datetime | None = utc_column(nullable=True, index=True)
    clock_started_at: datetime | None = utc_column(nullable=True)
    created_at: datetime = utc_column()


class ReturnVersion(SQLModel, table=True):
    __tablename__ = "return_version"
    __table_args__ = (UniqueConstraint("return_id", "version"),)

    id: int = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="monthly_return.id", index=True)
    version: int
    narrative: str = Field(default="", max_length=4000)
    submitted_by_id: int = Field(foreign_key="person.id")
    received_at: datetime = utc_column()
    restarts_clock: bool = Field(default=False)  # always False: an amendment never restarts the clock


class ReturnValue(SQLModel, table=True):
    __tablename__ = "return_value"
    __table_args__ = (UniqueConstraint("version_id", "indicator_id"),)

    id: int = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="return_version.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    value: float


class ConversationRef(SQLModel, table=True):
    """Where the bot can reach someone (a 1:1 chat) or a contract team (a channel) proactively."""

    __tablename__ = "conversation_ref"

    id: int = Field(default=None, primary_key=True)
    conversation_id: str = Field(index=True, unique=True, max_length=400)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    contract_id: int | None = Field(default=None, foreign_key="contract.id", index=True)
    scope: str = Field(default="personal", max_length=16)  # personal | channel
    service_url: str = Field(max_length=400)
    channel_id: str = Field(default="msteams", max_length=32)
    tenant_id: str | None = Field(default=None, max_length=64)
    bot_id: str = Field(default="", max_length=200)
    user_id: str | None = Field(default=None, max_length=200)
    updated_at: datetime = utc_column()


class ProcessedActivity(SQLModel, table=True):
    """Activity ids already acted on: Teams redelivers what it thinks timed out."""

    __tablename__ = "processed_activity"

    key: str = Field(primary_key=True, max_length=500)
    processed_at: datetime = utc_column()
    response: dict[str, Any] = json_column()


class Notification(SQLModel, table=True):
    """The outbox: every proactive message, written in the same transaction as the change behind it."""

    id: int = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=400)
    kind: str = Field(max_length=64)
    recipient_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    contract_id: int | None = Field(default=None, foreign_key="contract.id")
    payload: dict[str, Any] = json_column()
    status: str = Field(default=NotificationStatus.PENDING, max_length=16, index=True)  # a NotificationStatus
    attempts: int = Field(default=0)
    urgent: bool = Field(default=False)
    not_before: datetime = utc_column(index=True)
    created_at: datetime = utc_column()
    sent_at: datetime | None = utc_column(nullable=True)
    activity_id: str | None = Field(default=None, max_length=400)
    last_error: str = Field(default="", max_length=1000)
    # The chat it was delivered to, and when Teams said its person read it (a read receipt).
    conversation_id: str | None = Field(default=None, max_length=400)
    read_at: datetime | None = utc_column(nullable=True)


class DeliveryEvent(SQLModel, table=True):
    """The delivery ledger: one thing that happened to a notification after it was queued, and why."""

    __tablename__ = "delivery_event"

    id: int = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notification.id", index=True)
    at: datetime = utc_column(index=True)
    status: str = Field(max_length=16)  # a DeliveryStatus
    http_status: int | None = None
    reason: str = Field(default="", max_length=1000)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int = Field(default=None, primary_key=True)
    at: datetime = utc_column(index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    contract_id: int | None = Field(default=None, foreign_key="contract.id", index=True)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=64)
    entity_id: str = Field(default="", max_length=64)
    before: dict[str, Any] = json_column()
    after: dict[str, Any] = json_column()
