"""Hours delivered per case at each complexity level against the planned average, and the capacity implied."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from commissioning.analytics.frames import (
    Period,
    period_keys,
    ratio,
    require_columns,
    require_non_negative,
)

HOURS_COLUMNS = ("contract", "month", "level", "cases", "hours")
OVER_PLAN = "capacity warning"
WITHIN_PLAN = "within plan"
NO_CASES = "no cases"


def hours_by_level(
    delivery: pd.DataFrame,
    planned: Mapping[str, float],
    period: Period = "quarter",
    *,
    start_month: int = 4,
) -> pd.DataFrame:
    """Per contract, period and complexity level: hours per case against plan, the capacity and a status.

    `delivery` has one row per contract, month and level with the cases worked and hours delivered;
    `planned` is the planned average hours per case at each level. `capacity` is planned / delivered
    hours per case: the share of the profiled cases the provider can take at the hours it is delivering
    (20 hours against a planned 10 → 0.5). Delivery above plan is a capacity warning, never green.
    """
    require_columns(delivery, HOURS_COLUMNS, "hours")
    require_non_negative(delivery, ("cases", "hours"), "hours")
    levels = delivery["level"].astype(str)
    unplanned = sorted(set(levels) - set(planned))
    if unplanned:
        raise ValueError(f"no planned hours per case for level(s): {', '.join(unplanned)}")
    if any(not hours > 0 for hours in planned.values()):
        raise ValueError("planned hours per case must be more than zero")
    frame = pd.DataFrame(
        {
            "contract": delivery["contract"].astype(str),
            "period": period_keys(delivery["month"], period, start_month),
            "level": levels,
            "cases": delivery["cases"].astype(int),
            "hours": delivery["hours"].astype(float),
        }
    )
    totals = frame.groupby(["contract", "period", "level"], as_index=False, sort=True)[
        ["cases", "hours"]
    ].sum()
    totals["hours_per_case"] = ratio(totals["hours"], totals["cases"])
    totals["planned_hours_per_case"] = totals["level"].map(dict(planned)).astype(float)
    totals["capacity"] = ratio(totals["planned_hours_per_case"], totals["hours_per_case"])
    totals["over_plan"] = totals["hours_per_case"] > totals["planned_hours_per_case"]
    totals["status"] = WITHIN_PLAN
    totals.loc[totals["over_plan"], "status"] = OVER_PLAN
    totals.loc[totals["hours_per_case"].isna(), "status"] = NO_CASES
    return totals.reset_index(drop=True)


def cases_supported(capacity: pd.DataFrame, profiled: Mapping[str, int]) -> pd.DataFrame:
    """The cases each level can take at the delivered hours: the profiled cases times the capacity, rounded down.

    `capacity` is a frame from hours_by_level; `profiled` the cases the contract profiled at each level.
    Capacity above 1 (delivery under plan) is not counted as room for more than the profile.
    """
    require_columns(capacity, ("level", "capacity"), "capacity")
    frame = capacity.copy()
    frame["profiled_cases"] = frame["level"].map(dict(profiled)).astype(float)
    share = frame["capacity"].clip(upper=1.0)
    frame["supported_cases"] = (frame["profiled_cases"] * share) // 1
    return frame
