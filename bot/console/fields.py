"""What a card offers in the terminal: its inputs as fields and its buttons, read from the card's elements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.console.text import unmarkdown


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Field:
    """One input on the card: what it asks, what it holds now, and what the bot said about it."""

    id: str
    kind: str  # text, number, date, time, choice, toggle
    label: str
    value: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)  # (title, value)
    multiple: bool = False
    minimum: str | None = None
    maximum: str | None = None
    max_length: int | None = None
    multiline: bool = False
    placeholder: str = ""
    required: bool = False
    value_on: str = "true"
    value_off: str = "false"
    hints: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def limits(self) -> str:
        """The field's type and limits in words, e.g. 'number from 0 to 100'."""
        if self.kind == "number":
            if self.minimum is not None and self.maximum is not None:
                words = f"number from {self.minimum} to {self.maximum}"
            elif self.minimum is not None:
                words = f"number, {self.minimum} or more"
            elif self.maximum is not None:
                words = f"number, up to {self.maximum}"
            else:
                words = "number"
        elif self.kind in ("date", "time"):
            words = "date as YYYY-MM-DD" if self.kind == "date" else "time as HH:MM"
            if self.minimum is not None:
                words += f", from {self.minimum}"
            if self.maximum is not None:
                words += f", until {self.maximum}"
        elif self.kind == "choice":
            words = "choose any, separated by commas" if self.multiple else "choose one"
        elif self.kind == "toggle":
            words = "yes or no"
        else:
            words = "text, several lines" if self.multiline else "text"
            if self.max_length:
                words += f", up to {self.max_length:,} characters"
        return ("required, " if self.required else "") + words

    def shown(self) -> str:
        """The value as a person reads it: a choice's title rather than its value."""
        if self.kind == "choice":
            titles = dict((value, title) for title, value in self.choices)
            chosen = [part for part in self.value.split(",") if part] if self.multiple else [self.value]
            return ", ".join(titles.get(part, part) for part in chosen if part)
        if self.kind == "toggle":
            return "yes" if self.value == self.value_on else "no"
        return self.value.replace("\r", "").replace("\n", " ")

    def accept(self, typed: str) -> str:
        """What to send for what was typed; raises ValueError with a message for an impossible choice."""
        typed = typed.strip()
        if self.kind == "toggle":
            lowered = typed.lower()
            if lowered in ("yes", "y", "true", "on", "1", self.value_on.lower()):
                return self.value_on
            if lowered in ("no", "n", "false", "off", "0", self.value_off.lower()):
                return self.value_off
            raise ValueError("Answer yes or no.")
        if self.kind != "choice" or not typed:
            return typed
        parts = [part.strip() for part in typed.split(",")] if self.multiple else [typed]
        return ",".join(self._choice(part) for part in parts if part)

    def _choice(self, typed: str) -> str:
        lowered = typed.lower()
        for title, value in self.choices:
            if typed == value or lowered == title.lower():
                return value
        for _title, value in self.choices:
            if lowered == value.lower():
                return value
        if typed.isdigit() and 1 <= int(typed) <= len(self.choices):
            return self.choices[int(typed) - 1][1]
        starting = [value for title, value in self.choices if title.lower().startswith(lowered)]
        if len(starting) == 1:
            return starting[0]
        names = ", ".join(title for title, _ in self.choices)
        raise ValueError(f"{typed!r} is not one of the choices: {names}.")


@dataclass(frozen=True)
class Button:
    """One action on the card, numbered for the menu."""

    number: int
    title: str
    kind: str
    verb: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    sends_inputs: bool = True
    url: str | None = None
    card: Mapping[str, Any] | None = None  # Action.ShowCard
    targets: tuple[str, ...] = ()  # Action.ToggleVisibility
    style: str | None = None


def read_field(element: dict[str, Any], values: Mapping[str, str]) -> Field | None:
    input_id = element.get("id")
    if not isinstance(input_id, str) or not input_id:
        return None
    kind = {
        "Input.Text": "text",
        "Input.Number": "number",
        "Input.Date": "date",
        "Input.Time": "time",
        "Input.ChoiceSet": "choice",
        "Input.Toggle": "toggle",
    }.get(str(element.get("type")))
    if kind is None:
        return None
    label = unmarkdown(
        str(element.get("label") or element.get("title") or element.get("placeholder") or input_id)
    )
    value = element.get("value")
    found = Field(
        id=input_id,
        kind=kind,
        label=label,
        value="" if value is None else _number_text(value),
        multiline=bool(element.get("isMultiline")),
        placeholder=unmarkdown(str(element.get("placeholder") or "")),
        required=bool(element.get("isRequired")),
        max_length=element.get("maxLength") if isinstance(element.get("maxLength"), int) else None,
    )
    if kind in ("number", "date", "time"):
        found.minimum = None if element.get("min") is None else _number_text(element["min"])
        found.maximum = None if element.get("max") is None else _number_text(element["max"])
    if kind == "choice":
        found.choices = [
            (unmarkdown(str(c.get("title", c.get("value", "")))), str(c.get("value", "")))
            for c in _list(element.get("choices"))
            if isinstance(c, dict)
        ]
        found.multiple = bool(element.get("isMultiSelect"))
    if kind == "toggle":
        found.value_on = str(element.get("valueOn", "true"))
        found.value_off = str(element.get("valueOff", "false"))
        found.value = found.value or found.value_off
    if input_id in values:
        found.value = values[input_id]
    return found
