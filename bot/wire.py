"""Bot Framework models to and from the Bot Connector's JSON, walking each model's own attribute map once.

msrest (botbuilder's serialiser) re-derives every value's type on each call and walks card content value
by value: an activity cost more to read and write than to send. This gives the same JSON and the same
models (tests/test_wire.py compares both with msrest's on each shape Steward sends and receives): each
attribute under its wire key, None left out, enums as their values, lists and dicts item by item,
nested models alike, unknown keys kept as the model's additional properties. A card is JSON already and
goes as it is; dates and anything unusual are msrest's to write and read, and a body with a value of an
unexpected type is handed to msrest whole, so it is refused (or read) exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

import botbuilder.schema as schema
from botbuilder.schema import Attachment
from msrest.serialization import Deserializer, Model, Serializer

_LIBRARY = Serializer()
_READER = Deserializer()
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


M = TypeVar("M", bound=Model)
_READ_AS: dict[str, type | tuple[type, ...]] = {"str": str, "bool": bool, "object": object}


class _Unusual(Exception):
    """A value this reader does not take itself: msrest reads (or refuses) the whole body instead."""


def from_wire(kind: type[M], body: dict[str, Any]) -> M:
    """The model that `kind().deserialize(body)` gives, for a body decoded from JSON."""
    try:
        return _model(kind, body)
    except _Unusual:
        return kind().deserialize(body)


def _model(kind: type[M], data: Any) -> M:
    if not isinstance(data, dict):
        raise _Unusual
    attributes = kind._attribute_map
    values = {attribute: _read(data.get(spec["key"]), spec["type"]) for attribute, spec in attributes.items()}
    model = kind(**values)
    extra = data.keys() - _known_keys(kind)
    if extra:
        model.additional_properties = {key: data[key] for key in extra}
    return model


_KEYS: dict[type[Model], frozenset[str]] = {}


def _known_keys(kind: type[Model]) -> frozenset[str]:
    keys = _KEYS.get(kind)
    if keys is None:
        keys = _KEYS[kind] = frozenset(spec["key"] for spec in kind._attribute_map.values())
    return keys


def _read(value: Any, kind: str) -> Any:
    if value is None:
        return None
    expected = _READ_AS.get(kind)
    if expected is not None:
        if not isinstance(value, expected):
            raise _Unusual
        return value
    if kind[0] == "[":
        if not isinstance(value, list):
            raise _Unusual
        return [_read(item, kind[1:-1]) for item in value]
    if kind[0] == "{":
        if not isinstance(value, dict):
            raise _Unusual
        return {key: _read(item, kind[1:-1]) for key, item in value.items()}
    model = _MODELS.get(kind)
    if model is not None:
        return _model(model, value)
    if kind == "iso-8601" and isinstance(value, str):
        return _instant(value)
    return _READER.deserialize_data(value, kind)


def _instant(text: str) -> datetime:
    """An ISO 8601 date and time with its offset (Teams sends seven decimals, read to six, as msrest does)."""
    found = None
    if Deserializer.valid_date.match(text.upper()):  # msrest's own test of the shape, 'T' and all
        try:
            found = datetime.fromisoformat(text)
        except ValueError:
            found = None
    if found is None or found.tzinfo is None:
        return _READER.deserialize_data(text, "iso-8601")
    return found


_MODELS: dict[str, type[Model]] = {
    name: found
    for name in dir(schema)
    if isinstance(found := getattr(schema, name), type) and issubclass(found, Model) and found is not Model
}
