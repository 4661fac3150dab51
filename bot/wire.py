"""Bot Framework models to the Bot Connector's JSON, walking each model's own attribute map once.

msrest's serialiser (botbuilder's) re-derives every value's type on each call and walks card content
value by value; a reply's envelope cost more to serialise than to send. This writes the same JSON
(tests/test_wire.py compares it with msrest's own on each shape Steward sends): each attribute under its
wire key, None left out, enums as their values, lists and dicts item by item, nested models alike. A
card is JSON already and goes as it is; dates and anything unusual are msrest's to write.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from botbuilder.schema import Attachment
from msrest.serialization import Model, Serializer

_LIBRARY = Serializer()
# (model, attribute) whose value is JSON already: an Adaptive Card made by its dialog.
_AS_IS = frozenset({(Attachment, "content")})


def _text(value: Any) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


_BASIC: dict[str, Callable[[Any], Any]] = {"str": _text, "int": int, "bool": bool, "float": float}


def to_wire(model: Model) -> dict[str, Any]:
    """The model as the Bot Connector's JSON (what `model.serialize()` gives)."""
    kind = type(model)
    found: dict[str, Any] = {}
    for attribute, spec in kind._attribute_map.items():
        value = getattr(model, attribute, None)
        if value is None:
            continue
        found[spec["key"]] = value if (kind, attribute) in _AS_IS else _value(value, spec["type"])
    return found


def _value(value: Any, kind: str) -> Any:
    basic = _BASIC.get(kind)
    if basic is not None:
        return basic(value)
    if isinstance(value, Model):
        return to_wire(value)
    if kind[0] == "[" and isinstance(value, list):
        return [None if item is None else _value(item, kind[1:-1]) for item in value]
    if kind[0] == "{" and isinstance(value, dict):
        return {key: None if item is None else _value(item, kind[1:-1]) for key, item in value.items()}
    return _LIBRARY.serialize_data(value, kind)
