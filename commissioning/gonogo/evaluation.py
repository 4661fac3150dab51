"""A go/no-go evaluation: assessors' scores checked, totalled by factor and group, and the recommendation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from commissioning.gonogo.factor_sets import Factor, FactorGroup, FactorSet, Thresholds
from commissioning.gonogo.scale import HIGHEST_POINTS, NEUTRAL_POINTS, Direction, Rating, Recommendation

WIDE_DISAGREEMENT_SPREAD = 7
"""Assessors disagree widely on a factor when its highest and lowest points differ by at least this.

With points 3, 6 and 10 only a Negative beside a Positive (10 - 3 = 7) reaches it; Neutral beside
either (a spread of 3 or 4) is ordinary difference of judgement.
"""
DRIVER_COUNT = 3
MAX_RATIONALE_LENGTH = 2000
# --- scores --------------------------------------------------------------------------------------


def parse_rating(raw: object) -> Rating | None:
    """A rating from what a card sent ('negative', 'Neutral', 'POSITIVE'); None if it is none of them."""
    if isinstance(raw, Rating):
        return raw
    if not isinstance(raw, str):
        return None
    try:
        return Rating(raw.strip().lower())
    except ValueError:
        return None


def validate_score(rating: object, rationale: str | None) -> str | None:
    """The message to show beside the field when a score cannot be accepted, else None.

    A Negative needs a rationale: it is the score that argues against going to market, and the
    board will ask why. Neutral and Positive may carry one and usually should.
    """
    chosen = parse_rating(rating)
    if chosen is None:
        return "Choose Negative, Neutral or Positive."
    text = (rationale or "").strip()
    if chosen is Rating.NEGATIVE and not text:
        return "Give a rationale for a Negative score."
    if len(text) > MAX_RATIONALE_LENGTH:
        return f"Keep the rationale to {MAX_RATIONALE_LENGTH:,} characters or fewer."
    return None


@dataclass(frozen=True, slots=True)
class AssessorScore:
    """One assessor's score for one factor, with the rationale kept beside it.

    An assessor who has not scored a factor simply has no AssessorScore for it: a missing score is
    never recorded as zero or as a rating.
    """

    assessor: str
    factor_key: str
    rating: Rating
    rationale: str = ""

    def __post_init__(self) -> None:
        if not self.assessor.strip():
            raise ValueError("a score needs an assessor")
        rating = parse_rating(self.rating)
        if rating is None:
            raise ValueError(f"{self.assessor} on '{self.factor_key}': {self.rating!r} is not a rating")
        object.__setattr__(self, "rating", rating)
        problem = validate_score(self.rating, self.rationale)
        if problem:
            raise ValueError(f"{self.assessor} on '{self.factor_key}': {problem}")
        object.__setattr__(self, "rationale", self.rationale.strip())

    @property
    def points(self) -> int:
        return self.rating.points


# --- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FactorResult:
    """One factor's scores and where it lands; mean and weighted score are None when nobody scored it."""

    factor: Factor
    scores: tuple[AssessorScore, ...]
    mean: Fraction | None
    weighted_score: Fraction | None
    maximum: Fraction
    spread: int | None
    wide_disagreement: bool

    @property
    def scored(self) -> bool:
        return bool(self.scores)

    @property
    def deviation(self) -> Fraction:
        """Weighted distance from Neutral in points: how hard this factor pushes the result, and which way."""
        if self.mean is None:
            return Fraction(0)
        return (self.mean - NEUTRAL_POINTS) * self.factor.weight


@dataclass(frozen=True, slots=True)
class GroupResult:
    """A group's total against the maximum of its scored factors."""

    group: FactorGroup
    total: Fraction
    maximum: Fraction
    share: Fraction | None
    unscored: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Driver:
    """A factor that moves the result most, with its weighted deviation from Neutral in points."""

    factor: Factor
    deviation: Fraction
    direction: Direction


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """The outcome of a go/no-go evaluation.

    `recommendation` is INCOMPLETE while any factor has no score from anyone; `provisional` is what
    the scored factors alone point to (None when nothing is scored), so a partial evaluation can be
    discussed without being mistaken for a finished one.
    """

    factor_set: FactorSet
    thresholds: Thresholds
    factors: tuple[FactorResult, ...]
    groups: tuple[GroupResult, ...]
    total: Fraction
    maximum: Fraction
    share: Fraction | None
    recommendation: Recommendation
    provisional: Recommendation | None
    drivers: tuple[Driver, ...]
    assessors: tuple[str, ...]
    unscored: tuple[str, ...]
    missing_scores: tuple[tuple[str, str], ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.unscored

    @property
    def disagreements(self) -> tuple[str, ...]:
        return tuple(result.factor.key for result in self.factors if result.wide_disagreement)

    def factor(self, key: str) -> FactorResult:
        for result in self.factors:
            if result.factor.key == key:
                return result
        raise KeyError(f"no factor '{key}' in this evaluation")

    def group(self, key: str) -> GroupResult:
        for result in self.groups:
            if result.group.key == key:
                return result
        raise KeyError(f"no group '{key}' in this evaluation")


def evaluate(
    factor_set: FactorSet,
    scores: Iterable[AssessorScore],
    thresholds: Thresholds | None = None,
    *,
    assessors: Iterable[str] = (),
) -> EvaluationResult:
    """Total, share of the maximum and recommendation for one evaluation.

    Missing scores: a factor's mean is taken over the assessors who scored it, so an assessor who
    has not scored a factor neither lowers nor raises it. A factor nobody has scored is left out of
    both the total and the maximum, listed in `unscored`, and the recommendation is INCOMPLETE.
    `assessors` names everyone expected to score, so the gaps they leave are listed in `missing_scores`.

    A group's or the overall total is the sum over scored factors of mean × weight; its maximum is
    10 × weight over the same factors; its share is total / maximum, an exact fraction.
    Raises ValueError for a score on a factor the set does not have, or two scores from one assessor
    on one factor.
    """
    thresholds = thresholds if thresholds is not None else factor_set.thresholds
    by_factor: dict[str, list[AssessorScore]] = {factor.key: [] for factor in factor_set.factors}
    seen: set[tuple[str, str]] = set()
    named: list[str] = list(dict.fromkeys(assessors))
    for score in scores:
        if score.factor_key not in by_factor:
            raise ValueError(f"factor set '{factor_set.key}' has no factor '{score.factor_key}'")
        pair = (score.assessor, score.factor_key)
        if pair in seen:
            raise ValueError(f"{score.assessor} has scored '{score.factor_key}' twice")
        seen.add(pair)
        by_factor[score.factor_key].append(score)
        if score.assessor not in named:
            named.append(score.assessor)

    factor_results = tuple(
        _factor_result(factor, tuple(by_factor[factor.key])) for factor in factor_set.factors
    )
    group_results = tuple(
        _group_result(group, [r for r in factor_results if r.factor.group == group.key])
        for group in factor_set.groups
    )
    total = sum((group.total for group in group_results), Fraction(0))
    maximum = sum((group.maximum for group in group_results), Fraction(0))
    share = total / maximum if maximum else None
    unscored = tuple(result.factor.key for result in factor_results if not result.scored)
    provisional = thresholds.recommend(share) if share is not None else None
    recommendation = Recommendation.INCOMPLETE if unscored or provisional is None else provisional
    missing = tuple(
        (assessor, factor.key)
        for assessor in named
        for factor in factor_set.factors
        if (assessor, factor.key) not in seen
    )
    return EvaluationResult(
        factor_set=factor_set,
        thresholds=thresholds,
        factors=factor_results,
        groups=group_results,
        total=total,
        maximum=maximum,
        share=share,
        recommendation=recommendation,
        provisional=provisional,
        drivers=_drivers(factor_results),
        assessors=tuple(named),
        unscored=unscored,
        missing_scores=missing,
    )


def _factor_result(factor: Factor, scores: tuple[AssessorScore, ...]) -> FactorResult:
    if not scores:
        return FactorResult(factor, scores, None, None, Fraction(0), None, False)
    points = [score.points for score in scores]
    mean = Fraction(sum(points), len(points))
    spread = max(points) - min(points)
    return FactorResult(
        factor=factor,
        scores=scores,
        mean=mean,
        weighted_score=mean * factor.weight,
        maximum=HIGHEST_POINTS * factor.weight,
        spread=spread,
        wide_disagreement=spread >= WIDE_DISAGREEMENT_SPREAD,
    )


def _group_result(group: FactorGroup, results: list[FactorResult]) -> GroupResult:
    total = sum((r.weighted_score for r in results if r.weighted_score is not None), Fraction(0))
    maximum = sum((r.maximum for r in results), Fraction(0))
    return GroupResult(
        group=group,
        total=total,
        maximum=maximum,
        share=total / maximum if maximum else None,
        unscored=tuple(r.factor.key for r in results if not r.scored),
    )


def _drivers(results: tuple[FactorResult, ...]) -> tuple[Driver, ...]:
    """The factors furthest from Neutral once weighted, largest first; ties keep the set's order.

    A factor exactly at Neutral (or unscored) drives nothing and is left out.
    """
    moving = [r for r in results if r.deviation != 0]
    ranked = sorted(moving, key=lambda r: -abs(r.deviation))[:DRIVER_COUNT]
    return tuple(
        Driver(
            factor=r.factor,
            deviation=r.deviation,
            direction=Direction.TOWARDS_GO if r.deviation > 0 else Direction.TOWARDS_NO_GO,
        )
        for r in ranked
    )
