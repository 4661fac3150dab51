"""The points of a trend chart: one indicator's twelve months from `twelve_month_trend`, ready to draw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd

from commissioning.analytics.frames import require_columns

TREND_COLUMNS = ("contract", "indicator", "month", "value", "minimum", "met")


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One month: its value (None: not reported), the minimum (None: no requirement), whether it was met."""

    month: str
    value: float | None
    minimum: float | None
    met: bool | None


def _optional(column: pd.Series) -> list[object]:
    """The column's values with NaN and pd.NA as None."""
    return [None if pd.isna(v) else v for v in column.astype(object).tolist()]


def trend_points(trend: pd.DataFrame, contract: str, indicator: str) -> tuple[TrendPoint, ...]:
    """The months of one contract's indicator, oldest first; empty when the trend does not have it."""
    require_columns(trend, TREND_COLUMNS, "trend")
    rows = trend[(trend["contract"] == contract) & (trend["indicator"] == indicator)].sort_values("month")
    values, minimums, met = _optional(rows["value"]), _optional(rows["minimum"]), _optional(rows["met"])
    return tuple(
        TrendPoint(
            month=str(month),
            value=None if value is None else float(cast(float, value)),
            minimum=None if minimum is None else float(cast(float, minimum)),
            met=None if hit is None else bool(hit),
        )
        for month, value, minimum, hit in zip(rows["month"].tolist(), values, minimums, met, strict=True)
    )


def months_met(points: tuple[TrendPoint, ...]) -> tuple[int, int]:
    """(months that met the minimum, months with a value that could be rated)."""
    rated = [p.met for p in points if p.met is not None]
    return sum(rated), len(rated)
