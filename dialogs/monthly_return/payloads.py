"""What a press on a return card carries: the typed button payloads and the form's input names and bounds."""

from __future__ import annotations

from pydantic import Field, field_validator

from commissioning.periods import Month
from dialogs.base import Payload

NARRATIVE_MAX = 4000
NARRATIVE_MIN = 10  # a submitted narrative has at least this many characters (a draft may have fewer)
INPUT_PREFIX = "pi_"  # an indicator's input is INPUT_PREFIX + its code
ENTRY_MAX = 100  # an entry is cut to this many characters, so a huge one is refused beside its field


class StartReturn(Payload):
    contract_id: int | None = Field(default=None, ge=1)
    month: str | None = None


class ReturnRef(Payload):
    contract_id: int = Field(ge=1)
    month: str

    @field_validator("month")
    @classmethod
    def _month(cls, value: str) -> str:
        return Month.parse(value).key


class ReturnForm(ReturnRef):
    based_on_version: int = Field(default=0, ge=0)


class ViewReturn(Payload):
    return_id: int = Field(ge=1)
    version: int | None = Field(default=None, ge=1)


class ReturnList(Payload):
    contract_id: int | None = Field(default=None, ge=1)
    page: int = Field(default=0, ge=0, le=1000)


class MonthChoice(Payload):
    contract_id: int = Field(ge=1)


class RefreshReturn(Payload):
    """A shared return card's `refresh`: which return and version it shows; who is asking comes from Teams."""

    return_id: int = Field(ge=1)
    version: int = Field(ge=1)
