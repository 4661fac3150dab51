"""Go/no-go evaluation before re-procuring a service: factor sets, assessors' scores and the recommendation."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import yaml

DEFAULT_FACTOR_SET = "re_procurement"
"""Key of the built-in factor set taken from the seed's go/no-go table."""

NEUTRAL_POINTS = 6
HIGHEST_POINTS = 10
WIDE_DISAGREEMENT_SPREAD = 7
"""Assessors disagree widely on a factor when its highest and lowest points differ by at least this.

With points 3, 6 and 10 only a Negative beside a Positive (10 - 3 = 7) reaches it; Neutral beside
either (a spread of 3 or 4) is ordinary difference of judgement.
"""
DRIVER_COUNT = 3
MAX_RATIONALE_LENGTH = 2000
MAX_CONFIG_LENGTH = 1_000_000
MAX_NAME_LENGTH = 120
MAX_FACTOR_TEXT_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 1000
MAX_FACTORS = 40
"""Bounds on administrator text, so every factor set's scoring and result cards fit a Teams message."""
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class Rating(StrEnum):
    """An assessor's score for one factor, in the words of the seed's table."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"

    @property
    def points(self) -> int:
        return RATING_POINTS[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()


RATING_POINTS: dict[Rating, int] = {Rating.NEGATIVE: 3, Rating.NEUTRAL: 6, Rating.POSITIVE: 10}


class Recommendation(StrEnum):
    """What the evaluation advises; INCOMPLETE while any factor has no score at all."""

    GO = "go"
    REVIEW = "review"
    NO_GO = "no-go"
    INCOMPLETE = "incomplete"

    @property
    def label(self) -> str:
        return {"go": "Go", "review": "Review", "no-go": "No-go", "incomplete": "Incomplete"}[self.value]


class Direction(StrEnum):
    """Which way a factor pushes the result compared with an all-Neutral evaluation."""

    TOWARDS_GO = "towards go"
    TOWARDS_NO_GO = "towards no-go"


class FactorSetError(ValueError):
    """A factor set in configuration that cannot be used; the message names the set and factor at fault."""


# --- showing numbers -----------------------------------------------------------------------------


def as_decimal(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction rounded half up for people to read, e.g. 19/3 -> 6.33."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def _percent(share: Fraction) -> str:
    return f"{as_decimal(share * 100, 1).normalize():f}%"


def format_share(share: Fraction | None) -> str:
    """A share as a percentage to one decimal place, e.g. 0.7333… -> '73.3%'; 'not scored' for None."""
    return "not scored" if share is None else _percent(share)


def _exact_share(raw: object, name: str) -> Fraction:
    """A threshold as an exact fraction; floats go through their shortest text so 0.7 is exactly 7/10."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal | Fraction):
        raise ValueError(f"{name} must be a share between 0 and 1, got {raw!r}")
    try:
        share = raw if isinstance(raw, Fraction) else Fraction(str(raw).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name} must be a share between 0 and 1, got {raw!r}") from None
    if not 0 <= share <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1, got {raw!r}")
    return share


# --- factor sets ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Factor:
    """One relevant factor: a stable key that stored scores refer to, the wording assessors see, a weight."""

    key: str
    text: str
    group: str
    weight: Fraction = Fraction(1)


@dataclass(frozen=True, slots=True)
class FactorGroup:
    """A heading in the table, e.g. "Time and resource factors", with its factors in order."""

    key: str
    name: str
    factors: tuple[Factor, ...]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where the share of the maximum score turns into a recommendation.

    Go when share >= go_at_least (a share exactly at the threshold is a go); no-go when
    share < no_go_below (a share exactly at it is a review); review in between.

    Defaults, and why:
    - go_at_least = 0.70. Scoring every factor Neutral gives 6/10 = 0.60, which says nothing either
      way. Going to market costs the office time and puts the service through a transition, so a go
      needs the factors to be, on average, better than neutral by a clear margin: with nine equal
      factors, at least three Positive and the rest Neutral (66/90 = 0.73), or three Positive, one
      Negative and five Neutral (63/90 = 0.70 exactly, the tie).
    - no_go_below = 0.50. Below half the maximum the factors are on average worse than neutral: with
      nine equal factors, four Negative and five Neutral (42/90 = 0.47). Three Negative and six
      Neutral land exactly on 0.50 and go to review: a third of the factors against is a reason to
      look harder, not yet to stop.
    The lowest possible share is 0.30 (all Negative), so a no_go_below at or under 0.30 never fires.
    Shares are compared as exact fractions, so a tie is never lost to floating-point rounding.
    """

    go_at_least: Fraction = Fraction(7, 10)
    no_go_below: Fraction = Fraction(1, 2)

    def __post_init__(self) -> None:
        go = _exact_share(self.go_at_least, "go_at_least")
        no_go = _exact_share(self.no_go_below, "no_go_below")
        if no_go > go:
            raise ValueError(
                f"no_go_below ({_percent(no_go)}) must not be above go_at_least ({_percent(go)})"
            )
        object.__setattr__(self, "go_at_least", go)
        object.__setattr__(self, "no_go_below", no_go)

    def recommend(self, share: Fraction) -> Recommendation:
        if share >= self.go_at_least:
            return Recommendation.GO
        if share < self.no_go_below:
            return Recommendation.NO_GO
        return Recommendation.REVIEW


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class FactorSet:
    """A named list of grouped factors an evaluation is scored against, with its thresholds."""

    key: str
    name: str
    groups: tuple[FactorGroup, ...]
    description: str = ""
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    built_in: bool = False

    @property
    def factors(self) -> tuple[Factor, ...]:
        return tuple(factor for group in self.groups for factor in group.factors)

    def factor(self, key: str) -> Factor:
        for candidate in self.factors:
            if candidate.key == key:
                return candidate
        raise KeyError(f"factor set '{self.key}' has no factor '{key}'")

    def group(self, key: str) -> FactorGroup:
        for candidate in self.groups:
            if candidate.key == key:
                return candidate
        raise KeyError(f"factor set '{self.key}' has no group '{key}'")


def load_factor_sets(
    extra_yaml_text: str | None = None, *, default_thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> dict[str, FactorSet]:
    """The built-in factor sets merged with an administrator's, keyed by set key.

    `extra_yaml_text` holds a `factor_sets:` mapping in the shape of the packaged factor_sets.yaml.
    A built-in key cannot be redefined: evaluations already scored against it must stay reproducible.
    `default_thresholds` apply to every set (built-in ones included) that does not give its own, so
    an administrator can move the go and no-go lines without redefining the built-in set.
    Raises FactorSetError naming the set, group or factor at fault.
    """
    sets = dict(_built_in_factor_sets(default_thresholds))
    if extra_yaml_text is None or not extra_yaml_text.strip():
        return sets
    for key, factor_set in _parse_factor_sets(
        extra_yaml_text, built_in=False, default_thresholds=default_thresholds
    ).items():
        if key in sets:
            raise FactorSetError(f"factor set '{key}' is built in; give yours another key")
        sets[key] = factor_set
    return sets


def default_factor_set() -> FactorSet:
    return _built_in_factor_sets()[DEFAULT_FACTOR_SET]


@cache
def _built_in_factor_sets(default_thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict[str, FactorSet]:
    text = resources.files("commissioning").joinpath("factor_sets.yaml").read_text(encoding="utf-8")
    return _parse_factor_sets(text, built_in=True, default_thresholds=default_thresholds)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a repeated mapping key instead of silently keeping the last one."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise FactorSetError(f"'{key}' appears twice (line {key_node.start_mark.line + 1})")
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def _parse_factor_sets(
    text: str, *, built_in: bool, default_thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> dict[str, FactorSet]:
    if len(text) > MAX_CONFIG_LENGTH:
        raise FactorSetError("factor set configuration is too long")
    try:
        document = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise FactorSetError(f"factor set configuration is not valid YAML: {error}") from None
    if not isinstance(document, dict) or set(document) != {"factor_sets"}:
        raise FactorSetError("factor set configuration must have a single top-level 'factor_sets:' mapping")
    raw_sets = document["factor_sets"]
    if not isinstance(raw_sets, dict) or not raw_sets:
        raise FactorSetError("'factor_sets' must map each set's key to its definition")
    return {
        key: _parse_factor_set(key, raw, built_in=built_in, default_thresholds=default_thresholds)
        for key, raw in raw_sets.items()
    }


def _parse_factor_set(
    key: object, raw: object, *, built_in: bool, default_thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> FactorSet:
    if not isinstance(key, str) or not _KEY.match(key):
        raise FactorSetError(f"factor set key {key!r} must be lower_snake_case letters, digits and '_'")
    where = f"factor set '{key}'"
    mapping = _mapping(raw, where, required={"name", "groups"}, optional={"description", "thresholds"})
    name = _text(mapping["name"], f"{where}: name", limit=MAX_NAME_LENGTH)
    description = _text(
        mapping.get("description", ""),
        f"{where}: description",
        allow_empty=True,
        limit=MAX_DESCRIPTION_LENGTH,
    )
    thresholds = _parse_thresholds(mapping.get("thresholds"), where, default_thresholds)
    raw_groups = mapping["groups"]
    if not isinstance(raw_groups, list) or not raw_groups:
        raise FactorSetError(f"{where}: 'groups' must be a list with at least one group")
    groups: list[FactorGroup] = []
    factor_keys: set[str] = set()
    for position, raw_group in enumerate(raw_groups, start=1):
        group = _parse_group(raw_group, f"{where}, group {position}", factor_keys)
        if any(existing.key == group.key for existing in groups):
            raise FactorSetError(f"{where}: group key '{group.key}' is used twice")
        groups.append(group)
    if len(factor_keys) > MAX_FACTORS:
        raise FactorSetError(f"{where}: has {len(factor_keys)} factors; a set may have at most {MAX_FACTORS}")
    return FactorSet(
        key=key,
        name=name,
        groups=tuple(groups),
        description=description,
        thresholds=thresholds,
        built_in=built_in,
    )


def _parse_group(raw: object, where: str, factor_keys: set[str]) -> FactorGroup:
    where = _named(raw, where, "group")
    mapping = _mapping(raw, where, required={"key", "name", "factors"})
    key = _key(mapping["key"], f"{where}: key")
    name = _text(mapping["name"], f"{where}: name", limit=MAX_NAME_LENGTH)
    raw_factors = mapping["factors"]
    if not isinstance(raw_factors, list) or not raw_factors:
        raise FactorSetError(f"{where}: 'factors' must be a list with at least one factor")
    factors: list[Factor] = []
    for position, raw_factor in enumerate(raw_factors, start=1):
        factor = _parse_factor(raw_factor, f"{where}, factor {position}", key)
        if factor.key in factor_keys:
            raise FactorSetError(f"{where}: factor key '{factor.key}' is used twice in the set")
        factor_keys.add(factor.key)
        factors.append(factor)
    return FactorGroup(key=key, name=name, factors=tuple(factors))


def _parse_factor(raw: object, where: str, group: str) -> Factor:
    where = _named(raw, where, "factor")
    mapping = _mapping(raw, where, required={"key", "text"}, optional={"weight"})
    key = _key(mapping["key"], f"{where}: key")
    text = _text(mapping["text"], f"{where}: text", limit=MAX_FACTOR_TEXT_LENGTH)
    weight = _weight(mapping.get("weight", 1), where)
    return Factor(key=key, text=text, group=group, weight=weight)


def _parse_thresholds(raw: object, where: str, default: Thresholds = DEFAULT_THRESHOLDS) -> Thresholds:
    if raw is None:
        return default
    mapping = _mapping(raw, f"{where}: thresholds", required=set(), optional={"go_at_least", "no_go_below"})
    try:
        return Thresholds(
            go_at_least=mapping.get("go_at_least", default.go_at_least),
            no_go_below=mapping.get("no_go_below", default.no_go_below),
        )
    except ValueError as error:
        raise FactorSetError(f"{where}: thresholds: {error}") from None


def _mapping(raw: object, where: str, *, required: set[str], optional: Iterable[str] = ()) -> dict[str, Any]:
    """Check a YAML mapping's fields, so a misspelt 'wieght' is an error rather than a silent default."""
    allowed = required | set(optional)
    if not isinstance(raw, dict):
        raise FactorSetError(f"{where}: expected a mapping with {', '.join(sorted(allowed))}")
    missing = sorted(required - raw.keys())
    if missing:
        raise FactorSetError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(str(name) for name in raw.keys() - allowed)
    if unknown:
        raise FactorSetError(
            f"{where}: unknown field {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )
    return raw


def _named(raw: object, where: str, kind: str) -> str:
    """Name a group or factor by its key in messages once it has a usable one, by position until then."""
    key = raw.get("key") if isinstance(raw, dict) else None
    if isinstance(key, str) and _KEY.match(key):
        return f"{where.rsplit(',', 1)[0]}, {kind} '{key}'"
    return where


def _key(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not _KEY.match(raw):
        raise FactorSetError(f"{where}: {raw!r} must be lower_snake_case letters, digits and '_'")
    return raw


def _text(raw: object, where: str, *, allow_empty: bool = False, limit: int | None = None) -> str:
    if not isinstance(raw, str) or (not allow_empty and not raw.strip()):
        raise FactorSetError(f"{where} must be some text")
    tidy = " ".join(raw.split())
    if limit is not None and len(tidy) > limit:
        raise FactorSetError(f"{where} is {len(tidy):,} characters; keep it to {limit:,} or fewer")
    return tidy


def _weight(raw: object, where: str) -> Fraction:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise FactorSetError(f"{where}: weight must be a positive number, got {raw!r}")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise FactorSetError(f"{where}: weight must be a positive number, got {raw!r}")
    weight = Fraction(str(raw))
    if weight <= 0:
        raise FactorSetError(f"{where}: weight must be a positive number, got {raw!r}")
    return weight


# --- keeping a factor set with an evaluation ----------------------------------------------------


def factor_set_to_dict(factor_set: FactorSet) -> dict[str, Any]:
    """The factor set as JSON-safe data, fractions as exact text ('7/10'), to store with an evaluation.

    An evaluation keeps the set it was started with, so editing or removing a set in configuration
    later never changes the factors, weights or thresholds of an evaluation already under way or closed.
    """
    return {
        "key": factor_set.key,
        "name": factor_set.name,
        "description": factor_set.description,
        "built_in": factor_set.built_in,
        "thresholds": {
            "go_at_least": str(factor_set.thresholds.go_at_least),
            "no_go_below": str(factor_set.thresholds.no_go_below),
        },
        "groups": [
            {
                "key": group.key,
                "name": group.name,
                "factors": [
                    {"key": factor.key, "text": factor.text, "weight": str(factor.weight)}
                    for factor in group.factors
                ],
            }
            for group in factor_set.groups
        ],
    }


def factor_set_from_dict(data: dict[str, Any]) -> FactorSet:
    """The factor set factor_set_to_dict stored, exactly as it was. Raises FactorSetError if it is damaged."""
    try:
        groups = tuple(
            FactorGroup(
                key=group["key"],
                name=group["name"],
                factors=tuple(
                    Factor(
                        key=factor["key"],
                        text=factor["text"],
                        group=group["key"],
                        weight=Fraction(str(factor["weight"])),
                    )
                    for factor in group["factors"]
                ),
            )
            for group in data["groups"]
        )
        thresholds = data["thresholds"]
        return FactorSet(
            key=data["key"],
            name=data["name"],
            groups=groups,
            description=data.get("description", ""),
            thresholds=Thresholds(
                go_at_least=Fraction(thresholds["go_at_least"]),
                no_go_below=Fraction(thresholds["no_go_below"]),
            ),
            built_in=bool(data.get("built_in", False)),
        )
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        raise FactorSetError(f"stored factor set is damaged: {error!r}") from None


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
