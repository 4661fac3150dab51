"""What a press on the KPI card carries, and the card's input names."""

from __future__ import annotations

from pydantic import Field, field_validator

from commissioning.periods import Quarter
from dialogs.base import Payload

STATE_PREFIX = "evidence_"  # a KPI's checklist choice is STATE_PREFIX + its code
REASON_PREFIX = "evidence_reason_"  # why a gap is accepted
AMOUNT = "approve_amount"
REASON = "approve_reason"


def _key(value: str) -> str:
    return Quarter.parse(value).key


class StartQuarter(Payload):
    contract_id: int | None = Field(default=None, ge=1)
    quarter: str | None = None

    @field_validator("quarter")
    @classmethod
    def _quarter(cls, value: str | None) -> str | None:
        return None if value is None else _key(value)


class QuarterRef(Payload):
    contract_id: int = Field(ge=1)
    quarter: str

    @field_validator("quarter")
    @classmethod
    def _quarter(cls, value: str) -> str:
        return _key(value)


class ApprovePayment(QuarterRef):
    adjusted: bool = False  # False: approve the computed payment; True: the typed amount, with a reason
