"""Checks a card the way Teams would take it: Adaptive Card 1.5 schema, version 1.5, under 28 KB."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema.validators import validator_for

SCHEMA = Path(__file__).resolve().parent / "data" / "schemas" / "adaptive-card-1.5.json"
TEAMS_MESSAGE_LIMIT = 28 * 1024


@cache
def _validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return validator_for(schema)(schema)


def _causes(error: Any) -> list[str]:
    """Dig through anyOf branches to the element that really failed."""
    if not error.context:
        return [f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"]
    real = [
        e
        for e in error.context
        if not (e.validator == "enum" and list(e.path) == ["type"]) and e.validator != "const"
    ]
    found: list[str] = []
    for child in real or error.context:
        found.extend(_causes(child))
    return found[:5]


def card_problems(card: dict[str, Any]) -> list[str]:
    """Empty when the card is fine; otherwise what is wrong, readable."""
    problems: list[str] = []
    if card.get("version") != "1.5":
        problems.append(f"version is {card.get('version')!r}, not '1.5'")
    document = {k: v for k, v in card.items() if k != "msteams"}
    for error in _validator().iter_errors(document):
        problems.extend(_causes(error))
    size = len(json.dumps(card, separators=(",", ":")).encode("utf-8"))
    if size > TEAMS_MESSAGE_LIMIT:
        problems.append(f"card is {size} bytes, over Teams' 28 KB message limit")
    return problems


def assert_valid_card(card: dict[str, Any]) -> None:
    problems = card_problems(card)
    assert not problems, "card does not validate:\n" + "\n".join(problems)
