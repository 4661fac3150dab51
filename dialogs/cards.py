"""Adaptive Card 1.5 building blocks as plain dicts, and neutralising of user text shown in them."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from commissioning.indicators import Rag

CARD_VERSION = "1.5"
_INLINE = re.compile(r"([\\`*_~\[\]<>|])")
_LINE_START = re.compile(r"(?m)^(\s*)([-+#])")
_ORDERED = re.compile(r"(?m)^(\s*\d+)([.)])")
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{1,20}):(?=//)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")

RAG_COLOUR = {Rag.GREEN: "good", Rag.AMBER: "warning", Rag.RED: "attention"}
RAG_WORD = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
# Text up to this long is made inert once per distinct string (names, titles, months): see plain().
_REMEMBERED_LENGTH = 120


def plain(text: object, limit: int = 2000) -> str:
    """User text made inert for Teams' card Markdown: no links, images, mentions or formatting; bounded."""
    if isinstance(text, str) and len(text) <= _REMEMBERED_LENGTH:
        return _plain_short(text, limit)  # names, titles and months, the same few over and over
    return _plain(text, limit)


@lru_cache(maxsize=8192)
def _plain_short(text: str, limit: int) -> str:
    return _plain(text, limit)


def _plain(text: object, limit: int) -> str:
    value = _CONTROL.sub("", str(text if text is not None else ""))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    value = _INLINE.sub(r"\\\1", value)
    value = _LINE_START.sub(r"\1\\\2", value)
    value = _ORDERED.sub(r"\1\\\2", value)
    return _SCHEME.sub("\\1:\u2060", value)  # a word joiner after 'https:' stops auto-linking


def card(
    body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    if actions:
        result["actions"] = actions
    result.update(extra)
    return result


def text(value: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": value, "wrap": True, **style}


def heading(value: str) -> dict[str, Any]:
    return text(value, size="Large", weight="Bolder", style="heading")


def subtle(value: str) -> dict[str, Any]:
    return text(value, isSubtle=True, size="Small", spacing="None")


def error_text(message: str) -> dict[str, Any]:
    return text(message, color="Attention", size="Small", spacing="None")


def facts(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": title, "value": value} for title, value in pairs]}


def container(items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "Container", "items": items, **extra}


def columns(*cells: tuple[list[dict[str, Any]], str]) -> dict[str, Any]:
    return {
        "type": "ColumnSet",
        "columns": [{"type": "Column", "width": width, "items": items} for items, width in cells],
    }


def rag_badge(rating: Rag | None) -> dict[str, Any]:
    if rating is None:
        return text("No minimum", isSubtle=True, horizontalAlignment="Right")
    return text(
        f"● {RAG_WORD[rating]}", color=RAG_COLOUR[rating], weight="Bolder", horizontalAlignment="Right"
    )


def execute(
    title: str,
    verb: str,
    data: dict[str, Any] | None = None,
    *,
    style: str | None = None,
    validate: bool = False,
) -> dict[str, Any]:
    """An Action.Execute button; `verb` names the dialog step, `data` is its typed payload."""
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": {"verb": verb, **(data or {})},
    }
    if style:
        action["style"] = style
    if not validate:
        action["associatedInputs"] = "auto"
    return action


def input_text(
    input_id: str,
    label: str,
    value: str = "",
    *,
    multiline: bool = False,
    max_length: int | None = None,
    placeholder: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "Input.Text", "id": input_id, "label": label, "isMultiline": multiline}
    if value:
        element["value"] = value
    if max_length:
        element["maxLength"] = max_length
    if placeholder:
        element["placeholder"] = placeholder
    return element


def input_number(
    input_id: str,
    label: str,
    value: float | None,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    placeholder: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "Input.Number", "id": input_id, "label": label}
    if value is not None:
        element["value"] = value
    if minimum is not None:
        element["min"] = minimum
    if maximum is not None:
        element["max"] = maximum
    if placeholder:
        element["placeholder"] = placeholder
    return element


def input_choice(
    input_id: str,
    label: str,
    choices: list[tuple[str, str]],
    value: str = "",
    *,
    expanded: bool = False,
    placeholder: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "style": "expanded" if expanded else "compact",
        "choices": [{"title": title, "value": choice} for title, choice in choices],
    }
    if value:
        element["value"] = value
    if placeholder:
        element["placeholder"] = placeholder
    return element


def message_card(title: str, lines: list[str], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A simple card: a heading, a few paragraphs, optional buttons."""
    return card([heading(title), *[text(line) for line in lines]], actions)
