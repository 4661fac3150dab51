"""What the go/no-go cards share: the title block, points as people read them, the gaps in a result."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from commissioning.gonogo import EvaluationResult, as_decimal
from dialogs.cards import heading, plain, text
from storage.evaluation_models import Evaluation


def title_block(evaluation: Evaluation, subject: str, prefix: str) -> list[dict[str, Any]]:
    return [
        heading(f"{prefix}: {plain(evaluation.title)}"),
        text(plain(subject), weight="Bolder", spacing="None"),
    ]


def action_set(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"type": "ActionSet", "actions": list(actions)}


def points(value: Fraction | None) -> str:
    """Points for people: whole numbers as they are, anything else to two places (6.5, 21.67)."""
    if value is None:
        return "–"
    if value.denominator == 1:
        return str(value.numerator)
    return format(as_decimal(value, 2).normalize(), "f")


def signed(value: Fraction) -> str:
    return f"+{points(value)}" if value > 0 else f"-{points(-value)}" if value < 0 else "0"


def missing_counts(result: EvaluationResult) -> Counter[str]:
    """How many factors each assessor has left unscored, for those with any gap, in assessor order."""
    return Counter(assessor for assessor, _ in result.missing_scores)
