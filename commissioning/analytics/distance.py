"""Distance travelled: each person's score at start, mid-point and end, and the change per contract and period."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from commissioning.analytics.frames import Period, period_keys, require_columns

SCORE_COLUMNS = ("contract", "person", "point", "month", "score")
POINTS = ("start", "mid", "end")


@dataclass(frozen=True, slots=True)
class Scale:
    """The scale scores are recorded on, e.g. an outcomes star from 1 to 10; higher is better."""

    name: str = "outcomes star"
    low: float = 1.0
    high: float = 10.0

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise ValueError(f"{self.name}: the lowest score must be below the highest")


def person_scores(scores: pd.DataFrame, scale: Scale = Scale()) -> pd.DataFrame:
    """One row per contract and person: start, mid and end scores, the months they were recorded, and changes.

    `scores` has one row per assessment (point is 'start', 'mid' or 'end'). A point not yet recorded is
    NaN, and so is any change that needs it. `end_month` is the month of the end score.
    """
    require_columns(scores, SCORE_COLUMNS, "scores")
    points = scores["point"].astype(str).str.strip().str.lower()
    unknown = sorted(set(points) - set(POINTS))
    if unknown:
        raise ValueError(f"point must be start, mid or end, not: {', '.join(unknown)}")
    values = pd.to_numeric(scores["score"], errors="coerce")
    if bool((values.isna() | (values < scale.low) | (values > scale.high)).any()):
        raise ValueError(f"every score must be on the {scale.name}, from {scale.low:g} to {scale.high:g}")
    frame = pd.DataFrame(
        {
            "contract": scores["contract"].astype(str),
            "person": scores["person"].astype(str),
            "point": points,
            "month": scores["month"].astype(str),
            "score": values.astype(float),
        }
    )
    if bool(frame.duplicated(["contract", "person", "point"]).any()):
        raise ValueError("a person has at most one score at each point")
    wide = frame.pivot(index=["contract", "person"], columns="point", values="score")
    wide = wide.reindex(columns=list(POINTS))
    months = frame.pivot(index=["contract", "person"], columns="point", values="month")
    wide["end_month"] = months.reindex(columns=list(POINTS))["end"]
    wide["start_to_mid"] = wide["mid"] - wide["start"]
    wide["mid_to_end"] = wide["end"] - wide["mid"]
    wide["start_to_end"] = wide["end"] - wide["start"]
    wide.columns.name = None
    return wide.reset_index()


def distance_travelled(
    scores: pd.DataFrame,
    scale: Scale = Scale(),
    period: Period = "quarter",
    *,
    start_month: int = 4,
) -> pd.DataFrame:
    """Per contract and period of the end score: people, mean scores at each point, mean changes, improved.

    Only people with an end score count (their involvement has finished in the period). Means skip a
    missing mid-point. `improved` counts people whose end score is above their start score.
    """
    people = person_scores(scores, scale)
    done = people[people["end"].notna()].copy()
    done["period"] = period_keys(done["end_month"], period, start_month)
    done["improved"] = (done["start_to_end"] > 0).astype(int)
    grouped = done.groupby(["contract", "period"], as_index=False, sort=True)
    summary = grouped.agg(
        people=("person", "count"),
        mean_start=("start", "mean"),
        mean_mid=("mid", "mean"),
        mean_end=("end", "mean"),
        mean_start_to_mid=("start_to_mid", "mean"),
        mean_mid_to_end=("mid_to_end", "mean"),
        mean_start_to_end=("start_to_end", "mean"),
        improved=("improved", "sum"),
    )
    summary["share_of_scale"] = summary["mean_start_to_end"] / (scale.high - scale.low)
    return summary.reset_index(drop=True)
