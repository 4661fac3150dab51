"""Trends: each indicator over the last twelve months against its minimum, and KPI results quarter on quarter."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from commissioning.analytics.frames import require_columns
from commissioning.indicators import Comparison, IndicatorSpec
from commissioning.periods import Month

VALUE_COLUMNS = ("contract", "indicator", "month", "value")
RESULT_COLUMNS = ("contract", "kpi", "quarter", "result", "target")


def last_twelve_months(last: Month) -> list[str]:
    """The keys of the twelve months ending with `last`, oldest first."""
    months = [last]
    while len(months) < 12:
        months.append(months[-1].previous())
    return [m.key for m in reversed(months)]


def _met(value: pd.Series, limit: pd.Series, at_most: pd.Series) -> pd.Series:
    """Whether each value meets its limit: a nullable boolean, missing where there is no value or no limit."""
    meets = (value >= limit).where(~at_most, value <= limit)
    return meets.astype("boolean").mask(value.isna() | limit.isna())


def twelve_month_trend(values: pd.DataFrame, specs: Sequence[IndicatorSpec], last: Month) -> pd.DataFrame:
    """Per contract and indicator, the twelve months ending with `last`: month, value, minimum, met.

    Ready for a line chart: every month is present, a month with no value is NaN (and met missing).
    `minimum` is the indicator's requirement (a ceiling for an "at most" indicator); met is None
    for an indicator with no requirement. Indicators without a spec are refused.
    """
    require_columns(values, VALUE_COLUMNS, "values")
    by_code = {spec.code: spec for spec in specs}
    codes = values["indicator"].astype(str)
    unknown = sorted(set(codes.unique()) - set(by_code))
    if unknown:
        raise ValueError(f"no indicator spec for: {', '.join(unknown)}")
    frame = pd.DataFrame(
        {
            "contract": values["contract"].astype(str),
            "indicator": codes,
            "month": values["month"].astype(str),
            "value": pd.to_numeric(values["value"], errors="coerce").astype(float),
        }
    )
    if bool(frame.duplicated(["contract", "indicator", "month"]).any()):
        raise ValueError("one value per contract, indicator and month")
    months = last_twelve_months(last)
    pairs = frame[["contract", "indicator"]].drop_duplicates().sort_values(["contract", "indicator"])
    grid = pairs.merge(pd.DataFrame({"month": months}), how="cross")
    trend = grid.merge(frame, on=["contract", "indicator", "month"], how="left")
    minimum = {code: spec.requirement for code, spec in by_code.items()}
    at_most = {code: spec.comparison is Comparison.AT_MOST for code, spec in by_code.items()}
    trend["minimum"] = trend["indicator"].map(minimum).astype(float)
    trend["met"] = _met(trend["value"], trend["minimum"], trend["indicator"].map(at_most).astype(bool))
    return trend[["contract", "indicator", "month", "value", "minimum", "met"]].reset_index(drop=True)


def previous_quarter_keys(quarters: pd.Series) -> pd.Series:
    """'2026Q1' → '2025Q4', '2026Q3' → '2026Q2': the key of the quarter before each."""
    text = quarters.astype(str).str.upper()
    year = text.str.slice(0, 4).astype(int)
    number = text.str.slice(5, 6).astype(int)
    first = number == 1
    previous_year = year - first.astype(int)
    previous_number = (number - 1).where(~first, 4)
    return previous_year.astype(str).str.zfill(4) + "Q" + previous_number.astype(str)


def quarter_on_quarter(results: pd.DataFrame) -> pd.DataFrame:
    """Per contract, KPI and quarter: result, target, met, the previous quarter's result and the change.

    `results` has one row per contract, KPI and quarter key ('2026Q2'); an optional `comparison` column
    holds '>=' (the default) or '<='. `previous` is the result of the quarter immediately before
    (NaN if it was not reported), so a gap is never bridged to an older quarter.
    """
    require_columns(results, RESULT_COLUMNS, "results")
    frame = pd.DataFrame(
        {
            "contract": results["contract"].astype(str),
            "kpi": results["kpi"].astype(str),
            "quarter": results["quarter"].astype(str).str.upper(),
            "result": pd.to_numeric(results["result"], errors="coerce").astype(float),
            "target": pd.to_numeric(results["target"], errors="coerce").astype(float),
        }
    )
    if bool(frame.duplicated(["contract", "kpi", "quarter"]).any()):
        raise ValueError("one result per contract, KPI and quarter")
    at_most = results["comparison"] == Comparison.AT_MOST.value if "comparison" in results else False
    frame["at_most"] = at_most
    frame["met"] = _met(frame["result"], frame["target"], frame["at_most"].astype(bool))
    earlier = frame[["contract", "kpi", "quarter", "result"]].rename(
        columns={"quarter": "previous_quarter", "result": "previous"}
    )
    frame["previous_quarter"] = previous_quarter_keys(frame["quarter"])
    joined = frame.merge(earlier, on=["contract", "kpi", "previous_quarter"], how="left")
    joined["change"] = joined["result"] - joined["previous"]
    joined = joined.sort_values(["contract", "kpi", "quarter"])
    columns = ["contract", "kpi", "quarter", "result", "target", "met", "previous", "change"]
    return joined[columns].reset_index(drop=True)
