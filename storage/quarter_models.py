"""Tables of the quarter: the provider's KPI return and its versions, the evidence checklist, the approval."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import json_column, utc_column


class KpiReturn(SQLModel, table=True):
    """One contract's quarterly KPI return for one quarter (`quarter` is its key, '2026Q2'): its versions."""

    __tablename__ = "kpi_return"
    __table_args__ = (UniqueConstraint("contract_id", "quarter"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    quarter: str = Field(max_length=8)
    current_version: int = Field(default=0)
    received_at: datetime | None = utc_column(
        nullable=True, index=True
    )  # the first receipt; kept on amendment
    created_at: datetime = utc_column()


class KpiReturnVersion(SQLModel, table=True):
    """A submitted version: each reported KPI's value, and per KPI its data source and the evidence supplied."""

    __tablename__ = "kpi_return_version"
    __table_args__ = (UniqueConstraint("return_id", "version"),)

    id: int = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="kpi_return.id", index=True)
    version: int
    values: dict[str, Any] = json_column()  # KPI code -> value
    evidence: dict[str, Any] = json_column()  # KPI code -> {"source": ..., "evidence": ...}
    # The PbR cohort, for a contract with PbR terms: {"offenders", "reoffenders", "reoffences"}; NULL: none.
    cohort: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    submitted_by_id: int = Field(foreign_key="person.id")
    received_at: datetime = utc_column()


class KpiEvidenceCheck(SQLModel, table=True):
    """The commissioner's evidence check of one KPI in a quarter: complete, or a gap signed off with a reason."""

    __tablename__ = "kpi_evidence_check"
    __table_args__ = (UniqueConstraint("contract_id", "quarter", "kpi_code"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    quarter: str = Field(max_length=8)
    kpi_code: str = Field(max_length=32)
    state: str = Field(max_length=16)  # an EvidenceState: complete | gap
    reason: str = Field(default="", max_length=1000)
    by_id: int = Field(foreign_key="person.id")
    at: datetime = utc_column()


class OutcomeApproval(SQLModel, table=True):
    """The quarter's outcome payment as approved: computed and approved amounts, why adjusted, who and when."""

    __tablename__ = "outcome_approval"
    __table_args__ = (UniqueConstraint("contract_id", "quarter"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    quarter: str = Field(max_length=8)
    computed_pence: int | None = Field(default=None)  # None: the rules could not work it out
    amount_pence: int
    reason: str = Field(default="", max_length=1000)
    approved_by_id: int = Field(foreign_key="person.id")
    approved_at: datetime = utc_column()


class PerformanceNotice(SQLModel, table=True):
    """A contract year's draft Contract Performance Notice: when drafted, the commissioner's commentary and review."""

    __tablename__ = "performance_notice"
    __table_args__ = (UniqueConstraint("contract_id", "year"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    year: int  # the contract year, 1 for the first
    drafted_at: datetime = utc_column()
    commentary: dict[str, Any] = json_column()  # KPI code -> the commissioner's commentary
    reviewed_by_id: int | None = Field(default=None, foreign_key="person.id")
    reviewed_at: datetime | None = utc_column(nullable=True)
