"""Go/no-go evaluation rules: factor sets, score validation, totals, ties, missing scores and drivers."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from commissioning.gonogo import (
    DEFAULT_FACTOR_SET,
    DEFAULT_THRESHOLDS,
    AssessorScore,
    Direction,
    FactorSet,
    FactorSetError,
    Rating,
    Recommendation,
    Thresholds,
    as_decimal,
    default_factor_set,
    evaluate,
    format_share,
    load_factor_sets,
    parse_rating,
    validate_score,
)

N, M, P = Rating.NEGATIVE, Rating.NEUTRAL, Rating.POSITIVE

DEFAULT_KEYS = [
    "value_for_money",
    "office_capacity",
    "quality_of_service",
    "history_with_client",
    "competition",
    "expand_expertise",
    "strategic_fit",
    "stakeholder_reaction",
]

SMALL_YAML = """
factor_sets:
  small:
    name: Small test set
    groups:
      - key: resources
        name: Time and resource factors
        factors:
          - key: money
            text: Value for money
            weight: 2
          - key: quality
            text: Quality of service
      - key: wider
        name: Wider factors
        factors:
          - key: fit
            text: Strategic fit
"""


def small_set() -> FactorSet:
    return load_factor_sets(SMALL_YAML)["small"]


def one_assessor(ratings: list[Rating], assessor: str = "ann") -> list[AssessorScore]:
    """Scores for the default set's factors in order, each with a rationale."""
    return [
        AssessorScore(assessor, key, rating, "seen in the health check")
        for key, rating in zip(DEFAULT_KEYS, ratings, strict=True)
    ]


# --- the default factor set ----------------------------------------------------------------------


def test_default_factor_set_is_the_seed_table_in_order() -> None:
    factor_set = default_factor_set()
    assert factor_set.key == DEFAULT_FACTOR_SET == "re_procurement"
    assert factor_set.built_in
    assert [(g.key, g.name) for g in factor_set.groups] == [
        ("time_and_resource", "Time and resource factors"),
        ("deliverability", "Deliverability"),
        ("wider", "Wider factors"),
    ]
    assert [len(g.factors) for g in factor_set.groups] == [2, 4, 2]
    assert [(f.key, f.text) for f in factor_set.factors] == [
        ("value_for_money", "Will re-commissioning the service achieve value for money?"),
        ("office_capacity", "Do we have the right capacity in the office to carry this out?"),
        ("quality_of_service", "Will a new service improve the quality of service?"),
        (
            "history_with_client",
            "What sort of history do we have with the client? Do they pay on time? "
            "Are they difficult or challenging, etc.?",
        ),
        ("competition", "Do we know who the competition is, and can we compete (on paper) against them?"),
        ("expand_expertise", "Would a new service present a possibility to expand our expertise?"),
        ("strategic_fit", "Does this project really fit our corporate strategy and goals?"),
        ("stakeholder_reaction", "How will our stakeholders react?"),
    ]
    assert {f.weight for f in factor_set.factors} == {Fraction(1)}
    assert factor_set.thresholds == DEFAULT_THRESHOLDS


def test_rating_points_are_the_seed_columns() -> None:
    assert [(r.label, r.points) for r in Rating] == [("Negative", 3), ("Neutral", 6), ("Positive", 10)]


# --- one assessor: totals, shares and ties at the thresholds -------------------------------------


@pytest.mark.parametrize(
    ("ratings", "total", "share", "recommendation"),
    [
        # all Neutral: 8 x 6 = 48 of 80
        ([M] * 8, 48, Fraction(3, 5), Recommendation.REVIEW),
        # 2 Positive, 6 Neutral: 20 + 36 = 56 of 80 = 0.70 exactly -> go (inclusive)
        ([P, P, M, M, M, M, M, M], 56, Fraction(7, 10), Recommendation.GO),
        # 3 Positive, 2 Negative, 3 Neutral: 30 + 6 + 18 = 54 of 80, just under 0.70 -> review
        ([P, P, P, N, N, M, M, M], 54, Fraction(27, 40), Recommendation.REVIEW),
        # 4 Negative, 3 Neutral, 1 Positive: 12 + 18 + 10 = 40 of 80 = 0.50 exactly -> review (no-go is strictly below)
        ([N, N, N, N, M, M, M, P], 40, Fraction(1, 2), Recommendation.REVIEW),
        # 3 Negative, 5 Neutral: 9 + 30 = 39 of 80 -> no-go
        ([N, N, N, M, M, M, M, M], 39, Fraction(39, 80), Recommendation.NO_GO),
        # all Positive and all Negative: the two ends of the scale
        ([P] * 8, 80, Fraction(1), Recommendation.GO),
        ([N] * 8, 24, Fraction(3, 10), Recommendation.NO_GO),
    ],
)
def test_one_assessor_worked_examples(
    ratings: list[Rating], total: int, share: Fraction, recommendation: Recommendation
) -> None:
    result = evaluate(default_factor_set(), one_assessor(ratings))
    assert result.total == total
    assert result.maximum == 80
    assert result.share == share
    assert result.recommendation is recommendation
    assert result.provisional is recommendation
    assert result.complete
    assert result.assessors == ("ann",)
    assert result.missing_scores == ()


def test_one_assessor_group_totals() -> None:
    result = evaluate(default_factor_set(), one_assessor([P, N, P, P, M, M, M, M]))
    resources = result.group("time_and_resource")
    deliverability = result.group("deliverability")
    wider = result.group("wider")
    # 10 + 3 = 13 of 20; 10 + 10 + 6 + 6 = 32 of 40; 6 + 6 = 12 of 20; 57 of 80 overall
    assert (resources.total, resources.maximum, resources.share) == (13, 20, Fraction(13, 20))
    assert (deliverability.total, deliverability.maximum, deliverability.share) == (32, 40, Fraction(4, 5))
    assert (wider.total, wider.maximum, wider.share) == (12, 20, Fraction(3, 5))
    assert format_share(resources.share) == "65%"
    assert format_share(result.share) == "71.3%"


def test_drivers_are_the_largest_weighted_deviations_from_neutral_with_ties_in_set_order() -> None:
    result = evaluate(default_factor_set(), one_assessor([P, P, P, N, M, M, M, M]))
    assert [(d.factor.key, d.deviation, d.direction) for d in result.drivers] == [
        ("value_for_money", 4, Direction.TOWARDS_GO),
        ("office_capacity", 4, Direction.TOWARDS_GO),
        ("quality_of_service", 4, Direction.TOWARDS_GO),
    ]


def test_all_neutral_has_no_drivers() -> None:
    assert evaluate(default_factor_set(), one_assessor([M] * 8)).drivers == ()


# --- several assessors, weights and missing scores ----------------------------------------------


def several_assessors() -> list[AssessorScore]:
    return [
        AssessorScore("ann", "money", P, "clear savings"),
        AssessorScore("bob", "money", N, "transition costs eat the savings"),
        # cat has not scored money
        AssessorScore("ann", "quality", M),
        AssessorScore("bob", "quality", P, "new model works elsewhere"),
        AssessorScore("cat", "quality", P, "evidence base has grown"),
        AssessorScore("ann", "fit", M),
        AssessorScore("bob", "fit", M),
        AssessorScore("cat", "fit", M),
    ]


def test_several_assessors_worked_example() -> None:
    result = evaluate(small_set(), several_assessors())
    money, quality, fit = result.factors
    # money: (10 + 3) / 2 = 6.5 over the two who scored it (cat's gap is not a zero), weight 2 -> 13 of 20
    assert (money.mean, money.weighted_score, money.maximum, money.spread) == (Fraction(13, 2), 13, 20, 7)
    assert money.wide_disagreement
    # quality: (6 + 10 + 10) / 3 = 26/3, weight 1 -> 26/3 of 10
    assert (quality.mean, quality.weighted_score, quality.maximum, quality.spread) == (
        Fraction(26, 3),
        Fraction(26, 3),
        10,
        4,
    )
    assert not quality.wide_disagreement
    assert (fit.mean, fit.weighted_score, fit.maximum, fit.spread) == (6, 6, 10, 0)
    # total 13 + 26/3 + 6 = 83/3 of 40 -> 83/120 = 0.6917, just short of a go -> review
    assert result.total == Fraction(83, 3)
    assert result.maximum == 40
    assert result.share == Fraction(83, 120)
    assert result.recommendation is Recommendation.REVIEW
    assert result.complete
    assert result.assessors == ("ann", "bob", "cat")
    assert result.missing_scores == (("cat", "money"),)
    assert result.disagreements == ("money",)
    resources = result.group("resources")
    assert (resources.total, resources.maximum, resources.share) == (Fraction(65, 3), 30, Fraction(13, 18))
    # deviations: quality 26/3 - 6 = 8/3; money (6.5 - 6) x 2 = 1; fit 0 drives nothing
    assert [(d.factor.key, d.deviation, d.direction) for d in result.drivers] == [
        ("quality", Fraction(8, 3), Direction.TOWARDS_GO),
        ("money", Fraction(1), Direction.TOWARDS_GO),
    ]


def test_weights_scale_score_maximum_and_drivers() -> None:
    scores = [
        AssessorScore("ann", "money", N, "no savings"),
        AssessorScore("ann", "quality", P),
        AssessorScore("ann", "fit", M),
    ]
    result = evaluate(small_set(), scores)
    # money 3 x 2 = 6 of 20, quality 10 of 10, fit 6 of 10: 22 of 40 = 0.55 -> review
    assert (result.total, result.maximum, result.share) == (22, 40, Fraction(11, 20))
    assert result.recommendation is Recommendation.REVIEW
    # money (3 - 6) x 2 = -6 outweighs quality +4
    assert [(d.factor.key, d.deviation, d.direction) for d in result.drivers] == [
        ("money", -6, Direction.TOWARDS_NO_GO),
        ("quality", 4, Direction.TOWARDS_GO),
    ]


def test_a_factor_nobody_scored_is_left_out_and_the_result_is_incomplete() -> None:
    scores = [s for s in several_assessors() if s.factor_key != "fit"]
    result = evaluate(small_set(), scores)
    assert result.unscored == ("fit",)
    assert not result.complete
    assert result.recommendation is Recommendation.INCOMPLETE
    # money 13 of 20 + quality 26/3 of 10 = 65/3 of 30 -> 13/18 = 0.72, which would be a go
    assert (result.total, result.maximum, result.share) == (Fraction(65, 3), 30, Fraction(13, 18))
    assert result.provisional is Recommendation.GO
    fit = result.factor("fit")
    assert (fit.scored, fit.mean, fit.weighted_score, fit.maximum, fit.spread) == (False, None, None, 0, None)
    wider = result.group("wider")
    assert (wider.total, wider.maximum, wider.share, wider.unscored) == (0, 0, None, ("fit",))
    assert ("ann", "fit") in result.missing_scores


def test_nothing_scored_yet() -> None:
    result = evaluate(small_set(), [], assessors=["ann", "bob"])
    assert (result.total, result.maximum, result.share) == (0, 0, None)
    assert result.recommendation is Recommendation.INCOMPLETE
    assert result.provisional is None
    assert result.unscored == ("money", "quality", "fit")
    assert result.assessors == ("ann", "bob")
    assert len(result.missing_scores) == 6
    assert result.drivers == ()


def test_named_assessors_who_have_not_scored_are_listed() -> None:
    result = evaluate(small_set(), [AssessorScore("ann", "fit", M)], assessors=["bob", "ann"])
    assert result.assessors == ("bob", "ann")
    assert result.missing_scores == (
        ("bob", "money"),
        ("bob", "quality"),
        ("bob", "fit"),
        ("ann", "money"),
        ("ann", "quality"),
    )


@pytest.mark.parametrize(
    ("ratings", "spread", "flagged"),
    [
        ([N, P], 7, True),
        ([N, M, P], 7, True),
        ([M, P], 4, False),
        ([N, M], 3, False),
        ([N, N], 0, False),
        ([P], 0, False),
    ],
)
def test_wide_disagreement_is_a_negative_beside_a_positive(
    ratings: list[Rating], spread: int, flagged: bool
) -> None:
    scores = [AssessorScore(f"assessor {i}", "fit", r, "why") for i, r in enumerate(ratings)]
    fit = evaluate(small_set(), scores).factor("fit")
    assert (fit.spread, fit.wide_disagreement) == (spread, flagged)


def test_evaluate_refuses_unknown_factor_and_double_score() -> None:
    with pytest.raises(ValueError, match="factor set 'small' has no factor 'speed'"):
        evaluate(small_set(), [AssessorScore("ann", "speed", M)])
    with pytest.raises(ValueError, match="ann has scored 'fit' twice"):
        evaluate(small_set(), [AssessorScore("ann", "fit", M), AssessorScore("ann", "fit", P)])


def test_result_is_frozen() -> None:
    result = evaluate(small_set(), several_assessors())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.recommendation = Recommendation.NO_GO  # type: ignore[misc]


# --- thresholds ----------------------------------------------------------------------------------


def test_default_thresholds() -> None:
    assert DEFAULT_THRESHOLDS.go_at_least == Fraction(7, 10)
    assert DEFAULT_THRESHOLDS.no_go_below == Fraction(1, 2)


@pytest.mark.parametrize(
    ("share", "recommendation"),
    [
        (Fraction(7, 10), Recommendation.GO),
        (Fraction(7, 10) - Fraction(1, 10**9), Recommendation.REVIEW),
        (Fraction(1, 2), Recommendation.REVIEW),
        (Fraction(1, 2) - Fraction(1, 10**9), Recommendation.NO_GO),
    ],
)
def test_ties_go_inclusive_no_go_exclusive(share: Fraction, recommendation: Recommendation) -> None:
    assert DEFAULT_THRESHOLDS.recommend(share) is recommendation


def test_thresholds_from_config_numbers_are_exact() -> None:
    thresholds = Thresholds(go_at_least=0.6, no_go_below="0.4")  # type: ignore[arg-type]
    assert (thresholds.go_at_least, thresholds.no_go_below) == (Fraction(3, 5), Fraction(2, 5))
    # all Neutral is exactly 0.6: a go under these thresholds
    result = evaluate(default_factor_set(), one_assessor([M] * 8), thresholds)
    assert result.recommendation is Recommendation.GO
    assert result.thresholds == thresholds


@pytest.mark.parametrize(
    ("go", "no_go", "message"),
    [
        (0.5, 0.6, "no_go_below \\(60%\\) must not be above go_at_least \\(50%\\)"),
        (1.2, 0.5, "go_at_least must be a share between 0 and 1, got 1.2"),
        (0.7, -0.1, "no_go_below must be a share between 0 and 1, got -0.1"),
        (True, 0.5, "go_at_least must be a share between 0 and 1, got True"),
        ("high", 0.5, "go_at_least must be a share between 0 and 1, got 'high'"),
    ],
)
def test_invalid_thresholds(go: object, no_go: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Thresholds(go_at_least=go, no_go_below=no_go)  # type: ignore[arg-type]


def test_factor_set_thresholds_are_used_unless_others_are_given() -> None:
    text = SMALL_YAML.replace(
        "    name: Small test set\n",
        "    name: Small test set\n    thresholds:\n      go_at_least: 0.6\n      no_go_below: 0.45\n",
    )
    factor_set = load_factor_sets(text)["small"]
    assert factor_set.thresholds == Thresholds(Fraction(3, 5), Fraction(9, 20))
    scores = [AssessorScore("ann", key, M) for key in ("money", "quality", "fit")]
    assert evaluate(factor_set, scores).recommendation is Recommendation.GO
    assert evaluate(factor_set, scores, DEFAULT_THRESHOLDS).recommendation is Recommendation.REVIEW


# --- scores and their rationale ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "rationale", "message"),
    [
        (N, "", "Give a rationale for a Negative score."),
        (N, "   ", "Give a rationale for a Negative score."),
        ("negative", None, "Give a rationale for a Negative score."),
        (N, "The market is thin", None),
        (M, "", None),
        (P, None, None),
        ("Positive", "", None),
        (None, "anything", "Choose Negative, Neutral or Positive."),
        ("excellent", "", "Choose Negative, Neutral or Positive."),
        (10, "", "Choose Negative, Neutral or Positive."),
        (M, "x" * 2000, None),
        (M, "x" * 2001, "Keep the rationale to 2,000 characters or fewer."),
    ],
)
def test_validate_score(rating: object, rationale: str | None, message: str | None) -> None:
    assert validate_score(rating, rationale) == message


def test_a_negative_score_without_rationale_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="ann on 'fit': Give a rationale for a Negative score"):
        AssessorScore("ann", "fit", N, "  ")


def test_score_takes_a_card_value_and_tidies_the_rationale() -> None:
    score = AssessorScore("ann", "fit", "Positive", "  fits the police and crime plan \n")  # type: ignore[arg-type]
    assert score.rating is Rating.POSITIVE
    assert score.points == 10
    assert score.rationale == "fits the police and crime plan"
    assert parse_rating(" NEUTRAL ") is Rating.NEUTRAL
    assert parse_rating("6") is None
    with pytest.raises(ValueError, match="needs an assessor"):
        AssessorScore(" ", "fit", M)
    with pytest.raises(ValueError, match="is not a rating"):
        AssessorScore("ann", "fit", "great")  # type: ignore[arg-type]


# --- administrator-defined factor sets -----------------------------------------------------------


def test_load_factor_sets_merges_administrator_sets() -> None:
    assert list(load_factor_sets()) == ["re_procurement"]
    assert list(load_factor_sets("  ")) == ["re_procurement"]
    sets = load_factor_sets(SMALL_YAML)
    assert list(sets) == ["re_procurement", "small"]
    small = sets["small"]
    assert not small.built_in
    assert [(f.key, f.group, f.weight) for f in small.factors] == [
        ("money", "resources", Fraction(2)),
        ("quality", "resources", Fraction(1)),
        ("fit", "wider", Fraction(1)),
    ]


def test_decimal_weights_are_exact() -> None:
    text = SMALL_YAML.replace("weight: 2", "weight: 1.1")
    assert load_factor_sets(text)["small"].factor("money").weight == Fraction(11, 10)


WHERE = "factor set 'small', group 'resources', factor 'money'"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("weight: 2", "weight: 0", f"{WHERE}: weight must be a positive number, got 0"),
        ("weight: 2", "weight: -1.5", f"{WHERE}: weight must be a positive number, got -1.5"),
        ("weight: 2", "weight: heavy", f"{WHERE}: weight must be a positive number, got 'heavy'"),
        ("weight: 2", "weight: true", f"{WHERE}: weight must be a positive number, got True"),
        ("weight: 2", "weight: .nan", f"{WHERE}: weight must be a positive number, got nan"),
        ("weight: 2", "wieght: 2", f"{WHERE}: unknown field wieght \\(allowed: key, text, weight\\)"),
        (
            "key: quality",
            "key: money",
            "factor set 'small', group 'resources': factor key 'money' is used twice",
        ),
        ("key: fit", "key: money", "factor set 'small', group 'wider': factor key 'money' is used twice"),
        ("key: wider", "key: resources", "factor set 'small': group key 'resources' is used twice"),
        (
            "key: money",
            "key: Value For Money",
            "factor set 'small', group 'resources', factor 1: key: 'Value For Money'",
        ),
        (
            "text: Strategic fit",
            "text: ''",
            "factor set 'small', group 'wider', factor 'fit': text must be some text",
        ),
        (
            "            text: Quality of service\n",
            "",
            "factor set 'small', group 'resources', factor 'quality': missing text",
        ),
        ("  small:", "  Small Set:", "factor set key 'Small Set' must be lower_snake_case"),
        ("  small:", "  re_procurement:", "factor set 're_procurement' is built in; give yours another key"),
        ("    name: Small test set\n", "", "factor set 'small': missing name"),
        ("factor_sets:", "sets:", "single top-level 'factor_sets:' mapping"),
        (
            "        name: Wider factors",
            "        name: Wider factors\n        name: Again",
            "'name' appears twice",
        ),
        ("text: Strategic fit", "text: [unclosed", "not valid YAML"),
    ],
)
def test_invalid_factor_set_config(old: str, new: str, message: str) -> None:
    assert old in SMALL_YAML
    with pytest.raises(FactorSetError, match=message):
        load_factor_sets(SMALL_YAML.replace(old, new, 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("factor_sets: {}", "'factor_sets' must map each set's key to its definition"),
        (
            "factor_sets:\n  empty:\n    name: Empty\n    groups: []\n",
            "factor set 'empty': 'groups' must be a list",
        ),
        (
            "factor_sets:\n  bare:\n    name: Bare\n    groups:\n      - key: g\n        name: G\n        factors: []\n",
            "factor set 'bare', group 'g': 'factors' must be a list with at least one factor",
        ),
        (
            "factor_sets:\n  t:\n    name: T\n    thresholds: {go_at_least: 0.4}\n    groups: []\n",
            "factor set 't': thresholds: no_go_below \\(50%\\) must not be above go_at_least \\(40%\\)",
        ),
        ("- a list", "single top-level 'factor_sets:' mapping"),
    ],
)
def test_invalid_factor_set_shapes(text: str, message: str) -> None:
    with pytest.raises(FactorSetError, match=message):
        load_factor_sets(text)


# --- numbers for people --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Fraction(19, 3), 2, "6.33"),
        (Fraction(13, 2), 2, "6.50"),
        (Fraction(6665, 1000), 2, "6.67"),  # half up, not to even
        (Fraction(2, 3), 4, "0.6667"),
    ],
)
def test_as_decimal_rounds_half_up(value: Fraction, places: int, shown: str) -> None:
    assert str(as_decimal(value, places)) == shown


@pytest.mark.parametrize(
    ("share", "shown"),
    [(Fraction(7, 10), "70%"), (Fraction(2, 3), "66.7%"), (Fraction(83, 120), "69.2%"), (None, "not scored")],
)
def test_format_share(share: Fraction | None, shown: str) -> None:
    assert format_share(share) == shown
