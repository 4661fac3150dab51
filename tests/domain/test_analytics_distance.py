"""Worked examples for distance travelled on an outcomes star and on a configured scale."""

import math

import pandas as pd
import pytest

from commissioning.analytics.distance import Scale, distance_travelled, person_scores

# Three people on a 1–10 outcomes star, each ending in May 2026 (2026Q1 of an April contract year):
#   Asha  3 → 5 → 8   start→mid +2, mid→end +3, start→end +5
#   Ben   4 → 4 → 6   start→mid  0, mid→end +2, start→end +2
#   Cara  6 → 7 → 5   start→mid +1, mid→end -2, start→end -1
THREE = [
    ("CRS", "asha", "start", "2026-01", 3),
    ("CRS", "asha", "mid", "2026-03", 5),
    ("CRS", "asha", "end", "2026-05", 8),
    ("CRS", "ben", "start", "2026-02", 4),
    ("CRS", "ben", "mid", "2026-03", 4),
    ("CRS", "ben", "end", "2026-05", 6),
    ("CRS", "cara", "start", "2026-02", 6),
    ("CRS", "cara", "mid", "2026-04", 7),
    ("CRS", "cara", "end", "2026-05", 5),
]


def scores(rows: list[tuple[str, str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["contract", "person", "point", "month", "score"])


def test_each_persons_changes_between_the_points() -> None:
    people = person_scores(scores(THREE))
    assert people[["person", "start_to_mid", "mid_to_end", "start_to_end"]].values.tolist() == [
        ["asha", 2.0, 3.0, 5.0],
        ["ben", 0.0, 2.0, 2.0],
        ["cara", 1.0, -2.0, -1.0],
    ]


def test_three_people_aggregate_to_the_mean_change_between_each_pair_of_points() -> None:
    # start→mid (2+0+1)/3 = 1, mid→end (3+2-2)/3 = 1, start→end (5+2-1)/3 = 2; two of three improved.
    row = distance_travelled(scores(THREE)).iloc[0]
    assert (row["contract"], row["period"], row["people"]) == ("CRS", "2026Q1", 3)
    assert (row["mean_start"], row["mean_mid"], row["mean_end"]) == (13 / 3, 16 / 3, 19 / 3)
    assert (row["mean_start_to_mid"], row["mean_mid_to_end"], row["mean_start_to_end"]) == (1.0, 1.0, 2.0)
    assert row["improved"] == 2


def test_the_change_as_a_share_of_the_scale() -> None:
    # A mean of +2 on a 1–10 star is 2/9 of the scale.
    assert distance_travelled(scores(THREE)).iloc[0]["share_of_scale"] == 2 / 9


def test_someone_without_an_end_score_is_not_yet_counted() -> None:
    rows = [*THREE, ("CRS", "dev", "start", "2026-04", 2)]
    assert distance_travelled(scores(rows)).iloc[0]["people"] == 3
    dev = person_scores(scores(rows)).set_index("person").loc["dev"]
    assert math.isnan(dev["end"]) and math.isnan(dev["start_to_end"])


def test_a_missing_mid_point_leaves_start_to_end_and_skips_the_mid_means() -> None:
    rows = [("CRS", "eli", "start", "2026-04", 2), ("CRS", "eli", "end", "2026-06", 5)]
    row = distance_travelled(scores(rows)).iloc[0]
    assert row["mean_start_to_end"] == 3.0 and math.isnan(row["mean_mid_to_end"])


def test_a_configured_scale_accepts_its_own_range() -> None:
    rows = [("CRS", "fay", "start", "2026-04", 0), ("CRS", "fay", "end", "2026-04", 4)]
    row = distance_travelled(scores(rows), Scale("wellbeing", 0, 4), "month").iloc[0]
    assert (row["period"], row["mean_start_to_end"], row["share_of_scale"]) == ("2026-04", 4.0, 1.0)


def test_a_score_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="from 1 to 10"):
        person_scores(scores([("CRS", "gus", "start", "2026-04", 11)]))


def test_an_unknown_point_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="halfway"):
        person_scores(scores([("CRS", "gus", "halfway", "2026-04", 5)]))


def test_two_scores_at_the_same_point_are_refused() -> None:
    rows = [("CRS", "hal", "start", "2026-04", 5), ("CRS", "hal", "start", "2026-05", 6)]
    with pytest.raises(ValueError, match="at most one"):
        person_scores(scores(rows))
