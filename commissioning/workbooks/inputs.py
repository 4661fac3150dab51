"""What the report workbooks are built from: plain data gathered from the database by the caller."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from commissioning.analytics.frames import require_columns
from commissioning.indicators import IndicatorSpec
from commissioning.periods import Month

VALUE_COLUMNS = ("indicator", "month", "value")
"""The values frame: one row per indicator code and month key ('2026-04') of a submitted return's current
version."""


@dataclass(frozen=True, slots=True)
class ContractHeading:
    """The contract as the title rows name it."""

    key: str
    name: str
    commissioner: str
    provider: str
    starts_on: date
    ends_on: date
    year_start_month: int = 4

    @property
    def title(self) -> str:
        return f"{self.key}: {self.name}"

    @property
    def parties(self) -> str:
        return f"Commissioner {self.commissioner}; provider {self.provider}"


@dataclass(frozen=True, slots=True)
class MonthCommentary:
    """A submitted monthly return's narrative: the month, which version, when it arrived."""

    month: Month
    version: int
    received_on: date | None
    narrative: str


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One action in the log, as the meeting pack lists it."""

    number: int
    description: str
    owner: str
    due_on: date
    status: str  # the words people read: Open, In progress, Done
    level: str
    progress: str = ""
    closed_on: date | None = None
    overdue: bool = False


@dataclass(frozen=True, slots=True)
class DeliverableRow:
    """One required deliverable for the quarter and what the provider said about it."""

    title: str
    status: str  # Supplied, Not applicable, Missing
    where: str = ""
    note: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Indicators:
    """A contract's monthly PIs, in their order, and the values its returns gave them."""

    specs: Sequence[IndicatorSpec]
    values: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(VALUE_COLUMNS)))

    def grid(self, months: Sequence[Month]) -> pd.DataFrame:
        """One row per PI code (in order), one column per month key; NaN where no value was given."""
        require_columns(self.values, VALUE_COLUMNS, "values")
        keys = [month.key for month in months]
        codes = [spec.code for spec in self.specs]
        if self.values.empty:
            return pd.DataFrame(float("nan"), index=codes, columns=keys)
        frame = self.values.assign(
            indicator=self.values["indicator"].astype(str),
            month=self.values["month"].astype(str),
            value=pd.to_numeric(self.values["value"], errors="coerce").astype(float),
        )
        wide = frame.pivot_table(index="indicator", columns="month", values="value", aggfunc="last")
        return wide.reindex(index=codes, columns=keys).astype(float)
