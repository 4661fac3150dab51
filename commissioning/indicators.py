"""Indicator definitions, server-side parsing of submitted values and red/amber/green rating."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum


class IndicatorKind(StrEnum):
    """How a value is entered and shown."""

    WHOLE_NUMBER = "whole_number"
    COUNT = "count"
    PERCENTAGE = "percentage"
    YES_NO = "yes_no"


class Comparison(StrEnum):
    """How a value is compared with the minimum service requirement."""

    AT_LEAST = ">="
    AT_MOST = "<="


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


YES_WORDS = frozenset({"yes", "y", "true", "1", "on"})
NO_WORDS = frozenset({"no", "n", "false", "0", "off"})
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
MAX_MAGNITUDE = 1e12


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One performance indicator as the rules see it: what is valid and what meets the requirement.

    `requirement` is the minimum service requirement (for yes/no: 1 means "must be yes").
    `amber_margin` is how far short of the requirement, in the indicator's own unit, still rates amber.
    """

    code: str
    name: str
    kind: IndicatorKind
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    requirement: float | None = None
    comparison: Comparison = Comparison.AT_LEAST
    amber_margin: float = 0.0

    @property
    def lower_limit(self) -> float | None:
        if self.minimum is not None:
            return self.minimum
        if self.kind in (IndicatorKind.COUNT, IndicatorKind.PERCENTAGE, IndicatorKind.YES_NO):
            return 0.0
        return None

    @property
    def upper_limit(self) -> float | None:
        if self.maximum is not None:
            return self.maximum
        if self.kind is IndicatorKind.PERCENTAGE:
            return 100.0
        if self.kind is IndicatorKind.YES_NO:
            return 1.0
        return None

    def describe_requirement(self) -> str:
        """The minimum service requirement in words, e.g. 'at least 90%'."""
        if self.requirement is None:
            return "no minimum set"
        if self.kind is IndicatorKind.YES_NO:
            return "must be yes" if self.requirement >= 1 else "must be no"
        word = "at least" if self.comparison is Comparison.AT_LEAST else "at most"
        return f"{word} {format_value(self, self.requirement)}"

    @property
    def lower_is_better(self) -> bool:
        """A "no more than" indicator: its requirement is a ceiling, so a lower value is better."""
        return (
            self.requirement is not None
            and self.kind is not IndicatorKind.YES_NO
            and self.comparison is Comparison.AT_MOST
        )

    def requirement_caption(self) -> str:
        """The requirement beside a value, worded by direction: 'Minimum: at least 90%', 'Maximum: 40%'."""
        if self.lower_is_better and self.requirement is not None:
            return f"Maximum: {format_value(self, self.requirement)}"
        return f"Minimum: {self.describe_requirement()}"

    def requirement_sentence(self) -> str:
        """The requirement as a form states it: 'Minimum service requirement: at least 90%', or for a ceiling
        'Service requirement: at most 40% (lower is better)'."""
        if self.lower_is_better:
            return f"Service requirement: {self.describe_requirement()} (lower is better)"
        return f"Minimum service requirement: {self.describe_requirement()}"

    def describe_limits(self) -> str:
        low, high = self.lower_limit, self.upper_limit
        if self.kind is IndicatorKind.YES_NO:
            return "yes or no"
        shown = [format_value(self, v) for v in (low, high) if v is not None]
        if low is not None and high is not None:
            return f"{shown[0]} to {shown[1]}"
        if low is not None:
            return f"{shown[0]} or more"
        if high is not None:
            return f"up to {shown[0]}"
        return "any number"


class ValueError_(Exception):
    """A submitted value that is not acceptable; `message` is shown beside the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def format_value(spec: IndicatorSpec, value: float | None) -> str:
    """A value as a person reads it: '87.5%', '1,204', 'Yes'."""
    if value is None:
        return "not given"
    if spec.kind is IndicatorKind.YES_NO:
        return "Yes" if value >= 1 else "No"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if spec.kind is IndicatorKind.PERCENTAGE:
        return f"{text}%"
    return f"{text} {spec.unit}".rstrip() if spec.unit and spec.kind is not IndicatorKind.COUNT else text


def parse_value(spec: IndicatorSpec, raw: object) -> float:
    """Turn what a card sent (a string, a number or a toggle) into a checked number.

    Raises ValueError_ with a message fit to show next to the field.
    """
    if isinstance(raw, bool):
        raw = "true" if raw else "false"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValueError_("Enter a value.")
    if spec.kind is IndicatorKind.YES_NO:
        word = str(raw).strip().lower()
        if word in YES_WORDS:
            return 1.0
        if word in NO_WORDS:
            return 0.0
        raise ValueError_("Answer yes or no.")
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = str(raw).strip()
        if spec.kind is IndicatorKind.PERCENTAGE:
            text = text.removesuffix("%").strip()
        if not _NUMBER.match(text):
            raise ValueError_(
                "Enter a number, for example 42" + (" or 87.5." if _allows_fraction(spec) else ".")
            )
        number = float(text.replace(",", ""))
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        raise ValueError_("That number is too large.")
    if not _allows_fraction(spec) and not number.is_integer():
        raise ValueError_("Enter a whole number.")
    low, high = spec.lower_limit, spec.upper_limit
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError_(f"Enter a value from {spec.describe_limits()}.")
    return number


def _allows_fraction(spec: IndicatorSpec) -> bool:
    return spec.kind is IndicatorKind.PERCENTAGE


def validate_values(
    specs: list[IndicatorSpec], raw_values: dict[str, object], *, require_all: bool
) -> tuple[dict[str, float], dict[str, str]]:
    """Parse every indicator's raw value. Returns (values, errors keyed by indicator code).

    A draft may leave values empty (`require_all=False`); what is given must still be valid.
    """
    values: dict[str, float] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        raw = raw_values.get(spec.code)
        if not require_all and (raw is None or (isinstance(raw, str) and not raw.strip())):
            continue
        try:
            values[spec.code] = parse_value(spec, raw)
        except ValueError_ as error:
            errors[spec.code] = error.message
    return values, errors


def rag(spec: IndicatorSpec, value: float | None) -> Rag | None:
    """Red/amber/green against the minimum service requirement; None where there is nothing to rate."""
    if value is None or spec.requirement is None:
        return None
    if spec.comparison is Comparison.AT_LEAST:
        shortfall = spec.requirement - value
    else:
        shortfall = value - spec.requirement
    if shortfall <= 0:
        return Rag.GREEN
    if spec.kind is not IndicatorKind.YES_NO and shortfall <= spec.amber_margin:
        return Rag.AMBER
    return Rag.RED


def meets_requirement(spec: IndicatorSpec, value: float | None) -> bool:
    return rag(spec, value) in (Rag.GREEN, None)


@dataclass(frozen=True, slots=True)
class Change:
    code: str
    before: float | None
    after: float | None


def changed_values(before: dict[str, float], after: dict[str, float]) -> list[Change]:
    """Indicators whose value differs between two versions of a return, in a stable order."""
    codes = sorted(set(before) | set(after))
    return [Change(c, before.get(c), after.get(c)) for c in codes if before.get(c) != after.get(c)]
