"""What a press on a KPI return card carries, and the form's input names."""

from __future__ import annotations

from pydantic import Field, field_validator

from commissioning.periods import Quarter
from dialogs.base import Payload

VALUE_PREFIX = "kpi_"  # a KPI's value input is VALUE_PREFIX + its code
SOURCE_PREFIX = "kpi_source_"  # where the figure comes from
EVIDENCE_PREFIX = "kpi_evidence_"  # the evidence supplied: a link or a document name
COHORT_PREFIX = "cohort_"  # the PbR cohort's figures: cohort_offenders, cohort_reoffenders, cohort_reoffences


class StartKpiReturn(Payload):
    contract_id: int | None = Field(default=None, ge=1)
    quarter: str | None = None

    @field_validator("quarter")
    @classmethod
    def _quarter(cls, value: str | None) -> str | None:
        return None if value is None else Quarter.parse(value).key


class KpiReturnRef(Payload):
    contract_id: int = Field(ge=1)
    quarter: str

    @field_validator("quarter")
    @classmethod
    def _quarter(cls, value: str) -> str:
        return Quarter.parse(value).key


class KpiReturnForm(KpiReturnRef):
    based_on_version: int = Field(default=0, ge=0)
