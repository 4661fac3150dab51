"""The go/no-go scale: ratings and their points, recommendations, and shares as people read them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

NEUTRAL_POINTS = 6
HIGHEST_POINTS = 10


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


def as_decimal(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction rounded half up for people to read, e.g. 19/3 -> 6.33."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(share: Fraction) -> str:
    return f"{as_decimal(share * 100, 1).normalize():f}%"


def format_share(share: Fraction | None) -> str:
    """A share as a percentage to one decimal place, e.g. 0.7333… -> '73.3%'; 'not scored' for None."""
    return "not scored" if share is None else percent(share)


def exact_share(raw: object, name: str) -> Fraction:
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
