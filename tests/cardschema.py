"""Checks a card the way Teams would take it: Adaptive Card 1.5 schema with Teams' chart elements, version 1.5,
under 28 KB."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import extend, validator_for

SCHEMAS = Path(__file__).resolve().parent / "data" / "schemas"
SCHEMA = SCHEMAS / "adaptive-card-1.5.json"
CHARTS = SCHEMAS / "teams-charts.json"  # Teams' Chart.* elements: validated like any element, never skipped
TEAMS_MESSAGE_LIMIT = 28 * 1024


def with_charts(schema: dict[str, Any], charts: dict[str, Any]) -> dict[str, Any]:
    """The card schema with the chart elements' definitions added and each allowed wherever an element is."""
    definitions = {**schema["definitions"], **charts["definitions"]}
    element = definitions["ImplementationsOf.Element"]
    extra = [
        {"required": ["type"], "allOf": [{"$ref": f"#/definitions/{name}"}]} for name in charts["elements"]
    ]
    definitions["ImplementationsOf.Element"] = {**element, "anyOf": [*element["anyOf"], *extra]}
    return {**schema, "definitions": definitions}


def _branch_types(branch: Any, definitions: dict[str, Any]) -> frozenset[str]:
    """The element types an anyOf branch like {"allOf": [{"$ref": "#/definitions/TextBlock"}]} stands for."""
    refs = [part.get("$ref", "") for part in branch.get("allOf", [])] if isinstance(branch, dict) else []
    if len(refs) != 1 or not refs[0].startswith("#/definitions/"):
        return frozenset()
    kind = definitions.get(refs[0].removeprefix("#/definitions/"), {}).get("properties", {}).get("type", {})
    return frozenset(kind.get("enum", ()))


def _by_type(definitions: dict[str, Any], any_of: Any) -> Any:
    """anyOf over element or action types, checked against the branch for the instance's own type only.

    Every other branch fails on its `type` enum anyway; checking them in full (each one's `fallback`
    and children) made a chart with its fallback table cost seconds. Same verdict, same errors; an
    unknown type still goes through every branch.
    """

    def check(validator: Any, branches: Any, instance: Any, schema: Any) -> Any:
        kind = instance.get("type") if isinstance(instance, dict) else None
        if isinstance(kind, str):
            for index, branch in enumerate(branches):
                if kind in _branch_types(branch, definitions):
                    errors = list(validator.descend(instance, branch, schema_path=index))
                    if errors:
                        yield ValidationError(f"not a valid {kind}", context=errors)
                    return
        yield from any_of(validator, branches, instance, schema)

    return check


@cache
def _validator() -> Any:
    schema = with_charts(
        json.loads(SCHEMA.read_text(encoding="utf-8")), json.loads(CHARTS.read_text(encoding="utf-8"))
    )
    base = validator_for(schema)
    checker = extend(base, {"anyOf": _by_type(schema["definitions"], base.VALIDATORS["anyOf"])})
    return checker(schema)


def _wrong_type(error: Any) -> bool:
    return (error.validator == "enum" and list(error.path) == ["type"]) or error.validator == "const"


def _causes(error: Any) -> list[str]:
    """Dig through anyOf branches to the element that really failed: the branch for its own type."""
    if not error.context:
        return [f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"]
    branches: dict[Any, list[Any]] = {}
    for child in error.context:
        branches.setdefault(child.relative_schema_path[0], []).append(child)
    own = [e for errors in branches.values() if not any(map(_wrong_type, errors)) for e in errors]
    real = own or [e for e in error.context if not _wrong_type(e)]
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
