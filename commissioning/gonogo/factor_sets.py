"""Go/no-go factor sets: the grouped, weighted factors an evaluation is scored against, read from YAML."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import yaml

from commissioning.gonogo.scale import Recommendation, exact_share, percent

DEFAULT_FACTOR_SET = "re_procurement"
"""Key of the built-in factor set taken from the seed's go/no-go table."""

MAX_CONFIG_LENGTH = 1_000_000
MAX_NAME_LENGTH = 120
MAX_FACTOR_TEXT_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 1000
MAX_FACTORS = 40
"""Bounds on administrator text, so every factor set's scoring and result cards fit a Teams message."""
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class FactorSetError(ValueError):
    """A factor set in configuration that cannot be used; the message names the set and factor at fault."""


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
      needs the factors to be, on average, better than neutral by a clear margin: with the seed's
      eight equal factors, two Positive and six Neutral (56/80 = 0.70 exactly, the tie), or three
      Positive, one Negative and four Neutral (57/80 = 0.71).
    - no_go_below = 0.50. Below half the maximum the factors are on average worse than neutral: with
      eight equal factors, three Negative and five Neutral (39/80 = 0.49). Four Negative, three
      Neutral and one Positive land exactly on 0.50 and go to review: half the factors against is a
      reason to look harder, not yet to stop.
    The lowest possible share is 0.30 (all Negative), so a no_go_below at or under 0.30 never fires.
    Shares are compared as exact fractions, so a tie is never lost to floating-point rounding.
    """

    go_at_least: Fraction = Fraction(7, 10)
    no_go_below: Fraction = Fraction(1, 2)

    def __post_init__(self) -> None:
        go = exact_share(self.go_at_least, "go_at_least")
        no_go = exact_share(self.no_go_below, "no_go_below")
        if no_go > go:
            raise ValueError(f"no_go_below ({percent(no_go)}) must not be above go_at_least ({percent(go)})")
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
