"""Go/no-go configuration rules: default thresholds, the stored copy of a factor set, size limits, export details."""

from __future__ import annotations

from fractions import Fraction

import pytest

from commissioning.export import evaluation_frames
from commissioning.gonogo import (
    DEFAULT_THRESHOLDS,
    MAX_FACTORS,
    AssessorScore,
    FactorSetError,
    Rating,
    Recommendation,
    Thresholds,
    default_factor_set,
    evaluate,
    factor_set_from_dict,
    factor_set_to_dict,
    load_factor_sets,
)

OWN_THRESHOLDS = """
factor_sets:
  strict:
    name: Strict set
    thresholds: {go_at_least: 0.8}
    groups:
      - key: only
        name: Only group
        factors:
          - {key: money, text: Value for money, weight: 1.5}
          - {key: fit, text: Strategic fit}
  plain:
    name: Plain set
    groups:
      - key: only
        name: Only group
        factors:
          - {key: fit, text: Strategic fit}
"""
LOWER = Thresholds(go_at_least=Fraction(3, 5), no_go_below=Fraction(2, 5))


def test_configured_default_thresholds_apply_to_the_built_in_set() -> None:
    sets = load_factor_sets(default_thresholds=LOWER)

    assert sets["re_procurement"].thresholds == LOWER
    assert load_factor_sets()["re_procurement"].thresholds == DEFAULT_THRESHOLDS
    # all Neutral is 60%: a review by default, a go under the lower line
    scores = [AssessorScore("ann", f.key, Rating.NEUTRAL) for f in default_factor_set().factors]
    assert evaluate(sets["re_procurement"], scores).recommendation is Recommendation.GO


def test_a_sets_own_thresholds_win_and_the_side_it_leaves_out_comes_from_the_defaults() -> None:
    sets = load_factor_sets(OWN_THRESHOLDS, default_thresholds=LOWER)

    assert sets["strict"].thresholds == Thresholds(Fraction(4, 5), Fraction(2, 5))
    assert sets["plain"].thresholds == LOWER


def test_a_stored_factor_set_comes_back_exactly() -> None:
    strict = load_factor_sets(OWN_THRESHOLDS)["strict"]

    stored = factor_set_to_dict(strict)

    assert stored["thresholds"] == {"go_at_least": "4/5", "no_go_below": "1/2"}
    assert stored["groups"][0]["factors"][0] == {"key": "money", "text": "Value for money", "weight": "3/2"}
    assert factor_set_from_dict(stored) == strict
    assert factor_set_from_dict(factor_set_to_dict(default_factor_set())) == default_factor_set()


def test_a_damaged_stored_factor_set_is_reported() -> None:
    stored = factor_set_to_dict(default_factor_set())
    del stored["groups"][0]["factors"][0]["weight"]

    with pytest.raises(FactorSetError, match="stored factor set is damaged"):
        factor_set_from_dict(stored)


def test_factor_text_longer_than_a_card_can_show_is_refused() -> None:
    text = OWN_THRESHOLDS.replace("text: Strategic fit}\n  plain", "text: " + "x" * 301 + "}\n  plain", 1)

    with pytest.raises(FactorSetError, match="factor 'fit': text is 301 characters; keep it to 300 or fewer"):
        load_factor_sets(text)


def test_a_set_with_too_many_factors_is_refused() -> None:
    factors = "".join(f"          - {{key: f{i}, text: Factor {i}}}\n" for i in range(MAX_FACTORS + 1))
    text = f"factor_sets:\n  huge:\n    name: Huge\n    groups:\n      - key: g\n        name: G\n        factors:\n{factors}"

    with pytest.raises(
        FactorSetError, match=f"has {MAX_FACTORS + 1} factors; a set may have at most {MAX_FACTORS}"
    ):
        load_factor_sets(text)


def test_export_details_head_the_summary_sheet() -> None:
    result = evaluate(default_factor_set(), [], assessors=["7"])

    summary = evaluation_frames(result, {"7": "Ann"}, [("Evaluation", "=Re-procure?"), ("Evaluation id", 4)])[
        "Summary"
    ]

    assert summary.values.tolist()[:3] == [
        ["Evaluation", "=Re-procure?"],  # made safe when written, like every other cell
        ["Evaluation id", 4],
        ["Factor set", "Go/no-go evaluation before re-procuring a service"],
    ]
