"""Shared helpers for the analytics: column checks and period keys computed column-wise."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pandas as pd

Period = Literal["month", "quarter"]


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ValueError naming every column `frame` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s): {', '.join(missing)}")


def require_non_negative(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ValueError if any of `columns` holds a negative or missing number."""
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        if bool(values.isna().any()) or bool((values < 0).any()):
            raise ValueError(f"{what}: {column} must be a number of zero or more in every row")


def quarter_keys(months: pd.Series, start_month: int = 4) -> pd.Series:
    """'2026-05' → '2026Q1' for contract years starting in April: the same keys as periods.Quarter.key."""
    dates = pd.to_datetime(months.astype(str), format="%Y-%m")
    year, month = dates.dt.year, dates.dt.month
    contract_year = year - (month < start_month).astype(int)
    number = (month - start_month) % 12 // 3 + 1
    return contract_year.astype(str).str.zfill(4) + "Q" + number.astype(str)


def period_keys(months: pd.Series, period: Period, start_month: int = 4) -> pd.Series:
    """The reporting period of each month: the month key itself, or its contract-year quarter."""
    if period == "month":
        return months.astype(str)
    if period == "quarter":
        return quarter_keys(months, start_month)
    raise ValueError(f"period must be 'month' or 'quarter', not {period!r}")


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as floats, NaN where the denominator is zero (nothing to divide)."""
    top = numerator.astype(float)
    bottom = denominator.astype(float)
    return top.div(bottom.where(bottom != 0))
