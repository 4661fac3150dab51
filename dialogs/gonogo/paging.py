"""Teams' size limit on a card, and how the scoring cards page through a factor set within it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from commissioning.gonogo import Factor

FACTORS_PER_PAGE = 10
CARD_BUDGET = 27_000
"""A scoring card holds at most FACTORS_PER_PAGE factors and at most this many bytes of JSON (non-ASCII
escaped, as the size check counts it), leaving room under Teams' 28 KB for the response around it.
Long rationales therefore move later factors onto the next card; whole groups stay together where
they fit."""


def card_bytes(card_json: dict[str, Any]) -> int:
    """A card's size as the Teams limit is checked: compact JSON with non-ASCII escaped."""
    return len(json.dumps(card_json, separators=(",", ":")).encode("utf-8"))


def plan_page(factors: Sequence[Factor], start: int, fits: Callable[[list[Factor]], bool]) -> list[Factor]:
    """The factors for one scoring card, from `start`: as many as `fits` allows, up to FACTORS_PER_PAGE,
    taking a new group whole or leaving it for the next card; always at least one factor."""
    start = max(0, min(start, len(factors) - 1))
    page = [factors[start]]
    i = start + 1
    while i < len(factors):
        step = [factors[i]]
        if factors[i].group != factors[i - 1].group:
            group = [f for f in factors[i:] if f.group == factors[i].group]
            step = group if len(group) <= FACTORS_PER_PAGE else step
        candidate = page + step
        if len(candidate) > FACTORS_PER_PAGE or not fits(candidate):
            break
        page = candidate
        i += len(step)
    return page


def page_starts(factors: Sequence[Factor], fits: Callable[[list[Factor]], bool]) -> list[int]:
    """Where each scoring card begins when paging from the first factor."""
    starts = [0]
    while (end := starts[-1] + len(plan_page(factors, starts[-1], fits))) < len(factors):
        starts.append(end)
    return starts
