"""The one reader of a card's raw inputs: untrusted values from Teams turned into bounded text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def input_text(raw: Mapping[str, Any], key: str, limit: int = 4000, *, strip: bool = True) -> str:
    """One input as text, cut to one over `limit` so a length check can still fire.

    Teams sends every input as a string; a forged card may send anything. A boolean reads as
    "true"/"false" (what an Input.Toggle sends), a number as its digits, and anything else that is
    not text (missing, an object, a list) as empty.
    """
    value = raw.get(key)
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        value = "true" if value else "false"
    result = str(value).strip() if strip else str(value)
    return result[: limit + 1]


def input_flag(raw: Mapping[str, Any], key: str) -> bool:
    """An Input.Toggle (or a yes/no choice) as a boolean: "true", "yes", "on" or "1" are yes."""
    return input_text(raw, key, 10).lower() in {"true", "yes", "y", "on", "1"}


def input_ids(raw: Mapping[str, Any], key: str, limit: int = 2000) -> list[str]:
    """A multi-select Input.ChoiceSet: its comma-separated values, blanks dropped, order kept."""
    return [part.strip() for part in input_text(raw, key, limit).split(",") if part.strip()]
