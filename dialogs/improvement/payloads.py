"""What a press on an improvement card carries: the typed button payloads and the forms' sizes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from commissioning.periods import Quarter
from dialogs.base import Payload

STEP_ROWS = 3  # action and milestone rows on a plan or item form
NOTE_MAX = 2000


class ContractPick(Payload):
    contract_id: int | None = Field(default=None, ge=1)


class PipOpen(Payload):
    """Open a plan's form: from a flagged miss on a meeting's card (code and meeting given) or a command."""

    contract_id: int | None = Field(default=None, ge=1)
    code: str | None = Field(default=None, max_length=48)
    meeting_id: int | None = Field(default=None, ge=1)


class PipAgree(Payload):
    contract_id: int = Field(ge=1)
    meeting_id: int | None = Field(default=None, ge=1)


class PipRef(Payload):
    pip_id: int = Field(ge=1)


class PipStepRef(Payload):
    pip_id: int = Field(ge=1)
    part: Literal["action", "milestone"]
    number: int = Field(ge=0, le=50)


class CipAdd(Payload):
    contract_id: int = Field(ge=1)


class CipRef(Payload):
    cip_id: int = Field(ge=1)


class CipStepRef(Payload):
    cip_id: int = Field(ge=1)
    number: int = Field(ge=0, le=50)


class ChangeRaise(Payload):
    contract_id: int = Field(ge=1)


class ChangeRef(Payload):
    change_id: int = Field(ge=1)


class RatingOpen(Payload):
    return_id: int = Field(ge=1)


class KpiRatingRef(Payload):
    """A quarter's KPI card, to answer one of its red or amber KPIs."""

    contract_id: int = Field(ge=1)
    quarter: str = Field(max_length=8)

    @field_validator("quarter")
    @classmethod
    def _quarter(cls, value: str) -> str:
        return Quarter.parse(value).key


class KpiRatingOpen(KpiRatingRef):
    code: str | None = Field(default=None, max_length=48)  # the KPI whose "Answer this rating" was pressed


class RatingRule(Payload):
    response_id: int = Field(ge=1)
    ruling: Literal["upheld", "rejected"]
